"""Cross-validation by group: for a task whose items belong to groups (the documents of a corpus), ``K``
leave-groups-out folds. Each fold's test split is one K-th of the groups; the task draws validation and train
from the rest (``fold_spec``), so no group is in two splits of a fold. Every fold is a full, verified run
(trained, thresholds tuned on its validation split, tested once); the folds' headline metrics are summarised
by their mean and spread.

A task takes part by supplying two methods (the core names no task):

- ``groups(spec) -> list[str]``: every group the spec's data holds;
- ``fold_spec(spec, test_groups) -> spec``: the spec whose test split is exactly ``test_groups``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tinylab.errors import SpecError, TinylabError
from tinylab.lifecycle import Outcome, resolve_spec, summary_metrics, train_spec
from tinylab.runs import MANIFEST, verify
from tinylab.spec import BaseSpec, load_toml
from tinylab.tasks import Task, get_task
from tinylab.tasks.base import ProgressFactory


@dataclass
class CrossValidation:
    task: str
    folds: list[dict[str, Any]] = field(default_factory=list)  # per fold: run, test groups, metrics
    keys: tuple[str, ...] = ()

    def summary(self) -> dict[str, dict[str, float]]:
        """Per headline metric: mean, standard deviation (n - 1), min and max over the folds."""
        out = {}
        for key in self.keys:
            v = np.array([f["metrics"][key] for f in self.folds if isinstance(f["metrics"].get(key), int | float)],
                         dtype=float)
            if len(v):
                out[key] = {"mean": float(v.mean()), "std": float(v.std(ddof=1)) if len(v) > 1 else 0.0,
                            "min": float(v.min()), "max": float(v.max())}
        return out

    def as_json(self) -> dict[str, Any]:
        return {"task": self.task, "folds": self.folds, "summary": self.summary()}

    def lines(self) -> list[str]:
        keys = [k for k in self.keys if k in self.summary()]
        out = []
        for i, f in enumerate(self.folds, start=1):
            shown = "  ".join(f"{k} {f['metrics'][k]:.4f}" for k in keys if k in f["metrics"])
            reused = " (finished earlier, reused)" if f.get("reused") else ""
            out.append(f"fold {i}: {shown}  test: {', '.join(f['test_groups'])}  run: {f['run']}{reused}")
        for k, s in self.summary().items():
            out.append(f"{k}: mean {s['mean']:.4f} ± {s['std']:.4f} (sd over {len(self.folds)} folds; "
                       f"min {s['min']:.4f}, max {s['max']:.4f})")
        return out


def fold_groups(groups: list[str], folds: int, seed: int) -> list[list[str]]:
    """``groups`` shuffled with ``seed`` and cut into ``folds`` parts of near-equal size (sorted within each)."""
    if folds < 2 or folds > len(groups):
        raise TinylabError(f"--folds must be between 2 and the number of groups ({len(groups)}), got {folds}")
    order = [groups[i] for i in np.random.default_rng(seed).permutation(len(groups))]
    return [sorted(part.tolist()) for part in np.array_split(np.array(order, dtype=object), folds)]


def finished_fold(task: Task, spec: BaseSpec, runs_dir: Path) -> tuple[Path, dict[str, Any]] | None:
    """A finished run in ``runs_dir/TASK`` trained with exactly ``spec`` whose every file still matches its
    manifest, and its headline metrics; None when there is none. Partial runs (``.tmp-*``), runs with another
    spec and runs that fail verification are passed over."""
    root = runs_dir / task.name
    if not root.is_dir():
        return None
    want = spec.model_dump(mode="json")
    for run in sorted(root.iterdir()):
        if run.name.startswith(".") or not (run / MANIFEST).is_file() or not (run / "spec.toml").is_file():
            continue
        try:
            if load_toml(task.spec_class, run / "spec.toml").model_dump(mode="json") != want or verify(run):
                continue
            metrics = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
        except (SpecError, OSError, ValueError):
            continue
        return run, {k: v for k, v in metrics.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    return None


def cross_validate(task_name: str, folds: int, spec_file: Path | None = None, overrides: list[str] | None = None,
                   runs_dir: Path = Path("runs"), seed: int = 0, progress: ProgressFactory | None = None,
                   resume: bool = False) -> CrossValidation:
    """Train and test one run per fold (``runs_dir/TASK/...``) and collect the headline metrics. With
    ``resume``, a fold whose finished, verified run with the same spec is already in ``runs_dir`` is read from
    it instead of trained again (a cross-validation stopped part-way continues where it stopped)."""
    task = get_task(task_name)
    if not (hasattr(task, "groups") and hasattr(task, "fold_spec")):
        raise TinylabError(f"task {task_name!r} has no groups to cross-validate by (it needs groups() and "
                           "fold_spec())")
    spec = resolve_spec(task, spec_file, overrides)
    parts = fold_groups(list(task.groups(spec)), folds, seed)
    result = CrossValidation(task.name, keys=(*summary_metrics(task, spec), *spec.targets))
    result.keys = tuple(dict.fromkeys(result.keys))
    for part in parts:
        fold = task.fold_spec(spec, part)
        done = finished_fold(task, fold, runs_dir) if resume else None
        if done is not None:
            result.folds.append({"run": str(done[0]), "test_groups": part, "metrics": done[1], "reused": True})
            continue
        outcome: Outcome = train_spec(task, fold, runs_dir, progress)
        result.folds.append({"run": str(outcome.run), "test_groups": part, "metrics": outcome.headline()})
    return result
