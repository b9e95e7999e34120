"""`tinylab profile` on tables as they come: null tokens, compressed files, standard input, ragged rows, the
sniffed delimiter, UTF-16 text, empty files, and one-line errors for options that do not fit the input."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet
import pytest

from tinylab.errors import TinylabError, TinylabWarning
from tinylab.tasks.semantic_types.reading import NULL_TOKENS, read_columns, read_table

from conftest import run_cli

UBUNTU_CSV = Path("/usr/share/distro-info/ubuntu.csv")


def r_export(path: Path) -> None:
    """Two numeric columns as R's write.csv leaves them: every third value missing, written NA."""
    lines = ["x,y"] + [("NA,NA" if i % 3 == 0 else f"{i}.5,{i * 7}") for i in range(1, 31)]
    path.write_text("\n".join(lines) + "\n")


def one_line_error(r) -> str:
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    return r.stderr


# ------------------------------------------------------------------------------------------ missing values


def test_null_tokens_are_not_typed_and_their_share_is_reported(tmp_path: Path):
    f = tmp_path / "r.csv"
    r_export(f)
    r = run_cli("profile", str(f), "--json")
    assert r.returncode == 0, r.stderr
    out = {c["column"]: c for c in json.loads(r.stdout)}
    for name in ("x", "y"):
        assert out[name]["null_share"] == pytest.approx(10 / 30)
        assert out[name]["n_values"] == 20
        assert out[name]["type"].startswith("representation.numeric."), out[name]  # never a continent ("NA")
    r = run_cli("profile", str(f))
    assert r.returncode == 0, r.stderr
    assert "nulls" in r.stdout and "33%" in r.stdout


def test_na_replaces_the_default_null_tokens(tmp_path: Path):
    f = tmp_path / "r.csv"
    r_export(f)
    r = run_cli("profile", str(f), "--na", "", "--json")  # only empty cells are null: NA is a value
    assert r.returncode == 0, r.stderr
    assert [(c["null_share"], c["n_values"]) for c in json.loads(r.stdout)] == [(0.0, 30), (0.0, 30)]
    g = tmp_path / "m.csv"
    g.write_text("a,b\nmissing,NA\n1,2\n,3\n")
    r = run_cli("profile", str(g), "--na", "missing", "--na", "n/a", "--json")
    assert r.returncode == 0, r.stderr
    shares = {c["column"]: c["null_share"] for c in json.loads(r.stdout)}
    assert shares == {"a": pytest.approx(2 / 3), "b": 0.0}  # "missing" and the empty cell; NA is a value now


def test_every_default_null_token_is_null_and_blank_cells_too(tmp_path: Path):
    f = tmp_path / "n.csv"
    f.write_text("v,w\n" + "".join(f"{t},x\n" for t in NULL_TOKENS) + "  ,x\n ? ,x\n7,x\n")
    table = read_table(f)
    assert table.columns == {"v": ["7"], "w": ["x"] * (len(NULL_TOKENS) + 3)}
    assert table.rows == len(NULL_TOKENS) + 3 and table.null_share("v") == pytest.approx(1 - 1 / table.rows)
    assert table.null_share("w") == 0.0
    assert read_columns(f, na=[""])["v"] == [t for t in NULL_TOKENS if t] + [" ? ", "7"]  # read as written


def test_json_nulls_and_null_tokens_both_count(tmp_path: Path):
    f = tmp_path / "r.json"
    f.write_text(json.dumps([{"a": "x@y.com", "b": None}, {"a": "NA", "b": "1"}, {"a": "u@v.org", "b": "2"}]))
    table = read_table(f)
    assert table.columns == {"a": ["x@y.com", "u@v.org"], "b": ["1", "2"]}
    assert table.nulls == {"a": 1, "b": 1}


# ------------------------------------------------------------------------------------------ rows and delimiters


@pytest.mark.skipif(not UBUNTU_CSV.is_file(), reason="needs Debian's distro-info-data (/usr/share/distro-info)")
def test_debian_ubuntu_csv_is_ragged_never_one_column():
    # its later rows drop trailing empty fields: left alone, DuckDB's sniffer read it as ONE column with '|'
    err = one_line_error(run_cli("profile", str(UBUNTU_CSV)))
    assert "line 2 has 6 field(s) where the header (line 1) has 9" in err and "--ragged pad" in err
    r = run_cli("profile", str(UBUNTU_CSV), "--ragged", "pad", "--json")
    assert r.returncode == 0, r.stderr
    out = {c["column"]: c for c in json.loads(r.stdout)}
    assert list(out) == ["version", "codename", "series", "created", "release", "eol", "eol-server", "eol-esm",
                         "eol-legacy"]
    assert out["created"]["type"] == "datetime.date.iso" and out["created"]["null_share"] == 0.0
    assert 0 < out["eol-server"]["null_share"] < 1


def test_short_rows_are_an_error_naming_the_line_or_padded(tmp_path: Path):
    f = tmp_path / "short.csv"  # the shape of Debian's ubuntu.csv: the last fields of most rows left out
    f.write_text("version,codename,release,eol,eol_server\n" + "".join(
        f"{v}.04,Name {v},20{v:02d}-04-01,20{v + 3:02d}-04-01\n" for v in range(4, 20)) + "20.04,Focal,2020-04-23,"
        "2025-05-29,2025-05-29\n")
    err = one_line_error(run_cli("profile", str(f)))
    assert "line 2 has 4 field(s) where the header (line 1) has 5" in err and "--ragged pad" in err
    table = read_table(f, ragged="pad")
    assert list(table.columns) == ["version", "codename", "release", "eol", "eol_server"]
    assert table.columns["eol_server"] == ["2025-05-29"] and table.null_share("eol_server") == pytest.approx(16 / 17)


def test_padding_never_hides_a_long_row(tmp_path: Path):
    f = tmp_path / "long.csv"
    f.write_text("a,b,c\n1,2\n3,4,5,6\n")
    with pytest.raises(TinylabError, match=r"line 3 has 4 field.*pads short rows, never long ones"):
        read_columns(f, ragged="pad")
    with pytest.raises(TinylabError, match="'cut' is not supported; expected one of error, pad"):
        read_columns(f, ragged="cut")


def test_a_sniffed_delimiter_missing_from_the_header_is_an_error(tmp_path: Path):
    f = tmp_path / "mixed.csv"
    f.write_text("a;b\n1,2\n3,4\n5,6\n")
    err = one_line_error(run_cli("profile", str(f)))
    assert "the delimiter ',' is not in the header line (line 1), which has ';'" in err and "--delimiter" in err
    g = tmp_path / "p.csv"
    g.write_text("a|b\n1|2\n3|4\n")
    assert read_columns(g, delimiter="|") == {"a": ["1", "3"], "b": ["2", "4"]}
    one = tmp_path / "one.csv"  # one column: no delimiter anywhere is fine
    one.write_text("name\nAlice\nBob\n")
    assert read_columns(one) == {"name": ["Alice", "Bob"]}


def test_a_named_delimiter_must_be_in_the_header_too(tmp_path: Path):
    f = tmp_path / "comma.csv"
    f.write_text("a,b\n1,2\n3,4\n")
    err = one_line_error(run_cli("profile", str(f), "--delimiter", ";"))
    assert "--delimiter ';' is not in the header line (line 1), which has ','" in err


def test_a_space_separated_table_is_never_read_as_one_column(tmp_path: Path):
    f = tmp_path / "linnerud.csv"  # as scikit-learn ships linnerud_exercise.csv
    f.write_text("Chins Situps Jumps\n5 162 60\n2 110 60\n12 101 101\n")
    err = one_line_error(run_cli("profile", str(f)))
    assert "read as one column, but every line splits at runs of spaces into 3 fields" in err
    assert "--delimiter ' '" in err
    assert read_columns(f, delimiter=" ") == {"Chins": ["5", "2", "12"], "Situps": ["162", "110", "101"],
                                              "Jumps": ["60", "60", "101"]}
    names = tmp_path / "names.csv"  # one column whose values hold spaces is still one column
    names.write_text("full name\nAnn Lee\nBob Ray\n")
    assert read_columns(names) == {"full name": ["Ann Lee", "Bob Ray"]}


def test_no_header_and_skip_read_a_file_whose_first_line_is_not_its_header(tmp_path: Path):
    f = tmp_path / "wine.csv"  # as scikit-learn ships wine_data.csv: a line of counts, then rows without a header
    f.write_text("3,2\n14.23,1.71,0\n13.2,1.78,0\n12.37,0.94,1\n")
    err = one_line_error(run_cli("profile", str(f)))
    assert "line 2 has 3 field(s) where the header (line 1) has 2" in err and "--no-header" in err
    r = run_cli("profile", str(f), "--skip", "1", "--no-header", "--json")
    assert r.returncode == 0, r.stderr
    got = {p["column"]: p["count"] for p in json.loads(r.stdout)}
    assert got == {"column1": 3, "column2": 3, "column3": 3}
    with pytest.warns(TinylabWarning, match=r"holds numbers \(14.23, 1.71, 0\)"):  # read as a header: said
        assert read_columns(f, skip=1) == {"14.23": ["13.2", "12.37"], "1.71": ["1.78", "0.94"], "0": ["0", "1"]}
    ragged = tmp_path / "ragged.csv"  # line numbers stay the file's own
    ragged.write_text("# exported 2026-01-02\n1,2\n3,4\n5\n")
    err = one_line_error(run_cli("profile", str(ragged), "--skip", "1", "--no-header"))
    assert "line 4 has 1 field(s) where the first row (line 2) has 2" in err
    assert "--skip 9, but the file has only 4 line(s)" in one_line_error(run_cli("profile", str(ragged),
                                                                                  "--skip", "9"))
    pq_file = tmp_path / "t.parquet"
    pa.parquet.write_table(pa.table({"a": [1]}), pq_file)
    assert "for CSV and TSV files" in one_line_error(run_cli("profile", str(pq_file), "--no-header"))


def test_a_folder_is_named_as_a_folder(tmp_path: Path):
    assert "a folder, not a file" in one_line_error(run_cli("profile", str(tmp_path)))


# ------------------------------------------------------------------------------------------ compression, stdin


def zstd(path: Path, data: bytes) -> None:
    with pa.output_stream(str(path), compression="zstd") as f:
        f.write(data)


def test_gzip_and_zstd_files(tmp_path: Path):
    text = "ip,n\n10.0.0.1,NA\n10.0.0.2,5\n"
    expected = {"ip": ["10.0.0.1", "10.0.0.2"], "n": ["5"]}
    (tmp_path / "a.csv.gz").write_bytes(gzip.compress(text.encode()))
    zstd(tmp_path / "a.tsv.zst", text.replace(",", "\t").encode())
    zstd(tmp_path / "a.csv.zst", text.encode())
    (tmp_path / "a.json.gz").write_bytes(gzip.compress(b'[{"ip": "10.0.0.1", "n": "NA"}, {"ip": "10.0.0.2", '
                                                       b'"n": 5}]'))
    zstd(tmp_path / "a.jsonl.zst", b'{"ip": "10.0.0.1", "n": null}\n{"ip": "10.0.0.2", "n": 5}\n')
    for name in ("a.csv.gz", "a.tsv.zst", "a.csv.zst", "a.json.gz", "a.jsonl.zst"):
        assert read_columns(tmp_path / name) == expected, name
    ragged = tmp_path / "r.csv.gz"
    ragged.write_bytes(gzip.compress(b"a,b\n1,2\n3\n"))
    with pytest.raises(TinylabError, match="line 3 has 1 field"):
        read_columns(ragged)
    assert read_table(ragged, ragged="pad").nulls == {"a": 0, "b": 1}
    r = run_cli("profile", str(tmp_path / "a.csv.gz"), "--json")
    assert r.returncode == 0, r.stderr
    assert [c["column"] for c in json.loads(r.stdout)] == ["ip", "n"]


def test_standard_input(tmp_path: Path, monkeypatch):
    rows = "".join(f"10.{i}.{i * 7 % 250}.{i * 13 % 250},{'NA' if i % 3 == 0 else i}\n" for i in range(1, 31))
    r = run_cli("profile", "-", "--json", input_text="ip,n\n" + rows)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [c["column"] for c in out] == ["ip", "n"] and out[0]["type"] == "technology.internet.ip_v4"
    assert out[1]["null_share"] == pytest.approx(1 / 3) and out[1]["n_values"] == 20
    err = one_line_error(run_cli("profile", "-", input_text=""))
    assert "<stdin>: the file is empty" in err
    err = one_line_error(run_cli("profile", "-", input_text="a,b\n1,2\n3\n"))
    assert "<stdin>: line 3 has 1 field(s)" in err
    for data, expected in (
            (gzip.compress(b"a,b\n1,2\n"), {"a": ["1"], "b": ["2"]}),
            (b'[{"a": "x", "b": null}]', {"a": ["x"], "b": []}),
            (b'{"a": "x"}\n{"a": "y"}\n', {"a": ["x", "y"]}),
            ("a\tb\nJosé\tMünchen\n".encode("utf-16"), {"a": ["José"], "b": ["München"]})):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        assert read_columns(Path("-")) == expected


def test_an_empty_file_is_a_one_line_error(tmp_path: Path):
    for name, data in (("e.csv", b""), ("blank.csv", b"\n \n"), ("e.csv.gz", gzip.compress(b"")),
                       ("e.json", b""), ("bom.csv", codecs.BOM_UTF16_LE), ("e.parquet", b"")):
        f = tmp_path / name
        f.write_bytes(data)
        err = one_line_error(run_cli("profile", str(f))) if name == "e.csv" else None
        if err is not None:
            assert f"{f}: the file is empty" in err
        with pytest.raises(TinylabError, match="the file is empty"):
            read_columns(f)


# ------------------------------------------------------------------------------------------ encodings


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-16-be-bom"])
def test_utf16_is_recognised_with_or_without_a_byte_order_mark(tmp_path: Path, codec: str):
    text = "name,city\nJosé,München\nAna,Zürich\n"
    data = codecs.BOM_UTF16_BE + text.encode("utf-16-be") if codec == "utf-16-be-bom" else text.encode(codec)
    f = tmp_path / "u.csv"
    f.write_bytes(data)
    expected = {"name": ["José", "Ana"], "city": ["München", "Zürich"]}
    assert read_columns(f) == expected
    assert read_columns(f, encoding="utf-16") == expected
    g = tmp_path / "u.csv.gz"
    g.write_bytes(gzip.compress(data))
    assert read_columns(g) == expected


def test_utf16_read_as_latin1_is_advised_utf16_not_latin1(tmp_path: Path):
    f = tmp_path / "u.csv"
    f.write_bytes("name,city\nJosé,München\n".encode("utf-16"))
    err = one_line_error(run_cli("profile", str(f), "--encoding", "latin-1"))
    assert "UTF-16" in err and "--encoding utf-16" in err and "--encoding latin-1" not in err


# ------------------------------------------------------------------------------------------ options that do not fit


def test_a_model_of_another_task_is_a_one_line_error(tmp_path: Path):
    f = tmp_path / "t.csv"
    f.write_text("a,b\n1,2\n")
    err = one_line_error(run_cli("profile", str(f), "--model", "word-rarity"))
    assert "profiling needs a semantic-types model, not a word-rarity one" in err


@pytest.mark.parametrize("option", [("--table", "t"), ("--query", "SELECT 1")])
def test_table_or_query_with_a_file_is_a_one_line_error(tmp_path: Path, option: tuple[str, str]):
    f = tmp_path / "t.csv.gz"
    f.write_bytes(gzip.compress(b"a,b\n1,2\n"))
    err = one_line_error(run_cli("profile", str(f), *option))
    assert "--table and --query read a DuckDB database" in err and "profiled without them" in err


def test_unsupported_compressed_parquet_names_what_is_supported(tmp_path: Path):
    f = tmp_path / "t.parquet.gz"
    f.write_bytes(gzip.compress(b"x"))
    with pytest.raises(TinylabError, match=r"unsupported file type '\.parquet\.gz'.*\.csv\.gz"):
        read_columns(f)


# ------------------------------------------------------------------------------------------ bad input


def test_binary_files_and_nul_bytes_are_one_line_errors_naming_the_line(tmp_path: Path):
    import random

    rng = random.Random(0)
    cases = {"random.csv": bytes(rng.randrange(256) for _ in range(4000)),
             "image.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(500)),
             "cell.csv": b"a,b\n1,x\x00y\n2,z\n",
             "cell.csv.gz": gzip.compress(b"a,b\n1,x\n2,z\x00\n")}
    lines = {"cell.csv": 2, "cell.csv.gz": 3}
    for name, data in cases.items():
        f = tmp_path / name
        f.write_bytes(data)
        err = one_line_error(run_cli("profile", str(f)))
        assert "NUL byte" in err and "not a text table" in err, (name, err)
        if name in lines:
            assert f"line {lines[name]} " in err


def test_a_huge_value_is_read_and_cut_in_the_examples_or_named_when_beyond_the_line_limit(tmp_path: Path):
    from tinylab.tasks.semantic_types.reading import MAX_LINE_BYTES

    f = tmp_path / "huge.csv"
    f.write_text("a,b\n1," + "x" * 3_000_000 + "\n2,y\n")
    r = run_cli("profile", str(f), "--json")
    assert r.returncode == 0, r.stderr
    b = json.loads(r.stdout.strip().splitlines()[-1])[1]
    assert b["count"] == 2 and max(len(v) for v in b["examples"]) <= 100
    g = tmp_path / "huger.csv"
    g.write_text("a,b\n1," + "x" * (MAX_LINE_BYTES + 10) + "\n")
    assert "Maximum line size" in one_line_error(run_cli("profile", str(g)))


def test_excel_workbooks_are_read_as_written(tmp_path: Path):
    import datetime

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "email", "day", "price", "note"])
    for i in range(1, 41):
        ws.append([i, f"user{i}@example.org", datetime.date(2024, 1 + i % 12, 1 + i % 28), 10.5 * i,
                   None if i % 4 else "NA"])
    f = tmp_path / "orders.xlsx"
    wb.save(f)
    read = read_table(f)
    assert read.columns["id"][:3] == ["1", "2", "3"] and read.columns["price"][:2] == ["10.5", "21"]
    assert read.columns["day"][0] == "2024-02-02" and read.nulls["note"] == 40
    r = run_cli("profile", str(f), "--json")
    assert r.returncode == 0, r.stderr
    types = {c["column"]: c["type"] for c in json.loads(r.stdout.strip().splitlines()[-1])}
    assert types["id"] == "representation.numeric.increment" and types["email"] == "identity.person.email"
    assert types["day"] == "datetime.date.iso"
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    assert "not an Excel .xlsx workbook" in one_line_error(run_cli("profile", str(bad)))


def test_runs_of_spaces_and_multi_character_delimiters(tmp_path: Path):
    aligned = tmp_path / "aligned.csv"  # as matplotlib's data_x_x2_x3.csv: numbers aligned with runs of spaces
    aligned.write_text("  0     0     0\n  1     1     1\n  2     4     8\n 10   100  1000\n")
    for args in ((), ("--no-header",)):
        err = one_line_error(run_cli("profile", str(aligned), *args))
        assert "read as one column, but every line splits at runs of spaces into 3 fields" in err
        assert "--delimiter ' '" in err
    assert read_columns(aligned, delimiter=" ", header=False) == {
        "column1": ["0", "1", "2", "10"], "column2": ["0", "1", "4", "100"], "column3": ["0", "1", "8", "1000"]}
    ratings = tmp_path / "ratings.txt.csv"  # MovieLens: user::movie::rating::time, no header
    ratings.write_text("0::2::3::1424380312\n0::3::1::1424380312\n1::5::2::1424380313\n")
    err = one_line_error(run_cli("profile", str(ratings)))
    assert "splits at '::' into 4 fields" in err and "--delimiter '::'" in err
    r = run_cli("profile", str(ratings), "--no-header", "--delimiter", "::", "--json")
    assert r.returncode == 0, r.stderr
    assert [p["count"] for p in json.loads(r.stdout)] == [3, 3, 3, 3]


def test_lines_starting_with_a_hash(tmp_path: Path):
    header = tmp_path / "bed.tsv"  # a header that starts with '#', as BED and VCF files write it
    header.write_text("#a\tb\tc\n1\t2\n3\t4\t5\n")
    with pytest.warns(TinylabWarning, match="read as the header"):
        assert read_columns(header, ragged="pad") == {"#a": ["1", "3"], "b": ["2", "4"], "c": ["5"]}
    stocks = tmp_path / "stocks.csv"  # as matplotlib's Stocks.csv: a comment line above the header
    stocks.write_text("# Data source: https://finance.yahoo.com\nDate,IBM\n1990-01-01,10.97\n1990-02-01,11.55\n")
    r = run_cli("profile", str(stocks), "--json")
    assert r.returncode == 0 and "warning: " in r.stderr and "line 1 starts with '#'" in r.stderr
    assert [p["column"] for p in json.loads(r.stdout)] == ["Date", "IBM"]
    err = one_line_error(run_cli("profile", str(stocks), "--skip", "0"))
    assert "line 1 starts with '#'" in err and "--skip N" in err
    mid = tmp_path / "umath.csv"  # as numpy's umath validation sets: comment lines between the rows
    mid.write_text("dtype,input\n## denormals ##\nnp.float32,0x004b4716\nnp.float32,0x007b2490\n")
    err = one_line_error(run_cli("profile", str(mid)))
    assert "line 2 has 1 field(s)" in err and "`--comment '#'` skips them" in err
    assert read_columns(mid, comment="#") == {"dtype": ["np.float32", "np.float32"],
                                              "input": ["0x004b4716", "0x007b2490"]}


def test_a_header_of_numbers_is_warned_about(tmp_path: Path):
    f = tmp_path / "iris.csv"  # as scikit-learn ships it: counts and class names above rows without a header
    f.write_text("3,2,setosa,versicolor\n5.1,3.5,0,\n4.9,3.0,0,\n7.0,3.2,1,\n")
    r = run_cli("profile", str(f), "--json")
    assert r.returncode == 0 and "warning: " in r.stderr and "holds numbers (3, 2)" in r.stderr
    assert "--no-header" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    years = tmp_path / "wide.csv"  # years as column names are names
    years.write_text("country,2019,2020\nFR,1,2\nDE,3,4\n")
    assert "warning" not in run_cli("profile", str(years), "--json").stderr


def test_json_that_is_not_records_is_an_error(tmp_path: Path):
    for text, expected in (("[]", "no records"), ("[1, 2, 3]", "3 number value(s)"),
                           ('{"a": 1}\n[2]\n', "1 array value(s)")):
        f = tmp_path / "t.json"
        f.write_text(text)
        assert expected in one_line_error(run_cli("profile", str(f)))


def test_tab_files_and_options_other_formats_do_not_take(tmp_path: Path):
    tab = tmp_path / "zones.tab"
    tab.write_text("code\ttz\nAD\tEurope/Andorra\nAE\tAsia/Dubai\n")
    assert read_columns(tab) == {"code": ["AD", "AE"], "tz": ["Europe/Andorra", "Asia/Dubai"]}
    pq_file = tmp_path / "t.parquet"
    pa.parquet.write_table(pa.table({"a": [1]}), pq_file)
    for option in (("--delimiter", ";"), ("--comment", "#")):
        assert "are for CSV and TSV files" in one_line_error(run_cli("profile", str(pq_file), *option))
    assert "--delimiter ''" in one_line_error(run_cli("profile", str(tab), "--delimiter", ""))


def test_the_python_api_checks_its_arguments(tmp_path: Path):
    import pandas as pd

    import tinylab

    f = tmp_path / "t.csv"
    f.write_text("a,b\nN,1\nA,2\n")
    for kwargs, message in (({"na": "NA"}, "expected a list of null tokens"), ({"skip": "2"}, "whole number"),
                            ({"sample": 0}, "1 or more"), ({"header": "no"}, "True or False")):
        with pytest.raises(TinylabError, match=message):
            tinylab.profile(f, **kwargs)
    with pytest.raises(TinylabError, match="more than one column named 'a'"):
        tinylab.profile(pd.DataFrame([[1, 2]], columns=["a", "a"]))
    with pytest.raises(TinylabError, match="no columns"):
        tinylab.profile(pd.DataFrame())


def test_comment_and_header_lines_a_user_meets(tmp_path: Path):
    wide = tmp_path / "crm.csv"  # a comment as wide as the table: read as the header, and said so
    wide.write_text("# generated by crmtool, version 2, 2024-05-01\nid,ip,country\n1,10.0.0.1,FR\n2,10.0.0.2,DE\n")
    r = run_cli("profile", str(wide), "--json")
    assert r.returncode == 0 and "line 1 starts with '#' and is read as the header" in r.stderr
    r = run_cli("profile", str(wide), "--comment", "#", "--json")
    assert r.returncode == 0 and r.stderr == ""
    assert [(p["column"], p["count"]) for p in json.loads(r.stdout)] == [("id", 2), ("ip", 2), ("country", 2)]
    titled = tmp_path / "titled.csv"  # a title, a blank line, then the table
    titled.write_text("Quarterly report\n\nid,date\n1,2024-01-01\n2,2024-04-01\n")
    assert read_columns(titled, skip=1) == {"id": ["1", "2"], "date": ["2024-01-01", "2024-04-01"]}
    movies = tmp_path / "movies.dat"  # MovieLens: '::' between fields, '|' inside the genres
    movies.write_text("1::Toy Story (1995)::Animation|Children's|Comedy\n2::Jumanji (1995)::Adventure|Fantasy\n"
                      "3::Heat (1995)::Action\n")
    err = one_line_error(run_cli("profile", str(movies)))
    assert "every line splits at '::' into 3 fields: read it with `--delimiter '::'`" in err
    assert "--ragged pad" not in err
    cols = read_columns(movies, delimiter="::", header=False)
    assert cols["column3"] == ["Animation|Children's|Comedy", "Adventure|Fantasy", "Action"]
    tabbed = tmp_path / "t.tsv"
    tabbed.write_text("a\tb\n1\t2\n")
    assert read_columns(tabbed, delimiter="\\t") == {"a": ["1"], "b": ["2"]}  # '\t' as typed in a shell
