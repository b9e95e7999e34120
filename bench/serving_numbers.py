"""Serving figures of every shipped model: items/s and per-call p50/p99 latency at batch 1, 64 and 4096
(through tinylab.load, in a fresh process per model), that process's peak memory, the model file's size,
and the cold start of `tinylab predict` and of `tinylab serve`.

    python bench/serving_numbers.py [--models semantic-types word-rarity ...] [--seconds 2]

Inputs are each task's own: generated values, words, broken JSON documents, simulated detector images,
privacy-policy sentences."""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

CHILD = r'''
import json, resource, sys, time
import numpy as np
name, seconds = sys.argv[1], float(sys.argv[2])
t = time.perf_counter()
import tinylab
model = tinylab.load(name)
load_s = time.perf_counter() - t
task = model.task
rng = np.random.default_rng(0)
if task == "track-id":
    from tinylab.lifecycle import load_split, resolve_spec
    from tinylab.tasks import get_task
    tk = get_task(task)
    spec = resolve_spec(tk, None, None)
    pool = list(load_split(tk, spec, "test").inputs)
elif task == "json-repair":
    from tinylab.tasks.json_repair import corpus
    pool = [e.broken for e in corpus.examples(30, seed=7)]
    pool += [e.broken for e in corpus.examples(600, seed=7, stacks=True)]
elif task == "word-rarity":
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    pool = ["".join(rng.choice(letters, size=int(rng.integers(3, 14)))) for _ in range(20_000)]
elif task in ("clause-labels", "unfair-clauses"):
    base = ["We may share your personal data with our partners for marketing purposes.",
            "You can delete your account at any time from the settings page.",
            "We may terminate your account at any time without notice.",
            "Any dispute will be settled by binding arbitration in Delaware."]
    pool = [f"{base[i % 4]} (section {i})" for i in range(20_000)]  # distinct: no cache answers twice
else:
    pool = [f"{int(rng.integers(0, 256))}.{int(rng.integers(0, 256))}.{int(rng.integers(0, 256))}.1" if i % 4 == 0
            else f"user{i}@example.com" if i % 4 == 1 else f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 4 == 2
            else f"${i:,}.99" for i in range(20_000)]
out = {"model": name, "task": task, "load_s": load_s, "runtime": model.runtime, "batches": {}}
cursor = 0
def take(n):
    global cursor
    out = [pool[(cursor + i) % len(pool)] for i in range(n)]
    cursor += n
    return out
for batch in (1, 64, 4096):
    model.predict(take(batch))  # warm-up
    lat = []
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or len(lat) < 3:
        items = take(batch)
        t = time.perf_counter()
        model.predict(items)
        lat.append(time.perf_counter() - t)
        if len(lat) >= 2000:
            break
    lat = np.array(lat)
    out["batches"][batch] = {"items_per_s": batch * len(lat) / lat.sum(),
                             "p50_ms": float(np.percentile(lat, 50) * 1000),
                             "p99_ms": float(np.percentile(lat, 99) * 1000)}
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cold_cli(model: str, value: str) -> float:
    tinylab = Path(sys.executable).with_name("tinylab")
    t = time.perf_counter()
    subprocess.run([str(tinylab), "predict", model, value], capture_output=True, check=True)
    return time.perf_counter() - t


def cold_service(model: str) -> float:
    import httpx

    port = free_port()
    tinylab = Path(sys.executable).with_name("tinylab")
    t = time.perf_counter()
    proc = subprocess.Popen([str(tinylab), "serve", model, "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    return time.perf_counter() - t
            except httpx.HTTPError:
                time.sleep(0.02)
            if proc.poll() is not None or time.perf_counter() - t > 120:
                return float("nan")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    from tinylab.predict import pretrained_dir, shipped_models

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", nargs="+", default=None)
    ap.add_argument("--seconds", type=float, default=2.0, help="seconds per batch size")
    args = ap.parse_args()
    models = args.models or shipped_models()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"# serving figures of the shipped models, commit {commit}, {time.strftime('%Y-%m-%d')}\n")
    print("| model | runtime | items/s at 1 / 64 / 4096 | p50 / p99 ms at 1 | p50 / p99 ms at 64 "
          "| p50 / p99 ms at 4096 | peak MB | model file | load s | cold `predict` s | cold `serve` s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name in models:
        proc = subprocess.run([sys.executable, "-c", CHILD, name, str(args.seconds)], capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"| {name} | failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr else '?'} |")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        b = {int(k): v for k, v in r["batches"].items()}
        d = pretrained_dir(name)
        size = sum(p.stat().st_size for p in d.glob("model.*") if p.suffix in (".onnx", ".safetensors"))
        onnx = d / "model.onnx"
        nbytes = onnx.stat().st_size if onnx.is_file() else size
        file_size = f"{nbytes / 1024**2:.2f} MB" if nbytes >= 1024**2 else f"{nbytes / 1024:.0f} KB"
        value = {"json-repair": "{a: 1,", "word-rarity": "umbrella"}.get(r["task"], "192.168.1.1")
        cli = cold_cli(name, value) if r["task"] != "track-id" else float("nan")
        svc = cold_service(name)
        rates = " / ".join(f"{b[n]['items_per_s']:,.0f}" for n in (1, 64, 4096))
        lats = " | ".join(f"{b[n]['p50_ms']:.2f} / {b[n]['p99_ms']:.2f}" for n in (1, 64, 4096))
        print(f"| {name} | {r['runtime']} | {rates} | {lats} | {r['peak_mb']:.0f} | {file_size} | "
              f"{r['load_s']:.2f} | {cli:.2f} | {svc:.2f} |", flush=True)


if __name__ == "__main__":
    main()
