"""Inference speed of the shipped semantic-types model, and column profiling of a large CSV.

    python bench/semantic_types_speed.py [--model semantic-types|RUN] [--values 20000]
    python bench/semantic_types_speed.py --model semantic-types-extended --profile-only

Prints values/s (median of 3 rounds of 3 s) at batch sizes 1, 64 and 4096 for both runtimes of the same
model (onnxruntime, the shipped path, and torch; CPU, threads = all cores), peak resident memory, and the
wall time to profile a generated 100,000-row x 20-column CSV, and values/s of the SQL function
``semantic_type`` in DuckDB. ``--profile-only`` prints only the profiling figures, adding the wall time of
the whole ``tinylab profile`` command (start-up, imports and model verification included). FineType's published figures
(Rust CLI 600-750 values/s, 2,093 values/s inside DuckDB) are quoted, not re-measured: FineType is not
installable here, so the ratio is against its published figure, stated as such.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import torch
from timing import median_rate

import tinylab.tasks.semantic_types.duckdb as st_duckdb
from tinylab.predict import Predictor
from tinylab.tasks.semantic_types.columns import profile_table
from tinylab.tasks.semantic_types.generators import generate

FINETYPE_CLI = 750.0  # values/s, upper end of FineType's published 600-750
FINETYPE_DUCKDB = 2093.0  # values/s, FineType's published figure inside DuckDB


def rate(predictor: Predictor, values: list[str], batch: int) -> float:
    """Values/s of ``predict_proba`` on consecutive batches of ``values`` (median of 3 rounds of 3 s)."""
    batches = itertools.cycle([values[i:i + batch] for i in range(0, len(values), batch)])
    predictor.predict_proba(values[:batch])  # warm-up
    return median_rate(lambda: len(predictor.predict_proba(next(batches))))


def profile_big_csv(predictor: Predictor, model: str, rows: int, cli: bool = False) -> None:
    """Profile a generated ``rows`` x 20 CSV in-process (and, with ``cli``, with the whole `tinylab profile`
    command: interpreter start, imports, model load and verification included)."""
    cols = ["technology.internet.ip_v4", "identity.person.email", "datetime.date.iso", "geography.location.city",
            "representation.numeric.decimal_number", "technology.cryptographic.uuid", "identity.person.full_name",
            "datetime.timestamp.iso_8601", "technology.internet.url", "geography.address.postal_code",
            "identity.person.phone_number", "representation.numeric.percentage", "technology.internet.mac_address",
            "geography.location.country", "identity.person.age", "datetime.time.hms_24h",
            "technology.development.version", "representation.text.color_hex", "technology.internet.user_agent",
            "identity.payment.credit_card_number"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.csv"
        data = {c: generate(c, rows, seed=77) for c in cols}
        with path.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow([c.rsplit(".", 1)[1] for c in cols])
            w.writerows(zip(*data.values(), strict=True))
        t0 = time.perf_counter()
        profiles = profile_table(predictor, path)
        secs = time.perf_counter() - t0
        right = sum(p.type == c for p, c in zip(profiles, cols, strict=True))
        size_mb = path.stat().st_size / 2**20
        cli_secs = 0.0
        if cli:
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "tinylab", "profile", str(path), "--model", model, "--json"],
                           check=True, capture_output=True)
            cli_secs = time.perf_counter() - t0
    print(f"profile {rows:,} rows x {len(cols)} columns ({size_mb:.0f} MiB CSV) with {model}: {secs:.2f} s, "
          f"{right}/{len(cols)} columns typed as generated")
    if cli:
        print(f"the whole command, `tinylab profile FILE --model {model} --json`: {cli_secs:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="semantic-types")
    ap.add_argument("--values", type=int, default=20000)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--profile-only", action="store_true",
                    help="only the CSV profiling figures (in-process and the whole `tinylab profile` command)")
    args = ap.parse_args()
    predictor = Predictor.from_run(args.model)
    if args.profile_only:
        profile_big_csv(predictor, args.model, args.rows, cli=True)
        return
    torch_predictor = Predictor.from_run(args.model, runtime="torch")
    labels = predictor.labels
    values = [v for lab in labels for v in generate(lab, max(1, args.values // len(labels)), seed=2024)]
    random.Random(0).shuffle(values)  # batches mix types, as a column scan or a stream would
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__} "
          f"({torch.get_num_threads()} threads), shipped runtime: {predictor.runtime}")
    print("| batch size | onnxruntime values/s | torch values/s | onnxruntime / torch "
          "| vs FineType CLI (750/s, published) |")
    print("|---|---|---|---|---|")
    for batch in (1, 64, 4096):
        r = rate(predictor, values, batch)
        rt = rate(torch_predictor, values, batch)
        print(f"| {batch} | {r:,.0f} | {rt:,.0f} | {r / rt:.1f}x | {r / FINETYPE_CLI:.1f}x |")
    con = duckdb.connect()
    st_duckdb.register(con, model=args.model)
    con.execute("CREATE TABLE t AS SELECT unnest(?::VARCHAR[]) AS v", [values])
    con.sql("SELECT count(semantic_type(v)) FROM t").fetchall()  # warm-up
    query = "SELECT count(semantic_type(v)) FROM t"
    sql_rate = median_rate(lambda: con.sql(query).fetchall()[0][0], budget_s=0.0)  # one query per round
    print(f"SQL (median of 3): SELECT semantic_type(v) over the same {len(values):,} values in DuckDB: "
          f"{sql_rate:,.0f} values/s ({sql_rate / FINETYPE_DUCKDB:.1f}x FineType's published 2,093/s inside DuckDB)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:,.0f} MiB")

    profile_big_csv(predictor, args.model, args.rows)

if __name__ == "__main__":
    main()
