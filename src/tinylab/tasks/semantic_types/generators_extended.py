"""Generators of the extended taxonomy's types (``taxonomy-extended.yaml``): finance, government, medical
and commerce codes, cloud and identifier formats, more geography. Same conventions as ``generators.py``:
one seeded generator per label, every checksummed code carries a valid check digit (its rule in
``validators.py`` accepts it; tested), and a label's stream does not depend on which other labels exist.
"""

from __future__ import annotations

import base64
import json
import string

from tinylab.tasks.semantic_types.generators import MONTHS, GenContext, _date, _digits, _hex, gen
from tinylab.tasks.semantic_types.validators import (
    CROCKFORD,
    abn_ok,
    cas_check,
    cusip_check,
    dea_check,
    figi_check,
    isin_check,
    iso6346_check,
    lei_check,
    luhn_ok,
    mod10_weighted,
    orcid_check,
    sedol_check,
    vin_check,
)

UPPER = string.ascii_uppercase
ALNUM = string.ascii_uppercase + string.digits


def _pick(c: GenContext, alphabet: str, n: int) -> str:
    return "".join(c.rng.choice(alphabet) for _ in range(n))


def _grouped(s: str, size: int = 4, sep: str = " ") -> str:
    return sep.join(s[i:i + size] for i in range(0, len(s), size))


# --- finance -----------------------------------------------------------------------------------------

IBAN_LOCALES = ["de_DE", "fr_FR", "en_GB", "es_ES", "it_IT", "nl_NL", "pl_PL", "pt_BR", "sv_SE", "cs_CZ",
                "tr_TR"]


@gen("finance.banking.iban")
def _iban(c: GenContext) -> str:
    iban = c.fakers[c.choice(IBAN_LOCALES)].iban()
    return _grouped(iban) if c.rng.random() < 0.35 else iban


@gen("finance.banking.swift_bic")
def _swift(c: GenContext) -> str:
    f = c.fakers[c.choice(IBAN_LOCALES)]
    return f.swift11() if c.rng.random() < 0.5 else f.swift8()


@gen("finance.banking.aba_routing")
def _aba(c: GenContext) -> str:
    while True:
        base = c.choice(["0", "1", "2", "3"]) + _digits(c, 7)
        for d in "0123456789":
            if mod10_weighted(base + d, (3, 7, 1)):
                return base + d


@gen("finance.securities.isin")
def _isin(c: GenContext) -> str:
    body = c.choice(["US", "US", "GB", "DE", "FR", "JP", "CH", "NL", "CA", "AU", "IE", "LU"])
    body += _pick(c, ALNUM, 9) if c.rng.random() < 0.4 else _digits(c, 9)
    return body + isin_check(body)


@gen("finance.securities.cusip")
def _cusip(c: GenContext) -> str:
    body = _digits(c, 3) + _pick(c, ALNUM, 5)
    return body + cusip_check(body)


@gen("finance.securities.sedol")
def _sedol(c: GenContext) -> str:
    consonants = "BCDFGHJKLMNPQRSTVWXYZ0123456789"
    body = c.choice("BCDFGHJKLMNPQRSTVWXYZ0123456789") + _pick(c, consonants, 5)
    return body + sedol_check(body)


@gen("finance.securities.lei")
def _lei(c: GenContext) -> str:
    body = _digits(c, 4) + "00" + _pick(c, ALNUM, 12)
    return body + lei_check(body)


TICKERS = ["AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "META", "TSLA", "BRK.B", "JPM", "V", "JNJ", "WMT", "PG",
           "XOM", "MA", "HD", "KO", "PEP", "BAC", "CSCO", "INTC", "NFLX", "ADBE", "CRM", "ORCL", "IBM", "T",
           "VZ", "DIS", "NKE", "MCD", "SBUX", "GS", "MS", "C", "WFC", "BA", "CAT", "GE", "F", "GM", "UBER",
           "SHOP", "SAP", "ASML", "NESN", "NOVN", "ROG", "SIE", "BMW", "VOW3", "AIR", "MC", "OR", "TTE",
           "HSBA", "BP", "VOD", "AZN", "ULVR", "RIO", "BHP", "7203", "6758", "9984", "0700", "BABA", "TSM"]
EXCHANGES = ["NASDAQ", "NYSE", "LSE", "XETRA", "TSE", "HKEX", "EPA", "SIX", "ASX", "TSX"]
SUFFIXES = [".L", ".DE", ".PA", ".T", ".HK", ".SW", ".AX", ".TO", ".AS", ".MI"]


@gen("finance.securities.ticker")
def _ticker(c: GenContext) -> str:
    t = c.choice(TICKERS) if c.rng.random() < 0.6 else _pick(c, UPPER, c.rng.randint(2, 5))
    r = c.rng.random()
    if r < 0.3:
        return f"{c.choice(EXCHANGES)}:{t}"
    if r < 0.5:
        return t + c.choice(SUFFIXES)
    if r < 0.6:
        return "$" + t
    return t


SYMBOLS = ["$", "€", "£", "¥", "₹", "₩", "₽", "₺", "R$", "CHF", "kr", "zł", "Kč", "A$", "C$", "HK$", "₿"]
CODES = ["USD", "EUR", "GBP", "JPY", "INR", "CNY", "CHF", "SEK", "PLN", "BRL", "RUB", "TRY", "CZK", "CAD",
         "AUD", "HKD", "KRW", "MXN", "ZAR", "NOK", "DKK", "SGD", "NZD"]


def _money_number(c: GenContext, decimal: str = ".", group: str = ",") -> str:
    v = round(10 ** c.rng.uniform(-1, 6.5), 2)
    if c.rng.random() < 0.2:
        whole = f"{int(v):,}".replace(",", group)
        return whole
    whole, frac = f"{v:,.2f}".split(".")
    return whole.replace(",", group) + decimal + frac


@gen("finance.currency.amount")
def _amount(c: GenContext) -> str:
    r = c.rng.random()
    if r < 0.15:  # a bare price, as most price columns hold them: always two decimals, no grouping
        return f"{round(10 ** c.rng.uniform(-0.5, 4.5), 2):.2f}"
    if r < 0.4:  # $1,234.56  £12.00  -$3.50
        s = c.choice(["$", "$", "£", "¥", "₹", "A$", "C$", "HK$"]) + _money_number(c)
        return ("-" + s) if c.rng.random() < 0.08 else s
    if r < 0.6:  # 1.234,56 €  12,99 €
        return _money_number(c, ",", c.choice([".", " ", "\u00a0"])) + c.choice([" €", "€", " zł", " Kč", " kr", " ₽"])
    if r < 0.75:  # USD 1,234.56 / 1234.56 EUR
        n = _money_number(c)
        return f"{c.choice(CODES)} {n}" if c.rng.random() < 0.5 else f"{n} {c.choice(CODES)}"
    if r < 0.85:  # accounting negative
        return f"({c.choice(['$', '£', '€'])}{_money_number(c)})"
    if r < 0.93:  # Swiss apostrophe grouping
        return "CHF " + _money_number(c, ".", "'")
    return "€" + _money_number(c, ",", ".")


@gen("finance.currency.currency_code")
def _currency_code(c: GenContext) -> str:
    return c.fake.currency_code() if c.rng.random() < 0.6 else c.choice(CODES)


@gen("finance.currency.currency_symbol")
def _currency_symbol(c: GenContext) -> str:
    return c.choice(SYMBOLS) if c.rng.random() < 0.7 else c.fake.currency_symbol()


@gen("finance.rate.basis_points")
def _bps(c: GenContext) -> str:
    v = c.choice([str(c.rng.randint(1, 500)), f"{c.rng.uniform(0.5, 300):.1f}"])
    sign = c.choice(["", "", "+", "-"])
    return f"{sign}{v}{c.choice([' bps', 'bps', ' bp', 'bp', ' basis points'])}"


# --- identity: government, medical, commerce, academic, person ----------------------------------------


@gen("identity.government.ssn")
def _ssn(c: GenContext) -> str:
    area = c.rng.choice([n for n in range(1, 900) if n != 666])
    s = f"{area:03d}-{c.rng.randint(1, 99):02d}-{c.rng.randint(1, 9999):04d}"
    return s.replace("-", "") if c.rng.random() < 0.15 else s


@gen("identity.government.ein")
def _ein(c: GenContext) -> str:
    return f"{c.rng.choice([10, 12, 20, 27, 30, 35, 41, 46, 52, 61, 74, 81, 94, 98]):02d}-{_digits(c, 7)}"


VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


@gen("identity.government.vin")
def _vin(c: GenContext) -> str:
    wmi = c.choice(["1HG", "1FA", "1G1", "2T1", "3VW", "JHM", "JTD", "KMH", "WBA", "WDD", "WVW", "VF1",
                    "ZFA", "SAL", "YV1", "5YJ", "4T1", "1C4"])
    body = wmi + _pick(c, VIN_CHARS, 5) + "0" + _pick(c, VIN_CHARS, 8)
    return body[:8] + vin_check(body) + body[9:]


@gen("identity.government.eu_vat")
def _eu_vat(c: GenContext) -> str:
    r = c.rng.randint(0, 7)
    v = [f"DE{_digits(c, 9)}", f"FR{_pick(c, ALNUM, 2)}{_digits(c, 9)}", f"IT{_digits(c, 11)}",
         f"ES{c.choice(UPPER)}{_digits(c, 7)}{c.choice(UPPER)}", f"NL{_digits(c, 9)}B{_digits(c, 2)}",
         f"BE0{_digits(c, 9)}", f"PL{_digits(c, 10)}", f"ATU{_digits(c, 8)}"][r]
    return v[:2] + " " + v[2:] if c.rng.random() < 0.15 else v


@gen("identity.government.abn")
def _abn(c: GenContext) -> str:
    while True:
        d = str(c.rng.randint(1, 9)) + _digits(c, 10)
        if abn_ok(d):
            return f"{d[:2]} {d[2:5]} {d[5:8]} {d[8:]}" if c.rng.random() < 0.6 else d


@gen("identity.government.pan_india")
def _pan(c: GenContext) -> str:
    return _pick(c, UPPER, 3) + c.choice("PCHFATBLJG") + c.choice(UPPER) + _digits(c, 4) + c.choice(UPPER)


@gen("identity.medical.icd10")
def _icd10(c: GenContext) -> str:
    code = c.choice("ABCDEFGHIJKLMNOPQRSTVZ") + _digits(c, 2)
    r = c.rng.random()
    if r < 0.75:
        code += "." + _pick(c, string.digits, c.rng.randint(1, 3))
        if c.rng.random() < 0.15:
            code += c.choice("ADS")
    return code


@gen("identity.medical.npi")
def _npi(c: GenContext) -> str:
    body = c.choice("12") + _digits(c, 8)
    return next(body + d for d in "0123456789" if luhn_ok("80840" + body + d))


@gen("identity.medical.ndc")
def _ndc(c: GenContext) -> str:
    a, b, d = c.choice([(4, 4, 2), (5, 3, 2), (5, 4, 1), (5, 4, 2)])
    return f"{_digits(c, a)}-{_digits(c, b)}-{_digits(c, d)}"


@gen("identity.medical.hcpcs")
def _hcpcs(c: GenContext) -> str:
    return c.choice("ABCEGHJKLMPQRSTV") + f"{c.rng.randint(0, 9999):04d}"


@gen("identity.medical.loinc")
def _loinc(c: GenContext) -> str:
    body = str(c.rng.randint(1, 99999))
    return f"{body}-{next(d for d in '0123456789' if luhn_ok(body + d))}"


@gen("identity.medical.dea_number")
def _dea(c: GenContext) -> str:
    body = c.choice("ABFGMPR") + c.choice(UPPER) + _digits(c, 6)
    return body + dea_check(body)


@gen("identity.commerce.upc")
def _upc(c: GenContext) -> str:
    body = _digits(c, 11)
    return body + next(d for d in "0123456789" if mod10_weighted(body + d, (3, 1)))


@gen("identity.commerce.isrc")
def _isrc(c: GenContext) -> str:
    cc = c.choice(["US", "GB", "DE", "FR", "JP", "SE", "NL", "BR", "QM", "QZ"])
    reg, yy, num = _pick(c, ALNUM, 3), f"{c.rng.randint(0, 99):02d}", f"{c.rng.randint(1, 99999):05d}"
    return f"{cc}-{reg}-{yy}-{num}" if c.rng.random() < 0.4 else f"{cc}{reg}{yy}{num}"


@gen("identity.academic.orcid")
def _orcid(c: GenContext) -> str:
    body = "000" + c.choice("0123") + _digits(c, 11)
    digits = body + orcid_check(body)
    s = "-".join(digits[i:i + 4] for i in range(0, 16, 4))
    return "https://orcid.org/" + s if c.rng.random() < 0.25 else s


@gen("identity.person.phone_e164")
def _e164(c: GenContext) -> str:
    cc = c.choice(["1", "44", "49", "33", "34", "39", "31", "48", "46", "7", "81", "86", "90", "91", "55", "61"])
    return "+" + cc + str(c.rng.randint(1, 9)) + _digits(c, c.rng.randint(7, 13 - len(cc)))


@gen("identity.person.email_display")
def _email_display(c: GenContext) -> str:
    f = c.locale()
    name = f.name()
    email = f.email() if c.rng.random() < 0.6 else f.free_email()
    return f'"{name}" <{email}>' if c.rng.random() < 0.3 else f"{name} <{email}>"


# --- representation ----------------------------------------------------------------------------------


@gen("representation.identifier.alphanumeric_id")
def _alnum_id(c: GenContext) -> str:
    r = c.rng.random()
    if r < 0.25:  # ORD-2024-00123, INV-004512
        prefix = c.choice(["ORD", "INV", "PO", "SKU", "TKT", "CUST", "EMP", "TX", "REQ", "CASE", "SO", "ID"])
        sep = c.choice(["-", "-", "_", ""])
        mid = f"{c.rng.randint(2015, 2026)}{sep}" if c.rng.random() < 0.3 else ""
        return f"{prefix}{sep}{mid}{c.rng.randint(1, 10 ** c.rng.randint(3, 7)):0{c.rng.randint(4, 7)}d}"
    if r < 0.45:  # A1B2C3, X7K9Q2M
        return _pick(c, ALNUM, c.rng.randint(5, 12))
    if r < 0.6:  # cabin / seat / shelf style: C85, B57 B59, 12A
        return c.choice([f"{c.choice(UPPER)}{c.rng.randint(1, 150)}", f"{c.rng.randint(1, 60)}{c.choice('ABCDEF')}",
                         f"{c.choice(UPPER)}-{c.rng.randint(1, 999):03d}"])
    if r < 0.75:  # lower-case mixed: a7f3k9, usr_8xk2p
        pre = c.choice(["", "", "usr_", "cus_", "acct_", "pi_", "evt_"])
        return pre + _pick(c, string.ascii_lowercase + string.digits, c.rng.randint(6, 16))
    if r < 0.87:  # ticket style: PC 17599, A/5 21171, STON/O2. 3101282
        return f"{c.choice(['PC', 'A/5', 'CA', 'SC/PARIS', 'STON/O2.', 'W./C.', 'SOTON/OQ'])} {c.rng.randint(100, 3999999)}"
    return f"{_pick(c, UPPER, 2)}{_digits(c, c.rng.randint(4, 8))}{_pick(c, UPPER, c.rng.randint(0, 2))}"


@gen("representation.text.entity_name")
def _entity(c: GenContext) -> str:
    f = c.locale()
    r = c.rng.random()
    if r < 0.6:
        return f.company()
    if r < 0.8:
        return f"{f.last_name()} {c.choice(['Foundation', 'Institute', 'University', 'Hospital', 'Group', 'Holdings', 'Partners', 'Labs'])}"
    return c.fake.catch_phrase().title()


@gen("representation.scientific.cas_number")
def _cas(c: GenContext) -> str:
    body = str(c.rng.randint(50, 9999999)) + f"{c.rng.randint(0, 99):02d}"
    return f"{body[:-2]}-{body[-2:]}-{cas_check(body)}"


SMILES = ["O", "CCO", "C", "CC(=O)O", "c1ccccc1", "CC(=O)Oc1ccccc1C(=O)O", "CN1C=NC2=C1C(=O)N(C(=O)N2C)C",
          "C1=CC=C(C=C1)O", "CC(C)CC1=CC=C(C=C1)C(C)C(=O)O", "O=C=O", "N#N", "C(C(C(C(C(C=O)O)O)O)O)O",
          "CC(=O)NC1=CC=C(C=C1)O", "C1CCCCC1", "CCN(CC)CC", "OC(=O)C(O)=O", "ClC(Cl)Cl", "CS(=O)C",
          "C[C@H](N)C(=O)O", "NC(CCC(=O)O)C(=O)O", "c1ccc2ccccc2c1", "CC#N", "C=CC=C", "OCC(O)CO", "[Na+].[Cl-]",
          "CC(C)(C)OC(=O)N", "COc1ccc(cc1)C=O", "Brc1ccccc1", "FC(F)(F)c1ccccc1", "CCCCCCCC(=O)O"]
FRAGMENTS = ["C", "CC", "O", "N", "c1ccccc1", "C(=O)", "Cl", "F", "Br", "S", "C#N", "OC", "N(C)C", "C=C"]


@gen("representation.scientific.smiles")
def _smiles(c: GenContext) -> str:
    if c.rng.random() < 0.5:
        return c.choice(SMILES)
    parts = [c.choice(FRAGMENTS) for _ in range(c.rng.randint(2, 6))]
    return "".join(parts[:1] + [f"({p})" if c.rng.random() < 0.3 else p for p in parts[1:]])


FORMULAS = [("H2O", "h1H2"), ("CH4", "h1H4"), ("C2H6O", "c1-2-3/h3H,2H2,1H3"), ("CO2", "c2-1-3"),
            ("C6H6", "c1-2-4-6-5-3-1/h1-6H"), ("C2H4O2", "c1-2(3)4/h1H3,(H,3,4)"), ("NH3", "h1H3"),
            ("C8H10N4O2", "c1-10-4-9-6-5(10)7(13)12(3)8(14)11(6)2/h4H,1-3H3"), ("C3H8O3", "c4-1-3(6)2-5/h3-6H,1-2H2")]


@gen("representation.scientific.inchi")
def _inchi(c: GenContext) -> str:
    formula, layers = c.choice(FORMULAS)
    if c.rng.random() < 0.3:
        return "InChIKey=" + _pick(c, UPPER, 14) + "-" + _pick(c, UPPER, 10) + "-" + c.choice(UPPER)
    return f"InChI=1S/{formula}/{layers}"


@gen("representation.format.color_hsl")
def _hsl(c: GenContext) -> str:
    h, s, li = c.rng.randint(0, 360), c.rng.randint(0, 100), c.rng.randint(0, 100)
    if c.rng.random() < 0.2:
        return f"hsla({h}, {s}%, {li}%, {c.rng.choice(['0.5', '1', '0.8', '.25'])})"
    return c.choice([f"hsl({h}, {s}%, {li}%)", f"hsl({h},{s}%,{li}%)", f"hsl({h}deg {s}% {li}%)"])


@gen("representation.numeric.si_number")
def _si(c: GenContext) -> str:
    v = c.rng.uniform(1, 999)
    num = f"{v:.{c.choice([0, 1, 1, 2])}f}"
    return num + c.choice(["", " "]) + c.choice(["k", "K", "M", "B", "G", "T", "m", "µ", "n", "Mi", "Gi"])


# --- technology --------------------------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@gen("technology.cryptographic.jwt")
def _jwt(c: GenContext) -> str:
    header = {"alg": c.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}
    payload = {"sub": str(c.rng.randint(1, 10**9)), "iat": c.rng.randint(1_500_000_000, 1_800_000_000)}
    if c.rng.random() < 0.5:
        payload["name"] = c.fake.name()
    sig = bytes(c.rng.getrandbits(8) for _ in range(c.choice([32, 32, 64])))
    parts = [json.dumps(part, separators=(",", ":")).encode() for part in (header, payload)]
    return ".".join([_b64url(parts[0]), _b64url(parts[1]), _b64url(sig)])


@gen("technology.identifier.ulid")
def _ulid(c: GenContext) -> str:
    s = c.choice("01") + _pick(c, CROCKFORD, 25)
    return s.lower() if c.rng.random() < 0.1 else s


@gen("technology.identifier.snowflake_id")
def _snowflake(c: GenContext) -> str:
    ms = c.rng.randint(100_000_000_000, 1_200_000_000_000)  # ms since the Twitter/Discord epoch
    return str((ms << 22) | c.rng.getrandbits(22))


@gen("technology.identifier.tsid")
def _tsid(c: GenContext) -> str:
    return c.choice("0123") + _pick(c, CROCKFORD, 12)


AWS_REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"]


def _slug(c: GenContext) -> str:
    return "-".join(c.fake.word() for _ in range(c.rng.randint(1, 3)))


@gen("technology.cloud.aws_arn")
def _arn(c: GenContext) -> str:
    acct, region = _digits(c, 12), c.choice(AWS_REGIONS)
    return c.choice([
        f"arn:aws:s3:::{_slug(c)}",
        f"arn:aws:iam::{acct}:role/{_slug(c).title().replace('-', '')}",
        f"arn:aws:lambda:{region}:{acct}:function:{_slug(c)}",
        f"arn:aws:sqs:{region}:{acct}:{_slug(c)}",
        f"arn:aws:dynamodb:{region}:{acct}:table/{_slug(c)}",
        f"arn:aws:ec2:{region}:{acct}:instance/i-{_hex(c, 17)}",
    ])


@gen("technology.cloud.s3_uri")
def _s3(c: GenContext) -> str:
    path = "/".join(c.fake.word() for _ in range(c.rng.randint(0, 3)))
    file = c.fake.file_name() if c.rng.random() < 0.7 else ""
    key = "/".join(p for p in (path, file) if p)
    return f"{c.choice(['s3', 's3', 's3a'])}://{_slug(c)}/{key}"


@gen("technology.development.docker_ref")
def _docker(c: GenContext) -> str:
    name = c.choice(["nginx", "postgres", "redis", "python", "node", "ubuntu", "alpine", "golang", "mysql",
                     "grafana/grafana", "bitnami/kafka", "library/busybox"])
    tag = c.choice(["latest", "1.25", "16-alpine", "3.11-slim", "22.04", "7.2", "v1.2.3", "stable", "20-bookworm"])
    r = c.rng.random()
    if r < 0.3:
        return f"{c.choice(['ghcr.io', 'quay.io', 'gcr.io', 'registry.example.com:5000'])}/{c.fake.user_name()}/{_slug(c)}:{tag}"
    if r < 0.4:
        return f"{name}@sha256:{_hex(c, 64)}"
    return f"{name}:{tag}"


@gen("technology.internet.cidr")
def _cidr(c: GenContext) -> str:
    if c.rng.random() < 0.8:
        return c.fake.ipv4(network=True)
    return f"{c.fake.ipv6(network=False).rsplit(':', 4)[0]}::/{c.choice([32, 48, 56, 64])}"


@gen("technology.internet.data_uri")
def _data_uri(c: GenContext) -> str:
    mime = c.choice(["image/png", "image/jpeg", "image/gif", "text/plain", "application/json", "image/svg+xml"])
    data = base64.b64encode(bytes(c.rng.getrandbits(8) for _ in range(c.rng.randint(6, 30)))).decode()
    return f"data:{mime};base64,{data}" if c.rng.random() < 0.8 else f"data:text/plain;charset=utf-8,{c.fake.word()}"


@gen("technology.internet.urn")
def _urn(c: GenContext) -> str:
    return c.choice([f"urn:isbn:{c.fake.isbn10().replace('-', '')}", f"urn:uuid:{c.fake.uuid4()}",
                     f"urn:ietf:rfc:{c.rng.randint(100, 9999)}", f"urn:oid:2.16.840.1.{c.rng.randint(1, 999999)}",
                     f"urn:nbn:de:{_digits(c, 4)}-{_digits(c, 6)}", f"urn:li:person:{_pick(c, ALNUM, 10)}"])


@gen("technology.code.doi")
def _doi(c: GenContext) -> str:
    suffix = c.choice([_pick(c, string.ascii_lowercase + string.digits, 8),
                       f"{c.fake.word()}.{c.rng.randint(2000, 2025)}.{_digits(c, 5)}",
                       f"s{_digits(c, 5)}-0{_digits(c, 2)}-{_digits(c, 4)}-{c.rng.randint(1, 9)}"])
    doi = f"10.{c.rng.randint(1000, 99999)}/{suffix}"
    return c.choice([doi, doi, f"https://doi.org/{doi}", f"doi:{doi}"])


# --- geography ---------------------------------------------------------------------------------------


@gen("geography.coordinate.dms")
def _dms(c: GenContext) -> str:
    def part(limit: int, pos: str, neg: str) -> str:
        v = c.rng.uniform(-limit, limit)
        d, rem = divmod(abs(v) * 3600, 3600)
        m, s = divmod(rem, 60)
        return f"{int(d)}°{int(m)}'{s:.{c.choice([0, 1, 2])}f}\"{pos if v >= 0 else neg}"

    lat, lon = part(90, "N", "S"), part(180, "E", "W")
    return c.choice([f"{lat} {lon}", f"{lat}, {lon}", lat, lon])


GEOHASH = "0123456789bcdefghjkmnpqrstuvwxyz"


@gen("geography.coordinate.geohash")
def _geohash(c: GenContext) -> str:
    return c.choice("bcdfguvestwyz0123456789") + _pick(c, GEOHASH, c.rng.randint(4, 11))


PLUS = "23456789CFGHJMPQRVWX"


@gen("geography.coordinate.plus_code")
def _plus(c: GenContext) -> str:
    full = c.choice("23456789C") + c.choice(PLUS[:18]) + _pick(c, PLUS, 6) + "+" + _pick(c, PLUS, c.choice([2, 2, 3]))
    if c.rng.random() < 0.3:
        return f"{full[4:]} {c.locale().city()}"
    return full


@gen("geography.coordinate.mgrs")
def _mgrs(c: GenContext) -> str:
    zone = f"{c.rng.randint(1, 60)}{c.choice('CDEFGHJKLMNPQRSTUVWX')}"
    square = c.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + c.choice("ABCDEFGHJKLMNPQRSTUV")
    n = c.choice([1, 2, 3, 4, 5])
    e, no = _digits(c, n), _digits(c, n)
    return f"{zone} {square} {e} {no}" if c.rng.random() < 0.5 else f"{zone}{square}{e}{no}"


@gen("geography.format.wkt")
def _wkt(c: GenContext) -> str:
    def pt() -> str:
        return f"{c.rng.uniform(-180, 180):.{c.choice([0, 2, 4, 6])}f} {c.rng.uniform(-90, 90):.{c.choice([0, 2, 4, 6])}f}"

    r = c.rng.random()
    if r < 0.45:
        return f"POINT ({pt()})" if c.rng.random() < 0.8 else f"POINT({pt()})"
    if r < 0.7:
        return f"LINESTRING ({', '.join(pt() for _ in range(c.rng.randint(2, 4)))})"
    if r < 0.9:
        pts = [pt() for _ in range(c.rng.randint(3, 4))]
        return f"POLYGON (({', '.join([*pts, pts[0]])}))"
    return f"MULTIPOINT (({pt()}), ({pt()}))"


@gen("geography.index.h3")
def _h3(c: GenContext) -> str:
    res = c.rng.randint(0, 15)
    return "8" + f"{res:x}" + _hex(c, 5) + "f" * max(0, 8 - res // 2) + _hex(c, min(8, res // 2))


SUBDIVISIONS = ["US-CA", "US-NY", "US-TX", "US-FL", "US-WA", "DE-BY", "DE-BE", "DE-NW", "FR-IDF", "FR-ARA",
                "GB-ENG", "GB-SCT", "ES-MD", "ES-CT", "IT-25", "IT-62", "IN-MH", "IN-KA", "BR-SP", "BR-RJ",
                "CA-ON", "CA-QC", "AU-NSW", "AU-VIC", "CN-BJ", "JP-13", "PL-MZ", "NL-NH", "SE-AB", "CH-ZH"]


@gen("geography.location.state_code")
def _state_code(c: GenContext) -> str:
    return c.choice(SUBDIVISIONS) if c.rng.random() < 0.5 else c.fake.state_abbr()


@gen("geography.transportation.unlocode")
def _unlocode(c: GenContext) -> str:
    cc = c.choice(["DE", "US", "NL", "CN", "SG", "BE", "GB", "FR", "JP", "KR", "ES", "IT", "BR", "AE", "IN"])
    loc = _pick(c, UPPER + "23456789" if c.rng.random() < 0.1 else UPPER, 3)
    return f"{cc} {loc}" if c.rng.random() < 0.3 else cc + loc


@gen("geography.transportation.iso6346")
def _iso6346(c: GenContext) -> str:
    body = _pick(c, UPPER, 3) + c.choice("UUUJZ") + _digits(c, 6)
    digit = iso6346_check(body)
    return f"{body[:4]} {body[4:]} {digit}" if c.rng.random() < 0.3 else body + digit


@gen("geography.transportation.hs_code")
def _hs(c: GenContext) -> str:
    ch = f"{c.rng.randint(1, 97):02d}{c.rng.randint(1, 99):02d}"
    r = c.rng.random()
    if r < 0.4:
        return f"{ch}.{_digits(c, 2)}"
    if r < 0.7:
        return f"{ch}.{_digits(c, 2)}.{_digits(c, 2)}"
    return ch + _digits(c, c.choice([2, 4, 6]))


# --- datetime ----------------------------------------------------------------------------------------


@gen("datetime.timestamp.iso_8601_milliseconds")
def _ts_iso_ms(c: GenContext) -> str:
    d = _date(c)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}" + c.choice(["Z", "Z", ""])


@gen("datetime.period.quarter")
def _quarter(c: GenContext) -> str:
    q, y = c.rng.randint(1, 4), c.rng.randint(1990, 2030)
    return c.choice([f"Q{q} {y}", f"{y}-Q{q}", f"{y}Q{q}", f"Q{q}/{y % 100:02d}", f"{y} Q{q}", f"Q{q}-{y}",
                     f"Q{q}"])


@gen("datetime.period.fiscal_year")
def _fiscal(c: GenContext) -> str:
    y = c.rng.randint(1995, 2030)
    return c.choice([f"FY{y}", f"FY {y}", f"FY{y % 100:02d}", f"FY {y}-{(y + 1) % 100:02d}", f"FY{y}/{y + 1}",
                     f"fiscal {y}"])


# --- more FineType v0.6 types: dates and timestamps in forms the 151 types do not have ------------------

ERAS = [("令和", "R", 2019), ("平成", "H", 1989), ("昭和", "S", 1926)]
TZ_ABBREVIATIONS = ["UTC", "GMT", "PST", "PDT", "MST", "MDT", "CST", "CDT", "EST", "EDT", "AKST", "HST", "CET",
                    "CEST", "EET", "EEST", "WET", "WEST", "BST", "IST", "JST", "KST", "AEST", "AEDT", "ACST",
                    "AWST", "NZST", "NZDT", "MSK", "SGT", "HKT", "BRT", "ART", "SAST", "WAT", "EAT", "PKT"]


@gen("datetime.date.chinese_ymd")
def _chinese_ymd(c: GenContext) -> str:
    d = _date(c)
    return f"{d.year}年{d.month}月{d.day}日" if c.rng.random() < 0.7 else f"{d.year}年{d.month:02d}月{d.day:02d}日"


@gen("datetime.date.korean_ymd")
def _korean_ymd(c: GenContext) -> str:
    d = _date(c)
    return c.choice([f"{d.year}년 {d.month}월 {d.day}일", f"{d.year}년{d.month}월{d.day}일"])


def _era(c: GenContext) -> tuple[str, str, int, int, int]:
    d = _date(c)
    name, letter, start = next(e for e in ERAS if d.year >= e[2]) if d.year >= 1926 else ERAS[2]
    return name, letter, max(1, d.year - start + 1), d.month, d.day


@gen("datetime.date.jp_era_long")
def _jp_era_long(c: GenContext) -> str:
    name, _, y, m, d = _era(c)
    return f"{name}{'元' if y == 1 and c.rng.random() < 0.5 else y}年{m}月{d}日"


@gen("datetime.date.jp_era_short")
def _jp_era_short(c: GenContext) -> str:
    _, letter, y, m, d = _era(c)
    return c.choice([f"{letter}{y}.{m:02d}.{d:02d}", f"{letter}{y}.{m}.{d}", f"{letter}{y:02d}/{m:02d}/{d:02d}"])


@gen("datetime.date.month_year_full")
def _month_year_full(c: GenContext) -> str:
    d = _date(c)
    return f"{MONTHS[d.month - 1]} {d.year}" if c.rng.random() < 0.85 else f"{MONTHS[d.month - 1]}, {d.year}"


@gen("datetime.date.month_year_abbrev")
def _month_year_abbrev(c: GenContext) -> str:
    d = _date(c)
    m = MONTHS[d.month - 1][:3]
    return c.choice([f"{m} {d.year}", f"{m}-{d.year}", f"{m} '{d.year % 100:02d}", f"{m}-{d.year % 100:02d}"])


@gen("datetime.date.month_year_slash")
def _month_year_slash(c: GenContext) -> str:
    d = _date(c)
    return c.choice([f"{d.month:02d}/{d.year}", f"{d.month}/{d.year}"])


@gen("datetime.date.year_month")
def _year_month(c: GenContext) -> str:
    d = _date(c)
    return c.choice([f"{d.year}-{d.month:02d}", f"{d.year}/{d.month:02d}"])


@gen("datetime.date.dmy_dash_abbrev")
def _dmy_dash_abbrev(c: GenContext) -> str:
    d = _date(c)
    m = MONTHS[d.month - 1][:3]
    return f"{d.day:02d}-{m.upper() if c.rng.random() < 0.3 else m}-{d.year}"


@gen("datetime.date.dmy_dash_abbrev_short")
def _dmy_dash_abbrev_short(c: GenContext) -> str:
    d = _date(c)
    m = MONTHS[d.month - 1][:3]
    return f"{d.day:02d}-{m.upper() if c.rng.random() < 0.3 else m}-{d.year % 100:02d}"


@gen("datetime.date.ymd_slash")
def _ymd_slash(c: GenContext) -> str:
    d = _date(c)
    return f"{d.year}/{d.month:02d}/{d.day:02d}"


@gen("datetime.offset.timezone_abbreviation")
def _tz_abbrev(c: GenContext) -> str:
    return c.choice(TZ_ABBREVIATIONS)


@gen("datetime.timestamp.clf")
def _clf(c: GenContext) -> str:
    d = _date(c)
    return f"{d.day:02d}/{MONTHS[d.month - 1][:3]}/{d.year}:{d:%H:%M:%S} {_offset_hhmm(c)}"


def _hour_offset(c: GenContext) -> str:
    """A UTC offset's sign and hours, -11 .. +12 (callers add minutes in their own format)."""
    h = c.rng.randint(-11, 12)
    return f"{'+' if h >= 0 else '-'}{abs(h):02d}"


def _offset_hhmm(c: GenContext) -> str:
    return _hour_offset(c) + c.choice(["00", "00", "30"])


@gen("datetime.timestamp.ctime")
def _ctime(c: GenContext) -> str:
    d = _date(c)
    return f"{d:%a %b} {d.day:2d} {d:%H:%M:%S} {d.year}" if c.rng.random() < 0.7 else f"{d:%a %b %d %H:%M:%S %Y}"


@gen("datetime.timestamp.syslog_bsd")
def _syslog(c: GenContext) -> str:
    d = _date(c)
    return f"{d:%b} {d.day:2d} {d:%H:%M:%S}"


@gen("datetime.timestamp.iso_8601_millis_offset")
def _iso_millis_offset(c: GenContext) -> str:
    d = _date(c)
    off = _hour_offset(c) + ":" + c.choice(["00", "00", "30", "45"])
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}" + off


@gen("datetime.timestamp.iso_minutes")
def _iso_minutes(c: GenContext) -> str:
    return _date(c).strftime("%Y-%m-%dT%H:%M") + c.choice(["", "", "Z"])


@gen("datetime.timestamp.sql_minutes")
def _sql_minutes(c: GenContext) -> str:
    return _date(c).strftime("%Y-%m-%d %H:%M")


@gen("datetime.timestamp.slash_ymd_24h")
def _slash_ymd(c: GenContext) -> str:
    return _date(c).strftime(c.choice(["%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M"]))


@gen("datetime.timestamp.pg_short_offset")
def _pg_short(c: GenContext) -> str:
    d = _date(c)
    offset = _hour_offset(c)
    frac = f".{d.microsecond:06d}" if c.rng.random() < 0.3 else ""
    return d.strftime("%Y-%m-%d %H:%M:%S") + frac + offset


# --- more FineType v0.6 types: markup, finance, formats, code ------------------------------------------

HTML_TAGS = ["div", "span", "p", "a", "li", "td", "strong", "em", "h1", "h2", "section", "button"]


@gen("container.object.html")
def _html(c: GenContext) -> str:
    tag = c.choice(HTML_TAGS)
    attr = c.choice(["", f' class="{c.fake.word()}"', f' id="{c.fake.word()}-{c.rng.randint(1, 99)}"',
                     f' href="{c.fake.url()}"', f' style="color: {c.fake.color_name().lower()}"'])
    inner = c.fake.sentence(nb_words=c.rng.randint(1, 6)).rstrip(".")
    if c.rng.random() < 0.3:
        inline = c.choice(["b", "i", "em", "code"])
        inner = f"<{inline}>{inner}</{inline}>"
    if c.rng.random() < 0.15:
        return c.choice(["<br>", "<hr/>", f'<img src="{c.fake.image_url()}" alt="{c.fake.word()}">'])
    return f"<{tag}{attr}>{inner}</{tag}>"


@gen("container.object.s_expression")
def _sexpr(c: GenContext) -> str:
    def expr(depth: int) -> str:
        if depth == 0 or c.rng.random() < 0.35:
            return c.choice([c.fake.word(), str(c.rng.randint(0, 99)), f'"{c.fake.word()}"', ":" + c.fake.word()])
        op = c.choice(["define", "let", "lambda", "if", "+", "*", "list", "cons", "car", "defun", "quote"])
        return "(" + " ".join([op, *(expr(depth - 1) for _ in range(c.rng.randint(1, 3)))]) + ")"

    return "(" + " ".join([c.choice(["define", "defun", "+", "list", "let", "setq"]),
                           *(expr(2) for _ in range(c.rng.randint(1, 3)))]) + ")"


@gen("finance.banking.bsb")
def _bsb(c: GenContext) -> str:
    s = c.choice(["01", "03", "06", "08", "11", "12", "18", "48", "63", "73", "76"]) + _digits(c, 4)
    return f"{s[:3]}-{s[3:]}" if c.rng.random() < 0.8 else f"{s[:3]} {s[3:]}"


@gen("finance.securities.figi")
def _figi(c: GenContext) -> str:
    consonants = "BCDFGHJKLMNPQRSTVWXYZ"
    body = c.choice(["BBG", "BBG", "BBG", "GGG"]) + _pick(c, consonants + string.digits, 8)
    return body + figi_check(body)


ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                 "eleventh", "twelfth", "twentieth", "hundredth"]


@gen("representation.discrete.ordinal")
def _ordinal(c: GenContext) -> str:
    if c.rng.random() < 0.3:
        w = c.choice(ORDINAL_WORDS)
        return w.capitalize() if c.rng.random() < 0.3 else w
    n = c.rng.randint(1, 120)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}" if c.rng.random() < 0.85 else c.choice([f"{n}.", f"{n}º", f"{n}ª"])


EXCEL_FORMATS = ["#,##0.00", "0.00%", "0%", "#,##0", "0.00E+00", "$#,##0.00", "[$€-407] #,##0.00",
                 "yyyy-mm-dd", "dd/mm/yyyy", "mm/dd/yy", "hh:mm:ss", "h:mm AM/PM", "@", "General", "#,##0;[Red]-#,##0",
                 "0.000", "# ?/?", "mmm-yy", "d-mmm-yy", "[h]:mm:ss", "_($* #,##0.00_)", "0000", "#,##0.0,,\"M\""]


@gen("representation.file.excel_format")
def _excel_format(c: GenContext) -> str:
    return c.choice(EXCEL_FORMATS)


@gen("technology.code.qualified_name")
def _qualified(c: GenContext) -> str:
    words = [c.fake.word().lower() for _ in range(c.rng.randint(1, 3))]
    r = c.rng.random()
    if r < 0.4:  # Java / Kotlin: reverse domain, CamelCase class
        return ".".join([c.choice(["com", "org", "io", "net", "de"]), c.fake.domain_word().replace("-", ""), *words,
                         "".join(w.capitalize() for w in c.fake.words(2))])
    if r < 0.7:  # Python module path
        return ".".join([c.choice(["django", "numpy", "tinylab", "requests", "app", "core"]), *words])
    if r < 0.85:  # C++ / Rust paths
        return "::".join([c.choice(["std", "boost", "tokio", "serde", "crate"]), *words])
    return ".".join(["System", c.choice(["Collections", "IO", "Net", "Text"]), "".join(w.capitalize() for w in words)])


@gen("technology.filesystem.windows_path")
def _windows_path(c: GenContext) -> str:
    parts = [c.choice(["Users", "Program Files", "Windows", "ProgramData", "Data", "Projects"]),
             *(c.fake.word() for _ in range(c.rng.randint(0, 3)))]
    file = c.fake.file_name() if c.rng.random() < 0.7 else ""
    root = c.choice(["C:\\", "C:\\", "D:\\", "E:\\", "\\\\fileserver\\share\\"])
    return root + "\\".join(p for p in [*parts, file] if p)


@gen("technology.filesystem.filename")
def _filename(c: GenContext) -> str:
    r = c.rng.random()
    if r < 0.5:
        return c.fake.file_name()
    stem = c.choice([f"report_{c.rng.randint(2015, 2026)}", f"IMG_{_digits(c, 4)}", f"{c.fake.word()}-{c.fake.word()}",
                     f"scan{_digits(c, 3)}", f"{c.fake.word().capitalize()} {c.fake.word()} (1)", "README",
                     f"invoice-{_digits(c, 6)}", f"data.{c.rng.randint(1, 9)}"])
    return stem + c.choice([".pdf", ".csv", ".xlsx", ".docx", ".jpg", ".png", ".txt", ".zip", ".json", ".md",
                            ".tar.gz", ".py", ".mp4"])
