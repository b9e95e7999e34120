"""Binary classification: one label, present or not, at a threshold tuned on validation; PR AUC headline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from tinylab.kinds.thresholded import Thresholded


class Binary(Thresholded):
    name = "binary"
    headline = "pr_auc"
    summary_metrics = ("pr_auc", "roc_auc", "f1")
    report_metrics = ("roc_auc", "pr_auc", "f1", "precision", "recall", "calibration_ece")
    compare_metrics = ("pr_auc", "roc_auc", "f1")
    baseline_f1 = "f1"
    baseline_metrics = ("baseline_pr_auc", "baseline_f1", "f1_over_baseline")

    def metrics(self, targets: Any, scores: np.ndarray, labels: list[str], meta: dict[str, Any],
                seed: int = 0, n_boot: int = 1000, items: Sequence[Any] | None = None) -> dict[str, Any]:
        from tinylab.metrics import binary_evaluation

        threshold = float(self.thresholds(meta, labels)[0])
        return binary_evaluation(self.target_array(targets)[:, 0], scores[:, 0], threshold, labels[0],
                                 n_boot=n_boot, seed=seed)

    def compare_scores(self, targets: Any, scores: np.ndarray, labels: list[str], meta: dict[str, Any],
                       items: Sequence[Any] | None = None) -> dict[str, float]:
        from tinylab.metrics import binary_compare_scores

        return binary_compare_scores(self.target_array(targets)[:, 0], scores[:, 0],
                                     float(self.thresholds(meta, labels)[0]))

