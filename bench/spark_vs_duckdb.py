"""semantic_type over one column in Spark (local[2], the pandas UDF of tinylab.spark) and in DuckDB (the
vectorized function of tinylab.tasks.semantic_types.duckdb), on the same values, as values/s.

    python bench/spark_vs_duckdb.py [--rows 200000] [--repeats 2]

Spark's session start and the first model load on each worker are left out (a warm-up pass runs first);
each figure is the best of ``--repeats`` passes. Both run on this 2-core machine."""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time


def values(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    makers = [
        lambda: ".".join(str(rng.randint(0, 255)) for _ in range(4)),
        lambda: f"user{rng.randint(1, 99999)}@example.{rng.choice(['com', 'org', 'de'])}",
        lambda: f"20{rng.randint(10, 29)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        lambda: f"{rng.randint(1, 9999)}.{rng.randint(0, 99):02d}",
        lambda: rng.choice(["apple", "Berlin", "blue", "Lovelace", "pending", "TRUE"]),
        lambda: f"{rng.getrandbits(128):032x}",
    ]
    return [rng.choice(makers)() for _ in range(n)]


def best(fn, repeats: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    data = values(args.rows)

    import duckdb
    import pyarrow as pa

    import tinylab.tasks.semantic_types.duckdb as st_duckdb

    con = duckdb.connect()
    st_duckdb.register(con)
    table = pa.table({"v": data})
    con.register("t", table)
    con.sql("SELECT count(semantic_type(v)) FROM (SELECT v FROM t LIMIT 1000)").fetchall()
    duck = best(lambda: con.sql("SELECT count(semantic_type(v)) FROM t").fetchall(), args.repeats)

    os.environ["PYSPARK_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    from tinylab.spark import semantic_type

    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    df = spark.createDataFrame(table.to_pandas()).repartition(2).cache()
    df.count()

    def run_spark() -> None:
        df.select(semantic_type("v").alias("type")).write.format("noop").mode("overwrite").save()

    run_spark()  # warm-up: each worker loads the model once
    sp = best(run_spark, args.repeats)
    spark.stop()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"# semantic_type over {args.rows:,} values, commit {commit}, {time.strftime('%Y-%m-%d')}\n")
    print("| engine | seconds | values/s |")
    print("|---|---|---|")
    print(f"| DuckDB (tinylab.tasks.semantic_types.duckdb) | {duck:.2f} | {args.rows / duck:,.0f} |")
    print(f"| Spark local[2] (tinylab.spark.semantic_type) | {sp:.2f} | {args.rows / sp:,.0f} |")
    print(f"\nSpark / DuckDB: {duck / sp:.2f}x the values/s (goal: within 2x, i.e. at least 0.50x)")


if __name__ == "__main__":
    main()
