"""word-rarity: speed, size and quality of the shipped models, beside wordfreq.zipf_frequency, in one run.

    python bench/word_rarity_bench.py [--words 500000] [--single 20000]

Speed (numpy only: the script checks that torch was never imported):
- batched: the hybrid (word list, then model) and the model alone over --words words drawn from the
  English list with repeats (every word through the model for the model alone), and
  ``wordfreq.zipf_frequency`` called on the same words in a loop (it has no batch call);
- single word from Python: the mean time of one call, over --single distinct listed words (a list
  look-up), over as many strings no list has (the model), and of ``wordfreq.zipf_frequency`` on the listed
  words (its cache cleared first, so each call is a first call, as it is for a stream of new words).
Size: parameters and file size of each shipped model. Quality: each shipped model's saved test figures
(``tinylab eval <model>`` reproduces them), with the same-run ridge baseline."""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from tinylab.predict import pretrained_dir, shipped_models
from tinylab.tasks.word_rarity import lexicon
from tinylab.tasks.word_rarity.scorer import RarityModel, WordRarity

GOALS = {"spearman": 0.50, "spearman_banded": 0.75, "behaviour_model_auc_random_over_pseudo": 0.95,
         "behaviour_model_auc_pseudo_over_common": 0.95, "behaviour_hybrid_auc_typo_over_word": 0.95}


def timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=500_000)
    ap.add_argument("--single", type=int, default=20_000)
    args = ap.parse_args()

    words, _ = lexicon.load("en")
    rng = np.random.default_rng(0)
    batch = [words[i] for i in rng.integers(len(words), size=args.words)]
    letters = "abcdefghijklmnopqrstuvwxyz"
    table = lexicon.table("en")
    unlisted = []
    while len(unlisted) < args.single:
        w = "".join(letters[i] for i in rng.integers(26, size=int(rng.integers(5, 12))))
        if w not in table:
            unlisted.append(w)
    listed = [words[i] for i in rng.permutation(len(words))[:args.single]]

    print("| predictor | batched, words/s | one listed word, µs | one unlisted word, µs |")
    print("|---|---|---|---|")
    for size in ("nano", "small"):
        wr = WordRarity.load("en", size)
        wr.rarity(batch[:1000])
        wr.rarity(batch[:1000], model_only=True)
        hybrid = args.words / timed(wr.rarity, batch)
        alone = args.words / timed(lambda b, wr=wr: wr.rarity(b, model_only=True), batch)
        one_listed = timed(lambda ws, wr=wr: [wr.rarity_one(w) for w in ws], listed) / len(listed) * 1e6
        one_model = timed(lambda ws, wr=wr: [wr.rarity_one(w) for w in ws], unlisted) / len(unlisted) * 1e6
        print(f"| word-rarity {size}, hybrid | {hybrid:,.0f} | {one_listed:.2f} | {one_model:.1f} |")
        print(f"| word-rarity {size}, model alone | {alone:,.0f} | {one_model:.1f} | {one_model:.1f} |")
    try:
        import wordfreq
    except ModuleNotFoundError:
        print("| wordfreq.zipf_frequency | (wordfreq not installed: pip install 'tinylab[words]') | | |")
    else:
        wordfreq.zipf_frequency("warm", "en")
        for fn in (wordfreq.zipf_frequency, wordfreq.word_frequency):
            clear = getattr(fn, "cache_clear", None)
            if clear:
                clear()
        per = timed(lambda ws: [wordfreq.zipf_frequency(w, "en", "large") for w in ws], batch) / len(batch)
        for fn in (wordfreq.zipf_frequency, wordfreq.word_frequency):
            clear = getattr(fn, "cache_clear", None)
            if clear:
                clear()
        one = timed(lambda ws: [wordfreq.zipf_frequency(w, "en", "large") for w in ws], listed) / len(listed)
        print(f"| wordfreq.zipf_frequency (list only; 0 for other words) | {1 / per:,.0f} (one call per word) | "
              f"{one * 1e6:.2f} | {one * 1e6:.2f} |")
    print()
    print("| model | parameters | model.safetensors | model.onnx | Spearman (random test words) | ridge, same run "
          "| Spearman (band-balanced) | ridge, same run | AUC random > pseudo | AUC pseudo > common "
          "| AUC typo > word (hybrid) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name in shipped_models("word-rarity"):
        d = pretrained_dir(name)
        meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
        if meta.get("model") != "rarity_net":
            continue
        m = json.loads((d / "metrics.json").read_text(encoding="utf-8"))
        params = RarityModel.from_run(name).n_params

        def f(key: str, m: dict = m) -> str:
            v = m.get(key)
            if v is None:
                return "—"
            mark = "" if key not in GOALS else (" ✓" if v >= GOALS[key] else " ✗")
            return f"{v:.3f}{mark}"

        print(f"| {name} | {params:,} | {(d / 'model.safetensors').stat().st_size / 1024:.1f} KB | "
              f"{(d / 'model.onnx').stat().st_size / 1024:.1f} KB | {f('spearman')} | "
              f"{f('baseline_ridge_spearman')} | {f('spearman_banded')} | {f('baseline_ridge_spearman_banded')} | "
              f"{f('behaviour_model_auc_random_over_pseudo')} | {f('behaviour_model_auc_pseudo_over_common')} | "
              f"{f('behaviour_hybrid_auc_typo_over_word')} |")
    print("\ngoals: " + ", ".join(f"{k} >= {v}" for k, v in GOALS.items()))
    assert "torch" not in sys.modules, "torch was imported"


if __name__ == "__main__":
    main()
