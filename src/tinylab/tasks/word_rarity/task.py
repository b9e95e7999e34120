"""The word-rarity task: how rare a word is, for any word, dictionary or not. Targets come from wordfreq's
'large' lists (pinned 3.1.1, stored compactly in the package; data CC BY-SA 4.0):

    rarity = clip(1 - (zipf - 1) / 7, 0, 1)      zipf 8 (the commonest words) -> 0, zipf 1 (one per 10^9) -> 1

A prediction is a hybrid: a word the list has is answered exactly from it; any other word by a small model
of its spelling (hashed byte n-grams, a character language model's log-probability, spelling cues; output
squashed into [0, 1]). Evaluation scores the model alone. Validation and test words are drawn from each
band of Zipf frequency in proportion (so the test split is a random sample of the list), disjoint from the
training words and from the behavioural suite's words; the band-balanced Spearman takes as many test
words from each band (1-2, 2-3, 3-4, 4-5, 5 and above)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import Field, field_validator

from tinylab.metrics import regression_metrics
from tinylab.spec import BaseSpec, StrictModel
from tinylab.tasks.base import Dataset, ProgressFactory, ReportSection, Split
from tinylab.tasks.word_rarity import behaviour, features, lexicon
from tinylab.tasks.word_rarity.lexicon import rarity

if TYPE_CHECKING:
    from torch import nn

    from tinylab.predict import Predictor

BANDS = 5  # Zipf 1-2, 2-3, 3-4, 4-5, >= 5


class WordRarityData(StrictModel):
    language: str = Field("en", description="a language with a packaged word list: en, de, fr, es")
    train_words: int = Field(0, ge=0, description="training words; 0 = every word not in validation or test")
    val_words: int = Field(16_000, ge=10)
    test_words: int = Field(32_000, ge=10)
    split_seed: int = 42
    band_weight: float = Field(0.5, ge=0, le=1, description="repeat the training words of each Zipf band "
                               "(size n) (n_largest / n) ** band_weight times: 0 = as listed, 1 = every band alike")

    @field_validator("language")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in lexicon.LANGUAGES:
            raise ValueError(f"no word list for {v!r}; available: {', '.join(lexicon.LANGUAGES)}")
        return v


class RarityNetSpec(StrictModel):
    name: Literal["rarity_net"] = "rarity_net"
    max_len: int = Field(24, ge=4, le=256, description="bytes of a word the model reads")
    buckets: int = Field(1024, ge=16, description="hashed byte n-gram buckets")
    max_n: int = Field(4, ge=1, le=6, description="longest byte n-gram hashed")
    dim: int = Field(2, ge=1, description="size of an n-gram's embedding")
    trigram_buckets: int = Field(0, ge=0, description="hashed trigram language-model table; 0 = bigram only")
    hidden: int = Field(16, ge=1)
    ngram_init: Literal["random", "ridge"] = Field("random", description="how the n-gram table starts: small "
                                                   "random values, or (its first column) a ridge regression of "
                                                   "rarity on the hashed n-grams")


class WordRaritySpec(BaseSpec):
    task: Literal["word-rarity"] = "word-rarity"
    data: WordRarityData = WordRarityData()
    model: RarityNetSpec = RarityNetSpec()


def zipf_band(y: np.ndarray) -> np.ndarray:
    zipf = 1.0 + 7.0 * (1.0 - np.asarray(y, dtype=np.float64))
    return np.clip(np.floor(zipf + 1e-9).astype(np.int64), 1, BANDS) - 1


@lru_cache(maxsize=4)
def _split(language: str, sizes: tuple[int, int, int], seed: int) -> dict[str, np.ndarray]:
    words, zipf = lexicon.load(language)
    held = behaviour.listed_words(language)
    usable = np.array([w not in held for w in words])
    band = zipf_band(rarity(zipf))
    a, b, c = sizes
    total = int(usable.sum())
    if b + c + (a or 1) > total:
        raise ValueError(f"{a + b + c} words asked for but the {language} list has {total}")
    rng = np.random.default_rng(seed)
    parts: dict[str, list[np.ndarray]] = {"train": [], "val": [], "test": []}
    for k in range(BANDS):
        idx = np.flatnonzero(usable & (band == k))
        idx = idx[rng.permutation(len(idx))]
        nv, nt = round(b * len(idx) / total), round(c * len(idx) / total)
        parts["val"].append(idx[:nv])
        parts["test"].append(idx[nv:nv + nt])
        parts["train"].append(idx[nv + nt:])
    out = {k: np.sort(np.concatenate(v)) for k, v in parts.items()}
    if a:
        if a > len(out["train"]):
            raise ValueError(f"{a} training words asked for but only {len(out['train'])} are left")
        out["train"] = np.sort(rng.choice(out["train"], a, replace=False))
    return out


def _band_repeated(idx: np.ndarray, language: str, weight: float) -> np.ndarray:
    """``idx`` with each word of Zipf band k repeated round((n_largest / n_k) ** weight) times."""
    _, zipf = lexicon.load(language)
    band = zipf_band(rarity(zipf[idx]))
    sizes = np.bincount(band, minlength=BANDS).astype(np.float64)
    times = np.rint((sizes.max() / np.maximum(sizes, 1)) ** weight).astype(np.int64)
    return np.repeat(idx, times[band])


def banded_sample(y: np.ndarray, seed: int = 0) -> np.ndarray:
    """Indices of as many items from each Zipf band as the smallest band has (seeded)."""
    band = zipf_band(y)
    m = min(int((band == k).sum()) for k in range(BANDS))
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.permutation(np.flatnonzero(band == k))[:m] for k in range(BANDS)])


def ridge_baseline(train: Sequence[str], y_train: np.ndarray, test: Sequence[str]) -> np.ndarray:
    """Hashed character n-grams (1-4, within word boundaries, 2^18 features) and ridge regression, fitted on
    the same training items as the model (a repeated word counts as often as it is repeated)."""
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.linear_model import Ridge

    first: dict[str, int] = {}
    weight: dict[str, int] = {}
    for i, w in enumerate(train):
        first.setdefault(w, i)
        weight[w] = weight.get(w, 0) + 1
    words = list(first)
    hv = HashingVectorizer(analyzer="char_wb", ngram_range=(1, 4), n_features=2**18, alternate_sign=False)
    model = Ridge(alpha=1.0).fit(hv.transform(words), np.asarray(y_train)[[first[w] for w in words]],
                                 sample_weight=np.array([weight[w] for w in words], dtype=np.float64))
    return np.asarray(model.predict(hv.transform(list(test))))


class WordRarityTask:
    name = "word-rarity"
    kind = "regression"
    summary = ("how rare a word is, any word (regression in [0, 1]); exact word list + an n-gram and "
               "character-language-model network")
    spec_class = WordRaritySpec
    concurrent_encode = True  # encode is pure numpy: prediction may run chunks on threads
    report_metrics = ("spearman_banded", "baseline_ridge_spearman", "baseline_ridge_spearman_banded",
                      "behaviour_model_auc_random_over_pseudo", "behaviour_model_auc_pseudo_over_common",
                      "behaviour_hybrid_auc_typo_over_word")

    def default_spec(self) -> dict[str, Any]:
        return {
            "task": self.name,
            "data": WordRarityData().model_dump(),
            "model": RarityNetSpec().model_dump(),
            "train": {"epochs": 20, "batch_size": 512, "lr": 1e-2, "patience": 4, "weight_decay": 0.0},
            "targets": {"spearman": 0.50, "spearman_banded": 0.75,
                        "behaviour_model_auc_random_over_pseudo": 0.95,
                        "behaviour_model_auc_pseudo_over_common": 0.95,
                        "behaviour_hybrid_auc_typo_over_word": 0.95},
            "tune": {"train.lr": {"low": 1e-3, "high": 1e-2, "log": True},
                     "model.buckets": {"choices": [512, 1024, 2048]},
                     "model.hidden": {"choices": [8, 16, 32]}},
        }

    def label_names(self, spec: BaseSpec) -> list[str]:
        return ["rarity"]

    def load_split(self, spec: BaseSpec, split: Split, progress: ProgressFactory | None = None) -> Dataset:
        assert isinstance(spec, WordRaritySpec)
        d = spec.data
        try:
            idx = _split(d.language, (d.train_words, d.val_words, d.test_words), d.split_seed)[split]
        except ValueError as e:
            from tinylab.errors import SpecError

            raise SpecError(f"data: {e}") from None
        if split == "train" and d.band_weight > 0:
            idx = _band_repeated(idx, d.language, d.band_weight)
        words, zipf = lexicon.load(d.language)
        advance = progress(f"words for {split} ({len(idx)})", 1) if progress else None
        if advance:
            advance(1)
        return Dataset([words[i] for i in idx], rarity(zipf[idx]),
                       source=f"wordfreq {lexicon.WORDFREQ_VERSION} {d.language} 'large' list, disjoint word "
                              f"split stratified by Zipf band, seed {d.split_seed}",
                       info={"language": d.language, "zipf": zipf[idx]})

    def build_model(self, spec: BaseSpec, n_outputs: int) -> nn.Module:
        """The network, its language-model tables counted from the training words (a pure function of the
        spec: the same tables every time)."""
        from tinylab.tasks.word_rarity.model import RarityNet

        assert isinstance(spec, WordRaritySpec)
        m = spec.model
        net = RarityNet(m.buckets, m.dim, m.hidden, m.trigram_buckets)
        train = self.load_split(spec, "train")
        net.initialize(train.inputs, train.info["zipf"], m.max_len, m.max_n, spec.train.seed, m.ngram_init)
        return net

    def encode(self, spec: BaseSpec, inputs: Sequence[str]) -> tuple[np.ndarray, ...]:
        assert isinstance(spec, WordRaritySpec)
        m = spec.model
        return features.encode(inputs, m.max_len, m.buckets, m.max_n)

    def postprocess(self, spec: BaseSpec, inputs: Sequence[str], proba: np.ndarray, labels: list[str]) -> np.ndarray:
        """Rarity is in [0, 1]: the model's sigmoid already is; this holds it there whatever the runtime."""
        return np.clip(np.nan_to_num(proba, nan=1.0), 0.0, 1.0)

    def check_item(self, item: str) -> str | None:
        """Why ``item`` cannot be scored, or None: a word needs a character other than white space."""
        return None if features.normalize(item) else "an empty or blank word has no rarity; give a word"

    def known_values(self, spec: BaseSpec, inputs: Sequence[str]) -> np.ndarray:
        """The word list's rarity for the words it has (looked up normalized: NFC, case-folded, stripped),
        NaN for the others: for a listed word the list is the answer; the model is for words it lacks."""
        assert isinstance(spec, WordRaritySpec)
        table = lexicon.table(spec.data.language)
        return np.array([table.get(features.normalize(w), np.nan) for w in inputs], dtype=np.float64)

    def extra_evaluation(
        self, spec: BaseSpec, labels: list[str], y_true: np.ndarray, proba: np.ndarray,
        thresholds: np.ndarray | None = None,
    ) -> tuple[dict[str, Any], list[ReportSection]]:
        assert isinstance(spec, WordRaritySpec)
        test = self.load_split(spec, "test")
        train = self.load_split(spec, "train")
        y = np.asarray(y_true, dtype=np.float64)
        pred = proba[:, 0]
        ridge = ridge_baseline(train.inputs, train.targets, test.inputs)
        length = np.array([len(w) for w in test.inputs], dtype=np.float64)
        banded = banded_sample(y, spec.train.seed)

        def rho(p: np.ndarray, idx: np.ndarray | None = None) -> float:
            return regression_metrics(y if idx is None else y[idx], p if idx is None else p[idx])["spearman"]

        metrics = {"spearman_banded": rho(pred, banded), "banded_words": len(banded),
                   "baseline_ridge_spearman": rho(ridge), "baseline_ridge_spearman_banded": rho(ridge, banded),
                   "baseline_length_spearman": rho(length), "baseline_length_spearman_banded": rho(length, banded),
                   "output_min": float(pred.min()), "output_max": float(pred.max())}
        md = (
            "| predictor | Spearman (random test words) | Spearman (band-balanced) |\n|---|---|---|\n"
            f"| this model | {rho(pred):.4f} | "
            f"{metrics['spearman_banded']:.4f} |\n"
            f"| hashed char n-gram ridge (1-4-grams, 2^18 features), same split | "
            f"{metrics['baseline_ridge_spearman']:.4f} | {metrics['baseline_ridge_spearman_banded']:.4f} |\n"
            f"| word length alone (longer = rarer) | {metrics['baseline_length_spearman']:.4f} | "
            f"{metrics['baseline_length_spearman_banded']:.4f} |\n\n"
            f"Every test word is absent from training and validation. The random test words are mostly rare "
            f"(most entries of a frequency list are); the band-balanced sample takes {len(banded) // BANDS} test "
            "words from each band of Zipf frequency (1-2, 2-3, 3-4, 4-5, 5 and above). Model outputs on the test "
            f"words lie in [{metrics['output_min']:.4f}, {metrics['output_max']:.4f}].\n"
        )
        return metrics, [ReportSection("Against the baselines", md)]

    def probe_evaluation(self, spec: BaseSpec, predictor: Predictor) -> tuple[dict[str, Any], list[ReportSection]]:
        """The behavioural suite, for the model alone and for the hybrid (word list first)."""
        assert isinstance(spec, WordRaritySpec)
        s = behaviour.suite(spec.data.language)

        def model(words: list[str]) -> np.ndarray:
            return predictor.predict_proba(words)[:, 0]

        def hybrid(words: list[str]) -> np.ndarray:
            known = self.known_values(spec, words)
            return np.where(np.isnan(known), model(words), known)

        m = behaviour.evaluate(s, model, "behaviour_model")
        h = behaviour.evaluate(s, hybrid, "behaviour_hybrid")
        return {**m, **h}, [ReportSection("Behavioural suite", behaviour.report(s, m, h))]
