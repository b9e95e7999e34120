"""The json-repair corpus: documents, styles, corruptions and examples."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinylab.tasks.json_repair.corpus import (
    CORRUPTIONS,
    STYLES,
    WRAPPERS,
    Edit,
    Example,
    corrupt,
    document,
    examples,
    render,
)

N = 12  # examples per corruption in the shared fixture
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_MASKS = ("<mask>", "[MASK]", "___", "...", "?", "<unk>", "…")
_LOCAL = {
    "block_comment", "line_comment", "delete_brace", "delete_bracket", "delete_colon", "delete_comma",
    "insert_comma", "mask_token", "swap_adjacent", "trailing_comma_arr", "trailing_comma_obj", "truncate",
}  # fmt: skip


def same(a: Any, b: Any) -> bool:
    """Equality that also compares types (1, 1.0 and True differ)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def parses(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def outside_strings(text: str) -> str:
    """``text`` with its double-quoted strings blanked out."""
    return _STRING.sub('""', text)


def sub_outside_strings(pattern: str, repl: str, text: str) -> str:
    """``re.sub`` applied to the parts of ``text`` outside its double-quoted strings."""
    out, last = [], 0
    for m in _STRING.finditer(text):
        out += [re.sub(pattern, repl, text[last : m.start()]), m.group()]
        last = m.end()
    return "".join([*out, re.sub(pattern, repl, text[last:])])


def unquote_python(text: str) -> str:
    """The reverse of single_quotes: every single-quoted string back to a JSON double-quoted one."""
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == '"':
            m = _STRING.match(text, i)
            assert m, f"unterminated string at {i}"
            out.append(m.group())
            i = m.end()
        elif c == "'":
            j, body = i + 1, []
            while text[j] != "'":
                if text[j] == "\\":
                    esc = text[j : j + 2]
                    body.append("'" if esc == "\\'" else esc)
                    j += 2
                else:
                    body.append('\\"' if text[j] == '"' else text[j])
                    j += 1
            out.append('"' + "".join(body) + '"')
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def walk(value: Any) -> Any:
    """Every value nested in ``value`` (itself included)."""
    yield value
    if isinstance(value, dict):
        for v in value.values():
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)


def depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    return 0


@pytest.fixture(scope="module")
def singles() -> list[Example]:
    return examples(N, seed=0)


@pytest.fixture(scope="module")
def stacks() -> list[Example]:
    return examples(60, seed=0, stacks=True)


@pytest.fixture(scope="module")
def docs() -> list[Any]:
    rng = np.random.default_rng(123)
    return [document(rng) for _ in range(500)]


def by_name(singles: list[Example], name: str) -> list[Example]:
    return [e for e in singles if e.corruptions == (name,)]


# ---- determinism and shape


def test_same_seed_same_list_and_different_seeds_differ() -> None:
    assert examples(2, seed=7) == examples(2, seed=7)
    assert examples(5, seed=7, stacks=True) == examples(5, seed=7, stacks=True)
    assert examples(2, seed=7) != examples(2, seed=8)
    assert [e.broken for e in examples(5, seed=7, stacks=True)] != [e.broken for e in examples(5, 8, stacks=True)]


def test_the_data_are_pinned() -> None:
    """The same seed gives the same texts on any machine and Python version. A change to the generator
    changes this digest, and every dataset built from it: update it deliberately."""
    digest = hashlib.sha256()
    for e in examples(1, seed=0) + examples(3, seed=0, stacks=True):
        digest.update((e.original_text + "\x00" + e.broken + "\x00").encode())
    assert digest.hexdigest() == "c2e762f73de1af7685d01bc9d63218dda11e65f6acd0ba038815e5eb2a02febc"


def test_an_example_depends_only_on_seed_name_and_index() -> None:
    full = examples(3, seed=11)
    assert examples(3, seed=11, corruptions=("python_null", "truncate")) == [
        e for e in full if e.corruptions[0] in ("truncate", "python_null")
    ]
    assert examples(2, seed=11) == full[: 2 * len(CORRUPTIONS)]


def test_singles_are_n_per_name_interleaved(singles: list[Example]) -> None:
    assert len(singles) == N * len(CORRUPTIONS)
    assert [e.corruptions[0] for e in singles[: len(CORRUPTIONS)]] == list(CORRUPTIONS)
    assert Counter(e.corruptions for e in singles) == {(name,): N for name in CORRUPTIONS}


def test_every_example_is_broken_and_its_original_parses(singles: list[Example], stacks: list[Example]) -> None:
    for e in singles + stacks:
        assert not parses(e.broken), e
        assert same(json.loads(e.original_text), e.original)
        assert e.style in STYLES
        assert e.broken != e.original_text
        assert len(e.edits) == len(e.corruptions)
        assert tuple(edit.corruption for edit in e.edits) == e.corruptions


def test_local_edits_describe_the_change(singles: list[Example]) -> None:
    for e in singles:
        if e.corruptions[0] in _LOCAL:
            (edit,) = e.edits
            text = e.original_text
            assert text[edit.offset : edit.offset + len(edit.removed)] == edit.removed
            assert text[: edit.offset] + edit.inserted + text[edit.offset + len(edit.removed) :] == e.broken


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown corruption"):
        examples(1, 0, corruptions=("nope",))
    with pytest.raises(ValueError, match="duplicates"):
        examples(1, 0, corruptions=("truncate", "truncate"))
    with pytest.raises(ValueError, match="two distinct"):
        examples(1, 0, corruptions=("prose_wrap", "markdown_fence"), stacks=True)
    with pytest.raises(ValueError, match="seed"):
        examples(1, -1)
    with pytest.raises(ValueError, match="unknown corruption"):
        corrupt("[1]", "nope", np.random.default_rng(0))
    assert examples(0, 0) == []


# ---- each corruption's characteristic


def test_python_literals_leave_no_json_literal_outside_strings(singles: list[Example]) -> None:
    for name, json_lit, py_lit in (("python_true", "true", "True"), ("python_false", "false", "False"),
                                   ("python_null", "null", "None")):  # fmt: skip
        for e in by_name(singles, name):
            before, after = outside_strings(e.original_text), outside_strings(e.broken)
            assert not re.search(rf"\b{json_lit}\b", after)
            assert len(re.findall(rf"\b{py_lit}\b", after)) == len(re.findall(rf"\b{json_lit}\b", before)) > 0
            assert e.broken == sub_outside_strings(rf"\b{json_lit}\b", py_lit, e.original_text)
            assert e.edits[0].removed == json_lit and e.edits[0].inserted == py_lit


def test_single_quotes_reverse_to_the_original(singles: list[Example]) -> None:
    for e in by_name(singles, "single_quotes"):
        assert unquote_python(e.broken) == e.original_text
        assert "'" in outside_strings(e.broken)


def test_single_quotes_follow_python_repr() -> None:
    for value in (["plain", "it's", 'say "hi"', "it's \"both\"", "tab\t"], {"k": 'a"b'}):
        text = json.dumps(value)
        result = corrupt(text, "single_quotes", np.random.default_rng(0))
        assert result is not None
        assert result[0] == repr(value)


def test_unquote_keys_leaves_identifier_keys_bare(singles: list[Example]) -> None:
    ident = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
    for e in by_name(singles, "unquote_keys"):
        requoted = sub_outside_strings(r"(?<![\w$])([A-Za-z_$][A-Za-z0-9_$]*)(\s*:)", r'"\1"\2', e.broken)
        assert requoted == e.original_text
        # no quoted key left that is an identifier
        for m in re.finditer(r'("(?:[^"\\]|\\.)*")\s*:', e.broken):
            assert not ident.fullmatch(m.group(1)[1:-1])


def test_truncate_is_a_prefix_between_20_and_95_percent(singles: list[Example]) -> None:
    for e in by_name(singles, "truncate"):
        assert e.original_text.startswith(e.broken)
        assert 0.2 <= len(e.broken) / len(e.original_text) <= 0.95


def test_wrappers_contain_the_original_verbatim(singles: list[Example]) -> None:
    for e in by_name(singles, "markdown_fence"):
        assert e.original_text in e.broken
        assert e.broken.lstrip("\n").startswith("```json\n") and e.broken.rstrip("\n").endswith("\n```")
    for e in by_name(singles, "markdown_fence_plain"):
        assert e.original_text in e.broken
        assert e.broken.lstrip("\n").startswith("```\n") and e.broken.rstrip("\n").endswith("\n```")
    for e in by_name(singles, "prose_wrap"):
        prose = e.broken.replace(e.original_text, "", 1)
        assert e.original_text in e.broken and prose.strip()
        assert not set(prose) & set('{}[]"')


def test_deletions_remove_one_token_of_their_kind(singles: list[Example]) -> None:
    for name, chars in (("delete_brace", "{}"), ("delete_bracket", "[]"), ("delete_colon", ":"),
                        ("delete_comma", ",")):  # fmt: skip
        for e in by_name(singles, name):
            (edit,) = e.edits
            assert edit.removed in chars and len(edit.removed) == 1 and edit.inserted == ""
            assert outside_strings(e.original_text).count(edit.removed) - 1 == outside_strings(e.broken).count(
                edit.removed
            )


def test_comments_masks_commas_and_swaps(singles: list[Example]) -> None:
    for e in by_name(singles, "block_comment"):
        body = e.edits[0].inserted.strip()
        assert body.startswith("/*") and body.endswith("*/") and "*/" not in body[2:-2]
    for e in by_name(singles, "line_comment"):
        edit = e.edits[0]
        assert edit.inserted.lstrip().startswith(("//", "#"))
        end = e.broken.index("\n", edit.offset)  # the comment ends at a newline
        assert end <= edit.offset + len(edit.inserted)
    for e in by_name(singles, "mask_token"):
        assert e.edits[0].removed in list("{}[]:,") and e.edits[0].inserted in _MASKS
    for e in by_name(singles, "insert_comma") + by_name(singles, "trailing_comma_arr") + by_name(
        singles, "trailing_comma_obj"
    ):
        assert e.edits[0].inserted == "," and e.edits[0].removed == ""
    for name, closer in (("trailing_comma_arr", "]"), ("trailing_comma_obj", "}")):
        for e in by_name(singles, name):
            after = e.broken[e.edits[0].offset + 1 :].lstrip()
            assert after.startswith(closer)
    for e in by_name(singles, "swap_adjacent"):
        assert Counter(e.broken) == Counter(e.original_text)


def test_insert_comma_mostly_avoids_trailing_positions() -> None:
    trailing = 0
    batch = examples(60, seed=5, corruptions=("insert_comma",))
    for e in batch:
        trailing += e.broken[e.edits[0].offset + 1 :].lstrip()[:1] in ("]", "}")
    assert trailing <= len(batch) // 10


def test_a_corruption_that_cannot_break_returns_none() -> None:
    rng = np.random.default_rng(0)
    assert corrupt('{"a": 1}', "python_true", rng) is None
    assert corrupt("[]", "trailing_comma_arr", rng) is None
    assert corrupt('{"a b": 1}', "unquote_keys", rng) is None
    assert corrupt("[1,2]", "delete_comma", rng) is None  # [12] is valid JSON: not a broken document
    assert corrupt('["it\'s"]', "single_quotes", rng) is None  # Python keeps double quotes there


# ---- stacks


def test_stacks_follow_the_ordering_rules(stacks: list[Example]) -> None:
    assert Counter(len(e.corruptions) for e in stacks).keys() == {2, 3}
    for e in stacks:
        names = e.corruptions
        assert len(set(names)) == len(names) in (2, 3)
        wrappers = [i for i, name in enumerate(names) if name in WRAPPERS]
        assert len(wrappers) <= 1 and all(i == len(names) - 1 for i in wrappers)
    assert any(set(e.corruptions) & WRAPPERS for e in stacks)


# ---- styles and documents


def test_style_coverage() -> None:
    rng = np.random.default_rng(5)
    rendered = [render(document(rng), rng) for _ in range(400)]
    layouts = Counter(style.split("-")[0] for _, style in rendered)
    assert set(layouts) == {"indent2", "indent4", "tab", "minified", "compact"}
    assert 0.15 <= layouts["minified"] / len(rendered) <= 0.35
    for text, style in rendered:
        assert style in STYLES
        assert text.endswith("\n") == style.endswith("-nl")
        if "-ascii" in style:
            assert text.isascii()
        body = outside_strings(text.rstrip("\n"))
        if style.startswith("minified"):
            assert not re.search(r"\s", body)
        if style.startswith("tab") and "\n" in body:
            assert "\n\t" in body
    assert any(not text.isascii() for text, _ in rendered)
    assert any(re.search(r"\d[eE]\d|E[+-]?\d", outside_strings(text)) for text, _ in rendered)  # respelled floats


def test_documents_have_realistic_features(docs: list[Any]) -> None:
    values = [v for doc in docs for v in walk(doc)]
    strings = [v for v in values if isinstance(v, str)]
    keys = [k for doc in docs for v in walk(doc) if isinstance(v, dict) for k in v]
    texts = [json.dumps(doc) for doc in docs]
    assert any(any(ord(c) >= 0x1F300 for c in s) for s in strings)  # emoji
    assert any("\u200d" in s for s in strings)  # multi-codepoint emoji
    assert any("\n" in s for s in strings) and any("\t" in s for s in strings) and any("\\" in s for s in strings)
    assert any('"' in s for s in strings) and any("'" in s for s in strings)
    assert any("//" in s for s in strings) and any("/*" in s for s in strings) and any("#" in s for s in strings)
    assert "" in strings
    assert any(re.search("[é中Ж]|ß|ö", s) for s in strings)
    assert any(isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**53 for v in values)
    assert any(isinstance(v, float) and "e" in repr(v) for v in values)
    assert any(isinstance(v, float) and v.is_integer() for v in values)
    assert any(isinstance(v, int) and not isinstance(v, bool) and v < 0 for v in values)
    assert {True, False, None} <= {v for v in values if v is None or isinstance(v, bool)}
    assert {} in values and [] in values
    assert any(isinstance(doc, list) for doc in docs) and sum(isinstance(doc, dict) for doc in docs) > 400
    shared = [v for v in values if isinstance(v, list) and len(v) >= 2 and all(isinstance(x, dict) for x in v)]
    assert any(len({frozenset(x) for x in v}) == 1 for v in shared)  # arrays of objects sharing keys
    assert any(re.fullmatch(r"[a-z]+[A-Z]\w*", k) for k in keys)  # camelCase
    assert any(re.fullmatch(r"[a-z]+(-[a-z]+)+", k) for k in keys)  # kebab-case
    assert any(re.fullmatch(r"[a-z]+(_[a-z]+)+", k) for k in keys)  # snake_case
    assert any(k.startswith(("$", "@")) for k in keys) and any(" " in k for k in keys)
    assert any(not k.isascii() for k in keys)
    assert max(depth(doc) for doc in docs) >= 5
    sizes = [len(t) for t in texts]
    assert min(sizes) < 100 and max(sizes) > 4000 and max(len(json.dumps(d, indent=2)) for d in docs) <= 8192
    for doc, text in zip(docs, texts, strict=True):
        assert same(json.loads(text), doc)


# ---- properties


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), name=st.sampled_from(CORRUPTIONS))
def test_corrupt_never_crashes_on_a_rendered_document(seed: int, name: str) -> None:
    rng = np.random.default_rng(seed)
    text, _ = render(document(rng), rng)
    result = corrupt(text, name, rng)
    if result is not None:
        broken, edit = result
        assert not parses(broken) and isinstance(edit, Edit) and edit.corruption == name


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=60), name=st.sampled_from(CORRUPTIONS), seed=st.integers(0, 1000))
def test_corrupt_never_crashes_on_any_text(text: str, name: str, seed: int) -> None:
    result = corrupt(text, name, np.random.default_rng(seed))
    assert result is None or not parses(result[0])
