from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tinylab.data import encode_bytes, overlap_by_group, overlap_count


def test_encode_bytes_pads_and_truncates():
    ids, lengths = encode_bytes(["ab", "", "é" * 10], 6)
    assert ids.shape == (3, 6) and ids.dtype == np.uint8
    assert ids[0].tolist() == [97, 98, 0, 0, 0, 0]
    assert ids[1].tolist() == [0] * 6
    assert ids[2].tolist() == list("é".encode() * 3)
    assert lengths.tolist() == [2.0, 0.0, 20.0]


def test_encode_bytes_empty_batch():
    ids, lengths = encode_bytes([], 8)
    assert ids.shape == (0, 8) and lengths.shape == (0,)


def test_encoded_array_is_writable():
    ids, _ = encode_bytes(["x"], 4)
    ids[0, 0] = 1  # torch.from_numpy needs writable memory


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                        max_size=40), max_size=20), st.integers(min_value=1, max_value=64))
def test_encode_matches_reference(values, max_len):
    ids, lengths = encode_bytes(values, max_len)
    for row, length, v in zip(ids, lengths, values, strict=True):
        b = v.encode()[:max_len]
        assert bytes(row[: len(b)]) == b and not row[len(b):].any()
        assert length == len(v.encode())


def test_overlap():
    assert overlap_count(["a", "b"], ["b", "c", "b"]) == 2
    assert dict(overlap_by_group(["a"], ["a", "a", "b"], ["x", "y", "x"])) == {"x": 1, "y": 1}
