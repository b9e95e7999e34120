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


# --------------------------------------------------------------------------------------------
# multi-label, binary, regression (pure functions; used by tasks of those kinds)


def _prf(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tp, fp, fn = (np.asarray(a, dtype=np.float64) for a in (tp, fp, fn))
    p = np.divide(tp, tp + fp, out=np.zeros_like(tp), where=(tp + fp) > 0)
    r = np.divide(tp, tp + fn, out=np.zeros_like(tp), where=(tp + fn) > 0)
    f = np.divide(2 * p * r, p + r, out=np.zeros_like(tp), where=(p + r) > 0)
    return p, r, f


def multilabel_metrics(y_true: np.ndarray, y_pred: np.ndarray, labels: list[str]) -> dict[str, Any]:
    """``y_true``/``y_pred``: (n, L) 0/1 arrays. Per-label P/R/F1, micro and macro F1, subset accuracy,
    Hamming loss."""
    t, p = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    tp, fp, fn = (t & p).sum(0), (~t & p).sum(0), (t & ~p).sum(0)
    prec, rec, f1 = _prf(tp, fp, fn)
    _, _, micro = _prf(np.array([tp.sum()]), np.array([fp.sum()]), np.array([fn.sum()]))
    return {
        "micro_f1": float(micro[0]),
        "macro_f1": float(f1.mean()) if len(labels) else float("nan"),
        "subset_accuracy": float((t == p).all(axis=1).mean()),
        "hamming_loss": float((t != p).mean()),
        "per_label": {lab: {"precision": float(prec[i]), "recall": float(rec[i]), "f1": float(f1[i]),
                            "support": int(t[:, i].sum()), "predicted": int(p[:, i].sum())}
                      for i, lab in enumerate(labels)},
        "never_predicted": [lab for i, lab in enumerate(labels) if not p[:, i].any()],
    }


def roc_auc(y_true: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney U, ties counted half)."""
    y = np.asarray(y_true).astype(bool)
    s = np.asarray(score, dtype=np.float64)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    sorted_s = s[order]
    # average ranks over ties
    _, first, counts = np.unique(sorted_s, return_index=True, return_counts=True)
    avg = first + (counts - 1) / 2.0 + 1
    ranks[order] = np.repeat(avg, counts)
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def pr_auc(y_true: np.ndarray, score: np.ndarray) -> float:
    """Average precision: the step-wise area under the precision-recall curve."""
    y = np.asarray(y_true).astype(bool)
    if not y.any():
        return float("nan")
    order = np.argsort(-np.asarray(score, dtype=np.float64), kind="mergesort")
    hits = y[order].astype(np.float64)
    tp = np.cumsum(hits)
    precision = tp / np.arange(1, len(hits) + 1)
    return float((precision * hits).sum() / hits.sum())


def binary_metrics(y_true: np.ndarray, score: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    y = np.asarray(y_true).astype(bool)
    pred = np.asarray(score) >= threshold
    p, r, f = _prf(np.array([(y & pred).sum()]), np.array([(~y & pred).sum()]), np.array([(y & ~pred).sum()]))
    return {"roc_auc": roc_auc(y, score), "pr_auc": pr_auc(y, score), "f1": float(f[0]),
            "precision": float(p[0]), "recall": float(r[0]), "threshold": float(threshold)}


def best_threshold(y_true: np.ndarray, score: np.ndarray, grid: np.ndarray | None = None) -> tuple[float, float]:
    """The threshold maximizing F1 on the given (validation!) labels, and that F1. Ties go to the lowest."""
    grid = np.linspace(0.05, 0.95, 19) if grid is None else grid
    y = np.asarray(y_true).astype(bool)
    best_t, best_f = float(grid[0]), -1.0
    for t in grid:
        f = binary_metrics(y, score, float(t))["f1"]
        if f > best_f + 1e-12:
            best_t, best_f = float(t), f
    return best_t, best_f


def tune_thresholds(y_val: np.ndarray, proba_val: np.ndarray, grid: np.ndarray | None = None
                    ) -> dict[str, Any]:
    """Global and per-label thresholds for multi-label outputs, chosen on the validation split only."""
    grid = np.linspace(0.05, 0.95, 19) if grid is None else grid
    y = np.asarray(y_val).astype(bool)
    global_t, global_f = grid[0], -1.0
    for t in grid:
        f = multilabel_metrics(y, proba_val >= t, [str(i) for i in range(y.shape[1])])["micro_f1"]
        if f > global_f + 1e-12:
            global_t, global_f = t, f
    per_label = [best_threshold(y[:, j], proba_val[:, j], grid)[0] for j in range(y.shape[1])]
    return {"global": float(global_t), "per_label": per_label}


def regression_metrics(y_true: np.ndarray, y_pred: np.ndarray, bands: int = 5) -> dict[str, float]:
    """Spearman, Pearson, MAE, RMSE, and Spearman averaged within equal-width bands of the target."""
    t, p = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)

    def spearman(a: np.ndarray, b: np.ndarray) -> float:
        if len(a) < 2:
            return float("nan")
        ra, rb = _rank(a), _rank(b)
        if ra.std() == 0 or rb.std() == 0:
            return float("nan")
        return float(np.corrcoef(ra, rb)[0, 1])

    edges = np.linspace(t.min(), t.max(), bands + 1) if len(t) else np.zeros(bands + 1)
    which = np.clip(np.digitize(t, edges[1:-1]), 0, bands - 1)
    per_band = [spearman(t[which == b], p[which == b]) for b in range(bands)]
    per_band = [v for v in per_band if not np.isnan(v)]
    pearson = float(np.corrcoef(t, p)[0, 1]) if len(t) > 1 and t.std() > 0 and p.std() > 0 else float("nan")
    return {"spearman": spearman(t, p), "pearson": pearson, "mae": float(np.abs(t - p).mean()),
            "rmse": float(np.sqrt(((t - p) ** 2).mean())),
            "spearman_stratified": float(np.mean(per_band)) if per_band else float("nan")}


def _rank(a: np.ndarray) -> np.ndarray:
    order = np.argsort(a, kind="mergesort")
    ranks = np.empty(len(a))
    _, first, counts = np.unique(a[order], return_index=True, return_counts=True)
    ranks[order] = np.repeat(first + (counts - 1) / 2.0, counts)
    return ranks
