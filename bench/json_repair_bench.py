"""tinylab.json_repair beside json_repair and fast_json_repair, in one run, on the json-repair task's test
documents (a seed no training data uses): per kind of damage, exact recovery and the silent-wrong rate,
the faithful-prefix rate for truncation, and documents per second on broken and on valid documents.

    python bench/json_repair_bench.py [--per-type 100] [--stacks 500] [--repeats 3] [--scorer prior]

``--scorer prior`` ranks candidate edits with the fixed prior weights instead of the shipped trained scorer
(what the learned part adds).

Speed: each tool runs over the same documents ``--repeats`` times, interleaved with the others, and the best
pass counts (the machine is shared; the best pass is the least disturbed one)."""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from collections.abc import Callable
from typing import Any

from tinylab.json_repair import load_scorer, repair
from tinylab.json_repair.engine import prior_scorer
from tinylab.tasks.json_repair import corpus
from tinylab.tasks.json_repair.kind import RepairTarget
from tinylab.tasks.json_repair.scoring import MISSING, competitors, judge
from tinylab.tasks.json_repair.task import JsonRepairData, summarize


def best_rate(tools: dict[str, Callable[[str], Any]], texts: list[str], repeats: int) -> dict[str, float]:
    best = {name: 0.0 for name in tools}
    for _ in range(repeats):
        for name, tool in tools.items():
            start = time.perf_counter()
            for t in texts:
                tool(t)
            best[name] = max(best[name], len(texts) / (time.perf_counter() - start))
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-type", type=int, default=100)
    ap.add_argument("--stacks", type=int, default=500)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--scorer", choices=("shipped", "prior"), default="shipped")
    args = ap.parse_args()
    seed = JsonRepairData().test_seed
    examples = corpus.examples(args.per_type, seed) + corpus.examples(args.stacks, seed, stacks=True)
    targets = [RepairTarget(e.broken, e.original, e.corruptions, None) for e in examples]  # type: ignore[arg-type]
    texts = [e.broken for e in examples]
    scorer = load_scorer() if args.scorer == "shipped" else prior_scorer

    def ours(text: str) -> Any:
        r = repair(text, scorer=scorer)
        return MISSING if (r.value is None and r.changed and r.confidence == 0.0) else r.value

    tools: dict[str, Callable[[str], Any]] = {"tinylab": ours, **competitors()}
    values = {name: [tool(t) for t in texts] for name, tool in tools.items()}
    speed = best_rate(tools, texts, args.repeats)
    _, sections = summarize(targets, values, speed)
    valid = [e.original_text for e in examples[: 20 * args.per_type]]
    valid_speed = best_rate({"json.loads": json.loads, **tools}, valid, args.repeats)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"# json-repair benchmark: {len(texts)} broken documents (test seed {seed}), {args.scorer} scorer, "
          f"commit {commit}, {time.strftime('%Y-%m-%d')}\n")
    print(sections[0].markdown)
    ratio = speed["tinylab"] / speed["json_repair"] if "json_repair" in speed else float("nan")
    fast = speed["tinylab"] / speed["fast_json_repair"] if "fast_json_repair" in speed else float("nan")
    print(f"Broken documents: tinylab {speed['tinylab']:,.0f}/s = {ratio:.2f}x json_repair, {fast:.3f}x "
          "fast_json_repair.")
    print("Valid documents (the same documents before damage): " + ", ".join(
        f"{k} {v:,.0f}/s" for k, v in valid_speed.items())
        + f"; tinylab = {valid_speed['tinylab'] / valid_speed['json.loads']:.2f}x json.loads.")
    silent = {name: sum(judge(v, e.original).silent_wrong for v, e in zip(vals, examples, strict=True)) / len(texts)
              for name, vals in values.items()}
    print("Silent-wrong rate over all documents: " + ", ".join(f"{k} {v:.3f}" for k, v in silent.items())
          + (f"; tinylab = {silent['tinylab'] / silent['json_repair']:.2f}x json_repair's" if "json_repair" in silent
             else ""))


if __name__ == "__main__":
    main()
