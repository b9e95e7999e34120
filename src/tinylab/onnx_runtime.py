"""Serve an exported model with onnxruntime: numpy in, logits out, no torch import (the CLI's fast path)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from tinylab.errors import TinylabError

_ONNX_DTYPES = {"tensor(uint8)": np.uint8, "tensor(float)": np.float32, "tensor(int64)": np.int64}


class OnnxModel:
    """An ONNX model file served by onnxruntime on the CPU."""

    def __init__(self, path: Path, threads: int | None = None) -> None:
        try:
            import onnxruntime as ort
        except ImportError as e:  # pragma: no cover - onnxruntime is a dependency
            raise TinylabError("onnxruntime is not installed; `pip install onnxruntime`") from e
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.path = path
        self.session = ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])
        self.input_types = [(i.name, i.type) for i in self.session.get_inputs()]

    def __call__(self, *arrays: np.ndarray) -> np.ndarray:
        feeds = {}
        for (name, kind), a in zip(self.input_types, arrays, strict=True):
            dtype = _ONNX_DTYPES.get(kind)
            feeds[name] = np.ascontiguousarray(a, dtype=dtype) if dtype is not None else a
        return np.asarray(self.session.run(["logits"], feeds)[0], dtype=np.float32)
