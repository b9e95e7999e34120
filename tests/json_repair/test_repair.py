"""tinylab.json_repair: what a caller relies on. Valid JSON untouched; each kind of damage repaired to the
original value; truncation completed without inventing anything; strict mode refusing to guess; any string
handled without an exception or a hang."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinylab.json_repair import Repair, RepairError, repair
from tinylab.json_repair.engine import prior_scorer
from tinylab.tasks.json_repair import corpus
from tinylab.tasks.json_repair.scoring import faithful_prefix, same_value

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=25)


def test_valid_json_comes_back_unchanged():
    r = repair('{"a": [1, 2.0, true, null, "x"]}')
    assert isinstance(r, Repair) and not r.changed and r.edits == () and r.confidence == 1.0
    assert same_value(r.value, {"a": [1, 2.0, True, None, "x"]})
    assert r.text == '{"a": [1, 2.0, true, null, "x"]}'


def test_llm_output_with_several_kinds_of_damage():
    text = "Sure! Here's the JSON:\n```json\n{name: 'Ada', 'tags': ['x' 'y',], active: True, // note\n n: None}\n```"
    r = repair(text)
    assert r.value == {"name": "Ada", "tags": ["x", "y"], "active": True, "n": None}
    assert r.changed and r.edits
    kinds = " ".join(e.kind for e in r.edits)
    for what in ("text before the JSON", "quoted a bare word", "missing ','", "trailing comma", "Python literal",
                 "comment"):
        assert what in kinds, what
    assert all(line.startswith("line ") for line in r.explain())


@pytest.mark.parametrize("name", [c for c in corpus.CORRUPTIONS if c != "truncate"])
def test_each_kind_of_damage_is_mostly_recovered_exactly(name):
    examples = corpus.examples(12, seed=4242, corruptions=[name])
    exact = sum(same_value(repair(e.broken).value, e.original) for e in examples)
    assert exact >= 9, f"{name}: {exact}/12 recovered exactly"


def test_truncated_documents_are_completed_with_nothing_invented():
    examples = corpus.examples(30, seed=77, corruptions=["truncate"])
    for e in examples:
        r = repair(e.broken)
        assert faithful_prefix(r.value, e.original), (e.broken[-80:], r.text[-80:])
    r = repair('{"user": {"name": "Ada", "email": "ada@exa')
    assert r.value == {"user": {"name": "Ada"}}  # the unfinished string is dropped, not guessed


def test_type_aware_equality_and_prefix():
    assert not same_value(1, 1.0) and not same_value(1, True) and same_value({"a": 1, "b": 2}, {"b": 2, "a": 1})
    assert faithful_prefix({"a": [1, 2]}, {"a": [1, 2, 3], "b": 4})
    assert not faithful_prefix({"a": [1, 5]}, {"a": [1, 2, 3]})
    assert not faithful_prefix({"b": 4}, {"a": 1, "b": 4})


def test_strict_refuses_an_ambiguous_repair_and_accepts_an_unambiguous_one():
    # a missing '}' in minified JSON: it may close "inner" after "b" or after "c": the evidence is even
    ambiguous = '{"outer":{"inner":{"a":1,"b":2,"c":3},"d":4}'
    with pytest.raises(RepairError, match="ambiguous"):
        repair(ambiguous, strict=True, scorer=prior_scorer)
    assert repair(ambiguous).value is not None  # not strict: the best guess
    assert repair("{'a': True,}", strict=True).value == {"a": True}
    with pytest.raises(RepairError):
        repair("no json here at all", strict=True)


@pytest.mark.parametrize(("broken", "value"), [
    ("[1 2]", [1, 2]), ('{"a": 1 "b": 2}', {"a": 1, "b": 2}), ("[1, 2 3]", [1, 2, 3]), ('["x" "y"]', ["x", "y"]),
    ("[true false]", [True, False]), ("[1 -2]", [1, -2]),
])
def test_adjacent_values_are_separated_not_merged(broken, value):
    assert same_value(repair(broken).value, value)


def test_indentation_decides_where_a_missing_brace_goes():
    broken = '{\n  "a": {\n    "x": 1,\n    "y": 2\n  ,\n  "b": 3\n}'
    assert repair(broken).value == {"a": {"x": 1, "y": 2}, "b": 3}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=JSON_VALUES, indent=st.sampled_from([None, 0, 1, 2, 4, "\t"]), ascii_=st.booleans())
def test_any_value_in_any_formatting_round_trips(value, indent, ascii_):
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_)
    r = repair(text)
    assert same_value(r.value, value) and not r.changed


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=400))
def test_any_string_is_handled_without_an_exception(text):
    r = repair(text)
    assert isinstance(r, Repair)
    if r.value is not None or not r.changed:
        json.loads(r.text)  # whatever comes back is JSON


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet='{}[]:,"\' \n0123456789abtruefalsn/*#`', max_size=300))
def test_punctuation_soup_is_handled(text):
    r = repair(text)
    json.loads(r.text)


@pytest.mark.parametrize("text", [
    "[" * 50_000, "{" * 20_000 + "}" * 3, '{"a": "' + "x" * 1_000_000, "[" + "1," * 200_000,
    "\x00{\x00'a\x00': 1\x00}", '{"a": "\ud800"', '{"\udfff": [1, 2', "]" * 10_000, "```json\n```",
    "", " ", "null", '"text"', "{,,,:::}", "[1 2 3 4 5 6 7 8 9]" * 2000,
])
def test_adversarial_input_is_fast_and_never_raises(text):
    start = time.perf_counter()
    r = repair(text)
    seconds = time.perf_counter() - start
    assert seconds < 1.0 + 2.0 * len(text) / 1_000_000, seconds  # bounded per kilobyte, not a hang
    if r.value is not None:
        json.loads(r.text)


def test_non_strings_are_a_type_error():
    with pytest.raises(TypeError, match="str"):
        repair(b'{"a": 1}')  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["Sorry, no.", "Error: timeout", "hello", "-", ",", "", "   ", "nan"])
def test_prose_and_punctuation_alone_recover_nothing(text):
    r = repair(text)
    assert not r.recovered and r.value is None and r.confidence == 0.0 and r.edits
    with pytest.raises(RepairError, match="no JSON value"):
        repair(text, strict=True)


def test_a_trailing_member_is_not_mistaken_for_prose():
    assert repair("{name: 'Ada', tags: ['x' 'y',], active: True").value == {
        "name": "Ada", "tags": ["x", "y"], "active": True}
    assert repair('{"a": [1]}\n\nHope this helps!').value == {"a": [1]}


def test_nan_and_infinity_become_null_and_the_text_is_always_json():
    r = repair('{"a": NaN, "b": -Infinity, "c": 1}')
    assert r.value == {"a": None, "b": None, "c": 1} and r.changed
    json.loads(r.text, parse_constant=lambda name: pytest.fail(f"{name} in the output"))


def test_unfinished_values_are_dropped_with_their_keys_even_before_a_newline():
    for text in ('{"a": "x", "b": tru\n', '{"a": "x", "b": 1.\n', '{"a": "x", "b": -'):
        r = repair(text)
        assert r.value == {"a": "x"}, text
        assert any("key whose value was cut off" in e.kind for e in r.edits)


def test_more_data_after_the_value_is_a_doubt_that_strict_refuses():
    r = repair('{"a": 1} {"b": 2}')
    assert r.value in ({"a": 1}, [{"a": 1}, {"b": 2}]) and r.doubts and r.confidence < 0.9
    with pytest.raises(RepairError, match="ambiguous"):
        repair('{"a": 1} {"b": 2}', strict=True)


def test_explaining_many_edits_is_linear():
    text = "{" + ", ".join(f"k{i}: True" for i in range(20_000)) + "}"
    r = repair(text)
    start = time.perf_counter()
    lines = r.explain()
    assert len(lines) >= 40_000 and time.perf_counter() - start < 2.0
