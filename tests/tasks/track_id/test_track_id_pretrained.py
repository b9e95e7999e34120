"""The shipped track-id model: it verifies, predicts images from a .npy file (full resolution or the
model's own size) through the CLI, and `tinylab eval track-id` reproduces its saved metrics."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tinylab.predict import pretrained_dir
from tinylab.runs import verify
from tinylab.tasks.track_id import simulator as sim

from conftest import run_cli


def test_shipped_model_verifies_and_was_calibrated_on_validation():
    d = pretrained_dir("track-id")
    assert verify(d) == []
    meta = json.loads((d / "meta.json").read_text())
    assert meta["task"] == "track-id" and meta["kind"] == "binary" and meta["runtime"] == "onnxruntime"
    assert meta["labels"] == ["main_track"] and meta["thresholds"]["tuned_on"] == "validation"
    assert meta["data"]["test_in_train"] == 0 and meta["data"]["val_in_train"] == 0
    report = (d / "report.md").read_text()
    metrics = json.loads((d / "metrics.json").read_text())
    assert ("MISSED" in report.splitlines()[2]) == (not all(t["met"] for t in metrics["targets"].values()))


def test_the_default_spec_trains_the_shipped_model_again():
    from tinylab.lifecycle import resolve_spec
    from tinylab.spec import load_toml
    from tinylab.tasks import get_task

    task = get_task("track-id")
    saved = load_toml(task.spec_class, pretrained_dir("track-id") / "spec.toml")
    assert resolve_spec(task, None, []).model_dump(exclude={"tune"}) == saved.model_dump(exclude={"tune"})


def test_the_base_install_predicts_images_with_the_shipped_model(tmp_path: Path):
    from test_extras import base_cli  # the CLI with every extra's packages made unimportable

    np.save(tmp_path / "c.npy", sim.generate(7, seed=9).images)
    r = base_cli("predict", "track-id", "--file", str(tmp_path / "c.npy"), "--json")
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)) == 7


def test_predict_from_npy_with_the_shipped_model(tmp_path: Path):
    clusters = sim.generate(70, seed=2024)
    np.save(tmp_path / "clusters.npy", clusters.images)
    r = run_cli("predict", "track-id", "--file", str(tmp_path / "clusters.npy"), "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) == 70
    # a binary answer lists the label when its probability reaches the tuned threshold, nothing otherwise
    said = np.array([bool(row["predictions"]) and row["predictions"][0]["predicted"] for row in rows])
    truth = clusters.label == 1
    # clear cases: main tracks above 10 MeV are found, clusters below 2 MeV are not called main tracks
    high, low = truth & (clusters.reco_energy > 10), clusters.reco_energy < 2
    assert said[high].all() and not said[low].any()
    assert (said == truth).mean() > 0.85


@pytest.mark.long
def test_eval_of_the_shipped_model_reproduces_its_saved_metrics():
    r = run_cli("eval", "track-id", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    saved = json.loads((pretrained_dir("track-id") / "metrics.json").read_text())
    for key in ("pr_auc", "macro_f1", "energy_cut_macro_f1", "overlap_macro_f1_over_energy_cut"):
        assert out["metrics"][key] == pytest.approx(saved[key], abs=1e-9)
    for name, t in out["targets"].items():
        assert t["met"] == (out["metrics"][name] >= t["goal"])
