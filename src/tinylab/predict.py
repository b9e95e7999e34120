"""Load a run and predict batches of items of any type the task takes. The single-item call is a batch of one."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from tinylab.errors import TinylabError
from tinylab.items import sizes_of
from tinylab.kinds import Kind
from tinylab.onnx_runtime import OnnxModel
from tinylab.runs import require_verified
from tinylab.spec import BaseSpec, load_toml
from tinylab.tasks import get_task, task_names
from tinylab.tasks.base import Task, task_kind

if TYPE_CHECKING:
    import torch


def pretrained_dir(name: str) -> Path:
    """Where the shipped model ``name`` lives (a task's default model is named after the task)."""
    return Path(str(files("tinylab").joinpath("pretrained", name)))


def shipped_models(task: str | None = None) -> list[str]:
    """Names of the shipped models (each task's default, and variants such as ``semantic-types-extended``);
    with ``task``, only that task's."""
    root = Path(str(files("tinylab").joinpath("pretrained")))
    names = sorted(d.name for d in root.iterdir() if (d / "manifest.json").is_file()) if root.is_dir() else []
    if task is None:
        return names
    return [n for n in names if json.loads((root / n / "meta.json").read_text(encoding="utf-8")).get("task") == task]


def resolve_run(run_or_task: str) -> Path:
    """A run directory given as a path, a registered task's shipped default model, or a shipped model's name.
    A shipped model's bare name means the shipped model even when a folder of that name is in the current
    directory (write ``./name`` for the folder)."""
    p = Path(run_or_task)
    bare = "/" not in run_or_task and "\\" not in run_or_task
    if bare and run_or_task in shipped_models():
        return pretrained_dir(run_or_task)
    if p.is_dir():
        return p
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
        self.kind: Kind = task_kind(task, spec)
        if meta.get("kind", self.kind.name) != self.kind.name:
            raise TinylabError(f"run {run_dir} was trained as a {meta['kind']} model, but task {task.name!r} is now "
                               f"{self.kind.name}")
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
    def encode(self) -> Callable[[BaseSpec, Sequence[Any]], tuple[np.ndarray, ...]]:
        """How items become the model's inputs: the task's ``serving_encode`` for an ONNX model exported with
        it (meta.json: ``"onnx_inputs": "serving_encode"``), its ``encode`` otherwise."""
        if self.onnx is not None and self.meta.get("onnx_inputs") == "serving_encode":
            return self.task.serving_encode  # type: ignore[attr-defined,no-any-return]
        return self.task.encode

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

            model = task.build_model(spec, task_kind(task, spec).n_outputs(labels))
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

    def predict_proba(self, values: Sequence[Any], batch_size: int = 4096) -> np.ndarray:
        """Scores (class probabilities, label probabilities, values), one row per item, in the input order.
        Items are cut into chunks of similar size (the task's ``item_size``, smallest first), so each chunk
        is encoded only as wide as it needs; each chunk is encoded, run and post-processed on its own, on
        ``workers`` threads."""
        if isinstance(values, str | bytes):
            raise TypeError("Predictor methods take a batch of items (a list); for one value: predict([value])")
        n = len(values)
        if n == 0:
            return np.zeros((0, self.n_outputs), dtype=self.kind.score_dtype)
        values = list(values)
        decode = getattr(self.task, "decode", None)
        if decode is not None:  # the model is asked many times per item (a search it guides): the task decodes
            out = np.empty((n, 1), dtype=object)
            out[:, 0] = decode(self.spec, values, self.logits)
            return out
        order = np.argsort(sizes_of(self.task, values), kind="stable")
        step = min(batch_size, self.chunk, -(-n // self.workers))  # small batches still use every worker
        chunks = [order[start:start + step] for start in range(0, n, step)]
        out = np.empty((n, self.n_outputs), dtype=self.kind.score_dtype)

        def run(idx: np.ndarray) -> None:
            part = [values[i] for i in idx]
            scores = self.kind.scores(self.logits(self.encode(self.spec, part)))
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
    def n_outputs(self) -> int:
        return self.kind.n_outputs(self.labels)

    def thresholds(self) -> np.ndarray:
        """Per-label decision thresholds (tuned on validation, stored in meta.json) of a run whose kind has
        them; 0.5 each for a kind without."""
        t = self.kind.thresholds(self.meta, self.labels)
        return np.full(len(self.labels), 0.5) if t is None else t

    def predict(self, values: Sequence[Any], top_k: int = 1) -> list[list[tuple[str, float]]]:
        """Per item, (label, score) pairs as the kind ranks them: single-label -> the ``top_k`` most probable
        labels; multi-label and binary -> every label whose probability reaches its tuned threshold (``top_k``
        > 1 also lists the runners-up below threshold); regression -> ``(name, value)``."""
        return self.kind.ranked(self.predict_proba(values), self.labels, self.meta, top_k)

    def predict_json(self, values: Sequence[Any], top_k: int = 1, reference: bool = True) -> list[dict[str, Any]]:
        """One JSON-ready object per item (what ``tinylab predict --json`` prints, without the item itself).
        With ``reference``, a task's reference table answers where it knows the item (word-rarity's word
        list); the model's own answer is shown beside it."""
        known = self.known_values(values) if reference else None
        return self.kind.predictions(self.predict_proba(values), self.labels, self.meta, top_k, known, items=values)

    def known_values(self, values: Sequence[Any]) -> np.ndarray | None:
        """For tasks that keep a reference table (word-rarity: the word list), the table's answer per value
        (NaN where the table has none); ``None`` for tasks without one. Never used by evaluation, which
        scores the model alone."""
        lookup = getattr(self.task, "known_values", None)
        return None if lookup is None else np.asarray(lookup(self.spec, list(values)), dtype=np.float64)

    def decide(self, values: Sequence[Any]) -> np.ndarray:
        """Multi-label / binary decisions: an (n, L) boolean array at the stored per-label thresholds."""
        return self.predict_proba(values) >= self.thresholds()
