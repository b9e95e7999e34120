"""``semantic_type`` inside a real in-process DuckDB."""

from __future__ import annotations

import duckdb

import tinylab.tasks.semantic_types.duckdb as st_duckdb


def test_semantic_type_sql_function():
    con = duckdb.connect()
    st_duckdb.register(con)
    con.sql("CREATE TABLE t AS SELECT * FROM (VALUES ('192.168.1.1'), ('hello@example.com'), (NULL), "
            "('2024-01-15T10:30:00Z')) v(x)")
    rows = con.sql("SELECT x, semantic_type(x) FROM t").fetchall()
    got = dict(rows)
    assert got["192.168.1.1"] == "technology.internet.ip_v4"
    assert got["hello@example.com"] == "identity.person.email"
    assert got["2024-01-15T10:30:00Z"] == "datetime.timestamp.iso_8601"
    assert got[None] is None


def test_semantic_type_over_many_rows_is_consistent():
    con = duckdb.connect()
    st_duckdb.register(con)
    n = con.sql("SELECT count(DISTINCT semantic_type('10.0.' || (i % 200)::VARCHAR || '.' || (i % 7)::VARCHAR)) "
                "FROM range(5000) r(i)").fetchall()[0][0]
    assert n >= 1
    labels = con.sql("SELECT DISTINCT semantic_type(printf('%d.%d.%d.%d', i % 250, 7, 8, 9)) FROM range(5000) r(i)"
                     ).fetchall()
    assert ("technology.internet.ip_v4",) in labels
