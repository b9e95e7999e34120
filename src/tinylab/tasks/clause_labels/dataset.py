"""Reading the privacy-clause records (guard-tos-data-collection, JSON Lines) with errors that name the
file, the line and the key; de-duplicating them; and the seeded record-level split."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinylab.errors import TinylabError

GOLD_SEED = "guard-tos-data-collection/gold_seed_v2025.10.07e.jsonl"
LABELS = ("consent_explicit", "consent_implied", "data_collection_extensive", "data_collection_minimal",
          "purpose_broad", "purpose_specific")


@dataclass
class Records:
    texts: list[str]
    targets: np.ndarray  # (n, len(LABELS)) float32 0/1
    lines: list[int]  # 1-based line of each kept record
    duplicates_dropped: int = 0


def read_records(path: Path, labels: tuple[str, ...] = LABELS, keep_duplicates: bool = False) -> Records:
    """Each line: ``{"text": str, "labels": {label: 0|1, ...}, ...}``. A label missing from a record's
    ``labels`` is 0 (the synthetic records list only their positive label); an unknown label, a value other
    than 0/1, or a missing/empty text is an error. A text seen before (identical string) is dropped —
    with the same labels it is a duplicate, with different labels the file contradicts itself (an error) —
    unless ``keep_duplicates`` (a split that must count records as another study did)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as e:
        raise TinylabError(f"cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise TinylabError(f"{path} is not UTF-8 (byte {e.start})") from None
    texts: list[str] = []
    rows: list[list[float]] = []
    lines: list[int] = []
    seen: dict[str, int] = {}
    dropped = 0
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise TinylabError(f"{where}: not valid JSON ({e.msg} at column {e.colno})") from None
        if not isinstance(rec, dict):
            raise TinylabError(f"{where}: expected a JSON object with keys 'text' and 'labels'")
        text = rec.get("text")
        if not isinstance(text, str) or not text.strip():
            raise TinylabError(f"{where}: key 'text' must be a non-empty string")
        given = rec.get("labels")
        if not isinstance(given, dict):
            raise TinylabError(f"{where}: key 'labels' must be an object mapping label -> 0 or 1")
        unknown = sorted(set(given) - set(labels))
        if unknown:
            raise TinylabError(f"{where}: unknown label(s) {unknown} in 'labels'; expected some of {list(labels)}")
        row = []
        for lab in labels:
            v = given.get(lab, 0)
            if isinstance(v, bool) or not isinstance(v, int | float) or v not in (0, 1):
                raise TinylabError(f"{where}: key 'labels.{lab}' is {v!r}; expected 0 or 1")
            row.append(float(v))
        if text in seen:
            first = seen[text]
            if rows[first] != row:
                raise TinylabError(f"{where}: the same text as line {lines[first]} with different labels")
            if not keep_duplicates:
                dropped += 1
                continue
        seen[text] = len(texts)
        texts.append(text)
        rows.append(row)
        lines.append(n)
    if not texts:
        raise TinylabError(f"{path}: no records")
    return Records(texts, np.asarray(rows, dtype=np.float32).reshape(len(texts), len(labels)), lines, dropped)


def split_indices(n: int, test_fraction: float, val_fraction: float, seed: int) -> dict[str, np.ndarray]:
    """A seeded record-level split: ``test_fraction`` of the records for test, then ``val_fraction`` of all
    records (taken from the rest) for validation; sorted indices, disjoint, covering every record."""
    order = np.random.default_rng(seed).permutation(n)
    n_test = max(1, round(test_fraction * n))
    n_val = max(1, round(val_fraction * n))
    if n_test + n_val >= n:
        raise TinylabError(f"{n} records cannot be split into test {test_fraction} and validation {val_fraction} "
                           "with any left to train on")
    return {"test": np.sort(order[:n_test]), "val": np.sort(order[n_test:n_test + n_val]),
            "train": np.sort(order[n_test + n_val:])}


def terms_guardian_split(n: int, test_fraction: float, val_fraction: float, seed: int) -> dict[str, np.ndarray]:
    """The split of the Terms Guardian study, as its report describes it: the records shuffled with ``seed``
    (Python's ``random.Random(seed).shuffle``), the first ``1 - test_fraction`` for training (247 of 291) and
    the rest for test (44); here validation is then carved out of the training part (``val_fraction`` of it,
    its last records). The study's code is not published: the same counts, not necessarily the same records."""
    import random

    order = list(range(n))
    random.Random(seed).shuffle(order)
    n_train = int((1 - test_fraction) * n)
    n_val = max(1, round(val_fraction * n_train))
    if n_train - n_val < 1 or n_train >= n:
        raise TinylabError(f"{n} records cannot be split into test {test_fraction} and validation {val_fraction}")
    idx = np.asarray(order)
    return {"train": np.sort(idx[:n_train - n_val]), "val": np.sort(idx[n_train - n_val:n_train]),
            "test": np.sort(idx[n_train:])}
