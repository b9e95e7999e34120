from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from pydantic import ValidationError

from tinylab import models
from tinylab.export import export_checked
from tinylab.models.image_cnn import ImageCNN, ImageCNNSpec


def test_built_by_name_from_the_registry():
    model = models.build(ImageCNNSpec(conv_layers=2, filters=4, units=8), 3)
    assert isinstance(model, ImageCNN)
    assert models.ImageCNNSpec is ImageCNNSpec


def test_forward_shape_at_any_image_size_and_batch_independence():
    torch.manual_seed(0)
    model = ImageCNN(ImageCNNSpec(conv_layers=3, filters=6, kernel_size=5, dense_layers=3, units=8), 2).eval()
    for shape in ((64, 16), (128, 32), (7, 3), (1, 1)):
        x = torch.randn(4, *shape)
        out = model(x)
        assert out.shape == (4, 2)
        # an image gets the same output alone as in a batch
        assert torch.allclose(model(x[1:2]), out[1:2], atol=1e-6)


def test_layers_follow_the_spec():
    model = ImageCNN(ImageCNNSpec(conv_layers=4, filters=12, kernel_size=3, dense_layers=3, units=20), 1)
    assert len(model.convs) == 4 and all(c.out_channels == 12 and c.kernel_size == (3, 3) for c in model.convs)
    linears = [m for m in model.head if isinstance(m, torch.nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linears] == [(24, 20), (20, 20), (20, 1)]


def test_even_kernel_sizes_are_rejected():
    with pytest.raises(ValidationError, match="odd"):
        ImageCNNSpec(kernel_size=4)


def test_exports_to_onnx_with_parity(tmp_path: Path):
    torch.manual_seed(1)
    model = ImageCNN(ImageCNNSpec(conv_layers=3, filters=8, units=16), 1).eval()
    example = (np.random.default_rng(0).normal(size=(32, 64, 16)).astype(np.float32),)
    onnx, note = export_checked(model, example, tmp_path / "model.onnx")
    assert onnx is not None, note
    other = np.random.default_rng(1).normal(size=(5, 64, 16)).astype(np.float32)  # another batch size
    with torch.no_grad():
        expected = model(torch.from_numpy(other)).numpy()
    assert np.abs(onnx(other) - expected).max() < 1e-4
