"""Plots of a run as PNG bytes (matplotlib, Agg backend): nothing is written outside the run."""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def learning_curves(history: list[dict[str, Any]]) -> bytes:
    ep = [h["epoch"] for h in history]
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.2))
    a.plot(ep, [h["train_loss"] for h in history], "o-", label="train loss")
    a.plot(ep, [h["val_loss"] for h in history], "o-", label="validation loss")
    a.set_xlabel("epoch")
    a.legend()
    score = next((k for k in ("val_accuracy", "val_macro_pr_auc", "val_spearman", "val_score") if k in history[0]),
                 None)
    if score:
        b.plot(ep, [h[score] for h in history], "o-", color="tab:green",
               label="validation " + score.removeprefix("val_").replace("_", " "))
    b.set_xlabel("epoch")
    b.legend()
    fig.suptitle("Learning curves")
    return _png(fig)


def per_class_f1(per_class: dict[str, dict[str, float]], worst: int = 30) -> bytes:
    items = sorted(per_class.items(), key=lambda kv: kv[1]["f1"])[:worst]
    fig, ax = plt.subplots(figsize=(8, 0.22 * len(items) + 1))
    ax.barh([k for k, _ in items], [v["f1"] for _, v in items], color="tab:blue")
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel("F1")
    ax.set_title(f"Per-class F1 ({len(items)} lowest)")
    ax.tick_params(axis="y", labelsize=7)
    return _png(fig)


def confusion_heatmap(cm: np.ndarray, labels: list[str], top: int = 15) -> bytes:
    """The sub-matrix of the classes involved in the most off-diagonal mass, row-normalized."""
    off = cm.astype(float).copy()
    np.fill_diagonal(off, 0)
    involvement = off.sum(axis=0) + off.sum(axis=1)
    idx = np.argsort(-involvement)[:top]
    sub = cm[np.ix_(idx, idx)].astype(float)
    sub = sub / np.maximum(sub.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(7, 6))
    im = ax.imshow(sub, cmap="Blues", vmin=0, vmax=1)
    names = [labels[i].rsplit(".", 1)[-1] for i in idx]
    ax.set_xticks(range(len(idx)), names, rotation=90, fontsize=7)
    ax.set_yticks(range(len(idx)), names, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title("Confusion among the most confused classes (row share)")
    fig.colorbar(im, ax=ax, fraction=0.046)
    return _png(fig)


def reliability(confidence: np.ndarray, correct: np.ndarray, bins: int = 10,
                xlabel: str = "confidence (top-1 probability)") -> tuple[bytes, float]:
    """Reliability diagram (predicted probability against observed frequency), and the expected
    calibration error."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges) - 1, 0, bins - 1)
    acc, conf, count = np.zeros(bins), np.zeros(bins), np.zeros(bins)
    for b in range(bins):
        m = which == b
        count[b] = m.sum()
        if count[b]:
            acc[b], conf[b] = correct[m].mean(), confidence[m].mean()
    ece = float((count * np.abs(acc - conf)).sum() / max(count.sum(), 1))
    fig, ax = plt.subplots(figsize=(4.2, 4))
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    m = count > 0
    ax.plot(conf[m], acc[m], "o-", label="model")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("observed frequency")
    ax.set_title(f"Reliability (ECE {ece:.3f})")
    ax.legend(loc="upper left", fontsize=8)
    return _png(fig), ece


def threshold_curves(y_true: np.ndarray, proba: np.ndarray, labels: list[str], chosen: dict[str, float],
                     val: tuple[np.ndarray, np.ndarray] | None = None) -> bytes:
    """F1 against the decision threshold for each label: test (solid) and, when given, validation (dashed),
    with the threshold tuned on validation marked on the test curve."""
    from tinylab.metrics import f1_at_thresholds

    grid = np.linspace(0.02, 0.98, 49)
    cols = min(3, len(labels))
    rows = int(np.ceil(len(labels) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.6 * rows), squeeze=False)
    for j, lab in enumerate(labels):
        ax = axes[j // cols][j % cols]
        test_f1 = f1_at_thresholds(y_true[:, j], proba[:, j], grid)
        ax.plot(grid, test_f1, "-", color="tab:blue", label="test")
        if val is not None:
            vy, vp = val[0].reshape(len(val[0]), -1), val[1]
            ax.plot(grid, f1_at_thresholds(vy[:, j], vp[:, j], grid), "--", color="tab:orange", label="validation")
        t = chosen[lab]
        ax.plot([t], f1_at_thresholds(y_true[:, j], proba[:, j], np.array([t])), "o", color="black",
                label=f"tuned {t:.2f}")
        ax.axvline(0.5, color="grey", lw=0.6, ls=":")
        ax.set_ylim(0, 1.02)
        ax.set_title(lab, fontsize=8)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=6, loc="lower left")
    for j in range(len(labels), rows * cols):
        axes[j // cols][j % cols].axis("off")
    fig.supxlabel("threshold", fontsize=8)
    fig.supylabel("F1", fontsize=8)
    return _png(fig)


def regression_scatter(y_true: np.ndarray, y_pred: np.ndarray, max_points: int = 5000, seed: int = 0) -> bytes:
    """Predicted against true values (a seeded subsample when there are many), with the identity line."""
    t, p = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if len(t) > max_points:
        idx = np.random.default_rng(seed).choice(len(t), max_points, replace=False)
        t, p = t[idx], p[idx]
    fig, ax = plt.subplots(figsize=(4.4, 4.2))
    ax.scatter(t, p, s=4, alpha=0.35, color="tab:blue")
    lo, hi = float(min(t.min(initial=0), p.min(initial=0))), float(max(t.max(initial=1), p.max(initial=1)))
    ax.plot([lo, hi], [lo, hi], "--", color="grey", label="predicted = true")
    ax.set_xlabel("true")
    ax.set_ylabel("predicted")
    ax.set_title("Predicted vs true (test)")
    ax.legend(fontsize=8, loc="upper left")
    return _png(fig)
