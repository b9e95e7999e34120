"""`tinylab compare` on two semantic-types runs trained with different specs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinylab.lifecycle import train_run

from conftest import run_cli

BASE = ["data.labels=['technology.internet.ip_v4', 'identity.person.email', 'datetime.date.iso', "
        "'representation.text.color_hex']", "data.train_per_label=40", "data.val_per_label=10",
        "data.test_per_label=25", "model.channels=16", "model.hidden=16", "train.batch_size=32"]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("runs")
    a = train_run("semantic-types", overrides=[*BASE, "train.epochs=1"], runs_dir=root).run
    b = train_run("semantic-types", overrides=[*BASE, "train.epochs=4", "model.dropout=0.2"], runs_dir=root).run
    return a, b


def test_compare_cli(two_runs, tmp_path: Path):
    a, b = two_runs
    r = run_cli("compare", str(a), str(b), "--out", str(tmp_path), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["paired"] is True  # same test items: paired bootstrap
    acc = out["overall"]["accuracy"]
    assert acc["delta"] == pytest.approx(acc["b"] - acc["a"])
    assert acc["delta_ci_low"] <= acc["delta"] <= acc["delta_ci_high"]
    assert out["spec_diff"]["train.epochs"] == {"a": 1, "b": 4}
    assert out["spec_diff"]["model.dropout"] == {"a": 0.1, "b": 0.2}
    assert "data.train_per_label" not in out["spec_diff"]
    assert set(out["per_class"]) == {"datetime.date.iso", "identity.person.email", "representation.text.color_hex",
                                     "technology.internet.ip_v4"}
    md = (tmp_path / "compare.md").read_text()
    assert "| train.epochs | 1 | 4 |" in md and "## Most improved classes" in md
    assert (tmp_path / "compare.html").read_text().startswith("<!doctype html>")


def test_compare_unknown_run(tmp_path: Path):
    r = run_cli("compare", str(tmp_path / "nope"), "semantic-types")
    assert r.returncode == 2 and "neither a run directory" in r.stderr


@pytest.mark.long
def test_compare_multilabel_runs_at_their_own_thresholds(tmp_path: Path):
    from tinylab.tasks.clause_labels.dataset import GOLD_SEED

    from conftest import SHARED

    if not (SHARED / GOLD_SEED).is_file():
        pytest.skip("shared gold seed not present")
    a = train_run("clause-labels", overrides=["train.epochs=5", "model.use_encoder=false"], runs_dir=tmp_path).run
    b = train_run("clause-labels", overrides=["train.epochs=30", "model.use_encoder=false"], runs_dir=tmp_path).run
    r = run_cli("compare", str(a), str(b), "--out", str(tmp_path), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["paired"] is True and set(out["overall"]) == {"macro_f1", "micro_f1", "macro_pr_auc"}
    f1 = out["overall"]["macro_f1"]
    assert f1["delta"] == pytest.approx(f1["b"] - f1["a"]) and f1["delta_ci_low"] <= f1["delta_ci_high"]
    saved = json.loads((b / "metrics.json").read_text())
    assert f1["b"] == pytest.approx(saved["macro_f1"])  # scored at b's own validation-tuned thresholds
    assert len(out["per_class"]) == 6 and out["spec_diff"]["train.epochs"] == {"a": 5, "b": 30}
    r = run_cli("compare", str(a), "semantic-types")
    assert r.returncode == 2 and "cannot compare a multi_label run with a single_label run" in r.stderr
