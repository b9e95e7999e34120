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


SENTENCES = [
    "We will only collect your e-mail address with your express permission.",
    "By using the Service you agree that we may share your data with our partners for marketing purposes.",
    "Cookies",
    "Nous collectons vos données — y compris l'adresse IP — pour améliorer le service.",
    " ".join(["We may collect your name, address, phone number, location and browsing history."] * 30),  # > 256
]


def test_served_inputs_are_sentence_transformers_own_tokens():
    """The token ids the exported model reads are the ones sentence-transformers feeds the encoder at training:
    the same lower-casing and word pieces, cut at the same length (256)."""
    pytest.importorskip("sentence_transformers")
    from tinylab.models.sentence_encoder import _load
    from tinylab.models.sentence_inputs import MAX_TOKENS, serving_inputs

    st = _load("all-MiniLM-L6-v2")
    assert st.max_seq_length == MAX_TOKENS["all-MiniLM-L6-v2"]
    ids, ngram_ids, ngram_weights = serving_inputs(SentenceHeadSpec(ngram_buckets=64), SENTENCES)
    expected = st.tokenize(SENTENCES)["input_ids"].numpy()
    assert ids.shape == expected.shape and ids.shape[1] == 256
    assert (ids == expected).all()
    assert all((a == b).all() for a, b in zip((ngram_ids, ngram_weights), hashed_ngrams(SENTENCES, 64, 2), strict=True))


def test_the_head_exported_with_its_encoder_reproduces_the_trained_path(tmp_path):
    """ONNX (frozen encoder + head + n-gram branch, token ids in, float) against the head in torch on
    sentence-transformers' embeddings: the path the model is trained on."""
    pytest.importorskip("sentence_transformers")
    from tinylab.export import export_checked
    from tinylab.models.sentence_head import sentence_inputs
    from tinylab.models.sentence_inputs import serving_inputs

    torch.manual_seed(0)
    spec = SentenceHeadSpec(hidden=0, ngram_buckets=256)
    model = build(spec, 6)
    torch.nn.init.normal_(model.ngrams.weight)  # zeros at init: give the n-gram branch a say
    model.eval()
    served = (model.with_encoder(), serving_inputs(spec, SENTENCES))
    onnx, note = export_checked(model, sentence_inputs(spec, SENTENCES), tmp_path / "m.onnx", serving=served)
    assert onnx is not None, note
    with torch.no_grad():
        expected = model(*(torch.from_numpy(a) for a in sentence_inputs(spec, SENTENCES))).numpy()
    assert np.abs(onnx(*serving_inputs(spec, SENTENCES)) - expected).max() < 1e-4
    assert [name for name, _ in onnx.input_types] == ["input0", "input1", "input2"]
    assert onnx.input_types[0][1] == "tensor(int64)"  # token ids, not an embedding
