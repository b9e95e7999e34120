"""A byte-level character CNN for short strings.

bytes (n, L) -> embedding -> conv(k1) -> conv(k2, residual) -> [max-pool, mean-pool, length] -> MLP.
The byte length is an explicit feature, so values longer than ``max_len`` keep their size information.
"""

from __future__ import annotations

from typing import Literal

import torch
from pydantic import Field
from torch import nn

from tinylab.spec import StrictModel


class CharCNNSpec(StrictModel):
    name: Literal["char_cnn"] = "char_cnn"
    max_len: int = Field(64, ge=4, le=1024, description="bytes of each value the model sees")
    embed_dim: int = Field(32, ge=2)
    channels: int = Field(128, ge=4)
    kernel_size: int = Field(5, ge=1)
    kernel_size2: int = Field(3, ge=1)
    hidden: int = Field(256, ge=4)
    length_dim: int = Field(16, ge=1, description="size of the byte-length embedding")
    dropout: float = Field(0.1, ge=0, lt=1)


class CharCNN(nn.Module):
    def __init__(self, spec: CharCNNSpec, n_outputs: int) -> None:
        super().__init__()
        c = spec.channels
        self.embed = nn.Embedding(256, spec.embed_dim, padding_idx=0)
        self.conv1 = nn.Conv1d(spec.embed_dim, c, spec.kernel_size, padding=spec.kernel_size // 2)
        self.conv2 = nn.Conv1d(c, c, spec.kernel_size2, padding=spec.kernel_size2 // 2)
        self.max_len = spec.max_len
        # exact byte length up to max_len (one bucket beyond): lengths tell epochs, hashes, codes apart
        self.length_embed = nn.Embedding(spec.max_len + 2, spec.length_dim)
        self.head = nn.Sequential(
            nn.Linear(2 * c + 1 + spec.length_dim, spec.hidden),
            nn.ReLU(),
            nn.Dropout(spec.dropout),
            nn.Linear(spec.hidden, n_outputs),
        )

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        mask = (ids > 0).unsqueeze(1).to(torch.float32)  # (n, 1, L)
        h = self.embed(ids.long()).transpose(1, 2)  # (n, E, L)
        h = torch.relu(self.conv1(h))
        h = torch.relu(self.conv2(h) + h) * mask
        # masked max: padded positions are 0 after ReLU*mask, which is a valid lower bound
        pooled_max = h.amax(dim=2)
        pooled_mean = h.sum(dim=2) / mask.sum(dim=2).clamp(min=1.0)
        bucket = lengths.clamp(max=self.max_len + 1).long()
        feats = torch.cat([pooled_max, pooled_mean, torch.log1p(lengths).unsqueeze(1) / 5.0,
                           self.length_embed(bucket)], dim=1)
        return self.head(feats)
