"""Items of any type: strings, numpy arrays, JSON values. Their identity (for the leakage check), their size
(for length bucketing), and reading them for ``tinylab predict`` from the command line or a file."""

from __future__ import annotations

import json
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

from tinylab.errors import TinylabError

InputType = Literal["text", "json", "array"]
INPUT_TYPES = ("text", "json", "array")


def item_key(item: Any) -> Hashable:
    """An item's identity: equal items have equal keys. Strings and bytes are their own key; an array is
    its dtype, shape and bytes; a JSON value is its canonical JSON text."""
    if isinstance(item, str | bytes | int | float | bool) or item is None:
        return item
    if isinstance(item, np.ndarray):
        a = np.ascontiguousarray(item)
        return ("ndarray", a.dtype.str, a.shape, a.tobytes())
    return ("json", json.dumps(item, sort_keys=True, ensure_ascii=False, default=jsonable))


def item_size(item: Any) -> int:
    """An item's size for length bucketing: characters of a string, elements of an array, length of a list
    or dict, JSON length of anything else."""
    if isinstance(item, str | bytes | list | tuple | dict):
        return len(item)
    if isinstance(item, np.ndarray):
        return int(item.size)
    return len(json.dumps(item, default=jsonable))


def jsonable(obj: Any) -> Any:
    """A numpy array or scalar as plain JSON data (the ``default`` of json.dumps and orjson.dumps)."""
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def to_json(item: Any) -> Any:
    """An item as JSON data (arrays as nested lists), for ``--json`` output."""
    return json.loads(json.dumps(item, ensure_ascii=False, default=jsonable))


def show(item: Any, width: int = 60) -> str:
    """An item on one line of text output (strings as they are, anything else as short JSON)."""
    if isinstance(item, str):
        return item
    text = json.dumps(to_json(item), ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= width else text[: width - 1] + "…"


def keys_of(task: Any, inputs: Sequence[Any]) -> list[Hashable]:
    key = getattr(task, "item_key", item_key)
    return [key(x) for x in inputs]


def sizes_of(task: Any, inputs: Sequence[Any]) -> np.ndarray:
    size = getattr(task, "item_size", item_size)
    return np.fromiter((size(x) for x in inputs), dtype=np.int64, count=len(inputs))


def input_type(task: Any) -> InputType:
    itype = getattr(task, "input_type", "text")
    if itype not in INPUT_TYPES:
        raise TinylabError(f"task {task.name!r} declares input_type {itype!r}; "
                           f"expected one of {', '.join(INPUT_TYPES)}")
    return itype  # type: ignore[no-any-return]


def _from_json(task: Any, value: Any, where: str) -> Any:
    itype = input_type(task)
    convert = getattr(task, "item_from_json", None)
    if convert is not None:
        try:
            return convert(value)
        except (TypeError, ValueError) as e:
            raise TinylabError(f"{where}: not an item of task {task.name!r}: {e}") from None
    if itype == "text" and not isinstance(value, str):
        raise TinylabError(f"{where}: task {task.name!r} takes strings, got JSON {type(value).__name__}")
    if itype == "array":
        try:
            arr = np.asarray(value)
        except ValueError:
            arr = np.empty(0, dtype=object)
        if arr.dtype == object or arr.dtype.kind not in "biuf":
            raise TinylabError(f"{where}: not a rectangular array of numbers")
        return arr
    return value


def _parse_json(raw: str, where: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as e:
        raise TinylabError(f"{where}: not valid JSON ({e.msg} at column {e.colno})") from None


def read_items(task: Any, values: Sequence[str], file: Path | None = None) -> list[Any]:
    """The items to predict: ``values`` from the command line (strings for a text task, JSON for the
    others; for an array task, a ``.npy`` / ``.npz`` path reads that file), then the items of ``file``:

    - ``.jsonl`` / ``.ndjson``: one JSON value per line (blank lines skipped);
    - ``.npy``: an array whose first axis indexes the items (array tasks);
    - ``.npz``: one item per array in the archive, in order (array tasks);
    - anything else: text, one item per line (a JSON value per line for json and array tasks).
    Files are read without unpickling anything."""
    itype = input_type(task)
    items: list[Any] = []
    for i, raw in enumerate(values, start=1):
        if itype == "array" and raw.lower().endswith((".npy", ".npz")):  # `tinylab predict track-id images.npy`
            items += read_items(task, [], Path(raw))
            continue
        items.append(_checked(task, raw, f"value {i}") if itype == "text"
                     else _from_json(task, _parse_json(raw, f"value {i}"), f"value {i}"))
    if file is None:
        return items
    suffix = file.suffix.lower()
    if not file.is_file():
        raise TinylabError(f"cannot read --file {file}: no such file")
    if suffix in (".npy", ".npz"):
        if itype != "array":
            raise TinylabError(f"--file {file}: a numpy file, but task {task.name!r} takes {itype} items "
                               "(give text lines or JSON Lines)")
        try:
            loaded = np.load(file, allow_pickle=False)
        except (ValueError, OSError) as e:
            raise TinylabError(f"--file {file}: not a readable numpy file without pickles ({e})") from None
        if suffix == ".npy":
            if loaded.ndim == 0:
                raise TinylabError(f"--file {file}: a scalar; expected an array whose first axis indexes the items")
            items += [_from_json(task, row, f"{file}: item {i}") if hasattr(task, "item_from_json") else row
                      for i, row in enumerate(loaded)]
        else:
            with loaded:
                items += [loaded[name] for name in loaded.files]
        return items
    try:
        text = file.read_text(encoding="utf-8-sig")  # a byte-order mark is not part of the first item
    except OSError as e:
        raise TinylabError(f"cannot read --file {file}: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise TinylabError(f"--file {file} is not UTF-8 text (byte {e.start}); save it as UTF-8 (from UTF-16 or "
                           f"Latin-1: `iconv -f UTF-16 -t UTF-8`, or `-f LATIN1`)") from None
    lines = text.splitlines()
    if suffix in (".jsonl", ".ndjson") or itype != "text":
        for n, line in enumerate(lines, start=1):
            if line.strip():
                where = f"{file}:{n}"
                items.append(_from_json(task, _parse_json(line, where), where))
        return items
    return items + [_checked(task, line, f"{file}:{n}") for n, line in enumerate(lines, start=1)]


def _checked(task: Any, item: str, where: str) -> str:
    """``item``, when the task can score it (its ``check_item`` hook, if any, finds nothing wrong)."""
    check = getattr(task, "check_item", None)
    problem = check(item) if check is not None else None
    if problem:
        raise TinylabError(f"{where}: {problem}")
    return item
