"""The clause-labels model as served: one ONNX model holding the frozen encoder (token ids in), the trained
head and the n-gram branch, float and int8, against the path it was trained on (sentence-transformers'
embedding, then the head in torch): macro-F1 on the validation and test splits, the share of decisions (item
x label, at the tuned thresholds) that change, the int8 agreement rule (every label's decision at 0.5 against
the float model, validation), what the files weigh, and the cold `tinylab predict` of one sentence (median of
5 fresh processes) with torch and transformers unimportable.

    python bench/clause_labels_serving.py [RUN]    (default: the shipped clause-labels model; needs the text extra)"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

NO_TORCH = """
import sys
from importlib.abc import MetaPathFinder

class NotInstalled(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("torch", "transformers", "sentence_transformers"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
from tinylab.cli import main
main(sys.argv[1:])
"""


def cold(args: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-c", NO_TORCH, *args], capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        assert r.returncode == 0, r.stderr
    return statistics.median(times)


def main() -> None:
    from tinylab.export import export_checked, quantize_int8_dynamic
    from tinylab.lifecycle import evaluate, load_split
    from tinylab.onnx_runtime import OnnxModel
    from tinylab.predict import Predictor, resolve_run

    run = resolve_run(sys.argv[1] if len(sys.argv) > 1 else "clause-labels")
    trained = Predictor.from_run(run, runtime="torch")  # sentence-transformers' embedding + the head in torch
    task, spec, model = trained.task, trained.spec, trained.model
    splits = {name: load_split(task, spec, name) for name in ("val", "test")}
    meta = {**trained.meta, "onnx_inputs": "serving_encode"}
    predictors = {"sentence-transformers + torch head": trained}
    with tempfile.TemporaryDirectory() as tmp:
        val = splits["val"].inputs
        served = (task.serving_model(spec, model), task.serving_encode(spec, val))
        onnx, note = export_checked(model, task.encode(spec, val), Path(tmp) / "float.onnx", serving=served)
        assert onnx is not None, note
        int8_path = quantize_int8_dynamic(Path(tmp) / "float.onnx", Path(tmp) / "int8.onnx")
        sizes = {"float": (Path(tmp) / "float.onnx").stat().st_size, "int8": int8_path.stat().st_size}
        predictors["ONNX float (encoder inside)"] = Predictor(task, spec, trained.labels, model, meta, run, onnx)
        predictors["ONNX int8 (encoder inside)"] = Predictor(task, spec, trained.labels, model, meta, run,
                                                             OnnxModel(int8_path))
        rows: dict[str, dict[str, tuple[float, np.ndarray]]] = {}
        for name, p in predictors.items():
            rows[name] = {}
            for split, data in splits.items():
                metrics, _, proba = evaluate(task, spec, p, data)
                rows[name][split] = (metrics["macro_f1"], proba)
        logits_float = predictors["ONNX float (encoder inside)"].onnx(*served[1])  # type: ignore[misc]
        logits_int8 = OnnxModel(int8_path)(*served[1])
    print(f"run: {run}\nfloat export: {note}")
    th = trained.thresholds()
    base = rows["sentence-transformers + torch head"]
    print("| model | val macro-F1 | test macro-F1 | decisions changed vs trained path (val / test) "
          "| max abs probability difference (val / test) |\n|---|---|---|---|---|")
    for name, r in rows.items():
        changed = [float(np.mean((r[s][1] >= th) != (base[s][1] >= th))) for s in ("val", "test")]
        diff = [float(np.abs(r[s][1] - base[s][1]).max()) for s in ("val", "test")]
        print(f"| {name} | {r['val'][0]:.4f} | {r['test'][0]:.4f} | {changed[0]:.4f} / {changed[1]:.4f} "
              f"| {diff[0]:.2e} / {diff[1]:.2e} |")
    rule = float(np.mean(((logits_float >= 0) == (logits_int8 >= 0)).all(axis=1)))
    print(f"int8 rule (every label's decision at 0.5 equal to the float model's, {len(val)} validation items): "
          f"{rule:.4f}")
    print(f"model.onnx: float {sizes['float'] / 1e6:.1f} MB, int8 {sizes['int8'] / 1e6:.1f} MB")
    files = {f.name: f.stat().st_size for f in sorted(run.rglob("*")) if f.is_file()}
    print(f"this run: model.onnx {files['model.onnx'] / 1e6:.1f} MB, whole run {sum(files.values()) / 1e6:.1f} MB")
    sentence = "We will only collect your e-mail address with your express permission."
    if trained.meta.get("onnx_inputs") == "serving_encode":
        print(f"cold `tinylab predict {run.name} SENTENCE`, torch and transformers unimportable: "
              f"{cold(['predict', str(run), sentence]):.2f} s")


if __name__ == "__main__":
    main()
