"""A regression model's output in the target's own units: ``inner(x) * std + mean``, with the train split's
mean and standard deviation (from the spec) as constants, so the network learns a standardized target."""

from __future__ import annotations

import torch
from torch import nn


class ScaledOutput(nn.Module):
    def __init__(self, inner: nn.Module, mean: float, std: float) -> None:
        super().__init__()
        self.inner, self.mean, self.std = inner, float(mean), float(std)
        self.padding_invariant = bool(getattr(inner, "padding_invariant", False))

    def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
        return self.inner(*inputs) * self.std + self.mean

    def serving_module(self) -> nn.Module:
        """The inner model's serving form (see :mod:`tinylab.export`), scaled the same way."""
        serving = getattr(self.inner, "serving_module", None)
        return ScaledOutput(serving(), self.mean, self.std).eval() if serving is not None else self
