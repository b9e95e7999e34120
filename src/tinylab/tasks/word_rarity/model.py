"""word-rarity's model (torch, for training and export): hashed byte n-grams, a character language model's
log-probability of the spelling, and spelling cues, combined by a one-hidden-layer network whose output
is squashed into [0, 1].

Inputs are :func:`tinylab.tasks.word_rarity.features.encode`'s ``(ngrams, classes)``. Every table is a
parameter (and counts in the model's size): the n-gram embeddings start small and random; the language
model's tables start as the log-probabilities of the training words' spellings, counted once per word
(``type``) and once per use (``token``, weighted by frequency), and are then trained with the rest.
:class:`tinylab.tasks.word_rarity.scorer.RarityModel` runs the same function in numpy."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from tinylab.tasks.word_rarity.features import CLASSES, N_CUES, PAD_CLASS, encode, lm_indices

VOWEL_CLASSES = (1, 5, 9, 15, 21, 25)
LM_FEATURES = 6  # per table: sum, mean and minimum of the log-probabilities, for type and token counts


class RarityNet(nn.Module):
    def __init__(self, buckets: int, dim: int, hidden: int, trigram_buckets: int) -> None:
        super().__init__()
        self.buckets, self.trigram_buckets = buckets, trigram_buckets
        self.ngrams = nn.Embedding(buckets + 1, dim, padding_idx=0)
        nn.init.normal_(self.ngrams.weight, 0.0, 0.01)
        with torch.no_grad():
            self.ngrams.weight[0].zero_()
        self.bigram = nn.Parameter(torch.zeros(CLASSES * CLASSES, 2))
        self.trigram = nn.Parameter(torch.zeros(trigram_buckets, 2)) if trigram_buckets else None
        n_in = dim + N_CUES + LM_FEATURES * (2 if trigram_buckets else 1)
        self.register_buffer("shift", torch.zeros(n_in))
        self.register_buffer("scale", torch.ones(n_in))
        self.hidden = nn.Linear(n_in, hidden)
        self.out = nn.Linear(hidden, 1)

    @staticmethod
    def _lm(table: torch.Tensor, idx: torch.Tensor, inside: torch.Tensor) -> torch.Tensor:
        lp = nn.functional.embedding(idx, table)  # (n, positions, 2)
        m = inside.unsqueeze(-1)
        total = torch.where(m, lp, torch.zeros_like(lp)).sum(1)
        count = inside.sum(1, keepdim=True).clamp(min=1).to(lp.dtype)
        low = torch.where(m, lp, torch.full_like(lp, 1e4)).min(1).values
        return torch.cat([total / 10.0, total / count, low], dim=1)

    def features(self, ngrams: torch.Tensor, classes: torch.Tensor) -> torch.Tensor:
        """Everything the hidden layer reads, before normalization."""
        count = (ngrams > 0).sum(1, keepdim=True).clamp(min=1).to(torch.float32)
        z = self.ngrams(ngrams).sum(1) / count.sqrt()
        prev2, prev, this = classes[:, :-2], classes[:, 1:-1], classes[:, 2:]
        inside = this != PAD_CLASS
        top = CLASSES - 1
        p2, p1, t = prev2.clamp(max=top), prev.clamp(max=top), this.clamp(max=top)
        zero = torch.zeros_like(t)
        parts = [z, self._cues(this), self._lm(self.bigram, torch.where(inside, p1 * CLASSES + t, zero), inside)]
        if self.trigram is not None:
            tri = ((p2 * CLASSES + p1) * CLASSES + t) * 2654435761 % self.trigram_buckets
            parts.append(self._lm(self.trigram, torch.where(inside, tri, zero), inside))
        return torch.cat(parts, dim=1)

    @staticmethod
    def _cues(body: torch.Tensor) -> torch.Tensor:
        inside = (body != PAD_CLASS) & (body != 0)
        length = inside.sum(1).to(torch.float32)
        safe = length.clamp(min=1.0)
        vowel = torch.zeros_like(inside)
        for v in VOWEL_CLASSES:
            vowel = vowel | (body == v)
        vowel = vowel & inside
        onsets = vowel[:, 1:] & ~vowel[:, :-1]
        syllables = onsets.sum(1).to(torch.float32) + vowel[:, 0].to(torch.float32)
        non_ascii = (body >= 31) & inside
        f = torch.float32
        return torch.stack([length / 10.0, torch.log1p(length), vowel.sum(1).to(f) / safe, syllables / 4.0,
                            (body == 27).any(1).to(f), (body == 28).any(1).to(f), non_ascii.sum(1).to(f) / safe,
                            (body == 29).any(1).to(f)], dim=1)

    def forward(self, ngrams: torch.Tensor, classes: torch.Tensor) -> torch.Tensor:
        x = (self.features(ngrams, classes) - self.shift) / self.scale
        return torch.sigmoid(self.out(torch.relu(self.hidden(x))))

    @torch.no_grad()
    def initialize(self, words: Sequence[str], zipf: np.ndarray, max_len: int, max_n: int, seed: int,
                   ngram_init: str = "random") -> None:
        """The language-model tables from the training words' spellings (add-one smoothed log-probabilities
        of each class given the one or two before it), and the normalization from a sample of them.
        ``ngram_init="ridge"``: the n-gram table's first column starts as a ridge regression of rarity on the
        hashed n-grams (as the network sums them), so training starts from the linear model's answer."""
        ngrams, classes = encode(words, max_len, self.buckets, max_n)
        if ngram_init == "ridge":
            self._ridge_init(ngrams, np.asarray(zipf, dtype=np.float64))
        bigram, trigram, inside = lm_indices(classes, self.trigram_buckets)
        per_word = inside.sum(1)
        weights = [np.ones(len(words)), 10.0 ** (np.asarray(zipf, dtype=np.float64) - 3.0)]
        ctx1 = bigram // CLASSES
        prev2, prev = np.minimum(classes[:, :-2], CLASSES - 1), np.minimum(classes[:, 1:-1], CLASSES - 1)
        ctx2 = prev2 * CLASSES + prev
        for col, w in enumerate(weights):
            per_pos = np.repeat(w, per_word)
            pairs = np.bincount(bigram[inside], per_pos, CLASSES * CLASSES) + 1.0
            ctx = np.bincount(ctx1[inside], per_pos, CLASSES) + CLASSES
            self.bigram[:, col] = torch.from_numpy(np.log(pairs) - np.log(ctx[np.arange(CLASSES * CLASSES)
                                                                              // CLASSES]))
            if self.trigram is not None:
                tri = np.bincount(trigram[inside], per_pos, self.trigram_buckets) + 1.0
                c2 = np.bincount(ctx2[inside], per_pos, CLASSES * CLASSES) + CLASSES
                # a hashed trigram's context: the mean count of the contexts that fall into its bucket
                ctx_of = np.zeros(self.trigram_buckets)
                n_of = np.zeros(self.trigram_buckets)
                np.add.at(ctx_of, trigram[inside], c2[ctx2[inside]])
                np.add.at(n_of, trigram[inside], 1.0)
                ctx_mean = np.where(n_of > 0, ctx_of / np.maximum(n_of, 1), CLASSES)
                self.trigram[:, col] = torch.from_numpy(np.log(tri) - np.log(ctx_mean))
        pick = np.random.default_rng(seed).permutation(len(words))[:20_000]
        x = self.features(torch.from_numpy(ngrams[pick]), torch.from_numpy(classes[pick]))
        dim = self.ngrams.embedding_dim  # the n-gram sum is learned from scratch: left as it is
        self.shift.copy_(torch.cat([torch.zeros(dim), x[:, dim:].mean(0)]))
        self.scale.copy_(torch.cat([torch.ones(dim), x[:, dim:].std(0).clamp(min=1e-3)]))
        if ngram_init == "ridge":  # the ridge's score is normalized like every other input
            self.shift[0], self.scale[0] = x[:, 0].mean(), x[:, 0].std().clamp(min=1e-3)

    def _ridge_init(self, ngrams: np.ndarray, zipf: np.ndarray) -> None:
        from scipy import sparse
        from sklearn.linear_model import Ridge

        from tinylab.tasks.word_rarity.lexicon import rarity

        n, width = ngrams.shape
        present = ngrams > 0
        scale = 1.0 / np.sqrt(np.maximum(present.sum(1), 1))
        rows = np.repeat(np.arange(n), width)[present.ravel()]
        x = sparse.csr_matrix((np.repeat(scale, width)[present.ravel()], (rows, ngrams.ravel()[present.ravel()] - 1)),
                              shape=(n, self.buckets))
        x.sum_duplicates()
        fit = Ridge(alpha=1.0, fit_intercept=False, solver="sparse_cg").fit(x, rarity(zipf) - 0.5)
        self.ngrams.weight.zero_()
        self.ngrams.weight[1:, 0] = torch.from_numpy(fit.coef_.astype(np.float32))
