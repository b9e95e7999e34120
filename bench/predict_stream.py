"""Streaming prediction over a large CSV: wall time, rows/s and the peak memory of the `tinylab predict
--input ... --output ...` process.

    python bench/predict_stream.py [--gb 2.0] [--model semantic-types] [--keep]

It writes a CSV of about ``--gb`` GB to a temporary directory (an id, a value to type, and a wide text
column the prediction does not read, as real exports have), streams it through the CLI into Parquet, and
reads the child's peak resident memory from the kernel (``ru_maxrss``)."""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_csv(path: Path, gigabytes: float, seed: int = 0) -> int:
    rng = random.Random(seed)
    filler = "".join(rng.choice("abcdefghij klmnopqrstuvwxyz") for _ in range(4000))
    target = int(gigabytes * 1024**3)
    rows = 0
    size = 0
    with path.open("w", encoding="utf-8") as f:
        f.write("id,value,notes\n")
        lines = []
        while size < target:
            kind = rows % 4
            value = (f"{rng.randint(1, 255)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}",
                     f"user{rows}@example.com", f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                     f"{rng.random() * 1000:.2f}")[kind]
            start = rng.randrange(0, 2000)
            line = f"{rows},{value},{filler[start:start + 1500 + rng.randrange(0, 500)]}\n"
            lines.append(line)
            size += len(line)
            rows += 1
            if len(lines) >= 10_000:
                f.write("".join(lines))
                lines = []
        f.write("".join(lines))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gb", type=float, default=2.0)
    ap.add_argument("--model", default="semantic-types")
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tinylab-stream-"))
    try:
        src, dst = work / "big.csv", work / "predictions.parquet"
        t = time.perf_counter()
        rows = write_csv(src, args.gb)
        print(f"wrote {src.stat().st_size / 1024**3:.2f} GB, {rows:,} rows in {time.perf_counter() - t:.0f} s")
        tinylab = Path(sys.executable).with_name("tinylab")
        t = time.perf_counter()
        proc = subprocess.run([str(tinylab), "predict", args.model, "--input", str(src), "--column", "value",
                               "--output", str(dst)], capture_output=True, text=True)
        seconds = time.perf_counter() - t
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        print(f"# streaming prediction, commit {commit}, {time.strftime('%Y-%m-%d')}")
        print(f"input {src.stat().st_size / 1024**3:.2f} GB CSV, {rows:,} rows; model {args.model}")
        mb_s = src.stat().st_size / 1024**2 / seconds
        print(f"wall {seconds:.1f} s, {rows / seconds:,.0f} rows/s, {mb_s:.0f} MB/s; peak resident memory of the "
              f"tinylab process {peak_mb:.0f} MB; output {dst.stat().st_size / 1024**2:.1f} MB")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
