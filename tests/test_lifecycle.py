"""The shared lifecycle, through the library (the CLI tests cover the same through a subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tinylab.errors import SpecError
from tinylab.lifecycle import evaluate_run, train_run
from tinylab.predict import Predictor

TINY = ["data.labels=['technology.internet.ip_v4', 'identity.person.email', 'technology.cryptographic.uuid']",
        "data.train_per_label=30", "data.val_per_label=10", "data.test_per_label=10", "train.epochs=2",
        "model.channels=16", "model.hidden=16", "train.batch_size=32", "train.keep_checkpoints=1"]


def test_train_then_evaluate_from_artifacts(tmp_path: Path):
    out = train_run("semantic-types", overrides=TINY, runs_dir=tmp_path)
    assert out.run.parent == tmp_path / "semantic-types"
    assert [p.name for p in (out.run / "checkpoints").iterdir()] == ["epoch-002.safetensors"]
    again = evaluate_run(str(out.run))
    assert again.metrics["accuracy"] == out.metrics["accuracy"]
    meta = json.loads((out.run / "meta.json").read_text())
    assert meta["data"]["test_size"] == 30 and "test_in_train" in meta["data"]
    # the run predicts with onnxruntime; torch, on the same weights, gives the same probabilities
    fast, slow = Predictor.from_run(out.run), Predictor.from_run(out.run, runtime="torch")
    assert (fast.runtime, slow.runtime) == ("onnxruntime", "torch")
    values = ["10.0.0.1", "a@b.co", "123e4567-e89b-12d3-a456-426614174000", "", "x" * 200, "östra"]
    np.testing.assert_allclose(fast.predict_proba(values), slow.predict_proba(values), atol=1e-5)


def test_predictions_come_back_in_input_order_whatever_the_lengths(tmp_path: Path):
    out = train_run("semantic-types", overrides=TINY, runs_dir=tmp_path)
    p = Predictor.from_run(out.run)
    values = ["a@b.co", "10.0.0.1", "x" * 70, "1.2.3.4", "someone@example.org"]
    together = p.predict_proba(values)
    alone = np.vstack([p.predict_proba([v]) for v in values])  # batches sort by length internally
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_failed_spec_leaves_no_run(tmp_path: Path):
    with pytest.raises(SpecError):
        train_run("semantic-types", overrides=[*TINY, "data.labels=['no.such.label']"], runs_dir=tmp_path)
    assert not any(tmp_path.rglob("manifest.json"))
    assert not any(p.name.startswith(".tmp-") for p in tmp_path.rglob("*"))


def test_an_int8_run_serves_the_quantized_model_and_its_metrics_are_the_quantized_ones(tmp_path: Path):
    import onnx

    out = train_run("semantic-types", overrides=[*TINY, "export.int8=true", "export.min_agreement=0"],
                    runs_dir=tmp_path)
    meta = json.loads((out.run / "meta.json").read_text())
    assert meta["onnx"].startswith("int8 (static, calibrated on 30 validation items): top-1 agreement")
    ops = {node.op_type for node in onnx.load(str(out.run / "model.onnx")).graph.node}
    assert "QLinearConv" in ops and "Conv" not in ops
    assert not list(out.run.glob("*.tmp"))
    assert evaluate_run(str(out.run)).metrics["accuracy"] == out.metrics["accuracy"]  # eval runs the int8 model


def test_the_float_model_serves_when_int8_disagrees_too_often(tmp_path: Path):
    import onnx

    from tinylab.lifecycle import serving_onnx
    from tinylab.spec import resolve
    from tinylab.tasks import get_task

    task = get_task("semantic-types")
    spec = resolve(task.spec_class, task.default_spec(), None, [*TINY, "export.int8=true"])
    model = task.build_model(spec, 3).eval()
    val = task.load_split(spec, "val")
    onnx_model, note = serving_onnx(task, spec, model, val, tmp_path / "model.onnx", min_agreement=1.01)
    assert onnx_model is not None and "int8 not used: top-1 agreement with the float model" in note
    assert "< 1.01" in note
    ops = {node.op_type for node in onnx.load(str(tmp_path / "model.onnx")).graph.node}
    assert "Conv" in ops and "QLinearConv" not in ops
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.onnx"]  # no quantized leftover


def test_int8_is_refused_for_a_task_that_is_not_single_label(tmp_path: Path):
    with pytest.raises(SpecError, match=r"export\.int8 is for single-label tasks"):
        train_run("word-rarity", overrides=["export.int8=true"], runs_dir=tmp_path)
    assert not (tmp_path / "word-rarity").exists() or not any((tmp_path / "word-rarity").iterdir())
