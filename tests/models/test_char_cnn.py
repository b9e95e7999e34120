from __future__ import annotations

import torch

from tinylab.data import encode_bytes
from tinylab.models.char_cnn import CharCNN, CharCNNSpec, conv_as_matmul


def test_forward_shape_and_batch_independence():
    spec = CharCNNSpec(max_len=16, channels=8, hidden=8, embed_dim=4)
    model = CharCNN(spec, 5).eval()
    ids, lengths = encode_bytes(["abc", "hello world, a long value"], 16)
    out = model(torch.from_numpy(ids), torch.from_numpy(lengths))
    assert out.shape == (2, 5)
    # a value predicts the same alone as in a batch (padding and batch mates do not leak in)
    one_ids, one_len = encode_bytes(["abc"], 16)
    assert torch.allclose(model(torch.from_numpy(one_ids), torch.from_numpy(one_len)), out[:1], atol=1e-6)


def test_lengths_beyond_window_are_distinguished_from_short_ones():
    spec = CharCNNSpec(max_len=8, channels=8, hidden=8, embed_dim=4)
    model = CharCNN(spec, 3).eval()
    ids, lengths = encode_bytes(["abcdefgh", "abcdefghijkl"], 8)
    assert (ids[0] == ids[1]).all()  # the window sees the same bytes
    out = model(torch.from_numpy(ids), torch.from_numpy(lengths))
    assert not torch.allclose(out[0], out[1])  # but the length feature tells them apart


def test_output_does_not_depend_on_padding_width():
    # inference cuts each batch to its longest value; that is only sound if padding never leaks in
    spec = CharCNNSpec(max_len=32, channels=8, hidden=8, embed_dim=4)
    model = CharCNN(spec, 3).eval()
    values = ["a", "abc", "2024-01-15", "é漢字"]
    wide, lengths = encode_bytes(values, 32)
    narrow, _ = encode_bytes(values, 32, trim=True)
    assert narrow.shape[1] == max(len(v.encode()) for v in values) < 32
    with torch.no_grad():
        a = model(torch.from_numpy(wide), torch.from_numpy(lengths))
        b = model(torch.from_numpy(narrow), torch.from_numpy(lengths))
    assert torch.allclose(a, b, atol=1e-6)


def test_convolution_as_matmul_equals_torch_conv1d():
    torch.manual_seed(0)
    for k in (1, 3, 5):
        conv = torch.nn.Conv1d(6, 4, k, padding=k // 2)
        x = torch.randn(3, 9, 6)
        expected = conv(x.transpose(1, 2)).transpose(1, 2)
        assert torch.allclose(conv_as_matmul(x, conv), expected, atol=1e-5)


def test_even_kernel_sizes_are_rejected():
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="odd"):
        CharCNNSpec(kernel_size=4)


def test_serving_form_computes_the_same_function_at_any_width():
    torch.manual_seed(1)
    values = ["", "a", "192.168.1.1", "2024-01-15T10:30:00Z", "é漢字", "x" * 40]
    for k1, k2 in ((5, 3), (1, 1), (7, 5)):
        spec = CharCNNSpec(max_len=32, channels=8, hidden=8, embed_dim=4, kernel_size=k1, kernel_size2=k2)
        model = CharCNN(spec, 4).eval()
        serving = model.serving_module()
        assert not serving.training
        for trim in (False, True):
            ids, lengths = encode_bytes(values, 32, trim=trim)
            with torch.no_grad():
                expected = model(torch.from_numpy(ids), torch.from_numpy(lengths))
                got = serving(torch.from_numpy(ids), torch.from_numpy(lengths))
            assert torch.allclose(got, expected, atol=1e-5), (k1, k2, trim)
