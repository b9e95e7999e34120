"""Metrics as pure functions over arrays, for every task kind (single-label, multi-label, binary,
regression). Headline metrics carry 95% bootstrap confidence intervals (percentile method, seeded)."""

from __future__ import annotations

from collections.abc import Callable
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
    if n == 0 or n_boot <= 0:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    means = np.empty(n_boot)
    for start in range(0, n_boot, 100):  # chunks bound memory at 100 x n indices
        stop = min(start + 100, n_boot)
        idx = rng.integers(0, n, size=(stop - start, n))
        means[start:stop] = values[idx].mean(axis=1)
    lo, hi = np.quantile(means, [alpha / 2, 1 - alpha / 2])
    return float(lo), float(hi)


def bootstrap_many_ci(stats: Callable[[np.ndarray], dict[str, float]], n: int, n_boot: int = 1000, seed: int = 0,
                      alpha: float = 0.05) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap intervals of statistics of the items: ``stats(indices)`` returns each statistic
    on one resample of ``range(n)``; all are computed on the same ``n_boot`` resamples, and resamples where
    a statistic is undefined (NaN) are skipped for it."""
    if n == 0 or n_boot <= 0:
        return {}
    rng = np.random.default_rng(seed)
    draws = [stats(rng.integers(0, n, n)) for _ in range(n_boot)]
    out = {}
    for key in draws[0]:
        v = np.array([d[key] for d in draws], dtype=np.float64)
        v = v[~np.isnan(v)]
        lo, hi = np.quantile(v, [alpha / 2, 1 - alpha / 2]) if len(v) else (float("nan"), float("nan"))
        out[key] = (float(lo), float(hi))
    return out


def bootstrap_stat_ci(stat: Callable[[np.ndarray], float], n: int, n_boot: int = 1000, seed: int = 0,
                      alpha: float = 0.05) -> tuple[float, float]:
    """:func:`bootstrap_many_ci` for one statistic."""
    return bootstrap_many_ci(lambda idx: {"v": stat(idx)}, n, n_boot, seed, alpha).get("v", (float("nan"),) * 2)


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


def _plateau_middle(grid: np.ndarray, values: list[float]) -> tuple[float, float]:
    """The grid point in the middle of the widest run of grid points that all reach the best value: on a
    small validation split many thresholds tie, and the middle of a plateau is the choice least sensitive
    to where its edges happen to fall."""
    v = np.asarray(values)
    best = float(v.max())
    at_best = v >= best - 1e-12
    runs, start = [], None
    for i, flag in enumerate([*at_best.tolist(), False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((i - start, -start, start, i - 1))
            start = None
    _, _, lo, hi = max(runs)  # widest run; the lowest one among equally wide runs
    return float(grid[(lo + hi) // 2]), best


def best_threshold(y_true: np.ndarray, score: np.ndarray, grid: np.ndarray | None = None) -> tuple[float, float]:
    """The threshold maximizing F1 on the given (validation!) labels, and that F1. Among tied thresholds, the
    middle of the widest tied run."""
    grid = np.linspace(0.05, 0.95, 19) if grid is None else grid
    y = np.asarray(y_true).astype(bool)
    return _plateau_middle(grid, [binary_metrics(y, score, float(t))["f1"] for t in grid])


def tune_thresholds(y_val: np.ndarray, proba_val: np.ndarray, grid: np.ndarray | None = None,
                    objective: str = "macro_f1") -> dict[str, Any]:
    """Global and per-label thresholds for multi-label outputs, chosen on the validation split only.

    The global threshold maximizes ``objective`` (``macro_f1`` or ``micro_f1``) over all labels; each
    per-label threshold maximizes that label's F1. A label with no positive in validation has no evidence
    to tune on and keeps the global threshold (listed in ``untuned``)."""
    grid = np.linspace(0.05, 0.95, 19) if grid is None else grid
    y = np.asarray(y_val).astype(bool)
    names = [str(i) for i in range(y.shape[1])]
    global_t, _ = _plateau_middle(grid, [multilabel_metrics(y, proba_val >= t, names)[objective] for t in grid])
    per_label, untuned = [], []
    for j in range(y.shape[1]):
        if y[:, j].any():
            per_label.append(best_threshold(y[:, j], proba_val[:, j], grid)[0])
        else:
            per_label.append(global_t)
            untuned.append(j)
    return {"global": global_t, "per_label": per_label, "objective": objective, "untuned": untuned}


THRESHOLD_MODES = ("at_0_5", "global", "per_label")


def thresholds_for(mode: str, thresholds: dict[str, Any], n_labels: int) -> np.ndarray:
    """The per-label threshold vector of a mode: 0.5 everywhere, the tuned global one, or the tuned per-label."""
    if mode == "at_0_5":
        return np.full(n_labels, 0.5)
    if mode == "global":
        return np.full(n_labels, float(thresholds["global"]))
    return np.asarray(thresholds["per_label"], dtype=np.float64)


def multilabel_evaluation(y_true: np.ndarray, proba: np.ndarray, labels: list[str], thresholds: dict[str, Any],
                          n_boot: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Test metrics of a multi-label model at 0.5, at the tuned global and at the tuned per-label thresholds
    (both tuned on validation, passed in). The plain keys (``macro_f1``, ``micro_f1``, ``per_class`` …) are
    at the per-label thresholds, the ones ``predict`` uses; ``<metric>_<mode>`` keys hold every mode.
    Also threshold-free: per-label PR AUC / ROC AUC and their macro averages."""
    y = np.asarray(y_true).astype(bool)
    per_label_t = thresholds_for("per_label", thresholds, len(labels))
    out: dict[str, Any] = {"n": len(y), "thresholds": {
        "global": float(thresholds["global"]), "per_label": dict(zip(labels, per_label_t.tolist(), strict=True))}}
    for mode in THRESHOLD_MODES:
        t = thresholds_for(mode, thresholds, len(labels))
        m = multilabel_metrics(y, proba >= t, labels)
        for key in ("macro_f1", "micro_f1", "subset_accuracy", "hamming_loss"):
            out[f"{key}_{mode}"] = m[key]
        if mode == "per_label":
            out.update({k: m[k] for k in ("macro_f1", "micro_f1", "subset_accuracy", "hamming_loss")})
            out["per_class"] = m["per_label"]
            out["never_predicted"] = [lab for lab in m["never_predicted"] if m["per_label"][lab]["support"] > 0]
            pred = proba >= t
            cis = bootstrap_many_ci(lambda idx, pred=pred: {
                k: v for k, v in multilabel_metrics(y[idx], pred[idx], labels).items() if k in ("macro_f1", "micro_f1")
            }, len(y), n_boot, seed)
            for key in ("macro_f1", "micro_f1"):
                out[f"{key}_ci_low"], out[f"{key}_ci_high"] = cis.get(key, (float("nan"), float("nan")))
    pr = [pr_auc(y[:, j], proba[:, j]) for j in range(len(labels))]
    roc = [roc_auc(y[:, j], proba[:, j]) for j in range(len(labels))]
    for i, lab in enumerate(labels):
        out["per_class"][lab].update({"pr_auc": pr[i], "roc_auc": roc[i], "threshold": float(per_label_t[i])})
    out["macro_pr_auc"] = float(np.nanmean(pr)) if not np.all(np.isnan(pr)) else float("nan")
    out["macro_roc_auc"] = float(np.nanmean(roc)) if not np.all(np.isnan(roc)) else float("nan")
    return out


def binary_evaluation(y_true: np.ndarray, score: np.ndarray, threshold: float, label: str,
                      n_boot: int = 1000, seed: int = 0) -> dict[str, Any]:
    """ROC AUC, PR AUC (with intervals) and F1/precision/recall at the tuned threshold and at 0.5."""
    y = np.asarray(y_true).astype(bool).ravel()
    s = np.asarray(score, dtype=np.float64).ravel()
    tuned, half = binary_metrics(y, s, threshold), binary_metrics(y, s, 0.5)
    out: dict[str, Any] = {"n": len(y), "positives": int(y.sum()), "threshold": float(threshold),
                           "roc_auc": tuned["roc_auc"], "pr_auc": tuned["pr_auc"], "f1": tuned["f1"],
                           "precision": tuned["precision"], "recall": tuned["recall"],
                           "f1_at_0_5": half["f1"], "precision_at_0_5": half["precision"],
                           "recall_at_0_5": half["recall"]}
    pred = s >= threshold
    def stats(i: np.ndarray) -> dict[str, float]:
        tp, fp, fn = (y[i] & pred[i]).sum(), (~y[i] & pred[i]).sum(), (y[i] & ~pred[i]).sum()
        return {"roc_auc": roc_auc(y[i], s[i]), "pr_auc": pr_auc(y[i], s[i]),
                "f1": float(_prf(np.array([tp]), np.array([fp]), np.array([fn]))[2][0])}

    cis = bootstrap_many_ci(stats, len(y), n_boot, seed)
    for key in ("roc_auc", "pr_auc", "f1"):
        out[f"{key}_ci_low"], out[f"{key}_ci_high"] = cis.get(key, (float("nan"), float("nan")))
    out["per_class"] = {label: {"precision": tuned["precision"], "recall": tuned["recall"], "f1": tuned["f1"],
                                "support": int(y.sum()), "predicted": int(pred.sum()),
                                "pr_auc": tuned["pr_auc"], "roc_auc": tuned["roc_auc"], "threshold": threshold}}
    out["never_predicted"] = [label] if y.any() and not pred.any() else []
    return out


def regression_evaluation(y_true: np.ndarray, y_pred: np.ndarray, bands: int = 5, n_boot: int = 1000,
                          seed: int = 0) -> dict[str, Any]:
    """``regression_metrics`` plus intervals for Spearman, stratified Spearman and MAE."""
    t, p = np.asarray(y_true, dtype=np.float64).ravel(), np.asarray(y_pred, dtype=np.float64).ravel()
    out: dict[str, Any] = {"n": len(t), **regression_metrics(t, p, bands)}
    cis = bootstrap_many_ci(lambda idx: regression_metrics(t[idx], p[idx], bands), len(t), n_boot, seed)
    for key in ("spearman", "spearman_stratified", "mae"):
        out[f"{key}_ci_low"], out[f"{key}_ci_high"] = cis.get(key, (float("nan"), float("nan")))
    return out


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
