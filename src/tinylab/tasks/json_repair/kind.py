"""The json-repair kind: text in, repaired text out.

The model it trains scores the candidate edits of one decision (where parsing fails); its targets are, per
slot, whether that edit leads to the original document. The answers it evaluates are whole repairs, made
by the search the model guides (the task's ``decode``): exact recovery, parse success, the silent-wrong
rate and, for truncated documents, the faithful-prefix rate."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tinylab.kinds.base import Kind
from tinylab.metrics import bootstrap_many_ci
from tinylab.tasks.json_repair.scoring import MISSING, judge

if TYPE_CHECKING:
    from torch import nn

    from tinylab.spec import TrainSpec

SLOTS = 64  # candidate edits per decision the model sees (the rest are the least likely: cut)


@dataclass
class RepairTarget:
    """One document's truth: the original value, the corruptions applied, and the candidate labels of its
    first decision (all zero when rules alone repair it)."""

    broken: str
    original: Any
    corruptions: tuple[str, ...]
    gold: np.ndarray


def _value(answer: Any) -> Any:
    if not isinstance(answer, dict) or answer.get("json") is None:
        return MISSING
    return json.loads(answer["json"])


class TextRepair(Kind):
    name = "text_repair"
    headline = "exact_recovery"
    summary_metrics = ("exact_recovery", "exact_recovery_types", "parse_success", "silent_wrong", "faithful_prefix")
    report_metrics = summary_metrics
    compare_metrics = ("exact_recovery", "silent_wrong")
    validation_metric = "val_score"
    score_dtype = object
    miss_suggestion = "see the per-corruption table: the types below the rest say which candidates are missing"

    def n_outputs(self, labels: list[str]) -> int:
        return SLOTS

    def target_array(self, targets: Any) -> np.ndarray:
        return np.stack([t.gold for t in targets]).astype(np.float32)

    def losses(self, train: TrainSpec, train_targets: Any, labels: list[str]) -> tuple[nn.Module, nn.Module]:
        import torch
        from torch import nn

        class Listwise(nn.Module):
            """-log of the probability the softmax over a decision's candidates gives its right edits; rows
            without a decision count for nothing."""

            def forward(self, out: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
                logp = torch.log_softmax(out, dim=-1)
                hit = torch.logsumexp(logp.masked_fill(target <= 0, -1e9), dim=-1)
                rows = target.sum(-1) > 0
                return -(hit[rows]).sum() / rows.sum().clamp(min=1)

        return Listwise(), Listwise()

    def validation_score(self, outputs: np.ndarray, targets: Any) -> float:
        gold = targets if isinstance(targets, np.ndarray) else self.target_array(targets)
        rows = gold.sum(1) > 0
        if not rows.any():
            return float("nan")
        pick = np.asarray(outputs)[rows].argmax(1)
        return float((gold[rows][np.arange(rows.sum()), pick] > 0).mean())

    def scores(self, outputs: np.ndarray) -> np.ndarray:
        return np.asarray(outputs)

    def predictions(self, scores: np.ndarray, labels: list[str], meta: dict[str, Any], top_k: int = 1,
                    known: np.ndarray | None = None, items: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        return [dict(row[0]) for row in np.asarray(scores, dtype=object).reshape(len(scores), -1)]

    def format_prediction(self, prediction: dict[str, Any]) -> str:
        text = prediction.get("json")
        return "(no JSON value found)" if text is None else str(text)

    def ranked(self, scores: np.ndarray, labels: list[str], meta: dict[str, Any], top_k: int = 1,
               ) -> list[list[tuple[str, float]]]:
        return [[(str(row[0].get("json")), float(row[0].get("confidence", 0.0)))]
                for row in np.asarray(scores, dtype=object).reshape(len(scores), -1)]

    def metrics(self, targets: Any, scores: np.ndarray, labels: list[str], meta: dict[str, Any],
                seed: int = 0, n_boot: int = 1000, items: Sequence[Any] | None = None) -> dict[str, Any]:
        answers = np.asarray(scores, dtype=object).reshape(len(targets), -1)[:, 0]
        outcomes = [judge(_value(a), t.original) for a, t in zip(answers, targets, strict=True)]
        exact = np.array([o.exact for o in outcomes], dtype=np.float64)
        parsed = np.array([o.parsed for o in outcomes], dtype=np.float64)
        wrong = np.array([o.silent_wrong for o in outcomes], dtype=np.float64)
        trunc = np.array(["truncate" in t.corruptions for t in targets])
        faithful = np.array([o.faithful for o in outcomes], dtype=np.float64)
        singles = np.array([len(t.corruptions) == 1 for t in targets])
        types = sorted({t.corruptions[0] for t in targets if len(t.corruptions) == 1})
        type_of = np.array([t.corruptions[0] if len(t.corruptions) == 1 else "" for t in targets])

        def stats(idx: np.ndarray) -> dict[str, float]:
            tr = trunc[idx]
            per_type = [exact[idx][type_of[idx] == name].mean() for name in types
                        if (type_of[idx] == name).any()]
            return {"exact_recovery": float(exact[idx].mean()), "silent_wrong": float(wrong[idx].mean()),
                    "parse_success": float(parsed[idx].mean()),
                    "faithful_prefix": float(faithful[idx][tr].mean()) if tr.any() else float("nan"),
                    "exact_recovery_types": float(np.mean(per_type)) if per_type else float("nan")}

        out: dict[str, Any] = stats(np.arange(len(targets))) if len(targets) else {}
        if len(targets):
            out["exact_recovery_stacks"] = float(exact[~singles].mean()) if (~singles).any() else float("nan")
            out["n_documents"] = len(targets)
        for key, (lo, hi) in bootstrap_many_ci(stats, len(targets), n_boot, seed).items():
            out[f"{key}_ci_low"], out[f"{key}_ci_high"] = lo, hi
        return out

    def groups(self, targets: Any, labels: list[str]) -> list[str]:
        return [" + ".join(t.corruptions) if len(t.corruptions) == 1 else "stack" for t in targets]
