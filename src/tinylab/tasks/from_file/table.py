"""Reading a user's data file: CSV / TSV (stdlib ``csv``, a header row), JSON Lines (one object per line) and
Parquet (pyarrow, the ``profile`` extra, imported only for a Parquet file). Never pandas, never pickle.

Only the asked-for columns are kept, with each row's place in the file (``line 7`` of a text file, ``row 7``
of a Parquet file) for error messages. CSV cells are strings; JSON Lines and Parquet values keep their types
(numbers, booleans, lists). Reads are cached per file (path, size, modification time)."""

from __future__ import annotations

import csv
import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tinylab.errors import TinylabError

FORMATS = ("csv", "tsv", "parquet", "jsonl")
EXTENSIONS = {".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet", ".pq": "parquet",
              ".jsonl": "jsonl", ".ndjson": "jsonl"}


@dataclass(frozen=True)
class Table:
    """The asked-for columns of a file, row-aligned, and where each row is in the file."""

    path: Path
    columns: dict[str, list[Any]]
    where: list[str]

    def __len__(self) -> int:
        return len(self.where)


def file_format(path: Path, fmt: str) -> str:
    """``fmt``, or the format the file's extension names when ``fmt`` is ``auto``."""
    if fmt != "auto":
        return fmt
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise TinylabError(f"{path}: cannot tell the format from the extension {path.suffix or '(none)'!r}; "
                           f"name it with --set data.format=... (one of {', '.join(FORMATS)}) or rename the file "
                           f"({', '.join(EXTENSIONS)})")
    return found


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


ENCODINGS = {"utf-8": "utf-8-sig", "utf-16": "utf-16", "latin-1": "latin-1"}


def file_stat(path: Path) -> os.stat_result:
    """The data file's stat (its size and mtime key the caches), or an error naming the file."""
    try:
        stat = path.stat()
    except OSError as e:
        raise TinylabError(f"cannot read data file {path}: {e.strerror}") from None
    if not path.is_file():
        raise TinylabError(f"data file {path} is not a file")
    return stat


def read_table(path: Path, fmt: str, delimiter: str, columns: tuple[str, ...], encoding: str = "utf-8") -> Table:
    """The ``columns`` of the file at ``path`` (``fmt``: one of :data:`FORMATS` or ``auto``)."""
    stat = file_stat(path)
    if encoding not in ENCODINGS:
        raise TinylabError(f"data.encoding {encoding!r} is not supported; expected one of {', '.join(ENCODINGS)}")
    return _read_cached(str(path.resolve()), stat.st_size, stat.st_mtime_ns, file_format(path, fmt), delimiter,
                        columns, ENCODINGS[encoding])


@lru_cache(maxsize=4)
def _read_cached(path: str, size: int, mtime_ns: int, fmt: str, delimiter: str, columns: tuple[str, ...],
                 encoding: str) -> Table:
    p = Path(path)
    try:
        if fmt == "parquet":
            cols, where = _read_parquet(p, columns)
        elif fmt == "jsonl":
            cols, where = _read_jsonl(p, columns, encoding)
        else:
            cols, where = _read_csv(p, delimiter or ("\t" if fmt == "tsv" else ","), columns, encoding)
    except UnicodeError as e:
        hint = "; if it is Latin-1 or UTF-16, say so with --set data.encoding=latin-1 (or utf-16)" if (
            encoding == "utf-8-sig") else ""
        name = {v: k for k, v in ENCODINGS.items()}[encoding]
        raise TinylabError(f"{p}: not {name} text ({getattr(e, 'reason', e)}){hint}") from None
    if not where:
        raise TinylabError(f"{p}: no data rows")
    return Table(p, cols, where)


def _missing_columns(path: Path, wanted: tuple[str, ...], present: list[str]) -> None:
    missing = [c for c in dict.fromkeys(wanted) if c not in present]
    if missing:
        names = ", ".join(repr(c) for c in missing)
        raise TinylabError(f"{path}: no column {names}; the file's columns are: "
                           f"{', '.join(present) if present else '(none)'}")


def _read_csv(path: Path, delimiter: str, columns: tuple[str, ...], encoding: str = "utf-8-sig",
              ) -> tuple[dict[str, list[Any]], list[str]]:
    if len(delimiter) != 1:
        raise TinylabError(f"data.delimiter must be one character, got {delimiter!r}")
    cols: dict[str, list[Any]] = {c: [] for c in columns}
    where: list[str] = []
    try:
        with path.open(encoding=encoding, newline="") as f:
            reader = csv.reader(f, delimiter=delimiter)
            header = next(reader, None)
            if header is None:
                raise TinylabError(f"{path}: the file is empty (a header row naming the columns is needed)")
            header = [h.strip() for h in header]
            _missing_columns(path, columns, header)
            at = {c: header.index(c) for c in columns}
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue  # a blank line
                if len(row) != len(header):  # a ragged row: its fields cannot be matched to the columns
                    raise TinylabError(f"{path}: line {reader.line_num} has {len(row)} field(s) where the header "
                                       f"(line 1) has {len(header)}; quote fields that contain {delimiter!r}")
                where.append(f"line {reader.line_num}")
                for c, i in at.items():
                    cols[c].append(row[i])
    except csv.Error as e:
        raise TinylabError(f"{path}: not readable as CSV: {e}") from None
    return cols, where


def _read_jsonl(path: Path, columns: tuple[str, ...], encoding: str = "utf-8-sig",
                ) -> tuple[dict[str, list[Any]], list[str]]:
    cols: dict[str, list[Any]] = {c: [] for c in columns}
    where: list[str] = []
    seen: dict[str, None] = {}
    with path.open(encoding=encoding) as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise TinylabError(f"{path}: line {number}: not JSON ({e.msg}); JSON Lines needs one object "
                                   "per line") from None
            if not isinstance(obj, dict):
                raise TinylabError(f"{path}: line {number}: a JSON {type(obj).__name__}, not an object; JSON "
                                   "Lines needs one object per line")
            seen.update(dict.fromkeys(obj))
            where.append(f"line {number}")
            for c in columns:
                cols[c].append(obj.get(c))
    if where:
        _missing_columns(path, columns, list(seen))
    return cols, where


def _read_parquet(path: Path, columns: tuple[str, ...]) -> tuple[dict[str, list[Any]], list[str]]:
    import pyarrow.parquet as pq  # the profile extra; a missing one is reported by the CLI with its install line

    try:
        schema = pq.read_schema(path)
    except Exception as e:  # pyarrow raises ArrowInvalid and friends, all plain exceptions
        raise TinylabError(f"{path}: not readable as Parquet: {e}") from None
    _missing_columns(path, columns, list(schema.names))
    table = pq.read_table(path, columns=list(dict.fromkeys(columns)))
    cols = {c: table.column(c).to_pylist() for c in columns}
    return cols, [f"row {i + 1}" for i in range(table.num_rows)]
