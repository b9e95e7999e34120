"""Export a trained model to ONNX and run it with onnxruntime: the shipped fast path for inference.

Torch trains; onnxruntime serves. ``OnnxModel`` takes the same numpy arrays as the torch model's forward
and returns the same logits (a parity test holds them to 1e-4), with the batch and sequence axes dynamic.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn

from tinylab.onnx_runtime import OnnxModel

__all__ = ["OnnxModel", "export_checked", "export_onnx", "quantize_int8", "quantize_int8_dynamic"]


def export_onnx(model: nn.Module, example: Sequence[np.ndarray], path: Path, serving: bool = True) -> Path:
    """Write ``model`` as ONNX to ``path``. ``example`` is one encoded batch (the arrays forward takes);
    the first axis of every input, and the second of 2-D inputs, are dynamic. A model with a
    ``serving_module()`` (the same function in a form onnxruntime runs faster) is exported in that form
    unless ``serving`` is false."""
    model.eval()
    net: nn.Module = model.serving_module() if serving and hasattr(model, "serving_module") else model
    # eval mode on what is exported: the exporter restores the exported module's mode afterwards, and a
    # wrapper left in training mode would switch the wrapped model's dropout back on
    net.eval()
    tensors = tuple(torch.from_numpy(np.ascontiguousarray(a)) for a in example)
    names = [f"input{i}" for i in range(len(tensors))]
    axes: dict[str, dict[int, str]] = {}
    for name, t in zip(names, tensors, strict=True):
        axes[name] = {0: "batch"} if t.dim() == 1 else {0: "batch", 1: "width"}
    axes["logits"] = {0: "batch"}
    path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's constant-folding chatter
        torch.onnx.export(net, tensors, str(path), input_names=names, output_names=["logits"],
                          dynamic_axes=axes, opset_version=17, dynamo=False)
    return path


def export_checked(model: nn.Module, example: Sequence[np.ndarray], path: Path, tolerance: float = 1e-3,
                   serving: tuple[nn.Module, Sequence[np.ndarray]] | None = None) -> tuple[OnnxModel | None, str]:
    """Export ``model`` to ``path`` and check that onnxruntime reproduces torch's logits on ``example``.

    ``serving``: the module to export instead and its inputs for the same items, when what is served reads
    other inputs than what was trained (a sentence head exported with its frozen encoder reads token ids, the
    trained head an embedding): the exported module, run by onnxruntime on those inputs, is then held to
    ``model`` on ``example``.

    Returns the loaded ONNX model and a one-line note. A model that cannot be exported, or whose exported
    logits differ from torch's by more than ``tolerance``, keeps no ONNX file: the run then predicts with
    torch, and the note (saved in meta.json) says why."""
    try:
        if serving is None:
            export_onnx(model, example, path)
        else:
            model.eval()
            export_onnx(serving[0], serving[1], path)
        onnx = OnnxModel(path)
    except Exception as e:  # an exporter limitation must not cost the trained weights
        path.unlink(missing_ok=True)
        return None, f"not exported: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
    with torch.no_grad():
        expected = model(*(torch.from_numpy(np.ascontiguousarray(a)) for a in example)).float().numpy()
    served = onnx(*(example if serving is None else serving[1]))
    diff = float(np.abs(served - expected).max()) if len(expected) else 0.0
    if not diff <= tolerance:
        path.unlink(missing_ok=True)
        return None, f"not used: onnxruntime logits differ from torch by {diff:.2e} (> {tolerance:g})"
    return onnx, f"onnxruntime parity with torch on {len(expected)} validation items: max |diff| {diff:.2e}"


def quantize_int8(src: Path, dst: Path, calibration: Sequence[Sequence[np.ndarray]]) -> Path:
    """Write ``src`` (a float ONNX model) to ``dst`` with int8 weights and uint8 activations (onnxruntime's
    static quantization of its convolutions and matrix products, QOperator format), the activation ranges
    calibrated by running ``calibration`` (encoded batches, the arrays forward takes) through it."""
    import tempfile

    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    names = [name for name, _ in OnnxModel(src, threads=1).input_types]
    with tempfile.TemporaryDirectory() as tmp:

        class Batches(CalibrationDataReader):
            def __init__(self) -> None:
                self.batches = iter(calibration)

            def get_next(self) -> dict[str, np.ndarray] | None:
                arrays = next(self.batches, None)
                return None if arrays is None else dict(zip(names, arrays, strict=True))

        prepared = Path(tmp) / "prepared.onnx"
        quant_pre_process(str(src), str(prepared))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            quantize_static(str(prepared), str(dst), Batches(), quant_format=QuantFormat.QOperator,
                            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                            op_types_to_quantize=["Conv", "Gemm", "MatMul"])
    return dst


def quantize_int8_dynamic(src: Path, dst: Path) -> Path:
    """Write ``src`` (a float ONNX model) to ``dst`` with int8 weights (per output channel) for its products with
    a weight matrix and its embedding lookups, the activations quantized as it runs (onnxruntime's dynamic
    quantization: no calibration). For transformer encoders, whose activation ranges vary too much from text
    to text for fixed ranges."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # its advice to pre-process goes to the root logger; shape inference fails here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8,
                             op_types_to_quantize=["MatMul", "Gather"], per_channel=True,
                             extra_options={"MatMulConstBOnly": True})
        finally:
            root.setLevel(level)
    return dst
