"""What the text tasks built on a frozen sentence encoder share: their model, their inputs, no postprocessing."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from torch import nn

from tinylab import models
from tinylab.models.sentence_head import SentenceHeadSpec, sentence_inputs
from tinylab.spec import BaseSpec


def _model_spec(spec: BaseSpec) -> SentenceHeadSpec:
    model = getattr(spec, "model", None)
    assert isinstance(model, SentenceHeadSpec), "a sentence task's spec has a [model] of kind sentence_head"
    return model


class SentenceModelTask:
    """``build_model``, ``encode`` and ``postprocess`` for a task whose spec's ``model`` is a sentence head."""

    def build_model(self, spec: BaseSpec, n_outputs: int) -> nn.Module:
        return models.build(_model_spec(spec), n_outputs)

    def encode(self, spec: BaseSpec, inputs: Sequence[str]) -> tuple[np.ndarray, ...]:
        return sentence_inputs(_model_spec(spec), inputs)

    def postprocess(self, spec: BaseSpec, inputs: Sequence[str], proba: np.ndarray, labels: list[str]) -> np.ndarray:
        return proba
