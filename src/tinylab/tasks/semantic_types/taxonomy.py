"""The semantic-type taxonomy: labels ``domain.category.type`` with descriptions and examples."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml


@dataclass(frozen=True)
class TypeInfo:
    label: str
    description: str
    examples: tuple[str, ...]

    @property
    def domain(self) -> str:
        return self.label.split(".", 1)[0]


TAXONOMIES = ("taxonomy.yaml", "taxonomy-extended.yaml")


@cache
def load_taxonomy(name: str = "taxonomy.yaml") -> dict[str, TypeInfo]:
    """The labels of a taxonomy file shipped with the task; a file that ``extends`` another adds its labels
    to that one's (and may not redefine any)."""
    text = files("tinylab.tasks.semantic_types").joinpath(name).read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    base = dict(load_taxonomy(raw["extends"])) if raw.get("extends") else {}
    for label, entry in raw["labels"].items():
        if label in base:
            raise ValueError(f"{name}: label {label!r} is already defined in {raw['extends']}")
        base[label] = TypeInfo(label, entry["description"], tuple(str(x) for x in entry.get("examples", [])))
    return base


def domain_of(label: str) -> str:
    return label.split(".", 1)[0]
