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
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tinylab.json_repair.lexer import (
    COLON, COMMA, JUNK, LBRACE, LBRACK, LIT, MASK, NUM, PNUM, PUNCT_CHARS, RBRACE, RBRACK, STR, TYPE_NAMES, USTR,
    WORD, Tokens, lex, strip_wrappers,
)

# parser modes
V, VA, VC, K, KC, C, NO, NA, D = range(9)
VALUE_TYPES = frozenset((STR, NUM, LIT, WORD))
OPENERS = {LBRACE: "o", LBRACK: "a"}
CLOSER_OF = {"o": RBRACE, "a": RBRACK}

# candidate edit types (feature one-hot order)
EDIT_TYPES = ("delete", "insert", "replace", "swap_next", "swap_prev", "close_early", "open_early",
              "close_eof", "drop_rest")
N_FEATURES = 32
LOOKAHEAD = 48
WINDOW = 48  # how many items back an earlier close or open is looked for
BEAM = 3


def _after(stack: str) -> tuple[str, int]:
    if not stack:
        return stack, D
    return stack, NO if stack[-1] == "o" else NA


def step(stack: str, mode: int, t: int) -> tuple[str, int] | None:
    """The parser's next (stack, mode) after token type ``t``, or None where ``t`` cannot come."""
    if mode <= VC:
        if t in VALUE_TYPES:
            return _after(stack)
        if t == LBRACE:
            return stack + "o", K
        if t == LBRACK:
            return stack + "a", VA
        if t == RBRACK and mode == VA:
            return _after(stack[:-1])
        return None
    if mode == K or mode == KC:
        if t == STR or t == WORD:
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

    def describe(self, text: str) -> str:
        line = text.count("\n", 0, self.offset) + 1
        col = self.offset - (text.rfind("\n", 0, self.offset) + 1) + 1
        what = []
        if self.removed:
            shown = self.removed if len(self.removed) <= 40 else self.removed[:37] + "..."
            what.append(f"removed {shown!r}")
        if self.inserted:
            what.append(f"inserted {self.inserted!r}")
        return f"line {line}, column {col}: {self.kind}" + (f" ({', '.join(what)})" if what else "")


class Path:
    """One partial repair: the tokens emitted so far (original token indices, or ``-1 - type`` for an
    inserted punctuation token), the parser state before each, and the edits made."""

    __slots__ = ("events", "states", "pos", "stack", "mode", "logp", "edits", "margins", "done")

    def __init__(self) -> None:
        self.events: list[int] = []
        self.states: list[tuple[str, int]] = []
        self.pos = 0
        self.stack, self.mode = "", V
        self.logp = 0.0
        self.edits: list[Edit] = []
        self.margins: list[float] = []
        self.done = False

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


def advance(path: Path, ctx: Context) -> None:
    """Consume tokens while they parse."""
    types = ctx.toks.types
    n = len(types)
    events, states = path.events, path.states
    stack, mode, pos = path.stack, path.mode, path.pos
    while pos < n:
        r = step(stack, mode, types[pos])
        if r is None:
            break
        events.append(pos)
        states.append((stack, mode))
        stack, mode = r
        pos += 1
    path.stack, path.mode, path.pos = stack, mode, pos


def simulate(ctx: Context, stack: str, mode: int, virtual: list[int], pos: int, limit: int,
             ) -> tuple[int, int, int, int, str, int]:
    """Parse ``virtual`` token types, then the document's tokens from ``pos``, for at most ``limit`` tokens.
    Returns (tokens consumed, end: 0 failed / 1 limit / 2 end of input, indentation agreements,
    disagreements, stack, mode)."""
    types = ctx.toks.types
    n = len(types)
    consumed = ok = bad = 0
    for t in virtual:
        r = step(stack, mode, t)
        if r is None:
            return consumed, 0, ok, bad, stack, mode
        stack, mode = r
        consumed += 1
    while consumed < limit:
        if pos >= n:
            return consumed, 2, ok, bad, stack, mode
        t = types[pos]
        r = step(stack, mode, t)
        if r is None:
            return consumed, 0, ok, bad, stack, mode
        if ctx.unit:
            s = ctx.indent_ok(pos, t, stack)
            if s > 0:
                ok += 1
            elif s < 0:
                bad += 1
        stack, mode = r
        consumed += 1
        pos += 1
    return consumed, 1, ok, bad, stack, mode


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


def _features(ctx: Context, cand: Candidate, minified: bool) -> np.ndarray:
    f = np.zeros(N_FEATURES, dtype=np.float32)
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
        limit = LOOKAHEAD + (cand.path.pos - cand.resume if cand.resume < cand.path.pos else 0)
        consumed, end, ok, bad, _, emode = simulate(ctx, stack, mode, cand.virtual, cand.resume, limit)
        f[19] = min(consumed, limit) / limit
        f[20] = 1.0 if end == 2 and emode == D else 0.0
        f[21] = 1.0 if end == 2 and emode != D else 0.0
        f[22] = 1.0 if end == 0 and consumed < 2 + len(cand.virtual) else 0.0
        f[23] = min(ok, 10) / 10.0
        f[24] = min(bad, 5) / 5.0
        f[25] = 1.0 if end == 1 else 0.0
    f[26] = 1.0 if minified else 0.0
    f[27] = 1.0 if ctx.unit else 0.0
    f[28] = 1.0 if cand.edit_type in ("close_eof", "drop_rest") and _ends_open(ctx) else 0.0
    f[29] = 1.0 if cand.removed_type == WORD else 0.0
    # indentation breaks left standing before the edit (an earlier edit re-parses them: see f[24])
    f[30] = min(sum(1 for v in cand.violations if cand.cut - 64 <= v < cand.cut), 3) / 3.0
    f[31] = 1.0
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

    violations: list[int] = []  # events (ascending) whose line starts at the wrong indentation
    if ctx.unit:
        for e in range(cut):
            ev = path.events[e]
            if ev >= 0 and toks.indent[ev] >= 0 and ctx.indent_ok(ev, types[ev], path.states[e][0]) < 0:
                violations.append(e)
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
            if s_mode in (V, VC) or (s_mode == VA and e + 1 < cut):
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
    while path.events and path.mode in (V, VC, KC, C):
        path.stack, path.mode = path.states.pop()
        path.events.pop()
    for c in reversed(path.stack):
        closer = CLOSER_OF[c]
        path.events.append(-1 - closer)
        path.states.append((path.stack, path.mode))
        path.stack, path.mode = _after(path.stack[:-1])
    return path


def _render(path: Path, ctx: Context) -> tuple[str, list[Edit]]:
    toks = ctx.toks
    types, values, text = toks.types, toks.values, toks.text
    parts: list[str] = []
    normalized: list[Edit] = []
    for ev in path.events:
        if ev < 0:
            parts.append(PUNCT_CHARS[-1 - ev])
            continue
        t, v = types[ev], values[ev]
        if t == WORD:
            v = json.dumps(v, ensure_ascii=False)
            normalized.append(Edit("quoted a bare word", ctx.offset + toks.starts[ev], "", '"'))
        elif t in (STR, LIT) and v != text[toks.starts[ev]:toks.ends[ev]]:
            what = "converted a Python literal" if t == LIT else "re-quoted a string as JSON"
            normalized.append(Edit(what, ctx.offset + toks.starts[ev], text[toks.starts[ev]:toks.ends[ev]], v))
        parts.append(v)
    return "".join(parts), normalized


# ---- the whole repair ----------------------------------------------------------------------------

@dataclass
class Outcome:
    text: str | None  # the repaired JSON text (None: nothing to repair into)
    edits: list[Edit]
    confidence: float
    ambiguous: bool


def _rule_deletions(toks: Tokens, offset: int) -> tuple[list[int], list[Edit]]:
    """Token indices kept after the unambiguous deletions (a comma after a comma or before a closing
    bracket; a truncated string, number or literal at the very end), with the edits."""
    types = toks.types
    n = len(types)
    keep = [True] * n
    edits: list[Edit] = []
    prev = -1
    for i in range(n):
        t = types[i]
        if t == COMMA:
            nxt = types[i + 1] if i + 1 < n else -1
            if prev == COMMA or nxt in (RBRACE, RBRACK):
                if not (prev == COMMA and not keep[i - 1]):
                    keep[i] = False
                    what = "removed a trailing comma" if nxt in (RBRACE, RBRACK) else "removed an extra comma"
                    edits.append(Edit(what, offset + toks.starts[i], ","))
                    continue
        prev = t
    # the end of a truncated stream: an unfinished scalar is dropped rather than guessed
    last = max((i for i in range(n) if keep[i]), default=-1)
    if last >= 0:
        t = types[last]
        end_of_text = toks.ends[last] == len(toks.text)
        partial_word = t == WORD and end_of_text and any(w.startswith(toks.values[last]) for w in
                                                          ("true", "false", "null", "True", "False", "None"))
        if t in (USTR, PNUM) or partial_word or (t == NUM and end_of_text):
            keep[last] = False
            edits.append(Edit("dropped an unfinished value at the end", offset + toks.starts[last],
                              toks.text[toks.starts[last]:]))
    return [i for i in range(n) if keep[i]], edits


def _subset(toks: Tokens, idx: list[int]) -> Tokens:
    if len(idx) == len(toks):
        return toks
    out = Tokens(toks.text, multiline=toks.multiline, dropped=toks.dropped)
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
    return cands, np.stack([_features(prep.ctx, c, prep.minified) for c in cands])


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
        feats = np.stack([_features(ctx, c, minified) for c in cands])
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
        for logp, margin, c in scored[:BEAM * 2]:
            p = _apply(c)
            if p.logp == -math.inf:
                continue
            p.logp = logp
            p.margins.append(margin)
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
    ambiguous = any(m < 2.0 for m in best.margins)
    return Outcome(body or None, all_edits, math.exp(best.logp), ambiguous)


def repair_text(text: str, scorer: Scorer = prior_scorer, max_decisions: int | None = None) -> Outcome:
    """Repair ``text`` (known not to parse). Never raises on a ``str``."""
    prep = prepare(text)
    best = search(prep, [start_path(prep)], scorer, max_decisions)
    if best is None:
        return Outcome(None, prep.edits, 0.0, True)
    return render(best, prep)
