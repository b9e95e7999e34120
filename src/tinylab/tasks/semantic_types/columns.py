"""Column profiling: the semantic type of every column of a table.

For each column: sample up to ``sample_size`` non-null values (seeded), classify all columns' samples in
one batch, aggregate by soft vote (mean probability), then apply column-level rules where single values
are ambiguous (years, sequential ids, latitude vs longitude, day/month order, categories, check digits that
a whole column passes). A header is a hint used only to choose among the model's own top candidates,
never the only evidence.

A column rule may answer a column-level type that no single value can have: ``representation.discrete.
categorical`` (FineType's name), e.g. a column the model reads as boolean value by value that has more
than two distinct values, or a column that the run's column model (``categorical.py``, fitted on generated
columns; used when the run has one) reads as a closed vocabulary.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from tinylab.errors import TinylabError
from tinylab.predict import Predictor
from tinylab.tasks.semantic_types.categorical import CATEGORICAL, MAX_ROWS, WEIGHTS_FILE, ColumnModel
from tinylab.tasks.semantic_types.reading import NULL_TOKENS, read_table
from tinylab.tasks.semantic_types.reading import read_columns as read_columns
from tinylab.tasks.semantic_types.validators import CHECK_DIGIT_LABELS, RULES


@dataclass
class ColumnProfile:
    column: str
    type: str
    confidence: float
    agreement: float
    runner_up: str | None
    n_values: int
    rule: str | None = None
    null_share: float = 0.0  # the share of the column's cells that are null (NULL, empty or a null token)

    def as_json(self) -> dict[str, object]:
        d = asdict(self)
        return {k: d[k] for k in ("column", "type", "confidence", "agreement", "runner_up")} | {
            "n_values": self.n_values, "null_share": self.null_share, "rule": self.rule}


# --------------------------------------------------------------------------------------------
# column-level rules


_INT = re.compile(r"^-?\d+$")
_DEC = re.compile(r"^-?\d+(?:\.\d+)?$")
_COORD_WORDS = ("lat", "lon", "lng", "coord", "geo")
_TWO_DECIMALS = re.compile(r"^-?\d+\.\d\d$")
_SLASH = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})(?:[ T].*)?$")
NUMERIC_FAMILY = {
    "representation.numeric.integer_number", "representation.numeric.increment", "datetime.component.year",
    "identity.payment.cvv", "technology.code.pin", "technology.internet.port", "geography.address.postal_code",
    "geography.address.street_number", "identity.person.age", "datetime.component.day_of_month",
    "technology.internet.http_status_code", "representation.numeric.decimal_number",
}
GENERIC_NUMBERS = {"representation.numeric.decimal_number", "representation.numeric.integer_number"}
DATE_ORDER = {  # (day-first label, month-first label)
    "slash4": ("datetime.date.eu_slash", "datetime.date.us_slash"),
    "short": ("datetime.date.short_dmy", "datetime.date.short_mdy"),
    "ts": ("datetime.timestamp.european", "datetime.timestamp.american_24h"),
    "compact": ("datetime.date.compact_dmy", "datetime.date.compact_mdy"),
}


def _column_rule(values: Sequence[str], label: str, header: str) -> tuple[str, str] | None:
    """A better label for the whole column, and the rule's name, or None."""
    vals = list(values)
    if not vals:
        return None
    h = header.lower()
    if label == "technology.development.boolean" and len({v.strip().lower() for v in vals}) > 2:
        if all(_INT.match(v) for v in vals):
            return "representation.numeric.integer_number", "more than two distinct integers: not a boolean"
        return CATEGORICAL, "more than two distinct values: not a boolean"
    if label in NUMERIC_FAMILY and all(_INT.match(v) for v in vals):
        ints = np.array([int(v) for v in vals], dtype=np.float64)
        if all(len(v) == 4 for v in vals) and ints.min() >= 1700 and ints.max() <= 2100 and (
                "year" in h or len(set(vals)) > 1):
            return "datetime.component.year", "4-digit integers in 1700-2100"
        if len(vals) >= 5 and ints.min() >= 0 and len(np.unique(ints)) == len(ints):
            srt = np.sort(ints)
            if (np.diff(srt) >= 1).all() and (srt[-1] - srt[0] + 1) <= 1.5 * len(srt):
                return "representation.numeric.increment", "distinct, densely consecutive non-negative integers"
    if label in NUMERIC_FAMILY | {"technology.development.version"} and all(_DEC.match(v) for v in vals):
        fixed = _numeric_column_rule(vals, label, h)
        if fixed:
            return fixed
    bare_numbers = label == "finance.currency.amount" and all(_DEC.match(v) for v in vals)
    if bare_numbers and not all(_TWO_DECIMALS.match(v) for v in vals):
        # the taxonomy's amount is written with a currency sign or code; bare, it always has two decimals
        plain = "decimal_number" if any("." in v for v in vals) else "integer_number"
        return f"representation.numeric.{plain}", "plain numbers without exactly two decimals: not a bare amount"
    if label in ("geography.coordinate.latitude", "geography.coordinate.longitude"):
        try:
            mags = np.abs(np.array([float(v) for v in vals]))
        except ValueError:
            return None
        if (mags > 180).any():
            return "representation.numeric.decimal_number", "some |value| > 180: not a coordinate"
        if (mags > 90).any():
            return "geography.coordinate.longitude", "some |value| > 90"
        if "lon" in h or "lng" in h:
            return "geography.coordinate.longitude", "header names longitude; all values are valid longitudes"
        if "lat" in h:
            return "geography.coordinate.latitude", "header names latitude; all values |v| <= 90"
        if not any(w in h for w in _COORD_WORDS):
            return "representation.numeric.decimal_number", "bare decimals with no coordinate header or pair"
    for day_first, month_first in DATE_ORDER.values():
        if label in (day_first, month_first):
            firsts, seconds = [], []
            for v in vals:
                if label.startswith("datetime.date.compact"):
                    if len(v) == 8 and v.isdigit():
                        firsts.append(int(v[:2]))
                        seconds.append(int(v[2:4]))
                    continue
                m = _SLASH.match(v)
                if m:
                    firsts.append(int(m.group(1)))
                    seconds.append(int(m.group(2)))
            if firsts and max(firsts) > 12 >= max(seconds):
                return day_first, "a first field > 12: day first"
            if seconds and max(seconds) > 12 >= max(firsts):
                return month_first, "a second field > 12: month first"
    return None


FIXED_WIDTH = {"identity.payment.cvv": {3, 4}, "technology.code.pin": None, "geography.address.postal_code": None,
               "technology.internet.http_status_code": {3}}


def _numeric_column_rule(vals: list[str], label: str, h: str) -> tuple[str, str] | None:
    """Plain numbers whose per-value winner is a narrow type the column as a whole cannot be."""
    has_dot = [("." in v) for v in vals]
    if any(has_dot):
        if label == "technology.development.version" or label in NUMERIC_FAMILY - {
                "representation.numeric.decimal_number"}:
            return "representation.numeric.decimal_number", "plain decimals with a single point"
        return None
    lengths = {len(v.lstrip("-")) for v in vals}
    ints = [int(v) for v in vals]
    if label in FIXED_WIDTH:
        allowed = FIXED_WIDTH[label]
        varies = len(lengths) > 1 if allowed is None else not lengths <= allowed
        no_leading_zero = not any(v.startswith("0") and len(v) > 1 for v in vals)
        if varies and no_leading_zero:
            return "representation.numeric.integer_number", "integers of varying width: not a fixed-width code"
    bounds = {"identity.person.age": 130, "datetime.component.day_of_month": 31, "technology.internet.port": 65535}
    if label in bounds and (max(ints) > bounds[label] or min(ints) < 0):
        return "representation.numeric.integer_number", f"values outside the range of {label.rsplit('.', 1)[1]}"
    return None


CHECK_DIGIT_MIN_VALUES = 10  # below this a column's pass rate says too little
CHECK_DIGIT_MIN_PASS = 0.95   # at a 1-in-10 chance per value, 95% of 10 values pass with probability ~1e-8


def check_digit_rule(values: Sequence[str], candidates: Sequence[str]) -> tuple[str, str] | None:
    """The first of ``candidates`` (the column's top labels, best first) defined by a check digit that nearly
    every distinct value passes, when the column's winner (``candidates[0]``) has no check digit of its own.

    Value by value, a 13-digit number that passes the EAN check is as likely an epoch in milliseconds that
    passes it by chance (one in ten). A column where 95% of at least 10 distinct values pass cannot be chance.
    """
    checked = [label for label in candidates[1:] if label in CHECK_DIGIT_LABELS]
    if not checked or candidates[0] in CHECK_DIGIT_LABELS:
        return None
    distinct = list(dict.fromkeys(values))
    if len(distinct) < CHECK_DIGIT_MIN_VALUES:
        return None
    for label in checked:
        passed = sum(RULES[label](v) for v in distinct) / len(distinct)
        if passed >= CHECK_DIGIT_MIN_PASS:
            return label, f"{passed:.0%} of {len(distinct)} distinct values pass its check digit"
    return None


# header token -> the labels it names, in order of preference; used only among the model's top-3 candidates
_HINTS: dict[str, tuple[str, ...]] = {
    "email": ("identity.person.email",), "mail": ("identity.person.email",),
    "paypal": ("identity.payment.paypal_email",),  # same form as any e-mail: only a header can tell
    "zip": ("geography.address.postal_code",), "postal": ("geography.address.postal_code",),
    "postcode": ("geography.address.postal_code",),
    "phone": ("identity.person.phone_number", "identity.person.phone_e164"),
    "tel": ("identity.person.phone_number", "identity.person.phone_e164"),
    "city": ("geography.location.city",), "country": ("geography.location.country",),
    "first": ("identity.person.first_name",), "last": ("identity.person.last_name",),
    "age": ("identity.person.age",), "port": ("technology.internet.port",), "year": ("datetime.component.year",),
    "id": ("representation.numeric.increment", "representation.identifier.alphanumeric_id"),
    "code": ("representation.identifier.alphanumeric_id",),
    "price": ("finance.currency.amount", "representation.numeric.decimal_number"),
    "amount": ("finance.currency.amount", "representation.numeric.decimal_number"),
    "cost": ("finance.currency.amount",), "fare": ("finance.currency.amount",),
    "salary": ("finance.currency.amount",), "revenue": ("finance.currency.amount",),
    "currency": ("finance.currency.currency_code", "finance.currency.currency_symbol"),
    "ticker": ("finance.securities.ticker",), "symbol": ("finance.securities.ticker",),
    "iban": ("finance.banking.iban",), "bic": ("finance.banking.swift_bic",), "swift": ("finance.banking.swift_bic",),
    "isin": ("finance.securities.isin",), "cusip": ("finance.securities.cusip",),
    "ssn": ("identity.government.ssn",), "vin": ("identity.government.vin",), "ein": ("identity.government.ein",),
    "npi": ("identity.medical.npi",), "icd": ("identity.medical.icd10",), "diagnosis": ("identity.medical.icd10",),
    "quarter": ("datetime.period.quarter",), "fy": ("datetime.period.fiscal_year",),
    "state": ("geography.location.region", "geography.location.state_code"),
    "region": ("geography.location.region",),
}


# "swift_code", "snowflake_id", "paypal_email": the specific word decides; these count when nothing else does
GENERIC_TOKENS = ("id", "code", "email", "mail")


def _header_hint(header: str, candidates: list[str]) -> str | None:
    """A label named by the header, if it is among the model's candidates."""
    tokens = set(re.split(r"[^a-z0-9]+", header.lower())) - {""}
    for tok in sorted(tokens, key=lambda t: (t in GENERIC_TOKENS, t)):
        for label in _HINTS.get(tok, ()):
            if label in candidates:
                return label
    return None


# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _cached_column_model(run_dir: str, mtime_ns: int, labels: tuple[str, ...]) -> ColumnModel | None:
    return ColumnModel.load(Path(run_dir), labels)


def load_column_model(predictor: Predictor) -> ColumnModel | None:
    """The categorical-column model saved with the predictor's run (``tinylab fit-columns``), if any."""
    if predictor.run_dir is None or not (predictor.run_dir / WEIGHTS_FILE).is_file():
        return None
    mtime = (predictor.run_dir / WEIGHTS_FILE).stat().st_mtime_ns
    return _cached_column_model(str(predictor.run_dir), mtime, tuple(predictor.labels))


def profile_columns(predictor: Predictor, columns: dict[str, list[str]], sample_size: int = 200,
                    seed: int = 0, categorical: bool | None = None,
                    null_shares: Mapping[str, float] | None = None) -> list[ColumnProfile]:
    """Profile every column (``columns``: its non-null values; ``null_shares``: the share of its cells that
    were null, reported as read). The run's column model (``tinylab fit-columns``) may call a column whose
    values repeat ``representation.discrete.categorical`` when no column rule applies: ``categorical=None``
    uses it when the run has one, ``True`` requires it, ``False`` leaves it out."""
    rng = np.random.default_rng(seed)
    samples: dict[str, list[str]] = {}
    for name, values in columns.items():
        if len(values) > sample_size:
            idx = rng.choice(len(values), size=sample_size, replace=False)
            values = [values[i] for i in sorted(idx)]
        samples[name] = values
    # one batch for all columns; each distinct value classified once
    uniq = list(dict.fromkeys(v for vs in samples.values() for v in vs))
    index = {v: i for i, v in enumerate(uniq)}
    proba_all = predictor.predict_proba(uniq) if uniq else np.zeros((0, len(predictor.labels)))
    labels = predictor.labels
    column_model = load_column_model(predictor) if categorical is not False else None
    if categorical and column_model is None:
        raise TinylabError(f"{predictor.run_dir}: this model has no column model for --categorical; fit one with "
                           f"`tinylab fit-columns {predictor.run_dir}`")
    out = []
    for name, values in samples.items():
        nulls = (null_shares or {}).get(name, 0.0)
        if not values:
            out.append(ColumnProfile(name, "unknown", 0.0, 0.0, None, 0, "no non-null values", nulls))
            continue
        proba = proba_all[[index[v] for v in values]]
        mean = proba.mean(axis=0)
        order = np.argsort(-mean)
        best, runner = int(order[0]), int(order[1])
        label, rule = labels[best], None
        top5 = [labels[int(j)] for j in order[:5]]
        ruled = _column_rule(values, label, name) or check_digit_rule(values, top5[:3])
        p_cat = 0.0
        if ruled is None and column_model is not None:
            rows = min(len(values), MAX_ROWS)  # the column model was fitted on columns of up to MAX_ROWS values
            yes, p_cat = column_model.is_categorical(values[:rows], proba[:rows])
            if yes:
                ruled = CATEGORICAL, f"column model: a closed vocabulary of {len(set(values))} values ({p_cat:.2f})"
        if ruled and (ruled[0] in labels or ruled[0] == CATEGORICAL):
            label, rule = ruled
        # a rule that only says "plain numbers" or "categorical" leaves room for a header naming a candidate
        if not ruled or ruled[0] in GENERIC_NUMBERS or ruled[0] == CATEGORICAL:
            hinted = _header_hint(name, top5[:3])
            if hinted and hinted != label:
                label, rule = hinted, f"header {name!r} names a top-3 candidate" + (f" ({rule})" if rule else "")
        runner_label = labels[best] if label != labels[best] else labels[runner]
        if label == CATEGORICAL:
            # no value has this type: agreement is the share of repeated values; confidence the column model's
            # probability where it decided, else (the boolean rule) that share too
            counts = Counter(values)
            repeated = sum(c for c in counts.values() if c > 1) / len(values)
            conf = p_cat if rule and rule.startswith("column model") else repeated
            out.append(ColumnProfile(name, label, conf, repeated, runner_label, len(values), rule, nulls))
            continue
        j = labels.index(label)
        agreement = float((proba.argmax(axis=1) == j).mean())
        out.append(ColumnProfile(name, label, float(mean[j]), agreement, runner_label, len(values), rule, nulls))
    return out


def profile_table(predictor: Predictor, path: Path | None = None, *, database: Path | None = None,
                  table: str | None = None, query: str | None = None, sample_size: int = 200,
                  encoding: str = "utf-8", categorical: bool | None = None, na: Sequence[str] = NULL_TOKENS,
                  ragged: str = "error", delimiter: str | None = None) -> list[ColumnProfile]:
    """Profile a file (``-``: standard input) or a DuckDB table or query; ``read_table`` says how it is read."""
    read = read_table(path, database=database, table=table, query=query, encoding=encoding, na=na, ragged=ragged,
                      delimiter=delimiter)
    shares = {c: read.null_share(c) for c in read.columns}
    return profile_columns(predictor, read.columns, sample_size, categorical=categorical, null_shares=shares)
