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


@cache
def load_taxonomy(name: str = "taxonomy.yaml") -> dict[str, TypeInfo]:
    text = files("tinylab.tasks.semantic_types").joinpath(name).read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return {
        label: TypeInfo(label, entry["description"], tuple(str(x) for x in entry.get("examples", [])))
        for label, entry in raw["labels"].items()
    }


def domain_of(label: str) -> str:
    return label.split(".", 1)[0]
