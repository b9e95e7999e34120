"""Seeded train / validation / test splits of a file's rows: by row, or by group so that rows sharing a group
value never land in two splits. Pure functions: the same rows, fractions and seed give the same split."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

MIN_EVAL_ROWS = 5  # rows the validation and the test split each need at least
MIN_TRAIN_ROWS = 10


def share(fraction: float, n: int) -> int:
    """Rows of ``n`` that ``fraction`` asks for (rounded half up, at least one)."""
    return max(1, int(fraction * n + 0.5))


def row_split(n: int, val_fraction: float, test_fraction: float, seed: int) -> dict[str, np.ndarray]:
    """A seeded random split of ``range(n)``: ``test_fraction`` of the rows for test, ``val_fraction`` for
    validation, the rest for train; sorted indices, disjoint, covering every row."""
    order = np.random.default_rng(seed).permutation(n)
    n_test, n_val = share(test_fraction, n), share(val_fraction, n)
    return {"test": np.sort(order[:n_test]), "val": np.sort(order[n_test:n_test + n_val]),
            "train": np.sort(order[n_test + n_val:])}


def group_split(groups: Sequence[Hashable | None], val_fraction: float, test_fraction: float, seed: int,
                ) -> dict[str, np.ndarray]:
    """A seeded split that keeps each group whole: the distinct groups (sorted by their text) are put in a
    seeded random order and dealt out in turn, to test until it holds ``test_fraction`` of the rows, then to
    validation until it holds ``val_fraction``, the rest to train. A row without a group (None) is a group
    of its own."""
    n = len(groups)
    keys: list[tuple[int, str]] = [(1, str(g)) if g is not None else (0, str(i)) for i, g in enumerate(groups)]
    distinct = sorted(set(keys))
    position = {k: j for j, k in enumerate(distinct)}
    ids = np.fromiter((position[k] for k in keys), dtype=np.int64, count=n)
    sizes = np.bincount(ids, minlength=len(distinct))
    want_test, want_val = share(test_fraction, n), share(val_fraction, n)
    where = np.empty(len(distinct), dtype=np.int8)  # 0 test, 1 val, 2 train
    counts = [0, 0]
    for g in np.random.default_rng(seed).permutation(len(distinct)):
        if counts[0] < want_test:
            where[g] = 0
        elif counts[1] < want_val:
            where[g] = 1
        else:
            where[g] = 2
            continue
        counts[where[g]] += int(sizes[g])
    split_of = where[ids]
    return {name: np.flatnonzero(split_of == code) for code, name in enumerate(("test", "val", "train"))}


def rows_needed(val_fraction: float, test_fraction: float) -> int:
    """The fewest rows whose row split gives every split its minimum."""
    n = MIN_EVAL_ROWS * 2 + MIN_TRAIN_ROWS
    while n < 10_000_000:
        t, v = share(test_fraction, n), share(val_fraction, n)
        if t >= MIN_EVAL_ROWS and v >= MIN_EVAL_ROWS and n - t - v >= MIN_TRAIN_ROWS:
            return n
        n += 1
    return n


def too_small(splits: dict[str, np.ndarray]) -> str:
    """What is wrong with the split sizes, or "" when each split has its minimum."""
    short = [f"{name} {len(splits[name])}" for name, least in (("train", MIN_TRAIN_ROWS), ("val", MIN_EVAL_ROWS),
                                                               ("test", MIN_EVAL_ROWS)) if len(splits[name]) < least]
    return ", ".join(short)
