"""Model outputs to scores, in numpy only: what prediction needs without importing torch."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tinylab.tasks.base import TaskKind


def sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(logits, -60, 60)))


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def outputs_to_scores(kind: TaskKind, logits: np.ndarray) -> np.ndarray:
    """Model outputs to what a task reports: class probabilities (softmax), per-label probabilities
    (sigmoid), or the regression value itself (one column)."""
    if kind == "single_label":
        return softmax(logits)
    if kind in ("multi_label", "binary"):
        return sigmoid(logits)
    return logits
