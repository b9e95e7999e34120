from __future__ import annotations

from collections import Counter

from tinylab.tasks.semantic_types.generators import GENERATORS
from tinylab.tasks.semantic_types.taxonomy import load_taxonomy

from conftest import SHARED


def test_finetype_v01_labels_all_present():
    ours = load_taxonomy()
    finetype = (SHARED / "finetype-taxonomy" / "labels-v0.1.0-151.txt").read_text().split()
    assert len(finetype) == 151
    assert set(finetype) <= set(ours)


def test_domain_counts():
    counts = Counter(t.domain for t in load_taxonomy().values())
    assert counts["datetime"] == 46 and counts["technology"] == 34 and counts["identity"] == 25
    assert counts["representation"] == 19 and counts["geography"] == 16 and counts["container"] == 11


def test_every_type_has_description_examples_and_generator():
    for label, info in load_taxonomy().items():
        assert len(label.split(".")) == 3, label
        assert info.description.strip() and info.examples, label
        assert label in GENERATORS, label
