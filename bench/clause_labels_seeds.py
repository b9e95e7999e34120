"""clause-labels over several training seeds: macro-F1 (per-label thresholds tuned on validation, and at 0.5),
each label's F1 and the TF-IDF baseline of the same split, as mean and standard deviation over the seeds,
beside the published DistilBERT figure. Each seed is a full run (trained, thresholds tuned, tested once).

    python bench/clause_labels_seeds.py [--spec FILE] [--seeds 5] [--runs-dir DIR]"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--spec", type=Path, default=None)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--runs-dir", type=Path, default=None)
    args = ap.parse_args()
    from tinylab.lifecycle import train_run
    from tinylab.tasks.clause_labels.dataset import LABELS

    runs = args.runs_dir or Path(tempfile.mkdtemp(prefix="clause-seeds-"))
    rows = []
    for seed in range(args.seeds):
        t = time.perf_counter()
        out = train_run("clause-labels", args.spec, [f"train.seed={seed}"], runs)
        m = out.metrics
        rows.append(m)
        print(f"seed {seed}: macro-F1 {m['macro_f1']:.4f} (at 0.5: {m['macro_f1_at_0_5']:.4f}); TF-IDF "
              f"{m['baseline_tfidf_macro_f1']:.4f}; test records {m['n']}; {time.perf_counter() - t:.0f} s; {out.run}")

    def line(name: str, values: list[float]) -> str:
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        return f"| {name} | {statistics.mean(values):.4f} | {sd:.4f} | {min(values):.4f} | {max(values):.4f} |"

    print(f"\n| over {len(rows)} seeds | mean | sd | min | max |\n|---|---|---|---|---|")
    print(line("macro-F1, per-label thresholds", [r["macro_f1"] for r in rows]))
    print(line("macro-F1 at 0.5", [r["macro_f1_at_0_5"] for r in rows]))
    print(line("TF-IDF + LR macro-F1 (same split)", [r["baseline_tfidf_macro_f1"] for r in rows]))
    for lab in LABELS:
        print(line(f"F1 {lab}", [r["per_class"][lab]["f1"] for r in rows]))
    print("| DistilBERT, published (0.5) | 0.379 | | | |")


if __name__ == "__main__":
    main()
