"""Tuning with a study in a real PostgreSQL server: workers share trials, and a worker killed mid-trial leaves
the study usable (its trial is marked failed by the next worker). The server is a private cluster started
here on localhost (`.ci/run` installs Debian's postgresql package)."""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import free_port, run_cli

pytestmark = pytest.mark.long

TINY = ["data.labels=['technology.internet.ip_v4', 'identity.person.email']", "data.train_per_label=40",
        "data.val_per_label=15", "data.test_per_label=15", "train.epochs=2", "train.threads=1", "model.hidden=16"]
SETS = [a for s in TINY for a in ("--set", s)]


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql; .ci/run installs it)")
    bindir = Path(bins[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="tinylab-pg-"))
    root.chmod(0o755)
    data = root / "data"
    data.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        shutil.chown(data, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()

    def pg(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, timeout=120)

    pg(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust")
    pg(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(data / "server.log"), "-w", "-o",
       f"-p {port} -k {data} -c listen_addresses=127.0.0.1", "start")
    try:
        pg(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "tinylab")
        yield f"postgresql://postgres@127.0.0.1:{port}/tinylab"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def _worker(url: str, study: str, trials: int, runs: Path, *extra: str) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "tinylab", "tune", "semantic-types", "--trials", str(trials), "--no-final",
           "--storage", url, "--study", study, "--runs-dir", str(runs), "--json", *SETS, *extra]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONWARNINGS="ignore"))


def _trials(url: str, study: str, runs: Path) -> list[dict]:
    r = run_cli("tune", "semantic-types", "--report", "--storage", url, "--study", study, "--runs-dir", str(runs),
                "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])["trials"]


def test_two_workers_share_one_study_in_postgres(postgres: str, tmp_path: Path):
    workers = [_worker(postgres, "shared", 2, tmp_path) for _ in range(2)]
    outs = [w.communicate(timeout=300) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err for _, err in outs]
    trials = _trials(postgres, "shared", tmp_path)
    assert sorted(t["number"] for t in trials) == list(range(4))  # both workers' trials, none lost or twice
    assert {t["state"] for t in trials} <= {"complete", "pruned"}


def test_a_worker_killed_mid_trial_leaves_the_study_usable(postgres: str, tmp_path: Path):
    import optuna

    slow = ["--set", "train.epochs=200", "--set", "train.patience=200", "--set", "data.train_per_label=400"]
    victim = _worker(postgres, "killed", 1, tmp_path, "--heartbeat", "1", *slow)
    storage = optuna.storages.RDBStorage(postgres.replace("postgresql://", "postgresql+psycopg2://"))
    deadline = time.monotonic() + 120
    running: list = []
    while time.monotonic() < deadline and not running:
        time.sleep(0.5)
        try:
            study = optuna.load_study(study_name="killed", storage=storage)
        except KeyError:
            continue
        running = [t for t in study.trials if t.state == optuna.trial.TrialState.RUNNING and t.intermediate_values]
    assert running, "the worker never reported an epoch"
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    time.sleep(5)  # more than 4 heartbeats of silence
    again = _worker(postgres, "killed", 1, tmp_path, "--heartbeat", "1")
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    states = {t["number"]: t["state"] for t in _trials(postgres, "killed", tmp_path)}
    assert states[running[0].number] == "fail" and "complete" in states.values()


def test_an_unreachable_database_is_one_line(tmp_path: Path):
    r = run_cli("tune", "semantic-types", "--trials", "1", "--storage", f"postgresql://nobody@127.0.0.1:{free_port()}/x",
                "--runs-dir", str(tmp_path))
    assert r.returncode == 2 and "cannot open the study database" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
