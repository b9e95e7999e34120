"""SQL access: ``register(con)`` adds ``semantic_type(VARCHAR) -> VARCHAR`` to a DuckDB connection.

The function is vectorized: DuckDB hands it an Arrow array per chunk (2,048 rows), each distinct value is
classified once, and NULL stays NULL.

    import duckdb
    import tinylab.tasks.semantic_types.duckdb as st_duckdb
    con = duckdb.connect()
    st_duckdb.register(con)
    con.sql("SELECT email, semantic_type(email) FROM users")
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from tinylab.predict import Predictor


def register(con: duckdb.DuckDBPyConnection, model: str = "semantic-types", name: str = "semantic_type") -> None:
    predictor = Predictor.from_run(model)
    labels = predictor.labels

    def semantic_type(values: Any) -> pa.Array:
        items = values.to_pylist()
        present = [v for v in items if v is not None]
        uniq = list(dict.fromkeys(present))
        best: dict[str, str] = {}
        if uniq:
            proba = predictor.predict_proba(uniq)
            best = {v: labels[int(i)] for v, i in zip(uniq, proba.argmax(axis=1), strict=True)}
        return pa.array([best[v] if v is not None else None for v in items], type=pa.string())

    con.create_function(name, semantic_type, [duckdb.sqltype("VARCHAR")], duckdb.sqltype("VARCHAR"),
                        type="arrow", null_handling="special", side_effects=False)
