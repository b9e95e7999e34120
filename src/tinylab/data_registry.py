"""Every real dataset a task reads, with its provenance: the public repository and the revision each file is
taken from, its licence, how to cite it, and the sha256 and size of every file (``datasets.json``).

A dataset is a folder of files, laid out as ``<root>/<name>/<file>``. tinylab reads it from the first root
that holds it (:func:`tinylab.shared_data.candidates`: ``$TINYLAB_DATA`` or ``tinylab --data-dir DIR``, the
project's shared data folder, then the user cache). ``tinylab data fetch NAME`` downloads it into the user
cache with pooch, which checks every file's sha256 before it keeps it; the dataset folder appears only once
every file has been downloaded and verified, so a failed or interrupted fetch never leaves a dataset that
looks complete."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tinylab.errors import TinylabError
from tinylab.shared_data import cache_root, candidates

REGISTRY = Path(__file__).with_name("datasets.json")


class DataFetchError(TinylabError):
    """A download that failed or did not match its registered hash (a failed check: exit 1)."""

    exit_code = 1


@dataclass(frozen=True)
class DataFile:
    rel: str  # the path inside the dataset's folder
    url: str  # the public URL at a fixed revision
    sha256: str
    size: int


@dataclass(frozen=True)
class DatasetEntry:
    name: str
    title: str
    tasks: tuple[str, ...]
    source: str
    revision: str
    licence: str
    citation: str
    files: tuple[DataFile, ...]

    @property
    def sha256(self) -> str:
        """One digest for the whole dataset: the sha256 of its sorted ``<sha256>  <file>`` lines."""
        lines = "".join(f"{f.sha256}  {f.rel}\n" for f in sorted(self.files, key=lambda f: f.rel))
        return hashlib.sha256(lines.encode("utf-8")).hexdigest()

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


@lru_cache(maxsize=1)
def registry() -> dict[str, DatasetEntry]:
    raw = json.loads(REGISTRY.read_text(encoding="utf-8"))
    out = {}
    for name, d in raw.items():
        files = tuple(DataFile(rel, f["url"], f["sha256"], int(f["size"])) for rel, f in d["files"].items())
        out[name] = DatasetEntry(name, d["title"], tuple(d["tasks"]), d["source"], d["revision"], d["licence"],
                                 d["citation"], files)
    return out


def get(name: str) -> DatasetEntry:
    reg = registry()
    if name not in reg:
        raise TinylabError(f"unknown dataset {name!r}; known: {', '.join(sorted(reg))}")
    return reg[name]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check(entry: DatasetEntry, folder: Path) -> list[str]:
    """Every way ``folder`` differs from the registered files, one line each (empty: it is this dataset)."""
    problems = []
    for f in entry.files:
        p = folder / f.rel
        if not p.is_file():
            problems.append(f"{p}: missing")
        elif p.stat().st_size != f.size:
            problems.append(f"{p}: {p.stat().st_size} bytes, registered {f.size}")
        elif sha256_file(p) != f.sha256:
            problems.append(f"{p}: sha256 differs from the registered {f.sha256[:12]}…")
    return problems


def locate(entry: DatasetEntry) -> Path | None:
    """The folder tinylab reads ``entry`` from: the first root (in reading order) that has it."""
    for root in candidates():
        if (root / entry.name).is_dir():
            return root / entry.name
    return None


def _mirror_url(mirror: str, entry: DatasetEntry, f: DataFile) -> str:
    return f"{mirror.rstrip('/')}/{entry.name}/{f.rel}"


def fetch(name: str, into: Path | None = None, mirror: str | None = None,
          progress: Callable[[DataFile], None] | None = None) -> Path:
    """Download dataset ``name`` into ``into`` (default: the user cache) and return its folder. Every file
    is checked against its registered sha256 before it is kept; the folder is renamed into place only when
    all of them are. ``mirror`` replaces the public URLs with ``<mirror>/<name>/<file>``. A file already
    present with the right hash is not downloaded again, so a fetch that failed part-way resumes."""
    entry = get(name)
    try:
        import pooch
    except ModuleNotFoundError as e:
        from tinylab.extras import missing_extra

        raise missing_extra(e) or e from None
    root = Path(into) if into is not None else cache_root()
    final = root / entry.name
    if final.is_dir() and not check(entry, final):
        return final
    staging = root / f".partial-{entry.name}"
    staging.mkdir(parents=True, exist_ok=True)
    for f in entry.files:
        target = staging / f.rel
        url = _mirror_url(mirror, entry, f) if mirror else f.url
        if progress is not None:
            progress(f)
        try:
            pooch.retrieve(url, known_hash=f"sha256:{f.sha256}", fname=target.name, path=target.parent,
                           progressbar=False)
        except ValueError as e:  # pooch: the downloaded file's hash differs; it has deleted the download
            raise DataFetchError(f"{name}: {f.rel} from {url} does not match its registered sha256 "
                                 f"({' '.join(str(e).split())}); nothing was kept") from None
        except Exception as e:  # requests' connection, HTTP and truncated-body errors
            raise DataFetchError(f"{name}: downloading {f.rel} from {url} failed: {type(e).__name__}: "
                                 f"{' '.join(str(e).split())[:300]}; the files verified so far are kept in "
                                 f"{staging} and a new fetch resumes") from None
    problems = check(entry, staging)
    if problems:  # pooch checked each file as it arrived; this is the whole folder once more
        raise DataFetchError(f"{name}: " + "; ".join(problems))
    if final.exists():
        shutil.rmtree(final)
    os.replace(staging, final)
    return final
