"""The run store. A run is a directory and the unit of truth:

    runs/<task>/<run-id>/  spec.toml model.safetensors meta.json metrics.json report.md train_log.jsonl
                           checkpoints/ manifest.json

It is written under a temporary name and renamed into place when complete; ``manifest.json`` (sha256
and size of every other file) is written last and checked on every load. Every file of a run is 0644.

Copies are verified: ``copy_verified`` (a local directory), ``push_run`` and ``pull_run`` (any fsspec
location: a local path or ``s3://bucket/prefix``) re-read every byte at the destination and compare it
with the manifest before they report success. A local copy is built under a temporary name and renamed
into place; in an object store, where nothing can be renamed, ``manifest.json`` is written last, after
every other object has been re-read, so a prefix without a manifest is an incomplete copy and is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from tinylab.errors import RunCopyError, RunVerificationError, TinylabError

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

MANIFEST = "manifest.json"
CHUNK = 1 << 20
FILE_MODE = 0o644
DIR_MODE = 0o755
# The run format this tinylab writes (manifest.json's "version") and the newest it reads: a run written in a
# newer format is refused as a whole, never half-read.
FORMAT = 1


def check_format(manifest: Any, where: str) -> None:
    """Raise TinylabError (bad input, exit 2) for a manifest written in a newer run format than this tinylab's."""
    version = manifest.get("version", 1) if isinstance(manifest, dict) else 1
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise TinylabError(f"{where}: 'version' is {version!r}; expected a run format number (1 to {FORMAT})")
    if version > FORMAT:
        import tinylab

        raise TinylabError(f"{where}: written in run format {version} by a newer tinylab; this tinylab "
                           f"({tinylab.__version__}) reads run format {FORMAT} and older; upgrade it "
                           "(pip install -U tinylab) to use this run")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _files(run_dir: Path) -> list[Path]:
    return sorted(p for p in run_dir.rglob("*") if p.is_file() and p.relative_to(run_dir).as_posix() != MANIFEST)


def unsafe_name(rel: str) -> str | None:
    """Why the manifest entry ``rel`` could name something outside its run's directory; None when it cannot.

    A run's file names are plain relative POSIX paths: no absolute path, no drive, no ``..`` or ``.`` part,
    no empty part, no backslash, and not the manifest itself."""
    if not isinstance(rel, str) or not rel:
        return "not a file name"
    if rel.startswith("/") or re.match(r"^[A-Za-z]:", rel):
        return "an absolute path"
    if "\\" in rel or "\0" in rel:
        return "a backslash or NUL in the name"
    if any(part in ("", ".", "..") for part in rel.split("/")):
        return "a '..', '.' or empty part"
    if rel == MANIFEST:
        return "the manifest listing itself"
    return None


def _symlink_on_path(run_dir: Path, rel: str) -> bool:
    """Whether any component of ``run_dir/rel`` below ``run_dir`` is a symbolic link."""
    p = run_dir
    for part in PurePosixPath(rel).parts:
        p = p / part
        if p.is_symlink():
            return True
    return False


def set_modes(run_dir: Path) -> None:
    """Every file of a run 0644 and every folder 0755, whatever the writer's defaults (safetensors writes
    0600): a run is read alike by everyone who can reach it."""
    for p in Path(run_dir).rglob("*"):
        if p.is_symlink():
            continue
        p.chmod(DIR_MODE if p.is_dir() else FILE_MODE)


def write_manifest(run_dir: Path, leave_out: Collection[Path] = ()) -> dict[str, Any]:
    """Hash every file of ``run_dir`` (but those in ``leave_out``, which are about to be deleted) into its
    manifest, written under a temporary name and renamed into place."""
    skip = {Path(p).resolve() for p in leave_out}
    entries = {
        p.relative_to(run_dir).as_posix(): {"sha256": sha256_file(p), "size": p.stat().st_size}
        for p in _files(run_dir) if p.resolve() not in skip
    }
    manifest = {"version": FORMAT, "created": datetime.now(UTC).isoformat(timespec="seconds"), "files": entries}
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
        check_format(manifest, str(mpath))
        listed: dict[str, dict[str, Any]] = manifest["files"]
        entries = _manifest_entries(listed)
    except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as e:
        return [f"{MANIFEST}: unreadable ({e})"]
    problems = []
    for rel, entry in entries:
        why = unsafe_name(rel)
        if why is not None:
            problems.append(f"{rel}: refused, {why} (a run's file names stay inside its directory)")
            continue
        if _symlink_on_path(run_dir, rel):
            problems.append(f"{rel}: refused, a symbolic link (a run holds only regular files)")
            continue
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


def _manifest_entries(listed: Any) -> list[tuple[str, dict[str, Any]]]:
    """The manifest's ``files`` as sorted (name, {"sha256", "size"}) pairs; ValueError when malformed."""
    if not isinstance(listed, dict):
        raise ValueError("'files' is not an object")
    out = []
    for rel, entry in sorted(listed.items()):
        if not (isinstance(entry, dict) and isinstance(entry.get("sha256"), str)
                and isinstance(entry.get("size"), int)):
            raise ValueError(f"the entry for {rel!r} needs a sha256 string and an integer size")
        out.append((rel, entry))
    return out


def require_verified(run_dir: Path) -> None:
    """Raise unless ``run_dir`` verifies: RunVerificationError (a failed check, exit 1) naming every file that
    differs, or TinylabError (bad input, exit 2) for a path that is not a run at all."""
    run_dir = Path(run_dir)
    if not run_dir.exists():
        raise TinylabError(f"{run_dir}: no such run directory")
    if run_dir.name.startswith(".tmp-"):
        raise TinylabError(f"{run_dir} is a run still being written, or interrupted: it is not complete; finish it "
                           f"with `tinylab train --resume {run_dir}`")
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

    @classmethod
    def reopen(cls, partial: Path) -> RunWriter:
        """The writer of a run left half-written (``<task>/.tmp-<id>``), to finish it (a resumed training)."""
        partial = Path(partial)
        if not partial.name.startswith(".tmp-") or not partial.is_dir():
            raise TinylabError(f"{partial}: not a run being written (expected a folder named .tmp-<id>)")
        writer = cls.__new__(cls)
        writer.run_id = partial.name.removeprefix(".tmp-")
        writer.parent = partial.parent
        writer.final = writer.parent / writer.run_id
        if writer.final.exists():
            raise TinylabError(f"run directory {writer.final} already exists")
        writer.dir = partial
        return writer

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

    def commit(self, drop: Collection[Path] = ()) -> Path:
        """Write the manifest, delete ``drop`` (files the finished run does not keep: the resumable training
        state), verify and rename into place. ``drop`` goes only after the manifest is written, so a kill at
        any instant leaves either those files or a manifest that matches the run without them."""
        set_modes(self.dir)
        write_manifest(self.dir, leave_out=drop)
        (self.dir / MANIFEST).chmod(FILE_MODE)
        for p in drop:
            Path(p).unlink(missing_ok=True)
        return self.rename_into_place()

    def rename_into_place(self) -> Path:
        """Verify the run being written against its manifest and give it its final name (the last step of
        :meth:`commit`, and all that is left of a commit killed after writing the manifest)."""
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
    resumable_from: int | None = None  # an incomplete run's newest complete checkpoint (its epoch)


# files a run writer puts in a run before its manifest: a folder holding one of them, under a known task's
# name, is an incomplete run
RUN_FILES = ("spec.toml", "meta.json", "train_log.jsonl", "metrics.json")


def list_runs(root: Path, known_tasks: Collection[str] = ()) -> list[RunInfo]:
    """The runs under ``root`` (``root/<task>/<run-id>/``): every folder with a manifest, and every folder
    under a task of ``known_tasks`` that holds a run's files but no manifest (an incomplete run, listed with
    ``verified`` False). Anything else (a virtualenv's ``bin/``, temporary folders) is not a run."""
    root = Path(root)
    if not root.is_dir():
        raise TinylabError(f"{root}: no such runs directory (give --runs-dir DIR, the folder `tinylab train` "
                           "wrote its runs under)")
    out = []
    for task_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:  # a training being written (or interrupted) lives in .tmp-<id>: listed as incomplete
            candidates = sorted(p for p in task_dir.iterdir()
                                if p.is_dir() and (not p.name.startswith(".") or p.name.startswith(".tmp-")))
        except OSError:
            continue
        for run_dir in candidates:
            has_manifest = (run_dir / MANIFEST).is_file()
            if not has_manifest and not (task_dir.name in known_tasks
                                         and any((run_dir / f).is_file() for f in RUN_FILES)):
                continue
            metrics: dict[str, Any] = {}
            mfile = run_dir / "metrics.json"
            if mfile.is_file():
                try:
                    metrics = json.loads(mfile.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                    metrics = {}
            if not isinstance(metrics, dict):
                metrics = {}
            resumable = None
            if not has_manifest and (run_dir / "checkpoints").is_dir():
                from tinylab.checkpoint import complete_epochs

                epochs = complete_epochs(run_dir / "checkpoints")
                resumable = epochs[0] if epochs else None
            # a run still under its temporary name is never complete, manifest or not (a kill between the
            # manifest and the rename leaves one; `tinylab train --resume` finishes it)
            complete = has_manifest and not run_dir.name.startswith(".tmp-")
            out.append(RunInfo(run_dir, task_dir.name, run_dir.name.removeprefix(".tmp-"), metrics, complete,
                               resumable))
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
        set_modes(tmp)
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


# --- verified copies to and from any fsspec location (local paths, s3://bucket/prefix) --------------------

_BUCKET_PROTOCOLS = {"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss"}


def is_remote(location: str | Path) -> bool:
    """Whether ``location`` is a URL of a store other than the local file system (``s3://...``)."""
    text = str(location)
    if "://" not in text:
        return False
    return text.split("://", 1)[0].lower() not in ("file", "local")


def _local(location: str | Path) -> Path:
    text = str(location)
    return Path(text.split("://", 1)[1]) if "://" in text else Path(text)


def _store(url: str) -> tuple[AbstractFileSystem, str]:
    """The fsspec file system and the root path of ``url``. The store's own configuration applies: for
    S3, s3fs's (credentials and endpoint from AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_S3, ~/.aws, or
    FSSPEC_S3_ENDPOINT_URL and the other FSSPEC_S3_* variables)."""
    from tinylab.extras import MissingExtraError, require

    require("fsspec")
    protocol = url.split("://", 1)[0].lower()
    if protocol in ("s3", "s3a"):
        require("s3fs")
    from fsspec.core import url_to_fs

    try:
        fs, root = url_to_fs(url)
    except ImportError as e:
        raise MissingExtraError(f"{url}: {e}; the 'remote' extra brings S3: pip install 'tinylab[remote]'") from None
    except ValueError as e:
        raise TinylabError(f"{url}: {e} (give a local path or s3://bucket/prefix)") from None
    root = root.rstrip("/")
    if not root or (protocol in _BUCKET_PROTOCOLS and "/" not in root):
        raise TinylabError(f"{url}: give a prefix inside the bucket for the run (s3://bucket/some/prefix)")
    return fs, root


@contextmanager
def _store_errors(url: str) -> Iterator[None]:
    """A store that cannot be reached or used is bad input (exit 2), on one line."""
    try:
        yield
    except TinylabError:
        raise
    except PermissionError as e:
        raise TinylabError(f"{url}: access denied ({_reason(e)}); check the credentials and the bucket's "
                           "policy") from None
    except FileNotFoundError as e:
        raise TinylabError(f"{url}: not found ({_reason(e)}); is the bucket's name right?") from None
    except Exception as e:
        if type(e).__module__.split(".")[0] in ("botocore", "aiobotocore", "aiohttp"):
            raise TinylabError(f"{url}: cannot use the store ({_reason(e)}); check the endpoint "
                               "(AWS_ENDPOINT_URL) and the credentials") from None
        raise


def _reason(e: BaseException) -> str:
    return " ".join(str(e).split()) or type(e).__name__


def _listing(fs: AbstractFileSystem, root: str) -> set[str]:
    """The names of every object under ``root``, relative to it (fresh from the store, not a cache)."""
    fs.invalidate_cache()
    protocols = {fs.protocol} if isinstance(fs.protocol, str) else set(fs.protocol)
    if protocols & _BUCKET_PROTOCOLS:
        bucket = root.split("/")[0]
        try:
            fs.info(bucket)
        except FileNotFoundError:
            raise TinylabError(f"no bucket {bucket!r} (create it first, or check its name and the "
                               "endpoint)") from None
    try:
        found = fs.find(root)
    except FileNotFoundError:
        return set()
    prefix = root + "/"
    return {p[len(prefix):] for p in found if p.startswith(prefix)}


def _hash_stream(chunks: Iterator[bytes]) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    for chunk in chunks:
        h.update(chunk)
        n += len(chunk)
    return h.hexdigest(), n


def _read_chunks(f: Any) -> Iterator[bytes]:
    while chunk := f.read(CHUNK):
        yield chunk


def _compare(rel: str, entry: dict[str, Any], digest: str, size: int) -> str | None:
    if size != entry["size"]:
        return f"{rel}: size {size} != {entry['size']} in manifest"
    if digest != entry["sha256"]:
        return f"{rel}: sha256 mismatch"
    return None


def _read_manifest(raw: bytes, where: str = MANIFEST) -> list[tuple[str, dict[str, Any]]]:
    try:
        manifest = json.loads(raw.decode("utf-8"))
        check_format(manifest, where)
        return _manifest_entries(manifest["files"])
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
        raise RunVerificationError("", [f"{MANIFEST}: unreadable ({_reason(e)})"]) from None


def _verify_objects(fs: AbstractFileSystem, root: str, entries: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Re-read every listed object from the store and compare it with its manifest entry."""
    problems = []
    for rel, entry in entries:
        why = unsafe_name(rel)
        if why is not None:
            problems.append(f"{rel}: refused, {why} (a run's file names stay inside its directory)")
            continue
        try:
            with fs.open(f"{root}/{rel}", "rb") as f:
                digest, size = _hash_stream(_read_chunks(f))
        except FileNotFoundError:
            problems.append(f"{rel}: missing")
            continue
        if (problem := _compare(rel, entry, digest, size)) is not None:
            problems.append(problem)
    return problems


def verify_location(location: str | Path) -> list[str]:
    """Every problem with the run at ``location`` (a local directory or a store URL), one line each; empty
    when it verifies. A store location that holds nothing at all is bad input (TinylabError)."""
    if not is_remote(location):
        return verify(_local(location))
    url = str(location)
    fs, root = _store(url)
    with _store_errors(url):
        present = _listing(fs, root)
        if MANIFEST not in present:
            if not present:
                raise TinylabError(f"{url}: no run there (nothing under this prefix)")
            return [f"{MANIFEST}: missing (an incomplete copy: a push that did not finish, or files copied "
                    "without it)"]
        try:
            entries = _read_manifest(fs.cat_file(f"{root}/{MANIFEST}"), f"{url}/{MANIFEST}")
        except RunVerificationError as e:
            return e.problems
        problems = _verify_objects(fs, root, entries)
        listed = {rel for rel, _ in entries}
        problems += [f"{rel}: not in manifest" for rel in sorted(present - listed - {MANIFEST})]
    return problems


def push_run(src: Path, dest: str | Path) -> str:
    """Copy the verified run ``src`` to ``dest`` (a new local directory, or a new prefix in a store) and
    re-read every byte there; return ``dest``. The source is only read.

    A store copy writes every file, re-reads each against the manifest, then writes ``manifest.json`` last
    and re-reads it: until then the prefix has no manifest and counts as incomplete. On any failure the
    objects it wrote are deleted (what a crash leaves still has no manifest)."""
    src = Path(src)
    if not is_remote(dest):
        return str(copy_verified(src, _local(dest)))
    url = str(dest)
    require_verified(src)
    manifest_raw = (src / MANIFEST).read_bytes()
    entries = _read_manifest(manifest_raw)
    fs, root = _store(url)
    with _store_errors(url):
        present = _listing(fs, root)
        if MANIFEST in present:
            raise TinylabError(f"{url} already holds a run; choose a new prefix")
        if present:
            raise TinylabError(f"{url} already holds {len(present)} object(s) but no {MANIFEST} (an incomplete "
                               "copy, or something else); delete them or choose a new prefix")
        written: list[str] = []
        try:
            for rel, entry in entries:
                written.append(f"{root}/{rel}")  # before the upload: a failed one may leave a partial object
                _upload(src, rel, entry, fs, f"{root}/{rel}", url)
            problems = _verify_objects(fs, root, entries)
            if problems:
                raise RunVerificationError(url, problems)
            written.append(f"{root}/{MANIFEST}")
            fs.pipe_file(f"{root}/{MANIFEST}", manifest_raw)
            if fs.cat_file(f"{root}/{MANIFEST}") != manifest_raw:
                raise RunVerificationError(url, [f"{MANIFEST}: reads back different from what was written"])
        except BaseException as e:
            _remove_quietly(fs, written)
            if isinstance(e, OSError) and not isinstance(e, PermissionError | FileNotFoundError):
                raise RunCopyError(f"copy to {url} failed ({_reason(e)}); nothing there is taken for a "
                                   "complete run") from None
            raise
    return url


def _upload(src: Path, rel: str, entry: dict[str, Any], fs: AbstractFileSystem, target: str, url: str) -> None:
    """Write one file to the store, hashing what is read; a source that changed since it was verified stops
    the copy."""
    h = hashlib.sha256()
    n = 0
    try:
        source = (src / rel).open("rb")
    except OSError as e:
        raise RunCopyError(f"copy to {url} failed: {rel} could not be read from {src} ({e.strerror or e}); "
                           "nothing there is taken for a complete run") from None
    with source, fs.open(target, "wb") as out:
        for chunk in _read_chunks(source):
            h.update(chunk)
            n += len(chunk)
            out.write(chunk)
    if (problem := _compare(rel, entry, h.hexdigest(), n)) is not None:
        raise RunVerificationError(str(src), [f"{problem} (the source changed during the copy)"])


def _remove_quietly(fs: AbstractFileSystem, paths: list[str]) -> None:
    for p in reversed(paths):
        try:
            fs.rm_file(p)
        except Exception:  # best effort: what is left has no manifest, so it is never taken for a run
            continue


def pull_run(src: str | Path, dest: Path | None = None) -> Path:
    """Copy the run at ``src`` (a store URL or a local directory) to the new local directory ``dest``
    (default: the source's last name, in the current directory), verified before it becomes visible.

    Names in the manifest that could land outside ``dest`` (absolute, ``..``, symbolic links in a local
    source) are refused before anything is written."""
    name = PurePosixPath(str(src).split("://", 1)[-1].rstrip("/")).name
    dest = Path(dest) if dest is not None else Path(name or "run")
    if not is_remote(src):
        return copy_verified(_local(src), dest)
    url = str(src)
    if dest.exists():
        raise TinylabError(f"destination {dest} already exists; choose a new path")
    fs, root = _store(url)
    with _store_errors(url):
        present = _listing(fs, root)
        if MANIFEST not in present:
            if not present:
                raise TinylabError(f"{url}: no run there (nothing under this prefix)")
            raise RunVerificationError(url, [f"{MANIFEST}: missing (an incomplete copy: a push that did not "
                                             "finish, or files copied without it)"])
        manifest_raw = fs.cat_file(f"{root}/{MANIFEST}")
        try:
            entries = _read_manifest(manifest_raw, f"{url}/{MANIFEST}")
        except RunVerificationError as e:
            raise RunVerificationError(url, e.problems) from None
        unsafe = [f"{rel}: refused, {why} (a run's file names stay inside its directory)"
                  for rel, _ in entries if (why := unsafe_name(rel)) is not None]
        if unsafe:
            raise RunVerificationError(url, unsafe)
        listed = {rel for rel, _ in entries}
        extra = [f"{rel}: not in manifest" for rel in sorted(present - listed - {MANIFEST})]
        if extra:
            raise RunVerificationError(url, extra)
    # the local side: a folder that cannot be made is the destination's problem (exit 2, naming the path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.parent / f".tmp-{dest.name}-{uuid.uuid4().hex[:6]}"
    tmp.mkdir()
    try:
        with _store_errors(url):
            problems = _download(fs, root, entries, tmp)
        if problems:
            raise RunVerificationError(url, problems)
        (tmp / MANIFEST).write_bytes(manifest_raw)
        set_modes(tmp)
        problems = verify(tmp)  # every byte again, from the local disk
        if problems:
            raise RunVerificationError(str(dest), problems)
        os.rename(tmp, dest)
    except BaseException as e:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(e, OSError) and not isinstance(e, PermissionError | FileNotFoundError):
            raise RunCopyError(f"copy from {url} failed ({_reason(e)}); nothing was left at {dest}") from None
        raise
    return dest


def _download(fs: AbstractFileSystem, root: str, entries: list[tuple[str, dict[str, Any]]], into: Path) -> list[str]:
    problems = []
    top = into.resolve()
    for rel, entry in entries:
        target = into / rel
        if not target.resolve().is_relative_to(top):  # names were checked; this guards the check
            problems.append(f"{rel}: refused, it would land outside {into}")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        n = 0
        try:
            with fs.open(f"{root}/{rel}", "rb") as f, target.open("xb") as out:
                for chunk in _read_chunks(f):
                    h.update(chunk)
                    n += len(chunk)
                    out.write(chunk)
        except FileNotFoundError:
            problems.append(f"{rel}: missing")
            continue
        if (problem := _compare(rel, entry, h.hexdigest(), n)) is not None:
            problems.append(problem)
    return problems
