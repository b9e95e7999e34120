"""The trivial answer a model must beat, on the same test split: the most frequent training label
(single-label), every label always (binary and multi-label: the F1 a constant "yes" gets; its PR AUC is the
positive rate), the training mean (regression). The difference is a paired bootstrap over the test rows, so
the report says whether the model beats the trivial answer, does worse, or cannot be told apart from it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from tinylab.kinds.base import ReportSection
from tinylab.metrics import bootstrap_mean_ci, bootstrap_stat_ci, pr_auc

#: per kind: the task's metrics shown with the kind's headline metrics
REPORT_METRICS: dict[str, tuple[str, ...]] = {
    "single_label": ("baseline_accuracy", "accuracy_over_baseline"),
    "binary": ("baseline_pr_auc", "baseline_f1", "f1_over_baseline"),
    "multi_label": ("baseline_macro_f1", "macro_f1_over_baseline"),
    "regression": ("baseline_mae", "mae_below_baseline"),
}


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    """Mean over labels of 2tp / (2tp + fp + fn), 0 where a label has neither positives nor predictions
    (scikit-learn's ``zero_division=0``); ``y``, ``pred``: (n, L) booleans."""
    tp = (y & pred).sum(axis=0)
    denom = y.sum(axis=0) + pred.sum(axis=0)
    return float(np.mean(np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0))) if y.shape[1] else 0.0


def _verdict(metric: str, model: float, base: float, diff: float, low: float, high: float, better: str,
             trivial: str) -> str:
    numbers = (f"{metric} {model:.4f} against {base:.4f} for {trivial}: {better} by {diff:+.4f} "
               f"(95% CI {low:+.4f} to {high:+.4f}, paired bootstrap over the test rows)")
    if low > 0:
        return f"**The model beats the trivial answer.** {numbers[0].upper()}{numbers[1:]}."
    if high < 0:
        return f"**The model does WORSE than the trivial answer.** {numbers[0].upper()}{numbers[1:]}."
    return (f"**The model does NOT clearly beat the trivial answer** (the interval includes 0). "
            f"{numbers[0].upper()}{numbers[1:]}.")


def _paired(stat: Callable[[np.ndarray], float], n: int, seed: int) -> tuple[float, float]:
    return bootstrap_stat_ci(stat, n, 1000, seed)


def baseline(kind: str, labels: list[str], y_train: Any, y_test: Any, proba: np.ndarray,
             thresholds: np.ndarray | None, seed: int = 0) -> tuple[dict[str, Any], list[ReportSection]]:
    """The baseline's metrics, the model's margin over it with a 95% interval, and the report section."""
    n = len(y_test)
    if kind == "single_label":
        y, train = np.asarray(y_test), np.asarray(y_train)
        majority = int(np.bincount(train, minlength=len(labels)).argmax())
        model_hit = (proba.argmax(axis=1) == y).astype(np.float64)
        base_hit = (y == majority).astype(np.float64)
        low, high = bootstrap_mean_ci(model_hit - base_hit, 1000, seed)
        model, base = float(model_hit.mean()), float(base_hit.mean())
        metrics = {"baseline_accuracy": base, "accuracy_over_baseline": model - base,
                   "accuracy_over_baseline_ci_low": low, "accuracy_over_baseline_ci_high": high}
        trivial = f"always {labels[majority]!r} (the most frequent training label)"
        table = [f"| this run | {model:.4f} |", f"| {trivial} | {base:.4f} |"]
        head = "| answer | accuracy |\n|---|---|"
        text = _verdict("accuracy", model, base, model - base, low, high, "higher", trivial)
    elif kind in ("binary", "multi_label"):
        y = np.asarray(y_test).reshape(n, -1).astype(bool)
        t = np.full(y.shape[1], 0.5) if thresholds is None else np.asarray(thresholds, dtype=float)
        pred = proba >= t
        every = np.ones_like(y)
        model = macro_f1(y, pred)
        base = macro_f1(y, every)
        low, high = _paired(lambda idx: macro_f1(y[idx], pred[idx]) - macro_f1(y[idx], every[idx]), n, seed)
        name = "f1" if kind == "binary" else "macro_f1"
        metrics = {f"baseline_{name}": base, f"{name}_over_baseline": model - base,
                   f"{name}_over_baseline_ci_low": low, f"{name}_over_baseline_ci_high": high}
        trivial = "always every label" if kind == "multi_label" else f"always {labels[0]!r}"
        if kind == "binary":
            positive_rate = float(y.mean())
            metrics["baseline_pr_auc"] = positive_rate  # a constant score's average precision
            ours = pr_auc(y[:, 0], proba[:, 0])
            head = "| answer | F1 (at the tuned threshold) | PR AUC |\n|---|---|---|"
            table = [f"| this run | {model:.4f} | {ours:.4f} |",
                     f"| {trivial} (a constant score) | {base:.4f} | {positive_rate:.4f} |"]
        else:
            head = "| answer | macro F1 (at the tuned thresholds) |\n|---|---|"
            table = [f"| this run | {model:.4f} |", f"| {trivial} | {base:.4f} |"]
        text = _verdict(name.replace("_", " ").replace("f1", "F1"), model, base, model - base, low, high, "higher",
                        trivial)
    else:
        y = np.asarray(y_test, dtype=np.float64)
        mean = float(np.mean(np.asarray(y_train, dtype=np.float64)))
        model_err, base_err = np.abs(proba[:, 0] - y), np.abs(mean - y)
        low, high = bootstrap_mean_ci(base_err - model_err, 1000, seed)
        model, base = float(model_err.mean()), float(base_err.mean())
        metrics = {"baseline_mae": base, "mae_below_baseline": base - model,
                   "mae_below_baseline_ci_low": low, "mae_below_baseline_ci_high": high}
        trivial = f"always {mean:.4g} (the training mean)"
        head = "| answer | MAE |\n|---|---|"
        table = [f"| this run | {model:.4f} |", f"| {trivial} | {base:.4f} |"]
        text = _verdict("MAE", model, base, base - model, low, high, "lower", trivial)
    metrics["beats_baseline"] = bool(low > 0)
    md = "\n".join([head, *table, "", text, ""])
    return metrics, [ReportSection("Against the trivial answer (same test split)", md)]
