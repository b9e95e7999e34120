"""Metrics as pure functions over arrays. Single-label classification for now; headline metrics carry
95% bootstrap confidence intervals (percentile method, seeded)."""

from __future__ import annotations

from typing import Any

import numpy as np


def topk_hits(y_true: np.ndarray, proba: np.ndarray, k: int) -> np.ndarray:
    """Per item, 1.0 if the true class is among the ``k`` most probable."""
    k = min(k, proba.shape[1])
    top = np.argpartition(-proba, k - 1, axis=1)[:, :k]
    return (top == y_true[:, None]).any(axis=1).astype(np.float64)


def bootstrap_mean_ci(values: np.ndarray, n_boot: int = 1000, seed: int = 0, alpha: float = 0.05,
                      ) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of per-item ``values``."""
    n = len(values)
    if n == 0:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    means = np.empty(n_boot)
    for start in range(0, n_boot, 100):  # chunks bound memory at 100 x n indices
        stop = min(start + 100, n_boot)
        idx = rng.integers(0, n, size=(stop - start, n))
        means[start:stop] = values[idx].mean(axis=1)
    lo, hi = np.quantile(means, [alpha / 2, 1 - alpha / 2])
    return float(lo), float(hi)


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    cm = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(cm, (y_true, y_pred), 1)
    return cm


def per_class_prf(cm: np.ndarray) -> dict[str, np.ndarray]:
    tp = np.diag(cm).astype(np.float64)
    support = cm.sum(axis=1).astype(np.float64)
    predicted = cm.sum(axis=0).astype(np.float64)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, support, out=np.zeros_like(tp), where=support > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp), where=denom > 0)
    return {"precision": precision, "recall": recall, "f1": f1, "support": support, "predicted": predicted}


def most_confused(cm: np.ndarray, labels: list[str], top: int = 15) -> list[dict[str, Any]]:
    """The largest off-diagonal cells: (true, predicted, count, share of the true class)."""
    off = cm.copy()
    np.fill_diagonal(off, 0)
    flat = np.argsort(-off, axis=None)[:top]
    out = []
    support = cm.sum(axis=1)
    for idx in flat:
        i, j = np.unravel_index(idx, off.shape)
        if off[i, j] == 0:
            break
        out.append({"true": labels[i], "predicted": labels[j], "count": int(off[i, j]),
                    "share": float(off[i, j] / max(support[i], 1))})
    return out


def single_label_metrics(y_true: np.ndarray, proba: np.ndarray, labels: list[str], ks: tuple[int, ...] = (3, 5),
                         n_boot: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Accuracy and top-k with intervals, macro/weighted P/R/F1, per-class table, most confused pairs."""
    y_pred = proba.argmax(axis=1)
    n_classes = len(labels)
    correct = (y_pred == y_true).astype(np.float64)
    out: dict[str, Any] = {"n": len(y_true)}
    out["accuracy"] = float(correct.mean()) if len(correct) else float("nan")
    out["accuracy_ci_low"], out["accuracy_ci_high"] = bootstrap_mean_ci(correct, n_boot, seed)
    for k in ks:
        hits = topk_hits(y_true, proba, k)
        out[f"top{k}_accuracy"] = float(hits.mean()) if len(hits) else float("nan")
        out[f"top{k}_accuracy_ci_low"], out[f"top{k}_accuracy_ci_high"] = bootstrap_mean_ci(hits, n_boot, seed)
    cm = confusion_matrix(y_true, y_pred, n_classes)
    prf = per_class_prf(cm)
    present = prf["support"] > 0
    weights = prf["support"] / max(prf["support"].sum(), 1)
    for name in ("precision", "recall", "f1"):
        out[f"macro_{name}"] = float(prf[name][present].mean()) if present.any() else float("nan")
        out[f"weighted_{name}"] = float((prf[name] * weights).sum())
    out["per_class"] = {
        lab: {"precision": float(prf["precision"][i]), "recall": float(prf["recall"][i]),
              "f1": float(prf["f1"][i]), "support": int(prf["support"][i]), "predicted": int(prf["predicted"][i])}
        for i, lab in enumerate(labels)
    }
    out["most_confused"] = most_confused(cm, labels)
    out["never_predicted"] = [lab for i, lab in enumerate(labels) if prf["predicted"][i] == 0 and present[i]]
    return out


def check_targets(metrics: dict[str, Any], targets: dict[str, float]) -> dict[str, dict[str, Any]]:
    """Each target ``metric >= goal``: met only if the measured value reaches the goal (no rounding)."""
    out = {}
    for name, goal in targets.items():
        value = metrics.get(name)
        met = isinstance(value, int | float) and not np.isnan(value) and value >= goal
        out[name] = {"goal": goal, "value": value, "met": bool(met)}
    return out
