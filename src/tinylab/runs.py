"""The run store. A run is a directory and the unit of truth:

    runs/<task>/<run-id>/  spec.toml model.safetensors meta.json metrics.json report.md train_log.jsonl
                           checkpoints/ manifest.json

It is written under a temporary name and renamed into place when complete; ``manifest.json`` (sha256
and size of every other file) is written last and checked on every load. ``copy_verified`` re-reads every
byte at the destination before it reports success.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinylab.errors import RunVerificationError, TinylabError

MANIFEST = "manifest.json"
CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _files(run_dir: Path) -> list[Path]:
    return sorted(p for p in run_dir.rglob("*") if p.is_file() and p.name != MANIFEST)


def write_manifest(run_dir: Path) -> dict[str, Any]:
    entries = {
        p.relative_to(run_dir).as_posix(): {"sha256": sha256_file(p), "size": p.stat().st_size}
        for p in _files(run_dir)
    }
    manifest = {"version": 1, "created": datetime.now(UTC).isoformat(timespec="seconds"), "files": entries}
    tmp = run_dir / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, run_dir / MANIFEST)
    return manifest


def verify(run_dir: Path) -> list[str]:
    """Every problem with ``run_dir`` against its manifest, one line each; empty when it verifies."""
    run_dir = Path(run_dir)
    mpath = run_dir / MANIFEST
    if not run_dir.is_dir():
        return [f"{run_dir}: not a directory"]
    if not mpath.is_file():
        return [f"{MANIFEST}: missing (the run was never completed, or was copied without it)"]
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
        listed: dict[str, dict[str, Any]] = manifest["files"]
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        return [f"{MANIFEST}: unreadable ({e})"]
    problems = []
    for rel, entry in sorted(listed.items()):
        p = run_dir / rel
        if not p.is_file():
            problems.append(f"{rel}: missing")
            continue
        size = p.stat().st_size
        if size != entry["size"]:
            problems.append(f"{rel}: size {size} != {entry['size']} in manifest")
        elif sha256_file(p) != entry["sha256"]:
            problems.append(f"{rel}: sha256 mismatch")
    for p in _files(run_dir):
        rel = p.relative_to(run_dir).as_posix()
        if rel not in listed:
            problems.append(f"{rel}: not in manifest")
    return problems


def require_verified(run_dir: Path) -> None:
    run_dir = Path(run_dir)
    if run_dir.is_dir() and not (run_dir / MANIFEST).is_file() and not (run_dir / "meta.json").is_file():
        raise TinylabError(f"{run_dir} is not a run directory (it has no {MANIFEST} and no meta.json); give the "
                           "directory `tinylab train` printed, or a shipped model's name")
    problems = verify(run_dir)
    if problems:
        raise RunVerificationError(str(run_dir), problems)


def new_run_id() -> str:
    return f"{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"


class RunWriter:
    """Builds a run under ``<task>/.tmp-<id>`` and renames it into place on :meth:`commit`."""

    def __init__(self, root: Path, task: str, run_id: str | None = None) -> None:
        self.run_id = run_id or new_run_id()
        self.parent = Path(root) / task
        self.parent.mkdir(parents=True, exist_ok=True)
        self.final = self.parent / self.run_id
        if self.final.exists():
            raise TinylabError(f"run directory {self.final} already exists")
        self.dir = self.parent / f".tmp-{self.run_id}"
        self.dir.mkdir()

    def path(self, rel: str) -> Path:
        p = self.dir / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def write_text(self, rel: str, text: str) -> Path:
        p = self.path(rel)
        p.write_text(text, encoding="utf-8")
        return p

    def write_json(self, rel: str, data: Any) -> Path:
        return self.write_text(rel, json.dumps(data, indent=1, sort_keys=False, default=_json_default) + "\n")

    def commit(self) -> Path:
        write_manifest(self.dir)
        problems = verify(self.dir)
        if problems:
            raise RunVerificationError(str(self.dir), problems)
        os.rename(self.dir, self.final)
        return self.final

    def abort(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def _json_default(o: Any) -> Any:
    import numpy as np

    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"not JSON-serializable: {type(o).__name__}")


@dataclass
class RunInfo:
    path: Path
    task: str
    run_id: str
    metrics: dict[str, Any]
    verified: bool


def list_runs(root: Path) -> list[RunInfo]:
    root = Path(root)
    out = []
    if not root.is_dir():
        return out
    for task_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        for run_dir in sorted(p for p in task_dir.iterdir() if p.is_dir() and not p.name.startswith(".tmp-")):
            metrics: dict[str, Any] = {}
            mfile = run_dir / "metrics.json"
            if mfile.is_file():
                try:
                    metrics = json.loads(mfile.read_text(encoding="utf-8"))
                except json.JSONDecodeError:
                    metrics = {}
            out.append(RunInfo(run_dir, task_dir.name, run_dir.name, metrics, (run_dir / MANIFEST).is_file()))
    return out


def copy_verified(src: Path, dest: Path) -> Path:
    """Copy a verified run to ``dest`` (a new directory), then re-hash every byte there.

    Raises :class:`RunVerificationError` (and leaves no partial ``dest``) if anything differs."""
    src, dest = Path(src), Path(dest)
    require_verified(src)
    if dest.exists():
        raise TinylabError(f"destination {dest} already exists; choose a new path")
    tmp = dest.parent / f".tmp-{dest.name}-{uuid.uuid4().hex[:6]}"
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copytree(src, tmp)
        problems = verify(tmp)
        if problems:
            raise RunVerificationError(str(dest), problems)
        os.rename(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    problems = verify(dest)
    if problems:
        raise RunVerificationError(str(dest), problems)
    return dest


def rewrite_verified(run_dir: Path, edit: Callable[[Path], None]) -> Path:
    """Change a verified run without ever leaving a half-changed one: copy it beside itself, let ``edit``
    change the copy, write the copy's manifest and verify it, then swap the copy into place.

    If ``edit`` raises, or the copy does not verify, the run is left exactly as it was."""
    run_dir = Path(run_dir)
    require_verified(run_dir)
    tag = uuid.uuid4().hex[:6]
    tmp = run_dir.parent / f".tmp-{run_dir.name}-{tag}"
    old = run_dir.parent / f".old-{run_dir.name}-{tag}"
    try:
        try:
            shutil.copytree(run_dir, tmp)
        except OSError as e:
            raise TinylabError(f"{run_dir}: cannot copy the run beside itself to rewrite it ({e.strerror or e}); "
                               f"copy it somewhere writable with `tinylab runs push` and work on the copy") from None
        edit(tmp)
        write_manifest(tmp)
        problems = verify(tmp)
        if problems:
            raise RunVerificationError(str(tmp), problems)
        os.rename(run_dir, old)
        os.rename(tmp, run_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return run_dir
