"""Whole-column evidence in profiling: DuckDB's statistics over every value feed the rules, numeric measures
resolve by header and distribution, a rule's confidence is the share of values consistent with its type, the
profile reports counts, ranges and examples, and ``tinylab.profile`` profiles paths and in-memory tables."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import tinylab
from tinylab.predict import Predictor
from tinylab.tasks.semantic_types.columns import (
    AMOUNT,
    DECIMAL,
    INCREMENT,
    INTEGER,
    LATITUDE,
    LONGITUDE,
    PERCENTAGE,
    _column_rule,
    consistent_share,
    header_numeric_type,
    profile_table,
)
from tinylab.tasks.semantic_types.reading import read_table
from tinylab.tasks.semantic_types.stats import ColumnStats

from conftest import run_cli


@pytest.fixture(scope="module")
def extended() -> Predictor:
    return Predictor.from_run("semantic-types-extended")


def test_duckdb_statistics_equal_the_python_definition(tmp_path: Path):
    values = ["12", "-3", "4.50", "x", "007", " 9", "1e5", "", "NA", "12"]
    f = tmp_path / "t.csv"
    f.write_text("v\n" + "\n".join(f'"{v}"' for v in values) + "\n")
    read = read_table(f)
    assert read.stats["v"] == ColumnStats.of(read.columns["v"], rows=len(values))
    st = read.stats["v"]
    assert (st.rows, st.count, st.distinct, st.integers, st.numbers) == (10, 8, 7, 4, 5)
    assert st.min_number is None  # not every value is a number: no range
    g = tmp_path / "n.csv"
    g.write_text("n\n3\n-1.5\n10\n")
    assert (read_table(g).stats["n"].min_number, read_table(g).stats["n"].max_number) == (-1.5, 10.0)


def test_a_row_id_is_an_increment_over_the_whole_column_not_only_the_sample(tmp_path: Path, extended):
    f = tmp_path / "ids.csv"
    f.write_text("row\n" + "\n".join(str(i) for i in range(1, 58_789)) + "\n")
    read = read_table(f, sample_size=200)
    assert len(read.columns["row"]) == 200 and read.stats["row"].count == 58_788
    (p,) = profile_table(extended, f)
    assert p.type == INCREMENT and p.confidence == 1.0  # a rule's confidence: every value fits
    assert (p.count, p.distinct, p.min, p.max) == (58_788, 58_788, 1, 58_788)


def test_numeric_measures_resolve_by_header_and_distribution():
    def rule(values, label, header):
        got = _column_rule(values, label, header)
        return got[0] if got else label

    prices = [str(v) for v in (326, 2757, 18823, 554, 9002, 4410)]
    assert rule(prices, "identity.payment.cvv", "price") == AMOUNT  # diamonds' price: not a CVV
    assert rule(prices, "identity.payment.cvv", "carat_x") == INTEGER
    assert rule([str(h) for h in (0, 7, 23, 12, 18, 3)], "datetime.component.day_of_month", "peak_hour") == INTEGER
    assert rule(["0.5", "3.2", "4.9", "1.1", "2.0"], "identity.person.age", "pct_votes") == PERCENTAGE
    assert rule(["45.2", "12.9", "80.0", "33.3"], LONGITUDE, "urban") == DECIMAL
    assert rule(["41.88", "34.05", "-33.87", "51.5"], DECIMAL, "centroid_lat") == LATITUDE
    assert rule(["-87.6", "-118.2", "151.2", "-0.12"], DECIMAL, "long") == LONGITUDE
    assert rule(["41.88", "34.05", "95.1"], DECIMAL, "lat") == DECIMAL  # out of range: the header cannot decide
    assert rule(["02139", "10001", "94105"], "geography.address.postal_code", "code") == \
        "geography.address.postal_code"  # a fixed width with leading zeros is a code's form
    assert rule(["31", "44", "27", "65"], "identity.person.age", "age") == "identity.person.age"
    # a decimal comma (a ';'-separated European export), however the model reads each value
    assert rule(["19,53", "20,2", "1.234,75"], "container.array.comma_separated", "Close") == DECIMAL
    assert rule(["1,234", "12,500"], INTEGER, "n") == INTEGER  # three digits after the comma: thousands
    m49 = ["004", "248", "142", "019", "034"]  # ISO 3166 / UN M49 numeric codes, zero-padded like CVVs
    assert rule(m49, "identity.payment.cvv", "country-code") == "representation.identifier.alphanumeric_id"
    assert rule(m49, "technology.code.pin", "region_id") == "representation.identifier.alphanumeric_id"
    assert rule(m49, "identity.payment.cvv", "cvv") == "identity.payment.cvv"  # named: still a CVV
    assert rule(m49, "identity.payment.cvv", "pin_code") == "technology.code.pin"  # the header names a PIN
    votes = ["1204", "87", "5530", "312", "98", "2311"]
    assert rule(votes, INCREMENT, "votes") == INTEGER  # distinct, but neither increasing nor named an id
    assert rule(sorted(votes, key=int), INCREMENT, "user_id") == INCREMENT
    assert header_numeric_type("centroidLat", ColumnStats.of(["41.9", "-12.0"])) == LATITUDE
    assert header_numeric_type("share %", ColumnStats.of(["41.9", "12.0"])) == PERCENTAGE


def test_a_rule_decision_reports_the_share_of_consistent_values():
    values = ["12.5", "40", "abc", "7"]
    st = ColumnStats.of(values)
    assert consistent_share(DECIMAL, values, st, None, []) == 0.75
    assert consistent_share(INTEGER, values, st, None, []) == 0.5
    assert consistent_share(LATITUDE, ["12.5", "95", "-10"], ColumnStats.of(["12.5", "95", "-10"]), None, []) == \
        pytest.approx(2 / 3)
    assert consistent_share(AMOUNT, ["$1,299.99", "€5", "12.00", "n/a"], st, None, []) == 0.75
    comma = ["19,53", "20,2", "x"]
    assert consistent_share(DECIMAL, comma, ColumnStats.of(comma), None, []) == pytest.approx(2 / 3)
    # a quantity a header names (weight, height, age) counts the values in its range, not the model's top 3
    weights = ["70.5", "82", "65.2", "900", "x"]
    assert consistent_share("identity.person.weight", weights, ColumnStats.of(weights), None, []) == 0.6
    assert consistent_share("identity.person.age", ["34", "45.5", "131", "7"], st, None, []) == 0.5


def test_a_header_named_quantity_is_as_confident_as_its_values_fit(tmp_path: Path, extended):
    f = tmp_path / "people.csv"
    f.write_text("weight,height\n70.5,170\n82,182.5\n65.2,165\n90,190\n55.5,160\n")
    by = {p.column: p for p in profile_table(extended, f)}
    for col in ("weight", "height"):
        assert by[col].type == f"identity.person.{col}" and by[col].rule and "header" in by[col].rule
        assert by[col].confidence == 1.0  # every value is a plain number in the header's range


def test_zero_padded_codes_show_examples_not_a_range(tmp_path: Path, extended):
    f = tmp_path / "owners.csv"
    f.write_text("owner_id,qty\n013907871322,3\n099720109477,5\n137112412989,0.5\n")
    by = {p.column: p for p in profile_table(extended, f)}
    assert by["owner_id"].min is None and "013907871322" in by["owner_id"].examples
    assert (by["qty"].min, by["qty"].max) == (0.5, 5)


def test_profile_json_reports_counts_ranges_and_examples(tmp_path: Path):
    f = tmp_path / "t.csv"
    rows = [f"{i},{'NA' if i % 4 == 0 else 100 + i * 7},{['red', 'green', 'blue'][i % 3]}" for i in range(1, 41)]
    f.write_text("id,price,colour\n" + "\n".join(rows) + "\n")
    r = run_cli("profile", str(f), "--json")
    assert r.returncode == 0, r.stderr
    by = {c["column"]: c for c in json.loads(r.stdout.strip().splitlines()[-1])}
    assert set(by["id"]) == {"column", "type", "confidence", "agreement", "runner_up", "n_values", "count",
                             "null_share", "distinct", "min", "max", "examples", "rule"}
    assert (by["price"]["count"], by["price"]["null_share"], by["price"]["min"], by["price"]["max"]) == \
        (30, 0.25, 107, 373)
    assert by["price"]["type"] == AMOUNT
    assert by["colour"]["min"] is None and sorted(by["colour"]["examples"]) == ["blue", "green", "red"]
    assert by["colour"]["distinct"] == 3
    table = run_cli("profile", str(f), columns=100)
    assert table.returncode == 0 and "range 107 – 373" in table.stdout and "3 distinct" in table.stdout


def test_python_api_profiles_paths_and_in_memory_tables(tmp_path: Path):
    frame = pd.DataFrame({"id": range(1, 61), "email": [f"user{i}@example.org" for i in range(60)],
                          "mixed": [1, "a", None] * 20})
    expected = {"id": INCREMENT, "email": "identity.person.email"}
    for source in (frame, pl.from_pandas(frame[["id", "email"]]), pa.Table.from_pandas(frame[["id", "email"]])):
        prof = tinylab.profile(source)
        assert {c: prof[c].type for c in expected} == expected
        assert [r["column"] for r in prof.records][:2] == ["id", "email"]
    prof = tinylab.profile(frame)
    assert prof["mixed"].null_share == pytest.approx(1 / 3)
    df = prof.to_pandas()
    assert list(df["column"]) == ["id", "email", "mixed"] and "confidence" in df.columns
    f = tmp_path / "t.csv"
    frame.to_csv(f, index=False)
    assert tinylab.profile(f)["id"].type == INCREMENT
    with pytest.raises(tinylab.errors.TinylabError, match="takes a path"):
        tinylab.profile([1, 2, 3])


def test_value_rules_keep_addresses_paths_and_amounts_out_of_versions_mime_types_and_passwords():
    from tinylab.tasks.semantic_types.validators import RULES

    version, calver = RULES["technology.development.version"], RULES["technology.development.calver"]
    assert not version("8.8.8.8") and not calver("10.0.0.1") and version("1.2.3") and version("10.0.19041.1")
    mime = RULES["representation.file.mime_type"]
    assert mime("application/json") and not mime("/etc/hosts") and not mime("/usr/local/bin/python")
    password = RULES["identity.person.password"]
    assert password("Dinner1135$") and not password("$1,299.99")
    for model in ("semantic-types", "semantic-types-extended"):
        labels = [r["label"] for r in tinylab.load(model).predict(["8.8.8.8", "10.0.0.1"])]
        assert labels == ["technology.internet.ip_v4"] * 2, model


def test_a_numeric_column_read_as_boolean_with_more_than_two_values_is_a_number():
    boolean = "technology.development.boolean"
    assert _column_rule(["0", "0.2", "0", "0.7", "0"], boolean, "discount")[0] == DECIMAL
    # the sample may hold only 0 and 1; the whole column holds a third value
    whole = ColumnStats.of(["0"] * 50 + ["1"] * 5 + ["0.25"])
    assert _column_rule(["0", "1", "0", "0"], boolean, "precip", whole)[0] == DECIMAL
