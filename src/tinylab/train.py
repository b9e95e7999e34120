"""One training loop for all tasks: AdamW, linear warm-up then cosine decay, early stopping on the
validation split, a checkpoint per epoch, the best epoch's weights restored at the end.

The loss and the validation score follow the task's kind: single-label -> cross-entropy, early stopping
on validation accuracy; multi-label and binary -> binary cross-entropy per label, early stopping on
validation macro PR AUC (threshold-free: thresholds are tuned after training); regression -> mean squared
error, early stopping on validation Spearman."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from tinylab.errors import SpecError
from tinylab.scores import outputs_to_scores, sigmoid, softmax
from tinylab.spec import TrainSpec
from tinylab.tasks.base import TaskKind

__all__ = ["outputs_to_scores", "sigmoid", "softmax"]  # kept importable from here

# on_epoch(epoch, record, state_dict) -> None ; used to write checkpoints and the train log
EpochCallback = Callable[[int, dict[str, Any], dict[str, torch.Tensor]], None]
# batch progress: start(epoch, n_batches) -> advance(loss)
BatchProgress = Callable[[int, int], Callable[[float], None]]


@dataclass
class TrainResult:
    history: list[dict[str, Any]] = field(default_factory=list)
    best_epoch: int = 0
    stopped_early: bool = False
    seconds: float = 0.0


def set_threads(n: int) -> None:
    if n > 0:
        torch.set_num_threads(n)


def to_tensors(arrays: tuple[np.ndarray, ...]) -> tuple[torch.Tensor, ...]:
    return tuple(torch.from_numpy(np.ascontiguousarray(a)) for a in arrays)


@torch.inference_mode()
def predict_logits(model: nn.Module, arrays: tuple[np.ndarray, ...], batch_size: int = 4096) -> np.ndarray:
    model.eval()
    tensors = to_tensors(arrays)
    n = len(tensors[0])
    outs = [model(*(t[i:i + batch_size] for t in tensors)).float() for i in range(0, n, batch_size)]
    return torch.cat(outs).numpy() if outs else np.zeros((0, 0), dtype=np.float32)


def validation_score(kind: TaskKind, logits: np.ndarray, y: np.ndarray) -> tuple[str, float]:
    """The name and value of the score early stopping maximizes, on the validation split."""
    from tinylab.metrics import pr_auc, regression_metrics

    if kind == "single_label":
        return "val_accuracy", float((logits.argmax(1) == y).mean())
    if kind in ("multi_label", "binary"):
        per = [pr_auc(y[:, j], logits[:, j]) for j in range(y.shape[1])]
        per = [v for v in per if not np.isnan(v)]
        return "val_macro_pr_auc", float(np.mean(per)) if per else 0.0
    rho = regression_metrics(y, logits[:, 0])["spearman"]
    return "val_spearman", 0.0 if np.isnan(rho) else rho


def _losses(kind: TaskKind, spec: TrainSpec, train_y: np.ndarray, n_classes: int) -> tuple[nn.Module, nn.Module]:
    """(training loss, evaluation loss) for a kind."""
    if kind == "single_label":
        weight = class_weights(train_y, n_classes) if spec.class_weights else None
        return nn.CrossEntropyLoss(weight=weight, label_smoothing=spec.label_smoothing), nn.CrossEntropyLoss()
    if kind in ("multi_label", "binary"):
        pos_weight = None
        if spec.class_weights:  # negatives / positives per label, so rare labels are not drowned out
            pos = train_y.sum(axis=0)
            pos_weight = torch.tensor(np.where(pos > 0, (len(train_y) - pos) / np.maximum(pos, 1), 1.0),
                                      dtype=torch.float32)
        return nn.BCEWithLogitsLoss(pos_weight=pos_weight), nn.BCEWithLogitsLoss()
    return _RegressionLoss(), _RegressionLoss()


class _RegressionLoss(nn.Module):
    def forward(self, out: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return nn.functional.mse_loss(out.reshape(-1), target.reshape(-1))


def lr_at(step: int, total: int, warmup: int, base: float) -> float:
    if step < warmup:
        return base * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return base * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))


def class_weights(y: np.ndarray, n_classes: int) -> torch.Tensor:
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    w = np.where(counts > 0, counts.sum() / (n_classes * np.maximum(counts, 1)), 0.0)
    return torch.tensor(w, dtype=torch.float32)


def require_padding_invariant(model: nn.Module) -> None:
    if not getattr(model, "padding_invariant", False):
        raise SpecError(f"train.length_bands needs a padding-invariant byte model (char_cnn); "
                        f"{type(model).__name__} is not one: set train.length_bands = 0")


def _byte_widths(model: nn.Module, xs: tuple[torch.Tensor, ...]) -> torch.Tensor:
    """Per item, how many leading bytes of the first input array are not padding (0)."""
    require_padding_invariant(model)
    nonzero = xs[0] > 0
    last = torch.where(nonzero.any(1), nonzero.shape[1] - nonzero.flip(1).int().argmax(1), 0)
    return last


def _epoch_batches(n: int, batch_size: int, gen: torch.Generator,
                   widths: torch.Tensor | None, bands: int = 0) -> list[torch.Tensor]:
    """One epoch's batches of item indices. Without ``widths``: a random permutation cut into batches. With
    them: the permutation is cut into chunks of ``bands`` batches, each chunk sorted by width and cut into
    batches, and all batches shuffled: every batch is still a random draw within its length band."""
    perm = torch.randperm(n, generator=gen)
    if widths is None:
        return list(perm.split(batch_size))
    batches: list[torch.Tensor] = []
    for chunk in perm.split(batch_size * bands):
        order = torch.sort(widths[chunk], stable=True).indices
        batches.extend(chunk[order].split(batch_size))
    return [batches[i] for i in torch.randperm(len(batches), generator=gen).tolist()]


def fit(
    model: nn.Module,
    train_x: tuple[np.ndarray, ...],
    train_y: np.ndarray,
    val_x: tuple[np.ndarray, ...],
    val_y: np.ndarray,
    spec: TrainSpec,
    n_classes: int,
    on_epoch: EpochCallback | None = None,
    batch_progress: BatchProgress | None = None,
    kind: TaskKind = "single_label",
) -> TrainResult:
    """Train a model of any task kind in place; returns the per-epoch history. Deterministic for ``spec.seed``.

    ``train_y``/``val_y``: class indices (single-label), (n, L) 0/1 arrays (multi-label; binary with L=1),
    or (n,) floats (regression)."""
    set_threads(spec.threads)
    torch.manual_seed(spec.seed)
    gen = torch.Generator().manual_seed(spec.seed)
    xs = to_tensors(train_x)
    single = kind == "single_label"
    ys = torch.from_numpy(train_y.astype(np.int64 if single else np.float32))
    val_targets = torch.from_numpy(val_y.astype(np.int64 if single else np.float32))
    n = len(ys)
    steps_per_epoch = math.ceil(n / spec.batch_size)
    total = steps_per_epoch * spec.epochs
    warmup = max(1, int(spec.warmup_frac * total))
    opt = torch.optim.AdamW(model.parameters(), lr=spec.lr, weight_decay=spec.weight_decay)
    loss_fn, eval_loss = _losses(kind, spec, train_y, n_classes)
    result = TrainResult()
    best_score, best_loss, best_state, since_best = -float("inf"), float("inf"), None, 0
    t0 = time.perf_counter()
    step = 0
    widths = _byte_widths(model, xs) if spec.length_bands else None
    for epoch in range(1, spec.epochs + 1):
        model.train()
        batches = _epoch_batches(n, spec.batch_size, gen, widths, spec.length_bands)
        advance = batch_progress(epoch, steps_per_epoch) if batch_progress else None
        loss_sum, correct, seen = 0.0, 0, 0
        e0 = time.perf_counter()
        for idx in batches:
            for group in opt.param_groups:
                group["lr"] = lr_at(step, total, warmup, spec.lr)
            inputs = [x[idx] for x in xs]
            if widths is not None:  # cut the byte array to the batch's longest value
                inputs[0] = inputs[0][:, :max(1, int(widths[idx].max()))]
            logits = model(*inputs)
            loss = loss_fn(logits, ys[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            loss_value = loss.item()
            loss_sum += loss_value * len(idx)
            if single:
                correct += int((logits.argmax(1) == ys[idx]).sum())
            seen += len(idx)
            if advance:
                advance(loss_value)
        val_logits = predict_logits(model, val_x)
        val_loss = float(eval_loss(torch.from_numpy(val_logits), val_targets))
        score_name, score = validation_score(kind, val_logits, val_y)
        record: dict[str, Any] = {"epoch": epoch, "train_loss": loss_sum / seen}
        if single:
            record["train_accuracy_running"] = correct / seen
        record.update({"val_loss": val_loss, score_name: score, "lr": lr_at(step - 1, total, warmup, spec.lr),
                       "seconds": time.perf_counter() - e0})
        result.history.append(record)
        if kind in ("multi_label", "binary"):
            score = -val_loss
        improved = score > best_score or (score == best_score and val_loss < best_loss)
        if improved:
            best_score, best_loss, since_best = score, val_loss, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            result.best_epoch = epoch
        else:
            since_best += 1
        if on_epoch:
            on_epoch(epoch, record, model.state_dict())
        if since_best >= spec.patience:
            result.stopped_early = True
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    result.seconds = time.perf_counter() - t0
    return result
