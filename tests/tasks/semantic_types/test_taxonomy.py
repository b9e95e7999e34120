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


def test_extended_taxonomy_adds_finetype_v06_types_to_the_base():
    base, extended = load_taxonomy(), load_taxonomy("taxonomy-extended.yaml")
    assert set(base) < set(extended) and len(extended) == 240
    assert {t.domain for t in extended.values()} == {t.domain for t in base.values()} | {"finance"}
    v06 = set((SHARED / "finetype-taxonomy" / "labels-v0.6.57-251.txt").read_text().split())
    assert set(extended) - set(base) <= v06  # every added label is named as in FineType v0.6
    for label, info in extended.items():
        assert info.description.strip() and info.examples and label in GENERATORS, label


def test_default_spec_still_trains_on_the_151_base_types():
    from tinylab.lifecycle import resolve_spec
    from tinylab.tasks import get_task

    task = get_task("semantic-types")
    assert len(task.label_names(resolve_spec(task, None, []))) == 151
    assert len(task.label_names(resolve_spec(task, None, ["data.taxonomy=taxonomy-extended.yaml"]))) == 240


def test_a_paypal_email_ranks_the_general_email_type_first_and_keeps_the_subtype_second():
    import numpy as np

    from tinylab.tasks.semantic_types.taxonomy import prefer_general

    tax = load_taxonomy()
    assert tax["identity.payment.paypal_email"].same_form_as == "identity.person.email"
    labels = ["identity.payment.paypal_email", "identity.person.email", "technology.internet.url"]
    proba = np.array([[0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.05, 0.05, 0.9]], dtype=np.float32)
    out = prefer_general(proba, labels, tax)
    assert out.tolist() == np.array([[0.3, 0.6, 0.1], [0.2, 0.7, 0.1], [0.05, 0.05, 0.9]], dtype=np.float32).tolist()
    assert proba[0, 0] == np.float32(0.6)  # the input is not modified
    # without the general label among the candidates nothing changes
    alone = proba[:, [0, 2]]
    assert np.array_equal(prefer_general(alone, [labels[0], labels[2]], tax), alone)


def test_same_form_as_must_name_a_label(tmp_path, monkeypatch):
    import pytest

    from tinylab.tasks.semantic_types import taxonomy as tx

    bad = "labels:\n  a.b.c:\n    description: x\n    same_form_as: a.b.nope\n"
    monkeypatch.setattr(tx, "files", lambda pkg: type("P", (), {"joinpath": lambda self, n: tmp_path / n})())
    (tmp_path / "bad.yaml").write_text(bad)
    tx.load_taxonomy.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"same_form_as names 'a\.b\.nope'"):
            tx.load_taxonomy("bad.yaml")
    finally:
        tx.load_taxonomy.cache_clear()
