"""The markdown report of a run. Targets and diagnosis come first; nothing is rounded into a pass."""

from __future__ import annotations

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


HEADLINE = ("accuracy", "top3_accuracy", "top5_accuracy", "macro_f1", "micro_f1", "subset_accuracy",
            "hamming_loss", "macro_pr_auc", "macro_roc_auc", "roc_auc", "pr_auc", "f1", "precision", "recall",
            "spearman", "spearman_stratified", "pearson", "mae", "rmse", "weighted_f1", "macro_precision",
            "macro_recall", "domain_accuracy", "calibration_ece")


def _thresholds_section(metrics: dict[str, Any], meta: dict[str, Any]) -> list[str]:
    """Multi-label and binary runs: test metrics at 0.5, at the global and at the per-label thresholds, all
    thresholds tuned on validation (never on test)."""
    th = meta.get("thresholds")
    if not th:
        return []
    lines = ["## Decision thresholds (tuned on the validation split, never on test)", ""]
    if "macro_f1_at_0_5" in metrics:
        lines += ["| thresholds | macro F1 | micro F1 | subset accuracy | Hamming loss |", "|---|---|---|---|---|"]
        for mode, name in (("at_0_5", "0.5 for every label"), ("global", f"global {th['global']:.2f}"),
                           ("per_label", "per label (used by predict)")):
            lines.append(f"| {name} | {metrics[f'macro_f1_{mode}']:.4f} | {metrics[f'micro_f1_{mode}']:.4f} | "
                         f"{metrics[f'subset_accuracy_{mode}']:.4f} | {metrics[f'hamming_loss_{mode}']:.4f} |")
    elif "f1_at_0_5" in metrics:
        lines += ["| threshold | F1 | precision | recall |", "|---|---|---|---|",
                  f"| 0.5 | {metrics['f1_at_0_5']:.4f} | {metrics['precision_at_0_5']:.4f} | "
                  f"{metrics['recall_at_0_5']:.4f} |",
                  f"| {metrics['threshold']:.2f} (tuned, used by predict) | {metrics['f1']:.4f} | "
                  f"{metrics['precision']:.4f} | {metrics['recall']:.4f} |", "",
                  "With one label the global and the per-label threshold are the same number."]
    lines += ["", f"Global threshold {th['global']:.2f} maximizes validation {th.get('objective', 'macro_f1')}; "
              "each per-label threshold maximizes that label's validation F1."]
    if th.get("untuned_labels"):
        lines.append(f"No validation positives (kept the global threshold): {', '.join(th['untuned_labels'])}.")
    per = metrics.get("per_class", {})
    lines += ["", "| label | threshold | precision | recall | F1 | PR AUC | support |", "|---|---|---|---|---|---|---|"]
    for lab, v in per.items():
        lines.append(f"| {lab} | {v.get('threshold', 0.5):.2f} | {v['precision']:.3f} | {v['recall']:.3f} | "
                     f"{v['f1']:.3f} | {_fmt(v.get('pr_auc', float('nan')), 3)} | {v['support']} |")
    return [*lines, ""]


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
) -> str:
    missed = [k for k, t in targets.items() if not t["met"]]
    lines = [f"# {task} — run {run_id}", ""]
    if not targets:
        lines.append("**Verdict:** the spec sets no targets.")
    elif missed:
        lines.append(f"**Verdict: {len(missed)} of {len(targets)} target(s) MISSED** ({', '.join(missed)}).")
    else:
        lines.append(f"**Verdict: all {len(targets)} target(s) met.**")
    lines += ["", "## Targets", "", "| metric | goal | measured | 95% CI | status |", "|---|---|---|---|---|"]
    for name, t in targets.items():
        status = "met" if t["met"] else "**MISSED**"
        lines.append(f"| {name} | ≥ {t['goal']} | {_fmt(t['value'])} | {_ci(metrics, name)} | {status} |")
    lines += ["", "## Diagnosis", ""]
    if findings:
        for f in findings:
            lines.append(f"- **[{f.severity}] {f.title}.** {f.evidence}. *Suggestion:* {f.suggestion}.")
    else:
        lines.append("- No findings: every target met, no label unpredicted or under 0.5 recall, no train/test gap.")
    lines += ["", "## Data", "", "| split | source | items |", "|---|---|---|"]
    for split in ("train", "val", "test"):
        s = data["splits"][split]
        lines.append(f"| {split} | {s['source']} | {s['size']} |")
    lines += ["", f"Leakage check (exact string match): {data['test_in_train']} of {data['test_size']} test items "
              f"also occur in train; {data['val_in_train']} of {data['val_size']} validation items do.", ""]
    lines += ["## Headline metrics (test split)", "", "| metric | value | 95% CI |", "|---|---|---|"]
    for name in HEADLINE:
        if name in metrics:
            lines.append(f"| {name} | {_fmt(metrics[name])} | {_ci(metrics, name)} |")
    lines.append("")
    lines += _thresholds_section(metrics, meta)
    for sec in sections:
        lines += [f"## {sec.title}", "", sec.markdown.rstrip(), ""]
    confused = metrics.get("most_confused", [])
    if confused:
        lines += ["## Most confused pairs", "", "| true | predicted | count | share of true |", "|---|---|---|---|"]
        lines += [f"| {c['true']} | {c['predicted']} | {c['count']} | {c['share']:.2f} |" for c in confused]
        lines.append("")
    if history:
        score = next((k for k in ("val_accuracy", "val_macro_pr_auc", "val_spearman") if k in history[0]),
                     "val_loss")
        score_name = score.removeprefix("val_").replace("_", " ")
        lines += ["## Learning curve", "", f"| epoch | train loss | val loss | val {score_name} | lr | seconds |",
                  "|---|---|---|---|---|---|"]
        for h in history:
            lines.append(f"| {h['epoch']} | {h['train_loss']:.4f} | {h['val_loss']:.4f} | {h[score]:.4f} "
                         f"| {h['lr']:.2e} | {h['seconds']:.1f} |")
        best = meta.get("best_epoch")
        chosen_on = "loss" if score == "val_macro_pr_auc" else score_name
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
              f"Reproduce: `tinylab train {task} --spec spec.toml` (from this run directory).", ""]
    return "\n".join(lines)
