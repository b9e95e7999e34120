"""The markdown report of a run. Targets and diagnosis come first; nothing is rounded into a pass."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tinylab.diagnose import Finding
from tinylab.tasks.base import ReportSection


def _fmt(v: Any, digits: int = 4) -> str:
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def _ci(metrics: dict[str, Any], name: str) -> str:
    lo, hi = metrics.get(f"{name}_ci_low"), metrics.get(f"{name}_ci_high")
    return f"[{lo:.4f}, {hi:.4f}]" if isinstance(lo, float) and isinstance(hi, float) else ""


def render_markdown(
    *,
    task: str,
    run_id: str,
    metrics: dict[str, Any],
    targets: dict[str, dict[str, Any]],
    findings: list[Finding],
    data: dict[str, Any],
    history: list[dict[str, Any]],
    sections: list[ReportSection],
    spec_toml: str,
    meta: dict[str, Any],
    headline: Sequence[str] = (),
    score_key: str = "",
    selected_on: str = "",
) -> str:
    """``headline``: the metrics of the headline table, in order (the kind's, then the task's); ``sections``:
    the kind's and the task's own; ``score_key``: the early-stopping score in the history records, chosen on
    ``selected_on`` (default: that score)."""
    missed = [k for k, t in targets.items() if not t["met"]]
    lines = [f"# {task} — run {run_id}", ""]
    if not targets:
        lines.append("**Verdict:** the spec sets no targets.")
    elif missed:
        lines.append(f"**Verdict: {len(missed)} of {len(targets)} target(s) MISSED** ({', '.join(missed)}).")
    else:
        lines.append(f"**Verdict: all {len(targets)} target(s) met.**")
    lines += ["", "## Targets", ""]
    if targets:
        lines += ["| metric | goal | measured | 95% CI | status |", "|---|---|---|---|---|"]
    else:
        lines.append("None set. A spec sets them as `[targets]` entries, `metric = goal` (e.g. "
                     "`--set targets.accuracy=0.9`); each is then reported as met or MISSED.")
    for name, t in targets.items():
        status = "met" if t["met"] else "**MISSED**"
        lines.append(f"| {name} | ≥ {t['goal']} | {_fmt(t['value'])} | {_ci(metrics, name)} | {status} |")
    lines += ["", "## Diagnosis", ""]
    if findings:
        for f in findings:
            lines.append(f"- **[{f.severity}] {f.title}.** {f.evidence}. *Suggestion:* {f.suggestion}.")
    else:
        met = "every target met" if targets else "no targets set"
        lines.append(f"- No findings: {met}, no label unpredicted or under 0.5 recall, no train/test gap.")
    lines += ["", "## Data", "", "| split | source | items |", "|---|---|---|"]
    for split in ("train", "val", "test"):
        s = data["splits"][split]
        lines.append(f"| {split} | {s['source']} | {s['size']} |")
    lines += ["", f"Leakage check (exact match of items): {data['test_in_train']} of {data['test_size']} test items "
              f"also occur in train; {data['val_in_train']} of {data['val_size']} validation items do.", ""]
    lines += ["## Headline metrics (test split)", "", "| metric | value | 95% CI |", "|---|---|---|"]
    for name in headline:
        if name in metrics:
            lines.append(f"| {name} | {_fmt(metrics[name])} | {_ci(metrics, name)} |")
    lines.append("")
    for sec in sections:
        lines += [f"## {sec.title}", "", sec.markdown.rstrip(), ""]
    confused = metrics.get("most_confused", [])
    if confused:
        lines += ["## Most confused pairs", "", "| true | predicted | count | share of true |", "|---|---|---|---|"]
        lines += [f"| {c['true']} | {c['predicted']} | {c['count']} | {c['share']:.2f} |" for c in confused]
        lines.append("")
    if history:
        score = score_key if score_key in history[0] else "val_loss"
        score_name = score.removeprefix("val_").replace("_", " ")
        lines += ["## Learning curve", "", f"| epoch | train loss | val loss | val {score_name} | lr | seconds |",
                  "|---|---|---|---|---|---|"]
        for h in history:
            lines.append(f"| {h['epoch']} | {h['train_loss']:.4f} | {h['val_loss']:.4f} | {h[score]:.4f} "
                         f"| {h['lr']:.2e} | {h['seconds']:.1f} |")
        best = meta.get("best_epoch")
        chosen_on = selected_on or score_name
        lines += ["", f"Best epoch (validation {chosen_on}): {best}; weights of that epoch are shipped.", ""]
    per_class = metrics.get("per_class", {})
    if per_class:
        worst = sorted(per_class.items(), key=lambda kv: (kv[1]["f1"], kv[0]))[:25]
        lines += ["## Per-class metrics (25 lowest F1; all in metrics.json)", "",
                  "| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
        lines += [f"| {lab} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['support']} |"
                  for lab, v in worst]
        lines.append("")
    lines += ["## Model", "", f"{meta.get('model', '?')} with {meta.get('n_params', '?'):,} parameters; "
              f"trained in {meta.get('train_seconds', 0):.0f} s on {meta.get('threads', '?')} thread(s); "
              f"torch {meta.get('torch_version', '?')}.", ""]
    lines += ["## Spec (resolved)", "", "```toml", spec_toml.rstrip(), "```", "",
              f"Reproduce: `tinylab train {task} --spec RUN/spec.toml`, RUN being this run's directory (run it from "
              "elsewhere: a new run written inside this one would not match its manifest).", ""]
    return "\n".join(lines)
