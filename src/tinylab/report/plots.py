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
    b.plot(ep, [h["val_accuracy"] for h in history], "o-", color="tab:green", label="validation accuracy")
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


def reliability(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> tuple[bytes, float]:
    """Reliability diagram of top-1 confidence, and the expected calibration error."""
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
    ax.set_xlabel("confidence (top-1 probability)")
    ax.set_ylabel("accuracy")
    ax.set_title(f"Reliability (ECE {ece:.3f})")
    ax.legend(loc="upper left", fontsize=8)
    return _png(fig), ece
