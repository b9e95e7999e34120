"""The shared lifecycle, through the library (the CLI tests cover the same through a subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinylab.errors import SpecError
from tinylab.lifecycle import evaluate_run, train_run

TINY = ["data.labels=['technology.internet.ip_v4', 'identity.person.email', 'technology.cryptographic.uuid']",
        "data.train_per_label=30", "data.val_per_label=10", "data.test_per_label=10", "train.epochs=2",
        "model.channels=16", "model.hidden=16", "train.batch_size=32", "train.keep_checkpoints=1"]


def test_train_then_evaluate_from_artifacts(tmp_path: Path):
    out = train_run("semantic-types", overrides=TINY, runs_dir=tmp_path)
    assert out.run.parent == tmp_path / "semantic-types"
    assert [p.name for p in (out.run / "checkpoints").iterdir()] == ["epoch-002.safetensors"]
    again = evaluate_run(str(out.run))
    assert again.metrics["accuracy"] == out.metrics["accuracy"]
    meta = json.loads((out.run / "meta.json").read_text())
    assert meta["data"]["test_size"] == 30 and "test_in_train" in meta["data"]


def test_failed_spec_leaves_no_run(tmp_path: Path):
    with pytest.raises(SpecError):
        train_run("semantic-types", overrides=[*TINY, "data.labels=['no.such.label']"], runs_dir=tmp_path)
    assert not any(tmp_path.rglob("manifest.json"))
    assert not any(p.name.startswith(".tmp-") for p in tmp_path.rglob("*"))
