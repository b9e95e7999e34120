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
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np

from tinylab.errors import TinylabError
from tinylab.predict import Predictor
from tinylab.tasks.semantic_types.categorical import CATEGORICAL, MAX_ROWS, WEIGHTS_FILE, ColumnModel
from tinylab.tasks.semantic_types.reading import NULL_TOKENS, read_table
from tinylab.tasks.semantic_types.reading import read_columns as read_columns
from tinylab.tasks.semantic_types.stats import ColumnStats
from tinylab.tasks.semantic_types.validators import CHECK_DIGIT_LABELS, RULES


@dataclass
class ColumnProfile:
    """One column's profile; ``as_json`` is the documented record (README, "tinylab profile --json")."""

    column: str
    type: str
    confidence: float
    agreement: float
    runner_up: str | None
    n_values: int  # the values sampled and classified
    rule: str | None = None
    null_share: float = 0.0  # the share of the column's cells that are null (NULL, empty or a null token)
    count: int = 0  # non-null values in the whole column
    distinct: int = 0  # distinct non-null values in the whole column
    min: float | None = None  # over the whole column, when every non-null value is a plain number
    max: float | None = None
    examples: list[str] = field(default_factory=list)  # the sample's most frequent values (up to 3)

    def as_json(self) -> dict[str, object]:
        d = asdict(self)
        return {k: d[k] for k in ("column", "type", "confidence", "agreement", "runner_up")} | {
            "n_values": self.n_values, "count": self.count, "null_share": self.null_share,
            "distinct": self.distinct, "min": _number(self.min), "max": _number(self.max),
            "examples": list(self.examples), "rule": self.rule}


def _number(x: float | None) -> float | int | None:
    """A whole number as an int (a count or an id reads 58788, not 58788.0)."""
    return int(x) if x is not None and x.is_integer() and abs(x) < 2**53 else x


# --------------------------------------------------------------------------------------------
# column-level rules


_INT = re.compile(r"^-?\d+$")
_DEC = re.compile(r"^-?\d+(?:\.\d+)?$")
_COORD_WORDS = ("lat", "lon", "lng", "coord", "geo")
_TWO_DECIMALS = re.compile(r"^-?\d+\.\d\d$")
# 19,53 or 1.234,5: a decimal comma, with dots (or nothing) grouping the thousands
_DECIMAL_COMMA = re.compile(r"^[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+$")
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


INTEGER, DECIMAL = "representation.numeric.integer_number", "representation.numeric.decimal_number"
PERCENTAGE, AMOUNT = "representation.numeric.percentage", "finance.currency.amount"
LATITUDE, LONGITUDE = "geography.coordinate.latitude", "geography.coordinate.longitude"
YEAR, INCREMENT = "datetime.component.year", "representation.numeric.increment"
# types whose values are plain numbers but mean something narrower than a quantity: a column of measures
# (prices, counts, percentages, hours) is read as one of them value by value. The whole column keeps such a
# type only when its header names it (and every value fits it) or, for codes, when their form shows it
# (a fixed width with leading zeros).
NARROW_NUMERIC = {
    "identity.person.age", "identity.payment.cvv", "technology.code.pin", "technology.internet.port",
    "geography.address.postal_code", "geography.address.street_number", "datetime.component.day_of_month",
    "technology.internet.http_status_code", "geography.transportation.hs_code", "technology.development.calver",
    "datetime.date.julian", "technology.development.version", INCREMENT, LATITUDE, LONGITUDE, PERCENTAGE,
    AMOUNT, "geography.location.continent", "identity.person.height", "identity.person.weight",
}
CODES = {"identity.payment.cvv", "technology.code.pin", "geography.address.postal_code"}  # leading zeros kept
# header word -> the numeric type it names, and the range every value must lie in for the header to decide
_NUMERIC_HEADERS: dict[str, tuple[str, float, float, bool]] = {  # label, min, max, integers only
    **dict.fromkeys(("lat", "latitude"), (LATITUDE, -90.0, 90.0, False)),
    **dict.fromkeys(("lon", "lng", "long", "longitude"), (LONGITUDE, -180.0, 180.0, False)),
    **dict.fromkeys(("pct", "percent", "percentage", "perc"), (PERCENTAGE, -100.0, 100.0, False)),
    **dict.fromkeys(("price", "cost", "amount", "fare", "salary", "revenue", "budget", "gross", "income", "sales",
                     "wage", "wages", "fee", "fees", "usd", "eur", "gbp", "dollars", "profit", "spend", "payment"),
                    (AMOUNT, -1e18, 1e18, False)),
    "year": (YEAR, 1000.0, 2200.0, True),
    "age": ("identity.person.age", 0.0, 130.0, True),
    "port": ("technology.internet.port", 0.0, 65535.0, True),
    **dict.fromkeys(("day", "dom"), ("datetime.component.day_of_month", 1.0, 31.0, True)),
    **dict.fromkeys(("zip", "zipcode", "postal", "postcode"), ("geography.address.postal_code", 0.0, 1e10, True)),
    **dict.fromkeys(("cvv", "cvc", "cvv2"), ("identity.payment.cvv", 0.0, 9999.0, True)),
    "pin": ("technology.code.pin", 0.0, 1e12, True),
    "status": ("technology.internet.http_status_code", 100.0, 599.0, True),
    "height": ("identity.person.height", 0.0, 300.0, False),
    "weight": ("identity.person.weight", 0.0, 700.0, False),
}
_TOKENS = re.compile(r"[^a-z0-9]+")


def _header_tokens(header: str) -> list[str]:
    # camelCase splits too: centroidLat -> centroid, lat
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", header)
    return [t for t in _TOKENS.split(spaced.lower()) if t]


def header_numeric_type(header: str, stats: ColumnStats) -> str | None:
    """The numeric type a header names (latitude for ``centroid_lat``, a percentage for ``pct_votes``, an
    amount for ``price``), when every value of the whole column is a plain number in that type's range."""
    if not stats.all_numbers or stats.min_number is None or stats.max_number is None:
        return None
    named = [_NUMERIC_HEADERS[t] for t in _header_tokens(header) if t in _NUMERIC_HEADERS]
    if "%" in header:
        named.append(_NUMERIC_HEADERS["percent"])
    for label, lo, hi, integers in named:
        if lo <= stats.min_number and stats.max_number <= hi and (stats.all_integers or not integers):
            if label == YEAR and not (stats.min_length == stats.max_length == 4):
                continue
            return label
    return None


_SECRETS = {"identity.payment.cvv", "technology.code.pin"}


def _names_a_code(header: str) -> bool:
    """The header calls the column a code or an id, and not a CVV or a PIN."""
    tokens = set(_header_tokens(header))
    return bool(tokens & {"code", "id", "no", "num", "number"}) and not tokens & {"cvv", "cvc", "cvv2", "pin"}


def _names_id(header: str) -> bool:
    return any(t in ("id", "no", "num", "key", "index", "idx") for t in _header_tokens(header)) or \
        header.lower().endswith("id")


def _increasing(values: Sequence[str]) -> bool:
    ints = [int(v) for v in values]
    return len(ints) >= 5 and all(a < b for a, b in pairwise(ints))


def _column_rule(values: Sequence[str], label: str, header: str,
                 stats: ColumnStats | None = None) -> tuple[str, str] | None:
    """A better label for the whole column, and the rule's name, or None. ``values`` are the sampled
    values; ``stats`` cover the whole column (computed from ``values`` when not given)."""
    vals = list(values)
    if not vals:
        return None
    st = stats if stats is not None else ColumnStats.of(vals)
    h = header.lower()
    if all(_DECIMAL_COMMA.match(v) for v in vals) and any(len(v.rsplit(",", 1)[1]) != 3 for v in vals):
        return DECIMAL, "numbers with a decimal comma (a fraction of other than 3 digits: no thousands separator)"
    if label == "technology.development.boolean" and (len({v.strip().lower() for v in vals}) > 2 or (
            st.all_numbers and st.distinct > 2)):
        if st.all_numbers:  # a measure whose values are mostly 0 and 1, or a count
            return (INTEGER if st.all_integers else DECIMAL), "more than two distinct numbers: not a boolean"
        return CATEGORICAL, "more than two distinct values: not a boolean"
    if st.all_integers and (label in NUMERIC_FAMILY or label in NARROW_NUMERIC):
        assert st.min_number is not None and st.max_number is not None
        if st.min_length == st.max_length == 4 and st.min_number >= 1700 and st.max_number <= 2100 and (
                "year" in h or st.distinct > 1):
            return YEAR, "4-digit integers in 1700-2100 (whole column)"
        if st.consecutive:
            return INCREMENT, "distinct, densely consecutive non-negative integers (whole column)"
    if st.all_numbers and (label in NUMERIC_FAMILY or label in NARROW_NUMERIC):
        named = header_numeric_type(header, st)
        if named is not None:
            return None if named == label else (named, f"header {header!r} names it; every value fits (whole column)")
        if label in CODES and st.min_length == st.max_length and any(v.startswith("0") and len(v) > 1 for v in vals):
            if label in _SECRETS and _names_a_code(header):
                # nobody keeps card CVVs or PINs in a column called a code or an id: ISO and UN numeric codes
                return "representation.identifier.alphanumeric_id", (f"header {header!r} names a code, not a "
                                                                     "CVV or PIN; fixed width with leading zeros")
            return None  # a fixed-width code with leading zeros
        if label in NARROW_NUMERIC or label in NUMERIC_FAMILY - GENERIC_NUMBERS - {YEAR}:
            if label == INCREMENT and st.unique and (_names_id(header) or _increasing(vals)):
                return None  # distinct integers in increasing order, or named an id: a sparse row id
            plain = INTEGER if st.all_integers else DECIMAL
            if label in (LATITUDE, LONGITUDE) and any(w in h for w in _COORD_WORDS):
                return None
            if plain != label:
                return plain, "plain numbers; no header names a narrower type (a measure, not a code)"
    bare_numbers = label == AMOUNT and all(_DEC.match(v) for v in vals)
    if bare_numbers and not all(_TWO_DECIMALS.match(v) for v in vals):
        # the taxonomy's amount is written with a currency sign or code; bare, it always has two decimals
        plain = "decimal_number" if any("." in v for v in vals) else "integer_number"
        return f"representation.numeric.{plain}", "plain numbers without exactly two decimals: not a bare amount"
    if label in (LATITUDE, LONGITUDE):
        if not st.all_numbers or st.min_number is None or st.max_number is None:
            return None
        mag = max(abs(st.min_number), abs(st.max_number))
        if mag > 180:
            return DECIMAL, "some |value| > 180: not a coordinate"
        if mag > 90:
            return LONGITUDE, "some |value| > 90"
        if "lon" in h or "lng" in h:
            return LONGITUDE, "header names longitude; all values are valid longitudes"
        if "lat" in h:
            return LATITUDE, "header names latitude; all values |v| <= 90"
        if not any(w in h for w in _COORD_WORDS):
            return DECIMAL, "bare decimals with no coordinate header or pair"
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


_AMOUNT = re.compile(r"^[(\-+]?\s*(?:[A-Z]{3}\s?|[^\w\s.,()-]{1,3}\s?)?[-+]?\d{1,3}(?:[,.' \u00a0]?\d{3})*"
                     r"(?:[.,]\d+)?\s?(?:[A-Z]{3}|[^\w\s.,()-]{1,3})?\)?$")


def _fits(label: str, v: str) -> bool | None:
    """Whether one value is consistent with a numeric or coordinate type; None for other types."""
    if label == INTEGER:
        return bool(_INT.match(v))
    if label == DECIMAL:
        return bool(_DEC.match(v))
    if label == INCREMENT:
        return bool(_INT.match(v)) and not v.startswith("-")
    if label == YEAR:
        return bool(_INT.match(v)) and len(v) == 4 and 1000 <= int(v) <= 2200
    if label == AMOUNT:
        return bool(_AMOUNT.match(v.strip()))
    if label in (PERCENTAGE, LATITUDE, LONGITUDE):
        t = v.strip().rstrip("%").strip()
        if not _DEC.match(t):
            return False
        bound = {PERCENTAGE: 100.0, LATITUDE: 90.0, LONGITUDE: 180.0}[label]
        return abs(float(t)) <= bound
    if label in _RANGED:  # a quantity a header names (age, height, weight, ...): a plain number in its range
        lo, hi, integers = _RANGED[label]
        t = v.strip()
        return bool((_INT if integers else _DEC).match(t)) and lo <= float(t) <= hi
    return None


# the numeric types a header may name whose values are plain numbers in a range (codes with leading zeros and
# their own validation rules excepted): a header decision's confidence counts the values in that range
_RANGED: dict[str, tuple[float, float, bool]] = {
    label: (lo, hi, integers) for label, lo, hi, integers in _NUMERIC_HEADERS.values()
    if label not in CODES and label not in (LATITUDE, LONGITUDE, PERCENTAGE, AMOUNT, YEAR)}


def consistent_share(label: str, values: Sequence[str], stats: ColumnStats, top3: np.ndarray | None,
                     labels: Sequence[str]) -> float:
    """The share of a column's values consistent with ``label``: a rule decision's confidence.

    Plain integers and numbers are counted over the whole column; other numeric and coordinate types check
    each sampled value's form and range; a type with a validation rule (check digits, calendars, ranges)
    counts the sampled values it accepts; any other type counts the sampled values whose own three best
    labels include it."""
    if label == INTEGER and stats.count:
        return stats.integers / stats.count
    if label == DECIMAL and stats.count:  # plain numbers over the whole column, or sampled decimal-comma ones
        comma = sum(bool(_DECIMAL_COMMA.match(v)) for v in values) / len(values) if values else 0.0
        return max(stats.numbers / stats.count, comma)
    if not values:
        return 0.0
    fits = [_fits(label, v) for v in values]
    if fits[0] is not None:
        return sum(bool(f) for f in fits) / len(values)
    if label in RULES:
        return sum(bool(RULES[label](v)) for v in values) / len(values)
    if top3 is None or label not in labels:
        return 0.0
    return float((top3 == labels.index(label)).any(axis=1).mean())


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


# header token -> the labels it names, in order of preference; used only among the model's top-5 candidates
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
    """A label named by the header, if it is among the model's candidates: by the label's own name first
    (``iata`` names ``geography.transportation.iata_code``, ``email_display`` names ``email_display`` rather
    than ``email``), else by the table of header words above."""
    named = _named_by_header(set(_header_tokens(header)), candidates)
    if named is not None:
        return named
    tokens = set(re.split(r"[^a-z0-9]+", header.lower())) - {""}
    for tok in sorted(tokens, key=lambda t: (t in GENERIC_TOKENS, t)):
        for label in _HINTS.get(tok, ()):
            if label in candidates:
                return label
    return None


# words of a label's name too common to say which type it is ("country_code": only "country" tells)
_NAME_STOPWORDS = frozenset({"iso", "code", "number", "name", "full", "short", "abbrev", "abbreviated", "data",
                             "of", "id", "type", "value", "string", "separated"})
# the families whose types a header word can name; a date's or a number's form is read from its values
_NAMED_FAMILIES = ("geography.", "identity.", "finance.", "technology.", "science.", "medical.")


def _named_by_header(tokens: set[str], candidates: list[str]) -> str | None:
    """The candidate whose name's distinctive words all appear in the header, the closest match when several
    do (``country_code`` over ``country`` for a header ``country_code``); None when none does."""
    best, best_score = None, 0.0
    for label in candidates:
        if not label.startswith(_NAMED_FAMILIES):
            continue
        words = set(label.rsplit(".", 1)[-1].split("_"))
        distinctive = words - _NAME_STOPWORDS
        if distinctive and distinctive <= tokens:
            score = len(words & tokens) / len(words | tokens)
            if score > best_score:
                best, best_score = label, score
    return best


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


EXAMPLE_CHARS = 100  # an example value is cut to this many characters


def profile_columns(predictor: Predictor, columns: dict[str, list[str]], sample_size: int = 200,
                    seed: int = 0, categorical: bool | None = None,
                    null_shares: Mapping[str, float] | None = None,
                    stats: Mapping[str, ColumnStats] | None = None) -> list[ColumnProfile]:
    """Profile every column (``columns``: its non-null values, or a sample of them; ``null_shares``: the
    share of its cells that were null, reported as read; ``stats``: whole-column statistics, computed from
    ``columns`` when not given). The run's column model (``tinylab fit-columns``) may call a column whose
    values repeat ``representation.discrete.categorical`` when no column rule applies: ``categorical=None``
    uses it when the run has one, ``True`` requires it, ``False`` leaves it out."""
    rng = np.random.default_rng(seed)
    samples: dict[str, list[str]] = {}
    all_stats: dict[str, ColumnStats] = {}
    for name, values in columns.items():
        all_stats[name] = (stats or {}).get(name) or ColumnStats.of(values)
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
        st = all_stats[name]
        nulls = (null_shares or {}).get(name, st.nulls / st.rows if st.rows else 0.0)
        # zero-padded codes (013907871322, 02139) are not quantities: their examples, not a range that drops the 0
        ranged = st.all_numbers and not any(len(v) > 1 and v[0] == "0" and v[1].isdigit() for v in values)
        described = {"count": st.count, "distinct": st.distinct,
                     "min": st.min_number if ranged else None,
                     "max": st.max_number if ranged else None,
                     "examples": [v if len(v) <= EXAMPLE_CHARS else v[:EXAMPLE_CHARS - 1] + "…"
                                  for v, _ in Counter(values).most_common(3)]}
        if not values:
            out.append(ColumnProfile(name, "unknown", 0.0, 0.0, None, 0, "no non-null values", nulls, **described))
            continue
        proba = proba_all[[index[v] for v in values]]
        mean = proba.mean(axis=0)
        order = np.argsort(-mean)
        best, runner = int(order[0]), int(order[1])
        label, rule = labels[best], None
        top5 = [labels[int(j)] for j in order[:5]]
        # a check digit nearly every value passes is stronger evidence than any form or header
        ruled = check_digit_rule(values, top5[:3]) or _column_rule(values, label, name, st)
        p_cat = 0.0
        # a column of decimal numbers is a measure, never a closed vocabulary
        if ruled is None and column_model is not None and not (st.all_numbers and st.integers < st.count):
            rows = min(len(values), MAX_ROWS)  # the column model was fitted on columns of up to MAX_ROWS values
            yes, p_cat = column_model.is_categorical(values[:rows], proba[:rows])
            if yes:
                ruled = CATEGORICAL, f"column model: a closed vocabulary of {len(set(values))} values ({p_cat:.2f})"
        if ruled and (ruled[0] in labels or ruled[0] == CATEGORICAL):
            label, rule = ruled
        # a rule that only says "plain numbers" or "categorical" leaves room for a header naming a candidate
        if not ruled or ruled[0] in GENERIC_NUMBERS or ruled[0] == CATEGORICAL:
            hinted = _header_hint(name, top5)
            if hinted and hinted != label:
                label, rule = hinted, f"header {name!r} names a top-5 candidate" + (f" ({rule})" if rule else "")
        runner_label = labels[best] if label != labels[best] else labels[runner]
        if label == CATEGORICAL:
            # no value has this type: agreement is the share of repeated values; confidence the column model's
            # probability where it decided, else (the boolean rule) that share too
            counts = Counter(values)
            repeated = sum(c for c in counts.values() if c > 1) / len(values)
            conf = p_cat if rule and rule.startswith("column model") else repeated
            out.append(ColumnProfile(name, label, conf, repeated, runner_label, len(values), rule, nulls, **described))
            continue
        j = labels.index(label)
        agreement = float((proba.argmax(axis=1) == j).mean())
        # the model's mean probability; a rule's decision: the share of values consistent with its type
        top3 = np.argsort(-proba, axis=1)[:, :3]
        conf = float(mean[j]) if rule is None else consistent_share(label, values, st, top3, labels)
        out.append(ColumnProfile(name, label, conf, agreement, runner_label, len(values), rule, nulls, **described))
    return out


def profile_table(predictor: Predictor, path: Path | None = None, *, database: Path | None = None,
                  table: str | None = None, query: str | None = None, sample_size: int = 200,
                  encoding: str = "utf-8", categorical: bool | None = None, na: Sequence[str] = NULL_TOKENS,
                  ragged: str = "error", delimiter: str | None = None, skip: int | None = None,
                  header: bool = True, comment: str | None = None) -> list[ColumnProfile]:
    """Profile a file (``-``: standard input) or a DuckDB table or query; ``read_table`` says how it is read."""
    read = read_table(path, database=database, table=table, query=query, encoding=encoding, na=na, ragged=ragged,
                      delimiter=delimiter, sample_size=sample_size, skip=skip, header=header, comment=comment)
    shares = {c: read.null_share(c) for c in read.columns}
    return profile_columns(predictor, read.columns, sample_size, categorical=categorical, null_shares=shares,
                           stats=read.stats)
