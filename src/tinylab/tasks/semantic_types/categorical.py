"""The column model: is a column *categorical*, a small closed vocabulary that no single value's type names?

A column of ``earthquake`` / ``explosion`` / ``quarry blast`` repeated over 200 rows is a category; value by
value, the char-CNN can only call each word a username, a last name or a word. A column of 19 first names
repeated over 100 rows is still a first-name column. Cardinality alone cannot tell these apart (a threshold
rule on real tables broke name columns), so this is a small learned model over
column-level evidence, trained on generated columns only:

* **categorical columns** (positives): a vocabulary of 2-40 values (common English words, multi-word phrases,
  letter codes, letter-digit codes, a shared prefix with a varying part; one casing per column), each value
  repeated (at least 3 rows per distinct value on average), with skewed frequencies;
* **typed columns** (negatives): every label of the value model, drawn from its own generator, both as
  generated (its natural repetition: gender codes repeat, UUIDs do not) and as a small pool of its values
  repeated like a category (a table that repeats 19 first names, 5 countries, 3 HTTP methods).

Its input is what profiling already has: the value model's mean probabilities over the column (the vote) plus
16 statistics (distinct share, repetition, confidence, agreement, entropy, character classes, lengths). A
one-hidden-layer MLP in torch; the weights are written with safetensors beside the value model
(``columns.safetensors``) with its figures on generated validation and test columns (``columns.json``).
Nothing from a real table is used to fit it. A column is only judged when it repeats its values at least 3
times on average (the positives' definition): a column of 200 distinct codes is never a category.
"""

from __future__ import annotations

import json
import math
import string
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from tinylab.errors import TinylabError

CATEGORICAL = "representation.discrete.categorical"
WEIGHTS_FILE = "columns.safetensors"
INFO_FILE = "columns.json"
MIN_ROWS_PER_VALUE = 3  # a categorical column has at least 3 rows per distinct value on average
MAX_ROWS = 200  # profiling samples at most this many values per column (its default --sample)

# a small pool of these values *is* a categorical column by definition: no pooled negatives for them
OPEN_WORDS = ("representation.text.word",)

STATS = ("distinct_share", "log_distinct", "log_rows", "top_share", "repeated_share", "mean_max_proba",
         "agreement", "entropy", "alpha_only", "digits_only", "has_space", "has_digit", "upper_only",
         "mean_length", "std_length", "short_share")


# --------------------------------------------------------------------------------------------
# generated columns


@cache
def _english_words() -> tuple[str, ...]:
    import wordfreq

    return tuple(w for w in wordfreq.top_n_list("en", 20000) if w.isascii() and w.isalpha() and len(w) >= 3)


def _cased(words: list[str], style: str) -> str:
    joiner = {"space": " ", "snake": "_", "kebab": "-", "amp": " & ", "slash": "/"}[style.split(":")[1]]
    case = style.split(":")[0]
    if case == "upper":
        words = [w.upper() for w in words]
    elif case == "title":
        words = [w.title() for w in words]
    return joiner.join(words)


def _vocabulary(rng: np.random.Generator, k: int) -> list[str]:
    """``k`` distinct category values of one randomly chosen shape and style."""
    words = _english_words()
    shape = rng.choice(["word", "phrase", "letters", "alnum", "prefixed"], p=[0.35, 0.2, 0.15, 0.1, 0.2])
    case = str(rng.choice(["lower", "title", "upper"], p=[0.45, 0.4, 0.15]))
    joiner = str(rng.choice(["space", "snake", "kebab", "amp", "slash"], p=[0.5, 0.2, 0.15, 0.1, 0.05]))
    style = f"{case}:{joiner}"
    width = int(rng.integers(1, 5))
    prefix = str(words[int(rng.integers(0, 3000))])
    vocab: dict[str, None] = {}
    for _ in range(50 * k):
        if len(vocab) == k:
            break
        if shape == "word":
            v = _cased([str(words[int(rng.integers(0, len(words)))])], style)
        elif shape == "phrase":
            n = int(rng.integers(2, 4))
            v = _cased([str(words[int(rng.integers(0, 8000))]) for _ in range(n)], style)
        elif shape == "letters":
            w = width if rng.random() < 0.8 else int(rng.integers(1, 5))
            v = "".join(rng.choice(list(string.ascii_lowercase), size=w))
            v = v.upper() if case != "lower" else v
        elif shape == "alnum":
            letters = "".join(rng.choice(list(string.ascii_uppercase), size=int(rng.integers(1, 3))))
            sep = "" if joiner == "space" else {"snake": "_", "kebab": "-", "amp": "", "slash": "/"}[joiner]
            v = f"{letters}{sep}{int(rng.integers(0, 100))}"
        else:  # a shared prefix and a varying part: "Type A", "grade-3", "iris setosa"
            part = (str(words[int(rng.integers(0, 8000))]) if rng.random() < 0.6
                    else str(rng.choice(list(string.ascii_uppercase))) if rng.random() < 0.5
                    else str(int(rng.integers(1, 20))))
            v = _cased([prefix, part], style)
        vocab[v] = None
    return list(vocab)


def _repeat(rng: np.random.Generator, pool: Sequence[str], n: int) -> list[str]:
    """``n`` rows drawn from ``pool`` with skewed (Dirichlet) frequencies, every pool value at least once."""
    k = len(pool)
    weights = rng.dirichlet(np.full(k, float(rng.choice([0.5, 1.0, 3.0]))))
    idx = np.concatenate([np.arange(k), rng.choice(k, size=max(0, n - k), p=weights)])
    rng.shuffle(idx)
    return [pool[i] for i in idx[:n]]


def _rows(rng: np.random.Generator, lo: int = 10) -> int:
    return round(math.exp(rng.uniform(math.log(lo), math.log(MAX_ROWS))))


def categorical_column(rng: np.random.Generator) -> list[str]:
    """A generated categorical column: 2-40 distinct values, at least 3 rows per distinct value on average."""
    k = round(math.exp(rng.uniform(math.log(2), math.log(40))))
    n = min(max(_rows(rng), MIN_ROWS_PER_VALUE * k), MAX_ROWS)
    vocab = _vocabulary(rng, min(k, n // MIN_ROWS_PER_VALUE))
    return _repeat(rng, vocab, n)


def typed_column(rng: np.random.Generator, label: str, batch: Sequence[str]) -> list[str]:
    """A column of one type from ``batch`` (that type's generated values): as generated, or as a small pool
    of its values repeated like a category (a table that repeats a handful of names or countries)."""
    n = min(_rows(rng), len(batch))
    if label in OPEN_WORDS or rng.random() < 0.5:
        idx = rng.choice(len(batch), size=n, replace=False)
        return [batch[i] for i in idx]
    distinct = list(dict.fromkeys(batch))
    k = min(len(distinct), max(2, round(math.exp(rng.uniform(math.log(2), math.log(40))))))
    pool = [distinct[i] for i in rng.choice(len(distinct), size=k, replace=False)]
    return _repeat(rng, pool, max(n, 2 * k))


def generated_columns(labels: Sequence[str], seed: int, per_label: int, positives: int,
                      advance: Callable[[int], None] | None = None) -> tuple[list[list[str]], np.ndarray]:
    """``per_label`` typed columns of every label and ``positives`` categorical columns; targets 1 = categorical."""
    from tinylab.tasks.semantic_types.generators import generate  # Faker: the train extra

    rng = np.random.default_rng(seed)
    columns: list[list[str]] = []
    for label in labels:
        batch = generate(label, 2 * MAX_ROWS, seed)
        columns.extend(typed_column(rng, label, batch) for _ in range(per_label))
        if advance:
            advance(1)
    n_typed = len(columns)
    columns.extend(categorical_column(rng) for _ in range(positives))
    return columns, np.concatenate([np.zeros(n_typed), np.ones(positives)]).astype(np.float32)


# --------------------------------------------------------------------------------------------
# features


def repeats_enough(values: Sequence[str]) -> bool:
    """Whether a column repeats its values as a categorical column must (at least 3 rows per distinct value
    on average); the column model only judges such columns."""
    return len(set(values)) * MIN_ROWS_PER_VALUE <= len(values)


def column_features(values: Sequence[str], proba: np.ndarray) -> np.ndarray:
    """The model's input for one column: its ``proba`` rows' mean (one per label) and the 16 ``STATS``."""
    n = len(values)
    mean = proba.mean(axis=0)
    winner = int(mean.argmax())
    counts = Counter(values)
    distinct = list(counts)
    d = len(distinct)
    lengths = np.array([len(v) for v in distinct], dtype=np.float64)
    p = np.clip(proba, 1e-9, 1.0)
    entropy = float((-(p * np.log(p)).sum(axis=1)).mean() / math.log(proba.shape[1]))
    stats = [
        d / n,
        math.log(d) / math.log(MAX_ROWS),
        math.log(n) / math.log(MAX_ROWS),
        max(counts.values()) / n,
        sum(c for c in counts.values() if c > 1) / n,
        float(proba.max(axis=1).mean()),
        float((proba.argmax(axis=1) == winner).mean()),
        entropy,
        sum(v.isalpha() for v in distinct) / d,
        sum(v.isdigit() for v in distinct) / d,
        sum(" " in v for v in distinct) / d,
        sum(any(c.isdigit() for c in v) for v in distinct) / d,
        sum(v.isupper() for v in distinct) / d,
        min(float(lengths.mean()) / 32.0, 2.0),
        min(float(lengths.std()) / 16.0, 2.0),
        float((lengths <= 3).mean()),
    ]
    return np.concatenate([mean, np.asarray(stats)]).astype(np.float32)


# --------------------------------------------------------------------------------------------
# the model


@dataclass
class ColumnModel:
    labels: list[str]
    tensors: dict[str, np.ndarray]  # mean, std (feature scaling), w1, b1, w2, b2
    threshold: float

    def probability(self, features: np.ndarray) -> np.ndarray:
        """P(categorical) for each row of ``features``."""
        t = self.tensors
        x = (np.atleast_2d(features) - t["mean"]) / t["std"]
        h = np.maximum(x @ t["w1"].T + t["b1"], 0.0)
        z = np.clip((h @ t["w2"].T + t["b2"])[:, 0], -50.0, 50.0)
        return 1.0 / (1.0 + np.exp(-z))

    def is_categorical(self, values: Sequence[str], proba: np.ndarray) -> tuple[bool, float]:
        """Whether the column is categorical, and P(categorical); 0 for a column that does not repeat its
        values at least 3 times on average (the definition the model was trained on: a vocabulary much
        smaller than the rows), where the model would only extrapolate."""
        if not repeats_enough(values):
            return False, 0.0
        p = float(self.probability(column_features(values, proba))[0])
        return p >= self.threshold, p

    def save(self, directory: Path, info: dict[str, Any]) -> None:
        from safetensors.numpy import save_file

        save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in self.tensors.items()},
                  str(directory / WEIGHTS_FILE))
        body = {"labels": self.labels, "threshold": self.threshold, "stats": list(STATS)} | info
        (directory / INFO_FILE).write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: Path, labels: Sequence[str]) -> ColumnModel | None:
        """The column model saved in ``directory`` (a verified run), or None when it has none."""
        weights, info_path = directory / WEIGHTS_FILE, directory / INFO_FILE
        if not weights.is_file():
            return None
        from safetensors.numpy import load_file

        try:
            info = json.loads(info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise TinylabError(f"{info_path}: cannot read the column model's description ({e})") from None
        if list(info.get("labels", [])) != list(labels):
            raise TinylabError(f"{info_path}: the column model was fitted for other labels than this run's value "
                               f"model; fit it again with `tinylab fit-columns {directory}`")
        return cls(list(labels), dict(load_file(str(weights))), float(info["threshold"]))


def _fit_mlp(x: np.ndarray, y: np.ndarray, seed: int, hidden: int, epochs: int) -> dict[str, np.ndarray]:
    import torch

    torch.manual_seed(seed)
    mean = x.mean(axis=0)
    std = x.std(axis=0) + 1e-3
    xt = torch.from_numpy((x - mean) / std).float()
    yt = torch.from_numpy(y).float()
    net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1))
    opt = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=1e-2)
    # typed columns outnumber categorical ones; weight the positives so both classes count equally
    pos_weight = torch.tensor([(len(y) - y.sum()) / max(1.0, float(y.sum()))])
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        perm = torch.randperm(len(yt), generator=gen)
        for start in range(0, len(perm), 256):
            idx = perm[start:start + 256]
            opt.zero_grad()
            loss = loss_fn(net(xt[idx])[:, 0], yt[idx])
            loss.backward()
            opt.step()
    w1, b1, w2, b2 = (p.detach().numpy().copy() for p in net.parameters())
    return {"mean": mean.astype(np.float32), "std": std.astype(np.float32), "w1": w1, "b1": b1, "w2": w2, "b2": b2}


def _scores(p: np.ndarray, y: np.ndarray, threshold: float) -> dict[str, float]:
    pred = p >= threshold
    tp = float((pred & (y == 1)).sum())
    precision = tp / max(1.0, float(pred.sum()))
    recall = tp / max(1.0, float((y == 1).sum()))
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    fpr = float((pred & (y == 0)).sum()) / max(1.0, float((y == 0).sum()))
    return {"precision": precision, "recall": recall, "f1": f1, "typed_columns_called_categorical": fpr}


def featurize(predict_proba: Callable[[list[str]], np.ndarray], columns: list[list[str]]) -> np.ndarray:
    """Every column's features, classifying each distinct value once (as profiling does)."""
    uniq = list(dict.fromkeys(v for col in columns for v in col))
    index = {v: i for i, v in enumerate(uniq)}
    proba = predict_proba(uniq)
    return np.stack([column_features(col, proba[[index[v] for v in col]]) for col in columns])


def fit_column_model(predict_proba: Callable[[list[str]], np.ndarray], labels: list[str], *,
                     per_label: int = 30, positives: int | None = None, hidden: int = 64, epochs: int = 40,
                     seeds: tuple[int, int, int] = (1001, 1002, 1003),
                     progress: Callable[[str, int], Callable[[int], None]] | None = None,
                     ) -> tuple[ColumnModel, dict[str, Any]]:
    """Fit on generated columns (train seed), record F1 by threshold on validation columns, and measure on
    test columns; each split is drawn from its own seed, also for the value generators."""
    positives = positives if positives is not None else max(200, per_label * len(labels) // 2)
    splits: dict[str, tuple[np.ndarray, np.ndarray, list[list[str]]]] = {}
    n_per: dict[str, int] = {}  # typed columns per label in each split
    for name, seed, scale in zip(("train", "val", "test"), seeds, (1.0, 0.34, 0.34), strict=True):
        n_per[name] = max(1, round(per_label * scale))
        advance = progress(f"generating {name} columns (seed {seed})", len(labels)) if progress else None
        cols, y = generated_columns(labels, seed, n_per[name], max(20, round(positives * scale)), advance)
        splits[name] = (featurize(predict_proba, cols), y, cols)
    x_train, y_train, _ = splits["train"]
    tensors = _fit_mlp(x_train, y_train, seeds[0], hidden, epochs)
    model = ColumnModel(list(labels), tensors, 0.5)

    def judged(split: str) -> np.ndarray:  # as profiling judges: a column that does not repeat enough is not
        x, _, cols = splits[split]
        return model.probability(x) * np.array([repeats_enough(c) for c in cols])

    _, y_val, _ = splits["val"]
    p_val = judged("val")
    # the threshold stays 0.5, the decision boundary of a model trained with both classes weighted equally:
    # validation F1 is flat over a wide range (0.986-0.989 from 0.1 to 0.7 for the 240- and the 151-type
    # model), so generated columns cannot choose one; the curve is recorded in the model's info
    grid = np.linspace(0.05, 0.95, 19)
    curve = {f"{t:.2f}": round(_scores(p_val, y_val, float(t))["f1"], 4) for t in grid}
    _, y_test, _ = splits["test"]
    p_test = judged("test")
    n_typed = int((y_test == 0).sum())
    wrong: Counter[str] = Counter()
    for i in np.flatnonzero(p_test[:n_typed] >= model.threshold):
        wrong[labels[i // n_per["test"]]] += 1  # typed columns come label by label
    info = {
        "threshold": model.threshold,
        "threshold_note": "0.5: the model is trained with both classes weighted equally, and F1 on generated "
                          "validation columns is flat over a wide range of thresholds (validation_f1_by_threshold)",
        "validation_f1_by_threshold": curve,
        "columns": {name: {"typed": int((s[1] == 0).sum()), "categorical": int(s[1].sum())}
                    for name, s in splits.items()},
        "validation": _scores(p_val, y_val, model.threshold),
        "test": _scores(p_test, y_test, model.threshold),
        "test_typed_called_categorical_by_label": dict(wrong.most_common()),
        "seeds": {"train": seeds[0], "val": seeds[1], "test": seeds[2]},
        "hidden": hidden, "epochs": epochs, "per_label": per_label,
    }
    return model, info


def fit_columns_run(run_or_task: str, progress: Callable[[str, int], Callable[[int], None]] | None = None,
                    per_label: int = 30) -> tuple[Path, dict[str, Any]]:
    """Fit the column model of a semantic-types run (or shipped model) and write it into the run, through
    ``rewrite_verified``: a failure leaves the run as it was. Returns the run directory and the model's info."""
    from tinylab.predict import Predictor, resolve_run
    from tinylab.runs import rewrite_verified

    run_dir = resolve_run(run_or_task)
    try:
        task = json.loads((run_dir / "meta.json").read_text(encoding="utf-8")).get("task")
    except (OSError, ValueError):
        task = None  # Predictor.from_run says what is wrong with the run
    if task is not None and task != "semantic-types":
        raise TinylabError(f"{run_dir}: a column model is for semantic-types runs; this run is {task}")
    predictor = Predictor.from_run(run_dir)
    model, info = fit_column_model(predictor.predict_proba, predictor.labels, per_label=per_label,
                                   progress=progress)
    info["command"] = f"tinylab fit-columns {run_or_task}" + (f" --per-label {per_label}" if per_label != 30 else "")
    rewrite_verified(run_dir, lambda tmp: model.save(tmp, info))
    return run_dir, info
