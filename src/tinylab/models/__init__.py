"""The small model zoo, looked up by name."""

from __future__ import annotations

from torch import nn

from tinylab.errors import SpecError
from tinylab.models.char_cnn import CharCNN, CharCNNSpec

MODELS: dict[str, type[nn.Module]] = {"char_cnn": CharCNN}


def build(spec: CharCNNSpec, n_outputs: int) -> nn.Module:
    if spec.name not in MODELS:
        raise SpecError(f"unknown model {spec.name!r}; available: {', '.join(MODELS)}")
    return MODELS[spec.name](spec, n_outputs)


__all__ = ["MODELS", "CharCNN", "CharCNNSpec", "build"]
