"""Reading clause records: every bad line is named with its file, line and key; duplicates never straddle
splits; the split is seeded, disjoint and complete."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tinylab.errors import TinylabError
from tinylab.tasks.clause_labels.dataset import GOLD_SEED, LABELS, read_records, split_indices, terms_guardian_split

from conftest import SHARED


def write(tmp_path: Path, *lines: str) -> Path:
    p = tmp_path / "clauses.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def rec(text: str, **labels: float) -> str:
    return json.dumps({"text": text, "labels": labels})


def test_missing_labels_are_zero_and_duplicates_are_dropped(tmp_path: Path):
    p = write(tmp_path, rec("We ask before we collect.", consent_explicit=1.0),
              rec("We collect everything.", data_collection_extensive=1, purpose_broad=1),
              rec("We ask before we collect.", consent_explicit=1.0))
    r = read_records(p)
    assert r.texts == ["We ask before we collect.", "We collect everything."]
    assert r.duplicates_dropped == 1 and r.lines == [1, 2]
    assert r.targets.shape == (2, len(LABELS))
    assert r.targets[0].tolist() == [float(lab == "consent_explicit") for lab in LABELS]
    assert r.targets[1].sum() == 2


@pytest.mark.parametrize(("line", "expected"), [
    ("{not json", ":2: not valid JSON"),
    (json.dumps(["a list"]), ":2: expected a JSON object"),
    (json.dumps({"labels": {}}), ":2: key 'text' must be a non-empty string"),
    (json.dumps({"text": "x", "labels": [1]}), ":2: key 'labels' must be an object"),
    (rec("x", consent_maybe=1), ":2: unknown label(s) ['consent_maybe']"),
    (rec("x", consent_implied=0.5), ":2: key 'labels.consent_implied' is 0.5; expected 0 or 1"),
    (rec("ok", consent_implied=1), ":2: the same text as line 1 with different labels"),
])
def test_bad_records_are_named_by_file_line_and_key(tmp_path: Path, line: str, expected: str):
    p = write(tmp_path, rec("ok", consent_explicit=1), line)
    with pytest.raises(TinylabError) as e:
        read_records(p)
    assert str(p) + expected in str(e.value)


def test_split_is_seeded_disjoint_and_complete():
    a, b = split_indices(282, 0.15, 0.15, 42), split_indices(282, 0.15, 0.15, 42)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    allidx = np.concatenate([a["train"], a["val"], a["test"]])
    assert sorted(allidx.tolist()) == list(range(282))
    assert len(a["test"]) == 42 and len(a["val"]) == 42
    assert not np.array_equal(split_indices(282, 0.15, 0.15, 7)["test"], a["test"])
    with pytest.raises(TinylabError, match="cannot be split"):
        split_indices(3, 0.5, 0.5, 0)


def test_the_shared_gold_seed_reads_cleanly():
    path = SHARED / GOLD_SEED
    if not path.is_file():
        pytest.skip(f"{path} not present")
    r = read_records(path)
    assert len(r.texts) + r.duplicates_dropped == 291
    assert r.duplicates_dropped == 9
    assert set(np.unique(r.targets)) == {0.0, 1.0}
    assert (r.targets.sum(axis=0) >= 40).all()  # every label has positives


def test_the_terms_guardian_split_keeps_the_studys_counts():
    parts = terms_guardian_split(291, 0.15, 0.15, 42)
    assert [len(parts[s]) for s in ("train", "val", "test")] == [210, 37, 44]  # 247 = 210 + 37, and 44
    assert sorted(np.concatenate(list(parts.values())).tolist()) == list(range(291))
    assert terms_guardian_split(291, 0.15, 0.15, 42)["test"].tolist() == parts["test"].tolist()


def test_duplicates_are_kept_only_when_asked(tmp_path):
    f = tmp_path / "c.jsonl"
    f.write_text('{"text": "We sell data.", "labels": {"purpose_broad": 1}}\n' * 2, encoding="utf-8")
    assert len(read_records(f).texts) == 1 and len(read_records(f, keep_duplicates=True).texts) == 2
