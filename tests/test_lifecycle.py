"""The shared lifecycle, through the library (the CLI tests cover the same through a subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tinylab.errors import SpecError
from tinylab.lifecycle import evaluate_run, train_run
from tinylab.predict import Predictor

from conftest import record_splits

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
    with pytest.raises(SpecError, match=r"export\.int8 is for kinds whose answers"):
        train_run("word-rarity", overrides=["export.int8=true"], runs_dir=tmp_path)
    assert not (tmp_path / "word-rarity").exists() or not any((tmp_path / "word-rarity").iterdir())


def test_fit_returns_the_best_validation_score_and_never_reads_test(tmp_path: Path, monkeypatch):
    from tinylab.lifecycle import clear_split_cache, finalize, fit
    from tinylab.tasks import get_task

    clear_split_cache()
    task = get_task("semantic-types")
    asked = record_splits(task, monkeypatch)
    result = fit(task, overrides=[*TINY, "train.epochs=3", "train.patience=3"])
    assert asked == ["train", "val"]
    assert result.score_name == "val_accuracy" and len(result.history) == 3
    assert result.best_score == max(h["val_accuracy"] for h in result.history)
    assert result.history[result.best_epoch - 1]["val_accuracy"] == result.best_score
    out = finalize(result, tmp_path)
    assert asked == ["train", "val", "test"]
    assert len((out.run / "train_log.jsonl").read_text().splitlines()) == 3
    meta = json.loads((out.run / "meta.json").read_text())
    assert meta["validation"] == {"metric": "val_accuracy", "best": result.best_score}
    assert evaluate_run(str(out.run)).metrics["accuracy"] == out.metrics["accuracy"]


def test_a_callback_can_stop_a_fit_and_see_every_epoch():
    from tinylab.lifecycle import fit

    seen: list[int] = []

    def prune_after_two(epoch: int, record: dict, state: dict) -> bool:
        seen.append(epoch)
        assert "val_loss" in record and "val_accuracy" in record and state
        return epoch == 2

    result = fit("semantic-types", overrides=[*TINY, "train.epochs=6", "train.patience=6"], callbacks=prune_after_two)
    assert seen == [1, 2] and len(result.history) == 2 and result.best_epoch in (1, 2)


def test_a_callback_that_raises_aborts_the_fit():
    from tinylab.lifecycle import fit

    class Pruned(Exception):
        pass

    def prune(epoch: int, record: dict, state: dict) -> None:
        raise Pruned

    with pytest.raises(Pruned):
        fit("semantic-types", overrides=TINY, callbacks=[prune])


def test_splits_are_cached_by_their_data_spec():
    from tinylab.lifecycle import clear_split_cache, load_split, resolve_spec
    from tinylab.tasks import get_task

    clear_split_cache()
    task = get_task("semantic-types")
    spec = resolve_spec(task, None, TINY)
    first = load_split(task, spec, "val")
    # training settings do not change the data: the same split object comes back
    assert load_split(task, resolve_spec(task, None, [*TINY, "train.epochs=9", "model.channels=8"]), "val") is first
    other = load_split(task, resolve_spec(task, None, [*TINY, "data.val_seed=8"]), "val")
    assert other is not first and other.inputs != first.inputs
    assert load_split(task, spec, "test") is not first


def test_seeds_and_threads_hold_for_one_fit_only():
    import torch

    from tinylab.lifecycle import fit

    torch.manual_seed(1234)
    rng_before, threads_before = torch.get_rng_state(), torch.get_num_threads()
    a = fit("semantic-types", overrides=[*TINY, "train.threads=1"])
    assert torch.equal(torch.get_rng_state(), rng_before) and torch.get_num_threads() == threads_before
    assert a.threads == 1
    b = fit("semantic-types", overrides=[*TINY, "train.threads=1"])  # the same seed gives the same model
    for (ka, va), (kb, vb) in zip(a.model.state_dict().items(), b.model.state_dict().items(), strict=True):
        assert ka == kb and torch.equal(va, vb)
