from __future__ import annotations

import torch

from tinylab.data import encode_bytes
from tinylab.models.char_cnn import CharCNN, CharCNNSpec


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
