"""Compare two runs of one task kind on their test splits: overall deltas with bootstrap intervals (paired
when both runs were tested on the same items), per-class (per-label) F1 deltas, and the spec differences.
Multi-label and binary runs are scored at their own validation-tuned thresholds."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tinylab.errors import TinylabError
from tinylab.metrics import bootstrap_many_ci, single_label_metrics, topk_hits
from tinylab.predict import Predictor, resolve_run
from tinylab.spec import flatten

HEADLINE = ("accuracy", "top3_accuracy", "macro_f1", "weighted_f1")
HEADLINE_BY_KIND = {"single_label": HEADLINE, "multi_label": ("macro_f1", "micro_f1", "macro_pr_auc"),
                    "binary": ("pr_auc", "roc_auc", "f1"), "regression": ("spearman", "spearman_stratified", "mae")}


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


def _per_item(y: np.ndarray, proba: np.ndarray) -> dict[str, np.ndarray]:
    return {"accuracy": (proba.argmax(1) == y).astype(float), "top3_accuracy": topk_hits(y, proba, 3)}


def _diff_ci(a: np.ndarray, b: np.ndarray, paired: bool, n_boot: int = 1000, seed: int = 0) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    diffs = np.empty(n_boot)
    for i in range(n_boot):
        ia = rng.integers(0, len(a), len(a))
        ib = ia if paired else rng.integers(0, len(b), len(b))
        diffs[i] = b[ib].mean() - a[ia].mean()
    lo, hi = np.quantile(diffs, [0.025, 0.975])
    return float(lo), float(hi)


def compare_runs(run_a: str, run_b: str, top: int = 10) -> Comparison:
    pa, pb = Predictor.from_run(run_a), Predictor.from_run(run_b)
    if pa.kind != pb.kind:
        raise TinylabError(f"cannot compare a {pa.kind} run with a {pb.kind} run")
    ta = pa.task.load_split(pa.spec, "test")
    tb = pb.task.load_split(pb.spec, "test")
    paired = pa.labels == pb.labels and ta.inputs == tb.inputs
    proba_a, proba_b = pa.predict_proba(ta.inputs), pb.predict_proba(tb.inputs)
    cmp = Comparison(resolve_run(run_a), resolve_run(run_b), paired)
    if pa.kind == "single_label":
        ma = single_label_metrics(ta.targets, proba_a, pa.labels, n_boot=200)
        mb = single_label_metrics(tb.targets, proba_b, pb.labels, n_boot=200)
        items_a, items_b = _per_item(ta.targets, proba_a), _per_item(tb.targets, proba_b)
        for name in HEADLINE:
            entry = {"a": ma[name], "b": mb[name], "delta": mb[name] - ma[name]}
            if name in items_a:
                entry["delta_ci_low"], entry["delta_ci_high"] = _diff_ci(items_a[name], items_b[name], paired)
            cmp.overall[name] = entry
    else:
        from tinylab.lifecycle import kind_metrics

        def score(p: Predictor, y: np.ndarray, proba: np.ndarray, n_boot: int = 0) -> dict[str, Any]:
            return kind_metrics(p.kind, y, proba, p.labels, p.meta, n_boot=n_boot)

        ma, mb = score(pa, ta.targets, proba_a), score(pb, tb.targets, proba_b)
        names = HEADLINE_BY_KIND[pa.kind]

        def deltas(idx: np.ndarray) -> dict[str, float]:  # the same resampled items scored by both runs
            a, b = score(pa, ta.targets[idx], proba_a[idx]), score(pb, tb.targets[idx], proba_b[idx])
            return {name: float(b[name] - a[name]) for name in names}

        cis = bootstrap_many_ci(deltas, len(ta), 200) if paired else {}
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
