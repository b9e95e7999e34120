"""A small 2-D CNN for single-channel images (detector images, spectrograms): ``conv_layers`` blocks of a
'same' convolution, ReLU and a 2 x 2 max-pool, then the maximum and the mean of each filter over the whole
image, then ``dense_layers`` dense layers (ReLU and dropout between them).

images (n, H, W) -> [conv k x k -> ReLU -> max-pool 2 x 2] x conv_layers -> [global max, global mean]
                 -> dense ... -> n_outputs

The global pooling makes the model independent of the image size (any H, W; a pool halves a side, rounding
up), so the same weights run on a cropped or downsampled image, and the ONNX export needs no fixed shape.
The mean keeps the image's total charge within reach of the dense layers, the maximum its brightest
feature.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from tinylab.models.specs import ImageCNNSpec

__all__ = ["ImageCNN", "ImageCNNSpec"]


class ImageCNN(nn.Module):
    def __init__(self, spec: ImageCNNSpec, n_outputs: int) -> None:
        super().__init__()
        c, k = spec.filters, spec.kernel_size
        self.convs = nn.ModuleList(nn.Conv2d(1 if i == 0 else c, c, k, padding=k // 2)
                                   for i in range(spec.conv_layers))
        layers: list[nn.Module] = []
        width = 2 * c
        for _ in range(spec.dense_layers - 1):
            layers += [nn.Linear(width, spec.units), nn.ReLU(), nn.Dropout(spec.dropout)]
            width = spec.units
        layers.append(nn.Linear(width, n_outputs))
        self.head = nn.Sequential(*layers)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        h = images.unsqueeze(1)
        for conv in self.convs:
            h = F.max_pool2d(torch.relu(conv(h)), 2, ceil_mode=True)
        feats = torch.cat([h.amax(dim=(2, 3)), h.mean(dim=(2, 3))], dim=1)
        return self.head(feats)
