"""A byte-level character CNN for short strings.

bytes (n, L) -> embedding -> conv(k1) -> conv(k2, residual) -> [max-pool, mean-pool]
              + byte length (log and an embedding of the exact length) -> MLP.

Padding never leaks into a value's features (activations are masked after every layer), so the output of
a value does not depend on how wide the batch is padded: inference cuts each batch to its longest value.

Training computes each convolution as one matrix product over channels-last activations (``conv_as_matmul``),
which is fastest in torch. Serving exports ``CharCNN.serving_module()`` instead: the same weights as
1 x k two-dimensional convolutions over channels-first activations, which onnxruntime runs with its blocked
convolution kernels, fused with the bias, the ReLU and the residual sum (1.2-1.9x the throughput of the exported
training form; docs/benchmarks.md).
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from tinylab.models.specs import CharCNNSpec

__all__ = ["CharCNN", "CharCNNSpec", "conv_as_matmul"]


class CharCNN(nn.Module):
    padding_invariant = True  # see the module docstring: a batch may be cut to its longest value

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
        # channels-last throughout: each convolution is one matrix product over every position of the batch
        # (see ``conv_as_matmul``), which is what makes short, batched values fast on a CPU
        mask = (ids > 0).unsqueeze(2).to(torch.float32)  # (n, L, 1)
        h = self.embed(ids.long())  # (n, L, E); the padding byte embeds to zeros
        h = torch.relu(conv_as_matmul(h, self.conv1)) * mask
        h = torch.relu(conv_as_matmul(h, self.conv2) + h) * mask
        # masked max: padded positions are 0 after ReLU*mask, which is a valid lower bound
        pooled_max = h.amax(dim=1)
        pooled_mean = h.sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        bucket = lengths.clamp(max=self.max_len + 1).long()
        feats = torch.cat([pooled_max, pooled_mean, torch.log1p(lengths).unsqueeze(1) / 5.0,
                           self.length_embed(bucket)], dim=1)
        return self.head(feats)

    def serving_module(self) -> CharCNNServing:
        """The same function in the form onnxruntime runs fastest (see the module docstring)."""
        return CharCNNServing(self).eval()


class CharCNNServing(nn.Module):
    """A trained :class:`CharCNN` computed with channels-first ``conv2d`` on a height-1 image: the layout
    onnxruntime's blocked (NCHWc) convolutions take. Shares the weights of ``model``; inference only."""

    def __init__(self, model: CharCNN) -> None:
        super().__init__()
        self.model = model

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        m = self.model
        mask = (ids > 0).to(torch.float32).unsqueeze(1).unsqueeze(2)  # (n, 1, 1, L)
        h = m.embed(ids.long()).transpose(1, 2).unsqueeze(2)  # (n, E, 1, L)
        h = torch.relu(_conv_1xk(h, m.conv1)) * mask
        h = torch.relu(_conv_1xk(h, m.conv2) + h) * mask
        h = h.squeeze(2)  # (n, C, L)
        pooled_max = h.amax(dim=2)
        pooled_mean = h.sum(dim=2) / mask.squeeze(2).sum(dim=2).clamp(min=1.0)
        bucket = lengths.clamp(max=m.max_len + 1).long()
        feats = torch.cat([pooled_max, pooled_mean, torch.log1p(lengths).unsqueeze(1) / 5.0,
                           m.length_embed(bucket)], dim=1)
        return m.head(feats)


def _conv_1xk(x: torch.Tensor, conv: nn.Conv1d) -> torch.Tensor:
    """``conv`` applied to ``(n, C_in, 1, L)`` as a 1 x k ``conv2d`` with 'same' padding along L."""
    k = conv.kernel_size[0]
    return F.conv2d(x, conv.weight.unsqueeze(2), conv.bias, padding=(0, k // 2))


def conv_as_matmul(x: torch.Tensor, conv: nn.Conv1d) -> torch.Tensor:
    """``conv`` (odd kernel, stride 1, 'same' zero padding) applied to channels-last ``x`` of shape
    ``(n, L, C_in)``: the k shifted copies of ``x`` side by side, times the reshaped kernel. Same weights and
    same result as ``conv`` on ``(n, C_in, L)``; a convolution over short sequences becomes one large GEMM."""
    k = conv.kernel_size[0]
    length = x.shape[1]
    padded = F.pad(x, (0, 0, k // 2, k // 2))
    cols = torch.cat([padded[:, j:j + length] for j in range(k)], dim=2) if k > 1 else x
    weight = conv.weight.permute(0, 2, 1).reshape(conv.out_channels, k * conv.in_channels)
    return F.linear(cols, weight, conv.bias)
