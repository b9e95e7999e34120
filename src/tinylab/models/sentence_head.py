"""A small model over a frozen sentence embedding and, optionally, a hashed bag of word n-grams:

    logits = MLP(dropout(embedding)) + Linear(dropout(ngram bag))

The embedding brings what the pretrained encoder knows about meaning; the n-gram bag brings the exact
wording, which on a few hundred records is often the stronger signal. ``hidden = 0`` makes the embedding
branch linear; ``ngram_buckets = 0`` drops the n-gram branch; ``use_encoder = false`` drops the embedding."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from tinylab.models.sentence_encoder import ENCODERS
from tinylab.models.specs import SentenceHeadSpec

_WORD = re.compile(r"\w+", re.UNICODE)


def hashed_ngrams(texts: Sequence[str], buckets: int, ngram_max: int) -> tuple[np.ndarray, np.ndarray]:
    """A sparse bag of lower-cased word 1..``ngram_max``-grams, hashed into ``buckets`` (CRC-32: stable
    across processes, unlike ``hash``): ``(ids, weights)``, both (n, K) with K the most distinct n-grams of
    any text; weights are log(1 + count), L2-normalized per text; padding has weight 0."""
    rows: list[dict[int, float]] = []
    for text in texts:
        words = _WORD.findall(text.lower())
        counts: dict[int, float] = {}
        for n in range(1, ngram_max + 1):
            for k in range(len(words) - n + 1):
                h = zlib.crc32(" ".join(words[k:k + n]).encode("utf-8")) % buckets
                counts[h] = counts.get(h, 0.0) + 1.0
        rows.append(counts)
    width = max([1, *map(len, rows)])
    ids = np.zeros((len(rows), width), dtype=np.int64)
    weights = np.zeros((len(rows), width), dtype=np.float32)
    for i, counts in enumerate(rows):
        if counts:
            ids[i, :len(counts)] = list(counts)
            w = np.log1p(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
            weights[i, :len(counts)] = w / np.linalg.norm(w)
    return ids, weights


def sentence_inputs(spec: SentenceHeadSpec, texts: Sequence[str]) -> tuple[np.ndarray, ...]:
    """The model's input arrays for ``texts``: (embedding,), (ids, weights) or (embedding, ids, weights)."""
    from tinylab.models.sentence_encoder import embed

    arrays: list[np.ndarray] = [embed(texts, spec.encoder)] if spec.use_encoder else []
    if spec.ngram_buckets:
        arrays.extend(hashed_ngrams(texts, spec.ngram_buckets, spec.ngram_max))
    return tuple(arrays)


class SentenceHead(nn.Module):
    def __init__(self, spec: SentenceHeadSpec, n_outputs: int) -> None:
        super().__init__()
        self.use_encoder, self.use_ngrams = spec.use_encoder, spec.ngram_buckets > 0
        if self.use_encoder:
            dim = ENCODERS[spec.encoder]
            layers: list[nn.Module] = [nn.Dropout(spec.dropout)]
            if spec.hidden:
                layers += [nn.Linear(dim, spec.hidden), nn.GELU(), nn.Dropout(spec.dropout)]
                dim = spec.hidden
            layers.append(nn.Linear(dim, n_outputs))
            self.net = nn.Sequential(*layers)
        if self.use_ngrams:  # a linear layer over the sparse bag: one weight row per bucket, and a bias
            self.ngrams = nn.Embedding(spec.ngram_buckets, n_outputs)
            nn.init.zeros_(self.ngrams.weight)
            self.ngram_bias = nn.Parameter(torch.zeros(n_outputs))
            self.ngram_dropout = nn.Dropout(spec.dropout)

    def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
        """``inputs``: (embedding,), (ngram ids, ngram weights) or (embedding, ngram ids, ngram weights), as
        the spec enables them."""
        out = self.net(inputs[0]) if self.use_encoder else 0
        if self.use_ngrams:
            ids, weights = inputs[-2], self.ngram_dropout(inputs[-1])
            out = out + (self.ngrams(ids) * weights.unsqueeze(-1)).sum(dim=1) + self.ngram_bias
        assert isinstance(out, torch.Tensor)
        return out
