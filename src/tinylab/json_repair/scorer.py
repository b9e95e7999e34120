"""The learned part of the repair: a tiny network scoring candidate edits from their features, run with
numpy from a json-repair run's ``model.safetensors`` (no torch). Its torch twin, which training fits, is
:class:`tinylab.tasks.json_repair.model.CandidateScorer`; a parity test holds the two together.

    logit = features @ linear + relu(features @ w1.T + b1) @ w2.T + b2
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import numpy as np


def shipped_run() -> Path | None:
    """The shipped json-repair model's directory, if this install has one."""
    path = Path(str(files("tinylab").joinpath("pretrained", "json-repair")))
    return path if (path / "manifest.json").is_file() else None


class MLPScorer:
    def __init__(self, linear: np.ndarray, w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray) -> None:
        self.linear = linear.astype(np.float32).reshape(-1)
        self.w1t = np.ascontiguousarray(w1.astype(np.float32).T)
        self.b1 = b1.astype(np.float32)
        self.w2 = w2.astype(np.float32).reshape(-1)
        self.b2 = float(np.asarray(b2).reshape(-1)[0])

    @classmethod
    def from_run(cls, run_dir: Path) -> MLPScorer:
        """Load a run's weights after checking the run's manifest (a tampered run is refused)."""
        from safetensors.numpy import load_file

        from tinylab.runs import require_verified

        require_verified(run_dir)
        meta = json.loads((run_dir / "meta.json").read_text(encoding="utf-8"))
        if meta.get("task") != "json-repair":
            from tinylab.errors import TinylabError

            raise TinylabError(f"{run_dir} is a {meta.get('task')} run, not a json-repair run")
        w = load_file(str(run_dir / "model.safetensors"))
        return cls(w["linear.weight"], w["hidden.weight"], w["hidden.bias"], w["out.weight"], w["out.bias"])

    def __call__(self, features: np.ndarray) -> np.ndarray:
        x = np.asarray(features, dtype=np.float32)
        h = np.maximum(x @ self.w1t + self.b1, 0.0)
        return x @ self.linear + h @ self.w2 + self.b2
