"""Streaming prediction over files (`tinylab predict MODEL --input FILE --column COL --output FILE`): every
input format to every output format through the real CLI, chunk boundaries, and the errors that name the
file and the column."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import run_cli

VALUES = ["192.168.1.1", "hello@example.com", "2024-01-15", "$1,299.99", "Berlin", "42"] * 5


def _write(path: Path, fmt: str) -> None:
    rows = [{"id": i, "value": v, "note": 'a "quoted", multi\nline note' if i == 3 else ""}
            for i, v in enumerate(VALUES)]
    if fmt in ("csv", "tsv"):
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, ["id", "value", "note"], delimiter="\t" if fmt == "tsv" else ",")
            w.writeheader()
            w.writerows(rows)
    elif fmt == "parquet":
        pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=7)
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _read(path: Path) -> list[dict]:
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pylist()
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(("src", "dst"), [("csv", "parquet"), ("tsv", "jsonl"), ("parquet", "csv"),
                                          ("jsonl", "parquet")])
def test_every_format_streams_in_chunks_and_keeps_the_row_order(tmp_path: Path, src: str, dst: str):
    inp, out = tmp_path / f"in.{src}", tmp_path / f"out.{dst}"
    _write(inp, src)
    r = run_cli("predict", "semantic-types", "--input", str(inp), "--column", "value", "--output", str(out),
                "--chunk-rows", "4")
    assert r.returncode == 0, r.stderr
    assert f"{len(VALUES)} rows" in r.stderr
    rows = _read(out)
    assert [row["value"] for row in rows] == VALUES
    assert rows[0]["label"] == "technology.internet.ip_v4" and rows[1]["label"] == "identity.person.email"
    if dst == "csv":
        assert json.loads(rows[0]["predictions"])[0]["label"] == rows[0]["label"]  # nested answers as JSON text
    assert not list(tmp_path.glob(".*partial"))


def test_json_lines_of_plain_values_need_no_column(tmp_path: Path):
    inp, out = tmp_path / "words.jsonl", tmp_path / "out.jsonl"
    inp.write_text('"the"\n"zyzzogeton"\n\n', encoding="utf-8")
    r = run_cli("predict", "word-rarity", "--input", str(inp), "--output", str(out))
    assert r.returncode == 0, r.stderr
    rows = _read(out)
    assert [row["input"] for row in rows] == ["the", "zyzzogeton"] and rows[0]["source"] == "list"


def test_errors_name_the_file_and_leave_no_output(tmp_path: Path):
    inp, out = tmp_path / "in.csv", tmp_path / "out.parquet"
    _write(inp, "csv")
    r = run_cli("predict", "semantic-types", "--input", str(inp), "--column", "email", "--output", str(out))
    assert r.returncode == 2 and "no column 'email'" in r.stderr and "id, value, note" in r.stderr
    r = run_cli("predict", "semantic-types", "--input", str(inp), "--column", "value", "--output",
                str(tmp_path / "out.xlsx"))
    assert r.returncode == 2 and ".xlsx" in r.stderr
    r = run_cli("predict", "semantic-types", "--input", str(inp), "--column", "value")
    assert r.returncode == 2 and "--output" in r.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"value": "a"}\n' * 5 + "{broken\n", encoding="utf-8")
    r = run_cli("predict", "semantic-types", "--input", str(bad), "--column", "value", "--output", str(out),
                "--chunk-rows", "2")
    assert r.returncode == 2 and "line 6" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists() and not list(tmp_path.glob(".*partial"))  # nothing half-written
    r = run_cli("predict", "semantic-types", "--input", str(tmp_path / "missing.csv"), "--column", "value",
                "--output", str(out))
    assert r.returncode == 2 and "no such file" in r.stderr


def test_awkward_files_a_user_meets(tmp_path: Path):
    bom = tmp_path / "excel.csv"
    bom.write_bytes("\ufeffname,city\nAda,Berlin\n,Paris\n".encode())
    out = tmp_path / "out.jsonl"
    r = run_cli("predict", "semantic-types", "--input", str(bom), "--column", "name", "--output", str(out))
    assert r.returncode == 0, r.stderr
    rows = _read(out)
    assert rows[0]["name"] == "Ada" and rows[1] == {"name": None}  # an empty cell is a null, not typed
    header_only = tmp_path / "header.csv"
    header_only.write_text("name\n", encoding="utf-8")
    empty_out = tmp_path / "empty.parquet"
    r = run_cli("predict", "semantic-types", "--input", str(header_only), "--column", "name", "--output",
                str(empty_out))
    assert r.returncode == 0 and pq.read_table(empty_out).num_rows == 0  # a valid, empty Parquet file
    r = run_cli("predict", "semantic-types", "--input", str(bom), "--column", "name", "--output", str(bom))
    assert r.returncode == 2 and "is the input file" in r.stderr
    assert bom.read_bytes().startswith("\ufeffname".encode())  # untouched
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"v": "Zürich"}\n'.encode("latin-1"))
    r = run_cli("predict", "semantic-types", "--input", str(latin), "--column", "v", "--output", str(out))
    assert r.returncode == 2 and "line 1" in r.stderr and "--encoding" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("predict", "semantic-types", "--input", str(latin), "--column", "v", "--output", str(out),
                "--encoding", "nope")
    assert r.returncode == 2 and "not a text encoding" in r.stderr
    r = run_cli("predict", "semantic-types", "--input", str(tmp_path), "--column", "v", "--output", str(out))
    assert r.returncode == 2


def test_a_blank_line_is_a_row_never_dropped(tmp_path: Path):
    inp, out = tmp_path / "words.csv", tmp_path / "out.jsonl"
    inp.write_text("value\n192.168.1.1\n\n2024-01-15\n", encoding="utf-8")
    r = run_cli("predict", "semantic-types", "--input", str(inp), "--column", "value", "--output", str(out))
    assert r.returncode == 0, r.stderr
    rows = _read(out)
    assert [row["value"] for row in rows] == ["192.168.1.1", None, "2024-01-15"]  # one row per input row
