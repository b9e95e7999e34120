"""word-rarity's behavioural suite: does a rarity score order kinds of strings as a person would?

common words < rare real words < pseudo-words that follow the language's spelling < random letter strings,
and a typo of a common word is rarer than the word. The words are the lists in ``behaviour/<language>.toml``
(written by hand); random strings (letters of the language, uniformly, 5 to 10 of them) and typos (one
deleted, doubled, swapped or replaced letter of each common word of four letters or more) are generated
from them with a fixed seed, and those a word list happens to hold are left out. None of it is used for
training or for choosing a model: the listed words are left out of every split.

Each comparison is a pairwise AUC: the share of (lower, higher) pairs the score orders correctly, ties
counting half; for typos the pairs are each typo with its own word."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np

from tinylab.tasks.word_rarity import lexicon

ALPHABETS = {"en": "abcdefghijklmnopqrstuvwxyz", "de": "abcdefghijklmnopqrstuvwxyzäöüß",
             "fr": "abcdefghijklmnopqrstuvwxyzàâçéèêëîïôûùü", "es": "abcdefghijklmnopqrstuvwxyzáéíñóúü"}
# (lower, higher, metric name): what the suite checks, in report order
ORDERS = (("common", "rare", "rare_over_common"), ("rare", "pseudo", "pseudo_over_rare"),
          ("pseudo", "random", "random_over_pseudo"), ("common", "pseudo", "pseudo_over_common"))


@dataclass(frozen=True)
class Suite:
    language: str
    common: tuple[str, ...]
    rare: tuple[str, ...]
    pseudo: tuple[str, ...]
    random: tuple[str, ...]
    typos: tuple[tuple[str, str], ...]  # (typo, the word it misspells)

    def words(self) -> list[str]:
        return [*self.common, *self.rare, *self.pseudo, *self.random, *(t for t, _ in self.typos)]


def lists_path(language: str) -> Path:
    return Path(str(files("tinylab").joinpath("tasks", "word_rarity", "behaviour", f"{language}.toml")))


def listed_words(language: str) -> set[str]:
    """The real words of the suite (left out of every training split)."""
    data = tomllib.loads(lists_path(language).read_text(encoding="utf-8"))
    return set(data["common"]) | set(data["rare"])


def _typo(word: str, rng: np.random.Generator, alphabet: str) -> str:
    i = int(rng.integers(1, len(word)))  # keep the first letter
    op = int(rng.integers(4))
    if op == 0:
        return word[:i] + word[i + 1:]
    if op == 1:
        return word[:i] + word[i] + word[i:]
    if op == 2 and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + alphabet[int(rng.integers(len(alphabet)))] + word[i + 1:]


@lru_cache(maxsize=4)
def suite(language: str, seed: int = 0, n_random: int = 100) -> Suite:
    data = tomllib.loads(lists_path(language).read_text(encoding="utf-8"))
    known = lexicon.table(language)
    alphabet = ALPHABETS[language]
    rng = np.random.default_rng(seed)
    randoms: list[str] = []
    while len(randoms) < n_random:
        s = "".join(alphabet[i] for i in rng.integers(len(alphabet), size=int(rng.integers(5, 11))))
        if s not in known and s not in randoms:
            randoms.append(s)
    typos = []
    for w in data["common"]:
        if len(w) < 4:
            continue
        for _ in range(10):
            t = _typo(w, rng, alphabet)
            if t != w and t not in known:
                typos.append((t, w))
                break
    return Suite(language, tuple(data["common"]), tuple(data["rare"]),
                 tuple(w for w in data["pseudo"] if w not in known), tuple(randoms), tuple(typos))


def pair_auc(lower: np.ndarray, higher: np.ndarray) -> float:
    """Share of (lower, higher) pairs with the higher one scored higher; ties count half."""
    lo, hi = np.asarray(lower, dtype=np.float64)[:, None], np.asarray(higher, dtype=np.float64)[None, :]
    return float(((hi > lo) + 0.5 * (hi == lo)).mean()) if lo.size and hi.size else float("nan")


def evaluate(s: Suite, score: Callable[[list[str]], np.ndarray], prefix: str) -> dict[str, float]:
    """The suite's AUCs for one scorer (a function from a list of words to their rarity), named
    ``<prefix>_auc_<order>``."""
    groups = {"common": list(s.common), "rare": list(s.rare), "pseudo": list(s.pseudo), "random": list(s.random)}
    scores = {k: np.asarray(score(v), dtype=np.float64) for k, v in groups.items()}
    out = {f"{prefix}_auc_{name}": pair_auc(scores[lo], scores[hi]) for lo, hi, name in ORDERS}
    typo = np.asarray(score([t for t, _ in s.typos]), dtype=np.float64)
    word = np.asarray(score([w for _, w in s.typos]), dtype=np.float64)
    out[f"{prefix}_auc_typo_over_word"] = float(((typo > word) + 0.5 * (typo == word)).mean())
    return out


def report(s: Suite, model: dict[str, float], hybrid: dict[str, float]) -> str:
    """The suite's section of a run report."""
    rows = [(f"{lo} < {hi}", name) for lo, hi, name in ORDERS] + [("typo above its word", "typo_over_word")]
    lines = ["| ordering | model alone | hybrid (word list, then model) |", "|---|---|---|"]
    for label, name in rows:
        lines.append(f"| {label} | {model[f'behaviour_model_auc_{name}']:.3f} | "
                     f"{hybrid[f'behaviour_hybrid_auc_{name}']:.3f} |")
    return ("\n".join(lines) + f"\n\nPairwise AUCs on the behavioural word lists ({s.language}: "
            f"{len(s.common)} common, {len(s.rare)} rare, {len(s.pseudo)} pseudo-words, {len(s.random)} random "
            f"strings, {len(s.typos)} typos of the common words). The listed words are in no split; the model "
            "alone never sees the word list.\n")
