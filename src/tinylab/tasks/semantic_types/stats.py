"""Whole-column statistics: what the rules and the profile know about every value of a column, not only
about the sampled ones.

For a table read through DuckDB they are computed in one SQL pass over the whole column (``sql_columns``);
for a column given as a Python list they are computed from its values (``ColumnStats.of``), with the same
definitions: a value is an *integer* when it matches ``-?[0-9]+`` and a *number* when it matches
``-?[0-9]+(\\.[0-9]+)?`` (a plain number: no sign other than minus, no exponent, no grouping).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

INT_PATTERN = r"-?[0-9]+"
NUMBER_PATTERN = r"-?[0-9]+(\.[0-9]+)?"
_INT = re.compile(INT_PATTERN)
_NUMBER = re.compile(NUMBER_PATTERN)


@dataclass(frozen=True)
class ColumnStats:
    """Statistics over a column's non-null values (``count`` of them; ``rows`` cells in all)."""

    rows: int
    count: int  # non-null values
    distinct: int
    integers: int  # values that are plain integers
    numbers: int  # values that are plain numbers (integers included)
    min_number: float | None  # when every value is a plain number, else None
    max_number: float | None
    min_length: int | None  # in characters
    max_length: int | None

    @property
    def nulls(self) -> int:
        return self.rows - self.count

    @property
    def all_integers(self) -> bool:
        return self.count > 0 and self.integers == self.count

    @property
    def all_numbers(self) -> bool:
        return self.count > 0 and self.numbers == self.count

    @property
    def unique(self) -> bool:
        return self.count > 0 and self.distinct == self.count

    @property
    def consecutive(self) -> bool:
        """Distinct non-negative integers that fill their range densely (a row id: 1, 2, 3, ... with gaps
        of at most a third of the range)."""
        if not (self.all_integers and self.unique and self.count >= 5 and self.min_number is not None
                and self.max_number is not None and self.min_number >= 0):
            return False
        return self.max_number - self.min_number + 1 <= 1.5 * self.count

    @classmethod
    def of(cls, values: Sequence[str], rows: int | None = None) -> ColumnStats:
        """The statistics of a column given as its non-null values (``rows``: its cells, nulls included)."""
        numbers = [float(v) for v in values if _NUMBER.fullmatch(v)]
        lengths = [len(v) for v in values]
        ranged = bool(numbers) and len(numbers) == len(values)
        return cls(rows=len(values) if rows is None else rows, count=len(values), distinct=len(set(values)),
                   integers=sum(1 for v in values if _INT.fullmatch(v)), numbers=len(numbers),
                   min_number=min(numbers) if ranged else None, max_number=max(numbers) if ranged else None,
                   min_length=min(lengths) if lengths else None, max_length=max(lengths) if lengths else None)


FIELDS = ("count", "distinct", "integers", "numbers", "min_length", "max_length")


def sql_columns(ident: str) -> list[str]:
    """The SQL aggregates of one column (a quoted identifier whose nulls are already NULL), in ``FIELDS``
    order; the minimum and maximum (``sql_range``) are asked only of columns whose values are all numbers."""
    return [f"count({ident})", f"count(DISTINCT {ident})",
            f"count(*) FILTER (WHERE regexp_full_match({ident}, '{INT_PATTERN}'))",
            f"count(*) FILTER (WHERE regexp_full_match({ident}, '{NUMBER_PATTERN}'))",
            f"min(length({ident}))", f"max(length({ident}))"]


def sql_range(ident: str) -> list[str]:
    """The minimum and maximum of a column whose non-null values are all plain numbers."""
    return [f"min(CAST({ident} AS DOUBLE))", f"max(CAST({ident} AS DOUBLE))"]
