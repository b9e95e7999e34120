"""The unfair-clauses model as served: int8 against float parity on the test split (every metric of the
report, both ONNX files run by onnxruntime on the same token ids), what the shipped files weigh, and the cold
`tinylab predict` of one sentence and of a whole document (median of 5, fresh processes, torch never imported).

    python bench/clause_serving.py [RUN]    (default: the shipped unfair-clauses model; needs the text extra)"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def cold(args: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "tinylab", *args], capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        assert r.returncode == 0, r.stderr
    return statistics.median(times)


def main() -> None:
    from tinylab.export import export_checked
    from tinylab.lifecycle import evaluate, load_split
    from tinylab.onnx_runtime import OnnxModel
    from tinylab.predict import Predictor, resolve_run

    run = resolve_run(sys.argv[1] if len(sys.argv) > 1 else "unfair-clauses")
    int8 = Predictor.from_run(run)
    task, spec = int8.task, int8.spec
    test = load_split(task, spec, "test")
    val = load_split(task, spec, "val")
    with tempfile.TemporaryDirectory() as tmp:
        torch_model = Predictor.from_run(run, runtime="torch").model
        onnx, note = export_checked(torch_model, task.encode(spec, val.inputs[:256]), Path(tmp) / "float.onnx")
        assert onnx is not None, note
        float_size = (Path(tmp) / "float.onnx").stat().st_size
        fp = Predictor(task, spec, int8.labels, torch_model, int8.meta, run, OnnxModel(Path(tmp) / "float.onnx"))
        rows = {}
        for name, p in (("int8", int8), ("float", fp)):
            metrics, _, proba = evaluate(task, spec, p, test)
            rows[name] = (metrics, proba)
    keys = ("f1", "precision", "recall", "pr_auc", "category_macro_f1", "macro_f1")
    print(f"run: {run}\n{int8.meta['onnx']}")
    print("| metric (test, 10 ToS) | int8 (served) | float |\n|---|---|---|")
    for k in keys:
        print(f"| {k} | {rows['int8'][0][k]:.4f} | {rows['float'][0][k]:.4f} |")
    a, b = rows["int8"][1], rows["float"][1]
    th = int8.thresholds()
    print(f"max |probability difference| {np.abs(a - b).max():.4f}; sentences with every decision equal at the "
          f"tuned thresholds: {((a >= th) == (b >= th)).all(axis=1).mean():.4f}")
    sizes = {f.name: f.stat().st_size for f in sorted(run.rglob("*")) if f.is_file()}
    print(f"files: model.onnx {sizes['model.onnx'] / 1e6:.1f} MB (float export {float_size / 1e6:.1f} MB), "
          f"model.safetensors {sizes['model.safetensors'] / 1e6:.1f} MB, whole run {sum(sizes.values()) / 1e6:.1f} MB")
    sentence = "We may terminate your account at any time without notice."
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "terms.txt"
        doc.write_text("\n\n".join(test.inputs[:200]), encoding="utf-8")
        print(f"cold `tinylab predict {run.name} SENTENCE`: {cold(['predict', str(run), sentence]):.2f} s; "
              f"a 200-sentence document with --file: {cold(['predict', str(run), '--file', str(doc)]):.2f} s")


if __name__ == "__main__":
    main()
