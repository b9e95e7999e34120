"""What the text tasks built on a frozen sentence encoder share: their model, their inputs, no postprocessing.
The sentence encoder needs torch (the ``text`` extra); it is imported when a model is built or items encoded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from tinylab.extras import require
from tinylab.models.specs import SentenceHeadSpec
from tinylab.spec import BaseSpec

if TYPE_CHECKING:
    from torch import nn


def _model_spec(spec: BaseSpec) -> SentenceHeadSpec:
    model = getattr(spec, "model", None)
    assert isinstance(model, SentenceHeadSpec), "a sentence task's spec has a [model] of kind sentence_head"
    return model


class SentenceModelTask:
    """``build_model``, ``encode`` and ``postprocess`` for a task whose spec's ``model`` is a sentence head."""

    def build_model(self, spec: BaseSpec, n_outputs: int) -> nn.Module:
        from tinylab import models

        require("sentence_transformers")  # the text extra (it brings torch too)

        return models.build(_model_spec(spec), n_outputs)

    def encode(self, spec: BaseSpec, inputs: Sequence[str]) -> tuple[np.ndarray, ...]:
        require("sentence_transformers")  # the text extra (it brings torch too)
        from tinylab.models.sentence_head import sentence_inputs

        return sentence_inputs(_model_spec(spec), inputs)

    def postprocess(self, spec: BaseSpec, inputs: Sequence[str], proba: np.ndarray, labels: list[str]) -> np.ndarray:
        return proba
