"""End-to-end: the real CLI in a subprocess, as a user (or a benchmark script) drives it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli

TINY = [
    "--set", "data.labels=['technology.internet.ip_v4', 'identity.person.email', 'datetime.date.iso', "
             "'representation.text.color_hex', 'technology.cryptographic.uuid']",
    "--set", "data.train_per_label=120", "--set", "data.val_per_label=30", "--set", "data.test_per_label=40",
    "--set", "train.epochs=8", "--set", "model.channels=32", "--set", "model.hidden=32",
    "--set", "train.batch_size=64",
]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    runs = tmp_path_factory.mktemp("runs")
    r = run_cli("train", "semantic-types", *TINY, "--set", "targets.accuracy=0.5",
                "--set", "targets.top3_accuracy=1.01", "--runs-dir", str(runs), "--json")
    assert r.returncode == 0, r.stderr
    last = json.loads(r.stdout.strip().splitlines()[-1])
    return Path(last["run"]), last


def test_train_json_contract(tiny_run):
    _, out = tiny_run
    assert set(out) == {"run", "metrics", "targets"}
    assert 0 <= out["metrics"]["accuracy"] <= 1 and "accuracy_ci_low" in out["metrics"]
    assert out["targets"]["accuracy"]["goal"] == 0.5
    # a goal above 1 cannot be met, and must not be reported as met
    assert out["targets"]["top3_accuracy"] == {"goal": 1.01, "value": out["metrics"]["top3_accuracy"], "met": False}


def test_run_directory_is_complete_and_verifies(tiny_run):
    run, _ = tiny_run
    for name in ("spec.toml", "model.safetensors", "model.onnx", "meta.json", "metrics.json", "report.md",
                 "train_log.jsonl", "manifest.json"):
        assert (run / name).is_file(), name
    assert list((run / "checkpoints").glob("epoch-*.safetensors"))
    assert len(list((run / "checkpoints").glob("*"))) <= 2  # keep_checkpoints default
    assert len((run / "train_log.jsonl").read_text().splitlines()) >= 1
    meta = json.loads((run / "meta.json").read_text())
    assert len(meta["labels"]) == 5
    assert meta["runtime"] == "onnxruntime" and "parity" in meta["onnx"]
    assert "model.onnx" in json.loads((run / "manifest.json").read_text())["files"]
    r = run_cli("runs", "verify", str(run))
    assert r.returncode == 0 and "ok" in r.stdout


def test_report_states_targets_truthfully(tiny_run):
    run, out = tiny_run
    report = (run / "report.md").read_text()
    assert "top3_accuracy | ≥ 1.01" in report and "**MISSED**" in report
    acc_met = out["targets"]["accuracy"]["met"]
    assert (f"| accuracy | ≥ 0.5 | {out['metrics']['accuracy']:.4f}" in report)
    assert ("| met |" in report) == acc_met
    assert "target missed: top3_accuracy" in report  # diagnosis lists the miss
    assert "Leakage check" in report and "Accuracy by domain" in report
    r = run_cli("report", str(run))
    assert r.returncode == 0 and r.stdout.startswith("# semantic-types")


def test_predict_with_run(tiny_run):
    run, _ = tiny_run
    r = run_cli("predict", str(run), "10.0.0.1", "bob@example.com", "--top-k", "2", "--json")
    assert r.returncode == 0, r.stderr
    preds = json.loads(r.stdout)
    assert [p["value"] for p in preds] == ["10.0.0.1", "bob@example.com"]
    assert len(preds[0]["predictions"]) == 2
    assert preds[0]["predictions"][0]["label"] == "technology.internet.ip_v4"
    assert preds[1]["predictions"][0]["label"] == "identity.person.email"


def test_predict_from_file(tiny_run, tmp_path: Path):
    run, _ = tiny_run
    f = tmp_path / "values.txt"
    f.write_text("2024-01-15\n#a1b2c3\n")
    r = run_cli("predict", str(run), "--file", str(f))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert lines[0].startswith("2024-01-15\tdatetime.date.iso")
    assert lines[1].startswith("#a1b2c3\trepresentation.text.color_hex")


def test_eval_reproduces_saved_metrics(tiny_run):
    run, out = tiny_run
    r = run_cli("eval", str(run), "--json")
    assert r.returncode == 0, r.stderr
    again = json.loads(r.stdout.strip().splitlines()[-1])
    assert again["metrics"]["accuracy"] == out["metrics"]["accuracy"]
    assert again["targets"] == out["targets"]


def test_tampered_run_is_refused(tiny_run, tmp_path: Path):
    run, _ = tiny_run
    r = run_cli("runs", "push", str(run), str(tmp_path / "copy"))
    assert r.returncode == 0, r.stderr
    copy = tmp_path / "copy"
    weights = copy / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    r = run_cli("runs", "verify", str(copy))
    assert r.returncode == 1 and "model.safetensors" in r.stderr
    r = run_cli("predict", str(copy), "1.2.3.4")
    assert r.returncode != 0 and "model.safetensors" in r.stderr and "Traceback" not in r.stderr


def test_export_rewrites_the_onnx_model_and_keeps_predictions(tiny_run, tmp_path: Path):
    run, _ = tiny_run
    copy = tmp_path / "copy"
    assert run_cli("runs", "push", str(run), str(copy)).returncode == 0
    before = run_cli("predict", str(copy), "10.0.0.1", "bob@example.com", "--json")
    r = run_cli("export", str(copy))
    assert r.returncode == 0, r.stderr
    assert "re-exported" in r.stdout and "parity with torch" in r.stdout
    assert run_cli("runs", "verify", str(copy)).returncode == 0
    meta = json.loads((copy / "meta.json").read_text())
    assert meta["runtime"] == "onnxruntime" and meta["onnx"] in r.stdout
    after = run_cli("predict", str(copy), "10.0.0.1", "bob@example.com", "--json")
    assert [p["predictions"][0]["label"] for p in json.loads(after.stdout)] == \
        [p["predictions"][0]["label"] for p in json.loads(before.stdout)]
    r = run_cli("export", str(tmp_path / "nope"))
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_runs_list(tiny_run):
    run, _ = tiny_run
    r = run_cli("runs", "list", "--runs-dir", str(run.parent.parent))
    assert r.returncode == 0 and run.name[:15] in r.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["train", "no-such-task"],
         "unknown task 'no-such-task'; registered tasks: clause-labels, from-file, json-repair, semantic-types, "
         "track-id, unfair-clauses, word-rarity"),
        (["train", "semantic-types", "--set", "train.epoch=3"], "unknown spec key 'train.epoch'"),
        (["train", "semantic-types", "--set", "train.epochs=many"], "train.epochs"),
        (["train", "semantic-types", "--set", "model.kernel=3"], "valid keys in [model]"),
        (["train", "semantic-types", "--spec", "/nonexistent.toml"], "cannot read spec file"),
        (["predict", "semantic-types"], "no values to predict"),
        (["eval", "nowhere"], "neither a run directory, a registered task"),
        (["train", "word-rarity", "--set", "export.int8=true"], "export.int8 is for kinds whose answers"),
        (["train", "clause-labels", "--set", "train.length_bands=4"],
         "train.length_bands needs a padding-invariant byte model"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, needle):
    r = run_cli(*args)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert needle in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_tasks_lists_every_builtin_task_with_its_kind():
    r = run_cli("tasks")
    assert r.returncode == 0
    kinds = dict(line.split("\t")[:2] for line in r.stdout.strip().splitlines())
    assert kinds == {"clause-labels": "multi_label", "semantic-types": "single_label", "unfair-clauses": "multi_label",
                     "word-rarity": "regression", "from-file": "inferred", "json-repair": "text_repair",
                     "track-id": "binary"}


def test_fit_columns_then_profile_categorical(tiny_run, tmp_path: Path):
    run, _ = tiny_run
    copy = tmp_path / "copy"
    assert run_cli("runs", "push", str(run), str(copy)).returncode == 0
    csv = tmp_path / "t.csv"
    statuses = ["active", "pending", "shipped", "returned"]
    csv.write_text("id,state\n" + "".join(f"{i:08x}-1b2c-4d5e-8f90-a1b2c3d4e5f6,{statuses[i % 4]}\n"
                                          for i in range(80)))
    r = run_cli("profile", str(csv), "--model", str(copy), "--categorical")
    assert r.returncode == 2 and "fit-columns" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("fit-columns", str(copy), "--per-label", "10")
    assert r.returncode == 0, r.stderr
    assert "column model written" in r.stdout and "precision" in r.stdout
    assert run_cli("runs", "verify", str(copy)).returncode == 0  # the new files are in the manifest
    info = json.loads((copy / "columns.json").read_text())
    assert info["command"] == f"tinylab fit-columns {copy} --per-label 10" and info["test"]["recall"] > 0.9
    for flag in ("--categorical", None):  # a run with a column model uses it unless told not to
        r = run_cli("profile", str(csv), "--model", str(copy), *([flag] if flag else []), "--json")
        assert r.returncode == 0, r.stderr
        by = {p["column"]: p for p in json.loads(r.stdout)}
        assert by["state"]["type"] == "representation.discrete.categorical"
        assert by["id"]["type"] == "technology.cryptographic.uuid"
    r = run_cli("profile", str(csv), "--model", str(copy), "--no-categorical", "--json")
    assert r.returncode == 0 and "categorical" not in r.stdout
    r = run_cli("fit-columns", "clause-labels")
    assert r.returncode == 2 and "semantic-types runs" in r.stderr and "Traceback" not in r.stderr


def test_runs_push_copies_a_shipped_model_by_name(tmp_path: Path):
    dest = tmp_path / "word-rarity"
    r = run_cli("runs", "push", "word-rarity", str(dest))
    assert r.returncode == 0, r.stderr
    assert (dest / "manifest.json").is_file() and run_cli("runs", "verify", str(dest)).returncode == 0
