"""A small model over a frozen sentence embedding and, optionally, a hashed bag of word n-grams:

    logits = MLP(dropout(embedding)) + Linear(dropout(ngram bag))

The embedding brings what the pretrained encoder knows about meaning; the n-gram bag brings the exact
wording, which on a few hundred records is often the stronger signal. ``hidden = 0`` makes the embedding
branch linear; ``ngram_buckets = 0`` drops the n-gram branch; ``use_encoder = false`` drops the embedding."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
import torch
from pydantic import Field, model_validator
from torch import nn

from tinylab.models.sentence_encoder import ENCODERS
from tinylab.spec import StrictModel


class SentenceHeadSpec(StrictModel):
    name: Literal["sentence_head"] = "sentence_head"
    encoder: Literal["all-MiniLM-L6-v2"] = Field("all-MiniLM-L6-v2", description="frozen sentence encoder")
    use_encoder: bool = Field(True, description="feed the sentence embedding")
    hidden: int = Field(256, ge=0, description="hidden units of the embedding branch; 0 = linear")
    ngram_buckets: int = Field(0, ge=0, description="hashed word n-gram features; 0 = no n-gram branch")
    ngram_max: int = Field(2, ge=1, le=4, description="longest word n-gram hashed")
    dropout: float = Field(0.2, ge=0, lt=1)

    @model_validator(mode="after")
    def _some_input(self) -> SentenceHeadSpec:
        if not self.use_encoder and not self.ngram_buckets:
            raise ValueError("model.use_encoder = false needs model.ngram_buckets > 0 (the model needs an input)")
        return self


_WORD = re.compile(r"\w+", re.UNICODE)


def _fnv1a(s: str) -> int:
    h = 0x811C9DC5
    for b in s.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def hashed_ngrams(texts: Sequence[str], buckets: int, ngram_max: int) -> np.ndarray:
    """(n, buckets) float32: log(1 + count) of each lower-cased word 1..``ngram_max``-gram hashed into a
    bucket (FNV-1a: stable across processes, unlike ``hash``), each row L2-normalized."""
    out = np.zeros((len(texts), buckets), dtype=np.float32)
    for i, text in enumerate(texts):
        words = _WORD.findall(text.lower())
        for n in range(1, ngram_max + 1):
            for k in range(len(words) - n + 1):
                out[i, _fnv1a(" ".join(words[k:k + n])) % buckets] += 1.0
    np.log1p(out, out=out)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


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
        if self.use_ngrams:
            self.ngrams = nn.Sequential(nn.Dropout(spec.dropout), nn.Linear(spec.ngram_buckets, n_outputs))

    def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
        """``inputs``: (embedding,), (ngram bag,) or (embedding, ngram bag), as the spec enables them."""
        out = self.net(inputs[0]) if self.use_encoder else 0
        if self.use_ngrams:
            out = out + self.ngrams(inputs[-1])
        assert isinstance(out, torch.Tensor)
        return out
