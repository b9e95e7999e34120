"""Broken JSON back to the original value: LLM output, truncated streams, hand-edited files.

    >>> from tinylab.json_repair import repair
    >>> r = repair("Sure! ```json\\n{name: 'Ada', 'tags': ['x', 'y',], active: True}\\n```")
    >>> r.value
    {'name': 'Ada', 'tags': ['x', 'y'], 'active': True}
    >>> r.changed, r.confidence
    (True, 1.0)

Valid JSON comes back unchanged, at about ``json.loads`` speed. Unambiguous damage is fixed by rules; where
more than one repair is possible, a small trained scorer ranks the candidates (see
:mod:`tinylab.json_repair.engine`); ``strict=True`` raises :class:`RepairError` instead of guessing there.
A truncated document is completed with what it holds and nothing invented: an unfinished string, number or
key at the end is dropped. Needs only numpy (no torch, no training code)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from tinylab.errors import TinylabError
from tinylab.json_repair.engine import Edit, Scorer, describe_all, prior_scorer, repair_text

__all__ = ["Edit", "Repair", "RepairError", "load_scorer", "repair"]


class RepairError(TinylabError, ValueError):
    """``strict=True`` and the repair would have to guess (or there is no JSON to repair)."""


@dataclass(frozen=True)
class Repair:
    """A repaired document: ``value`` (the Python object), ``text`` (canonical JSON: ``json.dumps`` of the
    value), whether anything was ``changed``, the ``edits`` made (what, where), the ``confidence`` of the
    choices (1.0 when only unambiguous rules were needed) and the ``doubts`` (edits chosen over a close
    alternative). ``recovered`` is False when no JSON value could be recovered at all (empty input, prose,
    nesting deeper than Python builds): ``value`` is then None and ``edits`` ends with the reason."""

    value: Any
    changed: bool
    edits: tuple[Edit, ...] = ()
    confidence: float = 1.0
    source: str = field(default="", repr=False)
    recovered: bool = True  # False: no JSON value could be recovered (``value`` is then None, not a null)
    doubts: tuple[Edit, ...] = ()  # the edits that were guesses between close alternatives

    @cached_property
    def text(self) -> str:
        return json.dumps(self.value, ensure_ascii=False)

    def explain(self) -> list[str]:
        """One line per edit: where (line, column of the input) and what."""
        return describe_all(self.edits, self.source)


@lru_cache(maxsize=4)
def load_scorer(run: str | None = None) -> Scorer:
    """The scorer of a json-repair run directory (default: the shipped model); the fixed prior scorer when
    there is no shipped model."""
    from tinylab.json_repair.scorer import MLPScorer, shipped_run

    path = Path(run) if run is not None else shipped_run()
    if path is None:
        return prior_scorer
    return MLPScorer.from_run(path)


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # Python's json reads NaN and Infinity; JSON has neither


def repair(text: str, *, strict: bool = False, scorer: Scorer | None = None) -> Repair:
    """Repair ``text`` into the JSON value it most likely held. Never raises on a ``str`` unless ``strict``:
    with ``strict=True``, :class:`RepairError` when a choice between repairs is ambiguous or no JSON value
    can be recovered."""
    if not isinstance(text, str):
        raise TypeError(f"repair() takes a str, not {type(text).__name__}")
    try:
        return Repair(json.loads(text, parse_constant=_not_json), changed=False, source=text)
    except (ValueError, RecursionError):
        pass
    out = repair_text(text, scorer if scorer is not None else load_scorer())
    value: Any = None
    if out.text is not None:
        try:
            value = json.loads(out.text, strict=False)
        except RecursionError:
            out.text = None
            out.edits.append(Edit("nested too deeply to build as a Python value", 0))
        except ValueError as e:  # a repair that does not parse is a bug; never hand it out
            out.text = None
            out.edits.append(Edit(f"no repair found ({e})", 0))
    if strict:
        if out.text is None:
            reason = out.edits[-1].kind if out.edits else "the input is empty"
            raise RepairError(f"no JSON value could be recovered from the input ({reason})")
        if out.ambiguous:
            where = "; ".join(describe_all((out.doubts or out.edits)[:3], text))
            raise RepairError(f"the repair is ambiguous (confidence {out.confidence:.2f}): {where}")
    found = out.text is not None
    return Repair(value, changed=True, edits=tuple(out.edits), confidence=out.confidence if found else 0.0,
                  source=text, recovered=found, doubts=tuple(out.doubts))
