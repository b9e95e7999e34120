"""The semantic-type taxonomy: labels ``domain.category.type`` with descriptions and examples."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np
import yaml


@dataclass(frozen=True)
class TypeInfo:
    label: str
    description: str
    examples: tuple[str, ...]
    # a more general label whose values look exactly like this one's (a PayPal e-mail is an e-mail)
    same_form_as: str | None = None

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
        base[label] = TypeInfo(label, entry["description"], tuple(str(x) for x in entry.get("examples", [])),
                               entry.get("same_form_as"))
    for info in base.values():
        if info.same_form_as is not None and info.same_form_as not in base:
            raise ValueError(f"{name}: {info.label}.same_form_as names {info.same_form_as!r}, which is not a label")
    return base


def prefer_general(proba: np.ndarray, labels: list[str], taxonomy: dict[str, TypeInfo]) -> np.ndarray:
    """For each label that has ``same_form_as`` (both among ``labels``): where the model scores the specific
    label above the general one, swap their probabilities. A value alone carries no evidence for the
    subtype, so the general type is the honest first answer and the subtype stays right behind it."""
    index = {lab: i for i, lab in enumerate(labels)}
    out = proba
    for lab, i in index.items():
        general = taxonomy[lab].same_form_as if lab in taxonomy else None
        if general is None or general not in index:
            continue
        j = index[general]
        rows = np.nonzero(out[:, i] > out[:, j])[0]
        if len(rows):
            out = out.copy() if out is proba else out
            out[rows, i], out[rows, j] = out[rows, j], out[rows, i].copy()
    return out


def domain_of(label: str) -> str:
    return label.split(".", 1)[0]
