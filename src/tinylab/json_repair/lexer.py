"""A tolerant lexer for broken JSON: it never fails, and it turns everything it meets into tokens the repair
can reason about (JSON tokens, single-quoted and unterminated strings, bare words, comments, mask
placeholders, stray characters), each with its offset and, for the first token of a line, its indentation.

Text around the document that is not JSON (a Markdown fence, an LLM's prose before or after it) is cut off
first by :func:`strip_wrappers`, at the text level, because prose is not made of JSON tokens (an apostrophe
would open a string)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# token types
LBRACE, RBRACE, LBRACK, RBRACK, COLON, COMMA = range(6)
STR, NUM, LIT, WORD, USTR, PNUM, MASK, JUNK = range(6, 14)
PUNCT_CHARS = "{}[]:,"
TYPE_NAMES = ("{", "}", "[", "]", ":", ",", "string", "number", "literal", "word", "unterminated string",
              "partial number", "mask", "stray character")

_TOKEN = re.compile(r"""
[ \t\r\n\f\v\ufeff]*
(?:(?P<punct>[{}:,]|\[(?!(?:mask|unk|pad|blank|missing)\])|\])
|(?P<dstr>"(?:[^"\\]|\\.)*")
|(?P<nonfinite>(?-i:-?Infinity\b|NaN\b))
|(?P<num>-?\d+(?:\.\d*)?(?:[eE][+-]?\d*)?(?=\s*\Z)|-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?|-(?=\s*\Z))
|(?P<ustr>"(?:[^"\\]|\\.)*\\?\Z)
|(?P<mask><(?:mask|unk|pad|blank|missing)>|\[(?:mask|unk|pad|blank|missing)\]|_{2,}(?![A-Za-z$_])|\.\.\.|\u2026|\?)
|(?P<word>[A-Za-z_$][A-Za-z0-9_$-]*)
|(?P<sstr>'(?:[^'\\]|\\.)*')
|(?P<usstr>'(?:[^'\\]|\\.)*\\?\Z)
|(?P<lcom>//[^\n]*|\#[^\n]*)
|(?P<bcom>/\*.*?(?:\*/|\Z))
|(?P<fence>```[A-Za-z0-9_+-]*)
|(?P<other>[^ \t\r\n\f\v\ufeff]))
""", re.VERBOSE | re.DOTALL | re.IGNORECASE)
_PUNCT_TYPE = {c: i for i, c in enumerate("{}[]:,")}
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?\Z")
_ESCAPES = re.compile(r'\\(u[0-9a-fA-F]{4}|.)|\\\Z', re.DOTALL)
_SQ_PART = re.compile(r'\\.|"', re.DOTALL)
LITERALS = {"true": "true", "false": "false", "null": "null", "True": "true", "False": "false", "None": "null"}


@dataclass
class Tokens:
    """The lexed document: parallel lists, one entry per token (whitespace and comments are not tokens)."""

    text: str
    types: list[int] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # the token's JSON text (strings re-quoted, literals lower)
    indent: list[int] = field(default_factory=list)  # indentation column of a line's first token, else -1
    dropped: list[tuple[str, int, str]] = field(default_factory=list)  # (what, offset, text): comments, fences
    altered: list[int] = field(default_factory=list)  # tokens whose JSON text differs from the source
    multiline: bool = False

    def __len__(self) -> int:
        return len(self.types)


def _escape(m: re.Match[str]) -> str:
    g = m.group(1)
    if g is None:  # a lone backslash before the closing quote
        return "\\\\"
    if g[0] in '\\"/bfnrt' or len(g) == 5:
        return m.group()
    return "'" if g == "'" else "\\\\" + g


def _fix_double_quoted(tok: str) -> str:
    """A double-quoted string as valid JSON: escapes JSON lacks (``\\'``, ``\\x``) made literal."""
    if "\\" not in tok:
        return tok
    inner = _ESCAPES.sub(_escape, tok[1:-1])
    return f'"{inner}"'


def _single_to_double(tok: str) -> str:
    """A single-quoted string (Python's repr) as a JSON string: ``\\'`` unescaped, bare ``"`` escaped."""
    def swap(m: re.Match[str]) -> str:
        s = m.group()
        return '\\"' if s == '"' else ("'" if s == "\\'" else s)

    return _fix_double_quoted('"' + _SQ_PART.sub(swap, tok[1:-1]) + '"')


def lex(text: str) -> Tokens:
    out = Tokens(text)
    types, starts, ends, values, indent = out.types, out.starts, out.ends, out.values, out.indent
    punct_type, literals, json_number = _PUNCT_TYPE, LITERALS, _JSON_NUMBER
    line_start, col = True, 0
    n = len(text)
    prev = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        start, end = m.span(kind)
        if start != prev:
            nl = text.rfind("\n", prev, start)
            if nl >= 0:
                line_start, col = True, start - nl - 1
                out.multiline = True
        prev = end
        s = text[start:end]
        if kind == "punct":
            t, v = punct_type[s], s
        elif kind == "dstr":
            t, v = STR, (s if "\\" not in s else _fix_double_quoted(s))
            if v != s:
                out.altered.append(len(types))
        elif kind == "num":
            if json_number.match(s):
                t, v = NUM, s
            else:  # an unfinished number at the end of a truncated stream, or a form JSON lacks
                t, v = (PNUM if end == n or not text[end:].strip() else WORD), f'"{s}"'
        elif kind == "nonfinite":  # NaN and Infinity are not JSON: null, as JSON.stringify writes them
            t, v = LIT, "null"
            out.altered.append(len(types))
        elif kind == "word":
            lit = literals.get(s)
            if lit is None:
                t, v = WORD, f'"{s}"'  # a bare word: an unquoted key, or a string value
                out.altered.append(len(types))
            else:
                t, v = LIT, lit
                if lit != s:
                    out.altered.append(len(types))
        elif kind in ("lcom", "bcom", "fence"):
            out.dropped.append(("comment" if kind != "fence" else "markdown fence", start, s))
            continue
        elif kind == "sstr":
            t, v = STR, _single_to_double(s)
            out.altered.append(len(types))
        elif kind in ("ustr", "usstr"):
            t, v = USTR, s
        elif kind == "mask":
            t, v = MASK, s
        else:
            t, v = JUNK, s
        types.append(t)
        starts.append(start)
        ends.append(end)
        values.append(v)
        indent.append(col if line_start else -1)
        line_start = False
    return out


_FENCE_OPEN = re.compile(r"\A\s*```[A-Za-z0-9_+-]*[ \t]*\n")
_FENCE_CLOSE = re.compile(r"\n?[ \t]*```[ \t]*\s*\Z")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_JSONISH = re.compile(r'[{}\[\]"]')


_MEMBERISH = re.compile(r"\A\s*(?:[,:]|[A-Za-z_$][\w$-]*\s*:|(?:true|false|null|True|False|None)\b)")
_WORDS = re.compile(r"[A-Za-z\u00c0-\uffff]{2,}[,.!?']*\s+[A-Za-z\u00c0-\uffff]{2,}")


def _words(s: str) -> bool:
    """Text before the first bracket that holds words and no JSON punctuation ("Result:", "Sure! Here it is:")."""
    return bool(s.strip()) and not _JSONISH.search(s) and any(ch.isalpha() for ch in s)


def _prose(s: str) -> bool:
    """Sentences (words separated by spaces), not JSON members: prose cut off around a document never
    starts with a comma or colon, an unquoted key or a literal, and holds no JSON punctuation."""
    return (bool(s.strip()) and not _JSONISH.search(s) and not _MEMBERISH.match(s)
            and _WORDS.search(s) is not None)


def strip_wrappers(text: str) -> tuple[str, int, list[tuple[str, int, str]]]:
    """The document inside ``text``: without a Markdown fence around it and an LLM's prose before or after
    it. Returns (document, offset of the document in ``text``, [(what, offset, removed text)])."""
    removed: list[tuple[str, int, str]] = []
    start, end = 0, len(text)
    first = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    if first > 0:
        head = text[:first]
        fence = head.rfind("```")
        if fence >= 0 and not _JSONISH.search(head):
            removed.append(("text before the JSON" if _words(head[:fence]) else "markdown fence", 0, head))
            start = first
        elif _words(head):
            removed.append(("text before the JSON", 0, head))
            start = first
    tail_from = max(text.rfind("}"), text.rfind("]"))
    if tail_from >= start:
        tail = text[tail_from + 1:]
        if tail.strip() and not _JSONISH.search(tail) and (tail.strip().startswith("```") or _prose(tail)):
            end = tail_from + 1
    if end == len(text):  # a truncated document followed by prose: the paragraph after the last blank line
        blanks = [m.end() for m in _BLANK_LINE.finditer(text, start)]
        if blanks and _prose(text[blanks[-1]:]) and text[start:blanks[-1]].strip():
            end = blanks[-1]
        fence = _FENCE_CLOSE.search(text, start)
        if fence is not None and fence.start() >= start:
            end = min(end, fence.start())
    if end < len(text):
        removed.append(("text after the JSON", end, text[end:]))
    if start == 0:
        m = _FENCE_OPEN.match(text)
        if m and m.end() <= end:
            removed.append(("markdown fence", 0, m.group()))
            start = m.end()
    return text[start:end], start, removed
