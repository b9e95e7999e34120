"""Compare two runs of one kind on their test splits: the kind's comparison metrics with bootstrap intervals
of the difference (paired when both runs were tested on the same items), per-class (per-label) F1 deltas
where the kind has classes, and the spec differences. Each run is scored at its own stored thresholds."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tinylab.errors import TinylabError
from tinylab.items import keys_of
from tinylab.lifecycle import take
from tinylab.metrics import bootstrap_many_ci
from tinylab.predict import Predictor, resolve_run
from tinylab.spec import flatten


@dataclass
class Comparison:
    run_a: Path
    run_b: Path
    paired: bool
    overall: dict[str, dict[str, float]] = field(default_factory=dict)
    per_class: dict[str, dict[str, float]] = field(default_factory=dict)
    improved: list[str] = field(default_factory=list)
    regressed: list[str] = field(default_factory=list)
    spec_diff: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"run_a": str(self.run_a), "run_b": str(self.run_b), "paired": self.paired,
                "overall": self.overall, "per_class": self.per_class, "improved": self.improved,
                "regressed": self.regressed, "spec_diff": self.spec_diff}


def compare_runs(run_a: str, run_b: str, top: int = 10, n_boot: int = 200, seed: int = 0) -> Comparison:
    """Score both runs on their test splits with their kind's ``compare_metrics`` (each at its own stored
    thresholds). Paired (the same test items, the same labels): bootstrap intervals of B − A over the same
    resampled items; otherwise each run is resampled on its own."""
    from tinylab.lifecycle import load_split

    pa, pb = Predictor.from_run(run_a), Predictor.from_run(run_b)
    if pa.kind.name != pb.kind.name:
        raise TinylabError(f"cannot compare a {pa.kind.name} run with a {pb.kind.name} run")
    if pa.task.name != pb.task.name:
        raise TinylabError(f"cannot compare a {pa.task.name} run with a {pb.task.name} run: their test splits and "
                           "labels are not the same thing")
    kind = pa.kind
    ta = load_split(pa.task, pa.spec, "test")
    tb = load_split(pb.task, pb.spec, "test")
    paired = pa.labels == pb.labels and keys_of(pa.task, ta.inputs) == keys_of(pb.task, tb.inputs)
    proba_a, proba_b = pa.predict_proba(ta.inputs), pb.predict_proba(tb.inputs)
    cmp = Comparison(resolve_run(run_a), resolve_run(run_b), paired)

    def score(p: Predictor, targets: Any, proba: np.ndarray, items: Any) -> dict[str, Any]:
        return kind.metrics(targets, proba, p.labels, p.meta, n_boot=0, items=items)

    ma, mb = score(pa, ta.targets, proba_a, ta.inputs), score(pb, tb.targets, proba_b, tb.inputs)
    names = [name for name in kind.compare_metrics if name in ma and name in mb]
    rng = np.random.default_rng(seed)

    def deltas(idx: np.ndarray) -> dict[str, float]:  # the kind's fast form of the same metrics
        ib = idx if paired else rng.integers(0, len(tb), len(tb))
        a = kind.compare_scores(take(ta.targets, idx), proba_a[idx], pa.labels, pa.meta, [ta.inputs[i] for i in idx])
        b = kind.compare_scores(take(tb.targets, ib), proba_b[ib], pb.labels, pb.meta, [tb.inputs[i] for i in ib])
        return {name: float(b[name] - a[name]) for name in names}

    cis = bootstrap_many_ci(deltas, len(ta), n_boot, seed)
    for name in names:
        entry = {"a": ma[name], "b": mb[name], "delta": mb[name] - ma[name]}
        if name in cis:
            entry["delta_ci_low"], entry["delta_ci_high"] = cis[name]
        cmp.overall[name] = entry
    shared = [lab for lab in pa.labels if lab in mb.get("per_class", {}) and lab in ma.get("per_class", {})]
    for lab in shared:
        fa, fb = ma["per_class"][lab]["f1"], mb["per_class"][lab]["f1"]
        cmp.per_class[lab] = {"f1_a": fa, "f1_b": fb, "delta": fb - fa}
    order = sorted(cmp.per_class, key=lambda lab: cmp.per_class[lab]["delta"])
    cmp.regressed = [lab for lab in order[:top] if cmp.per_class[lab]["delta"] < 0]
    cmp.improved = [lab for lab in reversed(order[-top:]) if cmp.per_class[lab]["delta"] > 0]
    spec_a = flatten(tomllib.loads((cmp.run_a / "spec.toml").read_text(encoding="utf-8")))
    spec_b = flatten(tomllib.loads((cmp.run_b / "spec.toml").read_text(encoding="utf-8")))
    for key in sorted(set(spec_a) | set(spec_b)):
        if spec_a.get(key) != spec_b.get(key):
            cmp.spec_diff[key] = {"a": spec_a.get(key), "b": spec_b.get(key)}
    return cmp


def render_compare_markdown(c: Comparison) -> str:
    lines = [f"# Comparison: {c.run_a.name} (A) vs {c.run_b.name} (B)", "",
             f"A: `{c.run_a}`  ", f"B: `{c.run_b}`", "",
             "Intervals are 95% bootstrap intervals of B − A, "
             + ("paired over the same test items." if c.paired
                else "unpaired (the runs were tested on different items)."),
             "", "## Overall", "", "| metric | A | B | B − A | 95% CI |", "|---|---|---|---|---|"]
    for name, e in c.overall.items():
        ci = f"[{e['delta_ci_low']:+.4f}, {e['delta_ci_high']:+.4f}]" if "delta_ci_low" in e else ""
        lines.append(f"| {name} | {e['a']:.4f} | {e['b']:.4f} | {e['delta']:+.4f} | {ci} |")
    for title, labs in (("Most improved classes (F1)", c.improved), ("Most regressed classes (F1)", c.regressed)):
        lines += ["", f"## {title}", ""]
        if not labs:
            lines.append("None.")
            continue
        lines += ["| class | F1 A | F1 B | Δ |", "|---|---|---|---|"]
        lines += [f"| {lab} | {c.per_class[lab]['f1_a']:.3f} | {c.per_class[lab]['f1_b']:.3f} | "
                  f"{c.per_class[lab]['delta']:+.3f} |" for lab in labs]
    lines += ["", "## Spec differences", ""]
    if c.spec_diff:
        lines += ["| key | A | B |", "|---|---|---|"]
        lines += [f"| {k} | {v['a']} | {v['b']} |" for k, v in c.spec_diff.items()]
    else:
        lines.append("The resolved specs are identical.")
    return "\n".join(lines) + "\n"
