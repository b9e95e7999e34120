"""Examples of every json-repair corruption, as Markdown, for docs/json-repair-corruptions.md.

    python bench/json_repair_corruption_examples.py [--seed 0] [--speed]

For each corruption, the example whose original text is closest to 200 characters among the first 40 that
``examples(40, seed)`` generates (short, so the change is easy to see), shown before and after, then two
stacks. ``--speed`` also prints how many examples per second ``examples(200, seed=1)`` generates.
"""

from __future__ import annotations

import argparse
import time

from tinylab.tasks.json_repair.corpus import CORRUPTIONS, Example, examples


def block(title: str, text: str) -> str:
    return f"{title}\n\n````text\n{text}\n````\n"


def show(e: Example) -> str:
    edits = "; ".join(f"{x.corruption} at {x.offset}: {x.removed!r} -> {x.inserted!r}"[:160] for x in e.edits)
    return "\n".join([
        f"Style `{e.style}`; edits: {edits}\n",
        block("Before:", e.original_text),
        block("After:", e.broken),
    ])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--speed", action="store_true")
    args = parser.parse_args()
    for name in CORRUPTIONS:
        batch = examples(40, args.seed, corruptions=(name,))
        e = min(batch, key=lambda e: abs(len(e.original_text) - 200))
        print(f"### {name}\n\n{show(e)}")
    stacks = examples(60, args.seed, stacks=True)
    for size in (2, 3):
        e = min((e for e in stacks if len(e.corruptions) == size), key=lambda e: abs(len(e.original_text) - 200))
        print(f"### stack: {' + '.join(e.corruptions)}\n\n{show(e)}")
    if args.speed:
        examples(5, seed=1)  # warm up
        t0 = time.perf_counter()
        n = len(examples(200, seed=1))
        seconds = time.perf_counter() - t0
        print(f"examples(200, seed=1): {n} examples in {seconds:.2f} s = {n / seconds:.0f} examples/s")


if __name__ == "__main__":
    main()
