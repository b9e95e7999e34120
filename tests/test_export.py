from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from tinylab.data import encode_bytes
from tinylab.export import OnnxModel, export_checked, export_onnx
from tinylab.models.char_cnn import CharCNN, CharCNNSpec

VALUES = ["192.168.1.1", "hello@example.com", "", "2024-01-15T10:30:00Z", "Zürich", "東京都", "x" * 90]


def _model() -> CharCNN:
    torch.manual_seed(0)
    spec = CharCNNSpec(max_len=32, channels=16, hidden=16, embed_dim=8)
    return CharCNN(spec, 7).eval()


def test_onnxruntime_matches_torch_at_any_batch_and_width(tmp_path: Path):
    model = _model()
    ids, lengths = encode_bytes(VALUES, 32)
    path = export_onnx(model, (ids[:2], lengths[:2]), tmp_path / "m.onnx")
    onnx = OnnxModel(path)
    with torch.no_grad():
        expected = model(torch.from_numpy(ids), torch.from_numpy(lengths)).numpy()
    np.testing.assert_allclose(onnx(ids, lengths), expected, atol=1e-4)  # another batch size than exported
    narrow, _ = encode_bytes(VALUES[:2], 32, trim=True)  # and another width
    np.testing.assert_allclose(onnx(narrow, lengths[:2]), expected[:2], atol=1e-4)


def test_export_checked_keeps_a_matching_model_and_says_so(tmp_path: Path):
    onnx, note = export_checked(_model(), encode_bytes(VALUES, 32), tmp_path / "m.onnx")
    assert onnx is not None and (tmp_path / "m.onnx").is_file()
    assert "parity" in note


def test_export_checked_drops_a_model_that_fails_parity(tmp_path: Path):
    onnx, note = export_checked(_model(), encode_bytes(VALUES, 32), tmp_path / "m.onnx", tolerance=-1.0)
    assert onnx is None and not (tmp_path / "m.onnx").exists()
    assert "differ from torch" in note


def test_a_char_cnn_is_exported_in_its_serving_form_and_stays_in_eval_mode(tmp_path: Path):
    import onnx

    model = _model()
    ids, lengths = encode_bytes(VALUES, 32)
    with torch.no_grad():
        before = model(torch.from_numpy(ids), torch.from_numpy(lengths))
    export_onnx(model, (ids, lengths), tmp_path / "m.onnx")
    ops = {node.op_type for node in onnx.load(str(tmp_path / "m.onnx")).graph.node}
    assert "Conv" in ops  # onnxruntime's blocked convolutions, not the training form's Concat + MatMul
    # the exporter restores the exported wrapper's mode; the wrapped model must not come back in training
    # mode (dropout on), which would make every later torch prediction, and the parity check, random
    assert not model.training
    with torch.no_grad():
        after = model(torch.from_numpy(ids), torch.from_numpy(lengths))
    assert torch.equal(before, after)
