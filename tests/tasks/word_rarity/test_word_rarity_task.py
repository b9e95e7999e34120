"""word-rarity: targets from wordfreq, disjoint word splits, and the regression report end to end through
the real CLI (scatter plot, Spearman with its interval, the verdict stated truthfully)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tinylab.errors import SpecError
from tinylab.lifecycle import resolve_spec
from tinylab.tasks import get_task
from tinylab.tasks.word_rarity.task import rarity

from conftest import run_cli

SMALL = ["data.train_words=3000", "data.val_words=500", "data.test_words=1000"]


def test_rarity_maps_zipf_onto_unit_interval():
    assert rarity(np.array([8.0, 1.0, 4.5, 0.0, 9.0])).tolist() == pytest.approx([0.0, 1.0, 0.5, 1.0, 0.0])


def test_splits_are_disjoint_seeded_and_real_words():
    task = get_task("word-rarity")
    spec = resolve_spec(task, None, SMALL)
    splits = {s: task.load_split(spec, s) for s in ("train", "val", "test")}
    assert [len(splits[s]) for s in ("train", "val", "test")] == [3000, 500, 1000]
    words = [set(splits[s].inputs) for s in splits]
    assert not (words[0] & words[1] or words[0] & words[2] or words[1] & words[2])
    assert splits["test"].inputs == task.load_split(spec, "test").inputs
    assert all(any(ch.isalpha() for ch in w) for w in splits["test"].inputs)
    t = splits["train"].targets
    assert t.dtype == np.float32 and t.min() >= 0 and t.max() <= 1 and t.std() > 0.05


def test_unknown_language_and_oversized_split_are_spec_errors():
    task = get_task("word-rarity")
    with pytest.raises(SpecError, match="no large wordfreq list for 'xx'"):
        resolve_spec(task, None, ["data.language=xx"])
    spec = resolve_spec(task, None, ["data.train_words=9000000"])
    with pytest.raises(SpecError, match="words asked for"):
        task.load_split(spec, "train")


def test_cli_end_to_end_regression_report(tmp_path: Path):
    r = run_cli("train", "word-rarity", *[a for s in SMALL for a in ("--set", s)], "--set", "train.epochs=2",
                "--set", "model.channels=16", "--runs-dir", str(tmp_path), "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    run = Path(out["run"])
    m = out["metrics"]
    assert m["spearman_ci_low"] <= m["spearman"] <= m["spearman_ci_high"]
    for key in ("pearson", "mae", "rmse", "spearman_stratified", "pairwise_auc_rare_vs_common"):
        assert key in m
    assert (run / "plots" / "scatter.png").is_file() and (run / "plots" / "learning_curves.png").is_file()
    report = (run / "report.md").read_text()
    t = out["targets"]["spearman"]
    assert t["met"] == (t["value"] >= t["goal"])
    assert ("MISSED" in report.splitlines()[2]) != t["met"]
    assert "| word length alone" in report and "Best epoch (validation spearman)" in report
    r = run_cli("predict", str(run), "the", "zyzzogeton", "--json")
    assert r.returncode == 0, r.stderr
    preds = json.loads(r.stdout)
    assert [p["value"] for p in preds] == ["the", "zyzzogeton"] and all(0 <= p["rarity"] <= 1.5 for p in preds)
    r = run_cli("eval", str(run), "--json")
    assert json.loads(r.stdout.strip().splitlines()[-1])["metrics"]["spearman"] == pytest.approx(m["spearman"])


def test_predict_answers_listed_words_from_the_list_and_others_from_the_model():
    r = run_cli("predict", "word-rarity", "the", "The", "zyzzogetonqx", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [row["source"] for row in rows] == ["list", "list", "model"]
    assert rows[0]["rarity"] == pytest.approx(rarity(np.array([7.73]))[0], abs=1e-3)  # zipf of "the"
    assert rows[2]["rarity"] == rows[2]["model"]
    r = run_cli("predict", "word-rarity", "the", "--model-only", "--json")
    row = json.loads(r.stdout)[0]
    assert row["source"] == "model" and row["rarity"] == row["model"] == pytest.approx(rows[0]["model"])
