"""The task registry: built-in tasks plus any registered by other packages under the
``tinylab.tasks`` entry-point group (``name = "package.module:TaskClass"``)."""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import entry_points

from tinylab.errors import UnknownTaskError
from tinylab.tasks.base import Task

BUILTIN: dict[str, str] = {
    "semantic-types": "tinylab.tasks.semantic_types:SemanticTypesTask",
    "clause-labels": "tinylab.tasks.clause_labels:ClauseLabelsTask",
    "word-rarity": "tinylab.tasks.word_rarity:WordRarityTask",
    "unfair-clauses": "tinylab.tasks.unfair_clauses:UnfairClausesTask",
}


def _targets() -> dict[str, str]:
    found = dict(BUILTIN)
    for ep in entry_points(group="tinylab.tasks"):
        found.setdefault(ep.name, ep.value)
    return found


def task_names() -> list[str]:
    return sorted(_targets())


def get_task(name: str) -> Task:
    targets = _targets()
    if name not in targets:
        raise UnknownTaskError(f"unknown task {name!r}; registered tasks: {', '.join(sorted(targets))}")
    module, _, attr = targets[name].partition(":")
    cls = getattr(import_module(module), attr)
    task: Task = cls()
    return task
