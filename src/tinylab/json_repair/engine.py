"""The repair: rules for what is unambiguous, a search guided by a scorer for what is not.

1. Valid JSON is returned as it is (``json.loads``).
2. Rules: a Markdown fence and an LLM's prose around the document are cut off; comments are dropped;
   single-quoted strings, Python's ``True``/``False``/``None`` and unquoted keys become JSON; a comma next
   to another comma, an opening bracket, a colon or a closing bracket is removed; an unterminated string,
   number or literal at the end of a truncated document is dropped (nothing is invented).
3. What is left is parsed token by token. Where parsing fails, candidate edits are generated near the
   failure (insert, delete or replace one punctuation token, swap two tokens, close or open a container a
   few items earlier, close every open container at the end), each is tried on the tokens that follow, and
   a scorer ranks them from features of the edit and of what happens after it: how far parsing then gets,
   whether the document's indentation agrees with the nesting the edit implies. A small beam of the best
   partial repairs is kept until the whole document is consumed.

The scorer is the learned part (:mod:`tinylab.json_repair.scorer`): a tiny numpy network trained on
generated corruptions; without one, fixed prior weights are used.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from tinylab.json_repair.lexer import (
    COLON,
    COMMA,
    JUNK,
    LBRACE,
    LBRACK,
    LIT,
    MASK,
    NUM,
    PNUM,
    PUNCT_CHARS,
    RBRACE,
    RBRACK,
    STR,
    TYPE_NAMES,
    USTR,
    WORD,
    Tokens,
    lex,
    strip_wrappers,
)

# parser modes
V, VA, VC, K, KC, C, NO, NA, D, TOP = range(10)  # TOP: the document's start (a bare word is no value)
MAX_DEPTH = 900  # deeper nesting than Python's json builds
VALUE_TYPES = frozenset((STR, NUM, LIT, WORD))
OPENERS = {LBRACE: "o", LBRACK: "a"}
CLOSER_OF = {"o": RBRACE, "a": RBRACK}

# candidate edit types (feature one-hot order)
EDIT_TYPES = ("delete", "insert", "replace", "swap_next", "swap_prev", "close_early", "open_early",
              "close_eof", "drop_rest")
N_FEATURES = 33
LOOKAHEAD = 32
WINDOW = 24  # how many items back an earlier close or open is looked for
BEAM = 3
AMBIGUOUS = 2.0  # a choice whose best candidate is less than e^2 times as likely as the next is a guess
PRUNE = math.log(50.0)  # partial repairs this many times less likely than the best are dropped


def _after(stack: str) -> tuple[str, int]:
    if not stack:
        return stack, D
    return stack, NO if stack[-1] == "o" else NA


def step(stack: str, mode: int, t: int) -> tuple[str, int] | None:
    """The parser's next (stack, mode) after token type ``t``, or None where ``t`` cannot come."""
    if mode <= VC or mode == TOP:
        if t in VALUE_TYPES and not (mode == TOP and t == WORD):
            return _after(stack)
        if t == LBRACE:
            return stack + "o", K
        if t == LBRACK:
            return stack + "a", VA
        if t == RBRACK and mode == VA:
            return _after(stack[:-1])
        return None
    if mode in (K, KC):
        if t in (STR, WORD):
            return stack, C
        if t == RBRACE and mode == K:
            return _after(stack[:-1])
        return None
    if mode == C:
        return (stack, V) if t == COLON else None
    if mode == NO:
        if t == COMMA:
            return stack, KC
        if t == RBRACE:
            return _after(stack[:-1])
        return None
    if mode == NA:
        if t == COMMA:
            return stack, VC
        if t == RBRACK:
            return _after(stack[:-1])
        return None
    return None


@dataclass(frozen=True)
class Edit:
    """One change the repair made: what, where (offset in the input text), what was removed and inserted."""

    kind: str
    offset: int
    removed: str = ""
    inserted: str = ""

    def describe(self, text: str, line: int = 0, col: int = 0) -> str:
        if not line:
            line = text.count("\n", 0, self.offset) + 1
            col = self.offset - (text.rfind("\n", 0, self.offset) + 1) + 1
        what = []
        if self.removed:
            shown = self.removed if len(self.removed) <= 40 else self.removed[:37] + "..."
            what.append(f"removed {shown!r}")
        if self.inserted:
            what.append(f"inserted {self.inserted!r}")
        return f"line {line}, column {col}: {self.kind}" + (f" ({', '.join(what)})" if what else "")


def describe_all(edits: list[Edit] | tuple[Edit, ...], text: str) -> list[str]:
    """``Edit.describe`` for many edits at once (line numbers found by bisection, not by counting)."""
    import bisect

    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out = []
    for e in edits:
        line = bisect.bisect_right(starts, e.offset)
        col = e.offset - starts[line - 1] + 1
        out.append(e.describe(text, line, col))
    return out


class Path:
    """One partial repair: the tokens emitted so far (original token indices, or ``-1 - type`` for an
    inserted punctuation token), the parser state before each, and the edits made."""

    __slots__ = (
        "done",
        "doubts",
        "edits",
        "events",
        "logp",
        "margins",
        "mode",
        "pos",
        "stack",
        "states",
        "violations",
    )

    def __init__(self) -> None:
        self.events: list[int] = []
        self.states: list[tuple[str, int]] = []
        self.pos = 0
        self.stack, self.mode = "", TOP
        self.logp = 0.0
        self.edits: list[Edit] = []
        self.margins: list[float] = []
        self.done = False
        self.violations: list[int] = []  # events (ascending) whose line starts at the wrong indentation
        self.doubts: list[Edit] = []  # edits chosen over a close runner-up

    def fork(self, cut: int) -> Path:
        """A copy whose first ``cut`` events are kept (the state before event ``cut`` becomes current)."""
        p = Path()
        p.events, p.states = self.events[:cut], self.states[:cut]
        if cut < len(self.events):
            p.stack, p.mode = self.states[cut]
        else:
            p.stack, p.mode = self.stack, self.mode
        p.pos = self.pos
        p.logp, p.edits, p.margins = self.logp, list(self.edits), list(self.margins)
        p.violations = [v for v in self.violations if v < cut]
        p.doubts = list(self.doubts)
        return p

    def emit(self, event: int, t: int) -> bool:
        r = step(self.stack, self.mode, t)
        if r is None:
            return False
        self.events.append(event)
        self.states.append((self.stack, self.mode))
        self.stack, self.mode = r
        return True


@dataclass
class Context:
    toks: Tokens
    unit: int  # indentation unit in columns (0: no usable indentation)
    base: int
    offset: int  # where the stripped document starts in the input text

    def indent_ok(self, pos: int, t: int, stack: str) -> int:
        """+1 if token ``pos`` starts a line at the indentation its depth implies, -1 if not, 0 if it does
        not start a line or the document has no indentation."""
        col = self.toks.indent[pos]
        if col < 0 or self.unit == 0:
            return 0
        depth = len(stack) - 1 if t in (RBRACE, RBRACK) else len(stack)
        return 1 if col == self.base + depth * self.unit else -1


def _indentation(toks: Tokens) -> tuple[int, int]:
    cols = [c for c in toks.indent if c >= 0]
    if len(cols) < 3:
        return 0, 0
    base = toks.indent[0] if toks.indent and toks.indent[0] >= 0 else min(cols)
    steps = [c - base for c in cols if c > base]
    return (min(steps), base) if steps else (0, base)


def _transitions() -> dict[tuple[int, int], tuple[int, int]]:
    """(mode, token type) -> (operation, argument): 0 set mode, 1 a value ended, 2 push (argument: the
    container, 0 object / 1 array), 3 pop then a value ended. Absent: the token cannot come."""
    table: dict[tuple[int, int], tuple[int, int]] = {}
    for mode in (V, VA, VC, TOP):
        for t in VALUE_TYPES:
            if not (mode == TOP and t == WORD):
                table[mode, t] = (1, 0)
        table[mode, LBRACE] = (2, 0)
        table[mode, LBRACK] = (2, 1)
    table[VA, RBRACK] = (3, 0)
    for mode in (K, KC):
        table[mode, STR] = table[mode, WORD] = (0, C)
    table[K, RBRACE] = (3, 0)
    table[C, COLON] = (0, V)
    table[NO, COMMA] = (0, KC)
    table[NO, RBRACE] = (3, 0)
    table[NA, COMMA] = (0, VC)
    table[NA, RBRACK] = (3, 0)
    return table


_TABLE = _transitions()


def advance(path: Path, ctx: Context) -> None:
    """Consume tokens while they parse (:func:`step`, inlined through a table: this is the hot loop)."""
    types = ctx.toks.types
    n = len(types)
    events, states = path.events, path.states
    stack, mode, pos = path.stack, path.mode, path.pos
    table = _TABLE
    indent, unit, base = ctx.toks.indent, ctx.unit, ctx.base
    while pos < n:
        t = types[pos]
        op = table.get((mode, t))
        if op is None:
            break
        if unit and indent[pos] >= 0:
            depth = len(stack) - 1 if t in (RBRACE, RBRACK) else len(stack)
            if indent[pos] != base + depth * unit:
                path.violations.append(len(events))
        events.append(pos)
        states.append((stack, mode))
        kind, arg = op
        if kind == 0:
            mode = arg
        else:
            if kind == 2:
                stack += "oa"[arg]
                mode = K if arg == 0 else VA
            else:
                if kind == 3:
                    stack = stack[:-1]
                mode = (NO if stack[-1] == "o" else NA) if stack else D
        pos += 1
    path.stack, path.mode, path.pos = stack, mode, pos


def simulate(ctx: Context, stack: str, mode: int, virtual: list[int], pos: int, limit: int,
             keys0: set[str] | None = None) -> tuple[int, int, int, int, str, int, int]:
    """Parse ``virtual`` token types, then the document's tokens from ``pos``, for at most ``limit`` tokens.
    Returns (tokens consumed, end: 0 failed / 1 limit / 2 end of input, indentation agreements,
    disagreements, stack, mode, keys repeated within one object). ``keys0``: the keys already in the
    innermost open object."""
    types, values = ctx.toks.types, ctx.toks.values
    n = len(types)
    consumed = ok = bad = dup = 0
    keys: list[set[str] | None] = [keys0 if stack.endswith("o") else None]
    for t in virtual:
        r = step(stack, mode, t)
        if r is None:
            return consumed, 0, ok, bad, stack, mode, dup
        if len(r[0]) > len(stack):
            keys.append(set() if t == LBRACE else None)
        elif len(r[0]) < len(stack):
            keys.pop() if len(keys) > 1 else keys.__setitem__(0, None)
        stack, mode = r
        consumed += 1
    while consumed < limit:
        if pos >= n:
            return consumed, 2, ok, bad, stack, mode, dup
        t = types[pos]
        r = step(stack, mode, t)
        if r is None:
            return consumed, 0, ok, bad, stack, mode, dup
        if ctx.unit:
            s = ctx.indent_ok(pos, t, stack)
            if s > 0:
                ok += 1
            elif s < 0:
                bad += 1
        if mode in (K, KC):
            if t != RBRACE and keys[-1] is not None:
                if values[pos] in keys[-1]:
                    dup += 1
                keys[-1].add(values[pos])
        elif len(r[0]) > len(stack):
            keys.append(set() if t == LBRACE else None)
        if len(r[0]) < len(stack):
            if len(keys) > 1:
                keys.pop()
            else:
                keys[0] = None
        stack, mode = r
        consumed += 1
        pos += 1
    return consumed, 1, ok, bad, stack, mode, dup


def object_keys(path: Path, cut: int, ctx: Context) -> set[str] | None:
    """The keys of the object open at event ``cut`` of ``path`` (None if an array is open there), read back
    over at most a few hundred events."""
    stack = path.states[cut][0] if cut < len(path.events) else path.stack
    if not stack.endswith("o"):
        return None
    depth = len(stack)
    keys: set[str] = set()
    values = ctx.toks.values
    for e in range(cut - 1, max(-1, cut - 400), -1):
        s_stack, s_mode = path.states[e]
        if len(s_stack) < depth:
            break
        ev = path.events[e]
        if len(s_stack) == depth and s_mode in (K, KC) and ev >= 0:
            keys.add(values[ev])
    return keys


@dataclass
class Candidate:
    path: Path
    cut: int  # events kept from the path
    virtual: list[int]  # token types emitted by the edit (inserted, or swapped original tokens)
    virtual_events: list[int]
    resume: int  # the original token to continue from
    edit_type: str
    punct: int  # punctuation involved (-1: none)
    removed_type: int  # type of a deleted or replaced token (-1: none)
    back: int  # how many events before the failure the edit is made
    edit: Edit | None
    violations: list[int]
    final: bool = False


def _features(ctx: Context, cand: Candidate, minified: bool,
              keys_cache: dict[tuple[int, int], set[str] | None]) -> list[float]:
    f = [0.0] * N_FEATURES
    f[EDIT_TYPES.index(cand.edit_type)] = 1.0
    if cand.punct >= 0:
        f[9 + cand.punct] = 1.0
    if cand.removed_type in (MASK, JUNK):
        f[15] = 1.0
    elif 0 <= cand.removed_type <= COMMA:
        f[16] = 1.0
    elif cand.removed_type >= 0:
        f[17] = 1.0
    f[18] = math.log1p(cand.back) / 4.0
    if cand.final:
        f[21] = 1.0
    else:
        stack, mode = (cand.path.states[cand.cut] if cand.cut < len(cand.path.events)
                       else (cand.path.stack, cand.path.mode))
        need = max(0, cand.path.pos - cand.resume) + len(cand.virtual)  # tokens up to the failure point
        limit = LOOKAHEAD + need
        where = (id(cand.path), cand.cut)
        if where not in keys_cache:
            keys_cache[where] = object_keys(cand.path, cand.cut, ctx)
        consumed, end, ok, bad, _, emode, dup = simulate(ctx, stack, mode, cand.virtual, cand.resume, limit,
                                                         keys_cache[where])
        beyond = consumed - need  # how far past the failure the edit lets parsing go
        f[31] = min(dup, 2) / 2.0
        f[19] = max(0, beyond) / LOOKAHEAD
        f[20] = 1.0 if end == 2 and emode == D else 0.0
        f[21] = 1.0 if end == 2 and emode != D else 0.0
        f[22] = 1.0 if end == 0 and beyond < 2 else 0.0
        f[23] = min(ok, 10) / 10.0
        f[24] = min(bad, 5) / 5.0
        f[25] = 1.0 if end == 1 else 0.0
    f[26] = 1.0 if minified else 0.0
    f[27] = 1.0 if ctx.unit else 0.0
    f[28] = 1.0 if cand.edit_type in ("close_eof", "drop_rest") and _ends_open(ctx) else 0.0
    f[29] = 1.0 if cand.removed_type == WORD else 0.0
    # indentation breaks left standing before the edit (an earlier edit re-parses them: see f[24])
    f[30] = min(sum(1 for v in cand.violations if cand.cut - 64 <= v < cand.cut), 3) / 3.0
    f[32] = 1.0
    return f


def _ends_open(ctx: Context) -> bool:
    """Whether the document's text ends where a complete document would not (mid-string, after a comma or
    colon, without a closing bracket): the look of a truncated stream."""
    types = ctx.toks.types
    if not types:
        return True
    return types[-1] not in (RBRACE, RBRACK)


# ---- scorer ---------------------------------------------------------------------------------------

# prior logits per feature, used when no trained scorer is given (and as the trainer's starting point)
PRIOR = np.zeros(N_FEATURES, dtype=np.float32)
PRIOR[:9] = (-0.5, 0.0, 0.5, -1.0, -1.0, -1.0, -1.5, -0.5, -3.0)
PRIOR[9:15] = (0.0, 0.0, 0.0, 0.0, 0.8, 1.0)
PRIOR[15], PRIOR[16], PRIOR[17] = 3.0, 0.0, -2.0
PRIOR[18] = -1.0
PRIOR[19], PRIOR[20], PRIOR[21], PRIOR[22] = 5.0, 3.0, 1.0, -5.0
PRIOR[23], PRIOR[24], PRIOR[25] = 2.0, -4.0, 0.0
PRIOR[28] = 1.0
PRIOR[29] = -1.0
PRIOR[30] = -4.0
PRIOR[31] = -4.0  # a key repeated within one object

Scorer = Callable[[np.ndarray], np.ndarray]


def prior_scorer(features: np.ndarray) -> np.ndarray:
    return features @ PRIOR


# ---- candidates -----------------------------------------------------------------------------------

def _candidates(path: Path, ctx: Context) -> list[Candidate]:
    toks = ctx.toks
    types, n = toks.types, len(toks)
    f = path.pos
    stack, mode = path.stack, path.mode
    cut = len(path.events)
    out: list[Candidate] = []
    at = toks.starts[f] if f < n else len(toks.text)

    def off(pos: int) -> int:
        return ctx.offset + (toks.starts[pos] if pos < n else len(toks.text))

    def add(cut_: int, virtual: list[int], vevents: list[int], resume: int, etype: str, punct: int = -1,
            removed: int = -1, back: int = 0, edit: Edit | None = None, final: bool = False) -> None:
        out.append(Candidate(path, cut_, virtual, vevents, resume, etype, punct, removed, back, edit, violations,
                             final=final))

    violations = path.violations
    if f < n:
        t = types[f]
        tok_text = toks.text[toks.starts[f]:toks.ends[f]]
        add(cut, [], [], f + 1, "delete", removed=t, edit=Edit(f"removed a stray {TYPE_NAMES[t]}", off(f), tok_text))
        for p in range(6):
            if step(stack, mode, p) is not None:
                add(cut, [p], [-1 - p], f, "insert", punct=p,
                    edit=Edit(f"inserted a missing '{PUNCT_CHARS[p]}'", off(f), "", PUNCT_CHARS[p]))
                if t in (MASK, JUNK) or t <= COMMA:
                    add(cut, [p], [-1 - p], f + 1, "replace", punct=p, removed=t,
                        edit=Edit(f"replaced {TYPE_NAMES[t]} with '{PUNCT_CHARS[p]}'", off(f), tok_text,
                                  PUNCT_CHARS[p]))
        if f + 1 < n:
            add(cut, [types[f + 1], t], [f + 1, f], f + 2, "swap_next", punct=t if t <= COMMA else -1,
                edit=Edit("swapped two tokens back", off(f), toks.text[toks.starts[f]:toks.ends[f + 1]]))
        if cut and path.events[-1] == f - 1:
            add(cut - 1, [t, types[f - 1]], [f, f - 1], f + 1, "swap_prev", punct=t if t <= COMMA else -1,
                back=1, edit=Edit("swapped two tokens back", off(f - 1), toks.text[toks.starts[f - 1]:toks.ends[f]]))
    # an earlier close or open, within the innermost open container and at indentation breaks
    depth = len(stack)
    seen = 0
    e = cut - 1
    while e >= 0 and seen < WINDOW:
        s_stack, s_mode = path.states[e]
        if len(s_stack) < depth or (depth and s_stack[:depth] != stack[:depth]):
            break
        ev = path.events[e]
        if len(s_stack) == depth and ev >= 0:
            seen += 1
            t = types[ev]
            if depth and s_mode in (NO, NA) and t == COMMA:
                closer = CLOSER_OF[stack[-1]]
                add(e, [closer], [-1 - closer], ev, "close_early", punct=closer, back=cut - e,
                    edit=Edit(f"inserted a missing '{PUNCT_CHARS[closer]}'", off(ev), "", PUNCT_CHARS[closer]))
            if s_mode in (V, VA, VC, TOP):
                for opener in (LBRACE, LBRACK):
                    if opener == LBRACE and not (t in (STR, WORD) and ev + 1 < n and types[ev + 1] == COLON):
                        continue
                    add(e, [opener], [-1 - opener], ev, "open_early", punct=opener, back=cut - e,
                        edit=Edit(f"inserted a missing '{PUNCT_CHARS[opener]}'", off(ev), "", PUNCT_CHARS[opener]))
        e -= 1
    if ctx.unit:
        for e in violations[:3]:
            ev = path.events[e]
            s_stack, _ = path.states[e]
            want = (toks.indent[ev] - ctx.base) // ctx.unit
            cur = len(s_stack) - 1 if types[ev] in (RBRACE, RBRACK) else len(s_stack)
            k = cur - want
            if k <= 0 or k > len(s_stack):
                continue
            at_e = e - 1 if e > 0 and path.events[e - 1] >= 0 and types[path.events[e - 1]] == COMMA else e
            closers = [CLOSER_OF[c] for c in reversed(s_stack[-k:])]
            if path.states[at_e][1] not in (NO, NA):
                continue
            resume = path.events[at_e]
            add(at_e, closers, [-1 - c for c in closers], resume, "close_early", punct=closers[0], back=cut - at_e,
                edit=Edit(f"inserted a missing '{''.join(PUNCT_CHARS[c] for c in closers)}'", off(resume), "",
                          "".join(PUNCT_CHARS[c] for c in closers)))
    # give up on the rest: close what is open (a truncated stream), or drop trailing text
    if f >= n:
        add(cut, [], [], n, "close_eof", final=True,
            edit=Edit("closed what the truncated document left open", off(n), "",
                      "".join(PUNCT_CHARS[CLOSER_OF[c]] for c in reversed(stack))) if stack else None)
    else:
        add(cut, [], [], n, "drop_rest", final=True,
            edit=Edit("dropped text that does not continue the JSON", off(f), toks.text[at:]))
    return out


def _apply(c: Candidate) -> Path:
    p = c.path.fork(c.cut)
    for t, ev in zip(c.virtual, c.virtual_events, strict=True):
        if not p.emit(ev, t):
            p.done = True  # an edit that does not parse: never chosen, kept out of the beam
            p.logp = -math.inf
            return p
    p.pos = c.resume
    if c.edit is not None:
        p.edits.append(c.edit)
    if c.final:
        p.done = True
    return p


# ---- emitting ------------------------------------------------------------------------------------

def _finish(path: Path, ctx: Context) -> Path:
    """Trim an unfinished member (a key without a value, a trailing comma) and close what is open."""
    toks = ctx.toks
    while path.events and path.mode in (V, VC, KC, C):
        path.stack, path.mode = path.states.pop()
        ev = path.events.pop()
        if ev >= 0 and toks.types[ev] in (STR, WORD):
            path.edits.append(Edit("dropped a key whose value was cut off", ctx.offset + toks.starts[ev],
                                   toks.text[toks.starts[ev]:toks.ends[ev]]))
    for c in reversed(path.stack):
        closer = CLOSER_OF[c]
        path.events.append(-1 - closer)
        path.states.append((path.stack, path.mode))
        path.stack, path.mode = _after(path.stack[:-1])
    return path


def _normalized(toks: Tokens, kept: set[int] | None, offset: int) -> list[Edit]:
    """The edits of the tokens the rules rewrote (quoted words, re-quoted strings, Python literals)."""
    out = []
    for i in toks.altered:
        if kept is not None and i not in kept:
            continue
        t, source = toks.types[i], toks.text[toks.starts[i]:toks.ends[i]]
        if t == WORD:
            out.append(Edit("quoted a bare word", offset + toks.starts[i], source, toks.values[i]))
        elif source.lstrip("-") in ("NaN", "Infinity"):
            what = "replaced a number JSON does not have with null"
        else:
            what = "converted a Python literal" if t == LIT else "re-quoted a string as JSON"
            out.append(Edit(what, offset + toks.starts[i], source, toks.values[i]))
    return out


def _render(path: Path, ctx: Context) -> tuple[str, list[Edit]]:
    values = ctx.toks.values
    body = "".join([values[ev] if ev >= 0 else PUNCT_CHARS[-1 - ev] for ev in path.events])
    kept = {ev for ev in path.events if ev >= 0} if ctx.toks.altered else set()
    return body, _normalized(ctx.toks, kept, ctx.offset)


# ---- the whole repair ----------------------------------------------------------------------------

@dataclass
class Outcome:
    text: str | None  # the repaired JSON text (None: nothing to repair into)
    edits: list[Edit]
    confidence: float
    ambiguous: bool
    doubts: list[Edit] = field(default_factory=list)  # the edits that were guesses


_STRUCTURE = re.compile(r'[{}\[\]"]')  # text dropped after the value that holds JSON: more data, not prose


_COMMA_RULE = re.compile(b"\x05+(?=[\x01\x03])|(?<=\x05)\x05+")  # token types: 5 ',', 1 '}', 3 ']'


def _rule_deletions(toks: Tokens, offset: int) -> tuple[list[int] | None, list[Edit]]:
    """Token indices kept after the unambiguous deletions (commas before a closing bracket, a comma after a
    comma; a truncated string, number or literal at the very end), with the edits; None: all kept."""
    types = toks.types
    n = len(types)
    drop: set[int] = set()
    edits: list[Edit] = []
    if n and max(types) < 256:
        for m in _COMMA_RULE.finditer(bytes(types)):
            trailing = m.end() < n and types[m.end()] in (RBRACE, RBRACK)
            for i in range(m.start(), m.end()):
                drop.add(i)
                edits.append(Edit("removed a trailing comma" if trailing else "removed an extra comma",
                                  offset + toks.starts[i], ","))
    # the end of a truncated stream: an unfinished scalar is dropped rather than guessed
    last = max((i for i in range(n - 1, max(-1, n - 1 - len(drop) - 1), -1) if i not in drop), default=-1)
    if last >= 0:
        t = types[last]
        end_of_text = toks.ends[last] == len(toks.text)  # a number cut here may have had more digits
        source = toks.text[toks.starts[last]:toks.ends[last]]
        partial_word = t == WORD and not toks.text[toks.ends[last]:].strip() and any(w.startswith(source) for w in
                                                          ("true", "false", "null", "True", "False", "None"))
        if t in (USTR, PNUM) or partial_word or (t == NUM and end_of_text):
            drop.add(last)
            edits.append(Edit("dropped an unfinished value at the end", offset + toks.starts[last],
                              toks.text[toks.starts[last]:]))
    if not drop:
        return None, edits
    return [i for i in range(n) if i not in drop], edits


def _subset(toks: Tokens, idx: list[int] | None) -> Tokens:
    if idx is None:
        return toks
    out = Tokens(toks.text, multiline=toks.multiline, dropped=toks.dropped)
    where = {old: new for new, old in enumerate(idx)}
    out.altered = [where[i] for i in toks.altered if i in where]
    out.types = [toks.types[i] for i in idx]
    out.starts = [toks.starts[i] for i in idx]
    out.ends = [toks.ends[i] for i in idx]
    out.values = [toks.values[i] for i in idx]
    out.indent = [toks.indent[i] for i in idx]
    return out


@dataclass
class Prepared:
    ctx: Context
    edits: list[Edit]
    minified: bool


def prepare(text: str) -> Prepared:
    """The rules' part: wrappers cut off, the rest lexed, comments and unambiguous commas dropped."""
    doc, offset, wrappers = strip_wrappers(text)
    edits = [Edit(f"removed {what}", off, removed) for what, off, removed in wrappers]
    toks = lex(doc)
    edits += [Edit(f"removed a {what}", offset + off, removed) for what, off, removed in toks.dropped]
    keep, rule_edits = _rule_deletions(toks, offset)
    edits += rule_edits
    toks = _subset(toks, keep)
    unit, base = _indentation(toks)
    return Prepared(Context(toks, unit, base, offset), edits, not toks.multiline)


def start_path(prep: Prepared) -> Path:
    p = Path()
    advance(p, prep.ctx)
    return p


def needs_decision(path: Path, prep: Prepared) -> bool:
    return not (path.pos >= len(prep.ctx.toks) and path.mode == D)


def decision(path: Path, prep: Prepared) -> tuple[list[Candidate], np.ndarray]:
    """The candidate edits where ``path`` stops parsing, with their features."""
    cands = _candidates(path, prep.ctx)
    cache: dict[tuple[int, int], set[str] | None] = {}
    return cands, np.array([_features(prep.ctx, c, prep.minified, cache) for c in cands], dtype=np.float32)


def follow(cand: Candidate, prep: Prepared) -> Path:
    """The path after ``cand``'s edit, parsed on as far as it goes."""
    p = _apply(cand)
    if not p.done and p.logp != -math.inf:
        advance(p, prep.ctx)
    return p


def search(prep: Prepared, beam: list[Path], scorer: Scorer, limit: int | None = None) -> Path | None:
    """The most probable complete repair reachable from ``beam`` (paths already advanced)."""
    ctx, minified = prep.ctx, prep.minified
    n = len(ctx.toks)
    limit = limit if limit is not None else 8 + n // 64
    finished: list[Path] = []
    decisions = 0
    while beam:
        fresh: list[Path] = []
        for p in beam:
            if p.done or (p.pos >= n and p.mode == D):
                p.done = True
                finished.append(p)
            else:
                fresh.append(p)
        if not fresh or decisions >= limit:
            for p in fresh:  # out of budget: keep what parses, close the rest
                p.pos = n
                finished.append(p)
            break
        decisions += 1
        cands: list[Candidate] = []
        groups: list[tuple[int, int]] = []
        for p in fresh:
            cs = _candidates(p, ctx)
            groups.append((len(cands), len(cands) + len(cs)))
            cands += cs
        cache: dict[tuple[int, int], set[str] | None] = {}
        feats = np.array([_features(ctx, c, minified, cache) for c in cands], dtype=np.float32)
        logits = np.asarray(scorer(feats), dtype=np.float64).reshape(-1)
        scored: list[tuple[float, float, Candidate]] = []
        for a, b in groups:
            z = logits[a:b]
            logz = float(np.logaddexp.reduce(z))
            top = np.sort(z)[::-1]
            margin = float(top[0] - top[1]) if len(top) > 1 else math.inf
            for i in range(a, b):
                scored.append((cands[i].path.logp + float(z[i - a]) - logz, margin if z[i - a] == top[0] else 0.0,
                               cands[i]))
        scored.sort(key=lambda x: -x[0])
        beam = []
        floor = scored[0][0] - PRUNE if scored else 0.0
        for logp, margin, c in scored[:BEAM * 2]:
            if logp < floor:  # far less likely than the best: not worth parsing on
                break
            p = _apply(c)
            if p.logp == -math.inf:
                continue
            p.logp = logp
            p.margins.append(margin)
            if margin < AMBIGUOUS and c.edit is not None:
                p.doubts.append(c.edit)
            if p.done:
                finished.append(p)
            else:
                advance(p, ctx)
                beam.append(p)
            if len(beam) >= BEAM:
                break
        if finished and (not beam or max(f.logp for f in finished) >= beam[0].logp):
            break
    return max(finished, key=lambda p: p.logp) if finished else None


def render(best: Path, prep: Prepared) -> Outcome:
    best = _finish(best, prep.ctx)
    body, normalized = _render(best, prep.ctx)
    all_edits = sorted(prep.edits + best.edits + normalized, key=lambda e: e.offset)
    doubts = list(best.doubts)
    doubts += [e for e in best.edits if e.kind.startswith("dropped text") and _STRUCTURE.search(e.removed)
               and e not in doubts]
    return Outcome(body or None, all_edits, math.exp(best.logp), bool(doubts), doubts)


def _rules_only(prep: Prepared) -> Outcome | None:
    """The repair when the rules alone made the tokens valid JSON (checked by ``json.loads``, without the
    token-by-token parse), else None."""
    toks = prep.ctx.toks
    if not toks.types or max(toks.types) >= USTR or toks.types[0] == WORD:
        return None
    body = " ".join(toks.values)  # a space between tokens: "1 2" must not read as 12
    try:
        json.loads(body, strict=False)
    except (ValueError, RecursionError):
        return None
    edits = prep.edits + _normalized(toks, None, prep.ctx.offset)
    return Outcome(body, sorted(edits, key=lambda e: e.offset), 1.0, False)


def _depth(types: list[int]) -> int:
    depth = deepest = 0
    for t in types:
        if t in (LBRACE, LBRACK):
            depth += 1
            deepest = max(deepest, depth)
        elif t in (RBRACE, RBRACK):
            depth = max(0, depth - 1)
    return deepest


def repair_text(text: str, scorer: Scorer = prior_scorer, max_decisions: int | None = None) -> Outcome:
    """Repair ``text`` (known not to parse). Never raises on a ``str``."""
    prep = prepare(text)
    types = prep.ctx.toks.types
    if types.count(LBRACE) + types.count(LBRACK) > MAX_DEPTH and _depth(types) > MAX_DEPTH:
        return Outcome(None, [*prep.edits, Edit(f"nested deeper than {MAX_DEPTH} levels: not built", 0)], 0.0, True)
    if not any(t in (LBRACE, LBRACK, RBRACE, RBRACK) for t in types) and (not types or types[0] not in (STR, NUM, LIT)):
        return Outcome(None, [*prep.edits, Edit("no JSON object or array in the input", 0)], 0.0, True)
    quick = _rules_only(prep)
    if quick is not None:
        return quick
    best = search(prep, [start_path(prep)], scorer, max_decisions)
    if best is None:
        return Outcome(None, prep.edits, 0.0, True)
    return render(best, prep)
