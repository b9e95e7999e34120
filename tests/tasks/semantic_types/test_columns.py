"""Column profiling on files written here (CSV, TSV, Parquet, JSON Lines) and a DuckDB database."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tinylab.errors import TinylabError
from tinylab.predict import Predictor
from tinylab.tasks.semantic_types.columns import (
    CATEGORICAL,
    profile_columns,
    profile_table,
    read_columns,
)

from conftest import run_cli


@pytest.fixture(scope="module")
def predictor() -> Predictor:
    return Predictor.from_run("semantic-types")


def table_rows(n: int = 60) -> list[dict[str, str]]:
    rows = []
    for i in range(n):
        rows.append({
            "id": str(i + 1),
            "ip": f"10.{i % 200}.{(i * 7) % 250}.{(i * 13) % 250}",
            "when": f"2024-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}",
            "lat": f"{-40 + i * 1.1:.4f}",
            "lon": f"{-170 + i * 5.3:.4f}",
            "order_date": f"{(i % 28) + 1:02d}/{(i % 12) + 1:02d}/2023",
        })
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], sep: str = ",") -> None:
    keys = list(rows[0])
    path.write_text(sep.join(keys) + "\n" + "\n".join(sep.join(r[k] for k in keys) for r in rows) + "\n")


def check(profiles) -> None:
    by = {p.column: p for p in profiles}
    assert by["ip"].type == "technology.internet.ip_v4"
    assert by["when"].type == "datetime.date.iso"
    assert by["id"].type == "representation.numeric.increment"  # column rule: dense distinct integers
    assert by["lon"].type == "geography.coordinate.longitude"
    assert by["order_date"].type == "datetime.date.eu_slash"  # a first field > 12 decides the order
    for p in profiles:
        assert 0 <= p.confidence <= 1 and 0 <= p.agreement <= 1 and p.runner_up and p.runner_up != p.type


def test_csv(tmp_path: Path, predictor):
    f = tmp_path / "t.csv"
    write_csv(f, table_rows())
    check(profile_table(predictor, f))


def test_tsv(tmp_path: Path, predictor):
    f = tmp_path / "t.tsv"
    write_csv(f, table_rows(), sep="\t")
    check(profile_table(predictor, f))


def test_parquet_and_jsonl(tmp_path: Path, predictor):
    rows = table_rows()
    jl = tmp_path / "t.jsonl"
    jl.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    check(profile_table(predictor, jl))
    pq = tmp_path / "t.parquet"
    con = duckdb.connect()
    con.sql(f"COPY (SELECT * FROM read_json_auto('{jl}')) TO '{pq}' (FORMAT parquet)")
    check(profile_table(predictor, pq))


def test_json_array_and_json_lines_read_the_same(tmp_path: Path, predictor):
    rows = table_rows()
    arr, lines = tmp_path / "array.json", tmp_path / "lines.json"
    arr.write_text("[\n" + ",\n".join(json.dumps(r) for r in rows) + "\n]\n")  # the common JSON table form
    lines.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert read_columns(arr) == read_columns(lines)
    assert read_columns(arr)["ip"] == [r["ip"] for r in rows]
    check(profile_table(predictor, arr))


def test_json_fields_are_read_as_written(tmp_path: Path):
    f = tmp_path / "t.jsonl"
    f.write_text('{"n": 27, "a.b": "x", "it\'s": {"k": 1}, "flag": true}\n'
                 '{"n": 48.5, "a.b": "y", "it\'s": [1, 2], "flag": null}\n')
    cols = read_columns(f)
    assert cols["n"] == ["27", "48.5"]  # not "27.0": a cast of the inferred DOUBLE column would add the ".0"
    assert cols["a.b"] == ["x", "y"]  # a dot in a key is part of the key, not a path
    assert cols["it's"] == ['{"k":1}', "[1,2]"]  # nested values stay JSON text
    assert cols["flag"] == ["true"]  # null is no value


def test_duckdb_table_and_query(tmp_path: Path, predictor):
    db = tmp_path / "t.duckdb"
    f = tmp_path / "t.csv"
    write_csv(f, table_rows())
    con = duckdb.connect(str(db))
    con.sql(f"CREATE TABLE t AS SELECT * FROM read_csv('{f}', all_varchar=true)")
    con.close()
    check(profile_table(predictor, database=db, table="t"))
    profiles = profile_table(predictor, database=db, query="SELECT ip FROM t")
    assert [p.column for p in profiles] == ["ip"]


def test_nulls_and_empty_columns(predictor):
    profiles = profile_columns(predictor, {"empty": [], "x": ["a@b.com", "c@d.org"]})
    assert profiles[0].type == "unknown" and profiles[0].n_values == 0


def test_column_rule_rejects_decimals_beyond_coordinate_range(predictor):
    profiles = profile_columns(predictor, {"fare": ["7.25", "71.2833", "512.3292", "8.05", "53.1"]})
    assert profiles[0].type == "representation.numeric.decimal_number"


def test_cli_profile_json(tmp_path: Path):
    f = tmp_path / "t.csv"
    write_csv(f, table_rows())
    r = run_cli("profile", str(f), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [c["column"] for c in out] == ["id", "ip", "when", "lat", "lon", "order_date"]
    assert set(out[0]) >= {"column", "type", "confidence", "agreement", "runner_up", "null_share"}


def test_cli_profile_bad_inputs(tmp_path: Path):
    r = run_cli("profile", str(tmp_path / "missing.csv"))
    assert r.returncode == 2 and "no such file" in r.stderr and "Traceback" not in r.stderr
    bad = tmp_path / "t.ods"
    bad.write_text("x")
    r = run_cli("profile", str(bad))
    assert r.returncode == 2 and "unsupported file type" in r.stderr


def test_read_columns_keeps_text(tmp_path: Path):
    f = tmp_path / "z.csv"
    f.write_text("zip,code\n02134,007\n10001,042\n")
    cols = read_columns(f)
    assert cols == {"zip": ["02134", "10001"], "code": ["007", "042"]}  # leading zeros survive


def test_column_rules_unit():
    from tinylab.tasks.semantic_types.columns import _column_rule, _header_hint

    boolean = "technology.development.boolean"
    # a count column of small integers looks boolean value by value; more than two values cannot be one
    assert _column_rule(["0", "1", "3", "1", "0", "8"], boolean, "SibSp")[0] == "representation.numeric.integer_number"
    assert _column_rule(["S", "C", "Q", "S"], boolean, "Embarked")[0] == "representation.discrete.categorical"
    assert _column_rule(["yes", "No", "YES", "no"], boolean, "flag") is None  # two values, any case
    # a bare amount always has two decimals (the taxonomy's amounts carry a currency sign or code otherwise)
    amount, decimal, integer = ("finance.currency.amount", "representation.numeric.decimal_number",
                                "representation.numeric.integer_number")
    assert _column_rule(["0.53", "1.2", "12.75"], amount, "rms")[0] == decimal
    assert _column_rule(["5", "12", "120"], amount, "n")[0] == integer
    assert _column_rule(["0.53", "1.20", "-12.75"], amount, "price") is None
    assert _column_rule(["$0.53", "1.2", "12.75"], amount, "price") is None  # not plain numbers: no opinion
    # a header only chooses among candidates the model already ranks, in the hint's order of preference
    assert _header_hint("unit_price", [decimal, amount]) == amount
    assert _header_hint("unit_price", [decimal, "identity.person.age"]) == decimal
    assert _header_hint("unit_price", ["identity.person.age"]) is None


def test_specific_header_words_beat_generic_ones():
    from tinylab.tasks.semantic_types.columns import _header_hint

    bic, alnum = "finance.banking.swift_bic", "representation.identifier.alphanumeric_id"
    assert _header_hint("swift_code", [alnum, bic]) == bic
    assert _header_hint("order_code", [alnum, bic]) == alnum
    email, paypal = "identity.person.email", "identity.payment.paypal_email"
    assert _header_hint("paypal_email", [email, paypal]) == paypal
    assert _header_hint("contact_email", [email, paypal]) == email


def test_a_column_of_boolean_looking_values_with_a_third_value_is_a_category(predictor):
    by_column = {p.column: p for p in profile_columns(predictor, {
        "answer": ["yes", "no", "maybe"] * 20, "flag": ["true", "false"] * 30})}
    answer = by_column["answer"]
    assert (answer.type, answer.runner_up) == (CATEGORICAL, "technology.development.boolean")
    assert answer.confidence == answer.agreement == 1.0  # for a column-level type: the share of repeated values
    assert answer.rule == "more than two distinct values: not a boolean"
    assert by_column["flag"].type == "technology.development.boolean"
    assert CATEGORICAL not in predictor.labels  # no single value has this type; only a column rule gives it


def _valid_eans_that_look_like_epochs(n: int) -> list[str]:
    """13-digit numbers in the range of epoch milliseconds (2020-2025) that pass the EAN-13 check digit."""
    import random

    from tinylab.tasks.semantic_types.validators import RULES

    rng, out = random.Random(1), []
    while len(out) < n:
        v = str(rng.randint(1_600_000_000_000, 1_750_000_000_000))
        if RULES["technology.code.ean"](v):
            out.append(v)
    return out


def test_a_check_digit_that_every_value_of_a_column_passes_names_the_column():
    from tinylab.tasks.semantic_types.columns import check_digit_rule
    from tinylab.tasks.semantic_types.generators import generate

    ms, ean = "datetime.epoch.unix_milliseconds", "technology.code.ean"
    eans = _valid_eans_that_look_like_epochs(40)
    assert check_digit_rule(eans, [ms, ean])[0] == ean
    assert check_digit_rule(eans[:9], [ms, ean]) is None  # too few values to tell
    assert check_digit_rule(eans * 5, [ms, ean])[1] == "100% of 40 distinct values pass its check digit"
    # real epochs pass the EAN check one time in ten: the column stays an epoch
    assert check_digit_rule(generate(ms, 200, seed=3), [ms, ean]) is None
    # a winner with a check digit of its own is never second-guessed (an ISBN-13 is also a valid EAN-13)
    isbn = "technology.code.isbn"
    assert check_digit_rule(generate(isbn, 50, seed=3), [isbn, ean]) is None
    # one distinct value in ten failing is too many (a wrong last digit fails the check)
    failing = [v[:-1] + str((int(v[-1]) + 1) % 10) for v in eans[36:]]
    assert check_digit_rule(eans[:36] + failing, [ms, ean]) is None
    assert check_digit_rule(eans[:38] + failing[:2], [ms, ean])[0] == ean  # 95%


def test_profiling_reads_a_column_of_valid_check_digits_as_the_checked_type(predictor):
    from tinylab.tasks.semantic_types.generators import generate

    ms = "datetime.epoch.unix_milliseconds"
    by = {p.column: p for p in profile_columns(predictor, {
        "a": _valid_eans_that_look_like_epochs(60), "b": generate(ms, 60, seed=3)})}
    assert (by["a"].type, by["a"].runner_up) == ("technology.code.ean", ms)
    assert by["a"].rule == "100% of 60 distinct values pass its check digit"
    assert by["b"].type == ms and by["b"].rule is None


def test_a_ragged_csv_is_an_error_naming_its_first_bad_line_never_a_silent_partial_read(tmp_path: Path):
    f = tmp_path / "ragged.csv"
    f.write_text("a,b\n1,2\n3\n4,5,6\n")  # left to itself, DuckDB's sniffer reads this as columns 4, 5, 6, no rows
    r = run_cli("profile", str(f))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "line 3 has 1 field(s) where the header (line 1) has 2" in r.stderr
    long_row = tmp_path / "long.tsv"
    long_row.write_text("a\tb\n" + "1\t2\n" * 50 + "1\t2\t3\n")
    with pytest.raises(TinylabError, match="line 52 has 3 field"):
        read_columns(long_row)
    late = tmp_path / "late.csv"  # past the 20,480 rows DuckDB samples to sniff a file
    late.write_text("a,b\n" + "1,2\n" * 30_000 + "1,2,3\n")
    with pytest.raises(TinylabError, match="line 30002 has 3 field"):
        read_columns(late)


def test_a_file_that_is_not_utf8_is_an_error_that_says_so(tmp_path: Path):
    f = tmp_path / "latin1.csv"
    f.write_bytes("name,city\nJosé,München\n".encode("latin-1"))
    r = run_cli("profile", str(f))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "not utf-8 encoded" in r.stderr and "latin1.csv" in r.stderr and "--encoding latin-1" in r.stderr
    r = run_cli("profile", str(f), "--encoding", "latin-1", "--json")
    assert r.returncode == 0, r.stderr
    assert [c["column"] for c in json.loads(r.stdout)] == ["name", "city"]


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_csv_in_another_encoding_reads_its_text_exactly(tmp_path: Path, encoding: str):
    f = tmp_path / "e.csv"
    f.write_bytes("name,city\nJosé,München\nAna,Zürich\n".encode(encoding))
    assert read_columns(f, encoding=encoding) == {"name": ["José", "Ana"], "city": ["München", "Zürich"]}


def test_an_unsupported_encoding_is_an_error_listing_the_supported_ones(tmp_path: Path):
    f = tmp_path / "e.csv"
    f.write_text("a\n1\n")
    with pytest.raises(TinylabError, match="'cp1252' is not supported; expected one of utf-8, utf-16, latin-1"):
        read_columns(f, encoding="cp1252")


def test_delimiters_and_quoting_are_read_as_written(tmp_path: Path):
    f = tmp_path / "q.csv"
    f.write_text('name,note\n"Smith, J","line1\nline2"\n"Doe, A",plain\n')
    assert read_columns(f) == {"name": ["Smith, J", "Doe, A"], "note": ["line1\nline2", "plain"]}
    g = tmp_path / "s.csv"
    g.write_text("x;y\n1;2\n3;4\n")
    assert read_columns(g) == {"x": ["1", "3"], "y": ["2", "4"]}


@pytest.mark.parametrize("width", [60, 200])
def test_the_profile_table_never_cuts_a_type_or_a_column_name(tmp_path: Path, width: int):
    f = tmp_path / "t.csv"
    write_csv(f, table_rows())
    r = run_cli("profile", str(f), columns=width)
    assert r.returncode == 0, r.stderr
    for name, label in (("order_date", "datetime.date.eu_slash"), ("ip", "technology.internet.ip_v4")):
        line = next(ln for ln in r.stdout.splitlines() if f" {name} " in ln)
        assert label in line  # whole, on the column's own line
    assert "runner-up" in r.stdout
    if width >= 120:  # wide enough that the rule that decided the date order fits on one line
        assert "a first field > 12: day first" in r.stdout


def test_a_header_names_a_candidate_by_the_type_s_own_name():
    from tinylab.tasks.semantic_types.columns import _header_hint

    iata, currency = "geography.transportation.iata_code", "finance.currency.currency_code"
    assert _header_hint("iata", [currency, iata, "finance.securities.ticker"]) == iata
    email, display = "identity.person.email", "identity.person.email_display"
    assert _header_hint("email_display", [email, display]) == display  # the closer name, not the word table's
    assert _header_hint("email", [email, display]) == email
    country, code = "geography.location.country", "geography.location.country_code"
    assert _header_hint("country_code", [country, code]) == code and _header_hint("Country", [code, country]) == country
    # a date's form is read from its values, and a shared word such as "day" names nothing on its own
    assert _header_hint("year_month", ["datetime.date.year_month"]) is None
    assert _header_hint("day", ["datetime.component.day_of_week"]) is None
    assert _header_hint("symbol", ["finance.currency.currency_symbol"]) is None  # "currency" is not in it
