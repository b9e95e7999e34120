"""Pure data functions: byte encoding, leakage counting (over item keys, see tinylab.items). No state, no I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

import numpy as np


def encode_bytes(values: Sequence[str], max_len: int, trim: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """UTF-8 bytes of each value, truncated/zero-padded to ``max_len``, as a ``(n, max_len)`` uint8 array,
    and each value's full byte length as float32. Vectorized: one numpy conversion for the whole batch.

    With ``trim`` the array is only as wide as the batch's longest value (at most ``max_len``): for models
    whose output does not depend on the padding, a batch of short values costs only what they need."""
    encoded = [v.encode("utf-8", "surrogatepass") for v in values]
    n = len(encoded)
    lengths = np.fromiter((len(b) for b in encoded), dtype=np.float32, count=n)
    width = max(1, min(max_len, int(lengths.max()))) if trim and n else max_len
    if n == 0:
        return np.zeros((0, width), dtype=np.uint8), lengths
    fixed = np.array(encoded, dtype=f"S{width}")  # numpy truncates and zero-pads
    return fixed.view(np.uint8).reshape(n, width), lengths


def overlap_count(train: Sequence[Hashable], other: Sequence[Hashable]) -> int:
    """How many items of ``other`` also occur (exactly) in ``train``."""
    seen = set(train)
    return sum(1 for v in other if v in seen)


def overlap_by_group(train: Sequence[Hashable], other: Sequence[Hashable], groups: Sequence[str]) -> Counter[str]:
    """Per group (e.g. label), how many items of ``other`` also occur in ``train``."""
    seen = set(train)
    return Counter(g for v, g in zip(other, groups, strict=True) if v in seen)


def undersample(labels: np.ndarray, seed: int) -> np.ndarray:
    """Indices of a class-balanced subsample of items with integer class ``labels``: every item of the rarest
    class and as many of each other class, drawn at random (seeded, without replacement); in the original
    order. The balance strategy of training on a majority class cut down to the size of the minority."""
    y = np.asarray(labels).ravel()
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) == 0:
        return np.zeros(0, dtype=np.int64)
    rng = np.random.default_rng(seed)
    keep = [rng.choice(np.flatnonzero(y == c), counts.min(), replace=False) for c in classes]
    return np.sort(np.concatenate(keep)).astype(np.int64)
