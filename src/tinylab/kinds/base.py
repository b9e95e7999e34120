"""What a kind of task is: everything the trainer, evaluation, reports, prediction and comparison need to
know about a task's targets and outputs. The core asks a kind; it never asks which kind it has.

A kind is an object (one module per kind, registered by name in :mod:`tinylab.kinds`); a task names a
built-in kind or brings its own instance. Importing a kind never imports torch: only ``losses`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from torch import nn

    from tinylab.spec import TrainSpec

# (file name, caption, PNG bytes) of one plot of a run
Plot = tuple[str, str, bytes]


@dataclass
class ReportSection:
    title: str
    markdown: str


class Kind:
    """The base kind. Subclasses set the class attributes and override what differs; every method has a
    default that suits a kind scored by a single value per item."""

    name: str = ""
    #: the metric the train/test gap, ``runs list`` and the diagnosis use
    headline: str = ""
    #: printed by ``tinylab train`` / ``tinylab eval``, in order, when present
    summary_metrics: tuple[str, ...] = ()
    #: the report's table of headline metrics, in order, when present
    report_metrics: tuple[str, ...] = ()
    #: what ``tinylab compare`` puts side by side (with paired bootstrap intervals of the difference)
    compare_metrics: tuple[str, ...] = ()
    #: the key of the early-stopping score in each epoch's history record
    validation_metric: str = "val_score"
    #: what the best epoch is chosen on, in words, when it is not the validation score ("loss")
    selected_on: str = ""
    #: said after a missed target
    miss_suggestion: str = "compare with the baselines in this report and add data or capacity"
    #: whether an int8 model may serve (``export.int8``); ``agreement`` then decides whether it does
    supports_int8: bool = False
    #: how ``agreement`` is named in a run's notes
    agreement_name: str = "top-1 agreement"
    #: the dtype of the scores a predictor returns (``object`` for a kind whose scores are not numbers)
    score_dtype: Any = np.float32
    #: the metrics ``trivial_baseline`` adds
    baseline_metrics: tuple[str, ...] = ()

    # ---- training -------------------------------------------------------------------------------
    def n_outputs(self, labels: list[str]) -> int:
        """Width of the model's output for these labels."""
        return len(labels)

    def target_array(self, targets: Any) -> np.ndarray:
        """Targets as the array the loss takes (float32 unless a kind says otherwise)."""
        return np.asarray(targets, dtype=np.float32)

    def losses(self, train: TrainSpec, train_targets: Any, labels: list[str]) -> tuple[nn.Module, nn.Module]:
        """(training loss, evaluation loss): torch modules called as ``loss(outputs, targets)``."""
        raise NotImplementedError(f"kind {self.name!r} defines no loss")

    def validation_score(self, outputs: np.ndarray, targets: Any) -> float:
        """The score early stopping maximizes, from raw validation outputs (higher is better)."""
        raise NotImplementedError(f"kind {self.name!r} defines no validation score")

    def selection(self, score: float, val_loss: float) -> tuple[float, float]:
        """What early stopping maximizes, compared as a tuple: by default the validation score, ties broken
        by the lower validation loss."""
        return score, -val_loss

    # ---- serving --------------------------------------------------------------------------------
    def scores(self, outputs: np.ndarray) -> np.ndarray:
        """Raw model outputs to what the task reports (probabilities, values); numpy only."""
        return np.asarray(outputs, dtype=np.float32)

    def calibrate(self, val_targets: Any, val_scores: np.ndarray, labels: list[str]) -> dict[str, Any]:
        """Entries for meta.json decided on the validation split after training (e.g. decision thresholds)."""
        return {}

    def thresholds(self, meta: dict[str, Any], labels: list[str]) -> np.ndarray | None:
        """The per-label decision thresholds a run predicts with, if the kind has any."""
        return None

    def agreement(self, a: np.ndarray, b: np.ndarray) -> float:
        """Share of items on which two models' raw outputs give the same answer (int8 vs float)."""
        raise NotImplementedError(f"kind {self.name!r} cannot compare two models' answers")

    def predictions(self, scores: np.ndarray, labels: list[str], meta: dict[str, Any], top_k: int = 1,
                    known: np.ndarray | None = None, items: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        """One JSON object per item (``tinylab predict --json``). ``known``: a task's reference answers
        (NaN rows where it has none), shown beside the model's; ``items``: the items themselves, for a kind
        whose answer is built from its input (text out)."""
        raise NotImplementedError(f"kind {self.name!r} defines no predictions")

    def format_prediction(self, prediction: dict[str, Any]) -> str:
        """One prediction as the text after the item on a ``tinylab predict`` line."""
        return " ".join(f"{k} {v}" for k, v in prediction.items())

    def ranked(self, scores: np.ndarray, labels: list[str], meta: dict[str, Any], top_k: int = 1,
               ) -> list[list[tuple[str, float]]]:
        """``Predictor.predict``'s Python form: per item, (label, score) pairs, most likely first."""
        return [[(labels[0], float(row[0]))] for row in np.asarray(scores)]

    # ---- evaluation -----------------------------------------------------------------------------
    def metrics(self, targets: Any, scores: np.ndarray, labels: list[str], meta: dict[str, Any],
                seed: int = 0, n_boot: int = 1000, items: Sequence[Any] | None = None) -> dict[str, Any]:
        """Every metric of one split (headline metrics with bootstrap intervals when ``n_boot`` > 0);
        ``items``: the split's items, for a kind whose answer is built from its input."""
        raise NotImplementedError(f"kind {self.name!r} defines no metrics")

    def compare_scores(self, targets: Any, scores: np.ndarray, labels: list[str], meta: dict[str, Any],
                       items: Sequence[Any] | None = None) -> dict[str, float]:
        """The ``compare_metrics`` of one resample, for a comparison's bootstrap: by default from ``metrics``;
        a kind may give a faster form that equals it."""
        m = self.metrics(targets, scores, labels, meta, n_boot=0, items=items)
        return {name: m[name] for name in self.compare_metrics if name in m}

    def groups(self, targets: Any, labels: list[str]) -> list[str]:
        """A group name per item, for the leakage table (its class, its first label, or one group)."""
        return ["all"] * len(targets)

    def label_counts(self, targets: Any, labels: list[str]) -> dict[str, int]:
        """Training items (or positives) per label, for the diagnosis; empty when the kind has no labels."""
        return {}

    def plots(self, metrics: dict[str, Any], targets: Any, scores: np.ndarray, labels: list[str],
              val: tuple[Any, np.ndarray] | None = None) -> list[Plot]:
        """The kind's plots of the test split (learning curves are drawn for every kind by the lifecycle).
        May add figures to ``metrics`` (e.g. ``calibration_ece``)."""
        return []

    def report_sections(self, metrics: dict[str, Any], meta: dict[str, Any]) -> list[ReportSection]:
        """Sections of the run report that only this kind has (e.g. decision thresholds)."""
        return []

    def trivial_baseline(self, train_targets: Any, targets: Any, scores: np.ndarray, labels: list[str],
                         meta: dict[str, Any], seed: int = 0) -> tuple[dict[str, Any], ReportSection] | None:
        """The trivial answer a model must beat on the same test split (the most frequent training label,
        every label, the training mean), the model's margin over it with a paired bootstrap interval, and a
        report section that says whether the model beats it; None for a kind without one."""
        return None


def verdict(metric: str, model: float, base: float, diff: float, low: float, high: float, better: str,
            trivial: str) -> str:
    """One sentence on a model against a trivial answer, from the interval of their paired difference."""
    numbers = (f"{metric} {model:.4f} against {base:.4f} for {trivial}: {better} by {diff:+.4f} "
               f"(95% CI {low:+.4f} to {high:+.4f}, paired bootstrap over the test rows)")
    numbers = numbers[0].upper() + numbers[1:]
    if low > 0:
        return f"**The model beats the trivial answer.** {numbers}."
    if high < 0:
        return f"**The model does WORSE than the trivial answer.** {numbers}."
    return f"**The model does NOT clearly beat the trivial answer** (the interval includes 0). {numbers}."


BASELINE_TITLE = "Against the trivial answer (same test split)"


def require_kind(obj: object) -> Kind:
    if not isinstance(obj, Kind):
        raise TypeError(f"{obj!r} is not a tinylab Kind")
    return obj
