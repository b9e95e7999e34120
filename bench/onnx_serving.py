"""What each serving choice is worth, onnxruntime alone (no encoding, rules or softmax in the timing).

    python bench/onnx_serving.py [--model semantic-types] [--int8 semantic-types-int8]

For one shipped char-CNN, runs the same 4,096 mixed generated values (sorted by length, as prediction
sorts them) through three ONNX files of the same weights: the training form (each convolution as shifted
copies + one matrix product, exported here to a temporary file), the shipped serving form (1 x k conv2d)
and the shipped int8 model; each in chunks of 256 and 1,024 values, with one session call at a time on 2
onnxruntime threads, and with two single-threaded calls at a time (what ``Predictor`` does). Prints
values/s, the median of 3 rounds of 2 s.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from timing import median_rate

from tinylab.export import OnnxModel, export_onnx
from tinylab.predict import Predictor, resolve_run
from tinylab.tasks.semantic_types.generators import generate


def rate(model: OnnxModel, chunks: list[tuple[np.ndarray, ...]], pool: ThreadPoolExecutor | None) -> float:
    """Values/s of one pass over ``chunks`` after another (median of 3 rounds of 2 s)."""
    n = sum(len(c[0]) for c in chunks)

    def one_pass() -> int:
        if pool is None:
            for c in chunks:
                model(*c)
        else:
            list(pool.map(lambda c: model(*c), chunks))
        return n

    one_pass()  # warm-up
    return median_rate(one_pass, budget_s=2.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="semantic-types")
    ap.add_argument("--int8", default="semantic-types-int8")
    args = ap.parse_args()
    p = Predictor.from_run(args.model, runtime="torch")
    values = [v for lab in p.labels for v in generate(lab, 30, seed=2024)]
    random.Random(0).shuffle(values)
    values = sorted(values[:4096], key=len)
    with tempfile.TemporaryDirectory() as tmp:
        training_form = Path(tmp) / "training-form.onnx"
        export_onnx(p.model, p.task.encode(p.spec, values[:256]), training_form, serving=False)
        files = {"training form (Concat + MatMul)": training_form,
                 f"serving form, shipped ({args.model})": resolve_run(args.model) / "model.onnx",
                 f"int8, shipped ({args.int8})": resolve_run(args.int8) / "model.onnx"}
        print(f"{len(values):,} values; values/s of onnxruntime alone, median of 3 rounds")
        print("| ONNX model | chunk | 1 call x 2 threads | 2 calls x 1 thread |")
        print("|---|---|---|---|")
        with ThreadPoolExecutor(2) as pool:
            for name, path in files.items():
                two_threads, one_thread = OnnxModel(path, threads=2), OnnxModel(path, threads=1)
                for size in (256, 1024):
                    chunks = [p.task.encode(p.spec, values[s:s + size]) for s in range(0, len(values), size)]
                    print(f"| {name} | {size} | {rate(two_threads, chunks, None):,.0f} "
                          f"| {rate(one_thread, chunks, pool):,.0f} |")


if __name__ == "__main__":
    main()
