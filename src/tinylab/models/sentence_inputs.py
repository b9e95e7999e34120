"""The inputs of a sentence head, without torch: a sparse bag of hashed word n-grams, and what the exported
model reads (the encoder's token ids instead of the embedding that training reads from sentence-transformers)."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

from tinylab.models.specs import SentenceHeadSpec

_WORD = re.compile(r"\w+", re.UNICODE)

# the word pieces of a text each encoder reads: sentence-transformers' ``max_seq_length`` of the model
# (its sentence_bert_config.json); the rest of a longer text is cut, at training and at serving alike
MAX_TOKENS = {"all-MiniLM-L6-v2": 256}


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


def serving_inputs(spec: SentenceHeadSpec, texts: Sequence[str]) -> tuple[np.ndarray, ...]:
    """The exported model's input arrays for ``texts`` (torch-free: the ``tokenizers`` library and numpy):
    (token ids,), (ids, weights) or (token ids, ids, weights), as the spec enables them. The token ids are the
    encoder's own WordPiece ids, cut at :data:`MAX_TOKENS`, so the exported encoder sees what
    sentence-transformers feeds it at training."""
    from tinylab.models.text_tokenizer import token_ids

    arrays: list[np.ndarray] = [token_ids(texts, spec.encoder, MAX_TOKENS[spec.encoder])] if spec.use_encoder else []
    if spec.ngram_buckets:
        arrays.extend(hashed_ngrams(texts, spec.ngram_buckets, spec.ngram_max))
    return tuple(arrays)
