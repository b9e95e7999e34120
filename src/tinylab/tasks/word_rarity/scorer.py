"""word-rarity's fast path in numpy alone (no torch, no onnxruntime): the hybrid of the exact word list and
the model, for a batch of words or for one.

    from tinylab.tasks.word_rarity.scorer import WordRarity
    wr = WordRarity.load("en")                  # or "de", "fr", "es"; size="small" for the larger English model
    wr.rarity(["the", "zyzzogeton"])            # array in [0, 1]: the list's value, else the model's
    wr.rarity_one("brillig")                    # one word
    wr.rarity(words, model_only=True)           # the model alone

:class:`RarityModel` computes exactly what the run's network computes (a test holds it to onnxruntime's
outputs) from the run's verified ``model.safetensors`` and ``spec.toml``."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from tinylab.errors import TinylabError
from tinylab.tasks.word_rarity import features, lexicon

features_vowels = frozenset(features.VOWELS.tolist())


def model_name(language: str = "en", size: str = "nano") -> str:
    """The shipped model of ``language`` and ``size`` (``nano`` for every language, ``small`` for English)."""
    lexicon.check_language(language)
    if size not in ("nano", "small"):
        raise TinylabError(f"word-rarity models come in sizes nano and small, not {size!r}")
    name = "word-rarity" if language == "en" else f"word-rarity-{language}"
    return name + ("-small" if size == "small" else "")


class RarityModel:
    """The network of a word-rarity run, in numpy."""

    chunk = 4096  # words per block: a block's arrays stay in cache

    def __init__(self, weights: dict[str, np.ndarray], max_len: int, buckets: int, max_n: int,
                 trigram_buckets: int, language: str = "en", workers: int = 1) -> None:
        self.max_len, self.buckets, self.max_n, self.trigram_buckets = max_len, buckets, max_n, trigram_buckets
        self.language = language
        f32 = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in weights.items()}
        self.embedding = f32["ngrams.weight"]
        self.bigram, self.trigram = f32["bigram"], f32.get("trigram")
        self.shift, self.scale = f32["shift"], f32["scale"]
        self.w1, self.b1 = f32["hidden.weight"].T.copy(), f32["hidden.bias"]
        self.w2, self.b2 = f32["out.weight"].T.copy(), f32["out.bias"]
        self.n_params = int(sum(v.size for k, v in weights.items() if k not in ("shift", "scale")))
        self.workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._lm_tables()

    @classmethod
    def from_run(cls, run_or_name: str | Path, workers: int | None = None) -> RarityModel:
        """A verified run directory, or a shipped model's name."""
        from safetensors.numpy import load_file

        from tinylab.predict import resolve_run
        from tinylab.runs import require_verified
        from tinylab.spec import load_toml
        from tinylab.tasks.word_rarity.task import WordRaritySpec

        run = resolve_run(str(run_or_name))
        require_verified(run)
        meta = json.loads((run / "meta.json").read_text(encoding="utf-8"))
        if meta.get("task") != "word-rarity" or meta.get("model") != "rarity_net":
            raise TinylabError(f"{run} is not a word-rarity network run (task {meta.get('task')!r}, "
                               f"model {meta.get('model')!r})")
        spec = load_toml(WordRaritySpec, run / "spec.toml")
        m = spec.model
        return cls(load_file(str(run / "model.safetensors")), m.max_len, m.buckets, m.max_n, m.trigram_buckets,
                   spec.data.language, workers or min(2, os.cpu_count() or 1))

    def _lm_tables(self) -> None:
        """Tables as contiguous columns (a gather per column is several times faster than a gather of
        rows); each language-model column with one entry more, for the positions after a word's end: 0 for
        the sums, a large value for the minimum (what the network's masks do)."""
        self._columns = [np.ascontiguousarray(c) for c in self.embedding.T]
        self._py_columns = [c.tolist() for c in self._columns]  # the single-word path reads Python lists
        self._py_class = features.CLASS_OF.tolist()
        self._py_tables = [[c.tolist() for c in t.T] for t in (self.bigram, self.trigram) if t is not None]
        self._tables = []
        for t in (self.bigram, self.trigram):
            if t is not None:
                self._tables.append([(np.append(c, np.float32(0.0)), np.append(c, np.float32(1e4))) for c in t.T])

    def _block(self, words: Sequence[str]) -> np.ndarray:
        ngrams, classes = features.encode_narrow(words, self.max_len, self.buckets, self.max_n)
        scale = 1.0 / np.sqrt(np.maximum((ngrams > 0).sum(1), 1).astype(np.float32))
        parts = [c[ngrams].sum(1) * scale for c in self._columns]
        cues = features.spelling_cues(classes)
        parts += list(cues.T)
        bigram, trigram, inside = features.lm_indices(classes, self.trigram_buckets)
        n_inside = np.maximum(inside.sum(1), 1).astype(np.float32)
        for columns, idx, pad in zip(self._tables, (bigram, trigram), (len(self.bigram), self.trigram_buckets),
                                     strict=False):
            idx = np.where(inside, idx, pad)
            totals = [for_sum[idx].sum(1) for for_sum, _ in columns]
            parts += [t / 10.0 for t in totals] + [t / n_inside for t in totals]
            parts += [for_min[idx].min(1) for _, for_min in columns]
        x = (np.stack(parts, axis=1).astype(np.float32, copy=False) - self.shift) / self.scale
        h = np.maximum(x @ self.w1 + self.b1, 0.0)
        z = (h @ self.w2 + self.b2)[:, 0]
        out = 1.0 / (1.0 + np.exp(-np.clip(z, -60.0, 60.0)))
        # a word with no character but white space has no rarity: NaN (its length cue is 0)
        return np.where(cues[:, 0] > 0, out, np.float32(np.nan)) if (cues[:, 0] == 0).any() else out

    def one(self, word: str) -> float:
        """One word's rarity by the model, computed in plain Python up to the hidden layer (a batch of one
        through numpy costs tens of numpy calls); equal to ``self([word])[0]`` up to float rounding."""
        data = features.normalize(word).encode("utf-8", "surrogatepass")[:self.max_len]
        if not data:
            return math.nan  # no character but white space: no rarity
        s = [256, 256, *data, 257]
        mult, mask, buckets = 0x100000001B3, (1 << 64) - 1, self.buckets
        ids: list[int] = []
        h = [0] * len(s)
        for k in range(1, self.max_n + 1):
            salt = (features._SALT_INT * k) & mask
            h = [((x * mult) & mask) ^ s[j + k - 1] for j, x in enumerate(h[:len(s) - k + 1])]
            ids += [((((x ^ salt) * mult) & mask) >> 20) % buckets + 1 for x in h]
        z = [sum(map(col.__getitem__, ids)) for col in self._py_columns]
        n_ids = len(ids)
        root = n_ids ** 0.5
        c = [self._py_class[v] for v in s]
        body = c[2:]
        n = len(data)
        safe = max(n, 1)
        vowels = [v in features_vowels for v in body]
        syllables = sum(1 for j in range(1, len(body)) if vowels[j] and not vowels[j - 1]) + vowels[0]
        x = [v / root for v in z]
        x += [n / 10.0, math.log1p(n), sum(vowels) / safe, syllables / 4.0,
              float(features.DIGIT in body), float(features.APOSTROPHE in body),
              sum(1 for v in body if features.FIRST_NON_ASCII <= v < features.CLASSES) / safe,
              float(features.HYPHEN in body)]
        K = features.CLASSES
        positions = range(2, len(c))
        for t, columns in enumerate(self._py_tables):
            if t == 0:
                idx = [c[j - 1] * K + c[j] for j in positions]
            else:
                idx = [((c[j - 2] * K + c[j - 1]) * K + c[j]) * 2654435761 % self.trigram_buckets for j in positions]
            totals = [sum(col[i] for i in idx) for col in columns]
            x += [v / 10.0 for v in totals] + [v / len(idx) for v in totals] + [min(col[i] for i in idx)
                                                                                 for col in columns]
        xs = (np.array(x, dtype=np.float32) - self.shift) / self.scale
        hidden = np.maximum(xs @ self.w1 + self.b1, 0.0)
        out = float((hidden @ self.w2 + self.b2)[0])
        return 1.0 / (1.0 + math.exp(-min(max(out, -60.0), 60.0)))

    def __call__(self, words: Sequence[str]) -> np.ndarray:
        """Rarity in [0, 1] of each word, by the model alone (float32)."""
        if isinstance(words, str):
            raise TypeError("RarityModel takes a batch of words (a list); for one word: model([word])")
        n = len(words)
        if n <= self.chunk:
            return np.clip(self._block(words), 0.0, 1.0).astype(np.float32) if n else np.zeros(0, np.float32)
        words = list(words)
        order = np.argsort(np.fromiter(map(len, words), dtype=np.int64, count=n), kind="stable")
        out = np.empty(n, dtype=np.float32)
        blocks = [order[s:s + self.chunk] for s in range(0, n, self.chunk)]

        def run(idx: np.ndarray) -> None:
            out[idx] = self._block([words[i] for i in idx])

        if self.workers > 1:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="tinylab-rarity")
            list(self._pool.map(run, blocks))
        else:
            for idx in blocks:
                run(idx)
        return np.clip(out, 0.0, 1.0)


class WordRarity:
    """The hybrid: the exact word list for the words it has, the model for every other word."""

    def __init__(self, model: RarityModel, language: str | None = None) -> None:
        self.model = model
        self.language = language or model.language
        self.table = lexicon.table(self.language)

    @classmethod
    def load(cls, language: str = "en", size: str = "nano") -> WordRarity:
        return cls(RarityModel.from_run(model_name(language, size)), language)

    def rarity(self, words: Sequence[str], model_only: bool = False) -> np.ndarray:
        """Rarity in [0, 1] of each word (float32): from the list where it has the word (normalized: NFC,
        case-folded, stripped), else from the model; ``model_only``: the model for every word. An empty or
        blank word has no rarity: NaN."""
        if isinstance(words, str):
            raise TypeError("rarity takes a list of words; for one word: rarity_one(word)")
        if not isinstance(words, list | tuple):  # a pandas Series is read by position, never by its index
            words = list(words)
        try:
            if model_only:
                return self.model(words)
            get, norm = self.table.get, features.normalize
            known = np.array([get(norm(w), np.nan) for w in words], dtype=np.float32)
            missing = np.flatnonzero(np.isnan(known))
            if len(missing):
                known[missing] = self.model([words[i] for i in missing])
            return known
        except (AttributeError, TypeError):  # checked only on failure: the fast path stays a plain loop
            bad = next((i for i, w in enumerate(words) if not isinstance(w, str)), None)
            if bad is None:
                raise
            raise TypeError(f"words[{bad}] is {type(words[bad]).__name__}; rarity takes strings") from None

    def rarity_one(self, word: str, model_only: bool = False) -> float:
        """One word's rarity."""
        if not isinstance(word, str):
            raise TypeError(f"rarity_one takes a string, not {type(word).__name__}")
        if not model_only:
            listed = self.table.get(features.normalize(word))
            if listed is not None:
                return listed
        return self.model.one(word)
