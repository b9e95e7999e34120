"""A small model over a frozen sentence embedding and, optionally, a hashed bag of word n-grams:

    logits = MLP(dropout(embedding)) + Linear(dropout(ngram bag))

The embedding brings what the pretrained encoder knows about meaning; the n-gram bag brings the exact
wording, which on a few hundred records is often the stronger signal. ``hidden = 0`` makes the embedding
branch linear; ``ngram_buckets = 0`` drops the n-gram branch; ``use_encoder = false`` drops the embedding."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from tinylab.models.sentence_encoder import ENCODERS
from tinylab.models.sentence_inputs import hashed_ngrams
from tinylab.models.specs import SentenceHeadSpec

__all__ = ["SentenceHead", "SentenceHeadSpec", "hashed_ngrams", "sentence_inputs"]


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
        self.encoder = spec.encoder
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

    def with_encoder(self) -> nn.Module:
        """This head with the frozen encoder in front of it: token ids in place of the embedding
        (:func:`tinylab.models.sentence_inputs.serving_inputs`), the same logits. What is exported to ONNX, so
        that serving needs neither sentence-transformers nor torch. Without the embedding branch: the head."""
        return _WithEncoder(self) if self.use_encoder else self


class _WithEncoder(nn.Module):
    """token ids -> BERT (frozen, all-MiniLM-L6-v2 built by transformers from the wheel) -> mean over the
    attention mask -> L2 normalization (sentence-transformers' Transformer, Pooling and Normalize modules of
    that model) -> the head, beside the n-gram branch. The attention mask is ids != 0 (0 is [PAD])."""

    def __init__(self, head: SentenceHead) -> None:
        super().__init__()
        from tinylab.models.sentence_finetune import _pretrained

        self.head = head
        self.bert = _pretrained(head.encoder)  # registered: its weights are initializers that int8 quantization finds
        self.bert.requires_grad_(False)

    def forward(self, ids: torch.Tensor, *ngrams: torch.Tensor) -> torch.Tensor:
        mask = (ids != 0).long()
        hidden = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1e-9)
        embedding = torch.nn.functional.normalize(pooled, p=2.0, dim=1)
        return self.head(embedding, *ngrams)
