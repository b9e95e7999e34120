"""A held-out check of `tinylab profile --categorical` on real tables nobody on the project had profiled.

The column model (``tinylab fit-columns``) is fitted on generated columns only, and its first real-table
figures (``bench/profile_real.py --categorical``) are benchmark-informed: a gate was added after a first
run there. These tables are the ones bundled in the ``vega_datasets`` wheel (MIT; `pip install
vega_datasets==0.9.0`, the ``bench`` extra; nothing is downloaded at run time). The expected answers
below were written and committed (with the bar) before the column model was ever run on these tables:

* ``CATEGORICAL``: a small closed set of values with no type of their own in the taxonomy;
* ``TYPED``: columns with a type of their own whose values repeat (most of them at least 3 times per distinct
  value in the 200-value sample, so the column model judges them): a categorical answer is a false alarm;
* ``EITHER``: columns where both answers are defensible; reported, not scored.

Columns that repeat less are never judged by the column model and are not listed. The bar for turning
``--categorical`` on by default, set with these labels: at least 9 of the 12 categorical columns found and
at most 1 false alarm among the typed columns, for the extended model (profiling's default).

    python bench/profile_categorical_heldout.py [--model semantic-types-extended]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from tinylab.predict import Predictor
from tinylab.tasks.semantic_types.columns import profile_columns, read_columns

CATEGORICAL_LABEL = "representation.discrete.categorical"

CATEGORICAL = [
    ("iowa-electricity.csv", "source"),   # Fossil Fuels / Nuclear Energy / Renewables
    ("la-riots.csv", "race"),
    ("la-riots.csv", "type"),             # Homicide / Officer-involved shooting / ...
    ("seattle-weather.csv", "weather"),   # sun / fog / rain / drizzle / snow
    ("barley.json", "variety"),           # Manchuria / Glabron / ...
    ("burtin.json", "Gram_Staining"),     # negative / positive
    ("burtin.json", "Genus"),
    ("cars.json", "Origin"),              # USA / Japan / Europe: regions, not one type
    ("driving.json", "side"),             # left / right / top / bottom
    ("iris.json", "species"),
    ("ohlc.json", "signal"),              # short / long / neutral
    ("anscombe.json", "Series"),          # I / II / III / IV
]
TYPED = [
    ("la-riots.csv", "gender"),
    ("la-riots.csv", "death_date"),
    ("seattle-weather.csv", "precipitation"),
    ("seattle-weather.csv", "temp_max"),
    ("seattle-weather.csv", "temp_min"),
    ("seattle-weather.csv", "wind"),
    ("stocks.csv", "symbol"),             # MSFT / AMZN / IBM / GOOG / AAPL: tickers
    ("airports.csv", "state"),            # state codes
    ("airports.csv", "country"),
    ("barley.json", "year"),
    ("cars.json", "Year"),
    ("cars.json", "Displacement"),
    ("iris.json", "sepalLength"),
    ("iris.json", "sepalWidth"),
    ("iris.json", "petalLength"),
    ("iris.json", "petalWidth"),
    ("anscombe.json", "X"),
]
EITHER = [
    ("barley.json", "site"),              # experiment sites named after towns
    ("cars.json", "Cylinders"),           # 3-8: a count or a class
]


def data_dir() -> Path:
    spec = importlib.util.find_spec("vega_datasets")
    if spec is None or spec.origin is None:
        sys.exit("vega_datasets is not installed: pip install vega_datasets==0.9.0 (or: pip install -e '.[bench]')")
    return Path(spec.origin).parent / "_data"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="semantic-types-extended")
    args = ap.parse_args()
    root = data_dir()
    predictor = Predictor.from_run(args.model)
    files = sorted({f for f, _ in CATEGORICAL + TYPED + EITHER})
    got: dict[tuple[str, str], str] = {}
    plain: dict[tuple[str, str], str] = {}
    for f in files:
        columns = read_columns(root / f)  # read once, profiled with and without the column model
        for p in profile_columns(predictor, columns, categorical=True):
            got[(f, p.column)] = p.type
        for p in profile_columns(predictor, columns, categorical=False):
            plain[(f, p.column)] = p.type
    missing = [c for c in CATEGORICAL + TYPED + EITHER if c not in got]
    if missing:
        sys.exit(f"columns not found: {missing}")
    found = [c for c in CATEGORICAL if got[c] == CATEGORICAL_LABEL]
    alarms = [c for c in TYPED if got[c] == CATEGORICAL_LABEL]
    print(f"model: {args.model}; tables: vega_datasets 0.9.0 ({len(files)} files)")
    print(f"categorical columns found: {len(found)}/{len(CATEGORICAL)}")
    print(f"typed columns called categorical (false alarms): {len(alarms)}/{len(TYPED)}")
    print("\ncolumn                              expected      --categorical                        without")
    for group, cols in (("categorical", CATEGORICAL), ("typed", TYPED), ("either", EITHER)):
        for c in cols:
            print(f"  {c[0] + ':' + c[1]:36s} {group:12s}  {got[c]:36s} {plain[c]}")
    ok = len(found) >= 9 and len(alarms) <= 1
    print(f"\nbar (>= 9/12 found, <= 1 false alarm): {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
