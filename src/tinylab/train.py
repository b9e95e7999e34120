"""One training loop for all tasks: AdamW, linear warm-up then cosine decay, early stopping on the
validation split, a checkpoint per epoch, the best epoch's weights restored at the end.

The loss, the validation score and what early stopping maximizes come from the task's kind
(:mod:`tinylab.kinds`); the loop never asks which kind it has. Seeds and thread counts are set for the
duration of one ``fit`` and restored afterwards: two fits in one process (a tuner's trials) do not disturb
each other or the caller."""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from tinylab.errors import SpecError
from tinylab.kinds import Kind, get_kind
from tinylab.spec import TrainSpec

# on_epoch(epoch, record, state_dict) -> stop? ; writes checkpoints and the train log, or prunes a tuner's trial
# (return True to stop training here, keeping the best epoch so far; or raise, e.g. optuna.TrialPruned)
EpochCallback = Callable[[int, dict[str, Any], dict[str, torch.Tensor]], bool | None]
# batch progress: start(epoch, n_batches) -> advance(loss)
BatchProgress = Callable[[int, int], Callable[[float], None]]


@dataclass
class TrainingState:
    """Everything needed to continue training after an epoch as if it had never stopped: the weights, the
    optimizer's moments, both random number generators, the schedule's step and the early-stopping
    bookkeeping. Written with every checkpoint; ``fit(resume=...)`` continues from it."""

    epoch: int
    step: int
    since_best: int
    best: tuple[float, float] | None
    best_epoch: int
    best_score: float
    history: list[dict[str, Any]]
    seconds: float
    model_state: dict[str, torch.Tensor]
    best_state: dict[str, torch.Tensor] | None
    optimizer_state: dict[str, Any]
    gen_state: torch.Tensor
    rng_state: torch.Tensor


# checkpoint(state) after every epoch: what a resumable run writes
StateCallback = Callable[[TrainingState], None]


@dataclass
class TrainResult:
    history: list[dict[str, Any]] = field(default_factory=list)
    best_epoch: int = 0
    best_score: float = float("nan")
    score_name: str = ""
    stopped_early: bool = False
    stopped_by_callback: bool = False
    seconds: float = 0.0


@contextlib.contextmanager
def seeded(seed: int, threads: int = 0) -> Iterator[None]:
    """Torch's global RNG seeded with ``seed`` and ``threads`` intra-op threads (0: leave as is) inside the
    block; the caller's RNG state and thread count are restored afterwards."""
    before = torch.get_num_threads()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        if threads > 0:
            torch.set_num_threads(threads)
        try:
            yield
        finally:
            torch.set_num_threads(before)


def to_tensors(arrays: tuple[np.ndarray, ...]) -> tuple[torch.Tensor, ...]:
    return tuple(torch.from_numpy(np.ascontiguousarray(a)) for a in arrays)


@torch.inference_mode()
def predict_logits(model: nn.Module, arrays: tuple[np.ndarray, ...], batch_size: int = 4096) -> np.ndarray:
    model.eval()
    tensors = to_tensors(arrays)
    n = len(tensors[0])
    outs = [model(*(t[i:i + batch_size] for t in tensors)).float() for i in range(0, n, batch_size)]
    return torch.cat(outs).numpy() if outs else np.zeros((0, 0), dtype=np.float32)


def lr_at(step: int, total: int, warmup: int, base: float, decay: float = 0.0, steps_per_epoch: int = 1) -> float:
    """The learning rate at ``step``: a linear warm-up, then cosine decay to 0 over the rest of training, or
    with ``decay`` > 0 a factor of ``decay`` per epoch after the warm-up."""
    if step < warmup:
        return base * (step + 1) / warmup
    if decay > 0:
        return base * decay ** ((step - warmup) / steps_per_epoch)
    progress = (step - warmup) / max(1, total - warmup)
    return base * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))


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
    train_y: Any,
    val_x: tuple[np.ndarray, ...],
    val_y: Any,
    spec: TrainSpec,
    labels: list[str] | int,
    on_epoch: EpochCallback | Sequence[EpochCallback] | None = None,
    batch_progress: BatchProgress | None = None,
    kind: str | Kind = "single_label",
    checkpoint: StateCallback | None = None,
    resume: TrainingState | None = None,
) -> TrainResult:
    """Train ``model`` in place; returns the per-epoch history and the best validation score, whose epoch's
    weights the model holds at the end. Deterministic for ``spec.seed`` (and the thread count).

    ``labels``: the label names (or their number); ``train_y``/``val_y``: targets as the kind expects them
    (class indices, (n, L) 0/1 arrays, values). Each ``on_epoch`` callback sees every epoch's record; one
    that returns True stops training there (the best epoch so far is kept), one that raises aborts it.
    ``checkpoint`` receives the full :class:`TrainingState` after every epoch; ``resume`` continues from one
    (the same epochs, batches, dropout masks and updates as an uninterrupted run)."""
    kind = get_kind(kind)
    names = [str(i) for i in range(labels)] if isinstance(labels, int) else list(labels)
    callbacks = [] if on_epoch is None else [on_epoch] if callable(on_epoch) else list(on_epoch)
    with seeded(spec.seed, spec.threads):
        return _fit(model, train_x, train_y, val_x, val_y, spec, names, callbacks, batch_progress, kind, checkpoint,
                    resume)


def _fit(model: nn.Module, train_x: tuple[np.ndarray, ...], train_y: Any, val_x: tuple[np.ndarray, ...], val_y: Any,
         spec: TrainSpec, labels: list[str], callbacks: list[EpochCallback], batch_progress: BatchProgress | None,
         kind: Kind, checkpoint: StateCallback | None = None, resume: TrainingState | None = None) -> TrainResult:
    gen = torch.Generator().manual_seed(spec.seed)
    xs = to_tensors(train_x)
    ys = torch.from_numpy(kind.target_array(train_y))
    val_targets = torch.from_numpy(kind.target_array(val_y))
    n = len(ys)
    steps_per_epoch = math.ceil(n / spec.batch_size)
    total = steps_per_epoch * spec.epochs
    warmup = max(1, int(spec.warmup_frac * total))
    # a model may ask for parameter groups, each at its own share (lr_scale) of the scheduled learning rate
    groups = model.param_groups() if hasattr(model, "param_groups") else [{"params": list(model.parameters())}]
    opt = torch.optim.AdamW(groups, lr=spec.lr, weight_decay=spec.weight_decay)
    loss_fn, eval_loss = kind.losses(spec, train_y, labels)
    result = TrainResult(score_name=kind.validation_metric)
    best: tuple[float, float] | None = None
    best_state, since_best = None, 0
    t0 = time.perf_counter()
    step = 0
    widths = _byte_widths(model, xs) if spec.length_bands else None
    first = 1
    if resume is not None:
        model.load_state_dict(resume.model_state)
        opt.load_state_dict(resume.optimizer_state)
        gen.set_state(resume.gen_state)
        torch.set_rng_state(resume.rng_state)
        step, since_best, best = resume.step, resume.since_best, resume.best
        best_state = resume.best_state
        result.best_epoch, result.best_score = resume.best_epoch, resume.best_score
        result.history = list(resume.history)
        t0 -= resume.seconds
        first = resume.epoch + 1
        if since_best >= spec.patience:  # it had already stopped early: nothing left to train
            result.stopped_early, first = True, spec.epochs + 1
    for epoch in range(first, spec.epochs + 1):
        model.train()
        batches = _epoch_batches(n, spec.batch_size, gen, widths, spec.length_bands)
        advance = batch_progress(epoch, steps_per_epoch) if batch_progress else None
        loss_sum, seen = 0.0, 0
        e0 = time.perf_counter()
        for idx in batches:
            for group in opt.param_groups:
                group["lr"] = lr_at(step, total, warmup, spec.lr, spec.lr_decay, steps_per_epoch) * group.get(
                    "lr_scale", 1.0)
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
            seen += len(idx)
            if advance:
                advance(loss_value)
        val_logits = predict_logits(model, val_x)
        val_loss = float(eval_loss(torch.from_numpy(val_logits), val_targets))
        score = kind.validation_score(val_logits, val_y)
        record: dict[str, Any] = {"epoch": epoch, "train_loss": loss_sum / seen, "val_loss": val_loss,
                                  kind.validation_metric: score,
                                  "lr": lr_at(step - 1, total, warmup, spec.lr, spec.lr_decay, steps_per_epoch),
                                  "seconds": time.perf_counter() - e0}
        result.history.append(record)
        chosen = kind.selection(score, val_loss)
        if best is None or chosen > best:
            best, since_best = chosen, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            result.best_epoch, result.best_score = epoch, score
        else:
            since_best += 1
        stop = False
        for callback in callbacks:
            stop = bool(callback(epoch, record, model.state_dict())) or stop
        if checkpoint is not None:
            checkpoint(TrainingState(
                epoch, step, since_best, best, result.best_epoch, result.best_score, list(result.history),
                time.perf_counter() - t0, model.state_dict(), best_state, opt.state_dict(), gen.get_state(),
                torch.get_rng_state()))
        if stop:
            result.stopped_by_callback = True
            break
        if since_best >= spec.patience:
            result.stopped_early = True
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    result.seconds = time.perf_counter() - t0
    return result
