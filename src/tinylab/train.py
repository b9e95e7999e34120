"""One training loop for all tasks: AdamW, linear warm-up then cosine decay, early stopping on the
validation split, a checkpoint per epoch, the best epoch's weights restored at the end."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from tinylab.spec import TrainSpec

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


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def lr_at(step: int, total: int, warmup: int, base: float) -> float:
    if step < warmup:
        return base * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return base * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))


def class_weights(y: np.ndarray, n_classes: int) -> torch.Tensor:
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    w = np.where(counts > 0, counts.sum() / (n_classes * np.maximum(counts, 1)), 0.0)
    return torch.tensor(w, dtype=torch.float32)


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
) -> TrainResult:
    """Train a single-label classifier in place; returns the per-epoch history. Deterministic for ``spec.seed``."""
    set_threads(spec.threads)
    torch.manual_seed(spec.seed)
    gen = torch.Generator().manual_seed(spec.seed)
    xs = to_tensors(train_x)
    ys = torch.from_numpy(train_y.astype(np.int64))
    n = len(ys)
    steps_per_epoch = math.ceil(n / spec.batch_size)
    total = steps_per_epoch * spec.epochs
    warmup = max(1, int(spec.warmup_frac * total))
    opt = torch.optim.AdamW(model.parameters(), lr=spec.lr, weight_decay=spec.weight_decay)
    weight = class_weights(train_y, n_classes) if spec.class_weights else None
    loss_fn = nn.CrossEntropyLoss(weight=weight, label_smoothing=spec.label_smoothing)
    eval_loss = nn.CrossEntropyLoss()
    result = TrainResult()
    best_score, best_loss, best_state, since_best = -1.0, float("inf"), None, 0
    t0 = time.perf_counter()
    step = 0
    for epoch in range(1, spec.epochs + 1):
        model.train()
        perm = torch.randperm(n, generator=gen)
        advance = batch_progress(epoch, steps_per_epoch) if batch_progress else None
        loss_sum, correct, seen = 0.0, 0, 0
        e0 = time.perf_counter()
        for b in range(steps_per_epoch):
            idx = perm[b * spec.batch_size:(b + 1) * spec.batch_size]
            for group in opt.param_groups:
                group["lr"] = lr_at(step, total, warmup, spec.lr)
            logits = model(*(x[idx] for x in xs))
            loss = loss_fn(logits, ys[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            loss_value = loss.item()
            loss_sum += loss_value * len(idx)
            correct += int((logits.argmax(1) == ys[idx]).sum())
            seen += len(idx)
            if advance:
                advance(loss_value)
        val_logits = predict_logits(model, val_x)
        val_loss = float(eval_loss(torch.from_numpy(val_logits), torch.from_numpy(val_y.astype(np.int64))))
        val_acc = float((val_logits.argmax(1) == val_y).mean())
        record = {"epoch": epoch, "train_loss": loss_sum / seen, "train_accuracy_running": correct / seen,
                  "val_loss": val_loss, "val_accuracy": val_acc, "lr": lr_at(step - 1, total, warmup, spec.lr),
                  "seconds": time.perf_counter() - e0}
        result.history.append(record)
        improved = val_acc > best_score or (val_acc == best_score and val_loss < best_loss)
        if improved:
            best_score, best_loss, since_best = val_acc, val_loss, 0
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
