"""The from-file task: train on the user's own data file. The targets decide the kind, the inputs the model
(:mod:`tinylab.tasks.from_file.infer`); both are resolved into the spec when it is validated
(:mod:`tinylab.tasks.from_file.spec`), so a saved run reloads as it was trained.

The task's kind under a spec is the one resolved into it (``kind_for``); without a spec the task is listed
as :data:`INFERRED`, a placeholder that only has a name (``tinylab tasks``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tinylab.data import encode_bytes
from tinylab.errors import TinylabError
from tinylab.kinds import get_kind
from tinylab.kinds.base import Kind, ReportSection
from tinylab.spec import BaseSpec
from tinylab.tasks.base import Dataset, ProgressFactory, Split, task_kind
from tinylab.tasks.from_file.dataset import load_file_data, need_data
from tinylab.tasks.from_file.infer import KINDS
from tinylab.tasks.from_file.spec import AutoModel, CharCNNModel, FromFileData, FromFileSpec, SentenceHeadModel

if TYPE_CHECKING:
    from torch import nn


class InferredKind(Kind):
    """The kind of a from-file task before it has seen a spec naming its data: inferred from the file."""

    name = "inferred"

    def n_outputs(self, labels: list[str]) -> int:
        raise TinylabError("the from-file task's kind is inferred from its data file; give one: "
                           "tinylab train from-file DATA --input COL --target COL")


INFERRED = InferredKind()


def _spec(spec: BaseSpec) -> FromFileSpec:
    assert isinstance(spec, FromFileSpec), f"from-file takes a FromFileSpec, got {type(spec).__name__}"
    return spec


class FromFileTask:
    name = "from-file"
    summary = ("your own CSV / TSV / Parquet / JSON Lines file: the targets choose the kind, the inputs the "
               "model (char-CNN or sentence encoder)")
    spec_class = FromFileSpec
    input_type = "text"
    kind: str | Kind = INFERRED
    # every kind's trivial-baseline figures (a run shows those it has)
    report_metrics = tuple(m for name in KINDS for m in get_kind(name).baseline_metrics)

    def kind_for(self, spec: BaseSpec) -> str | Kind:
        """The kind resolved into ``spec`` from its data file."""
        resolved = _spec(spec).data.kind
        return INFERRED if resolved is None else resolved

    def default_spec(self) -> dict[str, Any]:
        return {
            "task": self.name,
            "data": FromFileData().model_dump(),
            "model": {"name": "auto"},
            # epochs and learning rate are filled in on resolution, for the chosen model and the file's size
            # (about 600 steps: a few thousand rows train in seconds to a minute on two cores)
            "train": {"batch_size": 128, "patience": 5},
            "targets": {},
        }

    def label_names(self, spec: BaseSpec) -> list[str]:
        spec = _spec(spec)
        return list(load_file_data(spec.data).labels)

    def load_split(self, spec: BaseSpec, split: Split, progress: ProgressFactory | None = None) -> Dataset:
        spec = _spec(spec)
        found = load_file_data(spec.data)
        idx = found.splits[split]
        advance = progress(f"reading {split} ({len(idx)} rows of {found.path.name})", 1) if progress else None
        if advance:
            advance(1)
        return Dataset([found.inputs[i] for i in idx], found.targets.values[idx],
                       source=f"{found.path.name}: {found.how}", info={"rows": len(idx)})

    def build_model(self, spec: BaseSpec, n_outputs: int) -> nn.Module:
        spec = _spec(spec)
        if isinstance(spec.model, AutoModel):
            need_data(spec.data)
            raise TinylabError("model.name = 'auto' is resolved from the data file: validate the spec with it")
        from tinylab import models  # torch: only where a torch model is built

        model = models.build(spec.model, n_outputs)
        m = spec.model
        if m.target_mean is not None:  # set on resolution for a kind that learns a standardized target
            from tinylab.tasks.from_file.model import ScaledOutput

            return ScaledOutput(model, m.target_mean, m.target_std or 1.0)
        return model

    def encode(self, spec: BaseSpec, inputs: Sequence[Any]) -> tuple[np.ndarray, ...]:
        model = _spec(spec).model
        texts = [v if isinstance(v, str) else str(v) for v in inputs]
        if isinstance(model, CharCNNModel):
            return encode_bytes(texts, model.max_len, trim=True)
        if isinstance(model, SentenceHeadModel):
            from tinylab.models.sentence_head import sentence_inputs  # torch and the sentence encoder: text extra

            return sentence_inputs(model, texts)
        need_data(_spec(spec).data)
        raise TinylabError("model.name = 'auto' is resolved from the data file: validate the spec with it")

    def postprocess(self, spec: BaseSpec, inputs: Sequence[Any], proba: np.ndarray, labels: list[str]) -> np.ndarray:
        return proba

    def extra_evaluation(
        self, spec: BaseSpec, labels: list[str], y_true: Any, proba: np.ndarray,
        thresholds: np.ndarray | None = None,
    ) -> tuple[dict[str, Any], list[ReportSection]]:
        spec = _spec(spec)
        found = load_file_data(spec.data)
        y_train = found.targets.values[found.splits["train"]]
        meta = {} if thresholds is None else {"thresholds": {"per_label": list(np.ravel(thresholds))}}
        out = task_kind(self, spec).trivial_baseline(y_train, y_true, proba, labels, meta, seed=spec.train.seed)
        if out is None:
            return {}, []
        metrics, section = out
        return metrics, [section]
