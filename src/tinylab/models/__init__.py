"""The small model zoo, looked up by the ``name`` of a model spec."""

from __future__ import annotations

from typing import Any

from torch import nn

from tinylab.errors import SpecError
from tinylab.models.char_cnn import CharCNN, CharCNNSpec
from tinylab.models.sentence_head import SentenceHead, SentenceHeadSpec

MODELS: dict[str, Any] = {"char_cnn": CharCNN, "sentence_head": SentenceHead}


def build(spec: Any, n_outputs: int) -> nn.Module:
    """The model named by ``spec.name``, built from its spec."""
    if spec.name not in MODELS:
        raise SpecError(f"unknown model {spec.name!r}; available: {', '.join(MODELS)}")
    model: nn.Module = MODELS[spec.name](spec, n_outputs)
    return model


__all__ = ["MODELS", "CharCNN", "CharCNNSpec", "SentenceHead", "SentenceHeadSpec", "build"]
