"""The Task protocol: what a task supplies, and nothing the shared lifecycle already does."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

import numpy as np

from tinylab.spec import BaseSpec

if TYPE_CHECKING:
    from torch import nn

TaskKind = Literal["single_label", "multi_label", "binary", "regression"]
Split = Literal["train", "val", "test"]
# progress(description, total) -> advance(n) callback
ProgressFactory = Callable[[str, int], Callable[[int], None]]


@dataclass
class Dataset:
    """One split: raw inputs, integer targets (single-label), and where each item came from."""

    inputs: list[str]
    targets: np.ndarray
    source: str = ""
    info: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.inputs)


@dataclass
class ReportSection:
    title: str
    markdown: str


# Optional, outside the protocol: ``concurrent_encode = True`` declares that ``encode`` is a pure function of
# its inputs (no shared state, no torch), so ``Predictor`` may encode and run chunks of a batch on several
# threads at once; and ``known_values(spec, inputs) -> array`` (NaN = unknown) gives the answer of
# a reference table the task keeps (word-rarity's word list). ``tinylab predict`` prefers it and says so;
# evaluation never uses it.


@runtime_checkable
class Task(Protocol):
    name: str
    kind: TaskKind
    summary: str
    spec_class: type[BaseSpec]

    def default_spec(self) -> dict[str, Any]:
        """The default spec as plain data (what ``--spec`` and ``--set`` are merged onto)."""
        ...

    def label_names(self, spec: BaseSpec) -> list[str]: ...

    def load_split(self, spec: BaseSpec, split: Split, progress: ProgressFactory | None = None) -> Dataset: ...

    def build_model(self, spec: BaseSpec, n_outputs: int) -> nn.Module: ...

    def encode(self, spec: BaseSpec, inputs: Sequence[str]) -> tuple[np.ndarray, ...]:
        """Inputs to the model's input arrays (vectorized); the model is called as ``model(*arrays)``."""
        ...

    def postprocess(self, spec: BaseSpec, inputs: Sequence[str], proba: np.ndarray, labels: list[str]) -> np.ndarray:
        """Adjust predicted probabilities with task knowledge (e.g. validation rules); identity if none. Row i
        may depend only on ``inputs[i]`` and row i of ``proba``: prediction applies it chunk by chunk."""
        ...

    def extra_evaluation(
        self, spec: BaseSpec, labels: list[str], y_true: np.ndarray, proba: np.ndarray,
        thresholds: np.ndarray | None = None,
    ) -> tuple[dict[str, Any], list[ReportSection]]:
        """Task-specific metrics and report sections, computed from test predictions (``thresholds``: the
        per-label decision thresholds of a multi-label or binary run, tuned on validation)."""
        ...
