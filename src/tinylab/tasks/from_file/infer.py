"""What a file's columns are: the kind its target columns make, the targets as that kind takes them, the label
names, and the model its input column calls for. Pure functions of the values; deterministic.

The kind (``data.kind`` left out):

- several target columns, each of 0/1 (or true/false) -> ``multi_label``, one label per column;
- one column whose values are lists -> ``multi_label`` over the distinct list elements. In JSON Lines and
  Parquet a list is a list; in CSV / TSV a cell holding a JSON list, e.g. ``["billing", "refund"]`` (``[]``:
  no label);
- one column of only 0/1 (or true/false) -> ``binary``, the label is the column's name;
- one column of numbers -> ``regression`` if any is not a whole number or there are more than
  :data:`MAX_INTEGER_CLASSES` distinct whole numbers, else ``single_label`` over those numbers; a column
  that is mostly (over half) such numbers is ``regression``, and its other values are errors;
- anything else -> ``single_label``, the labels are the column's distinct values, sorted.

The model (``model.name = "auto"``): inputs whose median is at most :data:`SHORT_CHARS` characters and
:data:`SHORT_WORDS` words get the byte-level char-CNN; longer ones (sentences) the sentence encoder head."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tinylab.errors import TinylabError

KINDS = ("single_label", "binary", "multi_label", "regression")
MAX_INTEGER_CLASSES = 20  # a column of at most this many distinct whole numbers is read as classes
SHORT_CHARS = 40
SHORT_WORDS = 3
_TRUE, _FALSE = {"1", "true", "1.0"}, {"0", "false", "0.0"}
_FLOAT32_MAX = float(np.finfo(np.float32).max)


@dataclass(frozen=True)
class Targets:
    kind: str
    labels: list[str]
    values: np.ndarray  # class indices (single_label), (n, L) 0/1 (binary, multi_label) or values (regression)
    why: str  # how the kind was decided, in words


class _Bad(Exception):
    """A value that cannot be read as the kind: (row index, column, what is wrong)."""

    def __init__(self, row: int, column: str, problem: str) -> None:
        super().__init__(problem)
        self.row, self.column, self.problem = row, column, problem


def is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and math.isnan(v))


def as_flag(v: Any) -> int | None:
    """0 or 1 for a 0/1 or true/false value, else None."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int | float):
        return int(v) if v in (0, 1) else None
    if isinstance(v, str):
        s = v.strip().lower()
        return 1 if s in _TRUE else 0 if s in _FALSE else None
    return None


def as_number(v: Any) -> float | None:
    """A finite number, else None (booleans are not numbers here)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        f = float(v)
    elif isinstance(v, str):
        try:
            f = float(v.strip())
        except ValueError:
            return None
    else:
        return None
    return f if math.isfinite(f) else None


def as_list(v: Any) -> list[Any] | None:
    """A list value: a list, or (in a text file) a cell holding a JSON list. None if it is not one."""
    if isinstance(v, list | tuple):
        return list(v)
    if isinstance(v, str) and v.strip().startswith("["):
        try:
            parsed = json.loads(v)
        except json.JSONDecodeError:
            return None
        return parsed if isinstance(parsed, list) else None
    return None


def label_text(v: Any) -> str:
    """A value as a label: strings stripped, whole numbers without ``.0``, booleans as true/false."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace").strip()
    return str(v).strip()


def sorted_labels(labels: set[str] | list[str]) -> list[str]:
    """Numerically when every label is a number (``2`` before ``10``), else as text."""
    nums = {lab: as_number(lab) for lab in labels}
    if all(n is not None for n in nums.values()):
        return sorted(labels, key=lambda lab: (nums[lab], lab))
    return sorted(labels)


def input_texts(values: Sequence[Any], column: str, where: Sequence[str], path: Path) -> list[str]:
    """The input column as strings; an empty value or a list/object is an error naming its row."""
    out: list[str] = []
    for i, v in enumerate(values):
        if is_missing(v):
            raise TinylabError(f"{path}: {where[i]}: input column {column!r} is empty (every row needs an input)")
        if isinstance(v, list | tuple | dict):
            raise TinylabError(f"{path}: {where[i]}: input column {column!r} holds a {type(v).__name__}, not text")
        out.append(v.decode("utf-8", "replace") if isinstance(v, bytes) else v if isinstance(v, str)
                   else label_text(v))
    return out


def choose_model(texts: Sequence[str]) -> str:
    """``char_cnn`` for short strings, ``sentence_head`` for sentences (see the module docstring)."""
    chars = float(np.median([len(t) for t in texts])) if texts else 0.0
    words = float(np.median([len(t.split()) for t in texts])) if texts else 0.0
    return "char_cnn" if chars <= SHORT_CHARS and words <= SHORT_WORDS else "sentence_head"


# ---- targets --------------------------------------------------------------------------------------------

def infer_kind(columns: dict[str, list[Any]], targets: Sequence[str]) -> tuple[str, str]:
    """(kind, why) for the target columns' values (see the module docstring)."""
    if len(targets) > 1:
        return "multi_label", f"{len(targets)} target columns"
    values = [v for v in columns[targets[0]] if not is_missing(v)]
    if any(as_list(v) is not None for v in values):
        return "multi_label", "a column of lists"
    if values and all(as_flag(v) is not None for v in values):
        return "binary", "a column of 0/1 values"
    nums = [n for n in (as_number(v) for v in values) if n is not None]
    if nums and len(nums) * 2 > len(values):
        whole = all(n.is_integer() for n in nums)
        distinct = len(set(nums))
        if not whole:
            return "regression", "a column of numbers, not all whole"
        if distinct > MAX_INTEGER_CLASSES:
            return "regression", f"a column of {distinct} distinct whole numbers (> {MAX_INTEGER_CLASSES})"
        if len(nums) == len(values):
            return "single_label", f"a column of {distinct} distinct whole numbers (≤ {MAX_INTEGER_CLASSES})"
    return "single_label", "a column of labels"


def read_targets(columns: dict[str, list[Any]], targets: Sequence[str], kind: str | None, where: Sequence[str],
                 path: Path) -> Targets:
    """The target columns read as ``kind`` (None: inferred); a value that cannot be read is an error naming the
    file, its row, the column and the value."""
    if not targets:
        raise TinylabError(f"{path}: no target column; name one or more with --target COL")
    why = f"data.kind = {kind!r}"
    if kind is None:
        kind, why = infer_kind(columns, targets)
    reader = _READERS[kind]
    if len(targets) > 1 and not reader.columns:
        raise TinylabError(f"{path}: data.kind {kind!r} takes one target column, got {len(targets)} "
                           f"({', '.join(targets)}); several columns make a multi-label task")
    try:
        out = reader.read(columns, targets, why)
    except _Bad as bad:
        raise TinylabError(f"{path}: {where[bad.row]}: target column {bad.column!r}: {bad.problem} (read as "
                           f"{kind}: {why})") from None
    reader.check(out, path, ", ".join(repr(c) for c in targets))
    return out


@dataclass(frozen=True)
class _Reader:
    """How the targets of one kind are read from their columns, and what makes them learnable."""

    read: Callable[[dict[str, list[Any]], Sequence[str], str], Targets]
    check: Callable[[Targets, Path, str], None]
    columns: bool = False  # several target columns allowed (one label each)


def _present(v: Any, i: int, column: str) -> Any:
    if is_missing(v):
        raise _Bad(i, column, "empty value (every row needs a target)")
    return v


def _flag_columns(columns: dict[str, list[Any]], names: Sequence[str], kind: str, why: str) -> Targets:
    n = len(columns[names[0]])
    y = np.zeros((n, len(names)), dtype=np.float32)
    for j, c in enumerate(names):
        for i, v in enumerate(columns[c]):
            flag = as_flag(_present(v, i, c))
            if flag is None:
                raise _Bad(i, c, f"{v!r} is not 0/1 or true/false")
            y[i, j] = flag
    return Targets(kind, list(names), y, why)


def _list_column(values: list[Any], column: str, why: str) -> Targets:
    rows: list[list[str]] = []
    for i, v in enumerate(values):
        items = as_list(_present(v, i, column))
        if items is None:
            raise _Bad(i, column, f"{v!r} is not a list (in a CSV cell: a JSON list such as [\"a\", \"b\"]; "
                                  "[] for none)")
        if any(isinstance(x, list | tuple | dict) or is_missing(x) for x in items):
            raise _Bad(i, column, f"{v!r}: list elements must be labels (text or numbers)")
        rows.append([label_text(x) for x in items])
    labels = sorted_labels({lab for row in rows for lab in row})
    index = {lab: j for j, lab in enumerate(labels)}
    y = np.zeros((len(rows), len(labels)), dtype=np.float32)
    for i, row in enumerate(rows):
        for lab in row:
            y[i, index[lab]] = 1.0
    return Targets("multi_label", labels, y, why)


def _number_column(values: list[Any], column: str, why: str) -> Targets:
    y = np.zeros(len(values), dtype=np.float32)
    for i, v in enumerate(values):
        n = as_number(_present(v, i, column))
        if n is None:
            raise _Bad(i, column, f"{v!r} is not a number")
        if abs(n) > _FLOAT32_MAX:
            raise _Bad(i, column, f"{v!r} is beyond the range of a 32-bit float")
        y[i] = n
    return Targets("regression", [column], y, why)


def _label_column(values: list[Any], column: str, why: str) -> Targets:
    texts = []
    for i, v in enumerate(values):
        if as_list(_present(v, i, column)) is not None and not isinstance(v, str):
            raise _Bad(i, column, f"{v!r} is a list, not one label (a list-valued column is multi-label)")
        texts.append(label_text(v))
    labels = sorted_labels(set(texts))
    index = {lab: j for j, lab in enumerate(labels)}
    return Targets("single_label", labels, np.array([index[t] for t in texts], dtype=np.int64), why)


def _check_labels(t: Targets, path: Path, cols: str) -> None:
    n = len(t.values)
    if len(t.labels) < 2:
        raise TinylabError(f"{path}: target column {cols} has one value only ({t.labels[0]!r}): nothing to learn")
    if n >= 20 and len(t.labels) * 2 > n:
        raise TinylabError(f"{path}: target column {cols} has {len(t.labels)} distinct values in {n} rows: too "
                           "many to be labels (is it the input column? for numbers: --set data.kind=regression)")


def _check_values(t: Targets, path: Path, cols: str) -> None:
    if float(np.ptp(t.values)) == 0.0:
        raise TinylabError(f"{path}: target column {cols} has one value only: nothing to learn")


def _check_flags(t: Targets, path: Path, cols: str) -> None:
    if not t.labels:
        raise TinylabError(f"{path}: target column {cols} holds only empty lists: no labels to learn")
    pos = t.values.sum(axis=0)
    if len(t.labels) == 1 and (pos[0] == 0 or pos[0] == len(t.values)):
        raise TinylabError(f"{path}: target column {cols} is {int(pos[0] > 0)} on every row: nothing to learn")


def _read_multi(columns: dict[str, list[Any]], names: Sequence[str], why: str) -> Targets:
    """Several 0/1 columns (one label each), or one column of lists."""
    if len(names) > 1:
        return _flag_columns(columns, names, "multi_label", why)
    return _list_column(columns[names[0]], names[0], why)


_READERS: dict[str, _Reader] = {
    "single_label": _Reader(lambda c, names, why: _label_column(c[names[0]], names[0], why), _check_labels),
    "binary": _Reader(lambda c, names, why: _flag_columns(c, names[:1], "binary", why), _check_flags),
    "multi_label": _Reader(_read_multi, _check_flags, columns=True),
    "regression": _Reader(lambda c, names, why: _number_column(c[names[0]], names[0], why), _check_values),
}
