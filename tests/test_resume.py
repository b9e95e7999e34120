"""Crash safety: a training killed with SIGKILL after an epoch continues with `tinylab train --resume` and
ends exactly where an uninterrupted training ends (same weights, same metrics); a checkpoint torn by the
kill is skipped; a partial run never looks complete and `runs list` says it can be resumed."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_cli

SMALL = ["data.train_words=3000", "data.val_words=500", "data.test_words=1000", "train.epochs=5",
         "train.patience=5", "train.threads=1"]


def _train_args(runs: Path) -> list[str]:
    args = ["train", "word-rarity", "--runs-dir", str(runs), "--json"]
    for o in SMALL:
        args += ["--set", o]
    return args


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> dict:
    runs = tmp_path_factory.mktemp("whole")
    r = run_cli(*_train_args(runs))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    out["weights"] = _sha(Path(out["run"]) / "model.safetensors")
    return out


def _killed_after(runs: Path, epoch: int, marker: str | None = None) -> Path:
    """Start a training, SIGKILL it as soon as epoch ``epoch``'s checkpoint is complete (or as soon as the
    file ``marker`` appears in the run being written); the partial run."""
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    proc = subprocess.Popen([sys.executable, "-m", "tinylab", *_train_args(runs)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 300
    marker = marker or f"checkpoints/epoch-{epoch:03d}.state.json"
    while time.monotonic() < deadline:
        partial = list((runs / "word-rarity").glob(f".tmp-*/{marker}")) if (runs / "word-rarity").is_dir() else []
        if partial:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return next(p for p in partial[0].parents if p.name.startswith(".tmp-"))
        if proc.poll() is not None:
            pytest.fail("the training ended before it could be killed")
        time.sleep(0.02)
    proc.kill()
    pytest.fail("no checkpoint appeared")


@pytest.mark.long
def test_a_killed_training_resumes_to_exactly_the_uninterrupted_result(tmp_path: Path, uninterrupted: dict):
    partial = _killed_after(tmp_path, 2)
    assert not (partial / "manifest.json").exists()  # a partial run never looks complete
    listed = json.loads(run_cli("runs", "list", "--runs-dir", str(tmp_path), "--json").stdout)
    assert len(listed) == 1 and listed[0]["has_manifest"] is False and listed[0]["resumable_from_epoch"] >= 2
    r = run_cli("predict", str(partial), "the")
    assert r.returncode != 0  # not usable as a run
    r = run_cli("train", "--resume", str(partial), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert _sha(Path(out["run"]) / "model.safetensors") == uninterrupted["weights"]
    assert out["metrics"]["spearman"] == uninterrupted["metrics"]["spearman"]
    assert not partial.exists() and run_cli("runs", "verify", out["run"]).returncode == 0
    log = (Path(out["run"]) / "train_log.jsonl").read_text().splitlines()
    assert [json.loads(line)["epoch"] for line in log] == [1, 2, 3, 4, 5]


@pytest.mark.long
def test_a_checkpoint_torn_by_the_kill_is_skipped(tmp_path: Path, uninterrupted: dict):
    partial = _killed_after(tmp_path, 3)
    checkpoints = partial / "checkpoints"
    newest = max(checkpoints.glob("epoch-*.state.safetensors"))
    newest.write_bytes(newest.read_bytes()[:100])  # as if the kill came in the middle of writing it
    r = run_cli("train", "--resume", str(partial), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert _sha(Path(out["run"]) / "model.safetensors") == uninterrupted["weights"]


@pytest.mark.long
def test_a_training_killed_during_its_final_write_resumes(tmp_path: Path, uninterrupted: dict):
    # the run's own weights file is the first thing the final write (export, test, reports, manifest) writes
    partial = _killed_after(tmp_path, 5, marker="model.safetensors")
    assert not [p for p in (tmp_path / "word-rarity").iterdir() if not p.name.startswith(".tmp-")]
    listed = json.loads(run_cli("runs", "list", "--runs-dir", str(tmp_path), "--json").stdout)
    assert len(listed) == 1 and listed[0]["has_manifest"] is False and listed[0]["resumable_from_epoch"] == 5
    assert run_cli("predict", str(partial), "the").returncode == 2
    # the commit's own window: the manifest (without the training state) written, the state not yet deleted
    from tinylab.runs import write_manifest

    write_manifest(partial, leave_out=list((partial / "checkpoints").glob("*.state.*")))
    listed = json.loads(run_cli("runs", "list", "--runs-dir", str(tmp_path), "--json").stdout)
    assert listed[0]["has_manifest"] is False
    r = run_cli("train", "--resume", str(partial), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert _sha(Path(out["run"]) / "model.safetensors") == uninterrupted["weights"]
    assert out["metrics"]["spearman"] == uninterrupted["metrics"]["spearman"]
    assert run_cli("runs", "verify", out["run"]).returncode == 0


def test_a_run_killed_between_its_manifest_and_its_rename_is_finished_by_resume(tmp_path: Path, uninterrupted: dict):
    import shutil

    done = Path(uninterrupted["run"])
    partial = tmp_path / "word-rarity" / f".tmp-{done.name}"
    shutil.copytree(done, partial)  # exactly what a kill just before the commit's rename leaves
    listed = json.loads(run_cli("runs", "list", "--runs-dir", str(tmp_path), "--json").stdout)
    assert len(listed) == 1 and listed[0]["has_manifest"] is False  # not complete under its temporary name
    r = run_cli("predict", str(partial), "the")
    assert r.returncode == 2 and "--resume" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("train", "--resume", str(partial), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["run"] == str(tmp_path / "word-rarity" / done.name) and not partial.exists()
    assert out["metrics"]["spearman"] == uninterrupted["metrics"]["spearman"]
    assert _sha(Path(out["run"]) / "model.safetensors") == uninterrupted["weights"]


def test_what_cannot_be_resumed_is_said_in_one_line(tmp_path: Path, uninterrupted: dict):
    r = run_cli("train", "--resume", uninterrupted["run"])
    assert r.returncode == 2 and "complete run" in r.stderr
    empty = tmp_path / "word-rarity" / ".tmp-20260101-000000-abcdef"
    empty.mkdir(parents=True)
    (empty / "spec.toml").write_text((Path(uninterrupted["run"]) / "spec.toml").read_text())
    r = run_cli("train", "--resume", str(empty))
    assert r.returncode == 2 and "no complete checkpoint" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("train", "word-rarity", "--resume", str(empty))
    assert r.returncode == 2 and "--resume" in r.stderr
