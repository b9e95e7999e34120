from __future__ import annotations

import numpy as np
import pytest
import torch

from tinylab.errors import SpecError
from tinylab.models import build
from tinylab.models.sentence_head import SentenceHeadSpec, hashed_ngrams
from tinylab.spec import resolve


def dense(ids: np.ndarray, weights: np.ndarray, buckets: int) -> np.ndarray:
    out = np.zeros((len(ids), buckets), dtype=np.float32)
    np.add.at(out, (np.arange(len(ids))[:, None].repeat(ids.shape[1], 1), ids), weights)
    return out


def test_hashed_ngrams_are_stable_normalized_and_case_blind():
    a = dense(*hashed_ngrams(["We share data with partners.", ""], 1024, 2), 1024)
    b = dense(*hashed_ngrams(["we SHARE data with partners", "x"], 1024, 2), 1024)
    assert np.allclose(a[0], b[0])
    assert np.isclose(np.linalg.norm(a[0]), 1.0) and not a[1].any()
    assert (a[0] > 0).sum() == 5 + 4  # 5 words, 4 bigrams (no collision in 1024 buckets here)
    ids, w = hashed_ngrams(["a b", "a b c d"], 1024, 2)
    assert ids.shape == w.shape == (2, 7) and ids.dtype == np.int64 and w.dtype == np.float32
    assert (w[0, 3:] == 0).all()  # padding weighs nothing


@pytest.mark.parametrize(("kw", "inputs"), [
    ({"use_encoder": True, "ngram_buckets": 0}, [(3, 384)]),
    ({"use_encoder": True, "ngram_buckets": 64, "hidden": 0}, [(3, 384), (3, 5), (3, 5)]),
    ({"use_encoder": False, "ngram_buckets": 64}, [(3, 5), (3, 5)]),
])
def test_head_takes_the_inputs_its_spec_enables(kw, inputs):
    model = build(SentenceHeadSpec(**kw), 6)
    arrays = [torch.randn(*s) for s in inputs]
    if kw["ngram_buckets"]:
        arrays[-2] = torch.randint(0, 64, inputs[-2])
    out = model(*arrays)
    assert out.shape == (3, 6)


def test_a_head_without_any_input_is_refused():
    from tinylab.spec import BaseSpec

    class S(BaseSpec):
        model: SentenceHeadSpec = SentenceHeadSpec()

    with pytest.raises(SpecError, match="use_encoder"):
        resolve(S, {"task": "x"}, None, ["model.use_encoder=false"])
