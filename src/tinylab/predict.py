"""Load a run and predict batches. The single-item call is a batch of one."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from tinylab.errors import TinylabError
from tinylab.onnx_runtime import OnnxModel
from tinylab.runs import require_verified
from tinylab.scores import outputs_to_scores
from tinylab.spec import BaseSpec, load_toml
from tinylab.tasks import get_task, task_names
from tinylab.tasks.base import Task

if TYPE_CHECKING:
    import torch


def pretrained_dir(name: str) -> Path:
    """Where the shipped model ``name`` lives (a task's default model is named after the task)."""
    return Path(str(files("tinylab").joinpath("pretrained", name)))


def shipped_models() -> list[str]:
    """Names of the shipped models: each task's default, and variants such as ``semantic-types-extended``."""
    root = Path(str(files("tinylab").joinpath("pretrained")))
    return sorted(d.name for d in root.iterdir() if (d / "manifest.json").is_file()) if root.is_dir() else []


def resolve_run(run_or_task: str) -> Path:
    """A run directory given as a path, a registered task's shipped default model, or a shipped model's name."""
    p = Path(run_or_task)
    if p.is_dir():
        return p
    if run_or_task in shipped_models():
        return pretrained_dir(run_or_task)
    if run_or_task in task_names():
        raise TinylabError(f"task {run_or_task!r} has no shipped default model in {pretrained_dir(run_or_task)}; "
                           f"train one with `tinylab train {run_or_task}` and pass its run directory")
    raise TinylabError(f"{run_or_task!r} is neither a run directory, a registered task "
                       f"({', '.join(task_names())}) nor a shipped model ({', '.join(shipped_models())})")


Runtime = Literal["auto", "onnx", "torch"]


class Predictor:
    """A trained model with everything needed to predict: task, resolved spec, labels, weights.

    Inference runs on onnxruntime when the run has a ``model.onnx`` (written by training, covered by the
    manifest) and on torch otherwise; ``runtime="torch"`` forces torch."""

    chunk = 256  # values per forward pass: a chunk's activations stay in cache (1,024 per call: ~1.5x slower)

    def __init__(self, task: Task, spec: BaseSpec, labels: list[str], model: torch.nn.Module | None,
                 meta: dict[str, object], run_dir: Path | None = None, onnx: OnnxModel | None = None,
                 workers: int = 1, load_model: Callable[[], torch.nn.Module] | None = None) -> None:
        """``model`` is the torch model, or None with ``load_model`` to build it on first use (a predictor
        served by onnxruntime never needs it, and then never imports torch)."""
        if model is None and load_model is None:
            raise ValueError("a Predictor needs a model or a load_model function")
        self.task, self.spec, self.labels = task, spec, labels
        self._model, self._load_model, self._model_lock = model, load_model, threading.Lock()
        self.meta, self.run_dir, self.onnx = meta, run_dir, onnx
        self.workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0
        self._pool_lock = threading.Lock()
        if model is not None:
            model.eval()

    @property
    def model(self) -> torch.nn.Module:
        """The torch model (built and loaded from the run's weights on first use when served by onnxruntime)."""
        with self._model_lock:
            if self._model is None:
                assert self._load_model is not None
                self._model = self._load_model()
                self._model.eval()
            return self._model

    @property
    def runtime(self) -> str:
        return "onnxruntime" if self.onnx is not None else "torch"

    @classmethod
    def from_run(cls, run_or_task: str | Path, runtime: Runtime = "auto") -> Predictor:
        """Load a verified run. With onnxruntime and a task whose encoding is pure (``concurrent_encode``),
        chunks of a batch run on one thread per core, each with a single-threaded session: while one
        thread is inside onnxruntime (which releases the GIL), another encodes or applies rules."""
        run_dir = resolve_run(str(run_or_task))
        require_verified(run_dir)
        meta = json.loads((run_dir / "meta.json").read_text(encoding="utf-8"))
        task = get_task(meta["task"])
        spec = load_toml(task.spec_class, run_dir / "spec.toml")
        labels = list(meta["labels"])

        def load_model() -> torch.nn.Module:
            from safetensors.torch import load_file

            model = task.build_model(spec, 1 if meta.get("kind", task.kind) == "regression" else len(labels))
            model.load_state_dict(load_file(str(run_dir / "model.safetensors")))
            return model

        onnx_path = run_dir / "model.onnx"
        if runtime == "onnx" and not onnx_path.is_file():
            raise TinylabError(f"{run_dir} has no model.onnx; use the torch runtime or retrain")
        use_onnx = runtime != "torch" and onnx_path.is_file()
        workers = min(4, os.cpu_count() or 1) if use_onnx and getattr(task, "concurrent_encode", False) else 1
        onnx = OnnxModel(onnx_path, threads=1 if workers > 1 else None) if use_onnx else None
        if use_onnx:  # onnxruntime serves: torch is imported only if someone asks for the torch model
            return cls(task, spec, labels, None, meta, run_dir, onnx, workers, load_model=load_model)
        return cls(task, spec, labels, load_model(), meta, run_dir, onnx, workers)

    def logits(self, arrays: tuple[np.ndarray, ...]) -> np.ndarray:
        if self.onnx is not None:
            return self.onnx(*arrays)
        from tinylab.train import predict_logits

        return predict_logits(self.model, arrays, batch_size=len(arrays[0]))

    def predict_proba(self, values: Sequence[str], batch_size: int = 4096) -> np.ndarray:
        """Class probabilities, one row per value, in the input order. Values are cut into chunks of
        similar length (shortest first), so each chunk is encoded only as wide as it needs; each chunk is
        encoded, run and post-processed on its own, on ``workers`` threads."""
        n = len(values)
        if n == 0:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        values = list(values)
        order = np.argsort(np.fromiter(map(len, values), dtype=np.int64, count=n), kind="stable")
        step = min(batch_size, self.chunk, -(-n // self.workers))  # small batches still use every worker
        chunks = [order[start:start + step] for start in range(0, n, step)]
        out = np.empty((n, self.n_outputs), dtype=np.float32)

        def run(idx: np.ndarray) -> None:
            part = [values[i] for i in idx]
            scores = outputs_to_scores(self.kind, self.logits(self.task.encode(self.spec, part)))
            out[idx] = self.task.postprocess(self.spec, part, scores, self.labels)

        if self.workers > 1 and len(chunks) > 1:
            for _ in self._threads().map(run, chunks):  # re-raises a chunk's exception here
                pass
        else:
            for idx in chunks:
                run(idx)
        return out

    def _threads(self) -> ThreadPoolExecutor:
        """The predictor's thread pool, created on first use, and again in a forked child process (whose
        copy of the parent's pool has no threads)."""
        with self._pool_lock:
            if self._pool is None or self._pool_pid != os.getpid():
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="tinylab-predict")
                self._pool_pid = os.getpid()
            return self._pool

    @property
    def kind(self) -> str:
        return str(self.meta.get("kind", self.task.kind))

    @property
    def n_outputs(self) -> int:
        return 1 if self.kind == "regression" else len(self.labels)

    def thresholds(self) -> np.ndarray:
        """Per-label decision thresholds of a multi-label or binary run: the per-label thresholds tuned on
        validation and stored in meta.json (0.5 for a run that has none)."""
        stored = self.meta.get("thresholds")
        if isinstance(stored, dict) and "per_label" in stored:
            per = stored["per_label"]
            return np.array([float(per[lab]) for lab in self.labels] if isinstance(per, dict) else per, dtype=float)
        return np.full(len(self.labels), 0.5)

    def predict(self, values: Sequence[str], top_k: int = 1) -> list[list[tuple[str, float]]]:
        """Per value: single-label -> the ``top_k`` most probable labels with their probabilities;
        multi-label and binary -> every label whose probability reaches its tuned threshold (most probable
        first; ``top_k`` > 1 also lists the runners-up below threshold); regression -> ``(name, value)``."""
        proba = self.predict_proba(values)
        if self.kind == "regression":
            return [[(self.labels[0], float(v))] for v in proba[:, 0]]
        k = max(1, min(top_k, len(self.labels)))
        order = np.argsort(-proba, axis=1)
        if self.kind == "single_label":
            return [[(self.labels[j], float(proba[i, j])) for j in row[:k]] for i, row in enumerate(order)]
        t = self.thresholds()
        out = []
        for i, row in enumerate(order):
            chosen = [j for j in row if proba[i, j] >= t[j]]
            extra = [j for j in row if proba[i, j] < t[j]][: max(0, k - len(chosen))] if k > 1 else []
            out.append([(self.labels[j], float(proba[i, j])) for j in chosen + extra])
        return out

    def known_values(self, values: Sequence[str]) -> np.ndarray | None:
        """For tasks that keep a reference table (word-rarity: the word list), the table's answer per value
        (NaN where the table has none); ``None`` for tasks without one. Never used by evaluation, which
        scores the model alone."""
        lookup = getattr(self.task, "known_values", None)
        return None if lookup is None else np.asarray(lookup(self.spec, list(values)), dtype=np.float64)

    def decide(self, values: Sequence[str]) -> np.ndarray:
        """Multi-label / binary decisions: an (n, L) boolean array at the stored per-label thresholds."""
        return self.predict_proba(values) >= self.thresholds()
