"""Metrics as pure functions over arrays, for every task kind (single-label, multi-label, binary,
regression): thin wrappers over scikit-learn (``sklearn.metrics``) and scipy (``scipy.stats``), plus 95%
percentile bootstrap confidence intervals (seeded).

scikit-learn and scipy are imported inside the functions that use them: the base install (prediction only)
has neither, and prediction paths import this module.

The bootstrap loops recompute a statistic on 1000 resamples; the libraries' per-call input validation would
dominate there, so those loops use the vectorized numpy forms below (``_fast_*``), each pinned to the
library's value by a parity test (``tests/test_metrics_parity.py``). Everything reported as a point estimate
comes from the library."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

_NAN = float("nan")


def topk_hits(y_true: np.ndarray, proba: np.ndarray, k: int) -> np.ndarray:
    """Per item, 1.0 if the true class is among the ``k`` most probable. Ties are broken as
    ``sklearn.metrics.top_k_accuracy_score`` breaks them (the higher class index ranks first), so the mean
    of the hits is that score."""
    proba = np.asarray(proba)
    y = np.asarray(y_true)
    if len(y) == 0:
        return np.zeros(0)
    own = proba[np.arange(len(y)), y][:, None]
    later = np.arange(proba.shape[1])[None, :] > y[:, None]
    ahead = (proba > own).sum(axis=1) + ((proba == own) & later).sum(axis=1)
    return (ahead < k).astype(np.float64)


def bootstrap_mean_ci(values: np.ndarray, n_boot: int = 1000, seed: int = 0, alpha: float = 0.05,
                      ) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of per-item ``values``."""
    n = len(values)
    if n == 0 or n_boot <= 0:
        return (_NAN, _NAN)
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
        lo, hi = np.quantile(v, [alpha / 2, 1 - alpha / 2]) if len(v) else (_NAN, _NAN)
        out[key] = (float(lo), float(hi))
    return out


def bootstrap_stat_ci(stat: Callable[[np.ndarray], float], n: int, n_boot: int = 1000, seed: int = 0,
                      alpha: float = 0.05) -> tuple[float, float]:
    """:func:`bootstrap_many_ci` for one statistic."""
    return bootstrap_many_ci(lambda idx: {"v": stat(idx)}, n, n_boot, seed, alpha).get("v", (_NAN, _NAN))


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """``sklearn.metrics.confusion_matrix`` over the classes ``0 .. n_classes - 1`` (rows: true)."""
    if len(y_true) == 0:
        return np.zeros((n_classes, n_classes), dtype=np.int64)
    from sklearn.metrics import confusion_matrix as sk_confusion_matrix

    return sk_confusion_matrix(y_true, y_pred, labels=np.arange(n_classes)).astype(np.int64)


def per_class_prf(cm: np.ndarray) -> dict[str, np.ndarray]:
    """Per-class precision, recall, F1 (0 where undefined), support and predicted count of a confusion
    matrix: ``sklearn.metrics.precision_recall_fscore_support`` on the matrix's cells as weighted items."""
    cm = np.asarray(cm)
    n_classes = cm.shape[0]
    support = cm.sum(axis=1).astype(np.float64)
    predicted = cm.sum(axis=0).astype(np.float64)
    if cm.sum() == 0:
        zeros = np.zeros(n_classes)
        return {"precision": zeros, "recall": zeros.copy(), "f1": zeros.copy(), "support": support,
                "predicted": predicted}
    from sklearn.metrics import precision_recall_fscore_support

    rows, cols = np.indices(cm.shape)
    p, r, f, _ = precision_recall_fscore_support(rows.ravel(), cols.ravel(), sample_weight=cm.ravel(),
                                                 labels=np.arange(n_classes), zero_division=0)
    return {"precision": np.asarray(p, dtype=np.float64), "recall": np.asarray(r, dtype=np.float64),
            "f1": np.asarray(f, dtype=np.float64), "support": support, "predicted": predicted}


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
    """Accuracy and top-k with intervals, macro/weighted P/R/F1, per-class table, most confused pairs.
    Macro averages run over the classes present in ``y_true``; weighted ones weigh classes by support."""
    y_true = np.asarray(y_true)
    y_pred = proba.argmax(axis=1)
    n_classes = len(labels)
    correct = (y_pred == y_true).astype(np.float64)
    out: dict[str, Any] = {"n": len(y_true)}
    if len(y_true):
        from sklearn.metrics import accuracy_score

        out["accuracy"] = float(accuracy_score(y_true, y_pred))
    else:
        out["accuracy"] = _NAN
    out["accuracy_ci_low"], out["accuracy_ci_high"] = bootstrap_mean_ci(correct, n_boot, seed)
    for k in ks:
        hits = topk_hits(y_true, proba, k)
        out[f"top{k}_accuracy"] = float(hits.mean()) if len(hits) else _NAN
        out[f"top{k}_accuracy_ci_low"], out[f"top{k}_accuracy_ci_high"] = bootstrap_mean_ci(hits, n_boot, seed)
    cm = confusion_matrix(y_true, y_pred, n_classes)
    prf = per_class_prf(cm)
    present = prf["support"] > 0
    averaged = {"macro": (_NAN, _NAN, _NAN), "weighted": (0.0, 0.0, 0.0)}
    if present.any():
        from sklearn.metrics import precision_recall_fscore_support

        for average in averaged:
            averaged[average] = precision_recall_fscore_support(
                y_true, y_pred, labels=np.flatnonzero(present), average=average, zero_division=0)[:3]
    for i, name in enumerate(("precision", "recall", "f1")):
        for average, values in averaged.items():
            out[f"{average}_{name}"] = float(values[i])
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


def _indicator(t: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """(n, L) boolean arrays as scikit-learn takes them, and the labels to score. scikit-learn reads an
    (n, 1) indicator as a binary target: then its one label is the positive class."""
    ti, pi = t.astype(np.int64), p.astype(np.int64)
    return (ti[:, 0], pi[:, 0], [1]) if t.shape[1] == 1 else (ti, pi, list(range(t.shape[1])))


def multilabel_metrics(y_true: np.ndarray, y_pred: np.ndarray, labels: list[str]) -> dict[str, Any]:
    """``y_true``/``y_pred``: (n, L) 0/1 arrays. Per-label P/R/F1, micro and macro F1, subset accuracy,
    Hamming loss (scikit-learn's, with 0 where a ratio is undefined)."""
    t, p = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    n, n_labels = t.shape
    per_label = {lab: {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": int(t[:, i].sum()),
                       "predicted": int(p[:, i].sum())} for i, lab in enumerate(labels)}
    out: dict[str, Any] = {"micro_f1": 0.0, "macro_f1": 0.0 if n_labels else _NAN, "subset_accuracy": _NAN,
                           "hamming_loss": _NAN}  # no item: nothing predicted right, no ratio defined
    if n and n_labels:
        from sklearn.metrics import accuracy_score, f1_score, hamming_loss, precision_recall_fscore_support

        ti, pi, which = _indicator(t, p)
        prec, rec, f1, _ = precision_recall_fscore_support(ti, pi, labels=which, average=None, zero_division=0)
        for i, lab in enumerate(labels):
            per_label[lab].update(precision=float(prec[i]), recall=float(rec[i]), f1=float(f1[i]))
        out = {"micro_f1": float(f1_score(ti, pi, labels=which, average="micro", zero_division=0)),
               "macro_f1": float(f1_score(ti, pi, labels=which, average="macro", zero_division=0)),
               "subset_accuracy": float(accuracy_score(ti, pi)), "hamming_loss": float(hamming_loss(ti, pi))}
    return {**out, "per_label": per_label,
            "never_predicted": [lab for i, lab in enumerate(labels) if not p[:, i].any()]}


def roc_auc(y_true: np.ndarray, score: np.ndarray) -> float:
    """``sklearn.metrics.roc_auc_score`` (tied scores count half); NaN unless both classes occur."""
    y = np.asarray(y_true).astype(bool).ravel()
    if y.all() or not y.any():
        return _NAN
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y.astype(np.int64), np.asarray(score, dtype=np.float64).ravel()))


def pr_auc(y_true: np.ndarray, score: np.ndarray) -> float:
    """Average precision, ``sklearn.metrics.average_precision_score``: the step-wise area under the
    precision-recall curve, with tied scores taken as one threshold (so the order of ties does not matter).
    NaN when there is no positive."""
    y = np.asarray(y_true).astype(bool).ravel()
    if not y.any():
        return _NAN
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(y.astype(np.int64), np.asarray(score, dtype=np.float64).ravel()))


def _binary_prf(y: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall, F1 of the positive class (``precision_recall_fscore_support``, 0 if undefined)."""
    if len(y) == 0:
        return 0.0, 0.0, 0.0
    from sklearn.metrics import precision_recall_fscore_support

    p, r, f, _ = precision_recall_fscore_support(y.astype(np.int64), pred.astype(np.int64), labels=[1],
                                                 average=None, zero_division=0)
    return float(p[0]), float(r[0]), float(f[0])


def binary_metrics(y_true: np.ndarray, score: np.ndarray, threshold: float = 0.5) -> dict[str, float]:
    y = np.asarray(y_true).astype(bool).ravel()
    s = np.asarray(score, dtype=np.float64).ravel()
    p, r, f = _binary_prf(y, s >= threshold)
    return {"roc_auc": roc_auc(y, s), "pr_auc": pr_auc(y, s), "f1": f,
            "precision": p, "recall": r, "threshold": float(threshold)}


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


def f1_at_thresholds(y_true: np.ndarray, score: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """F1 of ``score >= t`` against ``y_true`` at every threshold ``t`` of ``grid`` (one library call)."""
    y = np.asarray(y_true).astype(bool).ravel()
    s = np.asarray(score, dtype=np.float64).ravel()
    grid = np.asarray(grid, dtype=np.float64).ravel()
    if len(y) == 0:
        return np.zeros(len(grid))
    from sklearn.metrics import precision_recall_fscore_support

    # the predictions at each threshold as the columns of a multi-label indicator
    pred = s[:, None] >= grid[None, :]
    ti, pi, which = _indicator(np.repeat(y[:, None], len(grid), axis=1), pred)
    return np.asarray(precision_recall_fscore_support(ti, pi, labels=which, average=None, zero_division=0)[2],
                      dtype=np.float64)


def best_threshold(y_true: np.ndarray, score: np.ndarray, grid: np.ndarray | None = None) -> tuple[float, float]:
    """The threshold maximizing F1 on the given (validation!) labels, and that F1. Among tied thresholds, the
    middle of the widest tied run."""
    grid = np.linspace(0.05, 0.95, 19) if grid is None else grid
    return _plateau_middle(grid, f1_at_thresholds(y_true, score, grid).tolist())


def tune_thresholds(y_val: np.ndarray, proba_val: np.ndarray, grid: np.ndarray | None = None,
                    objective: str = "macro_f1") -> dict[str, Any]:
    """Global and per-label thresholds for multi-label outputs, chosen on the validation split only.

    The global threshold maximizes ``objective`` (``macro_f1`` or ``micro_f1``) over all labels; each
    per-label threshold maximizes that label's F1. A label with no positive in validation has no evidence
    to tune on and keeps the global threshold (listed in ``untuned``)."""
    grid = np.linspace(0.05, 0.95, 19) if grid is None else grid
    y = np.asarray(y_val).astype(bool)
    names = [str(i) for i in range(y.shape[1])]

    def score(pred: np.ndarray) -> float:
        if objective in ("macro_f1", "micro_f1") and len(y) and y.shape[1]:  # only what is needed: one call
            from sklearn.metrics import f1_score

            ti, pi, which = _indicator(y, pred)
            return float(f1_score(ti, pi, labels=which, average=objective[:5], zero_division=0))
        return multilabel_metrics(y, pred, names)[objective]

    global_t, _ = _plateau_middle(grid, [score(proba_val >= t) for t in grid])
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
            cis = bootstrap_many_ci(lambda idx, pred=pred: _fast_multilabel_f1(y[idx], pred[idx]), len(y), n_boot,
                                    seed)
            for key in ("macro_f1", "micro_f1"):
                out[f"{key}_ci_low"], out[f"{key}_ci_high"] = cis.get(key, (_NAN, _NAN))
    pr = [pr_auc(y[:, j], proba[:, j]) for j in range(len(labels))]
    roc = [roc_auc(y[:, j], proba[:, j]) for j in range(len(labels))]
    for i, lab in enumerate(labels):
        out["per_class"][lab].update({"pr_auc": pr[i], "roc_auc": roc[i], "threshold": float(per_label_t[i])})
    out["macro_pr_auc"] = float(np.nanmean(pr)) if not np.all(np.isnan(pr)) else _NAN
    out["macro_roc_auc"] = float(np.nanmean(roc)) if not np.all(np.isnan(roc)) else _NAN
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
        roc, ap = _fast_roc_ap(y[i], s[i])
        return {"roc_auc": roc, "pr_auc": ap, "f1": _fast_binary_f1(y[i], pred[i])}

    cis = bootstrap_many_ci(stats, len(y), n_boot, seed)
    for key in ("roc_auc", "pr_auc", "f1"):
        out[f"{key}_ci_low"], out[f"{key}_ci_high"] = cis.get(key, (_NAN, _NAN))
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
    cis = bootstrap_many_ci(lambda idx: _fast_regression(t[idx], p[idx], bands), len(t), n_boot, seed)
    for key in ("spearman", "spearman_stratified", "mae"):
        out[f"{key}_ci_low"], out[f"{key}_ci_high"] = cis.get(key, (_NAN, _NAN))
    return out


def _band_of(t: np.ndarray, bands: int) -> np.ndarray:
    """Each target's band among ``bands`` equal-width bands over the targets' range."""
    edges = np.linspace(t.min(), t.max(), bands + 1) if len(t) else np.zeros(bands + 1)
    return np.clip(np.digitize(t, edges[1:-1]), 0, bands - 1)


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    """``scipy.stats.spearmanr``; NaN for fewer than 2 items or a constant input."""
    if len(a) < 2 or np.all(a == a[0]) or np.all(b == b[0]):
        return _NAN
    from scipy.stats import spearmanr

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConstantInputWarning (also excluded above), NaN input
        return float(spearmanr(a, b).statistic)


def regression_metrics(y_true: np.ndarray, y_pred: np.ndarray, bands: int = 5) -> dict[str, float]:
    """Spearman, Pearson (scipy), MAE, RMSE (scikit-learn), and Spearman averaged within equal-width bands of
    the target (bands where it is undefined are left out)."""
    t, p = np.asarray(y_true, dtype=np.float64).ravel(), np.asarray(y_pred, dtype=np.float64).ravel()
    which = _band_of(t, bands)
    per_band = [_spearman(t[which == b], p[which == b]) for b in range(bands)]
    per_band = [v for v in per_band if not np.isnan(v)]
    out = {"spearman": _spearman(t, p), "pearson": _NAN, "mae": _NAN, "rmse": _NAN,
           "spearman_stratified": float(np.mean(per_band)) if per_band else _NAN}
    if len(t):
        from sklearn.metrics import mean_absolute_error, root_mean_squared_error

        out["mae"], out["rmse"] = float(mean_absolute_error(t, p)), float(root_mean_squared_error(t, p))
    if len(t) > 1 and not np.all(t == t[0]) and not np.all(p == p[0]):
        from scipy.stats import pearsonr

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out["pearson"] = float(pearsonr(t, p).statistic)
    return out


# --------------------------------------------------------------------------------------------
# Vectorized forms for the bootstrap loops only; each equals its library counterpart (to 1e-12) by the
# parity tests in tests/test_metrics_parity.py.


def _fast_roc_ap(y: np.ndarray, s: np.ndarray) -> tuple[float, float]:
    """(``roc_auc``, ``pr_auc``) from one sort: ``roc_auc_score`` as the Mann-Whitney U with ties counted
    half, ``average_precision_score`` as precision at each distinct score (a tie group is one threshold)
    weighted by the recall it adds."""
    n = len(y)
    n_pos = int(y.sum())
    n_neg = n - n_pos
    if n_pos == 0:
        return _NAN, _NAN
    order = np.argsort(s, kind="mergesort")
    ss = s[order]
    last = np.r_[np.flatnonzero(ss[1:] != ss[:-1]), n - 1]  # last index of each tie group, ascending score
    pos_upto = np.cumsum(y[order])[last]  # positives scoring <= the group's score
    pos_in = np.diff(pos_upto, prepend=0)
    count = np.diff(last, prepend=-1)
    neg_in = count - pos_in
    neg_below = (last + 1 - pos_upto) - neg_in
    roc = float((pos_in * (neg_below + 0.5 * neg_in)).sum() / (n_pos * n_neg)) if n_neg else _NAN
    at_or_above = n - last - 1 + count  # items scoring >= the group's score
    tps = n_pos - pos_upto + pos_in
    ap = float((pos_in * (tps / at_or_above)).sum() / n_pos)
    return roc, ap


def _fast_prf(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision, recall, F1 from counts, 0 where undefined (``zero_division=0``)."""
    tp, fp, fn = (np.asarray(a, dtype=np.float64) for a in (tp, fp, fn))
    p = np.divide(tp, tp + fp, out=np.zeros_like(tp), where=(tp + fp) > 0)
    r = np.divide(tp, tp + fn, out=np.zeros_like(tp), where=(tp + fn) > 0)
    denom = 2 * tp + fp + fn
    f = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
    return p, r, f


def _fast_binary_f1(y: np.ndarray, pred: np.ndarray) -> float:
    """``f1_score`` of the positive class, 0 where undefined."""
    tp, fp, fn = (y & pred).sum(), (~y & pred).sum(), (y & ~pred).sum()
    return float(_fast_prf(np.array([tp]), np.array([fp]), np.array([fn]))[2][0])


def _fast_multilabel_f1(t: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """Macro and micro ``f1_score`` of (n, L) boolean arrays, 0 where undefined."""
    tp, fp, fn = (t & p).sum(0), (~t & p).sum(0), (t & ~p).sum(0)
    f1 = _fast_prf(tp, fp, fn)[2]
    micro = _fast_prf(np.array([tp.sum()]), np.array([fp.sum()]), np.array([fn.sum()]))[2]
    return {"macro_f1": float(f1.mean()) if t.shape[1] else _NAN, "micro_f1": float(micro[0])}


def _fast_rank(a: np.ndarray) -> np.ndarray:
    """``scipy.stats.rankdata`` (average ranks over ties, from 1)."""
    order = np.argsort(a, kind="mergesort")
    sa = a[order]
    last = np.r_[np.flatnonzero(sa[1:] != sa[:-1]), len(a) - 1]
    count = np.diff(last, prepend=-1)
    ranks = np.empty(len(a))
    ranks[order] = np.repeat(last + 1 - (count - 1) / 2.0, count)
    return ranks


def _fast_spearman(a: np.ndarray, b: np.ndarray) -> float:
    """``scipy.stats.spearmanr``: the Pearson correlation of the average ranks; NaN as :func:`_spearman`."""
    if len(a) < 2 or np.all(a == a[0]) or np.all(b == b[0]):
        return _NAN
    ra, rb = _fast_rank(a), _fast_rank(b)
    ra -= ra.mean()
    rb -= rb.mean()
    return float(np.clip((ra @ rb) / np.sqrt((ra @ ra) * (rb @ rb)), -1.0, 1.0))


def _fast_regression(t: np.ndarray, p: np.ndarray, bands: int) -> dict[str, float]:
    """Spearman, stratified Spearman and MAE of :func:`regression_metrics`."""
    which = _band_of(t, bands)
    per_band = [_fast_spearman(t[which == b], p[which == b]) for b in range(bands)]
    per_band = [v for v in per_band if not np.isnan(v)]
    return {"spearman": _fast_spearman(t, p), "mae": float(np.abs(t - p).mean()) if len(t) else _NAN,
            "spearman_stratified": float(np.mean(per_band)) if per_band else _NAN}


# ---- the comparison metrics of each kind, in their fast forms (a comparison's bootstrap calls them hundreds of
# times); each equals the library-computed figure of the full evaluation (parity tests in tests/kinds)


def multilabel_compare_scores(y_true: np.ndarray, proba: np.ndarray, thresholds: np.ndarray) -> dict[str, float]:
    """Macro and micro F1 at the per-label ``thresholds``, and the macro PR AUC, of (n, L) targets."""
    y = np.asarray(y_true).astype(bool).reshape(len(y_true), -1)
    out = _fast_multilabel_f1(y, proba >= thresholds)
    ap = [_fast_roc_ap(y[:, j], proba[:, j].astype(np.float64))[1] for j in range(y.shape[1])]
    out["macro_pr_auc"] = float(np.nanmean(ap)) if not np.all(np.isnan(ap)) else _NAN
    return out


def binary_compare_scores(y_true: np.ndarray, score: np.ndarray, threshold: float) -> dict[str, float]:
    """PR AUC, ROC AUC and F1 at ``threshold`` of one label."""
    y = np.asarray(y_true).astype(bool).ravel()
    s = np.asarray(score, dtype=np.float64).ravel()
    roc, ap = _fast_roc_ap(y, s) if len(y) else (_NAN, _NAN)
    if not (~y).any():
        roc = _NAN
    return {"pr_auc": ap, "roc_auc": roc, "f1": _fast_binary_f1(y, s >= threshold)}


def regression_compare_scores(y_true: np.ndarray, y_pred: np.ndarray, bands: int = 5) -> dict[str, float]:
    """Spearman, stratified Spearman and MAE."""
    return _fast_regression(np.asarray(y_true, dtype=np.float64).ravel(), np.asarray(y_pred, dtype=np.float64).ravel(),
                            bands)
