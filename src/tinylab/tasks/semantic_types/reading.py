"""Reading a table to profile: a CSV/TSV/Parquet/JSON file (plain, gzip or zstd compressed, or standard input),
or a DuckDB table or query, every value as text and every null cell counted.

DuckDB does the reading. Python checks what DuckDB would otherwise guess silently: that the file is not
empty, its text encoding (UTF-16 is recognised by its byte-order mark or its NUL bytes and transcoded),
that the sniffed delimiter appears in the header line, and which line first breaks the header's number of
fields. A cell is null when it is NULL, empty, or one of the null tokens (``NULL_TOKENS`` by default).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from tinylab.errors import TinylabError, TinylabWarning

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from tinylab.tasks.semantic_types.stats import ColumnStats

# what R, pandas, spreadsheets and databases write for a missing value; empty cells are always null
NULL_TOKENS = ("", "NA", "N/A", "null", "NULL", "None", "NaN", "-", "?")
# the text encodings a user may name, as DuckDB and Python both spell them
ENCODINGS = ("utf-8", "utf-16", "latin-1")
# what a delimited row with fewer fields than the header becomes
RAGGED = ("error", "pad")
COMPRESSIONS = {".gz": "gzip", ".zst": "zstd"}
FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet", ".pq": "parquet",
           ".xlsx": "xlsx", ".dat": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
DATABASE_SUFFIXES = (".duckdb", ".db", ".ddb")
STDIN = "-"
# the delimiters a header line is checked for
DELIMITERS = (",", "\t", ";", "|")
HEAD_BYTES = 1 << 16
_MAGIC = {b"\x1f\x8b": "gzip", b"\x28\xb5\x2f\xfd": "zstd"}


@dataclass
class Table:
    """The columns of a table as lists of their non-null values, and how many cells of each were null."""

    columns: dict[str, list[str]]
    rows: int
    nulls: dict[str, int]
    stats: dict[str, ColumnStats] = field(default_factory=dict)  # over every value, not only those kept

    def null_share(self, column: str) -> float:
        return self.nulls[column] / self.rows if self.rows else 0.0


@dataclass
class _Source:
    """A file as DuckDB will read it: its path, format, compression and (DuckDB-readable) encoding."""

    path: Path
    shown: str  # the name errors use: the user's path, or <stdin>
    fmt: str
    compression: str | None
    encoding: str
    skipped: int = 0  # lines dropped above the header (``skip``); the file's line k is the user's line k + skipped
    headerless: bool = False  # the file's first line is a header tinylab wrote (column1, column2, ...)

    def line(self, k: int) -> int:
        """The user's line number of this file's line ``k``."""
        return k + self.skipped - self.headerless

    @property
    def first_row(self) -> str:
        """How errors name the row every other row is measured against."""
        return (f"the first row (line {self.line(2)})" if self.headerless else
                f"the header (line {self.line(1)})")


def file_format(path: Path) -> tuple[str | None, str | None]:
    """(format, compression) named by a file's suffixes (``t.csv.gz`` is ("csv", "gzip")), None where unknown."""
    suffixes = [s.lower() for s in path.suffixes]
    compression = COMPRESSIONS.get(suffixes[-1]) if suffixes else None
    if compression:
        suffixes = suffixes[:-1]
    return (FORMATS.get(suffixes[-1]) if suffixes else None), compression


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _open_binary(path: Path, compression: str | None) -> IO[bytes]:
    if compression == "gzip":
        return gzip.open(path, "rb")
    if compression == "zstd":
        import pyarrow as pa

        return pa.input_stream(str(path), compression="zstd")  # type: ignore[return-value]
    return path.open("rb")


def _head(path: Path, compression: str | None) -> bytes:
    """The first bytes of a file's (decompressed) content."""
    try:
        with _open_binary(path, compression) as f:
            return f.read(HEAD_BYTES)
    except (OSError, EOFError, ValueError) as e:  # a corrupt gzip or zstd stream
        raise TinylabError(f"{path}: cannot decompress it as {compression} ({e})") from None


def _utf16_codec(head: bytes) -> str | None:
    """The UTF-16 codec that decodes ``head``, from its byte-order mark or from NUL bytes on one side of each
    character (plain text in UTF-8 or Latin-1 has none), or None if it does not look like UTF-16."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def _spool_stdin(directory: Path) -> Path:
    """Standard input written to a file whose suffixes name what its content is (compression, then format)."""
    raw = directory / "stdin"
    with raw.open("wb") as f:
        shutil.copyfileobj(sys.stdin.buffer, f)
    with raw.open("rb") as f:
        magic = f.read(4)
    compression = next((c for m, c in _MAGIC.items() if magic.startswith(m)), None)
    head = _head(raw, compression)
    if head.startswith(b"PAR1") and compression is None:
        fmt = "parquet"
    else:
        codec = _utf16_codec(head) or "utf-8"
        text = head.decode(codec, errors="replace").lstrip("\ufeff \t\r\n")
        fmt = "json" if text[:1] in ("{", "[") else "csv"  # DuckDB tells an array from one record per line
    suffix = "." + fmt + {None: "", "gzip": ".gz", "zstd": ".zst"}[compression]
    return raw.rename(directory / ("stdin" + suffix))


def _transcode(src: _Source, codec: str, directory: Path) -> _Source:
    """A UTF-16 file (any byte order, with or without a byte-order mark, maybe compressed) rewritten as UTF-8."""
    out = directory / ("utf8." + src.fmt)
    try:
        with _open_binary(src.path, src.compression) as raw, out.open("w", encoding="utf-8", newline="") as w:
            text = io.TextIOWrapper(raw, encoding=codec, newline="")
            shutil.copyfileobj(text, w)
    except UnicodeDecodeError as e:
        raise TinylabError(f"{src.shown}: not {codec} encoded ({e.reason} at byte {e.start})") from None
    return _Source(out, src.shown, src.fmt, None, "utf-8")


def _prepare(path: Path, encoding: str, directory: Path) -> _Source:
    """What DuckDB reads for ``path`` (standard input spooled, UTF-16 transcoded), after the checks that need
    no parsing: the file exists, its format is known, it is not empty, its encoding is not mistaken."""
    if str(path) == STDIN:
        shown, path = "<stdin>", _spool_stdin(directory)
    elif path.is_dir():
        raise TinylabError(f"{path}: a folder, not a file; profile one file of it")
    elif not path.is_file():
        raise TinylabError(f"{path}: no such file")
    else:
        shown = str(path)
    fmt, compression = file_format(path)
    if fmt is None or (fmt in ("parquet", "xlsx") and compression):
        raise TinylabError(f"{shown}: unsupported file type {''.join(path.suffixes[-2:]) or 'without a suffix'!r}; "
                           "expected .csv, .tsv, .parquet, .json, .jsonl, .xlsx (CSV, TSV and JSON also gzip or "
                           "zstd compressed: .csv.gz, .tsv.zst), - for standard input, or a DuckDB database with "
                           "--table/--query")
    src = _Source(path, shown, fmt, compression, encoding)
    if fmt in ("parquet", "xlsx"):
        if path.stat().st_size == 0:
            raise TinylabError(f"{shown}: the file is empty")
        return src
    head = _head(path, compression)
    codec = _utf16_codec(head)
    if codec is not None and encoding != "utf-16":
        if encoding != "utf-8":  # an explicit --encoding latin-1 would read every other character as NUL
            raise TinylabError(f"{shown}: the text is UTF-16 encoded (a byte-order mark or NUL bytes), not "
                               f"{encoding}; read it with `tinylab profile --encoding utf-16`")
        encoding = "utf-16"
    if encoding == "utf-16":
        src = _transcode(src, codec if codec and codec != "utf-16" else "utf-16", directory)
        head = _head(src.path, None)
    text = head.decode("latin-1" if encoding == "latin-1" else "utf-8", errors="replace")
    if not text.strip(" \t\r\n\ufeff"):
        raise TinylabError(f"{shown}: the file is empty (no header line, no records)")
    _refuse_nul_bytes(src)
    return src


def _refuse_nul_bytes(src: _Source) -> None:
    """A NUL byte never belongs in a text table: it is a binary file, or text in an encoding it was not read
    in. DuckDB would keep it inside a value (or fail to sniff a dialect), so it is an error naming the line."""
    line, chunk_size = 1, 1 << 20
    with _open_binary(src.path, src.compression) as f:
        while chunk := f.read(chunk_size):
            at = chunk.find(b"\x00")
            if at >= 0:
                line += chunk.count(b"\n", 0, at)
                raise TinylabError(f"{src.shown}: line {line} holds a NUL byte: not a text table (a binary file, or "
                                   "text in another encoding: UTF-16 is recognised, Latin-1 is read with "
                                   "`--encoding latin-1`)")
            line += chunk.count(b"\n")


@contextmanager
def _text(src: _Source) -> Iterator[IO[str]]:
    with _open_binary(src.path, src.compression) as raw:
        yield io.TextIOWrapper(raw, encoding="utf-8-sig" if src.encoding == "utf-8" else src.encoding,
                               errors="replace", newline="")


def _first_ragged_line(src: _Source, delimiter: str, short_ok: bool = False) -> tuple[str, bool] | None:
    """Where a delimited file's rows first stop having the header's number of fields (and whether that row is
    short), or None if they never do; with ``short_ok`` only a row with more fields counts."""
    with _text(src) as f:
        rows = csv.reader(f, delimiter=delimiter)
        header = next(rows, [])
        for row in rows:
            if not row:
                continue  # a blank line (or a comment blanked by --comment): DuckDB skips it too
            if len(row) > len(header) or (len(row) < len(header) and not short_ok):
                return (f"line {src.line(rows.line_num)} has {len(row)} field(s) where {src.first_row} has "
                        f"{len(header)}; every row needs the same number of fields as "
                        f"{'the first' if src.headerless else 'the header'}", len(row) < len(header))
    return None


def _header_line(src: _Source) -> str:
    with _text(src) as f:
        return f.readline().rstrip("\r\n")


def _duckdb_reason(error: Exception) -> str:
    """DuckDB's own explanation: the first two lines of its message (without the echoed input line)."""
    lines = []
    for line in str(error).splitlines():
        if not line.strip():
            break
        if not line.startswith("Original Line"):
            lines.append(line.strip().rstrip("."))
    return "; ".join(lines[:2])


MAX_LINE_BYTES = 1 << 23  # a CSV line (a huge value included) may hold up to 8 MiB (DuckDB buffers 16 lines)


def _csv_options(src: _Source) -> str:
    return (f"encoding={_sql_str(src.encoding)}, compression={_sql_str(src.compression or 'none')}, "
            f"max_line_size={MAX_LINE_BYTES}")


def _sniff(con: duckdb.DuckDBPyConnection, src: _Source, null_padding: bool) -> str:
    found = con.sql(f"SELECT Delimiter FROM sniff_csv({_sql_str(str(src.path))}, {_csv_options(src)}, "
                    f"null_padding={str(null_padding).lower()})").fetchall()
    return found[0][0] if found and found[0][0] not in ("", "(empty)") else ","


def _skip_lines(src: _Source, skip: int, directory: Path) -> _Source:
    """A delimited file rewritten (as UTF-8) without its first ``skip`` lines."""
    out = directory / ("skipped." + src.fmt)
    with _text(src) as f, out.open("w", encoding="utf-8", newline="") as w:
        for n in range(skip):
            if not f.readline():
                raise TinylabError(f"{src.shown}: --skip {skip}, but the file has only {n} line(s)")
        blank = 0  # blank lines between the skipped ones and the table go too
        while (line := f.readline()) and not line.strip():
            blank += 1
        w.write(line)
        shutil.copyfileobj(f, w)
    skipped = _Source(out, src.shown, src.fmt, None, "utf-8", skipped=skip + blank)
    if not _header_line(skipped).strip():
        raise TinylabError(f"{src.shown}: nothing to read after line {skip} (--skip {skip})")
    return skipped


WHITESPACE = " "  # --delimiter ' ': fields separated by runs of spaces and tabs, as aligned text tables are


def _split(line: str, delimiter: str) -> list[str]:
    """One line's fields at a delimiter that CSV quoting does not cover: a run of white space (``' '``,
    the ends ignored) or a delimiter of several characters (``::``)."""
    return line.split() if delimiter == WHITESPACE else line.rstrip("\r\n").split(delimiter)


def _rewrite_lines(src: _Source, name: str, directory: Path, rewrite: Callable[[str], str]) -> _Source:
    """``src`` rewritten as UTF-8, one line for one line (so line numbers stay the file's own)."""
    out = directory / f"{name}.{src.fmt}"
    with _text(src) as f, out.open("w", encoding="utf-8", newline="") as w:
        w.writelines(map(rewrite, f))
    return _Source(out, src.shown, src.fmt, None, "utf-8", skipped=src.skipped)


def _resplit(src: _Source, delimiter: str, directory: Path) -> _Source:
    """A file whose fields are separated by runs of white space or by a multi-character delimiter, rewritten
    as tab-separated values."""
    row = io.StringIO()
    writer = csv.writer(row, delimiter="\t", lineterminator="\n")

    def as_tsv(line: str) -> str:
        row.seek(0)
        row.truncate()
        writer.writerow(_split(line, delimiter))
        return row.getvalue()

    return _rewrite_lines(src, "resplit", directory, as_tsv)


def _blank_comments(src: _Source, prefix: str, directory: Path) -> _Source:
    """A file whose lines starting with ``prefix`` are comments, rewritten with those lines blank (blank lines
    are skipped)."""
    return _rewrite_lines(src, "uncommented", directory, lambda line: "\n" if line.startswith(prefix) else line)


def _add_header(src: _Source, delimiter: str, directory: Path) -> _Source:
    """A file without a header row, with the header ``column1, column2, ...`` (as wide as its first row)
    written above it."""
    first = _header_line(src)
    width = len(next(csv.reader([first], delimiter=delimiter), [])) or 1
    out = directory / ("headed." + src.fmt)
    with _text(src) as f, out.open("w", encoding="utf-8", newline="") as w:
        w.write(delimiter.join(f"column{i}" for i in range(1, width + 1)) + "\n")
        shutil.copyfileobj(f, w)
    return _Source(out, src.shown, src.fmt, None, "utf-8", skipped=src.skipped, headerless=True)


# what a one-column read is checked for: a table separated by something other than , ; | or a tab
_OTHER_SEPARATORS = ("::", "||", WHITESPACE)


def _other_separator(src: _Source, first: str, rows: int = 100) -> str | None:
    """The separator of a file read as one column, when its first line and each of its next ``rows`` lines
    split at it into the same number (2 or more) of fields (at white space: fields that are all numbers, or
    at least three per line: one column of names or sentences has spaces too); None otherwise."""
    with _text(src) as f:
        f.readline()
        lines = [line for line in (f.readline() for _ in range(rows)) if line.strip()]
    if not lines:
        return None
    for sep in _OTHER_SEPARATORS:
        width = len(_split(first, sep))
        if width < 2 or any(len(_split(line, sep)) != width for line in lines):
            continue
        if sep != WHITESPACE or width >= 3 or all(_is_number(x) for line in lines for x in _split(line, sep)):
            return sep
    return None


def _comment_lines(src: _Source, prefix: str = "#", most: int = 1000, header_rule: bool = True) -> int:
    """How many of a file's first lines are comments: lines starting with '#' above the table, except a last
    one at least as wide as the line under it, which is the header (``#chrom<TAB>start<TAB>end``)."""
    with _text(src) as f:
        lines: list[str] = []
        for line in f:
            lines.append(line.rstrip("\r\n"))
            if not line.startswith(prefix) or len(lines) > most:
                break
    n = len(lines) - 1
    if n <= 0 or lines[-1].startswith(prefix):
        return 0  # no comment, or nothing but comments (read as they are, to fail naming the line)
    if not header_rule:
        return n
    data = lines[-1]
    delimiter = max(DELIMITERS, key=data.count)
    return n - 1 if lines[n - 1].count(delimiter) >= data.count(delimiter) > 0 else n


def _line_text(src: _Source, k: int) -> str:
    """Line ``k`` (from 1) of the file as read."""
    with _text(src) as f:
        for n, line in enumerate(f, start=1):
            if n == k:
                return line
    return ""


def _data_line(src: _Source) -> str:
    """The first line under a file's header."""
    with _text(src) as f:
        f.readline()
        return f.readline().rstrip("\r\n")


def _warn_numeric_header(src: _Source, header: str, delimiter: str) -> None:
    """Warn when a header line holds numbers other than years where column names belong (scikit-learn's
    iris.csv starts ``150,4,setosa,...``: counts above rows without a header)."""
    names = next(csv.reader([header], delimiter=delimiter), [])
    numbers = [n for n in names if _is_number(n) and not (len(n.strip()) == 4 and n.strip().isdigit())]
    if numbers:
        shown = ", ".join(numbers[:3]) + (", ..." if len(numbers) > 3 else "")
        warnings.warn(f"{src.shown}: the header (line {src.line(1)}) holds numbers ({shown}) where column names "
                      "belong; if it is not a header, read it with `--no-header` (`--skip 1 --no-header` for a "
                      "line above rows without one)", TinylabWarning, stacklevel=2)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _fits_header(delimiter: str, header: str) -> bool:
    """A delimiter is in the header line, or the header has none of the usual ones (a one-column file)."""
    return delimiter in header or not any(d in header for d in DELIMITERS)


def _choose_delimiter(con: duckdb.DuckDBPyConnection, src: _Source, header: str) -> str:
    """The delimiter DuckDB sniffs, only if it appears in the header line.

    Left alone on a file whose later rows drop trailing empty fields, the sniffer finds no delimiter that
    gives every row the same number of fields and settles on one that gives each row one field ('|' for a
    comma-separated file): the whole file read as one column. That delimiter is not in the header; sniffing
    again with rows of fewer fields allowed finds the real one, and the read then names the first short row.
    """
    first = "\t" if src.fmt == "tsv" else _sniff(con, src, null_padding=False)
    if _fits_header(first, header):
        return first
    second = _sniff(con, src, null_padding=True)
    if src.fmt != "tsv" and _fits_header(second, header):
        return second
    present = ", ".join(repr(d) for d in DELIMITERS if d in header)
    raise TinylabError(f"{src.shown}: the delimiter {first!r} is not in the header line (line 1), which has "
                       f"{present}; name the right one with `--delimiter`")


def _read_delimited(con: duckdb.DuckDBPyConnection, src: _Source, delim: str, pad: bool) -> duckdb.DuckDBPyRelation:
    """A CSV/TSV read from its first line, every row required to have the header's number of fields (or, with
    ``pad``, at most that many: the missing ones are NULL).

    DuckDB's sniffer, left alone, looks for the longest run of consistent rows: on a file with one short
    or long row it can silently start after that row (taking a data row as the header) or read the whole
    file as one column. Here only the delimiter is sniffed, and the file is read from line 1 with it in
    strict mode, so a ragged file fails (``read_table`` then names its first bad line).
    """
    return con.sql(f"SELECT * FROM read_csv({_sql_str(str(src.path))}, all_varchar=true, header=true, skip=0, "
                   f"delim={_sql_str(delim)}, comment='', strict_mode=true, null_padding={str(pad).lower()}, "
                   f"{_csv_options(src)})")


def _json_path(key: str) -> str:
    """A JSONPath naming one top-level key exactly, whatever characters it holds (dots, quotes, '$')."""
    return '$."' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


_JSON_KINDS = {"BIGINT": "number", "UBIGINT": "number", "DOUBLE": "number", "VARCHAR": "string",
               "BOOLEAN": "boolean", "ARRAY": "array", "NULL": "null"}


def _read_json_text(con: duckdb.DuckDBPyConnection, src: _Source) -> duckdb.DuckDBPyRelation:
    """Every field of a JSON file's records as the text JSON writes it: 27 stays "27" (a cast of the column
    DuckDB infers would give "27.0" where other rows hold decimals), a nested value stays JSON text.
    A .json file may be an array of records or one record per line: DuckDB tells which."""
    fmt = "auto" if src.fmt == "json" else "newline_delimited"
    args = f"{_sql_str(str(src.path))}, format='{fmt}', compression={_sql_str(src.compression or 'none')}"
    kinds = dict(con.sql(f"SELECT json_type(json), count(*) FROM read_json_objects({args}) GROUP BY 1").fetchall())
    if not kinds:
        raise TinylabError(f"{src.shown}: no records (an empty JSON array); expected objects, one per row")
    if set(kinds) != {"OBJECT"}:
        other = ", ".join(f"{n:,} {_JSON_KINDS.get(str(k), str(k).lower())}" for k, n in kinds.items()
                          if k != "OBJECT")
        raise TinylabError(f"{src.shown}: the records must be JSON objects (one per row, keys as columns); this "
                           f"file holds {other} value(s)")
    names = con.sql(f"SELECT * FROM read_json_auto({args}) LIMIT 0").columns
    fields = ", ".join(f"json->>{_sql_str(_json_path(n))} AS {_quote_ident(n)}" for n in names)
    return con.sql(f"SELECT {fields or 'NULL AS empty'} FROM read_json_objects({args})")


SCRATCH_TABLE = "tinylab_profiled"
# above this many bytes of input the table is spooled to a DuckDB file rather than held in memory
SPOOL_BYTES = 64 << 20
MEMORY_LIMIT = "400MB"  # DuckDB's own memory; a larger table spills to the temporary folder
_BLANK = "' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)"


def _load(con: duckdb.DuckDBPyConnection, rel: duckdb.DuckDBPyRelation, target: str, na: Sequence[str],
          source: str | None = None) -> list[str]:
    """Write a relation (whose SQL is ``source`` when given) into the table ``target`` as text, one column
    ``c0``, ``c1``, ... per column, a null token (or a blank cell) already NULL; its column names."""
    cols = rel.columns
    tokens = ", ".join(_sql_str(t) for t in sorted({t.strip() for t in na} | {""}))
    fields = []
    for i, c in enumerate(cols):
        text = f"CAST({_quote_ident(c)} AS VARCHAR)"
        fields.append(f"CASE WHEN trim({text}, {_BLANK}) IN ({tokens}) THEN NULL ELSE {text} END AS c{i}")
    if source is None:
        rel.create_view("tinylab_input_rel", replace=True)
    origin = f"({source})" if source is not None else "tinylab_input_rel"
    con.sql(f"CREATE TABLE {target} AS SELECT {', '.join(fields) or 'NULL AS c0'} FROM {origin}")
    return list(cols)


def _collect(con: duckdb.DuckDBPyConnection, target: str, names: list[str], sample_size: int | None,
             seed: int) -> Table:
    """Whole-column statistics of every column of ``target`` in one pass, and each column's non-null values
    in table order: all of them, or (``sample_size``) a seeded sample of that many."""
    from tinylab.tasks.semantic_types.stats import FIELDS, ColumnStats, sql_columns, sql_range

    aggregates = ["count(*)"] + [a for i in range(len(names)) for a in sql_columns(f"c{i}")]
    row = con.sql(f"SELECT {', '.join(aggregates)} FROM {target}").fetchall()[0]
    rows = int(row[0])
    width = len(FIELDS)
    got = [dict(zip(FIELDS, row[1 + i * width: 1 + (i + 1) * width], strict=True)) for i in range(len(names))]
    numeric = [i for i, g in enumerate(got) if g["count"] and g["numbers"] == g["count"]]
    ranges: dict[int, tuple[float, float]] = {}
    if numeric:
        asked = ', '.join(a for i in numeric for a in sql_range(f'c{i}'))
        found = con.sql(f"SELECT {asked} FROM {target}").fetchall()[0]
        ranges = {i: (float(found[2 * k]), float(found[2 * k + 1])) for k, i in enumerate(numeric)}
    columns: dict[str, list[str]] = {}
    stats: dict[str, ColumnStats] = {}
    for i, name in enumerate(names):
        lo, hi = ranges.get(i, (None, None))
        st = ColumnStats(rows=rows, min_number=lo, max_number=hi,
                         **{k: None if v is None else int(v) for k, v in got[i].items()})  # type: ignore[arg-type]
        if sample_size is None or st.count <= sample_size:
            q = f"SELECT c{i} FROM {target} WHERE c{i} IS NOT NULL ORDER BY rowid"
        else:  # a seeded draw: the rows with the smallest hash of their position, kept in table order
            q = (f"SELECT c FROM (SELECT rowid AS r, c{i} AS c FROM {target} WHERE c{i} IS NOT NULL "
                 f"ORDER BY hash(rowid + {int(seed)}) LIMIT {int(sample_size)}) ORDER BY r")
        columns[name] = [v for (v,) in con.sql(q).fetchall()]
        stats[name] = st
    return Table(columns, rows, {n: stats[n].nulls for n in names}, stats)


def _cell_text(v: object) -> str | None:
    """An Excel cell as text: a whole number without '.0', a date or time in ISO form, None when empty."""
    import datetime as dt

    if v is None:
        return None
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ") if v.time() != dt.time(0) else v.date().isoformat()
    if isinstance(v, dt.date | dt.time):
        return v.isoformat()
    return str(v)


def _read_xlsx(src: _Source) -> pa.Table:
    """The first worksheet of an Excel workbook (openpyxl, read-only and streaming), its first row the header,
    every cell as text (the `profile` extra installs openpyxl)."""
    import pyarrow as pa

    try:
        import openpyxl
    except ImportError:
        raise TinylabError(f"{src.shown}: reading .xlsx needs openpyxl: pip install 'tinylab[profile]'") from None
    try:
        book = openpyxl.load_workbook(src.path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises zipfile, XML and its own errors for a file that is no workbook
        raise TinylabError(f"{src.shown}: not an Excel .xlsx workbook ({type(e).__name__}: {e})") from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or all(h is None for h in header):
            raise TinylabError(f"{src.shown}: the first worksheet ({sheet.title!r}) is empty (no header row)")
        names = [str(h) if h is not None else f"column{i + 1}" for i, h in enumerate(header)]
        columns: list[list[str | None]] = [[] for _ in names]
        for line, row in enumerate(rows, start=2):
            if len(row) > len(names) and any(v is not None for v in row[len(names):]):
                raise TinylabError(f"{src.shown}: row {line} of worksheet {sheet.title!r} has a value beyond the "
                                   f"header's {len(names)} columns")
            for i in range(len(names)):
                columns[i].append(_cell_text(row[i]) if i < len(row) else None)
    finally:
        book.close()
    return pa.table({f"f{i}": pa.array(c, type=pa.string()) for i, c in enumerate(columns)}).rename_columns(names)


def _read_file(con: duckdb.DuckDBPyConnection, src: _Source, ragged: str, delimiter: str | None, target: str,
               na: Sequence[str], skip: int | None = 0, header_row: bool = True,
               directory: Path | None = None, comment: str | None = None) -> list[str]:
    import duckdb

    if src.fmt == "parquet":
        return _load(con, con.sql(f"SELECT * FROM read_parquet({_sql_str(str(src.path))})"), target, na)
    if src.fmt == "xlsx":
        con.register("tinylab_xlsx_input", _read_xlsx(src))
        return _load(con, con.sql("SELECT * FROM tinylab_xlsx_input"), target, na)
    if src.fmt in ("json", "jsonl"):
        return _load(con, _read_json_text(con, src), target, na)
    assert directory is not None
    if skip is None and comment:  # named comments: every one of them above the table goes, silently
        skip = _comment_lines(src, comment, header_rule=False)
    if skip is None:
        skip = _comment_lines(src)
        if _line_text(src, skip + 1).startswith("#"):
            warnings.warn(f"{src.shown}: line {skip + 1} starts with '#' and is read as the header, being as wide "
                          "as the table under it (`--comment '#'` reads it as a comment)", TinylabWarning,
                          stacklevel=2)
        if skip:
            lines = "line 1 starts with '#' and is" if skip == 1 else f"lines 1-{skip} start with '#' and are"
            warnings.warn(f"{src.shown}: {lines} narrower than the table under them: read as comments and "
                          "skipped (`--skip 0` reads them)", TinylabWarning, stacklevel=2)
    if skip:
        src = _skip_lines(src, skip, directory)
    if comment:
        src = _blank_comments(src, comment, directory)
    first = _header_line(src)  # the header, or with --no-header the first row
    if delimiter is not None:
        fits = (len(first.split()) > 1 if delimiter == WHITESPACE else
                _fits_header(delimiter, first) if len(delimiter) == 1 else delimiter in first)
        if not fits:
            present = ", ".join(repr(d) for d in DELIMITERS if d in first) or "none of , ; | or a tab"
            raise TinylabError(f"{src.shown}: --delimiter {delimiter!r} is not in "
                               f"{'the first row' if not header_row else 'the header line'} (line {src.line(1)}), "
                               f"which has {present}")
    if delimiter is not None and (len(delimiter) > 1 or delimiter == WHITESPACE):
        src, delimiter = _resplit(src, delimiter, directory), "\t"
    if not header_row:
        src = _add_header(src, delimiter or ("\t" if src.fmt == "tsv" else _sniff(con, src, null_padding=True)),
                          directory)
    header = _header_line(src)
    delim = delimiter or _choose_delimiter(con, src, header)
    pad = ragged == "pad"
    try:  # DuckDB finds a bad row while sniffing, or only when it reaches it
        cols = _load(con, _read_delimited(con, src, delim, pad), target, na)
    except duckdb.Error:
        bad = _first_ragged_line(src, delim, short_ok=pad)
        if bad is None:
            raise
        reason, short = bad
        advice = ("; `--ragged pad` reads short rows with empty cells" if short and not pad else
                  "; `--ragged pad` pads short rows, never long ones" if not short and pad else "")
        bad_line = _line_text(src, int(reason.split()[1]) - src.skipped + src.headerless)
        other = _other_separator(src, first) if delimiter is None else None
        if other is not None:  # the sniffed delimiter sits inside values: name the one every line splits at
            advice = (f"; every line splits at {'runs of spaces' if other == WHITESPACE else repr(other)} into "
                      f"{len(_split(first, other))} fields: read it with `--delimiter {other!r}`")
        elif bad_line[:1] in ("#", "%", ";") and not comment:  # a comment, not a short row
            advice = f"; if lines starting with {bad_line[0]!r} are comments, `--comment {bad_line[0]!r}` skips them"
        elif first.startswith("#"):
            advice += (f"; line {src.line(1)} starts with '#': if the lines above the table are comments, "
                       "`--skip N` drops N of them")
        elif not short and not src.headerless:
            advice += (f"; if line {src.line(1)} is not a header row, `--no-header` reads it as data (and `--skip N` "
                       "drops N lines above the table)")
        raise TinylabError(f"{src.shown}: {reason}{advice}") from None
    if pad and len(cols) > len(next(csv.reader([header], delimiter=delim), [])):
        bad = _first_ragged_line(src, delim, short_ok=True)  # null_padding also widens the table for a long row
        if bad is not None:
            raise TinylabError(f"{src.shown}: {bad[0]}; `--ragged pad` pads short rows, never long ones")
    if len(cols) == 1 and delimiter is None:
        sep = _other_separator(src, first) if not src.headerless else _other_separator(src, _data_line(src))
        if sep is not None:
            named = "runs of spaces" if sep == WHITESPACE else repr(sep)
            raise TinylabError(f"{src.shown}: read as one column, but every line splits at {named} into "
                               f"{len(_split(first, sep))} fields; read it with `--delimiter {sep!r}` (or, if it "
                               "is one column, name its delimiter, e.g. `--delimiter ,`)")
    if not src.headerless:
        _warn_numeric_header(src, header, delim)
    return cols


def _input_bytes(path: Path | None) -> int:
    """About how many bytes a file holds once decompressed (0 for standard input, read later)."""
    if path is None or str(path) == STDIN or not path.is_file():
        return 0
    size = path.stat().st_size
    return size * 5 if file_format(path)[1] else size


def read_table(path: Path | None = None, *, database: Path | None = None, table: str | None = None,
               query: str | None = None, encoding: str = "utf-8", na: Sequence[str] = NULL_TOKENS,
               ragged: str = "error", delimiter: str | None = None, sample_size: int | None = None,
               seed: int = 0, arrow: pa.Table | None = None, skip: int | None = None, header: bool = True,
               comment: str | None = None) -> Table:
    """Every column of a file (``-``: standard input), of a DuckDB table/query or of an Arrow table
    (``arrow``), as lists of non-null strings, with whole-column statistics computed in DuckDB.

    ``encoding`` (one of ``ENCODINGS``) is the text encoding of a CSV/TSV/JSON file (UTF-16 is recognised
    without it). A cell is null when it is NULL, empty or blank, or one of ``na`` (compared without the
    spaces around it). ``ragged="pad"`` reads a delimited row with fewer fields than the header as if it
    ended in empty cells; by default it is an error naming the line. ``delimiter`` skips sniffing (it must
    appear in the header line). ``skip`` drops that many lines above a CSV/TSV table (by default, None, the
    lines starting with '#' above it that are not as wide as the table, with a warning); ``header=False``
    reads its first row as data and names the columns ``column1``, ``column2``, ...; ``comment`` skips every
    line starting with it.
    ``sample_size`` keeps a seeded sample of at most that many values per column (the statistics still
    cover every value); the table is then spooled through a DuckDB file when large, so that memory stays
    bounded whatever the file's size.
    """
    import duckdb

    if encoding not in ENCODINGS:
        raise TinylabError(f"encoding {encoding!r} is not supported; expected one of {', '.join(ENCODINGS)}")
    if ragged not in RAGGED:
        raise TinylabError(f"--ragged {ragged!r} is not supported; expected one of {', '.join(RAGGED)}")
    if skip is not None and (isinstance(skip, bool) or not isinstance(skip, int) or skip < 0):
        raise TinylabError(f"skip (--skip) = {skip!r}: expected a whole number of lines, 0 or more")
    if not isinstance(header, bool):
        raise TinylabError(f"header (--header/--no-header) = {header!r}: expected True or False")
    if comment == "":
        raise TinylabError("--comment '': expected the text comment lines start with, such as '#'")
    if delimiter == "\\t":  # typed as two characters in a shell: the tab it names
        delimiter = "\t"
    if delimiter == "":
        raise TinylabError("--delimiter '': expected a delimiter such as , ; | a tab, ' ' (runs of spaces) or ::")
    if isinstance(na, str) or not all(isinstance(t, str) for t in na):
        raise TinylabError(f"na (--na) = {na!r}: expected a list of null tokens, e.g. ['NA', 'null']")
    if sample_size is not None and (isinstance(sample_size, bool) or not isinstance(sample_size, int)
                                    or sample_size < 1):
        raise TinylabError(f"sample (--sample) = {sample_size!r}: expected a whole number of values, 1 or more")
    if path is not None and database is None and (table or query):
        raise TinylabError(f"{path}: --table and --query read a DuckDB database ({', '.join(DATABASE_SUFFIXES)}); "
                           "a CSV, TSV, Parquet or JSON file is profiled without them")
    shown: str = str(database or path or "<table>")
    with tempfile.TemporaryDirectory(prefix="tinylab-profile-") as tmp:
        # standard input is spooled to disk first: its size is unknown here, so its table is spooled too
        big = (path is not None and str(path) == STDIN) or _input_bytes(database or path) > SPOOL_BYTES
        con = duckdb.connect(str(Path(tmp) / "scratch.duckdb") if big else ":memory:")
        try:
            con.sql(f"SET memory_limit={_sql_str(MEMORY_LIMIT)}")
            con.sql(f"SET temp_directory={_sql_str(str(Path(tmp) / 'spill'))}")
            (catalog,) = con.sql("SELECT current_database()").fetchall()[0]
            target = f"{_quote_ident(str(catalog))}.main.{SCRATCH_TABLE}"
            if database is not None:
                try:
                    con.sql(f"ATTACH {_sql_str(str(database))} AS tinylab_source (READ_ONLY)")
                except duckdb.Error as e:
                    raise TinylabError(f"{database}: not a DuckDB database ({_duckdb_reason(e)}); --table and "
                                       "--query read DuckDB databases, a CSV, TSV, Parquet or JSON file is profiled "
                                       "without them") from None
                if not (query or table):
                    raise TinylabError(f"{database}: a DuckDB database needs --table NAME or --query SQL")
                con.sql("USE tinylab_source")  # the query's and the table's names are the database's
                if table and not query:
                    con.table(table)  # names a missing table
                    query = "SELECT * FROM " + ".".join(_quote_ident(part) for part in table.split("."))
                assert query is not None
                names = _load(con, con.sql(query), target, na, source=query)
            elif arrow is not None:
                if not arrow.column_names:
                    raise TinylabError("the table has no columns")
                repeated = sorted({n for n in arrow.column_names if arrow.column_names.count(n) > 1})
                if repeated:
                    raise TinylabError(f"the table has more than one column named {', '.join(map(repr, repeated))}; "
                                       "column names must be unique")
                con.register("tinylab_arrow_input", arrow)
                names = _load(con, con.sql("SELECT * FROM tinylab_arrow_input"), target, na)
            else:
                assert path is not None
                src = _prepare(path, encoding, Path(tmp))
                shown = src.shown
                if (skip or not header or delimiter is not None or comment) and src.fmt not in ("csv", "tsv"):
                    raise TinylabError(f"{src.shown}: --skip, --no-header, --delimiter and --comment are for CSV and "
                                       f"TSV files, not {src.fmt}")
                names = _read_file(con, src, ragged, delimiter, target, na, skip, header, Path(tmp), comment)
            return _collect(con, target, names, sample_size, seed)
        except duckdb.Error as e:
            reason = "cannot read table: " + _duckdb_reason(e)
            if "not utf-8 encoded" in reason and encoding == "utf-8":
                reason += " (if it is Latin-1, read it with encoding latin-1: `tinylab profile --encoding latin-1`)"
            raise TinylabError(f"{shown}: {reason}") from None
        finally:
            con.close()


def read_columns(path: Path | None = None, *, database: Path | None = None, table: str | None = None,
                 query: str | None = None, encoding: str = "utf-8", na: Sequence[str] = NULL_TOKENS,
                 ragged: str = "error", delimiter: str | None = None, skip: int | None = None,
                 header: bool = True, comment: str | None = None) -> dict[str, list[str]]:
    """The non-null values of every column (``read_table`` without the null counts)."""
    return read_table(path, database=database, table=table, query=query, encoding=encoding, na=na, ragged=ragged,
                      delimiter=delimiter, skip=skip, header=header, comment=comment).columns
