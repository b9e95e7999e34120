"""What multi-label and binary classification share: one independent sigmoid score per label, binary
cross-entropy, early stopping on validation loss (macro PR AUC is recorded), and per-label decision thresholds
tuned on the validation split after training (never on test)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tinylab.kinds.base import BASELINE_TITLE, Kind, Plot, ReportSection, verdict
from tinylab.scores import sigmoid

if TYPE_CHECKING:
    from torch import nn

    from tinylab.spec import TrainSpec


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    """Mean over labels of 2tp / (2tp + fp + fn), 0 where a label has neither positives nor predictions
    (scikit-learn's ``zero_division=0``); ``y``, ``pred``: (n, L) booleans. Fast enough for a bootstrap."""
    tp = (y & pred).sum(axis=0)
    denom = y.sum(axis=0) + pred.sum(axis=0)
    return float(np.mean(np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0))) if y.shape[1] else 0.0


def _fmt(v: Any, digits: int = 4) -> str:
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


class Thresholded(Kind):
    validation_metric = "val_macro_pr_auc"
    selected_on = "loss"
    supports_int8 = True
    agreement_name = "agreement of every label's decision at 0.5"
    miss_suggestion = ("read the per-label table and threshold curves: labels with few validation positives get "
                       "unreliable thresholds; more labelled examples of the weakest labels help most")

    def target_array(self, targets: Any) -> np.ndarray:
        y = np.asarray(targets, dtype=np.float32)
        return y.reshape(len(y), -1)

    def losses(self, train: TrainSpec, train_targets: Any, labels: list[str]) -> tuple[nn.Module, nn.Module]:
        import torch
        from torch import nn

        pos_weight = None
        if train.class_weights:  # negatives / positives per label, so rare labels are not drowned out
            y = self.target_array(train_targets)
            pos = y.sum(axis=0)
            pos_weight = torch.tensor(np.where(pos > 0, (len(y) - pos) / np.maximum(pos, 1), 1.0),
                                      dtype=torch.float32)
        return nn.BCEWithLogitsLoss(pos_weight=pos_weight), nn.BCEWithLogitsLoss()

    def validation_score(self, outputs: np.ndarray, targets: Any) -> float:
        from tinylab.metrics import pr_auc

        y = self.target_array(targets)
        per = [pr_auc(y[:, j], outputs[:, j]) for j in range(y.shape[1])]
        per = [v for v in per if not np.isnan(v)]
        return float(np.mean(per)) if per else 0.0

    def selection(self, score: float, val_loss: float) -> tuple[float, float]:
        # a few hundred validation items: PR AUC moves in steps, the loss is the smoother signal
        return -val_loss, -val_loss

    def scores(self, outputs: np.ndarray) -> np.ndarray:
        return sigmoid(outputs)

    def agreement(self, a: np.ndarray, b: np.ndarray) -> float:
        """Share of items whose every label gets the same decision at probability 0.5 (logit 0) from both."""
        return float(np.mean(((a >= 0) == (b >= 0)).all(axis=1))) if len(a) else 1.0

    def calibrate(self, val_targets: Any, val_scores: np.ndarray, labels: list[str]) -> dict[str, Any]:
        from tinylab.metrics import tune_thresholds

        tuned = tune_thresholds(self.target_array(val_targets), val_scores)
        # grid points, rounded: 0.8, not 0.7999999999999999
        return {"thresholds": {"global": round(tuned["global"], 6),
                               "per_label": {lab: round(t, 6) for lab, t in zip(labels, tuned["per_label"],
                                                                               strict=True)},
                               "objective": tuned["objective"], "tuned_on": "validation",
                               "untuned_labels": [labels[j] for j in tuned["untuned"]]}}

    def thresholds(self, meta: dict[str, Any], labels: list[str]) -> np.ndarray:
        """The per-label thresholds tuned on validation and stored in meta.json (0.5 for a run without)."""
        stored = meta.get("thresholds")
        if isinstance(stored, dict) and "per_label" in stored:
            per = stored["per_label"]
            return np.array([float(per[lab]) for lab in labels] if isinstance(per, dict) else per, dtype=float)
        return np.full(len(labels), 0.5)

    def ranked(self, scores: np.ndarray, labels: list[str], meta: dict[str, Any], top_k: int = 1,
               ) -> list[list[tuple[str, float]]]:
        """Every label whose score reaches its threshold, most probable first; ``top_k`` > 1 also lists the
        runners-up below threshold."""
        k = max(1, min(top_k, len(labels)))
        t = self.thresholds(meta, labels)
        out = []
        for i, row in enumerate(np.argsort(-scores, axis=1)):
            chosen = [j for j in row if scores[i, j] >= t[j]]
            extra = [j for j in row if scores[i, j] < t[j]][: max(0, k - len(chosen))] if k > 1 else []
            out.append([(labels[j], float(scores[i, j])) for j in chosen + extra])
        return out

    def predictions(self, scores: np.ndarray, labels: list[str], meta: dict[str, Any], top_k: int = 1,
                    known: np.ndarray | None = None, items: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        t = dict(zip(labels, self.thresholds(meta, labels).tolist(), strict=True))
        return [{"predictions": [{"label": lab, "probability": p, "threshold": t[lab], "predicted": p >= t[lab]}
                                 for lab, p in row]} for row in self.ranked(scores, labels, meta, top_k)]

    def format_prediction(self, prediction: dict[str, Any]) -> str:
        shown = [f"{r['label']} ({r['probability']:.3f} {'≥' if r['predicted'] else '<'} {r['threshold']:.2f})"
                 for r in prediction["predictions"]]
        return "\t".join(shown) if shown else "(no label reaches its threshold)"

    def groups(self, targets: Any, labels: list[str]) -> list[str]:
        t = self.target_array(targets).astype(bool)
        return [labels[int(np.argmax(row))] if row.any() else "(no label)" for row in t]

    def label_counts(self, targets: Any, labels: list[str]) -> dict[str, int]:
        pos = self.target_array(targets).sum(axis=0).astype(int)
        return {lab: int(pos[i]) for i, lab in enumerate(labels)}

    def plots(self, metrics: dict[str, Any], targets: Any, scores: np.ndarray, labels: list[str],
              val: tuple[Any, np.ndarray] | None = None) -> list[Plot]:
        from tinylab.report import plots

        y = self.target_array(targets)
        val_arrays = None if val is None else (self.target_array(val[0]), val[1])
        chosen = {lab: metrics["per_class"][lab]["threshold"] for lab in labels}
        out: list[Plot] = [
            ("per_class_f1.png", "Per-class F1, lowest classes", plots.per_class_f1(metrics["per_class"])),
            ("thresholds.png", "F1 against the decision threshold, per label (test solid, validation dashed; "
             "dots: the thresholds tuned on validation)",
             plots.threshold_curves(y, scores, labels, chosen, val_arrays)),
        ]
        png, ece = plots.reliability(scores.ravel(), y.ravel().astype(float),
                                     xlabel="predicted probability (every label of every item)")
        metrics["calibration_ece"] = ece
        out.append(("reliability.png", f"Reliability diagram of the per-label probabilities (ECE {ece:.3f})", png))
        return out

    def report_sections(self, metrics: dict[str, Any], meta: dict[str, Any]) -> list[ReportSection]:
        """Test metrics at 0.5, at the global and at the per-label thresholds, all tuned on validation."""
        th = meta.get("thresholds")
        if not th:
            return []
        lines: list[str] = []
        if "macro_f1_at_0_5" in metrics:
            lines += ["| thresholds | macro F1 | micro F1 | subset accuracy | Hamming loss |", "|---|---|---|---|---|"]
            for mode, name in (("at_0_5", "0.5 for every label"), ("global", f"global {th['global']:.2f}"),
                               ("per_label", "per label (used by predict)")):
                lines.append(f"| {name} | {metrics[f'macro_f1_{mode}']:.4f} | {metrics[f'micro_f1_{mode}']:.4f} | "
                             f"{metrics[f'subset_accuracy_{mode}']:.4f} | {metrics[f'hamming_loss_{mode}']:.4f} |")
        elif "f1_at_0_5" in metrics:
            lines += ["| threshold | F1 | precision | recall |", "|---|---|---|---|",
                      f"| 0.5 | {metrics['f1_at_0_5']:.4f} | {metrics['precision_at_0_5']:.4f} | "
                      f"{metrics['recall_at_0_5']:.4f} |",
                      f"| {metrics['threshold']:.2f} (tuned, used by predict) | {metrics['f1']:.4f} | "
                      f"{metrics['precision']:.4f} | {metrics['recall']:.4f} |", "",
                      "With one label the global and the per-label threshold are the same number."]
        lines += ["", f"Global threshold {th['global']:.2f} maximizes validation {th.get('objective', 'macro_f1')}; "
                  "each per-label threshold maximizes that label's validation F1."]
        if th.get("untuned_labels"):
            lines.append(f"No validation positives (kept the global threshold): {', '.join(th['untuned_labels'])}.")
        per = metrics.get("per_class", {})
        lines += ["", "| label | threshold | precision | recall | F1 | PR AUC | support |",
                  "|---|---|---|---|---|---|---|"]
        for lab, v in per.items():
            lines.append(f"| {lab} | {v.get('threshold', 0.5):.2f} | {v['precision']:.3f} | {v['recall']:.3f} | "
                         f"{v['f1']:.3f} | {_fmt(v.get('pr_auc', float('nan')), 3)} | {v['support']} |")
        return [ReportSection("Decision thresholds (tuned on the validation split, never on test)", "\n".join(lines))]

    #: the F1 the trivial baseline is compared on ("f1" for one label, "macro_f1" for several)
    baseline_f1 = "macro_f1"

    def trivial_baseline(self, train_targets: Any, targets: Any, scores: np.ndarray, labels: list[str],
                         meta: dict[str, Any], seed: int = 0) -> tuple[dict[str, Any], ReportSection] | None:
        """Every label, always: the F1 a constant "yes" gets (its PR AUC is the positive rate), against the
        model's at its tuned thresholds."""
        from tinylab.metrics import bootstrap_stat_ci, pr_auc

        y = self.target_array(targets).astype(bool)
        n = len(y)
        pred = scores >= self.thresholds(meta, labels)
        every = np.ones_like(y)
        model, base = macro_f1(y, pred), macro_f1(y, every)
        low, high = bootstrap_stat_ci(lambda idx: macro_f1(y[idx], pred[idx]) - macro_f1(y[idx], every[idx]), n,
                                      1000, seed)
        name = self.baseline_f1
        metrics: dict[str, Any] = {f"baseline_{name}": base, f"{name}_over_baseline": model - base,
                                   f"{name}_over_baseline_ci_low": low, f"{name}_over_baseline_ci_high": high}
        trivial = f"always {labels[0]!r}" if len(labels) == 1 else "always every label"
        if len(labels) == 1:
            positive_rate = float(y.mean())
            metrics["baseline_pr_auc"] = positive_rate  # a constant score's average precision
            head = ["| answer | F1 (at the tuned threshold) | PR AUC |", "|---|---|---|",
                    f"| this run | {model:.4f} | {pr_auc(y[:, 0], scores[:, 0]):.4f} |",
                    f"| {trivial} (a constant score) | {base:.4f} | {positive_rate:.4f} |"]
        else:
            head = ["| answer | macro F1 (at the tuned thresholds) |", "|---|---|", f"| this run | {model:.4f} |",
                    f"| {trivial} | {base:.4f} |"]
        metrics["beats_baseline"] = bool(low > 0)
        label = name.replace("_", " ").replace("f1", "F1")
        md = "\n".join([*head, "", verdict(label, model, base, model - base, low, high, "higher", trivial), ""])
        return metrics, ReportSection(BASELINE_TITLE, md)

