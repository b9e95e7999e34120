"""Inference speed of the shipped semantic-types model, and column profiling of a large CSV.

    python bench/semantic_types_speed.py [--model semantic-types|RUN] [--values 20000]

Prints values/s (median of 3 rounds of 3 s) at batch sizes 1, 64 and 4096 for both runtimes of the same
model (onnxruntime, the shipped path, and torch; CPU, threads = all cores), peak resident memory, and the
wall time to profile a generated 100,000-row x 20-column CSV, and values/s of the SQL function
``semantic_type`` in DuckDB. FineType's published figures
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
import tempfile
import time
from pathlib import Path

import duckdb
import torch
from timing import median_rate

import tinylab.duckdb
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="semantic-types")
    ap.add_argument("--values", type=int, default=20000)
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    predictor = Predictor.from_run(args.model)
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
    tinylab.duckdb.register(con, model=args.model)
    con.execute("CREATE TABLE t AS SELECT unnest(?::VARCHAR[]) AS v", [values])
    con.sql("SELECT count(semantic_type(v)) FROM t").fetchall()  # warm-up
    query = "SELECT count(semantic_type(v)) FROM t"
    sql_rate = median_rate(lambda: con.sql(query).fetchall()[0][0], budget_s=0.0)  # one query per round
    print(f"SQL (median of 3): SELECT semantic_type(v) over the same {len(values):,} values in DuckDB: "
          f"{sql_rate:,.0f} values/s ({sql_rate / FINETYPE_DUCKDB:.1f}x FineType's published 2,093/s inside DuckDB)")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:,.0f} MiB")

    cols = ["technology.internet.ip_v4", "identity.person.email", "datetime.date.iso", "geography.location.city",
            "representation.numeric.decimal_number", "technology.cryptographic.uuid", "identity.person.full_name",
            "datetime.timestamp.iso_8601", "technology.internet.url", "geography.address.postal_code",
            "identity.person.phone_number", "representation.numeric.percentage", "technology.internet.mac_address",
            "geography.location.country", "identity.person.age", "datetime.time.hms_24h",
            "technology.development.version", "representation.text.color_hex", "technology.internet.user_agent",
            "identity.payment.credit_card_number"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.csv"
        data = {c: generate(c, args.rows, seed=77) for c in cols}
        with path.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow([c.rsplit(".", 1)[1] for c in cols])
            w.writerows(zip(*data.values(), strict=True))
        t0 = time.perf_counter()
        profiles = profile_table(predictor, path)
        secs = time.perf_counter() - t0
        right = sum(p.type == c for p, c in zip(profiles, cols, strict=True))
        size_mb = path.stat().st_size / 2**20
    print(f"profile {args.rows:,} rows x {len(cols)} columns ({size_mb:.0f} MiB CSV): {secs:.2f} s, "
          f"{right}/{len(cols)} columns typed as generated")


if __name__ == "__main__":
    main()
