"""Resumable checkpoints: a training's full state after an epoch, on disk without pickles.

Per epoch ``N`` a run being written holds, under ``checkpoints/``:

- ``epoch-N.safetensors``: the model's weights;
- ``epoch-N.state.safetensors``: the optimizer's tensors, the best epoch's weights, both random states;
- ``epoch-N.state.json``: the rest (schedule step, early-stopping bookkeeping, history, optimizer settings)
  and the sha256 of both tensor files. It is written last, under a temporary name renamed into place, so a
  checkpoint is complete exactly when this file exists and both hashes match: a process killed while
  writing leaves an incomplete checkpoint that resuming skips.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from tinylab.errors import TinylabError
from tinylab.runs import sha256_file

STATE_JSON = re.compile(r"epoch-(\d{3,})\.state\.json$")


def write_safetensors(tensors: dict[str, Any], path: Path, metadata: dict[str, str] | None = None) -> None:
    """Write torch tensors as safetensors through Python's file I/O, so that a full disk or a read-only folder
    is an OSError naming ``path`` (safetensors' own writer raises its own error without the file), and a
    file cut short is removed."""
    from safetensors.torch import save

    data = save({k: v.detach().contiguous() for k, v in tensors.items()}, metadata=metadata)
    try:
        with open(path, "wb") as f:
            f.write(data)
    except OSError as e:
        Path(path).unlink(missing_ok=True)
        raise OSError(e.errno, e.strerror, str(path)) from None


def _atomic_save(tensors: dict[str, Any], path: Path) -> None:
    tmp = path.with_name(path.name + ".partial")
    write_safetensors(tensors, tmp)
    os.replace(tmp, path)
    path.chmod(0o644)


def save_state(directory: Path, state: Any) -> Path:
    """Write ``state`` (a :class:`tinylab.train.TrainingState`) as epoch ``state.epoch``'s checkpoint."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"epoch-{state.epoch:03d}"
    weights, extra = directory / f"{stem}.safetensors", directory / f"{stem}.state.safetensors"
    if not weights.is_file():
        _atomic_save(state.model_state, weights)
    opt = state.optimizer_state
    tensors: dict[str, Any] = {"rng/torch": state.rng_state, "rng/gen": state.gen_state}
    scalars: dict[str, dict[str, Any]] = {}
    for pid, entry in opt["state"].items():
        for key, value in entry.items():
            if hasattr(value, "dim"):
                tensors[f"opt/{pid}/{key}"] = value
            else:
                scalars.setdefault(str(pid), {})[key] = value
    if state.best_state is not None:
        tensors.update({f"best/{k}": v for k, v in state.best_state.items()})
    _atomic_save(tensors, extra)
    meta = {"epoch": state.epoch, "step": state.step, "since_best": state.since_best,
            "best": list(state.best) if state.best is not None else None, "best_epoch": state.best_epoch,
            "best_score": state.best_score, "history": state.history, "seconds": state.seconds,
            "param_groups": opt["param_groups"], "optimizer_scalars": scalars,
            "sha256": {weights.name: sha256_file(weights), extra.name: sha256_file(extra)}}
    marker = directory / f"{stem}.state.json"
    tmp = marker.with_name(marker.name + ".partial")
    try:
        tmp.write_text(json.dumps(meta, default=float), encoding="utf-8")
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, marker)
    marker.chmod(0o644)
    return marker


def complete_epochs(directory: Path) -> list[int]:
    """The epochs with a complete checkpoint (marker present, both tensor files matching their hashes),
    newest first."""
    out = []
    for marker in directory.glob("epoch-*.state.json"):
        m = STATE_JSON.match(marker.name)
        if m is None:
            continue
        try:
            meta = json.loads(marker.read_text(encoding="utf-8"))
            ok = all((directory / name).is_file() and sha256_file(directory / name) == digest
                     for name, digest in meta["sha256"].items())
        except (OSError, ValueError, KeyError, TypeError):
            ok = False
        if ok:
            out.append(int(m.group(1)))
    return sorted(out, reverse=True)


def load_state(directory: Path, epoch: int) -> Any:
    """The :class:`tinylab.train.TrainingState` of a complete checkpoint."""
    from safetensors.torch import load_file

    from tinylab.train import TrainingState

    stem = f"epoch-{epoch:03d}"
    meta = json.loads((directory / f"{stem}.state.json").read_text(encoding="utf-8"))
    weights = load_file(str(directory / f"{stem}.safetensors"))
    extra = load_file(str(directory / f"{stem}.state.safetensors"))
    state: dict[Any, dict[str, Any]] = {}
    for key, value in extra.items():
        if key.startswith("opt/"):
            _, pid, name = key.split("/", 2)
            state.setdefault(int(pid), {})[name] = value
    for pid, entry in meta["optimizer_scalars"].items():
        state.setdefault(int(pid), {}).update(entry)
    best_state = {k.removeprefix("best/"): v for k, v in extra.items() if k.startswith("best/")} or None
    return TrainingState(
        epoch=meta["epoch"], step=meta["step"], since_best=meta["since_best"],
        best=tuple(meta["best"]) if meta["best"] is not None else None,  # type: ignore[arg-type]
        best_epoch=meta["best_epoch"], best_score=meta["best_score"], history=meta["history"],
        seconds=meta["seconds"], model_state=weights, best_state=best_state,
        optimizer_state={"state": state, "param_groups": meta["param_groups"]},
        gen_state=extra["rng/gen"], rng_state=extra["rng/torch"])


def latest_state(directory: Path) -> Any:
    """The newest complete checkpoint's state, or a :class:`TinylabError` saying there is none."""
    epochs = complete_epochs(directory)
    if not epochs:
        raise TinylabError(f"{directory.parent}: no complete checkpoint to resume from (training stopped before "
                           "its first epoch ended, or its checkpoints were removed)")
    return load_state(directory, epochs[0])
