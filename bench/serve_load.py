"""Load test of `tinylab serve` on localhost: requests/s, items/s and p50/p99 latency at several
concurrencies, bounded in requests and in time.

    python bench/serve_load.py [--model semantic-types] [--batch 256] [--concurrency 1 8 32] [--requests 400]
                               [--seconds 20] [--workers 1]

It starts the service in a subprocess on a free port, waits for /health, and sends batches of realistic
values (IPs, e-mails, dates, amounts, words, ids) with an asyncio HTTP client. The client runs on the same
2-core machine as the service, so the figures are a floor for the service alone."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def values(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    makers = [
        lambda: ".".join(str(rng.randint(0, 255)) for _ in range(4)),
        lambda: f"user{rng.randint(1, 99999)}@example.{rng.choice(['com', 'org', 'de'])}",
        lambda: f"20{rng.randint(10, 29)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        lambda: f"${rng.randint(1, 9999):,}.{rng.randint(0, 99):02d}",
        lambda: rng.choice(["apple", "Berlin", "blue", "Lovelace", "pending", "TRUE"]),
        lambda: f"{rng.getrandbits(128):032x}",
        lambda: str(rng.randint(-10**6, 10**6)),
        lambda: f"+1 ({rng.randint(200, 999)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
    ]
    return [rng.choice(makers)() for _ in range(n)]


async def run_level(url: str, pool: list[str], batch: int, concurrency: int, requests: int,
                    seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    sent = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        async def worker(w: int) -> None:
            nonlocal sent
            rng = random.Random(w)
            while sent < requests and time.perf_counter() < deadline:
                sent += 1
                start = rng.randrange(0, len(pool) - batch)
                body = json.dumps({"inputs": pool[start:start + batch]})
                t = time.perf_counter()
                r = await client.post(url, content=body, headers={"content-type": "application/json"})
                latencies.append(time.perf_counter() - t)
                if r.status_code != 200:
                    raise RuntimeError(f"HTTP {r.status_code}: {r.text[:200]}")

        t0 = time.perf_counter()
        await asyncio.gather(*(worker(w) for w in range(concurrency)))
        elapsed = time.perf_counter() - t0
    lat = np.array(latencies) * 1000
    return {"concurrency": concurrency, "batch": batch, "requests": len(lat), "seconds": elapsed,
            "requests_per_s": len(lat) / elapsed, "items_per_s": len(lat) * batch / elapsed,
            "p50_ms": float(np.percentile(lat, 50)), "p99_ms": float(np.percentile(lat, 99))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="semantic-types")
    ap.add_argument("--batch", type=int, nargs="+", default=[256])
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    ap.add_argument("--requests", type=int, default=400, help="most requests per level")
    ap.add_argument("--seconds", type=float, default=20.0, help="most seconds per level")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    port = free_port()
    tinylab = Path(sys.executable).with_name("tinylab")
    cold = time.perf_counter()
    proc = subprocess.Popen([str(tinylab), "serve", args.model, "--port", str(port), "--workers", str(args.workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(600):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
            if proc.poll() is not None:
                raise SystemExit(f"the service exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        cold = time.perf_counter() - cold
        url = f"http://127.0.0.1:{port}/v1/models/{args.model}/predict"
        pool = values(20_000)
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        print(f"# tinylab serve {args.model} (workers {args.workers}): load test on localhost, commit {commit}, "
              f"{time.strftime('%Y-%m-%d')}; service ready {cold:.2f} s after start\n")
        print("| concurrency | batch | requests | items/s | requests/s | p50 ms | p99 ms |")
        print("|---|---|---|---|---|---|---|")
        for batch in args.batch:
            asyncio.run(run_level(url, pool, batch, 2, 10, 5))  # warm-up
            for c in args.concurrency:
                r = asyncio.run(run_level(url, pool, batch, c, args.requests, args.seconds))
                print(f"| {c} | {batch} | {r['requests']} | {r['items_per_s']:,.0f} | {r['requests_per_s']:,.1f} | "
                      f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} |", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
