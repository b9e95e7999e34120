"""Seeded JSON documents and their corruptions: the data of the ``json-repair`` task.

A *document* is a realistic JSON value of the kind APIs, configuration files, loggers and LLMs emit (user
profiles, orders, paginated API responses, configs, log events, product catalogues, GeoJSON, chat
completions, metric series). :func:`render` formats it in one of :data:`STYLES` (indented, tab-indented,
minified, compact; ASCII-escaped or not; with or without a trailing newline). :func:`corrupt` breaks the
text in one named way (:data:`CORRUPTIONS`), and :func:`examples` builds a deterministic list of
:class:`Example` (single corruptions, or stacks of two or three).

Rules every corruption follows:

* It works on the tokens of the text (a small lexer, tolerant enough to read text an earlier corruption
  already broke), never inside a string unless its description says so (``truncate``).
* Its result never parses with :func:`json.loads`: a change that happens to leave valid JSON (deleting the
  comma of minified ``[1,2]`` gives ``[12]``) is not a broken document, so another position is drawn; when
  no position breaks the text, :func:`corrupt` returns ``None``.

Randomness: every public function takes a :class:`numpy.random.Generator`, draws one 63-bit integer from it
and seeds a :class:`random.Random` with it; all further draws use only ``Random.random()``, whose sequence
Python guarantees across versions and platforms. Values are built from decimal strings and integer
arithmetic (no transcendental functions), so the same seed gives the same documents on any machine.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from random import Random
from typing import Any

import numpy as np

CORRUPTIONS: tuple[str, ...] = (
    "block_comment", "line_comment", "delete_brace", "delete_bracket", "delete_colon",
    "delete_comma", "insert_comma", "markdown_fence", "markdown_fence_plain", "mask_token", "prose_wrap",
    "python_true", "python_false", "python_null", "single_quotes", "swap_adjacent", "trailing_comma_arr",
    "trailing_comma_obj", "truncate", "unquote_keys",
)  # fmt: skip
"""Every corruption :func:`corrupt` knows, by name."""

WRAPPERS: frozenset[str] = frozenset({"markdown_fence", "markdown_fence_plain", "prose_wrap"})
"""The corruptions that wrap the whole text; in a stack, at most one, and always last."""

# layouts: name -> (json.dumps indent, separators); weights give minified about a quarter of documents
_LAYOUTS: dict[str, tuple[int | str | None, tuple[str, str]]] = {
    "indent2": (2, (",", ": ")),
    "indent4": (4, (",", ": ")),
    "tab": ("\t", (",", ": ")),
    "minified": (None, (",", ":")),
    "compact": (None, (", ", ": ")),
}
_LAYOUT_WEIGHTS: dict[str, float] = {"indent2": 0.3, "indent4": 0.18, "tab": 0.07, "minified": 0.25, "compact": 0.2}
_ASCII_P = 0.4  # json.dumps' default: APIs in Python escape non-ASCII; LLMs and most other serializers do not
_NEWLINE_P = 0.3

STYLES: tuple[str, ...] = tuple(
    layout + ascii_ + newline for layout in _LAYOUTS for ascii_ in ("", "-ascii") for newline in ("", "-nl")
)
"""Formatting styles: a layout (``indent2``, ``indent4``, ``tab``, ``minified``, ``compact``), then
``-ascii`` when non-ASCII characters are escaped (``\\u00e9``), then ``-nl`` when the text ends with a
newline. ``minified`` has no whitespace at all (``separators=(",", ":")``); ``compact`` is one line with
``", "`` and ``": "``."""


@dataclass(frozen=True)
class Edit:
    """What one corruption did to the text it was applied to.

    For a local change (a comment, a deleted or inserted comma, a swap, a mask, a truncation) ``offset`` is
    where it happened, ``removed`` the text taken out there and ``inserted`` the text put in. For a
    whole-document transform (``python_*``, ``single_quotes``, ``unquote_keys``, the wrappers) it records
    the *first* change only: the first literal, string or key rewritten, or the text added before the
    document (after it, at ``offset == len(text)``, when nothing was added before)."""

    corruption: str
    offset: int
    removed: str
    inserted: str


@dataclass(frozen=True)
class Example:
    """A valid document and a broken version of it."""

    original: Any
    """The Python value: ``json.loads(original_text)``."""
    original_text: str
    """The valid JSON text before corruption."""
    broken: str
    """The corrupted text; ``json.loads(broken)`` always raises."""
    corruptions: tuple[str, ...]
    """The corruptions applied, in order: one for a single, two or three for a stack."""
    style: str
    """The formatting style of ``original_text`` (one of :data:`STYLES`)."""
    edits: tuple[Edit, ...]
    """What each corruption did, one per name in ``corruptions``; each offset is in the text that
    corruption was applied to."""


# ---------------------------------------------------------------------------------------------------------
# randomness


class _Draw:
    """Draws from a :class:`random.Random` seeded from a numpy generator, using only ``Random.random()``
    (the one method whose sequence Python guarantees across versions)."""

    __slots__ = ("_random",)

    def __init__(self, rng: np.random.Generator) -> None:
        self._random = Random(int(rng.integers(0, 2**63, dtype=np.int64))).random

    def random(self) -> float:
        return self._random()

    def chance(self, p: float) -> bool:
        return self._random() < p

    def below(self, n: int) -> int:
        """An integer in ``[0, n)``."""
        return min(int(self._random() * n), n - 1)

    def between(self, lo: int, hi: int) -> int:
        """An integer in ``[lo, hi]``."""
        return lo + self.below(hi - lo + 1)

    def pick(self, seq: Sequence[Any]) -> Any:
        return seq[self.below(len(seq))]

    def weighted(self, weights: dict[str, float]) -> str:
        x = self._random() * sum(weights.values())
        for name, w in weights.items():
            x -= w
            if x < 0:
                return name
        return name

    def shuffled(self, seq: Sequence[Any]) -> list[Any]:
        out = list(seq)
        for i in range(len(out) - 1, 0, -1):
            j = self.below(i + 1)
            out[i], out[j] = out[j], out[i]
        return out

    def sample(self, seq: Sequence[Any], k: int) -> list[Any]:
        return self.shuffled(seq)[:k]


# ---------------------------------------------------------------------------------------------------------
# vocabulary

_FIRST = (
    "Alice", "Bob", "Zoë", "José", "Søren", "Łukasz", "Jürgen", "François", "Siobhán", "Nguyễn", "李雷", "王芳",
    "Анна", "Дмитрий", "Ayşe", "Priya", "Kwame", "Mei", "Olúwaseun", "Björk", "Chloé", "Ahmed", "Sara", "Liam",
)  # fmt: skip
_LAST = (
    "Smith", "O'Connor", "Müller", "García", "Dubois", "Kowalski", "Nakamura", "Иванова", "Øberg", "D'Angelo",
    "Nguyen", "Okafor", "Schäfer", "Rossi", "van der Berg", "López", "Chen", "Patel", "Weiß", "Łęcka",
)  # fmt: skip
_CITIES = (
    ("Paris", "FR"), ("München", "DE"), ("São Paulo", "BR"), ("Kraków", "PL"), ("東京", "JP"), ("Москва", "RU"),
    ("New York", "US"), ("Zürich", "CH"), ("Reykjavík", "IS"), ("Montréal", "CA"), ("İstanbul", "TR"),
    ("Lagos", "NG"), ("北京", "CN"), ("Seattle", "US"), ("Göteborg", "SE"), ("Málaga", "ES"),
)  # fmt: skip
_STREETS = ("12 Rue de l'Église", "Hauptstraße 5", "221B Baker Street", "Av. Paulista, 1578", "ul. Długa 3/7",
            "1600 Amphitheatre Pkwy", "Apt. #4, 9 Elm St.", "")
_WORDS = ("alpha", "beta", "urgent", "vip", "beta-tester", "new", "legacy", "café", "größe", "中文", "ключ",
          "sale", "2024", "q3", "✓", "🔥", "eu-west-1", "", "a/b", "c#", "node.js")
_EMOJI = ("👍", "🎉", "🚀", "👍🏽", "👨‍👩‍👧", "🇫🇷", "❤️", "🤷‍♀️", "✅", "😅")
_SENTENCES = (
    "it's fine", "She said \"hello\" and left.", "Line one\nLine two", "col1\tcol2\tcol3",
    "C:\\Users\\anna\\Documents\\report.pdf", "see https://x.org/a?b=1#frag for details",
    "// this is not a comment", "# not a heading either", "/* keep this */ text", "use {name} as a placeholder",
    "array syntax: [1, 2, 3]", "key: value, other: thing", "naïve café résumé", "Straße und Größe",
    "中文测试，没有问题", "Привет, мир!", "👍🏽 looks good to me", "family trip 👨‍👩‍👧", "🇫🇷 Paris office",
    "mixed 'single' and \"double\" quotes", "tab\tand newline\n", "price is $5, not €5", "100% done → next step",
    "Ship it 🚀🎉", "Don't forget the \\n in the regex", "He wrote: \"it's done\"", "a, b, c", "{\"nested\": true}",
    "path/to/file.txt", "SELECT * FROM users WHERE name = 'x';", "The quick brown fox jumps over the lazy dog.",
    "Réunion à 14h : salle B", "tl;dr — it works", "Ω ≈ 3.14 ± 0.01", "end with backslash \\", "   padded   ",
    "{{template}} and [[wiki]]", "Error: unexpected token '}' at line 3", "x = a // b  # floor division",
    "You're welcome! Let me know if there's anything else.", "Temperature: -5°C, wind 20 km/h",
)  # fmt: skip
_URLS = ("https://x.org/a?b=1#frag", "https://api.example.com/v2/users?page=2&per_page=50",
         "http://localhost:8080/health", "https://cdn.example.net/img/p/12345.jpg?w=640&h=480",
         "https://example.com/search?q=caf%C3%A9&lang=fr", "https://münchen.example.de/pfad", "s3://bucket/key/a.json",
         "https://github.com/org/repo/blob/main/README.md#install")
_LEVELS = ("DEBUG", "INFO", "INFO", "WARNING", "ERROR", "CRITICAL")
_MODELS = ("gpt-4o-mini", "claude-3-5-sonnet", "llama-3.1-8b-instruct", "mistral-small")
_CURRENCIES = ("EUR", "USD", "GBP", "JPY", "PLN", "CHF", "BRL")
_STATUSES = ("pending", "paid", "shipped", "delivered", "cancelled", "refunded")
_PRODUCTS = ("Wireless Mouse", "USB-C Cable (2 m)", "Café Crème Beans 1kg", "Notebook A5, dotted", "4K Monitor 27\"",
             "Kid's Backpack", "Ergonomic Chair", "Tee — size M", "Smart Bulb E27", "日本茶 Sencha", "Чайник 1.7 л")
_COLORS = ("red", "navy", "black", "white", "forest green", "#ff8800", "rgb(0, 128, 255)")
_METRICS = ("cpu.usage", "mem.rss_bytes", "http.requests", "disk.io_wait", "queue.depth", "latency_p99")
_HOSTS = ("web-01", "web-02", "db-primary", "worker-7", "edge-fra-3", "localhost")
_SPECIAL_KEYS = ("$id", "@type", "$schema", "@context", "display name", "größe", "名前", "ключ", "x-request-id",
                 "_links", "__v", "Content-Type", "e-mail address")


# ---------------------------------------------------------------------------------------------------------
# documents


_MAX_CHARS = 8192  # a document indented by 2 is at most this long (indent 4 and tabs may exceed it a little)


class _Doc:
    """One document's generator: a draw source and a key style (snake_case, camelCase or kebab-case)."""

    def __init__(self, d: _Draw, size: str | None = None) -> None:
        self.d = d
        self.key_style = d.weighted({"snake": 0.55, "camel": 0.3, "kebab": 0.15})
        self.size = size or d.weighted({"tiny": 0.15, "small": 0.45, "medium": 0.3, "large": 0.1})

    # --- keys and containers

    def k(self, name: str) -> str:
        """A schema key (written snake_case) in this document's key style."""
        if self.key_style == "snake" or "_" not in name:
            return name
        head, *rest = name.split("_")
        if self.key_style == "camel":
            return head + "".join(part[:1].upper() + part[1:] for part in rest)
        return "-".join([head, *rest])

    def obj(self, *pairs: tuple[str, Any], optional: float = 0.0) -> dict[str, Any]:
        """An object from (schema key, value) pairs; each pair is left out with probability ``optional``;
        now and then one extra key of an unusual kind (``$id``, ``@type``, spaces, non-ASCII)."""
        out = {self.k(key): value for key, value in pairs if not (optional and self.d.chance(optional))}
        if self.d.chance(0.06):
            key = self.d.pick(_SPECIAL_KEYS)
            out.setdefault(key, self.special_value(key))
        return out

    def special_value(self, key: str) -> Any:
        """A value that suits one of the unusual keys."""
        if key in ("$id", "x-request-id"):
            return self.ident()
        if key == "@type":
            return self.d.pick(("Person", "Product", "Event", "Place"))
        if key in ("$schema", "@context"):
            return self.d.pick(("https://json-schema.org/draft/2020-12/schema", "https://schema.org"))
        if key == "_links":
            return {"self": {"href": self.d.pick(_URLS)}, "next": self.maybe({"href": self.d.pick(_URLS)})}
        if key == "Content-Type":
            return self.d.pick(("application/json", "text/plain; charset=utf-8"))
        return self.scalar()

    def count(self, tiny: int = 0, small: int = 3, medium: int = 8, large: int = 30) -> int:
        """How many items a list of this document has, by its size class."""
        hi = {"tiny": tiny, "small": small, "medium": medium, "large": large}[self.size]
        lo = {"tiny": 0, "small": min(1, hi), "medium": small, "large": medium}[self.size]
        return self.d.between(lo, max(lo, hi))

    # --- scalars

    def text(self) -> str:
        d = self.d
        r = d.random()
        if r < 0.45:
            return d.pick(_SENTENCES)
        if r < 0.6:
            return f"{d.pick(_SENTENCES)} {d.pick(_SENTENCES)}"
        if r < 0.7:
            return f"{d.pick(_SENTENCES)} {d.pick(_EMOJI)}"
        if r < 0.8:
            return d.pick(_URLS)
        if r < 0.88:
            return ""
        return " ".join(d.pick(_WORDS) for _ in range(d.between(1, 6)))

    def name(self) -> str:
        return f"{self.d.pick(_FIRST)} {self.d.pick(_LAST)}"

    def email(self) -> str:
        first = self.d.pick(("alice", "bob", "j.doe", "zoe+news", "o'brien", "anna_k", "jürgen"))
        return f"{first}@{self.d.pick(('example.com', 'mail.example.org', 'x.io', 'bücher.de'))}"

    def ident(self) -> str | int:
        d = self.d
        r = d.random()
        if r < 0.3:
            return d.between(1, 99999)
        if r < 0.45:
            return self.big_int()
        if r < 0.75:
            h = f"{d.below(2**32):08x}{d.below(2**32):08x}{d.below(2**32):08x}{d.below(2**32):08x}"
            return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        return f"{d.pick(('usr', 'ord', 'prd', 'evt', 'req'))}_{d.below(36**6):06x}"

    def big_int(self) -> int:
        """An integer above 2**53 (snowflake ids, byte counters), sometimes negative."""
        value = self.d.between(9_007_200, 999_999_999) * 1_000_000_000 + self.d.below(1_000_000_000)
        return -value if self.d.chance(0.1) else value

    def number(self) -> int | float:
        d = self.d
        r = d.random()
        if r < 0.08:
            return 0
        if r < 0.3:
            return d.between(1, 1000)
        if r < 0.4:
            return -d.between(1, 100000)
        if r < 0.47:
            return self.big_int()
        if r < 0.72:
            return float(f"{d.between(-500, 5000)}.{d.between(0, 99):02d}")
        if r < 0.8:
            return float(d.between(0, 20)) * self.d.pick((1, 10, 1000, 100000))  # integral floats: 1.0, 1e5
        return self.sci()

    def sci(self) -> float:
        """A float whose shortest repr is in exponent form (1e-07, 6.02e+23)."""
        d = self.d
        if d.chance(0.15):
            return d.pick((1e-07, 6.02e23, 1e-05, 1.5e-10, 6.674e-11, 1e16, 9.109e-31))
        exp = d.between(-12, -5) if d.chance(0.6) else d.between(16, 30)
        return float(f"{'-' if d.chance(0.15) else ''}{d.between(1, 9)}.{d.between(0, 999)}e{exp}")

    def price(self) -> float:
        return float(f"{self.d.between(0, 999)}.{self.d.pick(('00', '99', '50', '95', '49', '0', '5'))}")

    def timestamp(self) -> str:
        d = self.d
        base = f"20{d.between(19, 25)}-{d.between(1, 12):02d}-{d.between(1, 28):02d}"
        clock = f"{d.between(0, 23):02d}:{d.between(0, 59):02d}:{d.between(0, 59):02d}"
        if d.chance(0.3):
            clock += f".{d.below(1000):03d}"
        return f"{base}T{clock}{d.pick(('Z', 'Z', '+02:00', '-05:00', ''))}"

    def scalar(self) -> Any:
        r = self.d.random()
        if r < 0.35:
            return self.text()
        if r < 0.65:
            return self.number()
        if r < 0.85:
            return self.d.chance(0.5)
        return None

    def maybe(self, value: Any, p_null: float = 0.2) -> Any:
        return None if self.d.chance(p_null) else value

    def tags(self) -> list[str]:
        return [self.d.pick(_WORDS) for _ in range(self.count(1, 3, 5, 8))] if self.d.chance(0.85) else []

    def extra(self) -> dict[str, Any]:
        """A free-form metadata object: sometimes empty, sometimes nested."""
        d = self.d
        if d.chance(0.25):
            return {}
        out: dict[str, Any] = {}
        for _ in range(d.between(1, 4)):
            key = d.pick(("source", "note", "ref", "flags", "ratio", "owner", "schema_version", "region", "retries"))
            out[self.k(key)] = self.scalar() if d.chance(0.8) else {self.k("inner_value"): self.scalar()}
        return out

    # --- schemas

    def user(self) -> dict[str, Any]:
        d = self.d
        city, country = d.pick(_CITIES)
        first, last = d.pick(_FIRST), d.pick(_LAST)
        return self.obj(
            ("id", self.ident()),
            ("username", f"{first.lower()}_{d.between(1, 999)}"),
            ("first_name", first),
            ("last_name", last),
            ("email", self.email()),
            ("age", self.maybe(d.between(16, 90))),
            ("is_active", d.chance(0.8)),
            ("score", self.number()),
            ("created_at", self.timestamp()),
            ("address", self.maybe(self.obj(
                ("street", d.pick(_STREETS)), ("city", city), ("postal_code", f"{d.below(100000):05d}"),
                ("country", country),
                ("geo", {"lat": float(f"{d.between(-89, 89)}.{d.below(10**6):06d}"),
                         "lng": float(f"{d.between(-179, 179)}.{d.below(10**6):06d}")}),
                optional=0.15))),
            ("tags", self.tags()),
            ("preferences", self.obj(
                ("theme", d.pick(("dark", "light", "system"))),
                ("language", d.pick(("en-US", "fr-FR", "de-DE", "zh-CN", "pt-BR"))),
                ("notifications", self.obj(("email", d.chance(0.5)), ("sms", d.chance(0.3)),
                                           ("push", d.chance(0.6)))),
                optional=0.3)),
            ("bio", self.text()),
            ("followers_count", self.big_int() if d.chance(0.2) else d.between(0, 5000)),
            ("last_login", self.maybe(self.timestamp(), 0.4)),
            ("metadata", self.extra()),
            optional=0.25,
        )

    def line_item(self, keys_dropped: frozenset[str]) -> dict[str, Any]:
        d = self.d
        pairs = [
            ("sku", f"SKU-{d.below(10**6):06d}"), ("name", d.pick(_PRODUCTS)), ("quantity", d.between(1, 12)),
            ("unit_price", self.price()), ("discount", d.pick((0, 0.1, 0.25, 5.0, None))),
            ("attributes", {} if d.chance(0.3) else self.obj(("color", d.pick(_COLORS)),
                                                            ("size", d.pick(("S", "M", "L", "XL", 42))))),
        ]
        return self.obj(*(p for p in pairs if p[0] not in keys_dropped))

    def shared_keys(self, keys: Sequence[str]) -> frozenset[str]:
        """Keys an array's objects all leave out: elements of one array share one key set, as real data do."""
        return frozenset(key for key in keys if self.d.chance(0.12))

    def order(self) -> dict[str, Any]:
        d = self.d
        dropped = self.shared_keys(("discount", "attributes"))
        items = [self.line_item(dropped) for _ in range(self.count(1, 3, 6, 20))]
        subtotal = float(f"{d.between(0, 9999)}.{d.between(0, 99):02d}")
        return self.obj(
            ("order_id", self.ident()),
            ("status", d.pick(_STATUSES)),
            ("customer", self.obj(("id", self.ident()), ("name", self.name()), ("email", self.email()))),
            ("currency", d.pick(_CURRENCIES)),
            ("items", items),
            ("subtotal", subtotal),
            ("tax", self.price()),
            ("total", subtotal + 1.0),
            ("shipping", self.maybe(self.obj(("method", d.pick(("standard", "express", "pickup"))),
                                             ("cost", self.price()), ("tracking", self.maybe(self.ident()))))),
            ("notes", self.text()),
            ("gift", d.chance(0.1)),
            ("coupon", self.maybe(d.pick(("SPRING10", "WELCOME", "VIP-2024")), 0.7)),
            ("placed_at", self.timestamp()),
            optional=0.2,
        )

    def record(self, kind: str, dropped: frozenset[str]) -> dict[str, Any]:
        if kind == "user":
            d = self.d
            pairs = [("id", self.ident()), ("name", self.name()), ("email", self.email()),
                     ("active", d.chance(0.8)), ("role", d.pick(("admin", "editor", "viewer"))),
                     ("last_seen", self.maybe(self.timestamp())), ("score", self.number())]
            return self.obj(*(p for p in pairs if p[0] not in dropped))
        if kind == "product":
            return self.product(dropped)
        return self.log_event(dropped)

    def api_response(self) -> dict[str, Any]:
        d = self.d
        kind = d.pick(("user", "product", "event"))
        dropped = self.shared_keys(("email", "last_seen", "score", "variants", "images", "dimensions", "exception"))
        data = [self.record(kind, dropped) for _ in range(self.count(1, 3, 6, 15))]
        page, per_page = d.between(1, 20), d.pick((10, 20, 25, 50, 100))
        total = d.between(len(data), 100000)
        return self.obj(
            ("status", d.pick(("ok", "success", "partial"))),
            ("code", d.pick((200, 200, 201, 206))),
            ("data", data),
            ("pagination", self.obj(
                ("page", page), ("per_page", per_page), ("total", total),
                ("total_pages", -(-total // per_page)),
                ("next", self.maybe(f"https://api.example.com/v2/{kind}s?page={page + 1}&per_page={per_page}")),
                ("prev", None if page == 1 else f"https://api.example.com/v2/{kind}s?page={page - 1}"),
                optional=0.1)),
            ("meta", self.obj(("request_id", self.ident()), ("took_ms", self.number()),
                              ("api_version", d.pick(("2024-06-01", "v2", "2.3.1"))), optional=0.2)),
            ("errors", [] if d.chance(0.8) else [self.obj(("code", "E_PARTIAL"), ("message", self.text()))]),
            optional=0.15,
        )

    def config(self) -> dict[str, Any]:
        d = self.d
        features = {self.k(f): d.chance(0.5) for f in d.sample(("new_ui", "beta_search", "dark_mode",
                                                                  "fast_path", "legacy_auth", "telemetry"),
                                                                 d.between(0, 5))}
        return self.obj(
            ("$schema", "https://json.schemastore.org/package"),
            ("name", d.pick(("my-service", "tinyapp", "ingest_worker", "café-api"))),
            ("version", f"{d.between(0, 3)}.{d.between(0, 20)}.{d.between(0, 9)}"),
            ("debug", d.chance(0.3)),
            ("server", self.obj(
                ("host", d.pick(("0.0.0.0", "localhost", "::1", "api.internal"))), ("port", d.between(1024, 65535)),
                ("timeout", d.pick((30, 2.5, 1.0, 0.25, 60.0))),
                ("tls", self.obj(("enabled", d.chance(0.5)), ("cert_path", "/etc/ssl/certs/server.pem"),
                                 ("ciphers", [] if d.chance(0.5) else ["TLS_AES_128_GCM_SHA256"]))),
                optional=0.2)),
            ("database", self.obj(
                ("url", d.pick(("postgresql://user:p@ss@db:5432/app", "sqlite:///./data/app.db",
                                "mysql://root@localhost/test?charset=utf8mb4"))),
                ("pool_size", d.between(1, 64)),
                ("retry", self.obj(("max_attempts", d.between(0, 10)), ("backoff", d.pick((1.5, 2.0, 1e-3))),
                                   ("jitter", d.chance(0.5)))),
                optional=0.2)),
            ("features", features),
            ("allowed_origins", d.sample(_URLS, self.count(0, 2, 4, 8))),
            ("logging", self.obj(
                ("level", d.pick(_LEVELS)),
                ("format", d.pick(("%(asctime)s %(levelname)s %(message)s", "{time} | {level} | {message}",
                                   "[%d] %s: %s"))),
                ("handlers", [] if d.chance(0.4) else d.sample(("console", "file", "syslog"), d.between(1, 3))),
                ("file", d.pick(("/var/log/app.log", "C:\\logs\\app.log", "./logs/app-%Y%m%d.log"))))),
            ("env", {} if d.chance(0.3) else {"PATH": "/usr/local/bin:/usr/bin", "LANG": "C.UTF-8",
                                              "GREETING": d.pick(_SENTENCES)}),
            ("limits", self.obj(("max_body_bytes", d.pick((1048576, 2**31 - 1, self.big_int()))),
                                ("rate_per_s", self.number()), ("burst", d.between(0, 1000)))),
            optional=0.2,
        )

    def log_event(self, dropped: frozenset[str] = frozenset()) -> dict[str, Any]:
        d = self.d
        level = d.pick(_LEVELS)
        exception = None
        if level in ("ERROR", "CRITICAL") and d.chance(0.7):
            frames = [self.obj(("file", d.pick(("app/main.py", "lib/db.py", "C:\\src\\worker.py"))),
                               ("line", d.between(1, 900)), ("function", d.pick(("handle", "<module>", "run"))))
                      for _ in range(self.count(1, 2, 4, 8))]
            exception = self.obj(("type", d.pick(("ValueError", "KeyError", "TimeoutError"))),
                                 ("message", d.pick(("Expecting ',' delimiter: line 1 column 5 (char 4)",
                                                     "'user_id'", "timed out after 30.0s", ""))),
                                 ("stacktrace", frames))
        pairs = [
            ("timestamp", self.timestamp()),
            ("level", level),
            ("logger", d.pick(("app.http", "worker", "db.pool", "auth"))),
            ("message", self.text()),
            ("trace_id", f"{d.below(2**32):08x}{d.below(2**32):08x}"),
            ("duration_ms", self.number()),
            ("http", self.obj(("method", d.pick(("GET", "POST", "PUT", "DELETE"))),
                              ("path", d.pick(("/api/v1/users/42", "/health", "/search?q=a%20b&x=1#top", "/"))),
                              ("status", d.pick((200, 201, 204, 301, 400, 404, 500, 503))),
                              ("user_agent", d.pick(("Mozilla/5.0 (X11; Linux x86_64)", "curl/8.4.0", ""))),
                              optional=0.2)),
            ("context", self.extra()),
            ("exception", exception),
        ]
        return self.obj(*(p for p in pairs if p[0] not in dropped))

    def product(self, dropped: frozenset[str] = frozenset()) -> dict[str, Any]:
        d = self.d
        variant_dropped = self.shared_keys(("price_delta",))
        pairs = [
            ("id", self.ident()),
            ("name", d.pick(_PRODUCTS)),
            ("description", self.text()),
            ("price", self.price()),
            ("currency", d.pick(_CURRENCIES)),
            ("in_stock", d.chance(0.7)),
            ("stock", d.between(0, 500)),
            ("rating", self.maybe(float(f"{d.between(1, 4)}.{d.below(10)}"))),
            ("dimensions", self.obj(("width", self.number()), ("height", self.number()), ("depth", self.number()),
                                    ("unit", d.pick(("cm", "mm", "in"))))),
            ("tags", self.tags()),
            ("variants", [self.obj(*(p for p in (("sku", f"V-{d.below(10**5):05d}"), ("color", d.pick(_COLORS)),
                                                 ("price_delta", d.pick((0, 5.0, -2.5, 1e-2))))
                                     if p[0] not in variant_dropped))
                          for _ in range(self.count(0, 2, 4, 6))]),
            ("images", [d.pick(_URLS) for _ in range(self.count(0, 2, 3, 5))]),
        ]
        return self.obj(*(p for p in pairs if p[0] not in dropped))

    def catalogue(self) -> dict[str, Any]:
        d = self.d
        dropped = self.shared_keys(("description", "rating", "variants", "images", "dimensions"))
        return self.obj(
            ("@context", "https://schema.org"),
            ("@type", "ItemList"),
            ("catalog_id", self.ident()),
            ("updated", self.timestamp()),
            ("locale", d.pick(("en-US", "fr-FR", "ja-JP"))),
            ("products", [self.product(dropped) for _ in range(self.count(1, 2, 5, 12))]),
            optional=0.2,
        )

    def coord(self) -> list[float]:
        d = self.d
        point = [float(f"{d.between(-179, 179)}.{d.below(10**5)}"), float(f"{d.between(-89, 89)}.{d.below(10**5)}")]
        if d.chance(0.15):
            point.append(float(d.between(-400, 4000)))
        return point

    def feature(self) -> dict[str, Any]:
        d = self.d
        kind = d.pick(("Point", "Point", "LineString", "Polygon"))
        if kind == "Point":
            coordinates: Any = self.coord()
        elif kind == "LineString":
            coordinates = [self.coord() for _ in range(d.between(2, 6))]
        else:
            ring = [self.coord() for _ in range(d.between(3, 6))]
            coordinates = [[*ring, ring[0]]]
        city, country = d.pick(_CITIES)
        return {
            "type": "Feature",
            "id": self.ident(),
            "geometry": {"type": kind, "coordinates": coordinates},
            "properties": self.obj(("name", city), ("country", country), ("population", d.between(0, 40_000_000)),
                                   ("elevation_m", self.number()), ("note", self.text()), optional=0.3),
        }

    def geo(self) -> dict[str, Any]:
        d = self.d
        out: dict[str, Any] = {"type": "FeatureCollection",
                               "features": [self.feature() for _ in range(self.count(1, 2, 5, 14))]}
        if d.chance(0.3):
            out["bbox"] = [-10.5, 35.25, 30.0, 60.125]
        if d.chance(0.2):
            out["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
        return out

    def chat(self) -> dict[str, Any]:
        d = self.d
        tool_calls = []
        if d.chance(0.35):
            args = {"city": d.pick(_CITIES)[0], "unit": d.pick(("celsius", "fahrenheit")), "days": d.between(1, 7)}
            tool_calls = [{"id": f"call_{d.below(36**8):x}", "type": "function",
                           "function": {"name": d.pick(("get_weather", "search_docs", "lookup_order")),
                                        "arguments": json.dumps(args, ensure_ascii=d.chance(0.5))}}]
        message = self.obj(("role", "assistant"), ("content", self.maybe(self.text(), 0.15 if not tool_calls else 0.7)))
        if tool_calls:
            message[self.k("tool_calls")] = tool_calls
        if d.chance(0.5):
            history = [self.obj(("role", d.pick(("system", "user", "assistant"))), ("content", self.text()))
                       for _ in range(self.count(1, 3, 6, 12))]
            return self.obj(("model", d.pick(_MODELS)), ("messages", history), ("temperature", d.pick((0, 0.2, 1.0))),
                            ("max_tokens", d.pick((256, 1024, None))), ("stream", False), optional=0.2)
        return self.obj(
            ("id", f"chatcmpl-{d.below(36**10):x}"),
            ("object", "chat.completion"),
            ("created", d.between(1_600_000_000, 1_750_000_000)),
            ("model", d.pick(_MODELS)),
            ("choices", [{"index": i, "message": message, "finish_reason": d.pick(("stop", "length", "tool_calls")),
                          "logprobs": None} for i in range(d.between(1, 2))]),
            ("usage", self.obj(("prompt_tokens", d.between(5, 4000)), ("completion_tokens", d.between(1, 2000)),
                               ("total_tokens", d.between(6, 6000)))),
            ("system_fingerprint", self.maybe("fp_44709d6fcb", 0.5)),
        )

    def metrics(self) -> dict[str, Any]:
        d = self.d
        n = self.count(1, 6, 20, 120)
        start = d.between(1_700_000_000, 1_720_000_000)
        step = d.pick((10, 60, 300))
        values = [self.number() if d.chance(0.3) else float(f"{d.between(0, 100)}.{d.below(1000)}") for _ in range(n)]
        if d.chance(0.5):
            points: list[Any] = [[start + i * step, v] for i, v in enumerate(values)]
        elif d.chance(0.5):
            points = [{"t": start + i * step, "v": v} for i, v in enumerate(values)]
        else:
            points = values
        return self.obj(
            ("metric", d.pick(_METRICS)),
            ("unit", d.pick(("percent", "bytes", "ms", "1/s", "µs"))),
            ("tags", {"host": d.pick(_HOSTS), "region": d.pick(("eu-west-1", "us-east-2", "ap-south-1"))}),
            ("interval_s", step),
            ("points", points),
            ("stats", self.obj(("min", self.number()), ("max", self.number()), ("mean", self.number()),
                               ("p99", self.number()), ("scale", self.sci()), optional=0.3)),
            ("missing", [] if d.chance(0.6) else [start + step * d.below(max(n, 1))]),
            optional=0.15,
        )

    def top_level_array(self) -> list[Any]:
        d = self.d
        kind = d.pick(("events", "users", "products", "scalars", "tuples"))
        n = self.count(0, 3, 8, 25)
        if kind == "events":
            dropped = self.shared_keys(("trace_id", "http", "context", "exception"))
            return [self.log_event(dropped) for _ in range(n)]
        if kind == "users":
            dropped = self.shared_keys(("email", "last_seen", "score"))
            return [self.record("user", dropped) for _ in range(n)]
        if kind == "products":
            dropped = self.shared_keys(("description", "variants", "images", "dimensions"))
            return [self.product(dropped) for _ in range(n)]
        if kind == "scalars":
            make = d.pick((self.number, self.text, self.scalar, lambda: d.pick(_WORDS)))
            return [make() for _ in range(n * 3)]
        return [[d.pick(_WORDS), self.number(), d.chance(0.5)] for _ in range(n)]

    def document(self) -> Any:
        if self.d.chance(0.13):
            return self.top_level_array()
        schema: Callable[[], dict[str, Any]] = self.d.pick(
            (self.user, self.order, self.api_response, self.config, self.log_event, self.catalogue, self.geo,
             self.chat, self.metrics))
        return schema()


def document(rng: np.random.Generator) -> Any:
    """A realistic JSON value: an object (about 87%) or an array, from one of several schemas (user
    profiles, orders with line items, paginated API responses, config files, log events, product catalogues,
    GeoJSON features, chat completions, metric series), from a few bytes to about 8 KB. It contains no NaN,
    infinity or -0.0, so ``json.loads(json.dumps(v)) == v`` holds with types compared too."""
    d = _Draw(rng)
    for _ in range(3):
        value = _Doc(d).document()
        if len(json.dumps(value, indent=2, ensure_ascii=False)) <= _MAX_CHARS:
            return value
    return _Doc(d, size="small").document()


# ---------------------------------------------------------------------------------------------------------
# lexer

_TOKEN_RE = re.compile(
    r"""(?P<ws>[ \t\r\n]+)
    |(?P<str>"(?:[^"\\]|\\[\s\S])*"|'(?:[^'\\\n]|\\[\s\S])*')
    |(?P<open_str>["'](?:[^"\\]|\\[\s\S])*)
    |(?P<comment>/\*[\s\S]*?(?:\*/|\Z)|//[^\n]*|\#[^\n]*)
    |(?P<mask><mask>|<MASK>|\[MASK\]|<unk>|___|\.\.\.|…)
    |(?P<punct>[{}\[\]:,])
    |(?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    |(?P<word>[A-Za-z_$][A-Za-z0-9_$]*)
    |(?P<other>[\s\S])""",
    re.VERBOSE,
)
_LITERALS = frozenset({"true", "false", "null"})


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # ws, str, open_str (unterminated string), comment, mask, punct, num, lit, word, other
    start: int
    end: int
    text: str


def _lex(text: str) -> list[_Tok]:
    """The tokens of ``text``: exact for valid JSON, tolerant of what corruptions leave (comments,
    single-quoted and unterminated strings, masks, bare words such as ``True`` or unquoted keys)."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or "other"
        tok = m.group()
        if kind == "word" and tok in _LITERALS:
            kind = "lit"
        elif kind == "comment" and tok.startswith("/*") and not tok.endswith("*/"):
            kind = "open_comment"
        out.append(_Tok(kind, m.start(), m.end(), tok))
    return out


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _significant(tokens: list[_Tok]) -> list[_Tok]:
    """Tokens other than whitespace and comments."""
    return [t for t in tokens if t.kind not in ("ws", "comment", "open_comment")]


def _boundaries(tokens: list[_Tok]) -> list[int]:
    """Offsets between two tokens (and at either end of the text), never inside a string or comment: an
    unterminated token at the end of a truncated text leaves no boundary after it."""
    out = {0} if tokens else set()
    for t in tokens:
        if t.kind in ("open_str", "open_comment"):
            out.add(t.start)
            break
        out.add(t.start)
        out.add(t.end)
    return sorted(out)


# ---------------------------------------------------------------------------------------------------------
# number spellings (render)

def _respellings(tok: str) -> list[str]:
    """Other spellings of a float token that parse to the same float: ``6.02E+23``, ``6.02e23``, ``1E5``."""
    out = []
    if "e" in tok:
        out += [tok.replace("e", "E"), tok.replace("e+", "e"), tok.replace("e+", "E")]
    elif tok.endswith(".0"):
        digits = tok[:-2].lstrip("-")
        stripped = digits.rstrip("0")
        zeros = len(digits) - len(stripped)
        if stripped and zeros >= 3:
            sign = "-" if tok.startswith("-") else ""
            out += [f"{sign}{stripped}E{zeros}", f"{sign}{stripped}e{zeros}", f"{sign}{stripped}e+{zeros}"]
            if len(stripped) > 1:
                out.append(f"{sign}{stripped[0]}.{stripped[1:]}E+{zeros + len(stripped) - 1}")
    return [s for s in out if s != tok and float(s) == float(tok)]


def render(value: Any, rng: np.random.Generator) -> tuple[str, str]:
    """``value`` as JSON text in a random style; returns ``(text, style)`` with ``style`` one of
    :data:`STYLES`. Layouts: indent 2 (30%), indent 4 (18%), tab (7%), minified (25%), compact one-line
    (20%); non-ASCII escaped 40% of the time; a trailing newline 30%. Some floats are spelled as other
    serializers spell them (``6.02E+23``, ``1e5``, ``1E5``): the same value, another text."""
    d = _Draw(rng)
    layout = d.weighted(_LAYOUT_WEIGHTS)
    ensure_ascii = d.chance(_ASCII_P)
    newline = d.chance(_NEWLINE_P)
    indent, separators = _LAYOUTS[layout]
    text = json.dumps(value, ensure_ascii=ensure_ascii, indent=indent, separators=separators)
    if d.chance(0.35):
        parts, last = [], 0
        for t in _lex(text):
            if t.kind == "num" and (alts := _respellings(t.text)) and d.chance(0.7):
                parts += [text[last:t.start], d.pick(alts)]
                last = t.end
        text = "".join(parts) + text[last:]
    if newline:
        text += "\n"
    return text, layout + ("-ascii" if ensure_ascii else "") + ("-nl" if newline else "")


# ---------------------------------------------------------------------------------------------------------
# corruptions

_BLOCK_COMMENTS = (
    "TODO", "TODO: remove before release", "added by script", "deprecated field", "FIXME: 'id' should be a string",
    "see https://x.org/docs#config", "was \"pending\" before", "units: ms", "optional", "do not edit // generated",
    "# legacy", "keep in sync with schema v2", "temporary, don't ship", "values in EUR, not $", "ärger: fix später",
)  # fmt: skip
_LINE_COMMENTS = (
    "TODO", "added by script", "deprecated", "FIXME: should be an int", "see https://x.org/a?b=1#frag",
    "default: \"info\"", "don't change this", "units are seconds", "/* old value: 30 */", "override for staging",
    "# commented twice", "ms, not s", "新しい設定", "kept for backwards compatibility",
)  # fmt: skip
_MASKS: tuple[str, ...] = ("<mask>", "[MASK]", "___", "...", "?", "<unk>", "…")
"""Placeholders :func:`corrupt` writes for ``mask_token`` (the lexer reads them back as one token)."""
_PROSE_BEFORE = (
    "Sure! Here's the JSON you asked for:\n\n",
    "Here is the updated configuration:\n\n",
    "Of course. Below is the response (formatted for readability):\n\n",
    "Certainly! I've fixed the issues you mentioned. Here's the corrected version:\n\n",
    "The API returned the following:\n",
    "Here's the data in JSON format:\n\n",
    "Okay, here it is:\n",
    "Based on your description, the output would look like this:\n\n",
    "Result:\n",
)  # fmt: skip
_PROSE_AFTER = (
    "\n\nLet me know if you need anything else.",
    "\n\nI've kept the original field names. Let me know if you'd like them renamed!",
    "\n\nNote: the timestamps are in UTC.",
    "\n\nThis should work with most JSON parsers.",
    "\n\nHope this helps! (You can paste it straight into your config file.)",
    "\n\nExplanation: each item has an id, a name and a price.",
    "\n",
    "\n\nIs there anything else you'd like me to change?",
)  # fmt: skip
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_VALUE_END = frozenset({"str", "num", "lit", "word", "mask"})

_Candidates = Callable[[str, list[_Tok], _Draw], Iterator[tuple[str, Edit]]]


def _in_random_order(d: _Draw, seq: Sequence[Any]) -> Iterator[Any]:
    """The items of ``seq`` in a random order, drawn lazily (a Fisher-Yates shuffle run as far as needed)."""
    items = list(seq)
    n = len(items)
    while n:
        j = d.below(n)
        yield items[j]
        n -= 1
        items[j] = items[n]


def _local(name: str, text: str, offset: int, removed: str, inserted: str) -> tuple[str, Edit]:
    return text[:offset] + inserted + text[offset + len(removed):], Edit(name, offset, removed, inserted)


def _block_comment(text: str, toks: list[_Tok], d: _Draw) -> Iterator[tuple[str, Edit]]:
    for pos in _in_random_order(d, _boundaries(toks)):
        inserted = f"/* {d.pick(_BLOCK_COMMENTS)} */"
        if pos > 0 and not text[pos - 1].isspace() and d.chance(0.6):
            inserted = " " + inserted
        if pos < len(text) and not text[pos].isspace() and d.chance(0.6):
            inserted += " "
        yield _local("block_comment", text, pos, "", inserted)


def _line_comment(text: str, toks: list[_Tok], d: _Draw) -> Iterator[tuple[str, Edit]]:
    for pos in _in_random_order(d, _boundaries(toks)):
        comment = f"{'//' if d.chance(0.7) else '#'} {d.pick(_LINE_COMMENTS)}"
        line_start = text.rfind("\n", 0, pos) + 1
        indent = text[line_start:pos]
        if not indent.strip(" \t"):  # at the start of a line (after its indentation): a comment line of its own
            inserted = f"{comment}\n{indent}"
        else:  # after a token: to the end of the line, which ends at the next newline (inserted if there is none)
            inserted = " " + comment if not text[pos - 1].isspace() and d.chance(0.7) else comment
            if text[pos:pos + 1] != "\n":
                inserted += "\n"
        yield _local("line_comment", text, pos, "", inserted)


def _delete(name: str, chars: str) -> _Candidates:
    def candidates(text: str, toks: list[_Tok], d: _Draw) -> Iterator[tuple[str, Edit]]:
        found = [t for t in toks if t.kind == "punct" and t.text in chars]
        for t in _in_random_order(d, found):
            yield _local(name, text, t.start, t.text, "")

    return candidates


def _insert_comma(text: str, toks: list[_Tok], d: _Draw) -> Iterator[tuple[str, Edit]]:
    sig = [t for t in toks if t.kind != "ws"]
    preferred, before_closer = [], []
    if sig and sig[0].kind not in ("open_str", "open_comment"):
        preferred.append(sig[0].start)
    for i, t in enumerate(sig):
        if t.kind in ("open_str", "open_comment"):
            break
        nxt = sig[i + 1] if i + 1 < len(sig) else None
        closer = nxt is not None and nxt.kind == "punct" and nxt.text in "}]"
        (before_closer if closer else preferred).append(t.end)
    for pos in [*_in_random_order(d, preferred), *_in_random_order(d, before_closer)]:
        yield _local("insert_comma", text, pos, "", ",")


def _fence(name: str, opener: str) -> _Candidates:
    def candidates(text: str, toks: list[_Tok], d: _Draw) -> Iterator[tuple[str, Edit]]:
        lead = d.pick(("", "", "", "\n"))
        close = "```" if text.endswith("\n") else "\n```"
        trail = d.pick(("", "", "\n", "\n\n"))
        yield lead + opener + text + close + trail, Edit(name, 0, "", lead + opener)

    return candidates


def _mask_token(text: str, toks: list[_Tok], d: _Draw) -> Iterator[tuple[str, Edit]]:
    for t in _in_random_order(d, [t for t in toks if t.kind == "punct"]):
        yield _local("mask_token", text, t.start, t.text, d.pick(_MASKS))


def _prose_wrap(text: str, toks: list[_Tok], d: _Draw) -> Iterator[tuple[str, Edit]]:
    where = d.weighted({"both": 0.4, "before": 0.4, "after": 0.2})
    before = d.pick(_PROSE_BEFORE) if where != "after" else ""
    after = d.pick(_PROSE_AFTER) if where != "before" else ""
    if after and text.endswith("\n") and after.startswith("\n"):
        after = after[1:]
    edit = Edit("prose_wrap", 0, "", before) if before else Edit("prose_wrap", len(text), "", after)
    yield before + text + after, edit


def _python_literal(name: str, literal: str, python: str) -> _Candidates:
    def candidates(text: str, toks: list[_Tok], d: _Draw) -> Iterator[tuple[str, Edit]]:
        found = [t for t in toks if t.kind == "lit" and t.text == literal]
        if found:
            yield _replace_tokens(name, text, [(t, python) for t in found])

    return candidates


def _replace_tokens(name: str, text: str, changes: list[tuple[_Tok, str]]) -> tuple[str, Edit]:
    """``text`` with each token of ``changes`` replaced; the edit records the first change."""
    parts, last = [], 0
    for t, new in changes:
        parts += [text[last:t.start], new]
        last = t.end
    first, new = changes[0]
    return "".join(parts) + text[last:], Edit(name, first.start, first.text, new)


def _python_quoted(tok: str) -> str:
    """A double-quoted JSON string token quoted as Python's ``repr`` would quote it: single quotes unless the
    string contains ``'`` and no ``"`` (then unchanged); ``\\"`` becomes ``"`` and, inside single quotes,
    ``'`` becomes ``\\'``; other escapes are kept as they are."""
    inner = tok[1:-1]
    out, i, has_double = [], 0, False
    while i < len(inner):
        if inner[i] == "\\" and i + 1 < len(inner):
            esc = inner[i:i + 2]
            has_double |= esc == '\\"'
            out.append('"' if esc == '\\"' else esc)
            i += 2
        else:
            out.append("\\'" if inner[i] == "'" else inner[i])
            i += 1
    if "'" in inner and not has_double:
        return tok
    return "'" + "".join(out) + "'"


def _single_quotes(text: str, toks: list[_Tok], d: _Draw) -> Iterator[tuple[str, Edit]]:
    changes = []
    for t in toks:
        if t.kind == "str" and t.text.startswith('"') and (new := _python_quoted(t.text)) != t.text:
            changes.append((t, new))
    if changes:
        yield _replace_tokens("single_quotes", text, changes)


def _swap_adjacent(text: str, toks: list[_Tok], d: _Draw) -> Iterator[tuple[str, Edit]]:
    sig = [t for t in toks if t.kind != "ws"]
    pairs = [(a, b) for a, b in pairwise(sig)
             if a.text != b.text and b.kind not in ("open_str", "open_comment")]
    for a, b in _in_random_order(d, pairs):
        swapped = b.text + text[a.end:b.start] + a.text
        yield _local("swap_adjacent", text, a.start, text[a.start:b.end], swapped)


def _trailing_comma(name: str, closer: str) -> _Candidates:
    def candidates(text: str, toks: list[_Tok], d: _Draw) -> Iterator[tuple[str, Edit]]:
        sig = _significant(toks)
        found = []
        for prev, t in pairwise(sig):
            if t.kind == "punct" and t.text == closer and (
                prev.kind in _VALUE_END or (prev.kind == "punct" and prev.text in "}]")
            ):
                found.append(prev.end)
        for pos in _in_random_order(d, found):
            yield _local(name, text, pos, "", ",")

    return candidates


def _truncate(text: str, toks: list[_Tok], d: _Draw) -> Iterator[tuple[str, Edit]]:
    lo = max(1, -(-len(text) * 20 // 100))
    hi = min(len(text) - 1, len(text) * 95 // 100)
    for pos in _in_random_order(d, range(lo, hi + 1)):
        yield _local("truncate", text, pos, text[pos:], "")


def _unquote_keys(text: str, toks: list[_Tok], d: _Draw) -> Iterator[tuple[str, Edit]]:
    sig = _significant(toks)
    changes = [(t, t.text[1:-1]) for t, nxt in pairwise(sig)
               if t.kind == "str" and nxt.kind == "punct" and nxt.text == ":" and _IDENTIFIER.fullmatch(t.text[1:-1])]
    if changes:
        yield _replace_tokens("unquote_keys", text, changes)


_CORRUPTERS: dict[str, _Candidates] = {
    "block_comment": _block_comment,
    "line_comment": _line_comment,
    "delete_brace": _delete("delete_brace", "{}"),
    "delete_bracket": _delete("delete_bracket", "[]"),
    "delete_colon": _delete("delete_colon", ":"),
    "delete_comma": _delete("delete_comma", ","),
    "insert_comma": _insert_comma,
    "markdown_fence": _fence("markdown_fence", "```json\n"),
    "markdown_fence_plain": _fence("markdown_fence_plain", "```\n"),
    "mask_token": _mask_token,
    "prose_wrap": _prose_wrap,
    "python_true": _python_literal("python_true", "true", "True"),
    "python_false": _python_literal("python_false", "false", "False"),
    "python_null": _python_literal("python_null", "null", "None"),
    "single_quotes": _single_quotes,
    "swap_adjacent": _swap_adjacent,
    "trailing_comma_arr": _trailing_comma("trailing_comma_arr", "]"),
    "trailing_comma_obj": _trailing_comma("trailing_comma_obj", "}"),
    "truncate": _truncate,
    "unquote_keys": _unquote_keys,
}
assert tuple(_CORRUPTERS) == CORRUPTIONS


def corrupt(text: str, name: str, rng: np.random.Generator) -> tuple[str, Edit] | None:
    """``text`` broken by the corruption ``name`` (one of :data:`CORRUPTIONS`), and what it did.

    ``text`` is normally valid JSON; text an earlier corruption broke is read tolerantly (comments, masks,
    single-quoted and unterminated strings), so corruptions stack. Positions are drawn at random until the
    result fails :func:`json.loads`; ``None`` when the corruption cannot apply (``python_true`` on a text
    without ``true``, ``trailing_comma_arr`` without a non-empty array) or no position breaks the text."""
    try:
        candidates = _CORRUPTERS[name]
    except KeyError:
        raise ValueError(f"unknown corruption {name!r}; known: {', '.join(CORRUPTIONS)}") from None
    for broken, edit in candidates(text, _lex(text), _Draw(rng)):
        if broken != text and not _parses(broken):
            return broken, edit
    return None


# ---------------------------------------------------------------------------------------------------------
# examples

_MAX_ATTEMPTS = 500
_STACK_TAG = zlib.crc32(b"stack")


def _example_rng(seed: int, tag: int, index: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, tag, index]))


def _single(seed: int, index: int, name: str) -> Example:
    rng = _example_rng(seed, zlib.crc32(name.encode()), index)
    for _ in range(_MAX_ATTEMPTS):
        text, style = render(document(rng), rng)
        if (result := corrupt(text, name, rng)) is not None:
            return Example(json.loads(text), text, result[0], (name,), style, (result[1],))
    raise RuntimeError(f"no document in {_MAX_ATTEMPTS} that {name} could break")  # pragma: no cover


def _stack(seed: int, index: int, names: tuple[str, ...]) -> Example:
    rng = _example_rng(seed, _STACK_TAG, index)
    d = _Draw(rng)
    size = 2 if d.chance(0.6) else 3
    chosen: list[str] = []
    for name in d.shuffled(names):
        if not (name in WRAPPERS and any(c in WRAPPERS for c in chosen)):
            chosen.append(name)
        if len(chosen) == size:
            break
    order = tuple([c for c in chosen if c not in WRAPPERS] + [c for c in chosen if c in WRAPPERS])
    for _ in range(_MAX_ATTEMPTS):
        text, style = render(document(rng), rng)
        broken, edits = text, []
        for name in order:
            if (result := corrupt(broken, name, rng)) is None:
                break
            broken, edit = result
            edits.append(edit)
        else:
            return Example(json.loads(text), text, broken, order, style, tuple(edits))
    raise RuntimeError(f"no document in {_MAX_ATTEMPTS} that {order} could break")  # pragma: no cover


def examples(n: int, seed: int, *, corruptions: Sequence[str] = CORRUPTIONS, stacks: bool = False) -> list[Example]:
    """Broken documents, fully determined by the arguments (the same list on any machine).

    Singles (``stacks=False``): ``n`` examples per corruption name, ``len(corruptions) * n`` in all,
    interleaved: example ``i`` of every name (in the order of ``corruptions``), then example ``i + 1``, so
    every prefix is balanced. Example ``i`` of a name depends only on ``(seed, name, i)``: asking for fewer
    names or a larger ``n`` does not change the others.

    Stacks (``stacks=True``): ``n`` examples, each two or three distinct corruptions drawn from
    ``corruptions`` and applied in sequence, each to the text the previous one left (read tolerantly). At
    most one wrapper (``markdown_fence``, ``markdown_fence_plain``, ``prose_wrap``), always last, so
    ``truncate`` (at most once, being distinct) always comes before it; the others in a random order.
    A stack that cannot apply to a document is tried on another document."""
    names = tuple(corruptions)
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0, got {seed}")
    if unknown := [c for c in names if c not in _CORRUPTERS]:
        raise ValueError(f"unknown corruption(s) {', '.join(map(repr, unknown))}; known: {', '.join(CORRUPTIONS)}")
    if len(set(names)) != len(names):
        raise ValueError("corruptions has duplicates")
    if not stacks:
        return [_single(seed, i, name) for i in range(n) for name in names]
    if len([c for c in names if c not in WRAPPERS]) + min(1, len([c for c in names if c in WRAPPERS])) < 2:
        raise ValueError("a stack needs two distinct corruptions, at most one of them a wrapper")
    return [_stack(seed, i, names) for i in range(n)]
