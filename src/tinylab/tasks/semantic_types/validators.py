"""Validation rules that check a candidate label against a value.

A model sees patterns; some types are defined by arithmetic it cannot see (a Luhn check digit, a real
calendar date, an octet <= 255). After the model ranks labels, a candidate whose rule rejects the value
gets its probability removed and the rest are renormalized. Rules only *reject* what cannot be that
type; they never promote a label. Every generated value passes its own label's rule (tested).
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import string
from collections.abc import Callable
from datetime import datetime

import numpy as np

Rule = Callable[[str], bool]
RULES: dict[str, Rule] = {}


def rule(label: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[label] = fn
        return fn

    return register


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _digits_only(v: str, seps: str = " -") -> str:
    for s in seps:
        v = v.replace(s, "")
    return v


@rule("identity.payment.credit_card_number")
def _card(v: str) -> bool:
    d = _digits_only(v)
    return d.isascii() and d.isdigit() and 12 <= len(d) <= 19 and luhn_ok(d)


@rule("technology.code.imei")
def _imei(v: str) -> bool:
    d = _digits_only(v)
    return d.isascii() and d.isdigit() and len(d) == 15 and luhn_ok(d)


@rule("technology.code.ean")
def _ean(v: str) -> bool:
    if not (v.isascii() and v.isdigit() and len(v) in (8, 13)):
        return False
    weights = [1, 3] * 7 if len(v) == 13 else [3, 1] * 4
    return sum(int(c) * w for c, w in zip(v, weights, strict=False)) % 10 == 0


@rule("technology.code.isbn")
def _isbn(v: str) -> bool:
    d = _digits_only(v).upper()
    if len(d) == 13 and d.isdigit():
        weighted = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(d))
        return d.startswith(("978", "979")) and weighted % 10 == 0
    if len(d) == 10 and d[:9].isdigit() and (d[9].isdigit() or d[9] == "X"):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(d))
        return total % 11 == 0
    return False


@rule("technology.code.issn")
def _issn(v: str) -> bool:
    m = re.fullmatch(r"(?:ISSN )?(\d{4})-(\d{3})([\dX])", v)
    if not m:
        return False
    digits = m.group(1) + m.group(2)
    s = sum(int(c) * w for c, w in zip(digits, range(8, 1, -1), strict=True))
    check = (11 - s % 11) % 11
    return m.group(3) == ("X" if check == 10 else str(check))


_IPV4 = re.compile(r"(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}")


@rule("technology.internet.ip_v4")
def _ipv4(v: str) -> bool:
    """Four decimal octets 0-255 without leading zeros: what ``ipaddress.IPv4Address`` accepts (a test
    cross-checks the two), at a fifth of its cost."""
    return v.isascii() and _IPV4.fullmatch(v) is not None


@rule("technology.internet.ip_v6")
def _ipv6(v: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(v), ipaddress.IPv6Address)
    except ValueError:
        return False


@rule("technology.internet.ip_v4_with_port")
def _ipv4_port(v: str) -> bool:
    host, _, port = v.rpartition(":")
    return _ipv4(host) and port.isdigit() and 0 <= int(port) <= 65535


# the fields of datetime.strptime's own patterns; a value is a date when one format matches it whole and
# the fields make a real calendar date (checked by the datetime constructor). Compiled once: strptime
# itself re-parses its format on every call, which made the rules the slowest step of prediction.
_FIELDS = {
    "%d": r"(?P<day>3[01]|[12]\d|0[1-9]|[1-9]| [1-9])", "%m": r"(?P<month>1[0-2]|0[1-9]|[1-9])",
    "%Y": r"(?P<year>\d\d\d\d)", "%y": r"(?P<yy>\d\d)", "%H": r"(?P<hour>2[0-3]|[0-1]\d|\d)",
    "%M": r"(?P<minute>[0-5]\d|\d)", "%S": r"(?P<second>[0-5]\d|\d)",
}


def _date_pattern(fmt: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(fmt):
        if fmt[i] == "%":
            out.append(_FIELDS[fmt[i:i + 2]])
            i += 2
        else:
            out.append(r"\s+" if fmt[i] == " " else re.escape(fmt[i]))
            i += 1
    return re.compile("".join(out), re.IGNORECASE)


def _date_rule(*formats: str) -> Rule:
    patterns = [_date_pattern(fmt) for fmt in formats]

    def check(v: str) -> bool:
        for pattern in patterns:
            m = pattern.fullmatch(v)
            if m is None:
                continue
            f = m.groupdict()
            year = int(f["year"]) if f.get("year") else int(f["yy"]) + (1900 if int(f["yy"]) >= 69 else 2000)
            try:
                datetime(year, int(f["month"]), int(f["day"]), int(f.get("hour") or 0),
                         int(f.get("minute") or 0), int(f.get("second") or 0))
                return True
            except ValueError:
                continue
        return False

    return check


RULES["datetime.date.iso"] = _date_rule("%Y-%m-%d")
RULES["datetime.date.compact_dmy"] = _date_rule("%d%m%Y")
RULES["datetime.date.compact_mdy"] = _date_rule("%m%d%Y")
RULES["datetime.date.compact_ymd"] = _date_rule("%Y%m%d")
RULES["datetime.date.eu_dot"] = _date_rule("%d.%m.%Y")
RULES["datetime.date.eu_slash"] = _date_rule("%d/%m/%Y")
RULES["datetime.date.us_slash"] = _date_rule("%m/%d/%Y")
RULES["datetime.date.short_dmy"] = _date_rule("%d/%m/%y", "%d.%m.%y", "%d-%m-%y")
RULES["datetime.date.short_mdy"] = _date_rule("%m/%d/%y", "%m-%d-%y")
RULES["datetime.date.short_ymd"] = _date_rule("%y-%m-%d", "%y/%m/%d", "%y.%m.%d")
RULES["datetime.timestamp.american_24h"] = _date_rule("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S")
RULES["datetime.timestamp.european"] = _date_rule("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d.%m.%Y %H:%M",
                                                  "%d.%m.%Y %H:%M:%S", "%d-%m-%Y %H:%M:%S")


def _int_in(lo: int, hi: int, lengths: tuple[int, ...] | None = None) -> Rule:
    def check(v: str) -> bool:
        if not (v.isascii() and v.isdigit()):
            return False
        if lengths is not None and len(v) not in lengths:
            return False
        return lo <= int(v) <= hi

    return check


RULES["datetime.epoch.unix_seconds"] = _int_in(0, 10**11, (9, 10, 11))
RULES["datetime.epoch.unix_milliseconds"] = _int_in(0, 10**14, (12, 13, 14))
RULES["datetime.epoch.unix_microseconds"] = _int_in(0, 10**17, (15, 16, 17))
RULES["datetime.component.day_of_month"] = _int_in(1, 31, (1, 2))


@rule("geography.coordinate.latitude")
def _lat(v: str) -> bool:
    try:
        return abs(float(v)) <= 90.0
    except ValueError:
        return False


@rule("geography.coordinate.longitude")
def _lon(v: str) -> bool:
    try:
        return abs(float(v)) <= 180.0
    except ValueError:
        return False


B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


@rule("identity.payment.bitcoin_address")
def _bitcoin(v: str) -> bool:
    if v.startswith("bc1"):
        return bool(re.fullmatch(r"bc1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{11,87}", v))
    if not (25 <= len(v) <= 35) or any(c not in B58_ALPHABET for c in v):
        return False
    n = 0
    for c in v:
        n = n * 58 + B58_ALPHABET.index(c)
    try:
        raw = n.to_bytes(25, "big")
    except OverflowError:
        return False
    return hashlib.sha256(hashlib.sha256(raw[:21]).digest()).digest()[:4] == raw[21:]


# --- check digits of the extended taxonomy's codes (generators_extended.py draws valid ones) -----------

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _alnum_value(ch: str) -> int:
    """0-9 for digits, 10-35 for A-Z (the convention of ISIN, CUSIP, SEDOL, LEI, IBAN)."""
    return int(ch) if ch.isdigit() else ord(ch) - 55


def mod10_weighted(digits: str, weights: tuple[int, ...]) -> bool:
    """Weights repeat from the left; the weighted digit sum must be a multiple of 10 (ABA: 3,7,1; UPC: 3,1)."""
    if not (digits.isascii() and digits.isdigit()):
        return False
    return sum(int(d) * weights[i % len(weights)] for i, d in enumerate(digits)) % 10 == 0


def isin_check(body: str) -> str:
    expanded = "".join(str(_alnum_value(ch)) for ch in body)
    return next(d for d in "0123456789" if luhn_ok(expanded + d))


def cusip_check(body: str) -> str:
    total = 0
    for i, ch in enumerate(body):
        v = _alnum_value(ch) if ch.isalnum() else {"*": 36, "@": 37, "#": 38}[ch]
        if i % 2 == 1:
            v *= 2
        total += v // 10 + v % 10
    return str((10 - total % 10) % 10)


def sedol_check(body: str) -> str:
    total = sum(_alnum_value(ch) * w for ch, w in zip(body, (1, 3, 1, 7, 3, 9), strict=True))
    return str((10 - total % 10) % 10)


def figi_check(body: str) -> str:
    """FIGI check digit: Luhn-style over the letters' values (A=10 ... Z=35), doubling every second one."""
    total = 0
    for i, ch in enumerate(body):
        v = _alnum_value(ch)
        if i % 2 == 1:
            v *= 2
        total += sum(int(d) for d in str(v))
    return str((10 - total % 10) % 10)


def _mod97(s: str) -> int:
    return int("".join(str(_alnum_value(ch)) for ch in s)) % 97


def lei_check(body: str) -> str:
    return f"{98 - _mod97(body + '00'):02d}"


def iban_ok(v: str) -> bool:
    s = v.replace(" ", "")
    return (15 <= len(s) <= 34 and s.isascii() and s.isalnum() and s[:2].isalpha() and s[2:4].isdigit()
            and _mod97((s[4:] + s[:4]).upper()) == 1)


_VIN_VALUES = {**{str(d): d for d in range(10)}, **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
               **dict(zip("JKLMN", range(1, 6), strict=True)), "P": 7, "R": 9,
               **dict(zip("STUVWXYZ", range(2, 10), strict=True))}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_check(vin: str) -> str:
    r = sum(_VIN_VALUES[ch] * w for ch, w in zip(vin, _VIN_WEIGHTS, strict=True)) % 11
    return "X" if r == 10 else str(r)


def abn_ok(digits: str) -> bool:
    d = [int(x) for x in digits]
    d[0] -= 1
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    return len(d) == 11 and sum(x * w for x, w in zip(d, weights, strict=True)) % 89 == 0


def orcid_check(body: str) -> str:
    total = 0
    for ch in body:
        total = (total + int(ch)) * 2
    r = (12 - total % 11) % 11
    return "X" if r == 10 else str(r)


def cas_check(body: str) -> str:
    return str(sum(int(d) * (i + 1) for i, d in enumerate(reversed(body))) % 10)


def dea_check(body: str) -> str:
    d = [int(x) for x in body[2:8]]
    return str((d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10)


_ISO6346_VALUES = {ch: v for ch, v in zip(string.ascii_uppercase, [10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24,
                                                                    25, 26, 27, 28, 29, 30, 31, 32, 34, 35, 36, 37, 38],
                                          strict=True)}


def iso6346_check(body: str) -> str:
    total = sum((_ISO6346_VALUES[ch] if ch.isalpha() else int(ch)) * 2**i for i, ch in enumerate(body))
    return str(total % 11 % 10)


def _compact(v: str, drop: str = " -") -> str:
    return "".join(ch for ch in v if ch not in drop).upper()


RULES["finance.banking.iban"] = iban_ok
RULES["finance.banking.aba_routing"] = lambda v: len(v) == 9 and mod10_weighted(v, (3, 7, 1))
def _check_char_rule(length: int, check: Callable[[str], str], prefix_ok: Rule | None = None) -> Rule:
    """An ASCII alphanumeric code of ``length`` whose last character is ``check`` of the rest (upper-cased)."""

    def ok(v: str) -> bool:
        return (len(v) == length and v.isascii() and v.isalnum() and (prefix_ok is None or prefix_ok(v))
                and check(v[:-1].upper()) == v[-1])

    return ok


RULES["finance.securities.isin"] = _check_char_rule(12, isin_check, lambda v: v[:2].isalpha())
RULES["finance.securities.cusip"] = _check_char_rule(9, cusip_check)
RULES["finance.securities.sedol"] = _check_char_rule(7, sedol_check)
RULES["finance.securities.figi"] = _check_char_rule(12, figi_check, lambda v: v[2] == "G")
RULES["finance.securities.lei"] = lambda v: (len(v) == 20 and v.isascii() and v.isalnum()
                                             and _mod97(v.upper()) == 1)
RULES["identity.government.vin"] = lambda v: (len(v) == 17 and all(ch in _VIN_VALUES for ch in v.upper())
                                              and vin_check(v.upper()) == v[8].upper())
RULES["identity.government.abn"] = lambda v: (len(_compact(v)) == 11 and _compact(v).isdigit()
                                              and abn_ok(_compact(v)))
RULES["identity.medical.npi"] = lambda v: len(v) == 10 and v.isascii() and v.isdigit() and luhn_ok("80840" + v)
RULES["identity.commerce.upc"] = lambda v: len(v) == 12 and mod10_weighted(v, (3, 1))
RULES["representation.scientific.cas_number"] = lambda v: (bool(re.fullmatch(r"\d{2,7}-\d\d-\d", v))
                                                           and cas_check(v[:-2].replace("-", "")) == v[-1])


@rule("identity.academic.orcid")
def _orcid(v: str) -> bool:
    d = _compact(v.removeprefix("https://orcid.org/"))
    return len(d) == 16 and d[:15].isdigit() and orcid_check(d[:15]) == d[15]


@rule("geography.transportation.iso6346")
def _iso6346(v: str) -> bool:
    d = _compact(v, " ")
    return len(d) == 11 and d[:4].isalpha() and d[4:].isdigit() and iso6346_check(d[:10]) == d[10]



_MIME = re.compile(r"[A-Za-z0-9][\w.+-]*/[\w.+-]+(?:\s*;.*)?")


@rule("representation.file.mime_type")
def _mime(v: str) -> bool:
    """type/subtype: one slash, a name on each side (a POSIX path such as /etc/hosts is none)."""
    return bool(_MIME.fullmatch(v.strip()))


@rule("identity.person.password")
def _password(v: str) -> bool:
    """A password has a letter and no space at either end: $1,299.99 or 2024 is no password."""
    return any(ch.isalpha() for ch in v) and v == v.strip()


@rule("technology.development.version")
@rule("technology.development.calver")
def _version(v: str) -> bool:
    """A bare dotted quad of octets (8.8.8.8, 10.0.0.1) is an IPv4 address, never a version."""
    parts = v.split(".")
    return not (len(parts) == 4 and all(p.isdigit() and len(p) <= 3 and int(p) <= 255 and (p == "0" or
                                                                                       not p.startswith("0"))
                                        for p in parts))

# Labels whose rule includes a check digit (or checksum): a value of another type with the same form passes
# it about one time in ten (mod 10 / mod 11) or less (mod 97, Base58Check), so a column whose values nearly
# all pass is evidence no value-by-value reading has (``columns.check_digit_rule``).
CHECK_DIGIT_LABELS = frozenset({
    "identity.payment.credit_card_number", "technology.code.imei", "technology.code.ean", "technology.code.isbn",
    "technology.code.issn", "identity.payment.bitcoin_address", "finance.banking.aba_routing",
    "finance.banking.iban", "finance.securities.cusip", "finance.securities.figi", "finance.securities.isin",
    "finance.securities.lei", "finance.securities.sedol", "geography.transportation.iso6346",
    "identity.academic.orcid", "identity.commerce.upc", "identity.government.abn", "identity.government.vin",
    "identity.medical.npi", "representation.scientific.cas_number",
})


def apply_rules(values: list[str], proba: np.ndarray, labels: list[str], top: int = 5) -> np.ndarray:
    """Zero the probability of any of each value's ``top`` candidates whose rule rejects it; renormalize.

    If every candidate with a rule is rejected and nothing else remains, the model's ranking is kept."""
    ruled = [(i, RULES[lab]) for i, lab in enumerate(labels) if lab in RULES]
    if not ruled:
        return proba
    k = min(top, proba.shape[1])
    # a ruled label is a candidate where it scores at least the row's k-th highest probability (a partition of
    # the values is ~5x faster than an argpartition over all labels; ties at that value are all candidates)
    kth = np.partition(proba, proba.shape[1] - k, axis=1)[:, proba.shape[1] - k]
    ruled_cols = np.array([i for i, _ in ruled], dtype=np.int64)
    rows, slots = np.nonzero(proba[:, ruled_cols] >= kth[:, None])
    cols = ruled_cols[slots]
    checks = [fn for _, fn in ruled]
    keep = np.array([checks[s](values[r]) for r, s in zip(rows.tolist(), slots.tolist(), strict=True)],
                    dtype=bool).reshape(len(rows))
    if keep.all():
        return proba
    out = proba.copy()
    out[rows[~keep], cols[~keep]] = 0.0
    touched = np.unique(rows[~keep])
    total = out[touched].sum(axis=1)
    fine = total > 0
    out[touched[fine]] /= total[fine, None]
    out[touched[~fine]] = proba[touched[~fine]]  # every candidate rejected: keep the model's ranking
    return out
