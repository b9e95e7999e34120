"""A task defined outside tinylab, as a user's package would define one: its items are small integer arrays,
not strings, and it brings a kind of its own ("count": how many of the digits are large, scored on exact
counts). Registered through the ``tinylab.tasks`` entry point by the tests (nothing in ``src/`` names it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from pydantic import Field

from tinylab.kinds import Kind, ReportSection
from tinylab.metrics import bootstrap_mean_ci
from tinylab.spec import BaseSpec, StrictModel


class CountKind(Kind):
    """A count per item: one output, squared error, scored on exact (rounded) counts."""

    name = "count"
    headline = "exact_match"
    summary_metrics = ("exact_match", "mae")
    report_metrics = ("exact_match", "mae")
    compare_metrics = ("exact_match", "mae")
    validation_metric = "val_exact_match"

    def n_outputs(self, labels: list[str]) -> int:
        return 1

    def losses(self, train: Any, train_targets: Any, labels: list[str]) -> tuple[Any, Any]:
        from torch import nn

        class SquaredError(nn.Module):
            def forward(self, out: Any, target: Any) -> Any:
                return nn.functional.mse_loss(out.reshape(-1), target.reshape(-1))

        return SquaredError(), SquaredError()

    def validation_score(self, outputs: np.ndarray, targets: Any) -> float:
        return float((np.rint(outputs[:, 0]) == np.asarray(targets)).mean())

    def ranked(self, scores: np.ndarray, labels: list[str], meta: dict[str, Any], top_k: int = 1,
               ) -> list[list[tuple[str, float]]]:
        return [[(labels[0], float(np.rint(v)))] for v in scores[:, 0]]

    def predictions(self, scores: np.ndarray, labels: list[str], meta: dict[str, Any], top_k: int = 1,
                    known: np.ndarray | None = None, items: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        return [{labels[0]: int(np.rint(v)), "raw": float(v)} for v in scores[:, 0]]

    def format_prediction(self, prediction: dict[str, Any]) -> str:
        name = next(iter(prediction))
        return f"{name} {prediction[name]} (raw {prediction['raw']:.2f})"

    def metrics(self, targets: Any, scores: np.ndarray, labels: list[str], meta: dict[str, Any],
                seed: int = 0, n_boot: int = 1000, items: Sequence[Any] | None = None) -> dict[str, Any]:
        y = np.asarray(targets, dtype=np.float64)
        exact = (np.rint(scores[:, 0]) == y).astype(np.float64)
        low, high = bootstrap_mean_ci(exact, n_boot, seed)
        return {"n": len(y), "exact_match": float(exact.mean()), "exact_match_ci_low": low,
                "exact_match_ci_high": high, "mae": float(np.abs(scores[:, 0] - y).mean())}


class DigitData(StrictModel):
    length: int = Field(12, ge=1, le=64)
    train_items: int = Field(2000, ge=10)
    val_items: int = Field(300, ge=10)
    test_items: int = Field(300, ge=10)
    train_seed: int = 1
    val_seed: int = 2
    test_seed: int = 3


class DigitModel(StrictModel):
    name: Literal["digit_sum"] = "digit_sum"
    dim: int = Field(8, ge=1)


class DigitCountSpec(BaseSpec):
    task: Literal["digit-count"] = "digit-count"
    data: DigitData = DigitData()
    model: DigitModel = DigitModel()


class DigitCountTask:
    name = "digit-count"
    kind = CountKind()
    summary = "how many digits of an integer array are 5 or more (test-only task with its own kind)"
    spec_class = DigitCountSpec
    input_type = "array"
    report_metrics = ("baseline_exact_match",)

    def default_spec(self) -> dict[str, Any]:
        return {"task": self.name, "train": {"epochs": 30, "batch_size": 64, "lr": 0.03, "patience": 30},
                "targets": {"exact_match": 0.9}}

    def label_names(self, spec: BaseSpec) -> list[str]:
        return ["count"]

    def load_split(self, spec: BaseSpec, split: str, progress: Any = None) -> Any:
        from tinylab.tasks.base import Dataset

        assert isinstance(spec, DigitCountSpec)
        d = spec.data
        n, seed = {"train": (d.train_items, d.train_seed), "val": (d.val_items, d.val_seed),
                   "test": (d.test_items, d.test_seed)}[split]
        x = np.random.default_rng(seed).integers(0, 10, size=(n, d.length)).astype(np.int64)
        return Dataset(list(x), (x >= 5).sum(axis=1).astype(np.float32), source=f"random digits, seed {seed}")

    def build_model(self, spec: BaseSpec, n_outputs: int) -> Any:
        from torch import nn

        assert isinstance(spec, DigitCountSpec)

        class DigitSum(nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.embed = nn.Embedding(10, spec.model.dim)
                self.out = nn.Linear(spec.model.dim, n_outputs)

            def forward(self, digits: Any) -> Any:
                return self.out(self.embed(digits).sum(dim=1))

        return DigitSum()

    def encode(self, spec: BaseSpec, inputs: Sequence[Any]) -> tuple[np.ndarray, ...]:
        return (np.stack([np.asarray(x, dtype=np.int64) for x in inputs]),)

    def item_from_json(self, value: Any) -> np.ndarray:
        arr = np.asarray(value, dtype=np.int64)
        if arr.ndim != 1 or arr.min(initial=0) < 0 or arr.max(initial=0) > 9:
            raise ValueError("expected a list of digits 0-9")
        return arr

    def postprocess(self, spec: BaseSpec, inputs: Sequence[Any], proba: np.ndarray, labels: list[str]) -> np.ndarray:
        return proba

    def extra_evaluation(self, spec: BaseSpec, labels: list[str], y_true: Any, proba: np.ndarray,
                         thresholds: np.ndarray | None = None) -> tuple[dict[str, Any], list[ReportSection]]:
        y = np.asarray(y_true)
        guess = np.rint(y.mean())  # the constant a model without input would say
        base = float((y == guess).mean())
        return ({"baseline_exact_match": base},
                [ReportSection("Against a constant", f"Always answering {guess:.0f}: exact match {base:.4f}.\n")])
