"""Prediction over files larger than memory: read a column in chunks, predict each chunk, write it out.

    tinylab predict MODEL --input big.csv --column email --output predictions.parquet

Inputs: CSV / TSV (streamed by pyarrow's CSV reader), Parquet (row groups in batches) and JSON Lines (line
by line; ``--column`` names a field, or, without it, each line is the item itself). Outputs: Parquet, JSON
Lines or CSV, written chunk by chunk: one row per input row, the input value under its column name and the
prediction's fields beside it (nested fields as JSON text in CSV). Memory holds one chunk at a time."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinylab.errors import ItemError, TinylabError

INPUT_FORMATS = {".csv": "csv", ".tsv": "tsv", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl",
                 ".ndjson": "jsonl"}
OUTPUT_FORMATS = {".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}


@dataclass
class StreamStats:
    rows: int
    chunks: int
    seconds: float


def _format(path: Path, table: dict[str, str], what: str) -> str:
    fmt = table.get(path.suffix.lower())
    if fmt is None:
        raise TinylabError(f"{path}: cannot {what} {path.suffix or 'a file without an extension'}; "
                           f"use one of {', '.join(sorted(set(table)))}")
    return fmt


def read_chunks(path: Path, column: str | None, chunk_rows: int, encoding: str = "utf-8",
                ) -> Iterator[tuple[list[Any], int]]:
    """(items, bytes read so far) per chunk of ``path``'s ``column``."""
    fmt = _format(path, INPUT_FORMATS, "read")
    if path.is_dir():
        raise TinylabError(f"{path}: is a directory, not a file")
    if not path.is_file():
        raise TinylabError(f"{path}: no such file")
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise TinylabError(f"--encoding {encoding!r} is not a text encoding Python knows (e.g. utf-8, "
                           "utf-16, latin-1)") from None
    if fmt == "jsonl":
        yield from _jsonl_chunks(path, column, chunk_rows, encoding)
        return
    import pyarrow as pa

    if column is None:
        raise TinylabError(f"{path}: give --column, the column whose values to predict")
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        names = pf.schema_arrow.names
        if column not in names:
            raise TinylabError(f"{path}: no column {column!r}; columns: {', '.join(names)}")
        total = path.stat().st_size
        done = 0
        for batch in pf.iter_batches(batch_size=chunk_rows, columns=[column]):
            done += batch.num_rows
            yield batch.column(0).cast(pa.string()).to_pylist(), min(total, int(total * done / max(1,
                                                                                  pf.metadata.num_rows)))
        return
    from pyarrow import csv

    delimiter = "\t" if fmt == "tsv" else ","
    import csv as pycsv

    try:
        with path.open(encoding="utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding,
                       newline="") as f:  # a byte-order mark is not part of the first column's name
            header = next(pycsv.reader(f, delimiter=delimiter), [])
    except UnicodeDecodeError as e:
        raise TinylabError(f"{path}: not {encoding} text ({e.reason}); pass --encoding") from None
    if column not in header:
        raise TinylabError(f"{path}: no column {column!r}; columns: {', '.join(header) or '(no header line)'}")
    try:
        reader = csv.open_csv(
            path, read_options=csv.ReadOptions(block_size=1 << 22, encoding=encoding),
            parse_options=csv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                           ignore_empty_lines=False),  # a blank line is a row: never dropped
            convert_options=csv.ConvertOptions(include_columns=[column], column_types={column: pa.string()},
                                               strings_can_be_null=True))  # an empty cell is a null
    except (pa.ArrowInvalid, pa.ArrowKeyError) as e:
        raise TinylabError(f"{path}: not a readable {fmt.upper()} file ({e})") from None
    done = 0
    pending: list[Any] = []
    try:
        for batch in reader:
            done += batch.nbytes
            pending += batch.column(0).to_pylist()
            while len(pending) >= chunk_rows:
                yield pending[:chunk_rows], done
                pending = pending[chunk_rows:]
    except (pa.ArrowInvalid, pa.ArrowKeyError) as e:
        raise TinylabError(f"{path}: not a readable {fmt.upper()} file ({e})") from None
    if pending:
        yield pending, done


def _jsonl_chunks(path: Path, column: str | None, chunk_rows: int, encoding: str,
                  ) -> Iterator[tuple[list[Any], int]]:
    items: list[Any] = []
    done = 0
    with path.open("rb") as f:
        for lineno, raw in enumerate(f, 1):
            done += len(raw)
            try:
                line = raw.decode(encoding, errors="strict").strip() if raw.strip() else ""
            except UnicodeDecodeError as e:
                raise TinylabError(f"{path}, line {lineno}: not {encoding} text ({e.reason}); pass --encoding "
                                   "(e.g. latin-1, utf-16)") from None
            if not line:
                continue
            try:
                value = json.loads(line)
            except ValueError as e:
                raise TinylabError(f"{path}, line {lineno}: not JSON ({e.args[0] if e.args else e})") from None
            if column is not None:
                if not isinstance(value, dict) or column not in value:
                    raise TinylabError(f"{path}, line {lineno}: no field {column!r} in this line")
                value = value[column]
            items.append(value)
            if len(items) >= chunk_rows:
                yield items, done
                items = []
    if items:
        yield items, done


class _Writer:
    def __init__(self, path: Path, fmt: str) -> None:
        self.path, self.fmt = path, fmt
        self.tmp = path.with_name(f".{path.name}.partial")
        self.schema: Any = None
        self.writer: Any = None
        self.file: Any = None

    def write(self, rows: list[dict[str, Any]]) -> None:
        if self.fmt == "jsonl":
            if self.file is None:
                self.file = self.tmp.open("w", encoding="utf-8")
            self.file.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
            return
        import pyarrow as pa

        if self.fmt == "csv":  # nested answers as JSON text: CSV has no lists
            rows = [{k: (json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v)
                     for k, v in r.items()} for r in rows]
        table = pa.Table.from_pylist(rows, schema=self.schema)
        if self.writer is None:
            self.schema = table.schema
            if self.fmt == "parquet":
                import pyarrow.parquet as pq

                self.writer = pq.ParquetWriter(self.tmp, self.schema)
            else:
                from pyarrow import csv

                self.writer = csv.CSVWriter(self.tmp, self.schema)
        self.writer.write_table(table)

    def close(self, ok: bool, column: str = "input") -> None:
        if ok and self.writer is None and self.file is None and self.fmt != "jsonl":
            import pyarrow as pa  # no rows: a valid empty file of the format, with the input column

            self.write_empty(pa.table({column: pa.array([], pa.string())}))
        if self.file is not None:
            self.file.close()
        if self.writer is not None:
            self.writer.close()
        if ok:
            if not self.tmp.exists():
                self.tmp.write_text("", encoding="utf-8")
            self.tmp.replace(self.path)  # the output appears only when complete
        else:
            self.tmp.unlink(missing_ok=True)

    def write_empty(self, table: Any) -> None:
        if self.fmt == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(table, self.tmp)
        else:
            from pyarrow import csv

            csv.write_csv(table, self.tmp)


def predict_file(predict: Callable[[list[Any]], list[dict[str, Any]]], input_path: Path, column: str | None,
                 output_path: Path, chunk_rows: int = 8192, encoding: str = "utf-8",
                 progress: Callable[[int, int], None] | None = None) -> StreamStats:
    """Predict every row of ``input_path``'s ``column`` in chunks of ``chunk_rows`` and write the
    predictions to ``output_path`` (written under a temporary name and renamed when complete).
    ``progress(bytes_read, total_bytes)`` is called after each chunk."""
    import time

    out_fmt = check_paths(input_path, output_path)
    total = input_path.stat().st_size if input_path.is_file() else 0
    name = column or "input"
    writer = _Writer(output_path, out_fmt)
    rows = chunks = 0
    start = time.perf_counter()
    ok = False
    try:
        for items, done in read_chunks(input_path, column, chunk_rows, encoding):
            try:
                answers = predict(items)
            except ItemError as e:  # its index counts from 0 within the chunk: name the file's row
                raise TinylabError(f"{input_path}, data row {rows + e.index + 1:,} {e.detail}") from None
            except TinylabError as e:
                raise TinylabError(f"{input_path}, data rows {rows + 1:,}-{rows + len(items):,}: {e}") from None
            writer.write([{name: item, **answer} for item, answer in zip(items, answers, strict=True)])
            rows += len(items)
            chunks += 1
            if progress:
                progress(done, total)
        if progress:
            progress(total, total)
        ok = True
    finally:
        writer.close(ok, name)
    return StreamStats(rows, chunks, time.perf_counter() - start)


def check_paths(input_path: Path, output_path: Path) -> str:
    """Refuse what cannot work before any reading starts; the output format."""
    out_fmt = _format(output_path, OUTPUT_FORMATS, "write")
    _format(input_path, INPUT_FORMATS, "read")
    if input_path.is_dir():
        raise TinylabError(f"{input_path}: is a directory, not a file")
    if not input_path.is_file():
        raise TinylabError(f"{input_path}: no such file")
    if output_path.exists() and input_path.exists() and output_path.resolve() == input_path.resolve():
        raise TinylabError(f"{output_path}: is the input file; write the predictions somewhere else")
    if not output_path.parent.is_dir():
        raise TinylabError(f"{output_path}: its folder {output_path.parent} does not exist")
    if output_path.is_dir():
        raise TinylabError(f"{output_path}: is a directory; give a file name")
    return out_fmt
