"""How a repair is scored against the original value, and the competitors it is scored beside.

- **exact recovery**: the repaired value equals the original, type-aware (``1`` != ``1.0`` != ``true``,
  key order ignored as JSON does);
- **parse success**: the tool returned a JSON value at all;
- **silent wrong**: it returned a value, and the value differs from the original (the failure a caller
  cannot see);
- **faithful prefix** (truncated documents): nothing invented or changed: every object holds a prefix of the
  original's keys with their values, every array a prefix of its items, the last member of each possibly
  itself a faithful prefix.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

MISSING = object()  # a tool that returned no JSON value


def same_value(a: Any, b: Any) -> bool:
    """JSON equality that tells ``1``, ``1.0`` and ``true`` apart."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def faithful_prefix(repaired: Any, original: Any) -> bool:
    """Whether ``repaired`` holds only what ``original`` holds, as a prefix (see the module docstring)."""
    if isinstance(original, dict) and isinstance(repaired, dict):
        keys, okeys = list(repaired), list(original)
        if keys != okeys[:len(keys)]:
            return False
        return all(same_value(repaired[k], original[k]) for k in keys[:-1]) and (
            not keys or faithful_prefix(repaired[keys[-1]], original[keys[-1]]))
    if isinstance(original, list) and isinstance(repaired, list):
        if len(repaired) > len(original):
            return False
        return all(same_value(x, y) for x, y in zip(repaired[:-1], original, strict=False)) and (
            not repaired or faithful_prefix(repaired[-1], original[len(repaired) - 1]))
    return same_value(repaired, original)


@dataclass(frozen=True)
class Outcome:
    parsed: bool
    exact: bool
    faithful: bool

    @property
    def silent_wrong(self) -> bool:
        return self.parsed and not self.exact


def judge(value: Any, original: Any) -> Outcome:
    if value is MISSING:
        return Outcome(False, False, False)
    return Outcome(True, same_value(value, original), faithful_prefix(value, original))


# ---- competitors -----------------------------------------------------------------------------------

Tool = Callable[[str], Any]  # broken text -> value, or MISSING


def competitors() -> dict[str, Tool]:
    """The repair libraries installed here, by name: ``json_repair`` and ``fast_json_repair``."""
    from importlib import import_module

    out: dict[str, Tool] = {}
    for name in ("json_repair", "fast_json_repair"):
        try:
            out[name] = _as_tool(import_module(name).repair_json)
        except ModuleNotFoundError:
            continue
    return out


def _as_tool(repair_json: Callable[..., Any]) -> Tool:
    """A library's ``repair_json`` as a :data:`Tool`: its crash, or its empty answer, is a failed repair."""
    def tool(text: str) -> Any:
        try:
            v = repair_json(text, return_objects=True)
        except Exception:  # a competitor crashing is a failed repair
            return MISSING
        return MISSING if v == "" else v

    return tool


def run_tool(tool: Tool, texts: Sequence[str]) -> tuple[list[Any], float]:
    """Values of ``tool`` on ``texts`` and its throughput in documents per second."""
    start = time.perf_counter()
    values = [tool(t) for t in texts]
    seconds = time.perf_counter() - start
    return values, len(texts) / seconds if seconds > 0 else float("inf")
