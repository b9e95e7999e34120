"""The lifecycle every task shares: spec -> data -> train -> evaluate -> report -> run directory.

Nothing here knows about a particular task; the task supplies data, labels, model and extra evaluation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import save_file

import tinylab
from tinylab import train as training
from tinylab.data import overlap_by_group, overlap_count
from tinylab.diagnose import diagnose
from tinylab.errors import SpecError, TinylabError
from tinylab.export import OnnxModel, export_checked, quantize_int8
from tinylab.metrics import (
    binary_evaluation,
    check_targets,
    multilabel_evaluation,
    regression_evaluation,
    single_label_metrics,
    tune_thresholds,
)
from tinylab.predict import Predictor, resolve_run
from tinylab.report import render_html, render_markdown
from tinylab.runs import RunWriter, require_verified, rewrite_verified
from tinylab.spec import BaseSpec, resolve, to_toml
from tinylab.tasks import get_task
from tinylab.tasks.base import Dataset, ProgressFactory, ReportSection, Task
from tinylab.train import BatchProgress


@dataclass
class Outcome:
    """What ``train`` and ``eval`` return (and print with ``--json``)."""

    run: Path
    metrics: dict[str, Any]
    targets: dict[str, dict[str, Any]]
    extra: dict[str, Any] = field(default_factory=dict)

    def headline(self) -> dict[str, Any]:
        """Scalar metrics only (no per-class tables)."""
        return {k: v for k, v in self.metrics.items() if isinstance(v, int | float) and not isinstance(v, bool)}

    def as_json(self) -> dict[str, Any]:
        return {"run": str(self.run), "metrics": self.headline(), "targets": self.targets}


def resolve_spec(task: Task, spec_file: Path | None, overrides: list[str] | None) -> BaseSpec:
    return resolve(task.spec_class, task.default_spec(), spec_file, overrides)


def _groups(kind: str, targets: np.ndarray, labels: list[str]) -> list[str]:
    """A group name per item for the leakage table: its class, its first positive label, or one group."""
    if kind == "single_label":
        return [labels[i] for i in targets]
    if kind in ("multi_label", "binary"):
        t = np.asarray(targets).reshape(len(targets), -1).astype(bool)
        return [labels[int(np.argmax(row))] if row.any() else "(no label)" for row in t]
    return ["all"] * len(targets)


def _data_summary(kind: str, train: Dataset, val: Dataset, test: Dataset, labels: list[str]) -> dict[str, Any]:
    by_label = overlap_by_group(train.inputs, test.inputs, _groups(kind, test.targets, labels))
    if kind == "single_label":
        counts = np.bincount(train.targets, minlength=len(labels))
    elif kind in ("multi_label", "binary"):  # positives per label
        counts = np.asarray(train.targets).reshape(len(train), -1).sum(axis=0).astype(int)
    else:
        counts = np.array([len(train)])
    return {
        "splits": {name: {"source": ds.source, "size": len(ds)} for name, ds in
                   (("train", train), ("val", val), ("test", test))},
        "test_size": len(test),
        "val_size": len(val),
        "test_in_train": sum(by_label.values()),
        "val_in_train": overlap_count(train.inputs, val.inputs),
        "test_in_train_by_label": dict(by_label.most_common()),
        "test_in_train_top": [lab for lab, _ in by_label.most_common(10)],
        "train_per_class": {lab: int(counts[i]) for i, lab in enumerate(labels)},
    }


# the metric each kind's train/test gap is measured on
HEADLINE_BY_KIND = {"single_label": "accuracy", "multi_label": "macro_f1", "binary": "pr_auc",
                    "regression": "spearman"}


def kind_metrics(kind: str, y_true: np.ndarray, scores: np.ndarray, labels: list[str], meta: dict[str, Any],
                 seed: int = 0, n_boot: int = 1000) -> dict[str, Any]:
    """The metrics of a task kind on one split, at the thresholds stored in ``meta`` (multi-label, binary)."""
    if kind == "single_label":
        return single_label_metrics(y_true, scores, labels, seed=seed, n_boot=n_boot)
    th = meta["thresholds"] if kind in ("multi_label", "binary") else {}
    per_label = [float(th["per_label"][lab]) for lab in labels] if th else []
    if kind == "multi_label":
        return multilabel_evaluation(y_true, scores, labels, {"global": th["global"], "per_label": per_label},
                                     n_boot=n_boot, seed=seed)
    if kind == "binary":
        return binary_evaluation(y_true, scores[:, 0], per_label[0], labels[0], n_boot=n_boot, seed=seed)
    return regression_evaluation(y_true, scores[:, 0], n_boot=n_boot, seed=seed)


def evaluate(task: Task, spec: BaseSpec, predictor: Predictor, test: Dataset
             ) -> tuple[dict[str, Any], list[ReportSection], np.ndarray]:
    proba = predictor.predict_proba(test.inputs)
    metrics = kind_metrics(predictor.kind, test.targets, proba, predictor.labels, predictor.meta, seed=spec.train.seed)
    thresholds = predictor.thresholds() if predictor.kind in ("multi_label", "binary") else None
    extra, sections = task.extra_evaluation(spec, predictor.labels, test.targets, proba, thresholds)
    metrics.update(extra)
    return metrics, sections, proba


def tune_on_validation(kind: str, y_val: np.ndarray, val_scores: np.ndarray, labels: list[str]) -> dict[str, Any]:
    """Decision thresholds of a multi-label or binary model, tuned on the validation split (never on test)."""
    y = np.asarray(y_val).reshape(len(y_val), -1)
    tuned = tune_thresholds(y, val_scores)
    return {"global": tuned["global"], "per_label": dict(zip(labels, tuned["per_label"], strict=True)),
            "objective": tuned["objective"], "tuned_on": "validation",
            "untuned_labels": [labels[j] for j in tuned["untuned"]]}


def make_plots(kind: str, history: list[dict[str, Any]], metrics: dict[str, Any], y_true: np.ndarray,
               proba: np.ndarray, labels: list[str], val: tuple[np.ndarray, np.ndarray] | None = None,
               ) -> list[tuple[str, str, bytes]]:
    """(file name, caption, PNG) of every plot of a run; also sets ``calibration_ece`` for classifiers.
    ``val``: (targets, scores) of the validation split, drawn beside test in threshold curves."""
    from tinylab.metrics import confusion_matrix
    from tinylab.report import plots

    out = []
    if history:
        out.append(("learning_curves.png", "Learning curves (train and validation)", plots.learning_curves(history)))
    if kind == "regression":
        out.append(("scatter.png", "Predicted vs true (test split)", plots.regression_scatter(y_true, proba[:, 0])))
        return out
    out.append(("per_class_f1.png", "Per-class F1, lowest classes", plots.per_class_f1(metrics["per_class"])))
    if kind == "single_label":
        pred = proba.argmax(axis=1)
        cm = confusion_matrix(y_true, pred, len(labels))
        out.append(("confusion.png", "Confusion among the most confused classes",
                    plots.confusion_heatmap(cm, labels)))
        png, ece = plots.reliability(proba.max(axis=1), (pred == y_true).astype(float))
        metrics["calibration_ece"] = ece
        out.append(("reliability.png", f"Reliability diagram of top-1 confidence (ECE {ece:.3f})", png))
        return out
    y = np.asarray(y_true).reshape(len(y_true), -1)
    chosen = {lab: metrics["per_class"][lab]["threshold"] for lab in labels}
    out.append(("thresholds.png", "F1 against the decision threshold, per label (test solid, validation dashed; "
                "dots: the thresholds tuned on validation)",
                plots.threshold_curves(y, proba, labels, chosen, val)))
    png, ece = plots.reliability(proba.ravel(), y.ravel().astype(float),
                                 xlabel="predicted probability (every label of every item)")
    metrics["calibration_ece"] = ece
    out.append(("reliability.png", f"Reliability diagram of the per-label probabilities (ECE {ece:.3f})", png))
    return out


def serving_onnx(task: Task, spec: BaseSpec, model: torch.nn.Module, val: Dataset, path: Path,
                 min_agreement: float | None = None) -> tuple[OnnxModel | None, str]:
    """Write a run's ``model.onnx`` to ``path`` and return it loaded, with a one-line note for meta.json.

    The float export must reproduce torch's logits on 2,048 validation items (``export_checked``). With
    ``export.int8`` it is then quantized (calibrated on ``export.calibration_values`` validation items) and
    the int8 model replaces it only if its top-1 label agrees with the float model's on at least
    ``export.min_agreement`` of the whole validation split; otherwise the float model stays and the note
    says why."""
    onnx, note = export_checked(model, task.encode(spec, val.inputs[:2048]), path)
    if onnx is None or not spec.export.int8:
        return onnx, note
    need = spec.export.min_agreement if min_agreement is None else min_agreement
    lengths = np.fromiter(map(len, val.inputs), dtype=np.int64, count=len(val))

    def encoded_chunks(items: np.ndarray) -> list[tuple[np.ndarray, ...]]:
        """``items`` sorted by length and encoded in chunks, as prediction runs them."""
        items = items[np.argsort(lengths[items], kind="stable")]
        step = Predictor.chunk
        return [task.encode(spec, [val.inputs[i] for i in items[s:s + step]]) for s in range(0, len(items), step)]

    chunks = encoded_chunks(np.arange(len(val)))
    pick = np.random.default_rng(spec.train.seed).permutation(len(val))[:spec.export.calibration_values]
    calibration = encoded_chunks(pick)
    int8_path = path.with_name(path.stem + ".int8.tmp")
    try:
        quantize_int8(path, int8_path, calibration)
        int8 = OnnxModel(int8_path)
        agree = float(np.mean(np.concatenate([(onnx(*c).argmax(1) == int8(*c).argmax(1)) for c in chunks])))
        if agree < need:
            return onnx, (f"{note}; int8 not used: top-1 agreement with the float model {agree:.4f} on "
                          f"{len(val)} validation items < {need:g}")
        int8_path.replace(path)
    finally:
        int8_path.unlink(missing_ok=True)
    return OnnxModel(path), (f"int8 (static, calibrated on {len(pick)} validation items): top-1 agreement with "
                             f"the float model {agree:.4f} on {len(val)} validation items; float export: {note}")


def train_run(task_name: str, spec_file: Path | None = None, overrides: list[str] | None = None,
              runs_dir: Path = Path("runs"), progress: ProgressFactory | None = None,
              batch_progress: BatchProgress | None = None) -> Outcome:
    task = get_task(task_name)
    spec = resolve_spec(task, spec_file, overrides)
    training.set_threads(spec.train.threads)
    labels = task.label_names(spec)
    kind = task.kind
    n_outputs = 1 if kind == "regression" else len(labels)
    torch.manual_seed(spec.train.seed)
    model = task.build_model(spec, n_outputs)
    if spec.train.length_bands:  # refuse before generating or loading any data
        training.require_padding_invariant(model)
    if spec.export.int8 and kind != "single_label":
        raise SpecError(f"export.int8 is for single-label tasks (top-1 agreement with the float model decides "
                        f"whether it serves); {task.name} is {kind}")
    train = task.load_split(spec, "train", progress)
    val = task.load_split(spec, "val", progress)
    test = task.load_split(spec, "test", progress)
    data = _data_summary(kind, train, val, test, labels)
    writer = RunWriter(runs_dir, task.name)
    try:
        writer.write_text("spec.toml", to_toml(spec))
        log = writer.path("train_log.jsonl").open("w", encoding="utf-8")
        kept: list[Path] = []

        def on_epoch(epoch: int, record: dict[str, Any], state: dict[str, torch.Tensor]) -> None:
            log.write(json.dumps(record) + "\n")
            log.flush()
            ck = writer.path(f"checkpoints/epoch-{epoch:03d}.safetensors")
            save_file({k: v.contiguous() for k, v in state.items()}, str(ck), metadata={"epoch": str(epoch)})
            kept.append(ck)
            while len(kept) > spec.train.keep_checkpoints:
                kept.pop(0).unlink()

        result = training.fit(model, task.encode(spec, train.inputs), train.targets,
                              task.encode(spec, val.inputs), val.targets, spec.train, len(labels),
                              on_epoch=on_epoch, batch_progress=batch_progress, kind=kind)
        log.close()
        save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(writer.path("model.safetensors")))
        onnx, onnx_note = serving_onnx(task, spec, model, val, writer.path("model.onnx"))
        meta: dict[str, Any] = {
            "task": task.name, "kind": task.kind, "labels": labels, "run_id": writer.run_id,
            "model": spec.model.name if hasattr(spec, "model") else "?",  # type: ignore[attr-defined]
            "n_params": int(sum(p.numel() for p in model.parameters())),
            "best_epoch": result.best_epoch, "epochs_run": len(result.history), "stopped_early": result.stopped_early,
            "train_seconds": result.seconds, "threads": torch.get_num_threads(),
            "tinylab_version": tinylab.__version__, "torch_version": torch.__version__,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "runtime": "onnxruntime" if onnx is not None else "torch", "onnx": onnx_note,
        }
        # evaluate with the runtime the saved run will predict with, so `tinylab eval` reproduces these figures
        predictor = Predictor(task, spec, labels, model, meta, onnx=onnx)
        val_scores = predictor.predict_proba(val.inputs)
        if kind in ("multi_label", "binary"):
            meta["thresholds"] = tune_on_validation(kind, val.targets, val_scores, labels)
        sub = np.random.default_rng(spec.train.seed).permutation(len(train))[:10_000]
        sub_scores = predictor.predict_proba([train.inputs[i] for i in sub])
        headline = HEADLINE_BY_KIND[kind]
        data["train_headline"] = {"metric": headline, "value": kind_metrics(
            kind, train.targets[sub], sub_scores, labels, meta, n_boot=0)[headline]}
        if kind == "single_label":
            data["train_accuracy"] = data["train_headline"]["value"]
        metrics, sections, proba = evaluate(task, spec, predictor, test)
        figures = make_plots(kind, result.history, metrics, test.targets, proba, labels,
                             val=(np.asarray(val.targets), val_scores))
        for name, _, png in figures:
            writer.path(f"plots/{name}").write_bytes(png)
        targets = check_targets(metrics, spec.targets)
        meta["data"] = {k: v for k, v in data.items() if k != "train_per_class"}
        writer.write_json("meta.json", meta)
        writer.write_json("metrics.json", {**metrics, "targets": targets})
        findings = diagnose(metrics, targets, result.history, data)
        report_md = render_markdown(
            task=task.name, run_id=writer.run_id, metrics=metrics, targets=targets, findings=findings, data=data,
            history=result.history, sections=sections, spec_toml=to_toml(spec), meta=meta)
        writer.write_text("report.md", report_md)
        writer.write_text("report.html", render_html(f"{task.name} — run {writer.run_id}", report_md,
                                                     [(cap, png) for _, cap, png in figures]))
        final = writer.commit()
    except BaseException:
        writer.abort()
        raise
    return Outcome(final, metrics, targets)


def evaluate_run(run_or_task: str, progress: ProgressFactory | None = None) -> Outcome:
    """Re-evaluate a saved run (or a task's shipped model) from its artifacts alone: the saved spec
    regenerates the test split, the saved weights predict it."""
    run_dir = resolve_run(run_or_task)
    require_verified(run_dir)
    predictor = Predictor.from_run(run_dir)
    task, spec = predictor.task, predictor.spec
    test = task.load_split(spec, "test", progress)
    metrics, _, _ = evaluate(task, spec, predictor, test)
    return Outcome(run_dir, metrics, check_targets(metrics, spec.targets))


def reexport_run(run_or_task: str, progress: ProgressFactory | None = None) -> tuple[Path, str]:
    """Export a saved run's ``model.onnx`` again from its weights with this version's exporter, held to the
    same checks as training (``serving_onnx``), and record the new note in meta.json. The weights are not
    touched; the run is rewritten through ``rewrite_verified``,
    so a failed export leaves it as it was. Returns the run directory and the parity note."""
    run_dir = resolve_run(run_or_task)
    predictor = Predictor.from_run(run_dir, runtime="torch")
    task, spec = predictor.task, predictor.spec
    val = task.load_split(spec, "val", progress)
    notes: list[str] = []

    def edit(tmp: Path) -> None:
        onnx, note = serving_onnx(task, spec, predictor.model, val, tmp / "model.onnx")
        if onnx is None:
            raise TinylabError(f"{run_dir}: ONNX {note}; the run is unchanged")
        meta = json.loads((tmp / "meta.json").read_text(encoding="utf-8"))
        meta.update(runtime="onnxruntime", onnx=note)
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        notes.append(note)

    rewrite_verified(run_dir, edit)
    return run_dir, notes[0]
