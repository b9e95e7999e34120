"""Multi-label classification: any number of labels per item, each with its own validation-tuned threshold."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from tinylab.kinds.thresholded import Thresholded


class MultiLabel(Thresholded):
    name = "multi_label"
    headline = "macro_f1"
    summary_metrics = ("macro_f1", "micro_f1", "macro_pr_auc")
    report_metrics = ("macro_f1", "micro_f1", "subset_accuracy", "hamming_loss", "macro_pr_auc", "macro_roc_auc",
                      "calibration_ece")
    compare_metrics = ("macro_f1", "micro_f1", "macro_pr_auc")
    baseline_metrics = ("baseline_macro_f1", "macro_f1_over_baseline")

    def metrics(self, targets: Any, scores: np.ndarray, labels: list[str], meta: dict[str, Any],
                seed: int = 0, n_boot: int = 1000, items: Sequence[Any] | None = None) -> dict[str, Any]:
        from tinylab.metrics import multilabel_evaluation

        th = meta["thresholds"]
        per_label = [float(th["per_label"][lab]) for lab in labels]
        return multilabel_evaluation(self.target_array(targets), scores, labels,
                                     {"global": th["global"], "per_label": per_label}, n_boot=n_boot, seed=seed)

    def compare_scores(self, targets: Any, scores: np.ndarray, labels: list[str], meta: dict[str, Any],
                       items: Sequence[Any] | None = None) -> dict[str, float]:
        from tinylab.metrics import multilabel_compare_scores

        return multilabel_compare_scores(self.target_array(targets), scores, self.thresholds(meta, labels))

