"""The Task protocol: what a task supplies, and nothing the shared lifecycle already does.

Required: ``name``, ``kind`` (a kind's name, or a :class:`~tinylab.kinds.Kind` instance of the task's own),
``summary``, ``spec_class`` and the methods of :class:`Task`. Optional attributes, read with defaults:

- ``input_type``: ``"text"`` (default: strings), ``"json"`` (any JSON value: dicts, lists, numbers) or
  ``"array"`` (numpy arrays). ``tinylab predict`` reads items accordingly (:mod:`tinylab.items`).
- ``item_key(item) -> Hashable`` and ``item_size(item) -> int``: an item's identity for the leakage check
  and its size for length bucketing (defaults: :func:`tinylab.items.item_key`, :func:`tinylab.items.item_size`).
- ``item_from_json(value) -> item``: one item from a parsed JSON value (default: arrays for ``"array"``
  tasks, the value itself otherwise).
- ``kind_for(spec) -> str | Kind``: the kind under a given spec, for a task whose kind depends on its data
  (from-file infers it from the targets); ``kind`` is then what the task is listed as.
- ``report_metrics``: task metrics (from ``extra_evaluation``) shown with the kind's headline metrics, when
  present.
- ``concurrent_encode = True``: ``encode`` is a pure function of its inputs (no shared state, no torch), so
  ``Predictor`` may encode and run chunks of a batch on several threads at once.
- ``decode(spec, inputs, logits) -> list``: for a task whose model is asked many times per item (json-repair's
  search asks it to rank the candidate edits of every choice), the answers themselves, one per item;
  ``logits`` maps encoded arrays to the model's outputs. ``Predictor.predict_proba`` then returns them.
- ``document(predictor, path) -> report``: for a task whose items are the parts of a whole document
  (unfair-clauses: the sentences of a Terms of Service), ``tinylab predict TASK --file PATH`` reads PATH as one
  document; the report has ``lines()`` (printed), ``as_json()`` (``--json``) and ``html()`` (``--html OUT``).
- ``known_values(spec, inputs) -> array`` (NaN = unknown): the answer of a reference table the task keeps
  (word-rarity's word list). ``tinylab predict`` prefers it and says so; evaluation never uses it.
- ``probe_evaluation(spec, predictor) -> (metrics, sections)``: evaluations that ask the model about items of
  their own (word-rarity's behavioural suite), run with every evaluation after ``extra_evaluation``.
- ``serving_model(spec, model) -> nn.Module`` with ``serving_encode(spec, inputs) -> arrays``: for a task whose
  served model reads other inputs than the trained one (clause-labels trains its head on cached sentence
  embeddings and serves it with the frozen encoder inside the ONNX model, reading token ids), the module to
  export and its inputs. The export is held to the trained model's logits on the same items; the run's
  meta.json then says ``"onnx_inputs": "serving_encode"`` and prediction on that ONNX model encodes with
  ``serving_encode``.

A task's own command-line commands are registered under the ``tinylab.commands`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

import numpy as np

from tinylab.kinds.base import Kind, ReportSection
from tinylab.spec import BaseSpec

if TYPE_CHECKING:
    from torch import nn

TaskKind = str  # a kind's registered name (see tinylab.kinds)
Split = Literal["train", "val", "test"]
# progress(description, total) -> advance(n) callback
ProgressFactory = Callable[[str, int], Callable[[int], None]]


@dataclass
class Dataset:
    """One split: inputs of any type the task declares, their targets (as the task's kind expects them),
    and where the items came from."""

    inputs: Sequence[Any]
    targets: Any
    source: str = ""
    info: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.inputs)


@runtime_checkable
class Task(Protocol):
    name: str
    kind: str | Kind
    summary: str
    spec_class: type[BaseSpec]

    def default_spec(self) -> dict[str, Any]:
        """The default spec as plain data (what ``--spec`` and ``--set`` are merged onto)."""
        ...

    def label_names(self, spec: BaseSpec) -> list[str]: ...

    def load_split(self, spec: BaseSpec, split: Split, progress: ProgressFactory | None = None) -> Dataset: ...

    def build_model(self, spec: BaseSpec, n_outputs: int) -> nn.Module: ...

    def encode(self, spec: BaseSpec, inputs: Sequence[Any]) -> tuple[np.ndarray, ...]:
        """Inputs to the model's input arrays (vectorized); the model is called as ``model(*arrays)``."""
        ...

    def postprocess(self, spec: BaseSpec, inputs: Sequence[Any], proba: np.ndarray, labels: list[str]) -> np.ndarray:
        """Adjust predicted scores with task knowledge (e.g. validation rules); identity if none. Row i
        may depend only on ``inputs[i]`` and row i of ``proba``: prediction applies it chunk by chunk."""
        ...

    def extra_evaluation(
        self, spec: BaseSpec, labels: list[str], y_true: Any, proba: np.ndarray,
        thresholds: np.ndarray | None = None,
    ) -> tuple[dict[str, Any], list[ReportSection]]:
        """Task-specific metrics and report sections, computed from test predictions (``thresholds``: the
        decision thresholds the run predicts with, when its kind has any; tuned on validation)."""
        ...


def task_kind(task: Task, spec: BaseSpec | None = None) -> Kind:
    """The kind object of a task; with ``spec``, of the task under that spec (a task whose kind depends on
    its data, such as from-file, answers ``kind_for(spec)``)."""
    from tinylab.kinds import get_kind

    hook = getattr(task, "kind_for", None)
    return get_kind(hook(spec) if hook is not None and spec is not None else task.kind)


__all__ = ["Dataset", "ProgressFactory", "ReportSection", "Split", "Task", "TaskKind", "task_kind"]
