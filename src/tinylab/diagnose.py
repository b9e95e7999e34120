"""Findings from metrics: each with its evidence and a concrete suggestion. Listed first in every report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Finding:
    severity: str  # "miss" | "warn" | "info"
    title: str
    evidence: str
    suggestion: str


def diagnose(metrics: dict[str, Any], targets: dict[str, dict[str, Any]], history: list[dict[str, Any]],
             data: dict[str, Any], miss_suggestion: str = "compare with the baselines in this report and add "
             "data or capacity") -> list[Finding]:
    """Findings, most serious first. ``miss_suggestion``: what to try after a missed target (the kind's)."""
    out: list[Finding] = []
    for name, t in targets.items():
        if not t["met"]:
            value = t["value"]
            shown = f"{value:.4f}" if isinstance(value, float) else str(value)
            out.append(Finding("miss", f"target missed: {name}", f"{name} = {shown} < goal {t['goal']}",
                               miss_suggestion))
    if metrics.get("beats_baseline") is False:
        out.append(Finding("warn", "the model does not clearly beat the trivial answer",
                           "the 95% interval of its margin over the trivial answer includes 0 or lies below it "
                           "(see 'Against the trivial answer')",
                           "more data, a different model, or check that the inputs carry the signal"))
    never = metrics.get("never_predicted", [])
    if never:
        out.append(Finding("warn", f"{len(never)} label(s) never predicted", ", ".join(never[:10]),
                           "check whether these labels are distinguishable from their look-alikes"))
    low = sorted((v["recall"], lab) for lab, v in metrics.get("per_class", {}).items()
                 if v["support"] > 0 and v["recall"] < 0.5)
    if low:
        shown = ", ".join(f"{lab} ({r:.2f})" for r, lab in low[:10])
        out.append(Finding("warn", f"{len(low)} label(s) with recall below 0.5", shown,
                           "see the confused pairs; these labels may overlap by construction"))
    head = data.get("train_headline") or (
        {"metric": "accuracy", "value": data["train_accuracy"]} if "train_accuracy" in data else None)
    if head is not None and isinstance(metrics.get(head["metric"]), float):
        name, train_value, test_value = head["metric"], head["value"], metrics[head["metric"]]
        gap = train_value - test_value
        if gap > 0.03:
            out.append(Finding("warn", f"train/test gap of {100 * gap:.1f} points",
                               f"train {name} {train_value:.4f} (subsample) vs test {test_value:.4f}",
                               "regularize (dropout, weight decay), add data, or check for distribution shift"))
    dup = data.get("test_in_train", 0)
    if dup:
        share = dup / max(1, data.get("test_size", 1))
        out.append(Finding("info" if share < 0.2 else "warn", f"{dup} test item(s) also occur in train",
                           f"{100 * share:.1f}% of the test split; most under "
                           f"({', '.join(data.get('test_in_train_top', [])[:5])})",
                           "the figure includes them; labels with few distinct values cannot avoid repeats"))
    small = [lab for lab, n in data.get("train_per_class", {}).items() if n < 50]
    if small:
        out.append(Finding("warn", f"{len(small)} class(es) with fewer than 50 training examples",
                           ", ".join(small[:10]), "generate or collect more examples for them"))
    if len(history) >= 3:
        last = history[-3:]
        rising = last[-1]["val_loss"] > 1.02 * last[0]["val_loss"]  # a 2% rise, not noise in the last digit
        if rising and last[-1]["train_loss"] < last[0]["train_loss"]:
            out.append(Finding("warn", "validation loss rising while training loss falls",
                               f"val loss {last[0]['val_loss']:.4f} -> {last[-1]['val_loss']:.4f} over the last epochs",
                               "overfitting: stop earlier, regularize or add data"))
    return out
