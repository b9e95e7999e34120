"""End to end through the real CLI in subprocesses: train a small clause-labels model on the shared gold
seed, then check the run directory, the thresholds (tuned on validation, used by predict), the report's
verdict against the measured figures, eval from the artifacts alone, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinylab.tasks.clause_labels.dataset import GOLD_SEED, LABELS

from conftest import SHARED, run_cli

pytestmark = pytest.mark.skipif(not (SHARED / GOLD_SEED).is_file(), reason="shared gold seed not present")


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    runs = tmp_path_factory.mktemp("runs")
    r = run_cli("train", "clause-labels", "--set", "train.epochs=40", "--runs-dir", str(runs), "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    return Path(out["run"]), out


def test_run_directory_holds_validation_tuned_thresholds(trained):
    run, out = trained
    for name in ("model.safetensors", "model.onnx", "meta.json", "metrics.json", "report.md", "report.html",
                 "plots/thresholds.png", "plots/reliability.png", "manifest.json"):
        assert (run / name).is_file(), name
    meta = json.loads((run / "meta.json").read_text())
    th = meta["thresholds"]
    assert meta["kind"] == "multi_label" and th["tuned_on"] == "validation"
    assert sorted(th["per_label"]) == sorted(LABELS) and 0 < th["global"] < 1
    metrics = json.loads((run / "metrics.json").read_text())
    for mode in ("at_0_5", "global", "per_label"):
        assert f"macro_f1_{mode}" in metrics
    assert metrics["macro_f1"] == metrics["macro_f1_per_label"] == out["metrics"]["macro_f1"]
    assert run_cli("runs", "verify", str(run)).returncode == 0


def test_report_states_the_target_truthfully(trained):
    run, out = trained
    report = (run / "report.md").read_text()
    t = out["targets"]["macro_f1"]
    assert t["met"] == (t["value"] >= t["goal"])
    verdict = report.splitlines()[2]
    assert ("all 1 target(s) met" in verdict) == t["met"] and ("MISSED" in verdict) != t["met"]
    row = next(line for line in report.splitlines() if line.startswith("| macro_f1 | ≥"))
    assert f"{t['value']:.4f}" in row and row.endswith("| met |" if t["met"] else "| **MISSED** |")
    assert "## Decision thresholds (tuned on the validation split, never on test)" in report
    assert "| 0.5 for every label |" in report and "| per label (used by predict) |" in report
    assert "TF-IDF" in report and "DistilBERT" in report


def test_eval_reproduces_and_predict_applies_the_stored_thresholds(trained):
    run, out = trained
    r = run_cli("eval", str(run), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.strip().splitlines()[-1])["metrics"]["macro_f1"] == pytest.approx(
        out["metrics"]["macro_f1"], abs=1e-9)
    th = json.loads((run / "meta.json").read_text())["thresholds"]["per_label"]
    text = "We collect your location, contacts and browsing history and may use them for any purpose."
    r = run_cli("predict", str(run), text, "--top-k", "6", "--json")
    assert r.returncode == 0, r.stderr
    preds = json.loads(r.stdout)[0]["predictions"]
    assert len(preds) == 6
    for p in preds:
        assert p["threshold"] == pytest.approx(th[p["label"]])
        assert p["predicted"] == (p["probability"] >= p["threshold"])
    flags = [p["predicted"] for p in preds]
    assert flags == sorted(flags, reverse=True)  # labels that pass come first


def test_bad_data_file_is_one_line_exit_2(tmp_path: Path):
    bad = tmp_path / "clauses.jsonl"
    bad.write_text('{"text": "We sell data.", "labels": {"purpose_broad": 2}}\n', encoding="utf-8")
    r = run_cli("train", "clause-labels", "--set", f"data.path={bad}", "--runs-dir", str(tmp_path))
    assert r.returncode == 2
    assert f"{bad}:1: key 'labels.purpose_broad' is 2; expected 0 or 1" in r.stderr
    assert "Traceback" not in r.stderr
    r = run_cli("train", "clause-labels", "--set", f"data.path={tmp_path / 'missing.jsonl'}")
    assert r.returncode == 2 and "cannot read" in r.stderr and "Traceback" not in r.stderr
