"""word-rarity's exact word lists, stored compactly in the package (``lexicons/<language>.txt.xz``).

Each file holds every word of wordfreq's 'large' list for the language that contains a letter, with its
Zipf frequency exactly as ``wordfreq.zipf_frequency`` gives it (two decimals): the words in the list's order
(commonest first), one a line, a line ``\\t<zipf * 100>`` before each run of words of that frequency.
The data are wordfreq's (Robyn Speer; CC BY-SA 4.0, see the README's data section); ``build`` writes a file
again from an installed wordfreq (the version the package pins), and a test checks that it matches.

Rarity is ``clip(1 - (zipf - 1) / 7, 0, 1)``: zipf 8 (the commonest words) -> 0, zipf 1 -> 1."""

from __future__ import annotations

import lzma
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np

from tinylab.errors import TinylabError

LANGUAGES = ("en", "de", "fr", "es")
WORDFREQ_VERSION = "3.1.1"


def rarity(zipf: np.ndarray) -> np.ndarray:
    """Rarity in [0, 1] from Zipf frequency."""
    return np.clip(1.0 - (np.asarray(zipf, dtype=np.float64) - 1.0) / 7.0, 0.0, 1.0).astype(np.float32)


def lexicon_path(language: str) -> Path:
    return Path(str(files("tinylab").joinpath("tasks", "word_rarity", "lexicons", f"{language}.txt.xz")))


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise TinylabError(f"word-rarity has word lists for {', '.join(LANGUAGES)}; not for {language!r}")
    return language


@lru_cache(maxsize=4)
def load(language: str) -> tuple[tuple[str, ...], np.ndarray]:
    """The words of ``language`` (commonest first) and their Zipf frequencies (float64)."""
    path = lexicon_path(check_language(language))
    try:
        text = lzma.decompress(path.read_bytes()).decode("utf-8")
    except (OSError, lzma.LZMAError) as e:
        raise TinylabError(f"{path}: the {language} word list cannot be read ({e}); reinstall tinylab") from None
    words: list[str] = []
    zipfs: list[float] = []
    zipf = 0.0
    for line in text.split("\n"):
        if line.startswith("\t"):
            zipf = int(line[1:]) / 100.0
        elif line:
            words.append(line)
            zipfs.append(zipf)
    return tuple(words), np.array(zipfs, dtype=np.float64)


@lru_cache(maxsize=4)
def table(language: str) -> dict[str, float]:
    """Word -> rarity, for exact look-ups (the hybrid's first step)."""
    words, zipf = load(language)
    return dict(zip(words, rarity(zipf).tolist(), strict=True))


def build(language: str) -> bytes:
    """The compressed list of ``language`` from the installed wordfreq (which must be the pinned version)."""
    from importlib.metadata import version

    import wordfreq

    if version("wordfreq") != WORDFREQ_VERSION:
        raise TinylabError(f"the word lists are built from wordfreq {WORDFREQ_VERSION}; {version('wordfreq')} is "
                           "installed")
    lines: list[str] = []
    current = None
    for w in wordfreq.iter_wordlist(check_language(language), "large"):
        if not any(ch.isalpha() for ch in w) or "\n" in w or w.startswith("\t"):
            continue
        centi = round(wordfreq.zipf_frequency(w, language, "large") * 100)
        if centi <= 0:
            continue
        if centi != current:
            lines.append(f"\t{centi}")
            current = centi
        lines.append(w)
    return lzma.compress(("\n".join(lines) + "\n").encode("utf-8"), preset=9 | lzma.PRESET_EXTREME)


def main() -> None:
    """``python -m tinylab.tasks.word_rarity.lexicon [LANG...]``: write the packaged lists again."""
    import sys

    for lang in sys.argv[1:] or LANGUAGES:
        data = build(lang)
        lexicon_path(lang).parent.mkdir(parents=True, exist_ok=True)
        lexicon_path(lang).write_bytes(data)
        print(f"{lexicon_path(lang)}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
