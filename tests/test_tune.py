"""tinylab tune: Optuna trials over a spec's search space, on validation only; the best spec's final run is the
only one that reads the test split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinylab.errors import SpecError

from conftest import record_splits, run_cli

TINY = ["data.labels=['technology.internet.ip_v4', 'identity.person.email', 'datetime.date.iso']",
        "data.train_per_label=40", "data.val_per_label=15", "data.test_per_label=15", "train.epochs=3",
        "train.threads=1", "model.hidden=16"]


def test_trials_read_validation_only_and_the_final_run_reads_test_once(tmp_path: Path, monkeypatch):
    from tinylab.lifecycle import clear_split_cache
    from tinylab.tasks import get_task
    from tinylab.tune import run_study

    clear_split_cache()
    task = get_task("semantic-types")
    asked = record_splits(task, monkeypatch)
    out = run_study(task, None, TINY, trials=3, runs_dir=tmp_path)
    assert [t["state"] for t in out.trials] == ["complete"] * 3
    assert out.best is not None and out.best["value"] == max(t["value"] for t in out.trials)
    assert set(out.best["params"]) == {"train.lr", "model.channels", "model.dropout", "train.label_smoothing"}
    # the trials share one generation of train and validation (the split cache); test comes last, once
    assert asked.count("test") == 1 and asked[-1] == "test" and "test" not in asked[:-1]
    assert out.final is not None and (out.final.run / "manifest.json").is_file()
    spec = (out.final.run / "spec.toml").read_text()
    assert f"channels = {out.best['params']['model.channels']}" in spec
    assert Path(out.storage).is_file() and out.storage.endswith(".tune/semantic-types.journal")
    # the study goes on where it stopped: two more trials join the three
    more = run_study(task, None, TINY, trials=2, runs_dir=tmp_path, final=False)
    assert len(more.trials) == 5 and more.final is None


def test_a_pruned_trial_is_recorded_as_pruned(tmp_path: Path):
    import optuna

    from tinylab.tune import run_study

    always = optuna.pruners.ThresholdPruner(lower=2.0)  # no validation accuracy reaches 2: prune at epoch 1
    out = run_study("semantic-types", None, TINY, trials=2, runs_dir=tmp_path, pruner=always, final=False)
    assert [(t["state"], t["epochs"]) for t in out.trials] == [("pruned", 1), ("pruned", 1)]
    assert out.best is None and out.final is None


def test_a_search_key_must_be_a_key_of_the_spec(tmp_path: Path):
    from tinylab.tune import run_study

    spec = tmp_path / "spec.toml"
    spec.write_text('task = "semantic-types"\n[tune."model.channel"]\nchoices = [8, 16]\n')
    with pytest.raises(SpecError, match=r"'model\.channel' is not a key of the semantic-types spec"):
        run_study("semantic-types", spec, TINY, trials=1, runs_dir=tmp_path)
    spec.write_text('task = "semantic-types"\n[tune."train.lr"]\nlow = 0.1\nhigh = 0.01\n')
    with pytest.raises(SpecError, match=r"a range needs `low` < `high`"):
        run_study("semantic-types", spec, TINY, trials=1, runs_dir=tmp_path)


@pytest.mark.long
def test_two_workers_share_one_study_through_its_journal(tmp_path: Path):
    import os
    import subprocess
    import sys

    sets = [a for s in TINY for a in ("--set", s)]
    cmd = [sys.executable, "-m", "tinylab", "tune", "semantic-types", "--trials", "2", "--no-final", "--runs-dir",
           str(tmp_path), "--study", "shared", "--json", *sets]
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    workers = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
               for _ in range(2)]
    outs = [w.communicate(timeout=300) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err for _, err in outs]
    r = run_cli("tune", "semantic-types", "--report", "--study", "shared", "--runs-dir", str(tmp_path), "--json")
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert sorted(t["number"] for t in out["trials"]) == list(range(4))  # every trial of both workers, none twice
    assert {t["state"] for t in out["trials"]} <= {"complete", "pruned"} and out["best"]["metric"] == "val_accuracy"
    r = run_cli("tune", "semantic-types", "--report", "--study", "shared", "--runs-dir", str(tmp_path))
    assert r.returncode == 0 and "best: trial" in r.stdout and "model.channels=" in r.stdout
    assert "shared-history.png" in r.stdout and (tmp_path / ".tune" / "shared-history.png").is_file()
    r = run_cli("tune", "word-rarity", "--report", "--runs-dir", str(tmp_path))
    assert r.returncode == 2 and "no study 'word-rarity'" in r.stderr


def test_an_integer_range_is_searched_as_integers():
    import optuna

    from tinylab.spec import SearchRange
    from tinylab.tune import suggest

    r = SearchRange.model_validate({"low": 2, "high": 4})
    assert r.integer and isinstance(r.low, int)
    assert not SearchRange.model_validate({"low": 2.0, "high": 4}).integer
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    values = [suggest(study.ask(), "model.layers", r) for _ in range(20)]
    assert all(type(v) is int and 2 <= v <= 4 for v in values) and len(set(values)) > 1


def test_a_trial_over_its_time_budget_stops_with_its_best_epoch(tmp_path: Path):
    from tinylab.tune import run_study

    out = run_study("word-rarity", overrides=["data.train_words=2000", "data.val_words=300", "data.test_words=300",
                                              "train.epochs=30", "train.patience=30"],
                    trials=1, runs_dir=tmp_path, final=False, trial_seconds=1)
    assert out.trials[0]["state"] == "complete" and 1 <= out.trials[0]["epochs"] < 30
    from tinylab.tune import study_report

    report = study_report("word-rarity", runs_dir=tmp_path)  # with the optimisation-history plot
    assert [p.name for p in report.plots] == ["word-rarity-history.png"]
    assert report.plots[0].read_bytes().startswith(b"\x89PNG")
