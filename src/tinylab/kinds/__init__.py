"""Kinds of task, looked up by name: the four built in, plus any a package registers under the
``tinylab.kinds`` entry-point group (``name = "package.module:KindClass"``) or a task brings as an instance.

    from tinylab.kinds import get_kind
    get_kind("single_label").metrics(y, scores, labels, meta)
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import entry_points

from tinylab.errors import TinylabError
from tinylab.kinds.base import Kind, ReportSection

BUILTIN: dict[str, str] = {
    "single_label": "tinylab.kinds.single_label:SingleLabel",
    "multi_label": "tinylab.kinds.multi_label:MultiLabel",
    "binary": "tinylab.kinds.binary:Binary",
    "regression": "tinylab.kinds.regression:Regression",
}

_registered: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Make ``kind`` known by its name (a task defined outside tinylab may bring its own kind)."""
    if not kind.name:
        raise ValueError("a kind needs a name")
    _registered[kind.name] = kind
    return kind


def kind_names() -> list[str]:
    names = set(BUILTIN) | set(_registered)
    names |= {ep.name for ep in entry_points(group="tinylab.kinds")}
    return sorted(names)


def get_kind(kind: str | Kind) -> Kind:
    """A kind by name, or the instance itself."""
    if isinstance(kind, Kind):
        return kind
    if kind in _registered:
        return _registered[kind]
    target = BUILTIN.get(kind) or next((ep.value for ep in entry_points(group="tinylab.kinds") if ep.name == kind),
                                       None)
    if target is None:
        raise TinylabError(f"unknown kind {kind!r}; known kinds: {', '.join(kind_names())}")
    module, _, attr = target.partition(":")
    return register(getattr(import_module(module), attr)())


__all__ = ["Kind", "ReportSection", "get_kind", "kind_names", "register"]
