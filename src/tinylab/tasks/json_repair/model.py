"""The candidate-edit scorer trained for the repair: a linear term (started at the prior weights) plus one
small hidden layer. Applied to every candidate row of a ``(batch, slots, features)`` array; an all-zero row
(an empty slot) scores -1e4. Its numpy twin is :class:`tinylab.json_repair.scorer.MLPScorer`."""

from __future__ import annotations

import torch
from torch import nn

from tinylab.json_repair.engine import N_FEATURES, PRIOR


class CandidateScorer(nn.Module):
    def __init__(self, hidden: int = 16) -> None:
        super().__init__()
        self.linear = nn.Linear(N_FEATURES, 1, bias=False)
        with torch.no_grad():
            self.linear.weight.copy_(torch.from_numpy(PRIOR).reshape(1, -1))
        self.hidden = nn.Linear(N_FEATURES, hidden)
        self.out = nn.Linear(hidden, 1)
        with torch.no_grad():  # the network starts as the prior: its hidden part adds nothing at first
            self.out.weight.zero_()
            self.out.bias.zero_()

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        x = features.float()
        logit = self.linear(x) + self.out(torch.relu(self.hidden(x)))
        empty = x.abs().sum(-1, keepdim=True) == 0
        return torch.where(empty, torch.full_like(logit, -1e4), logit).squeeze(-1)
