"""Single-label classification: one class per item. Softmax probabilities, cross-entropy, early stopping on
validation accuracy; accuracy and top-k with bootstrap intervals, per-class table, confusion."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tinylab.kinds.base import BASELINE_TITLE, Kind, Plot, ReportSection, verdict
from tinylab.scores import softmax

if TYPE_CHECKING:
    from torch import nn

    from tinylab.spec import TrainSpec


class SingleLabel(Kind):
    name = "single_label"
    headline = "accuracy"
    summary_metrics = ("accuracy", "top3_accuracy", "macro_f1")
    report_metrics = ("accuracy", "top3_accuracy", "top5_accuracy", "macro_f1", "weighted_f1", "macro_precision",
                      "macro_recall", "calibration_ece")
    compare_metrics = ("accuracy", "top3_accuracy", "macro_f1", "weighted_f1")
    validation_metric = "val_accuracy"
    miss_suggestion = "study the most confused pairs below; sharpen the data or the label definitions, or add capacity"
    supports_int8 = True
    baseline_metrics = ("baseline_accuracy", "accuracy_over_baseline")

    def target_array(self, targets: Any) -> np.ndarray:
        return np.asarray(targets, dtype=np.int64)

    def losses(self, train: TrainSpec, train_targets: Any, labels: list[str]) -> tuple[nn.Module, nn.Module]:
        import torch
        from torch import nn

        weight = None
        if train.class_weights:
            counts = np.bincount(np.asarray(train_targets), minlength=len(labels)).astype(np.float64)
            w = np.where(counts > 0, counts.sum() / (len(labels) * np.maximum(counts, 1)), 0.0)
            weight = torch.tensor(w, dtype=torch.float32)
        return nn.CrossEntropyLoss(weight=weight, label_smoothing=train.label_smoothing), nn.CrossEntropyLoss()

    def validation_score(self, outputs: np.ndarray, targets: Any) -> float:
        return float((outputs.argmax(1) == np.asarray(targets)).mean())

    def scores(self, outputs: np.ndarray) -> np.ndarray:
        return softmax(outputs)

    def agreement(self, a: np.ndarray, b: np.ndarray) -> float:
        return float(np.mean(a.argmax(1) == b.argmax(1)))

    def ranked(self, scores: np.ndarray, labels: list[str], meta: dict[str, Any], top_k: int = 1,
               ) -> list[list[tuple[str, float]]]:
        k = max(1, min(top_k, len(labels)))
        order = np.argsort(-scores, axis=1)[:, :k]
        return [[(labels[j], float(scores[i, j])) for j in row] for i, row in enumerate(order)]

    def predictions(self, scores: np.ndarray, labels: list[str], meta: dict[str, Any], top_k: int = 1,
                    known: np.ndarray | None = None, items: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        return [{"predictions": [{"label": lab, "probability": p} for lab, p in row]}
                for row in self.ranked(scores, labels, meta, top_k)]

    def format_prediction(self, prediction: dict[str, Any]) -> str:
        return "\t".join(f"{r['label']} ({r['probability']:.3f})" for r in prediction["predictions"])

    def metrics(self, targets: Any, scores: np.ndarray, labels: list[str], meta: dict[str, Any],
                seed: int = 0, n_boot: int = 1000, items: Sequence[Any] | None = None) -> dict[str, Any]:
        from tinylab.metrics import single_label_metrics

        return single_label_metrics(np.asarray(targets), scores, labels, seed=seed, n_boot=n_boot)

    def groups(self, targets: Any, labels: list[str]) -> list[str]:
        return [labels[i] for i in np.asarray(targets)]

    def label_counts(self, targets: Any, labels: list[str]) -> dict[str, int]:
        counts = np.bincount(np.asarray(targets), minlength=len(labels))
        return {lab: int(counts[i]) for i, lab in enumerate(labels)}

    def plots(self, metrics: dict[str, Any], targets: Any, scores: np.ndarray, labels: list[str],
              val: tuple[Any, np.ndarray] | None = None) -> list[Plot]:
        from tinylab.metrics import confusion_matrix
        from tinylab.report import plots

        y = np.asarray(targets)
        pred = scores.argmax(axis=1)
        out: list[Plot] = [("per_class_f1.png", "Per-class F1, lowest classes",
                            plots.per_class_f1(metrics["per_class"]))]
        cm = confusion_matrix(y, pred, len(labels))
        out.append(("confusion.png", "Confusion among the most confused classes", plots.confusion_heatmap(cm, labels)))
        png, ece = plots.reliability(scores.max(axis=1), (pred == y).astype(float))
        metrics["calibration_ece"] = ece
        out.append(("reliability.png", f"Reliability diagram of top-1 confidence (ECE {ece:.3f})", png))
        return out

    def trivial_baseline(self, train_targets: Any, targets: Any, scores: np.ndarray, labels: list[str],
                         meta: dict[str, Any], seed: int = 0) -> tuple[dict[str, Any], ReportSection] | None:
        """Always the most frequent training label."""
        from tinylab.metrics import bootstrap_mean_ci

        y, train = np.asarray(targets), np.asarray(train_targets)
        majority = int(np.bincount(train, minlength=len(labels)).argmax())
        model_hit = (scores.argmax(axis=1) == y).astype(np.float64)
        base_hit = (y == majority).astype(np.float64)
        low, high = bootstrap_mean_ci(model_hit - base_hit, 1000, seed)
        model, base = float(model_hit.mean()), float(base_hit.mean())
        trivial = f"always {labels[majority]!r} (the most frequent training label)"
        md = "\n".join(["| answer | accuracy |", "|---|---|", f"| this run | {model:.4f} |",
                        f"| {trivial} | {base:.4f} |", "",
                        verdict("accuracy", model, base, model - base, low, high, "higher", trivial), ""])
        return ({"baseline_accuracy": base, "accuracy_over_baseline": model - base,
                 "accuracy_over_baseline_ci_low": low, "accuracy_over_baseline_ci_high": high,
                 "beats_baseline": bool(low > 0)}, ReportSection(BASELINE_TITLE, md))

