from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
def _shared_data() -> Path:
    """The project's shared datasets: TINYLAB_SHARED_DATA, else ../shared/data beside this checkout, else beside
    the local checkout this one was cloned from (a fresh clone in a temporary directory)."""
    if os.environ.get("TINYLAB_SHARED_DATA"):
        return Path(os.environ["TINYLAB_SHARED_DATA"])
    beside = ROOT.parent / "shared" / "data"
    if beside.is_dir():
        return beside
    origin = subprocess.run(["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
                            capture_output=True, text=True, check=False).stdout.strip()
    if origin and Path(origin).is_dir():
        return Path(origin).resolve().parent / "shared" / "data"
    return beside


SHARED = _shared_data()
if SHARED.is_dir():  # tinylab itself (and every CLI subprocess) reads the shared datasets from here too
    os.environ.setdefault("TINYLAB_SHARED_DATA", str(SHARED))


def run_cli(*args: str, cwd: Path | None = None, timeout: int = 600, columns: int = 120,
            env: dict[str, str] | None = None, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real ``tinylab`` CLI in a subprocess (in a terminal ``columns`` wide; ``env`` adds variables;
    ``input_text`` is its standard input)."""
    env = dict(os.environ, PYTHONWARNINGS="ignore", COLUMNS=str(columns), **(env or {}))
    return subprocess.run([sys.executable, "-m", "tinylab", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout, input=input_text)


@pytest.fixture
def cli():
    return run_cli


def record_splits(task, monkeypatch) -> list[str]:
    """The names of the splits ``task`` loads from now on, in order (its ``load_split`` still does the work)."""
    asked: list[str] = []
    original = task.load_split

    def load_split(spec, split, progress=None):
        asked.append(split)
        return original(spec, split, progress)

    monkeypatch.setattr(task, "load_split", load_split)
    return asked


def free_port() -> int:
    """A TCP port on localhost that nothing listens on now (for a server a test starts)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
