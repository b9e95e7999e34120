"""track-id: seeded disjoint splits, balance strategies, image encoding, the energy-cut comparison, and the
task end to end through the real CLI (run directory, report with the energy-cut table and images, a prediction
from a .npy file)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score

from tinylab.data import undersample
from tinylab.errors import SpecError, TinylabError
from tinylab.lifecycle import resolve_spec
from tinylab.tasks import get_task
from tinylab.tasks.track_id import simulator as sim
from tinylab.tasks.track_id.task import compare_in_bands, energy_cut_threshold, image_key, macro_f1

from conftest import run_cli

SMALL = ["data.train_clusters=700", "data.val_clusters=350", "data.test_clusters=700"]


def test_registered_with_its_kind_and_input_type():
    task = get_task("track-id")
    assert task.kind == "binary" and task.input_type == "array"
    assert task.label_names(resolve_spec(task, None, [])) == ["main_track"]


def test_splits_are_disjoint_seeded_and_balanced_as_asked():
    task = get_task("track-id")
    spec = resolve_spec(task, None, SMALL)  # the default: data.balance = "none"
    splits = {s: task.load_split(spec, s) for s in ("train", "val", "test")}
    assert [len(splits[s]) for s in ("train", "val", "test")] == [700, 350, 700]
    keys = {s: {image_key(x) for x in splits[s].inputs} for s in splits}
    assert len(keys["train"]) == 700  # no duplicates within a split either
    assert not (keys["train"] & keys["val"] or keys["train"] & keys["test"] or keys["val"] & keys["test"])
    for s in splits:
        assert splits[s].inputs.shape[1:] == (64, 16) and splits[s].inputs.dtype == np.float32
        assert splits[s].targets.shape == (len(splits[s]), 1)
        assert splits[s].targets.sum() == round(len(splits[s]) / 7)
    again = task.load_split(spec, "test")
    assert np.array_equal(again.inputs, splits["test"].inputs)
    under = task.load_split(resolve_spec(task, None, [*SMALL, "data.balance=undersample"]), "train")
    assert len(under) == 200 and under.targets.sum() == 100
    with pytest.raises(SpecError, match="must differ"):
        task.load_split(resolve_spec(task, None, [*SMALL, "data.val_seed=1"]), "val")


def test_undersample_keeps_every_minority_item_and_as_many_of_the_rest():
    y = np.array([0] * 50 + [1] * 7 + [0] * 20)
    idx = undersample(y, seed=0)
    assert np.all(np.diff(idx) > 0) and (y[idx] == 1).sum() == 7 and (y[idx] == 0).sum() == 7
    assert np.array_equal(idx, undersample(y, seed=0)) and not np.array_equal(idx, undersample(y, seed=1))


def test_balance_class_weights_switches_the_loss_weights_and_conflicts_are_refused():
    task = get_task("track-id")
    assert resolve_spec(task, None, ["data.balance=class_weights"]).train.class_weights is True
    assert resolve_spec(task, None, ["data.balance=none"]).train.class_weights is False
    with pytest.raises(SpecError, match=r"conflicts with data\.balance"):
        resolve_spec(task, None, ["train.class_weights=true", "data.balance=undersample"])
    assert resolve_spec(task, None, ["data.balance=undersample"]).train.class_weights is False
    with pytest.raises(SpecError, match=r"data\.balance"):
        resolve_spec(task, None, ["data.balance=oversample"])


def test_encode_takes_the_spec_size_or_a_multiple_and_refuses_other_shapes():
    task = get_task("track-id")
    spec = resolve_spec(task, None, [])
    full = sim.generate(14, seed=5).images
    small = sim.block_sum(full, 2, 2)
    (a,) = task.encode(spec, list(full))
    (b,) = task.encode(spec, list(small))
    assert a.shape == (14, 64, 16) and np.allclose(a, b)
    assert np.isclose(a.sum(), full.sum() / 500.0, rtol=1e-4)  # charge is kept
    with pytest.raises(TinylabError, match="takes 2-D images of 64 x 16"):
        task.encode(spec, [np.zeros((50, 16), np.float32)])
    with pytest.raises(TinylabError, match="different shapes"):
        task.encode(spec, [np.zeros((64, 16)), np.zeros((128, 32))])


def test_macro_f1_is_scikit_learns_where_both_classes_occur():
    rng = np.random.default_rng(0)
    y, p = rng.random(300) < 0.2, rng.random(300) < 0.3
    assert macro_f1(y, p) == pytest.approx(f1_score(y, p, average="macro"))
    only_main = np.ones(10, bool)
    pred = np.array([True] * 8 + [False] * 2)
    assert macro_f1(only_main, pred) == pytest.approx(f1_score(only_main, pred))  # the main-track F1 alone


def test_energy_cut_threshold_is_chosen_on_the_given_split():
    reco = np.array([0.5, 1.0, 2.0, 2.9, 3.1, 4.0, 8.0])
    y = np.array([0, 0, 0, 0, 1, 1, 1], bool)
    t, f1 = energy_cut_threshold(reco, y)
    assert 2.9 < t <= 3.1 and f1 == 1.0


def test_band_comparison_has_intervals_around_each_figure():
    rng = np.random.default_rng(1)
    n = 600
    reco = rng.uniform(0.3, 25, n)
    y = reco + rng.normal(0, 2, n) > 5
    score = 1 / (1 + np.exp(-(reco - 5)))
    out = compare_in_bands(y, score, score >= 0.5, reco, reco >= 5.0, n_boot=200)
    assert set(out) == {"all", "< 3", "3-6", "6-10", "10-20", "> 20"}
    assert sum(out[b]["clusters"] for b in out if b != "all") == n
    for row in out.values():
        for key in ("cnn_macro_f1", "cut_macro_f1", "diff_macro_f1"):
            lo, hi = row[f"{key}_ci"]
            assert lo - 1e-9 <= row[key] <= hi + 1e-9
    # the same decisions: no difference anywhere
    assert out["all"]["diff_macro_f1"] == pytest.approx(0.0)


def test_cli_end_to_end_train_report_and_predict_from_npy(tmp_path: Path):
    r = run_cli("train", "track-id", *[a for s in SMALL for a in ("--set", s)], "--set", "train.epochs=2",
                "--set", "model.filters=8", "--set", "model.units=16", "--set", "model.conv_layers=2",
                "--runs-dir", str(tmp_path), "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    run = Path(out["run"])
    for name in ("spec.toml", "model.safetensors", "model.onnx", "meta.json", "metrics.json", "report.md",
                 "report.html", "manifest.json"):
        assert (run / name).is_file(), name
    m = out["metrics"]
    for key in ("macro_f1", "energy_cut_macro_f1", "macro_f1_over_energy_cut", "overlap_macro_f1_over_energy_cut"):
        assert m[f"{key}_ci_low"] <= m[key] <= m[f"{key}_ci_high"]
    assert set(out["targets"]) == {"macro_f1", "macro_f1_over_energy_cut", "overlap_macro_f1_over_energy_cut"}
    for t in out["targets"].values():
        assert t["met"] == (t["value"] >= t["goal"])
    report = (run / "report.md").read_text()
    assert "Against the energy cut, by reconstructed energy" in report and "| **3-6** |" in report
    assert "the threshold with the best validation macro-F1" in report
    assert report.count("data:image/png;base64,") == 2  # examples and worst mistakes
    assert "Leakage check (exact match of items): 0 of 700 test items" in report
    html = (run / "report.html").read_text()
    assert html.count('src="data:image/png;base64,') >= 2 + 4  # the task's images and the kind's plots
    metrics = json.loads((run / "metrics.json").read_text())
    assert set(metrics["energy_bands"]) == {"all", "< 3", "3-6", "6-10", "10-20", "> 20"}
    # a prediction from a .npy file: full-resolution images and the model's own size give the same answer
    full = sim.generate(14, seed=77).images
    np.save(tmp_path / "full.npy", full)
    np.save(tmp_path / "small.npy", sim.block_sum(full, 2, 2))
    answers = []
    for name, how in (("full.npy", "--file"), ("small.npy", None)):  # the file as --file or as a plain argument
        path = str(tmp_path / name)
        r = run_cli("predict", str(run), *((how, path) if how else (path,)), "--json")
        assert r.returncode == 0, r.stderr
        rows = json.loads(r.stdout)
        assert len(rows) == 14 and all(p["label"] == "main_track" for row in rows for p in row["predictions"])
        answers.append([[p["probability"] for p in row["predictions"]] for row in rows])
    assert [len(a) for a in answers[0]] == [len(a) for a in answers[1]]
    flat = [[p for row in a for p in row] for a in answers]
    assert np.allclose(flat[0], flat[1], atol=1e-5)
    np.save(tmp_path / "bad.npy", np.zeros((3, 50, 16), np.float32))
    r = run_cli("predict", str(run), "--file", str(tmp_path / "bad.npy"))
    assert r.returncode == 2 and "takes 2-D images of 64 x 16" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = run_cli("eval", str(run), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.strip().splitlines()[-1])["metrics"]["macro_f1"] == pytest.approx(m["macro_f1"])


def test_default_search_space_gives_valid_specs():
    import optuna

    from tinylab.tune import search_space, suggest

    task = get_task("track-id")
    spec = resolve_spec(task, None, [])
    space = search_space(spec)
    assert {"model.conv_layers", "model.filters", "train.lr", "data.balance"} <= set(space)
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    for _ in range(5):
        trial = study.ask()
        params = {key: suggest(trial, key, r) for key, r in space.items()}
        resolve_spec(task, None, [f"{k}={json.dumps(v)}" for k, v in params.items()])
        study.tell(trial, 0.0)
