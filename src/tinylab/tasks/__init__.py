"""The task registry: built-in tasks plus any registered by other packages under the
``tinylab.tasks`` entry-point group (``name = "package.module:TaskClass"``) or by :func:`register` (a task
defined in a script or a test). A task's own commands come from the ``tinylab.commands`` group."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any

from tinylab.errors import UnknownTaskError
from tinylab.tasks.base import Task

BUILTIN: dict[str, str] = {
    "semantic-types": "tinylab.tasks.semantic_types:SemanticTypesTask",
    "clause-labels": "tinylab.tasks.clause_labels:ClauseLabelsTask",
    "word-rarity": "tinylab.tasks.word_rarity:WordRarityTask",
    "unfair-clauses": "tinylab.tasks.unfair_clauses:UnfairClausesTask",
    "from-file": "tinylab.tasks.from_file:FromFileTask",
    "track-id": "tinylab.tasks.track_id:TrackIdTask",
    "json-repair": "tinylab.tasks.json_repair:JsonRepairTask",
}


# the built-in tasks' own command-line commands: task -> "module:function" taking the typer app
BUILTIN_COMMANDS: dict[str, str] = {
    "semantic-types": "tinylab.tasks.semantic_types.commands:register",
    "json-repair": "tinylab.tasks.json_repair.commands:register",
}


def command_registrars() -> list[Callable[[Any], None]]:
    """Functions that add a task's commands to the ``tinylab`` app: the built-in tasks' and those
    registered under the ``tinylab.commands`` entry-point group."""
    found = dict(BUILTIN_COMMANDS)
    for ep in entry_points(group="tinylab.commands"):
        found.setdefault(ep.name, ep.value)
    out = []
    for target in found.values():
        module, _, attr = target.partition(":")
        out.append(getattr(import_module(module), attr))
    return out


def _targets() -> dict[str, str]:
    found = dict(BUILTIN)
    found.update({name: f"{cls.__module__}:{cls.__qualname__}" for name, cls in _registered.items()})
    for ep in entry_points(group="tinylab.tasks"):
        found.setdefault(ep.name, ep.value)
    return found


def task_names() -> list[str]:
    return sorted(_targets())


_registered: dict[str, type] = {}


def register(task_class: type) -> type:
    """Make a task class known by its ``name`` in this process (usable as a class decorator)."""
    _registered[task_class.name] = task_class  # type: ignore[attr-defined]
    return task_class


def get_task(name: str) -> Task:
    if name in _registered:
        task: Task = _registered[name]()
        return task
    targets = _targets()
    if name not in targets:
        raise UnknownTaskError(f"unknown task {name!r}; registered tasks: {', '.join(sorted(targets))}")
    module, _, attr = targets[name].partition(":")
    cls = getattr(import_module(module), attr)
    instance: Task = cls()
    return instance
