"""The Python API of column profiling: ``tinylab.profile(source)``.

    import tinylab

    prof = tinylab.profile("orders.csv")           # a path, a pandas or polars DataFrame, or an Arrow table
    prof.records                                   # one dict per column (the `tinylab profile --json` record)
    prof.to_pandas()                               # the same as a pandas DataFrame, one row per column

A file is read as ``tinylab profile`` reads it (CSV, TSV, Parquet, JSON, compressed, a DuckDB database with
``table=``/``query=``); a DataFrame or Arrow table goes to DuckDB through Arrow, every value as text. The
whole-column statistics are computed in DuckDB either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinylab.errors import TinylabError
from tinylab.tasks.semantic_types.reading import DATABASE_SUFFIXES, NULL_TOKENS

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from tinylab.tasks.semantic_types.columns import ColumnProfile

DEFAULT_MODEL = "semantic-types-extended"


@dataclass
class Profile:
    """A table's profile: one ``ColumnProfile`` per column, in the table's order."""

    columns: list[ColumnProfile]

    @property
    def records(self) -> list[dict[str, Any]]:
        """One dict per column, the record `tinylab profile --json` prints."""
        return [c.as_json() for c in self.columns]

    def to_arrow(self) -> pa.Table:
        import pyarrow as pa

        return pa.Table.from_pylist(self.records)

    def to_pandas(self) -> pd.DataFrame:
        """The profile as a pandas DataFrame, one row per column (needs pandas)."""
        try:
            import pandas as pd
        except ImportError:
            raise TinylabError("Profile.to_pandas needs pandas: pip install pandas "
                               "(Profile.records and Profile.to_arrow do not)") from None
        return pd.DataFrame.from_records(self.records)

    def __getitem__(self, column: str) -> ColumnProfile:
        for c in self.columns:
            if c.column == column:
                return c
        raise KeyError(column)

    def __len__(self) -> int:
        return len(self.columns)


def _as_arrow(source: Any) -> pa.Table | None:
    """An in-memory table (pandas, polars, Arrow) as an Arrow table; None for anything else."""
    import pyarrow as pa

    module = type(source).__module__.split(".")[0]
    if isinstance(source, pa.Table):
        return source
    if isinstance(source, pa.RecordBatch):
        return pa.Table.from_batches([source])
    if module == "polars" and hasattr(source, "to_arrow"):
        return source.to_arrow()
    if module == "pandas" and hasattr(source, "columns") and hasattr(source, "iloc"):
        frame = source.rename(columns=str)
        repeated = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
        if repeated:
            raise TinylabError(f"the DataFrame has more than one column named {', '.join(map(repr, repeated))}; "
                               "column names must be unique")
        try:
            return pa.Table.from_pandas(frame, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # a column mixing types: every value as text, nulls kept
            return pa.Table.from_pandas(frame.astype("string"), preserve_index=False)
    return None


def profile(source: Any, *, model: str = DEFAULT_MODEL, sample: int = 200, na: Sequence[str] = NULL_TOKENS,
            categorical: bool | None = None, table: str | None = None, query: str | None = None,
            encoding: str = "utf-8", ragged: str = "error", delimiter: str | None = None, skip: int | None = None,
            header: bool = True, comment: str | None = None) -> Profile:
    """Profile ``source``: a path (CSV, TSV, Parquet, JSON, maybe compressed; a DuckDB database with
    ``table`` or ``query``), a pandas or polars DataFrame, or an Arrow table. The options are those of
    `tinylab profile`: ``model`` (default: the extended model), ``sample`` values classified per column,
    ``na`` null tokens, ``categorical`` (the model's column model), and for files ``encoding``, ``ragged``,
    ``delimiter``, ``skip`` (lines above a CSV/TSV table; None: '#' comment lines) and ``header`` (False:
    the first row is data), ``comment`` (lines starting with it are skipped)."""
    from tinylab.tasks.semantic_types.columns import profile_columns, profile_table
    from tinylab.tasks.semantic_types.reading import read_table

    if isinstance(source, str | Path):
        path = Path(source)
        predictor = _predictor(model)
        if path.suffix.lower() in DATABASE_SUFFIXES or table is not None or query is not None:
            if not path.is_file():
                raise TinylabError(f"{path}: no such DuckDB database")
            return Profile(profile_table(predictor, database=path, table=table, query=query, sample_size=sample,
                                         categorical=categorical, na=na))
        return Profile(profile_table(predictor, path, sample_size=sample, encoding=encoding, categorical=categorical,
                                     na=na, ragged=ragged, delimiter=delimiter, skip=skip, header=header,
                                     comment=comment))
    arrow = _as_arrow(source)
    if arrow is None:
        raise TinylabError(f"tinylab.profile takes a path, a pandas or polars DataFrame or an Arrow table, not "
                           f"{source!r} (of type {type(source).__name__})")
    predictor = _predictor(model)
    read = read_table(arrow=arrow, na=na, sample_size=sample)
    shares = {c: read.null_share(c) for c in read.columns}
    return Profile(profile_columns(predictor, read.columns, sample, categorical=categorical, null_shares=shares,
                                   stats=read.stats))


def _predictor(model: str) -> Any:
    from tinylab.predict import Predictor

    predictor = Predictor.from_run(model)
    if predictor.task.name != "semantic-types":
        raise TinylabError(f"model {model}: profiling needs a semantic-types model, not a {predictor.task.name} one "
                           "(e.g. semantic-types-extended, or a semantic-types run directory)")
    return predictor
