"""Items of any type: identity, size, and reading them for prediction."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinylab.errors import TinylabError
from tinylab.items import item_key, item_size, read_items, show, to_json


class TextTask:
    name = "text-task"


class JsonTask:
    name = "json-task"
    input_type = "json"


class ArrayTask:
    name = "array-task"
    input_type = "array"


@given(st.lists(st.integers(-5, 5), max_size=8))
def test_equal_arrays_have_equal_keys_and_a_dtype_or_shape_change_tells_them_apart(values):
    a = np.array(values, dtype=np.int64)
    assert item_key(a) == item_key(a.copy())
    assert item_key(a) != item_key(a.astype(np.int32))
    assert item_key(a.reshape(1, -1)) != item_key(a)
    assert item_size(a) == len(values)


def test_json_values_are_keyed_by_their_canonical_text():
    assert item_key({"a": 1, "b": [1, 2]}) == item_key({"b": [1, 2], "a": 1})
    assert item_key({"a": 1}) != item_key({"a": 2})
    assert item_key("x") == "x" and item_size("abc") == 3 and item_size({"a": 1, "b": 2}) == 2
    assert {item_key(np.zeros(2)), item_key(np.zeros(2)), item_key("x")} == {item_key(np.zeros(2)), "x"}


def test_items_print_on_one_line():
    assert show("plain text") == "plain text"
    assert show(np.arange(3)) == "[0,1,2]" and to_json(np.arange(2)) == [0, 1]
    assert show(list(range(100)), width=20).endswith("…") and len(show(list(range(100)), width=20)) == 20


def test_text_items_come_from_arguments_and_lines(tmp_path: Path):
    f = tmp_path / "v.txt"
    f.write_text("a b\n{not json}\n")
    assert read_items(TextTask(), ["x"], f) == ["x", "a b", "{not json}"]
    j = tmp_path / "v.jsonl"
    j.write_text('"one"\n\n"two"\n')
    assert read_items(TextTask(), [], j) == ["one", "two"]
    j.write_text('"one"\n{"a": 1}\n')
    with pytest.raises(TinylabError, match=r"v\.jsonl:2: task 'text-task' takes strings, got JSON dict"):
        read_items(TextTask(), [], j)
    np.save(tmp_path / "a.npy", np.zeros((2, 3)))
    with pytest.raises(TinylabError, match="a numpy file, but task 'text-task' takes text items"):
        read_items(TextTask(), [], tmp_path / "a.npy")


def test_json_and_array_items(tmp_path: Path):
    assert read_items(JsonTask(), ['{"a": [1, 2]}', "3"]) == [{"a": [1, 2]}, 3]
    with pytest.raises(TinylabError, match="value 2: not valid JSON"):
        read_items(JsonTask(), ["1", "{"])
    (arr,) = read_items(ArrayTask(), ["[[1, 2], [3, 4]]"])
    assert arr.shape == (2, 2)
    with pytest.raises(TinylabError, match="value 1: not a rectangular array of numbers"):
        read_items(ArrayTask(), ['[[1, 2], [3]]'])
    np.save(tmp_path / "a.npy", np.arange(6).reshape(3, 2))
    assert [x.tolist() for x in read_items(ArrayTask(), [], tmp_path / "a.npy")] == [[0, 1], [2, 3], [4, 5]]
    np.savez(tmp_path / "b.npz", first=np.ones((2, 2)), second=np.zeros(3))
    assert [x.shape for x in read_items(ArrayTask(), [], tmp_path / "b.npz")] == [(2, 2), (3,)]
    with pytest.raises(TinylabError, match="no such file"):
        read_items(ArrayTask(), [], tmp_path / "missing.npy")
    np.save(tmp_path / "s.npy", np.float64(3.0))
    with pytest.raises(TinylabError, match="a scalar"):
        read_items(ArrayTask(), [], tmp_path / "s.npy")
