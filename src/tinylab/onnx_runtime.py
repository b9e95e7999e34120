"""Serve an exported model with onnxruntime: numpy in, logits out, no torch import (the CLI's fast path)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from tinylab.errors import TinylabError

_ONNX_DTYPES = {"tensor(uint8)": np.uint8, "tensor(float)": np.float32, "tensor(int64)": np.int64,
                "tensor(int32)": np.int32, "tensor(double)": np.float64, "tensor(bool)": np.bool_}


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
        self.output_names = [o.name for o in self.session.get_outputs()]

    def run(self, *arrays: np.ndarray) -> list[np.ndarray]:
        """Every output of the model, in the model's order, for the input arrays (in the model's order)."""
        feeds = {}
        for (name, onnx_type), a in zip(self.input_types, arrays, strict=True):
            dtype = _ONNX_DTYPES.get(onnx_type)
            feeds[name] = np.ascontiguousarray(a, dtype=dtype) if dtype is not None else a
        return list(self.session.run(self.output_names, feeds))

    def __call__(self, *arrays: np.ndarray) -> np.ndarray:
        """The model's first output (a tinylab export names it ``logits``) as float32."""
        return np.asarray(self.run(*arrays)[0], dtype=np.float32)
