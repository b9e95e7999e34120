"""The small model zoo, looked up by the ``name`` of a model spec.

The model classes need torch; their specs (``tinylab.models.specs``) do not. Importing this package does not
import torch: a class is imported on first use (``build``, or attribute access such as
``tinylab.models.CharCNN``), so reading a spec or serving with onnxruntime stays torch-free.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from tinylab.errors import SpecError

if TYPE_CHECKING:
    from torch import nn

# model name -> (module, class); the classes are imported on first use
_CLASSES = {"char_cnn": ("tinylab.models.char_cnn", "CharCNN"),
            "sentence_head": ("tinylab.models.sentence_head", "SentenceHead"),
            "image_cnn": ("tinylab.models.image_cnn", "ImageCNN"),
            "sentence_finetune": ("tinylab.models.sentence_finetune", "SentenceFinetune")}
_SPECS = {"CharCNNSpec": "tinylab.models.specs", "SentenceHeadSpec": "tinylab.models.specs",
          "ImageCNNSpec": "tinylab.models.specs", "SentenceFinetuneSpec": "tinylab.models.specs"}


def _model_class(name: str) -> Any:
    module, attr = _CLASSES[name]
    return getattr(import_module(module), attr)


def build(spec: Any, n_outputs: int) -> nn.Module:
    """The model named by ``spec.name``, built from its spec."""
    if spec.name not in _CLASSES:
        raise SpecError(f"unknown model {spec.name!r}; available: {', '.join(_CLASSES)}")
    model: nn.Module = _model_class(spec.name)(spec, n_outputs)
    return model


def __getattr__(name: str) -> Any:  # tinylab.models.CharCNN etc., imported when first asked for
    if name == "MODELS":
        return {key: _model_class(key) for key in _CLASSES}
    for key, (_, attr) in _CLASSES.items():
        if name == attr:
            return _model_class(key)
    if name in _SPECS:
        return getattr(import_module(_SPECS[name]), name)
    raise AttributeError(f"module 'tinylab.models' has no attribute {name!r}")


__all__ = ["MODELS", "CharCNN", "CharCNNSpec", "ImageCNN", "ImageCNNSpec", "SentenceFinetune",
           "SentenceFinetuneSpec", "SentenceHead", "SentenceHeadSpec",
           "build"]
