"""How accurate can *any* single-value classifier be on the semantic-types test split?

    python bench/semantic_types_ceiling.py [--per-label 20000] [--seed 2026] [--taxonomy taxonomy-extended.yaml]

Some types share values by definition (a CVV "123" is also a valid street number, increment or PIN; a
"05/06/2024" is a real date read day-first and month-first). For a test value that the generators can
produce under several labels, the best possible guess is the label that produces it most often (the
Bayes decision); its expected error is what no model can remove. This script draws a large reference
sample from every generator (a seed no split uses), counts how often each label produces each test value,
and prints the resulting upper bounds on test accuracy and top-3 accuracy, the labels and pairs that lose
most, and the pairs whose generators are form-identical (e.g. PayPal e-mail vs e-mail), which exact
matching cannot see.

The bound is optimistic: a test value absent from the reference sample is counted as always classifiable.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict

from tinylab.tasks.semantic_types.generators import GENERATORS, generate
from tinylab.tasks.semantic_types.taxonomy import TAXONOMIES, load_taxonomy


def _top_k_error(counts: Counter[str], label: str, k: int) -> float:
    """The expected top-k error on a value whose true label is ``label`` when the k guesses are the labels
    that produce it most often (ties at the k-th place share the remaining guesses at random)."""
    ranked = sorted(counts.values(), reverse=True)
    if len(ranked) <= k or counts[label] > ranked[k - 1]:
        return 0.0
    if counts[label] < ranked[k - 1]:
        return 1.0
    above = sum(1 for n in ranked if n > ranked[k - 1])
    tied = sum(1 for n in ranked if n == ranked[k - 1])
    return 1.0 - (k - above) / tied


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-label", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--test-per-label", type=int, default=100)
    ap.add_argument("--test-seed", type=int, default=99)
    ap.add_argument("--taxonomy", default="taxonomy.yaml", choices=TAXONOMIES)
    args = ap.parse_args()
    taxonomy = load_taxonomy(args.taxonomy)
    labels = sorted(lab for lab in taxonomy if lab in GENERATORS)
    # pairs the taxonomy declares form-identical (``same_form_as``: a PayPal e-mail is an e-mail): a value
    # carries no evidence for either, so any classifier loses half of the pair's test values
    form_identical_pairs = [(lab, info.same_form_as) for lab, info in taxonomy.items() if info.same_form_as]
    t0 = time.perf_counter()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for lab in labels:
        for v in generate(lab, args.per_label, args.seed):
            counts[v][lab] += 1
    print(f"reference sample: {args.per_label:,} values per label x {len(labels)} labels, seed {args.seed} "
          f"({time.perf_counter() - t0:.0f} s)")

    n_test = 0
    errors = 0.0
    errors3 = 0.0  # top-3: a form-identical pair fits in three guesses, so only shared values count
    seen = 0
    by_label: Counter[str] = Counter()
    by_pair: Counter[tuple[str, str]] = Counter()
    form_identical = {lab for pair in form_identical_pairs for lab in pair}
    for lab in labels:
        for v in generate(lab, args.test_per_label, args.test_seed):
            n_test += 1
            c = counts.get(v)
            if not c or lab in form_identical:
                continue
            seen += 1
            errors3 += _top_k_error(c, lab, 3)
            best = max(c.values())
            winners = [k for k, n in c.items() if n == best]
            err = 1.0 - 1.0 / len(winners) if lab in winners else 1.0
            if err:
                errors += err
                by_label[lab] += err
                by_pair[(lab, next(w for w in winners if w != lab))] += err
    identical = sum(args.test_per_label / 2 for pair in form_identical_pairs for _ in pair)
    total = errors + identical
    print(f"test split: {n_test:,} values (seed {args.test_seed}); {seen:,} also produced by the reference sample")
    print(f"unavoidable errors from shared values: {errors:.0f}")
    print(f"unavoidable errors from form-identical pairs ({len(form_identical_pairs)}): {identical:.0f}")
    print(f"upper bound on test accuracy: {1 - errors / n_test:.4f} (shared values only), "
          f"{1 - total / n_test:.4f} (with the form-identical pairs)")
    print(f"upper bound on test top-3 accuracy: {1 - errors3 / n_test:.4f} (unavoidable top-3 errors: {errors3:.0f})")
    print("\nlabels losing most (expected errors out of 100):")
    for lab, e in by_label.most_common(20):
        print(f"  {e:6.1f}  {lab}")
    print("\npairs (true -> the Bayes decision):")
    for (a, b), e in by_pair.most_common(20):
        print(f"  {e:6.1f}  {a} -> {b}")


if __name__ == "__main__":
    main()
