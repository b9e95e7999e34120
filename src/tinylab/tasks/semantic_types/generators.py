"""Seeded value generators, one per semantic type.

Every generator takes a :class:`GenContext` (a ``random.Random`` plus a multi-locale Faker, both seeded
from the split seed and the label name) and returns one string. ``generate(label, n, seed)`` is
deterministic for a given Faker version (pinned in ``pyproject.toml``), and a label's stream does not
depend on which other labels exist, so growing the taxonomy never changes existing data.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import string
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from random import Random

from faker import Faker

from tinylab.tasks.semantic_types.validators import B58_ALPHABET, luhn_ok

LOCALES = [
    "en_US", "en_GB", "en_IN", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_BR", "pl_PL",
    "sv_SE", "ru_RU", "ja_JP", "zh_CN", "tr_TR", "cs_CZ",
]


@dataclass
class GenContext:
    """What a generator draws from: one seeded RNG, and one seeded Faker per locale."""

    rng: Random
    fakers: dict[str, Faker]

    @property
    def fake(self) -> Faker:
        """The en_US Faker, for values that are not locale-specific."""
        return self.fakers["en_US"]

    def locale(self) -> Faker:
        """A Faker of a locale picked by this context's RNG."""
        return self.fakers[self.rng.choice(LOCALES)]

    def choice(self, seq: list[str] | tuple[str, ...] | str) -> str:
        return self.rng.choice(seq)


Generator = Callable[[GenContext], str]
GENERATORS: dict[str, Generator] = {}


def gen(label: str) -> Callable[[Generator], Generator]:
    def register(fn: Generator) -> Generator:
        GENERATORS[label] = fn
        return fn

    return register


_FAKERS: dict[str, Faker] = {}


def _fakers() -> dict[str, Faker]:
    if not _FAKERS:
        for loc in LOCALES:
            fake = Faker(loc)
            # Some providers build word lists from sets (it_IT's cities), whose order changes with
            # PYTHONHASHSEED; sorting them makes generated data identical in every process.
            for provider in fake.get_providers():
                cities = getattr(provider, "cities", None)
                if isinstance(cities, list) and all(isinstance(v, str) for v in cities):
                    provider.cities = sorted(cities)
            _FAKERS[loc] = fake
    return _FAKERS


def label_seed(seed: int, label: str) -> int:
    digest = hashlib.sha256(f"{seed}:{label}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def generate(label: str, n: int, seed: int) -> list[str]:
    """``n`` values of ``label``, deterministic for ``seed``."""
    if label not in GENERATORS:
        raise KeyError(f"no generator for label {label!r}")
    s = label_seed(seed, label)
    fakers = _fakers()
    for i, f in enumerate(fakers.values()):
        f.seed_instance(s + i)
    ctx = GenContext(rng=Random(s), fakers=fakers)
    fn = GENERATORS[label]
    return [fn(ctx) for _ in range(n)]


# --------------------------------------------------------------------------------------------
# shared helpers

def _dt(c: GenContext, start_year: int = 1970, end_year: int = 2035) -> datetime:
    start = datetime(start_year, 1, 1, tzinfo=UTC)
    span = (datetime(end_year, 12, 31, tzinfo=UTC) - start).total_seconds()
    return start + timedelta(seconds=c.rng.random() * span)


def _offset(c: GenContext, colon: bool = True) -> str:
    minutes = c.choice([-720, -600, -480, -420, -360, -300, -240, -180, -60, 0, 60, 120, 180, 210,
                        240, 270, 300, 330, 345, 360, 420, 480, 540, 570, 600, 660, 720, 780])
    sign = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"{sign}{h:02d}:{m:02d}" if colon else f"{sign}{h:02d}{m:02d}"


def _hex(c: GenContext, n: int) -> str:
    return "".join(c.rng.choice("0123456789abcdef") for _ in range(n))


def _digits(c: GenContext, n: int) -> str:
    return "".join(c.rng.choice(string.digits) for _ in range(n))


def _luhn_complete(partial: str) -> str:
    """``partial`` plus the check digit that makes it pass the Luhn check."""
    return next(partial + d for d in "0123456789" if luhn_ok(partial + d))


def _case(c: GenContext, s: str) -> str:
    r = c.rng.random()
    if r < 0.1:
        return s.lower()
    if r < 0.15:
        return s.upper()
    return s


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
MONTHS_DE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
             "Oktober", "November", "Dezember"]
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre"]
MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
             "octubre", "noviembre", "diciembre"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DAYS_DE = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
DAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
DAYS_ES = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _word_list(c: GenContext, k: int) -> list[str]:
    kind = c.rng.random()
    if kind < 0.35:
        return [c.fake.word() for _ in range(k)]
    if kind < 0.6:
        return [str(c.rng.randint(0, 999)) for _ in range(k)]
    if kind < 0.75:
        return [f"{c.rng.uniform(-100, 100):.{c.rng.randint(1, 3)}f}" for _ in range(k)]
    if kind < 0.9:
        return [c.locale().first_name() for _ in range(k)]
    return [c.locale().city() for _ in range(k)]


# --------------------------------------------------------------------------------------------
# container

@gen("container.array.comma_separated")
def _comma(c: GenContext) -> str:
    return c.choice([",", ", "]).join(_word_list(c, c.rng.randint(2, 7)))


@gen("container.array.pipe_separated")
def _pipe(c: GenContext) -> str:
    return c.choice(["|", " | "]).join(_word_list(c, c.rng.randint(2, 7)))


@gen("container.array.semicolon_separated")
def _semi(c: GenContext) -> str:
    return c.choice([";", "; "]).join(_word_list(c, c.rng.randint(2, 7)))


@gen("container.array.whitespace_separated")
def _ws(c: GenContext) -> str:
    k = c.rng.randint(2, 8)
    kind = c.rng.random()
    if kind < 0.4:
        items = [str(c.rng.randint(0, 9999)) for _ in range(k)]
    elif kind < 0.7:
        items = [f"{c.rng.uniform(-50, 50):.2f}" for _ in range(k)]
    else:
        items = [c.fake.word().lower() + str(c.rng.randint(0, 99)) for _ in range(k)]
    return c.choice([" ", "  ", "\t"]).join(items)


def _kv_pairs(c: GenContext) -> list[tuple[str, str]]:
    keys = ["id", "name", "q", "page", "lang", "sort", "user", "email", "token", "ref", "utm_source",
            "limit", "offset", "category", "city", "price_max", "first_name", "last_name", "age"]
    pairs = []
    for key in c.rng.sample(keys, c.rng.randint(1, 5)):
        r = c.rng.random()
        if r < 0.3:
            v = str(c.rng.randint(0, 5000))
        elif r < 0.6:
            v = c.fake.word()
        elif r < 0.8:
            v = c.locale().name()
        else:
            v = c.fake.email()
        pairs.append((key, v))
    return pairs


@gen("container.key_value.form_data")
def _form(c: GenContext) -> str:
    from urllib.parse import urlencode

    return urlencode(_kv_pairs(c))


@gen("container.key_value.query_string")
def _query(c: GenContext) -> str:
    from urllib.parse import quote, urlencode

    if c.rng.random() < 0.5:
        return "?" + urlencode(_kv_pairs(c), quote_via=quote)
    return "?" + urlencode(_kv_pairs(c))


def _record(c: GenContext) -> dict[str, object]:
    fields: dict[str, object] = {}
    options: list[tuple[str, Callable[[], object]]] = [
        ("id", lambda: c.rng.randint(1, 99999)),
        ("name", lambda: c.locale().name()),
        ("email", lambda: c.fake.email()),
        ("active", lambda: c.rng.random() < 0.5),
        ("price", lambda: round(c.rng.uniform(0, 500), 2)),
        ("city", lambda: c.locale().city()),
        ("tags", lambda: [c.fake.word() for _ in range(c.rng.randint(0, 3))]),
        ("created_at", lambda: _dt(c).strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("score", lambda: c.rng.randint(0, 100)),
        ("note", lambda: None),
    ]
    for key, make in c.rng.sample(options, c.rng.randint(1, 5)):
        fields[key] = make()
    return fields


@gen("container.object.csv")
def _csv(c: GenContext) -> str:
    import csv
    import io

    rec = _record(c)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(rec))
    for _ in range(c.rng.randint(1, 3)):
        w.writerow([str(v) for v in _record_like(c, rec).values()])
    return buf.getvalue().rstrip("\n")


def _record_like(c: GenContext, rec: dict[str, object]) -> dict[str, object]:
    other = _record(c)
    return {k: other.get(k, v) for k, v in rec.items()}


@gen("container.object.json")
def _json(c: GenContext) -> str:
    indent = c.choice([None, None, 2])
    return json.dumps(_record(c), ensure_ascii=c.rng.random() < 0.5, indent=indent)


@gen("container.object.json_array")
def _json_array(c: GenContext) -> str:
    r = c.rng.random()
    if r < 0.4:
        data: list[object] = [_record(c) for _ in range(c.rng.randint(1, 3))]
    elif r < 0.7:
        data = [c.rng.randint(0, 1000) for _ in range(c.rng.randint(0, 8))]
    else:
        data = [c.fake.word() for _ in range(c.rng.randint(1, 6))]
    return json.dumps(data, separators=c.choice([(",", ":"), (", ", ": ")]))


@gen("container.object.xml")
def _xml(c: GenContext) -> str:
    rec = _record(c)
    tag = c.choice(["item", "record", "user", "row", "entry", "product"])
    inner = "".join(f"<{k}>{v}</{k}>" for k, v in rec.items())
    head = '<?xml version="1.0" encoding="UTF-8"?>' if c.rng.random() < 0.3 else ""
    if c.rng.random() < 0.3:
        return f'{head}<{tag} id="{c.rng.randint(1, 999)}"/>'
    return f"{head}<{tag}>{inner}</{tag}>"


@gen("container.object.yaml")
def _yaml(c: GenContext) -> str:
    rec = _record(c)
    lines = []
    for k, v in rec.items():
        if isinstance(v, list):
            lines.append(f"{k}:")
            lines.extend(f"  - {x}" for x in v)
        elif v is None:
            lines.append(f"{k}: null")
        elif isinstance(v, bool):
            lines.append(f"{k}: {'true' if v else 'false'}")
        else:
            lines.append(f"{k}: {v}")
    if len(lines) == 1:
        lines.append(f"version: {c.rng.randint(1, 3)}")
    prefix = "---\n" if c.rng.random() < 0.2 else ""
    return prefix + "\n".join(lines)


# --------------------------------------------------------------------------------------------
# datetime.component

_ROMAN = {15: "XV", 16: "XVI", 17: "XVII", 18: "XVIII", 19: "XIX", 20: "XX", 21: "XXI", 14: "XIV",
          13: "XIII", 12: "XII", 11: "XI", 10: "X"}


@gen("datetime.component.century")
def _century(c: GenContext) -> str:
    n = c.rng.randint(10, 21)
    r = c.rng.random()
    if r < 0.4:
        return f"{_ordinal(n)} century"
    if r < 0.55:
        return f"{_ordinal(n)} Century"
    if r < 0.7:
        return f"{_ROMAN[n]} century"
    if r < 0.8:
        return _ROMAN[n]
    if r < 0.9:
        return f"{(n - 1) * 100}s"
    return f"{_ordinal(n)} c."


@gen("datetime.component.day_of_month")
def _dom(c: GenContext) -> str:
    d = c.rng.randint(1, 31)
    return f"{d:02d}" if c.rng.random() < 0.3 else str(d)


@gen("datetime.component.day_of_week")
def _dow(c: GenContext) -> str:
    i = c.rng.randrange(7)
    r = c.rng.random()
    if r < 0.45:
        return _case(c, DAYS[i])
    if r < 0.7:
        return _case(c, DAYS[i][:3])
    if r < 0.8:
        return DAYS_DE[i]
    if r < 0.9:
        return DAYS_FR[i]
    return DAYS_ES[i]


@gen("datetime.component.month_name")
def _month(c: GenContext) -> str:
    i = c.rng.randrange(12)
    r = c.rng.random()
    if r < 0.45:
        return _case(c, MONTHS[i])
    if r < 0.7:
        return _case(c, MONTHS[i][:3])
    if r < 0.8:
        return MONTHS_DE[i]
    if r < 0.9:
        return MONTHS_FR[i]
    return MONTHS_ES[i]


@gen("datetime.component.periodicity")
def _periodicity(c: GenContext) -> str:
    base = ["daily", "weekly", "monthly", "quarterly", "yearly", "annually", "hourly", "biweekly",
            "bi-weekly", "semi-annually", "fortnightly", "bimonthly", "every day", "once a week",
            "twice a month", "every 2 weeks", "every 3 months", "per annum", "semiannual",
            "every 6 hours", "nightly", "weekdays only", "on demand", "one-time"]
    return _case(c, c.choice(base))


@gen("datetime.component.year")
def _year(c: GenContext) -> str:
    return str(c.rng.randint(1900, 2035) if c.rng.random() < 0.85 else c.rng.randint(1600, 1899))


# --------------------------------------------------------------------------------------------
# datetime.date


def _date(c: GenContext) -> datetime:
    return _dt(c, 1950, 2035)


@gen("datetime.date.abbreviated_month")
def _abbrev_month(c: GenContext) -> str:
    d = _date(c)
    fmt = c.choice(["%d %b %Y", "%b %d, %Y", "%b %d %Y", "%d-%b-%Y", "%d %b, %Y", "%b. %d, %Y"])
    out = d.strftime(fmt)
    return out.upper() if "-%b-" in fmt and c.rng.random() < 0.5 else out


@gen("datetime.date.compact_dmy")
def _compact_dmy(c: GenContext) -> str:
    return _date(c).strftime("%d%m%Y")


@gen("datetime.date.compact_mdy")
def _compact_mdy(c: GenContext) -> str:
    return _date(c).strftime("%m%d%Y")


@gen("datetime.date.compact_ymd")
def _compact_ymd(c: GenContext) -> str:
    return _date(c).strftime("%Y%m%d")


@gen("datetime.date.eu_dot")
def _eu_dot(c: GenContext) -> str:
    d = _date(c)
    return d.strftime("%d.%m.%Y") if c.rng.random() < 0.8 else f"{d.day}.{d.month}.{d.year}"


@gen("datetime.date.eu_slash")
def _eu_slash(c: GenContext) -> str:
    d = _date(c)
    return d.strftime("%d/%m/%Y") if c.rng.random() < 0.8 else f"{d.day}/{d.month}/{d.year}"


@gen("datetime.date.us_slash")
def _us_slash(c: GenContext) -> str:
    d = _date(c)
    return d.strftime("%m/%d/%Y") if c.rng.random() < 0.8 else f"{d.month}/{d.day}/{d.year}"


@gen("datetime.date.iso")
def _iso_date(c: GenContext) -> str:
    return _date(c).strftime("%Y-%m-%d")


@gen("datetime.date.iso_week")
def _iso_week(c: GenContext) -> str:
    y, w, d = _date(c).isocalendar()
    r = c.rng.random()
    if r < 0.5:
        return f"{y}-W{w:02d}"
    if r < 0.8:
        return f"{y}-W{w:02d}-{d}"
    return f"{y}W{w:02d}"


@gen("datetime.date.julian")
def _julian(c: GenContext) -> str:
    d = _date(c)
    jd = d.timestamp() / 86400.0 + 2440587.5
    r = c.rng.random()
    if r < 0.6:
        return f"{jd:.{c.rng.randint(1, 5)}f}"
    if r < 0.8:
        return f"JD {jd:.1f}"
    return f"{jd - 2400000.5:.{c.rng.randint(1, 4)}f}"  # modified Julian date


@gen("datetime.date.long_full_month")
def _long_month(c: GenContext) -> str:
    d = _date(c)
    r = c.rng.random()
    if r < 0.45:
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    if r < 0.8:
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if r < 0.9:
        return f"{d.day}. {MONTHS_DE[d.month - 1]} {d.year}"
    return f"{d.day} de {MONTHS_ES[d.month - 1]} de {d.year}"


@gen("datetime.date.ordinal")
def _ordinal_date(c: GenContext) -> str:
    d = _date(c)
    doy = d.timetuple().tm_yday
    return f"{d.year}-{doy:03d}" if c.rng.random() < 0.8 else f"{d.year}{doy:03d}"


@gen("datetime.date.short_dmy")
def _short_dmy(c: GenContext) -> str:
    return _date(c).strftime(c.choice(["%d/%m/%y", "%d.%m.%y", "%d-%m-%y"]))


@gen("datetime.date.short_mdy")
def _short_mdy(c: GenContext) -> str:
    return _date(c).strftime(c.choice(["%m/%d/%y", "%m/%d/%y", "%m-%d-%y"]))


@gen("datetime.date.short_ymd")
def _short_ymd(c: GenContext) -> str:
    return _date(c).strftime(c.choice(["%y-%m-%d", "%y/%m/%d", "%y.%m.%d"]))


@gen("datetime.date.weekday_abbreviated_month")
def _wd_abbrev(c: GenContext) -> str:
    return _date(c).strftime(c.choice(["%a, %d %b %Y", "%a %b %d %Y", "%a, %b %d, %Y", "%a %d %b %Y"]))


@gen("datetime.date.weekday_full_month")
def _wd_full(c: GenContext) -> str:
    return _date(c).strftime(c.choice(["%A, %B %d, %Y", "%A, %d %B %Y", "%A %B %d %Y", "%A %d %B, %Y"]))


# --------------------------------------------------------------------------------------------
# datetime.duration / epoch / offset / time


@gen("datetime.duration.iso_8601")
def _duration(c: GenContext) -> str:
    parts = ""
    for unit, hi in (("Y", 10), ("M", 11), ("W", 8), ("D", 30)):
        if c.rng.random() < 0.3:
            parts += f"{c.rng.randint(1, hi)}{unit}"
    t = ""
    for unit, hi in (("H", 23), ("M", 59), ("S", 59)):
        if c.rng.random() < 0.4:
            t += f"{c.rng.randint(1, hi)}{unit}"
    if t and c.rng.random() < 0.2:
        t = t[:-1] + f".{c.rng.randint(1, 999)}S" if t.endswith("S") else t
    if not parts and not t:
        t = f"{c.rng.randint(1, 90)}M"
    return "P" + parts + ("T" + t if t else "")


def _epoch(c: GenContext) -> float:
    return _dt(c, 2001, 2033).timestamp()


@gen("datetime.epoch.unix_seconds")
def _unix_s(c: GenContext) -> str:
    return str(int(_epoch(c)))


@gen("datetime.epoch.unix_milliseconds")
def _unix_ms(c: GenContext) -> str:
    return str(int(_epoch(c) * 1000) + c.rng.randint(0, 999))


@gen("datetime.epoch.unix_microseconds")
def _unix_us(c: GenContext) -> str:
    return str(int(_epoch(c) * 1_000_000) + c.rng.randint(0, 999_999))


@gen("datetime.offset.iana")
def _iana(c: GenContext) -> str:
    return c.fake.timezone()


@gen("datetime.offset.utc")
def _utc_offset(c: GenContext) -> str:
    r = c.rng.random()
    if r < 0.4:
        return _offset(c)
    if r < 0.6:
        return _offset(c, colon=False)
    if r < 0.8:
        return "UTC" + _offset(c)
    return "GMT" + _offset(c)


def _hour24(c: GenContext) -> int:
    return c.rng.randint(0, 23)


@gen("datetime.time.hm_12h")
def _hm12(c: GenContext) -> str:
    h = c.rng.randint(1, 12)
    sep = c.choice([" ", " ", ""])
    return f"{h if c.rng.random() < 0.7 else f'{h:02d}'}:{c.rng.randint(0, 59):02d}{sep}{c.choice(['AM', 'PM', 'am', 'pm'])}"


@gen("datetime.time.hm_24h")
def _hm24(c: GenContext) -> str:
    return f"{_hour24(c):02d}:{c.rng.randint(0, 59):02d}"


@gen("datetime.time.hms_12h")
def _hms12(c: GenContext) -> str:
    h = c.rng.randint(1, 12)
    return f"{h}:{c.rng.randint(0, 59):02d}:{c.rng.randint(0, 59):02d} {c.choice(['AM', 'PM', 'am', 'pm'])}"


@gen("datetime.time.hms_24h")
def _hms24(c: GenContext) -> str:
    return f"{_hour24(c):02d}:{c.rng.randint(0, 59):02d}:{c.rng.randint(0, 59):02d}"


@gen("datetime.time.iso")
def _time_iso(c: GenContext) -> str:
    base = f"{_hour24(c):02d}:{c.rng.randint(0, 59):02d}:{c.rng.randint(0, 59):02d}"
    r = c.rng.random()
    if r < 0.35:
        base += f".{_digits(c, c.choice([3, 6]))}"
    tail = c.choice(["Z", _offset(c), "", "Z"])
    if not tail and "." not in base:
        tail = "Z"
    prefix = "T" if c.rng.random() < 0.3 else ""
    return prefix + base + tail


# --------------------------------------------------------------------------------------------
# datetime.timestamp


@gen("datetime.timestamp.american")
def _ts_american(c: GenContext) -> str:
    d = _date(c)
    fmt = c.choice(["%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M%p"])
    return d.strftime(fmt)


@gen("datetime.timestamp.american_24h")
def _ts_american24(c: GenContext) -> str:
    return _date(c).strftime(c.choice(["%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S"]))


@gen("datetime.timestamp.european")
def _ts_european(c: GenContext) -> str:
    return _date(c).strftime(c.choice(["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d.%m.%Y %H:%M",
                                       "%d.%m.%Y %H:%M:%S", "%d-%m-%Y %H:%M:%S"]))


@gen("datetime.timestamp.iso_8601")
def _ts_iso(c: GenContext) -> str:
    return _date(c).strftime("%Y-%m-%dT%H:%M:%S") + c.choice(["Z", "Z", ""])


@gen("datetime.timestamp.iso_8601_compact")
def _ts_iso_compact(c: GenContext) -> str:
    return _date(c).strftime(c.choice(["%Y%m%dT%H%M%SZ", "%Y%m%dT%H%M%S", "%Y%m%dT%H%MZ"]))


@gen("datetime.timestamp.iso_8601_microseconds")
def _ts_iso_us(c: GenContext) -> str:
    return _date(c).strftime("%Y-%m-%dT%H:%M:%S") + f".{_digits(c, c.choice([6, 6, 3]))}" + c.choice(["Z", ""])


@gen("datetime.timestamp.iso_8601_offset")
def _ts_iso_offset(c: GenContext) -> str:
    frac = f".{_digits(c, 3)}" if c.rng.random() < 0.15 else ""
    return _date(c).strftime("%Y-%m-%dT%H:%M:%S") + frac + _offset(c, colon=c.rng.random() < 0.85)


@gen("datetime.timestamp.iso_microseconds")
def _ts_iso_space_us(c: GenContext) -> str:
    return _date(c).strftime("%Y-%m-%d %H:%M:%S") + f".{_digits(c, 6)}"


@gen("datetime.timestamp.rfc_2822")
def _ts_rfc2822(c: GenContext) -> str:
    d = _date(c)
    tail = c.choice([_offset(c, colon=False), "GMT", _offset(c, colon=False), "+0000"])
    return d.strftime("%a, %d %b %Y %H:%M:%S ") + tail


@gen("datetime.timestamp.rfc_2822_ordinal")
def _ts_rfc2822_ord(c: GenContext) -> str:
    d = _date(c)
    r = c.rng.random()
    if r < 0.5:
        return f"{d.strftime('%a')}, {_ordinal(d.day)} {d.strftime('%b %Y %H:%M:%S')} {_offset(c, colon=False)}"
    if r < 0.8:
        return f"{d.strftime('%A')}, {d.strftime('%B')} {_ordinal(d.day)}, {d.year} {d.strftime('%I:%M %p')}"
    return f"{_ordinal(d.day)} {d.strftime('%B %Y, %H:%M')}"


@gen("datetime.timestamp.rfc_3339")
def _ts_rfc3339(c: GenContext) -> str:
    frac = f".{_digits(c, c.choice([2, 3, 6]))}" if c.rng.random() < 0.3 else ""
    return _date(c).strftime("%Y-%m-%d %H:%M:%S") + frac + c.choice([_offset(c), "Z", _offset(c)])


@gen("datetime.timestamp.sql_standard")
def _ts_sql(c: GenContext) -> str:
    return _date(c).strftime("%Y-%m-%d %H:%M:%S")


# --------------------------------------------------------------------------------------------
# geography


@gen("geography.address.full_address")
def _address(c: GenContext) -> str:
    return c.locale().address().replace("\n", c.choice([", ", ", ", " "]))


@gen("geography.address.postal_code")
def _postcode(c: GenContext) -> str:
    return c.locale().postcode()


@gen("geography.address.street_name")
def _street_name(c: GenContext) -> str:
    return c.locale().street_name()


@gen("geography.address.street_number")
def _street_number(c: GenContext) -> str:
    r = c.rng.random()
    n = str(int(10 ** c.rng.uniform(0, 4)))
    if r < 0.15:
        return n + c.choice("ABCDabc")
    if r < 0.2:
        return f"{n}-{c.rng.randint(1, 20)}"
    if r < 0.25:
        return f"No. {n}"
    return n


STREET_SUFFIXES = ["Street", "St", "St.", "Avenue", "Ave", "Ave.", "Road", "Rd", "Boulevard", "Blvd",
                   "Lane", "Ln", "Drive", "Dr", "Court", "Ct", "Place", "Pl", "Terrace", "Way",
                   "Parkway", "Pkwy", "Circle", "Cir", "Highway", "Hwy", "Square", "Sq", "Trail",
                   "Crescent", "Close", "Row", "Alley", "Plaza", "Loop", "Pike", "Run", "Walk",
                   "Strasse", "Straße", "Weg", "Allee", "Platz", "Gasse", "Rue", "Calle", "Via",
                   "Avenida", "Rua", "Gade", "Vej", "gatan", "vägen", "ulica"]


@gen("geography.address.street_suffix")
def _street_suffix(c: GenContext) -> str:
    return _case(c, c.choice(STREET_SUFFIXES))


CALLING_CODES = ["1", "7", "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43",
                 "44", "45", "46", "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58",
                 "60", "61", "62", "63", "64", "65", "66", "81", "82", "84", "86", "90", "91", "92",
                 "93", "94", "95", "98", "211", "212", "213", "216", "218", "220", "221", "233",
                 "234", "254", "255", "256", "260", "263", "351", "352", "353", "354", "355", "356",
                 "357", "358", "359", "370", "371", "372", "380", "381", "385", "386", "420", "421",
                 "852", "853", "855", "880", "886", "960", "961", "962", "963", "964", "965", "966",
                 "971", "972", "973", "974", "977", "994", "995", "998", "1-876", "1-868"]


@gen("geography.contact.calling_code")
def _calling(c: GenContext) -> str:
    code = c.choice(CALLING_CODES)
    r = c.rng.random()
    if r < 0.75:
        return "+" + code
    if r < 0.9:
        return "00" + code.replace("-", "")
    return f"+{code}" if "-" in code else f"(+{code})"


def _lat(c: GenContext) -> float:
    return c.rng.uniform(-90, 90) if c.rng.random() < 0.3 else float(c.locale().latitude())


def _lon(c: GenContext) -> float:
    return c.rng.uniform(-180, 180) if c.rng.random() < 0.3 else float(c.locale().longitude())


@gen("geography.coordinate.coordinates")
def _coords(c: GenContext) -> str:
    p = c.rng.randint(3, 7)
    lat, lon = _lat(c), _lon(c)
    r = c.rng.random()
    if r < 0.5:
        return f"{lat:.{p}f}{c.choice([', ', ',', ' '])}{lon:.{p}f}"
    if r < 0.65:
        return f"({lat:.{p}f}, {lon:.{p}f})"
    if r < 0.8:
        return f"POINT({lon:.{p}f} {lat:.{p}f})"
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    return f"{abs(lat):.4f}° {ns}, {abs(lon):.4f}° {ew}"


@gen("geography.coordinate.latitude")
def _latitude(c: GenContext) -> str:
    return f"{_lat(c):.{c.rng.randint(2, 7)}f}"


@gen("geography.coordinate.longitude")
def _longitude(c: GenContext) -> str:
    return f"{_lon(c):.{c.rng.randint(2, 7)}f}"


@gen("geography.location.city")
def _city(c: GenContext) -> str:
    return c.locale().city()


CONTINENTS = ["Africa", "Antarctica", "Asia", "Europe", "North America", "South America", "Oceania",
              "Australia", "Afrika", "Europa", "Asien", "Nordamerika", "Südamerika", "Amérique du Nord",
              "Amérique du Sud", "Océanie", "Asie", "América del Sur", "América del Norte", "AF", "AS",
              "EU", "NA", "SA", "OC", "AN", "Latin America", "Central America", "Eurasia"]


@gen("geography.location.continent")
def _continent(c: GenContext) -> str:
    return _case(c, c.choice(CONTINENTS))


@gen("geography.location.country")
def _country(c: GenContext) -> str:
    return c.fake.country() if c.rng.random() < 0.7 else c.locale().country()


@gen("geography.location.country_code")
def _country_code(c: GenContext) -> str:
    r = c.rng.random()
    if r < 0.7:
        return c.fake.country_code()
    if r < 0.8:
        return c.fake.country_code().lower()
    return c.fake.country_code(representation="alpha-3")


@gen("geography.location.region")
def _region(c: GenContext) -> str:
    loc = c.locale()
    for attr in ("state", "administrative_unit", "region", "province", "county"):
        if hasattr(loc, attr):
            return str(getattr(loc, attr)())
    return c.fake.state()


IATA = ["ATL", "PEK", "LAX", "DXB", "HND", "ORD", "LHR", "PVG", "CDG", "DFW", "CGK", "DEN", "AMS", "FRA", "IST", "SIN", "ICN", "BKK", "JFK", "SFO", "MAD", "SEA", "LAS", "PHX", "MIA", "IAH", "MUC", "YYZ", "SYD", "MEL", "BCN", "LGW", "FCO", "DEL", "BOM", "GRU", "MEX", "BOS", "MSP", "DTW", "EWR", "PHL", "LGA", "CLT", "ZRH", "VIE", "CPH", "OSL", "ARN", "HEL", "DUB", "MAN", "LIS", "ATH", "PRG", "WAW", "BUD", "OTP", "SVO", "DME", "LED", "KBP", "TLV", "CAI", "JNB", "CPT", "NBO", "ADD", "LOS", "DOH", "AUH", "RUH", "JED", "KWI", "BAH", "MCT", "KHI", "ISB", "LHE", "CMB", "DAC", "KTM", "MAA", "BLR", "HYD", "CCU", "HKG", "TPE", "MNL", "KUL", "CGK", "SGN", "HAN", "PNH", "RGN", "NRT", "KIX", "CTS", "FUK", "ICN", "GMP", "PUS", "AKL", "CHC", "BNE", "PER", "ADL", "YVR", "YUL", "YYC", "YOW", "SCL", "EZE", "GIG", "BOG", "LIM", "UIO", "PTY", "SJO", "HAV", "SJU", "MBJ", "NAS", "CUN", "GDL", "MTY", "SAN", "SJC", "OAK", "SMF", "PDX", "SLC", "AUS", "SAT", "MSY", "BNA", "STL", "MCI", "IND", "CMH", "CLE", "PIT", "BWI", "DCA", "IAD", "RDU", "TPA", "MCO", "FLL", "RSW", "JAX", "ANC", "HNL", "OGG"]
ICAO = ["KATL", "ZBAA", "KLAX", "OMDB", "RJTT", "KORD", "EGLL", "ZSPD", "LFPG", "KDFW", "WIII", "KDEN", "EHAM", "EDDF", "LTFM", "WSSS", "RKSI", "VTBS", "KJFK", "KSFO", "LEMD", "KSEA", "KLAS", "KPHX", "KMIA", "KIAH", "EDDM", "CYYZ", "YSSY", "YMML", "LEBL", "EGKK", "LIRF", "VIDP", "VABB", "SBGR", "MMMX", "KBOS", "KMSP", "KDTW", "KEWR", "KPHL", "KLGA", "KCLT", "LSZH", "LOWW", "EKCH", "ENGM", "ESSA", "EFHK", "EIDW", "EGCC", "LPPT", "LGAV", "LKPR", "EPWA", "LHBP", "LROP", "UUEE", "UUDD", "ULLI", "UKBB", "LLBG", "HECA", "FAOR", "FACT", "HKJK", "HAAB", "DNMM", "OTHH", "OMAA", "OERK", "OEJN", "OKBK", "OBBI", "OOMS", "OPKC", "OPIS", "OPLA", "VCBI", "VGHS", "VNKT", "VOMM", "VOBL", "VOHS", "VECC", "VHHH", "RCTP", "RPLL", "WMKK", "VVTS", "VVNB", "VDPP", "VYYY", "RJAA", "RJBB", "RJCC", "RJFF", "RKSS", "RKPK", "NZAA", "NZCH", "YBBN", "YPPH", "YPAD", "CYVR", "CYUL", "CYYC", "CYOW", "SCEL", "SAEZ", "SBGL", "SKBO", "SPJC", "SEQM", "MPTO", "MROC", "MUHA", "TJSJ", "MKJS", "MYNN", "MMUN", "MMGL", "MMMY", "KSAN", "KSJC", "KOAK", "KSMF", "KPDX", "KSLC", "KAUS", "KSAT", "KMSY", "KBNA", "KSTL", "KMCI", "KIND", "KCMH", "KCLE", "KPIT", "KBWI", "KDCA", "KIAD"]


@gen("geography.transportation.iata_code")
def _iata(c: GenContext) -> str:
    return c.choice(IATA) if c.rng.random() < 0.9 else c.choice(IATA).lower()


@gen("geography.transportation.icao_code")
def _icao(c: GenContext) -> str:
    return c.choice(ICAO) if c.rng.random() < 0.9 else c.choice(ICAO).lower()


# --------------------------------------------------------------------------------------------
# identity

DEGREES = ["Bachelor of Science", "Bachelor of Arts", "Master of Science", "Master of Arts",
           "Doctor of Philosophy", "Master of Business Administration", "Bachelor of Engineering",
           "Master of Engineering", "Juris Doctor", "Doctor of Medicine", "Associate of Arts",
           "Associate of Science", "Bachelor of Fine Arts", "Master of Fine Arts", "Master of Laws",
           "Bachelor of Laws", "Master of Public Health", "Doctor of Education", "Bachelor of Commerce",
           "BSc", "BA", "MSc", "MA", "PhD", "Ph.D.", "MBA", "B.Eng.", "M.Eng.", "JD", "MD", "LLM",
           "LLB", "BFA", "MFA", "MPH", "EdD", "DPhil", "B.Sc. (Hons)", "Diplom-Ingenieur", "Licence",
           "Master 2", "Laurea Magistrale", "Bachelor of Nursing", "Doctor of Dental Surgery"]


@gen("identity.academic.degree")
def _degree(c: GenContext) -> str:
    d = c.choice(DEGREES)
    if c.rng.random() < 0.3 and d.startswith(("Bachelor", "Master", "Doctor")):
        d += " in " + c.choice(["Computer Science", "Economics", "Biology", "History", "Physics",
                                "Mathematics", "Psychology", "Chemistry", "Law", "Nursing", "Finance",
                                "Mechanical Engineering", "English Literature", "Philosophy"])
    return d


UNIVERSITIES = ["Harvard University", "Stanford University", "Massachusetts Institute of Technology",
                "University of Oxford", "University of Cambridge", "ETH Zurich", "Imperial College London",
                "University of Tokyo", "Sorbonne University", "Technical University of Munich",
                "Peking University", "Tsinghua University", "National University of Singapore",
                "University of Toronto", "McGill University", "Yale University", "Princeton University",
                "Columbia University", "University of Chicago", "Universidad de Buenos Aires",
                "Universidade de São Paulo", "Heidelberg University", "KU Leuven", "Delft University of Technology",
                "Karolinska Institutet", "University of Melbourne", "Seoul National University",
                "Indian Institute of Technology Bombay", "Lomonosov Moscow State University",
                "Universidad Nacional Autónoma de México", "Politecnico di Milano", "Uppsala University",
                "Carnegie Mellon University", "Georgia Institute of Technology", "Cornell University"]


@gen("identity.academic.university")
def _university(c: GenContext) -> str:
    r = c.rng.random()
    if r < 0.5:
        return c.choice(UNIVERSITIES)
    city = c.fake.city() if r < 0.75 else c.locale().city()
    return c.choice(["University of {}", "{} University", "{} State University", "{} Institute of Technology",
                     "{} College", "Universität {}", "Université de {}", "Universidad de {}",
                     "{} Technical University"]).format(city)


def _b58check(payload: bytes) -> str:
    check = hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    data = payload + check
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, rem = divmod(n, 58)
        out = B58_ALPHABET[rem] + out
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + out


@gen("identity.payment.bitcoin_address")
def _bitcoin(c: GenContext) -> str:
    h160 = bytes(c.rng.randrange(256) for _ in range(20))
    r = c.rng.random()
    if r < 0.4:
        return _b58check(b"\x00" + h160)
    if r < 0.7:
        return _b58check(b"\x05" + h160)
    charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
    n = 39 if r < 0.9 else 59
    return "bc1" + c.choice("qp") + "".join(c.rng.choice(charset) for _ in range(n - 4))


@gen("identity.payment.credit_card_expiration_date")
def _cc_exp(c: GenContext) -> str:
    m, y = c.rng.randint(1, 12), c.rng.randint(2015, 2035)
    return c.choice([f"{m:02d}/{y % 100:02d}", f"{m:02d}/{y % 100:02d}", f"{m:02d}/{y}", f"{m:02d}-{y}",
                     f"{m:02d}{y % 100:02d}"])


CARD_NETWORKS = ["Visa", "Mastercard", "MasterCard", "American Express", "Amex", "Discover", "JCB",
                 "Diners Club", "UnionPay", "Maestro", "Visa Electron", "China UnionPay", "RuPay",
                 "Mir", "Interac", "Cartes Bancaires", "Elo", "Hipercard", "VISA", "MASTERCARD"]


@gen("identity.payment.credit_card_network")
def _cc_network(c: GenContext) -> str:
    return c.choice(CARD_NETWORKS)


@gen("identity.payment.credit_card_number")
def _cc_number(c: GenContext) -> str:
    num = c.fake.credit_card_number()
    r = c.rng.random()
    if r < 0.2 and len(num) == 16:
        sep = c.choice([" ", "-"])
        return sep.join(num[i:i + 4] for i in range(0, 16, 4))
    return num


@gen("identity.payment.cvv")
def _cvv(c: GenContext) -> str:
    return _digits(c, 4 if c.rng.random() < 0.15 else 3)


@gen("identity.payment.ethereum_address")
def _eth(c: GenContext) -> str:
    h = _hex(c, 40)
    if c.rng.random() < 0.5:  # mixed-case checksum style
        h = "".join(ch.upper() if ch.isalpha() and c.rng.random() < 0.5 else ch for ch in h)
    return "0x" + h


def _email(c: GenContext) -> str:
    return c.locale().email() if c.rng.random() < 0.6 else c.locale().free_email()


@gen("identity.payment.paypal_email")
def _paypal_email(c: GenContext) -> str:
    return _email(c)


@gen("identity.person.age")
def _age(c: GenContext) -> str:
    a = c.rng.randint(0, 99)
    r = c.rng.random()
    if r < 0.55:
        return str(a)
    return c.choice([f"{a} years", f"{a} yrs", f"{a}y", f"{a} years old", f"{a} y/o", f"{a} ans", f"{a} Jahre"])


@gen("identity.person.blood_type")
def _blood(c: GenContext) -> str:
    t = c.choice(["A", "B", "AB", "O"]) + c.choice(["+", "-"])
    r = c.rng.random()
    if r < 0.15:
        return t.replace("+", " positive").replace("-", " negative")
    if r < 0.25:
        return t.replace("+", " Rh+").replace("-", " Rh-")
    return t


@gen("identity.person.email")
def _person_email(c: GenContext) -> str:
    return _email(c)


@gen("identity.person.first_name")
def _first(c: GenContext) -> str:
    return c.locale().first_name()


@gen("identity.person.full_name")
def _full(c: GenContext) -> str:
    loc = c.locale()
    r = c.rng.random()
    if r < 0.7:
        return f"{loc.first_name()} {loc.last_name()}"
    if r < 0.85:
        return loc.name()
    return f"{loc.last_name()}, {loc.first_name()}"


@gen("identity.person.gender")
def _gender(c: GenContext) -> str:
    return _case(c, c.choice(["Male", "Female", "Non-binary", "male", "female", "Man", "Woman",
                              "Other", "Prefer not to say", "Männlich", "Weiblich", "Homme", "Femme",
                              "Masculino", "Femenino", "Genderqueer", "Agender", "Transgender"]))


@gen("identity.person.gender_code")
def _gender_code(c: GenContext) -> str:
    return c.choice(["M", "F", "M", "F", "X", "U", "O", "m", "f", "D", "I"])


@gen("identity.person.gender_symbol")
def _gender_symbol(c: GenContext) -> str:
    return c.choice(["♂", "♀", "⚧", "⚥", "⚲", "♂️", "♀️", "⚪", "⚨", "⚦"])


@gen("identity.person.height")
def _height(c: GenContext) -> str:
    cm = c.rng.gauss(170, 12)
    r = c.rng.random()
    if r < 0.35:
        return f"{cm:.0f} cm"
    if r < 0.5:
        return f"{cm:.0f}cm"
    if r < 0.65:
        return f"{cm / 100:.2f} m"
    inches = cm / 2.54
    ft, inch = divmod(round(inches), 12)
    if r < 0.85:
        return f"{ft}'{inch}\""
    return c.choice([f"{ft} ft {inch} in", f"{inches:.0f} in", f"{ft}' {inch}\""])


@gen("identity.person.last_name")
def _last(c: GenContext) -> str:
    return c.locale().last_name()


NATIONALITIES = ["American", "British", "Canadian", "Mexican", "Brazilian", "Argentinian", "Chilean",
                 "Colombian", "Peruvian", "German", "French", "Spanish", "Italian", "Portuguese", "Dutch",
                 "Belgian", "Swiss", "Austrian", "Swedish", "Norwegian", "Danish", "Finnish", "Icelandic",
                 "Irish", "Polish", "Czech", "Slovak", "Hungarian", "Romanian", "Bulgarian", "Greek",
                 "Turkish", "Russian", "Ukrainian", "Chinese", "Japanese", "Korean", "Vietnamese", "Thai",
                 "Indonesian", "Filipino", "Malaysian", "Singaporean", "Indian", "Pakistani",
                 "Bangladeshi", "Sri Lankan", "Nepalese", "Iranian", "Iraqi", "Saudi", "Emirati",
                 "Israeli", "Egyptian", "Moroccan", "Nigerian", "Kenyan", "Ethiopian", "Ghanaian",
                 "South African", "Australian", "New Zealander", "Cuban", "Jamaican", "Venezuelan",
                 "Deutsch", "Française", "Español", "Italiano"]


@gen("identity.person.nationality")
def _nationality(c: GenContext) -> str:
    return c.choice(NATIONALITIES)


@gen("identity.person.occupation")
def _occupation(c: GenContext) -> str:
    loc = c.fake if c.rng.random() < 0.6 else c.locale()
    return str(loc.job())


@gen("identity.person.password")
def _password(c: GenContext) -> str:
    r = c.rng.random()
    if r < 0.5:
        return c.fake.password(length=c.rng.randint(8, 20), special_chars=c.rng.random() < 0.7)
    if r < 0.75:
        return c.fake.word().capitalize() + str(c.rng.randint(0, 9999)) + c.choice("!@#$%&*?")
    alphabet = string.ascii_letters + string.digits + "!@#$%^&*()-_=+[]{}"
    return "".join(c.rng.choice(alphabet) for _ in range(c.rng.randint(6, 24)))


@gen("identity.person.phone_number")
def _phone(c: GenContext) -> str:
    loc = c.locale()
    if c.rng.random() < 0.05:
        return "+" + loc.msisdn()
    return loc.phone_number()


@gen("identity.person.username")
def _username(c: GenContext) -> str:
    r = c.rng.random()
    if r < 0.7:
        return c.locale().user_name()
    return f"{c.fake.word()}{c.choice(['_', '.', '-', ''])}{c.fake.word()}{c.rng.randint(0, 999)}"


@gen("identity.person.weight")
def _weight(c: GenContext) -> str:
    kg = c.rng.gauss(75, 15)
    r = c.rng.random()
    if r < 0.4:
        return f"{kg:.{c.choice([0, 1])}f} kg"
    if r < 0.55:
        return f"{kg:.0f}kg"
    if r < 0.85:
        return f"{kg * 2.2046:.0f} {c.choice(['lbs', 'lb', 'pounds'])}"
    return f"{kg * 2.2046:.0f}lbs"


# --------------------------------------------------------------------------------------------
# representation


@gen("representation.file.extension")
def _extension(c: GenContext) -> str:
    ext = c.fake.file_extension() if c.rng.random() < 0.6 else c.choice(
        ["py", "js", "ts", "rs", "go", "java", "cpp", "h", "md", "json", "yaml", "toml", "csv",
         "parquet", "zip", "tar.gz", "gz", "exe", "dll", "so", "svg", "webp", "mkv", "flac", "docx",
         "xlsx", "pptx", "ipynb", "sql", "db", "log", "ini", "cfg", "bak", "iso", "apk", "dmg"])
    return "." + ext if c.rng.random() < 0.75 else ext


@gen("representation.file.file_size")
def _file_size(c: GenContext) -> str:
    nbytes = 10 ** c.rng.uniform(1, 12)
    r = c.rng.random()
    units = ["B", "KB", "MB", "GB", "TB"] if r < 0.7 else ["B", "KiB", "MiB", "GiB", "TiB"]
    i = 0
    while nbytes >= 1024 and i < 4:
        nbytes /= 1024
        i += 1
    if i == 0:
        return f"{int(nbytes)} {c.choice(['B', 'bytes'])}"
    sep = c.choice([" ", "", " "])
    return f"{nbytes:.{c.choice([0, 1, 1, 2])}f}{sep}{units[i]}"


@gen("representation.file.mime_type")
def _mime(c: GenContext) -> str:
    return c.fake.mime_type()


@gen("representation.numeric.decimal_number")
def _decimal(c: GenContext) -> str:
    mag = 10 ** c.rng.uniform(-3, 6)
    v = mag if c.rng.random() < 0.8 else -mag
    p = c.rng.randint(1, 6)
    if c.rng.random() < 0.1 and abs(v) >= 1000:
        return f"{v:,.{min(p, 2)}f}"
    return f"{v:.{p}f}"


@gen("representation.numeric.increment")
def _increment(c: GenContext) -> str:
    return str(c.rng.randint(1, 2000))


@gen("representation.numeric.integer_number")
def _integer(c: GenContext) -> str:
    v = int(10 ** c.rng.uniform(0, 10))
    if c.rng.random() < 0.25:
        v = -v
    if c.rng.random() < 0.1 and abs(v) >= 1000:
        return f"{v:,}"
    return str(v)


@gen("representation.numeric.percentage")
def _percentage(c: GenContext) -> str:
    v = c.rng.uniform(0, 100) if c.rng.random() < 0.85 else c.rng.uniform(-50, 300)
    p = c.choice([0, 1, 2])
    return f"{v:.{p}f}{c.choice(['%', '%', ' %'])}"


@gen("representation.numeric.scientific_notation")
def _sci(c: GenContext) -> str:
    v = c.rng.uniform(1, 10) * (10 ** c.rng.randint(-30, 30)) * c.choice([1, 1, 1, -1])
    s = f"{v:.{c.rng.randint(1, 6)}{c.choice('eE')}}"
    return s


def _seq(c: GenContext, alphabet: str, lo: int, hi: int) -> str:
    return "".join(c.rng.choice(alphabet) for _ in range(c.rng.randint(lo, hi)))


@gen("representation.scientific.dna_sequence")
def _dna(c: GenContext) -> str:
    s = _seq(c, "ACGT", 8, 80)
    return s.lower() if c.rng.random() < 0.15 else s


@gen("representation.scientific.rna_sequence")
def _rna(c: GenContext) -> str:
    s = _seq(c, "ACGU", 8, 80)
    return s.lower() if c.rng.random() < 0.15 else s


@gen("representation.scientific.protein_sequence")
def _protein(c: GenContext) -> str:
    s = _seq(c, "ACDEFGHIKLMNPQRSTVWY", 8, 80)
    return ("M" + s[1:]) if c.rng.random() < 0.5 else s


UNITS = ["kg", "g", "mg", "µg", "lb", "oz", "m", "cm", "mm", "km", "µm", "nm", "in", "ft", "mi", "yd",
         "L", "mL", "gal", "s", "ms", "min", "h", "Hz", "kHz", "MHz", "GHz", "N", "Pa", "kPa", "bar",
         "psi", "mmHg", "J", "kJ", "cal", "kcal", "W", "kW", "MW", "kWh", "V", "mV", "A", "mA", "Ω",
         "kΩ", "F", "µF", "C", "K", "°C", "°F", "mol", "mmol/L", "cd", "lm", "lx", "dB", "m/s",
         "km/h", "mph", "m²", "km²", "m³", "ha", "acre", "g/cm³", "kg/m³", "N·m", "rpm", "Bq", "Gy",
         "Sv", "T", "Wb", "kilogram", "metre", "meter", "second", "ampere", "kelvin", "mole",
         "candela", "newton", "pascal", "joule", "watt", "volt", "ohm", "hertz", "liter", "mile"]


@gen("representation.scientific.measurement_unit")
def _unit(c: GenContext) -> str:
    return c.choice(UNITS)


PREFIXES = [("yotta", "Y"), ("zetta", "Z"), ("exa", "E"), ("peta", "P"), ("tera", "T"), ("giga", "G"),
            ("mega", "M"), ("kilo", "k"), ("hecto", "h"), ("deca", "da"), ("deci", "d"), ("centi", "c"),
            ("milli", "m"), ("micro", "µ"), ("nano", "n"), ("pico", "p"), ("femto", "f"), ("atto", "a"),
            ("zepto", "z"), ("yocto", "y"), ("ronna", "R"), ("quetta", "Q")]


@gen("representation.scientific.metric_prefix")
def _prefix(c: GenContext) -> str:
    name, sym = c.choice(PREFIXES)
    r = c.rng.random()
    if r < 0.6:
        return _case(c, name)
    if r < 0.8:
        return f"{name} ({sym})"
    return f"{name}-"


@gen("representation.text.color_hex")
def _color_hex(c: GenContext) -> str:
    h = _hex(c, c.choice([6, 6, 6, 3, 8]))
    h = h.upper() if c.rng.random() < 0.4 else h
    return "#" + h


@gen("representation.text.color_rgb")
def _color_rgb(c: GenContext) -> str:
    r, g, b = (c.rng.randint(0, 255) for _ in range(3))
    k = c.rng.random()
    if k < 0.5:
        return f"rgb({r}, {g}, {b})"
    if k < 0.65:
        return f"rgb({r},{g},{b})"
    if k < 0.8:
        return f"rgba({r}, {g}, {b}, {c.rng.random():.2f})"
    return f"({r}, {g}, {b})"


EMOJI_RANGES = [(0x1F600, 0x1F64F), (0x1F300, 0x1F5FF), (0x1F680, 0x1F6FF), (0x1F900, 0x1F9FF),
                (0x1FA70, 0x1FAFF)]


@gen("representation.text.emoji")
def _emoji(c: GenContext) -> str:
    lo, hi = c.choice(EMOJI_RANGES)  # type: ignore[arg-type]
    s = chr(c.rng.randint(lo, hi))
    r = c.rng.random()
    if r < 0.1:
        s += chr(c.rng.randint(0x1F3FB, 0x1F3FF))  # skin tone modifier
    elif r < 0.2:
        s += chr(c.rng.randint(lo, hi))
    elif r < 0.28:
        s = c.choice(["❤️", "✨", "⭐", "☀️", "⚡", "✅", "❌", "☕", "⚽", "✈️", "☺️", "✌️"])
    return s


@gen("representation.text.plain_text")
def _plain_text(c: GenContext) -> str:
    loc = c.fake if c.rng.random() < 0.6 else c.locale()
    return str(loc.text(max_nb_chars=c.choice([120, 200, 300, 500])).replace("\n", " "))


@gen("representation.text.sentence")
def _sentence(c: GenContext) -> str:
    loc = c.fake if c.rng.random() < 0.6 else c.locale()
    return str(loc.sentence(nb_words=c.rng.randint(4, 14)))


@gen("representation.text.word")
def _word(c: GenContext) -> str:
    loc = c.fake if c.rng.random() < 0.6 else c.locale()
    return _case(c, str(loc.word()))


# --------------------------------------------------------------------------------------------
# technology


@gen("technology.code.ean")
def _ean(c: GenContext) -> str:
    return c.fake.ean13() if c.rng.random() < 0.85 else c.fake.ean8()


@gen("technology.code.imei")
def _imei(c: GenContext) -> str:
    tac = c.choice(["35", "86", "01", "99", "35", "45", "49", "52"]) + _digits(c, 6)
    full = _luhn_complete(tac + _digits(c, 6))
    if c.rng.random() < 0.15:
        return f"{full[:2]}-{full[2:8]}-{full[8:14]}-{full[14]}"
    return full


@gen("technology.code.isbn")
def _isbn(c: GenContext) -> str:
    r = c.rng.random()
    if r < 0.55:
        return c.fake.isbn13()
    if r < 0.8:
        return c.fake.isbn10()
    return c.fake.isbn13().replace("-", "")


@gen("technology.code.issn")
def _issn(c: GenContext) -> str:
    d = [c.rng.randint(0, 9) for _ in range(7)]
    s = sum(v * w for v, w in zip(d, range(8, 1, -1), strict=True))
    check = (11 - s % 11) % 11
    cd = "X" if check == 10 else str(check)
    core = "".join(map(str, d))
    out = f"{core[:4]}-{core[4:]}{cd}"
    return ("ISSN " + out) if c.rng.random() < 0.15 else out


@gen("technology.code.locale_code")
def _locale_code(c: GenContext) -> str:
    code = c.fake.locale()
    r = c.rng.random()
    if r < 0.5:
        return code
    if r < 0.8:
        return code.replace("_", "-")
    return code.split("_")[0] + "-" + code.split("_")[1].lower() if "_" in code else code


@gen("technology.code.pin")
def _pin(c: GenContext) -> str:
    return _digits(c, c.choice([4, 4, 4, 5, 6, 6, 8]))


@gen("technology.cryptographic.hash")
def _hash(c: GenContext) -> str:
    data = c.fake.sentence().encode()
    algo = c.choice(["md5", "sha1", "sha256", "sha256", "sha512", "sha224", "sha384"])
    h = hashlib.new(algo, data).hexdigest()
    r = c.rng.random()
    if r < 0.15:
        return h.upper()
    if r < 0.25:
        return f"{algo}:{h}"
    return h


@gen("technology.cryptographic.token_hex")
def _token_hex(c: GenContext) -> str:
    return _hex(c, 2 * c.choice([4, 6, 8, 10, 12, 16, 20, 24, 32]))


@gen("technology.cryptographic.token_urlsafe")
def _token_urlsafe(c: GenContext) -> str:
    n = c.choice([8, 12, 16, 24, 32, 48])
    raw = bytes(c.rng.randrange(256) for _ in range(n))
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@gen("technology.cryptographic.uuid")
def _uuid(c: GenContext) -> str:
    u = str(uuid.UUID(int=c.rng.getrandbits(128), version=c.choice([1, 4, 4, 4, 5])))
    r = c.rng.random()
    if r < 0.15:
        return u.upper()
    if r < 0.2:
        return "{" + u + "}"
    if r < 0.25:
        return u.replace("-", "")
    return u


@gen("technology.development.boolean")
def _boolean(c: GenContext) -> str:
    return c.choice(["true", "false", "True", "False", "TRUE", "FALSE", "yes", "no", "Yes", "No",
                     "Y", "N", "T", "F", "on", "off", "1", "0", "t", "f"])


@gen("technology.development.calver")
def _calver(c: GenContext) -> str:
    y = c.rng.randint(2010, 2030)
    m = c.rng.randint(1, 12)
    r = c.rng.random()
    if r < 0.3:
        return f"{y}.{m:02d}.{c.rng.randint(0, 20)}"
    if r < 0.5:
        return f"{y % 100}.{m:02d}"
    if r < 0.7:
        return f"{y}.{m}"
    if r < 0.85:
        return f"{y}.{m}.{c.rng.randint(0, 9)}"
    return f"{y % 100}.{m}.{c.rng.randint(0, 9)}"


OSES = ["Windows 10", "Windows 11", "Windows 7", "Windows Server 2019", "Windows Server 2022",
        "macOS", "macOS Sonoma", "macOS Ventura", "macOS 14.2", "Mac OS X 10.15", "Ubuntu 22.04",
        "Ubuntu 20.04 LTS", "Ubuntu", "Debian 12", "Debian", "Fedora 39", "CentOS 7", "Red Hat Enterprise Linux 9",
        "RHEL 8", "Arch Linux", "Linux", "FreeBSD 14.0", "OpenBSD", "Android 14", "Android 13", "iOS 17",
        "iOS 16.4", "iPadOS 17", "ChromeOS", "Windows XP", "Solaris 11", "AIX 7.2", "Alpine Linux",
        "openSUSE Leap 15.5", "Linux Mint 21", "Raspberry Pi OS", "watchOS 10", "tvOS 17", "HarmonyOS"]


@gen("technology.development.os")
def _os(c: GenContext) -> str:
    return c.choice(OSES)


LANGUAGES = ["Python", "JavaScript", "TypeScript", "Java", "C", "C++", "C#", "Go", "Rust", "Ruby",
             "PHP", "Swift", "Kotlin", "Scala", "R", "Julia", "MATLAB", "Perl", "Haskell", "Elixir",
             "Erlang", "Clojure", "F#", "OCaml", "Lua", "Dart", "Objective-C", "Fortran", "COBOL",
             "Pascal", "Ada", "Lisp", "Scheme", "Prolog", "Zig", "Nim", "Crystal", "Groovy", "Bash",
             "PowerShell", "SQL", "Visual Basic", "Assembly", "Solidity", "Verilog", "VHDL", "Elm",
             "PureScript", "Racket", "Smalltalk", "Delphi", "Tcl", "Awk", "CoffeeScript", "Hack"]


@gen("technology.development.programming_language")
def _prog_lang(c: GenContext) -> str:
    return _case(c, c.choice(LANGUAGES))


LICENSES = ["MIT", "Apache-2.0", "Apache License 2.0", "GPL-3.0", "GPL-2.0", "GPL-3.0-or-later",
            "GPL-2.0-only", "LGPL-2.1", "LGPL-3.0", "AGPL-3.0", "BSD-3-Clause", "BSD-2-Clause", "MPL-2.0",
            "ISC", "Unlicense", "CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "EPL-2.0", "Zlib", "BSL-1.0",
            "Artistic-2.0", "WTFPL", "0BSD", "EUPL-1.2", "Proprietary", "GNU General Public License v3",
            "MIT License", "BSD License", "Mozilla Public License 2.0", "Python-2.0", "OFL-1.1",
            "CC-BY-NC-4.0", "SSPL-1.0", "Elastic-2.0", "BUSL-1.1"]


@gen("technology.development.software_license")
def _license(c: GenContext) -> str:
    return c.choice(LICENSES)


@gen("technology.development.stage")
def _stage(c: GenContext) -> str:
    return _case(c, c.choice(["alpha", "beta", "rc", "release candidate", "stable", "production",
                              "development", "dev", "staging", "pre-alpha", "GA", "LTS", "deprecated",
                              "experimental", "preview", "nightly", "canary", "testing", "Planning",
                              "Mature", "End of life", "EOL", "Inactive", "Production/Stable"]))


@gen("technology.development.version")
def _version(c: GenContext) -> str:
    major, minor, patch = c.rng.randint(0, 15), c.rng.randint(0, 30), c.rng.randint(0, 50)
    r = c.rng.random()
    if r < 0.4:
        v = f"{major}.{minor}.{patch}"
    elif r < 0.55:
        v = f"{major}.{minor}"
    elif r < 0.75:
        v = f"{major}.{minor}.{patch}-{c.choice(['alpha', 'beta', 'rc', 'dev', 'SNAPSHOT'])}.{c.rng.randint(1, 9)}"
    elif r < 0.85:
        v = f"{major}.{minor}.{patch}.{c.rng.randint(256, 9999)}"  # a build number: a dotted quad of octets is an IPv4
    else:
        v = f"{major}.{minor}.{patch}+build.{c.rng.randint(1, 999)}"
    return ("v" + v) if c.rng.random() < 0.25 else v


CPUS = ["Intel Core i7-{}K", "Intel Core i5-{}", "Intel Core i9-{}KF", "Intel Core i3-{}", "AMD Ryzen 7 {}X",
        "AMD Ryzen 5 {}", "AMD Ryzen 9 {}X3D", "Intel Xeon E5-{}", "AMD EPYC {}", "Intel Xeon Gold {}"]
CPU_FIXED = ["Apple M1", "Apple M2 Pro", "Apple M3 Max", "Apple M1 Ultra", "Qualcomm Snapdragon 8 Gen 3",
             "Snapdragon 888", "ARM Cortex-A72", "ARM Cortex-M4", "MediaTek Dimensity 9200", "Exynos 2400",
             "Intel Pentium Gold G7400", "Intel Celeron N4020", "AWS Graviton3", "Ampere Altra",
             "IBM POWER9", "Intel Atom x5-Z8350", "Google Tensor G3", "Apple A17 Pro"]


@gen("technology.hardware.cpu")
def _cpu(c: GenContext) -> str:
    if c.rng.random() < 0.35:
        return c.choice(CPU_FIXED)
    model = c.choice(CPUS).format(c.rng.choice([c.rng.randint(2000, 14999), c.rng.randint(1000, 9999)]))
    if c.rng.random() < 0.3:
        model += f" @ {c.rng.uniform(1.6, 5.8):.2f}GHz"
    return model


@gen("technology.hardware.generation")
def _generation(c: GenContext) -> str:
    n = c.rng.randint(1, 14)
    r = c.rng.random()
    if r < 0.3:
        return f"{_ordinal(n)} Gen"
    if r < 0.5:
        return f"Gen {n}"
    if r < 0.65:
        return f"{_ordinal(n)} Generation"
    if r < 0.8:
        return c.choice(["3G", "4G", "5G", "4G LTE", "2G", "6G", "Wi-Fi 6", "Wi-Fi 6E", "Wi-Fi 7",
                         "PCIe Gen4", "PCIe Gen5", "USB 3.2 Gen 2", "DDR4", "DDR5", "LPDDR5X", "Gen Z"])
    return f"Generation {n}"


@gen("technology.hardware.ram_size")
def _ram(c: GenContext) -> str:
    size = c.choice([1, 2, 4, 8, 8, 16, 16, 32, 32, 64, 128, 256, 512, 768, 1024])
    r = c.rng.random()
    unit = "MB" if size >= 256 and r < 0.3 else "GB"
    sep = c.choice([" ", "", " "])
    tail = c.choice(["", "", "", " RAM", " DDR4", " DDR5", " LPDDR5", " DDR4-3200", " ECC"])
    return f"{size}{sep}{unit}{tail}"


@gen("technology.hardware.screen_size")
def _screen(c: GenContext) -> str:
    s = c.choice([5.4, 6.1, 6.7, 10.2, 11, 12.9, 13.3, 14, 15.6, 16, 17.3, 21.5, 24, 27, 32, 34,
                  43, 49, 55, 65, 75, 85])
    return c.choice([f'{s}"', f"{s} inch", f"{s}-inch", f"{s} in", f"{s}''", f'{s}" display',
                     f"{s} inches"])


@gen("technology.internet.hostname")
def _hostname(c: GenContext) -> str:
    r = c.rng.random()
    if r < 0.4:
        return c.fake.hostname(levels=c.rng.randint(0, 2))
    if r < 0.7:
        return c.fake.domain_name(levels=c.rng.randint(1, 2))
    prefix = c.choice(["web", "db", "api", "mail", "srv", "node", "app", "cache", "k8s-worker"])
    return f"{prefix}-{c.rng.randint(1, 40):02d}.{c.fake.domain_word()}.{c.choice(['local', 'internal', 'com', 'net', 'lan'])}"


@gen("technology.internet.http_method")
def _http_method(c: GenContext) -> str:
    m = c.choice(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "GET", "POST", "TRACE",
                  "CONNECT"])
    return m.lower() if c.rng.random() < 0.1 else m


HTTP_STATUS = {100: "Continue", 101: "Switching Protocols", 200: "OK", 201: "Created", 202: "Accepted",
               204: "No Content", 206: "Partial Content", 301: "Moved Permanently", 302: "Found",
               303: "See Other", 304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect",
               400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
               405: "Method Not Allowed", 408: "Request Timeout", 409: "Conflict", 410: "Gone",
               413: "Payload Too Large", 415: "Unsupported Media Type", 418: "I'm a teapot",
               422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error",
               501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
               504: "Gateway Timeout"}


@gen("technology.internet.http_status_code")
def _http_status(c: GenContext) -> str:
    code = c.choice(list(HTTP_STATUS))  # type: ignore[arg-type]
    return f"{code} {HTTP_STATUS[int(code)]}" if c.rng.random() < 0.4 else str(code)


@gen("technology.internet.ip_v4")
def _ipv4(c: GenContext) -> str:
    r = c.rng.random()
    if r < 0.5:
        return c.fake.ipv4_public()
    return c.fake.ipv4_private()


@gen("technology.internet.ip_v4_with_port")
def _ipv4_port(c: GenContext) -> str:
    return f"{_ipv4(c)}:{c.choice([str(c.rng.randint(1, 65535)), '80', '443', '8080', '22', '5432', '3306'])}"


@gen("technology.internet.ip_v6")
def _ipv6(c: GenContext) -> str:
    addr = ipaddress.IPv6Address(c.fake.ipv6())
    r = c.rng.random()
    if r < 0.5:
        return str(addr)  # compressed
    if r < 0.8:
        return addr.exploded
    return str(ipaddress.IPv6Address(int(c.choice(["fe80", "2001", "fd00"]), 16) << 112 | c.rng.getrandbits(64)))


@gen("technology.internet.mac_address")
def _mac(c: GenContext) -> str:
    h = [_hex(c, 2) for _ in range(6)]
    r = c.rng.random()
    if r < 0.5:
        s = ":".join(h)
    elif r < 0.75:
        s = "-".join(h)
    else:
        joined = "".join(h)
        s = ".".join(joined[i:i + 4] for i in range(0, 12, 4))
    return s.upper() if c.rng.random() < 0.4 else s


@gen("technology.internet.port")
def _port(c: GenContext) -> str:
    r = c.rng.random()
    if r < 0.5:
        return str(c.choice([20, 21, 22, 23, 25, 53, 80, 110, 143, 443, 465, 587, 993, 995, 1433, 1521,
                             2049, 3000, 3306, 3389, 5000, 5432, 5672, 6379, 8000, 8080, 8443, 8888,
                             9000, 9090, 9200, 11211, 27017]))
    return str(c.rng.randint(1024, 65535))


@gen("technology.internet.slug")
def _slug(c: GenContext) -> str:
    s = c.fake.slug()
    return s + f"-{c.rng.randint(1, 999)}" if c.rng.random() < 0.2 else s


TLDS = ["com", "org", "net", "edu", "gov", "io", "ai", "co", "de", "uk", "co.uk", "fr", "jp", "cn", "ru",
        "br", "in", "it", "es", "nl", "se", "no", "ch", "au", "ca", "us", "info", "biz", "app", "dev",
        "xyz", "tech", "online", "shop", "me", "tv", "eu", "pl", "cz", "mx", "ar", "kr", "za", "nz",
        "ie", "be", "at", "dk", "fi", "pt", "gr", "tr", "ua", "blog", "cloud", "store", "site", "club"]


@gen("technology.internet.top_level_domain")
def _tld(c: GenContext) -> str:
    t = c.choice(TLDS)
    return "." + t if c.rng.random() < 0.7 else t


@gen("technology.internet.uri")
def _uri(c: GenContext) -> str:
    r = c.rng.random()
    if r < 0.15:
        return f"mailto:{c.fake.email()}"
    if r < 0.3:
        return f"urn:isbn:{c.fake.isbn13().replace('-', '')}"
    if r < 0.4:
        return f"urn:uuid:{uuid.UUID(int=c.rng.getrandbits(128), version=4)}"
    if r < 0.55:
        return f"ftp://{c.fake.domain_name()}/{c.fake.file_path(depth=2)[1:]}"
    if r < 0.65:
        return f"file://{c.fake.file_path(depth=c.rng.randint(1, 4))}"
    if r < 0.75:
        return f"tel:{c.fake.msisdn()}"
    if r < 0.85:
        return f"s3://{c.fake.slug()}/{c.fake.file_path(depth=2)[1:]}"
    if r < 0.92:
        return f"ssh://{c.fake.user_name()}@{c.fake.hostname()}:{c.rng.randint(22, 2222)}"
    return f"data:text/plain;base64,{base64.b64encode(c.fake.word().encode()).decode()}"


@gen("technology.internet.url")
def _url(c: GenContext) -> str:
    r = c.rng.random()
    if r < 0.4:
        return c.fake.url()
    if r < 0.7:
        return c.fake.uri()
    base = c.fake.url().rstrip("/")
    return f"{base}/{c.fake.slug()}?{c.choice(['id', 'page', 'q', 'ref'])}={c.rng.randint(1, 999)}"


@gen("technology.internet.user_agent")
def _ua(c: GenContext) -> str:
    return c.fake.user_agent()


# the extended taxonomy's generators register themselves into GENERATORS (they build on the helpers above)
from tinylab.tasks.semantic_types import generators_extended  # noqa: E402, F401
