"""A task from outside tinylab plugs in: ``tests/plugins/digit_count.py`` (integer arrays in, a kind of its own)
is registered the way a user's package registers one, through the ``tinylab.tasks`` entry point, and goes
through train -> eval -> report -> predict -> compare -> runs verify with the real CLI. No file in
``src/`` names it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, run_cli

PLUGINS = ROOT / "tests" / "plugins"


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An installed distribution (its metadata only) whose entry point registers the task, on PYTHONPATH."""
    site = tmp_path_factory.mktemp("site")
    dist = site / "tinylab_digit_count-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: tinylab-digit-count\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[tinylab.tasks]\ndigit-count = digit_count:DigitCountTask\n")
    return {"PYTHONPATH": f"{site}:{PLUGINS}"}


@pytest.fixture(scope="module")
def two_runs(plugin_env, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    runs = tmp_path_factory.mktemp("runs")
    r = run_cli("train", "digit-count", "--runs-dir", str(runs), "--json", env=plugin_env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    r = run_cli("train", "digit-count", "--set", "train.epochs=2", "--set", "model.dim=2", "--runs-dir", str(runs),
                "--json", env=plugin_env)
    assert r.returncode == 0, r.stderr
    weak = json.loads(r.stdout.strip().splitlines()[-1])
    return Path(weak["run"]), Path(out["run"]), out


def test_the_task_is_listed_with_its_own_kind(plugin_env):
    r = run_cli("tasks", env=plugin_env)
    assert r.returncode == 0, r.stderr
    rows = {line.split("\t")[0]: line.split("\t") for line in r.stdout.strip().splitlines()}
    assert rows["digit-count"][1:3] == ["count", "-"]


def test_train_writes_a_run_scored_by_the_kind(two_runs):
    _, run, out = two_runs
    assert out["metrics"]["exact_match"] > 0.9 and out["targets"]["exact_match"]["met"] is True
    m = out["metrics"]
    assert m["exact_match_ci_low"] <= m["exact_match"] <= m["exact_match_ci_high"]
    meta = json.loads((run / "meta.json").read_text())
    assert meta["kind"] == "count" and meta["runtime"] == "onnxruntime"
    assert meta["validation"]["metric"] == "val_exact_match" and meta["data"]["test_size"] == 300
    report = (run / "report.md").read_text()
    assert "| exact_match |" in report and "## Against a constant" in report and "val exact match" in report
    assert "Leakage check (exact match of items): 0 of 300 test items" in report


def test_eval_reproduces_the_saved_metrics(two_runs, plugin_env):
    _, run, out = two_runs
    r = run_cli("eval", str(run), "--json", env=plugin_env)
    assert r.returncode == 0, r.stderr
    again = json.loads(r.stdout.strip().splitlines()[-1])
    assert again["metrics"] == out["metrics"]
    r = run_cli("report", str(run), env=plugin_env)
    assert r.returncode == 0 and r.stdout.startswith("# digit-count — run")


def test_predict_reads_arrays_from_the_command_line_npy_and_npz(two_runs, plugin_env, tmp_path: Path):
    _, run, _ = two_runs
    r = run_cli("predict", str(run), "[9,9,9,0,0,0,0,0,0,0,0,0]", "--json", env=plugin_env)
    assert r.returncode == 0, r.stderr
    (row,) = json.loads(r.stdout)
    assert row["value"] == [9, 9, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0] and row["count"] == 3
    items = np.array([[7] * 12, [0] * 12, [5, 4] * 6])
    np.save(tmp_path / "items.npy", items)
    r = run_cli("predict", str(run), "--file", str(tmp_path / "items.npy"), env=plugin_env)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert [line.split("\t")[1].split(" (")[0] for line in lines] == ["count 12", "count 0", "count 6"]
    np.savez(tmp_path / "items.npz", a=items[0], b=items[2])
    r = run_cli("predict", str(run), "--file", str(tmp_path / "items.npz"), "--json", env=plugin_env)
    assert [p["count"] for p in json.loads(r.stdout)] == [12, 6]
    (tmp_path / "items.jsonl").write_text("[1,2,3,4,5,6,7,8,9,0,1,2]\n\n[5,5,5,5,5,5,5,5,5,5,5,5]\n")
    r = run_cli("predict", str(run), "--file", str(tmp_path / "items.jsonl"), "--json", env=plugin_env)
    assert [p["count"] for p in json.loads(r.stdout)] == [5, 12]


def test_predict_rejects_what_is_not_an_item(two_runs, plugin_env, tmp_path: Path):
    _, run, _ = two_runs
    for args, needle in ((["[1,2,"], "value 1: not valid JSON"), (["[1,2,42]"], "expected a list of digits 0-9")):
        r = run_cli("predict", str(run), *args, env=plugin_env)
        assert r.returncode == 2 and needle in r.stderr and "Traceback" not in r.stderr, r.stderr
    (tmp_path / "bad.jsonl").write_text("[1,2,3]\n{oops\n")
    r = run_cli("predict", str(run), "--file", str(tmp_path / "bad.jsonl"), env=plugin_env)
    assert r.returncode == 2 and f"{tmp_path / 'bad.jsonl'}:2: not valid JSON" in r.stderr
    np.save(tmp_path / "objects.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    r = run_cli("predict", str(run), "--file", str(tmp_path / "objects.npy"), env=plugin_env)
    assert r.returncode == 2 and "without pickles" in r.stderr and "Traceback" not in r.stderr


def test_compare_and_verify(two_runs, plugin_env, tmp_path: Path):
    weak, strong, _ = two_runs
    r = run_cli("compare", str(weak), str(strong), "--out", str(tmp_path), "--json", env=plugin_env)
    assert r.returncode == 0, r.stderr
    c = json.loads(r.stdout.strip().splitlines()[-1])
    assert c["paired"] is True and set(c["overall"]) == {"exact_match", "mae"}
    em = c["overall"]["exact_match"]
    assert em["delta"] > 0 and em["delta_ci_low"] <= em["delta"] <= em["delta_ci_high"]
    assert c["spec_diff"]["model.dim"] == {"a": 2, "b": 8}
    for run in (weak, strong):
        r = run_cli("runs", "verify", str(run), env=plugin_env)
        assert r.returncode == 0 and "ok" in r.stdout
    r = run_cli("runs", "list", "--runs-dir", str(strong.parents[1]), env=plugin_env, columns=250)
    assert "exact_match" in r.stdout


def test_no_source_file_names_the_task():
    src = ROOT / "src" / "tinylab"
    assert not [p for p in src.rglob("*.py") if any(name in p.read_text(encoding="utf-8")
                                                    for name in ("digit-count", "digit_count", "DigitCount"))]
