"""The lifecycle every task shares, in two steps:

- :func:`fit`: spec -> data -> model. Trains on the train split, early-stops on validation, and returns the
  best validation score with the history; it takes per-epoch callbacks (a tuner prunes with them) and never
  reads the test split.
- :func:`finalize`: export, evaluate on test once, report, and write the verified run directory.

:func:`train_run` is both (what ``tinylab train`` runs). Splits are cached by the content of their data spec,
so a tuner's trials share one generation. Nothing here knows a particular task or kind: the task supplies
data, labels, model and extra evaluation; its kind (:mod:`tinylab.kinds`) supplies loss, scores, metrics,
plots, report sections and calibration.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

import tinylab
from tinylab.data import overlap_by_group, overlap_count
from tinylab.diagnose import diagnose
from tinylab.errors import SpecError, TinylabError
from tinylab.items import keys_of, sizes_of
from tinylab.kinds import Kind
from tinylab.metrics import check_targets
from tinylab.predict import Predictor, resolve_run
from tinylab.report import render_html, render_markdown
from tinylab.runs import RunWriter, require_verified, rewrite_verified
from tinylab.spec import BaseSpec, resolve, to_toml
from tinylab.tasks import get_task
from tinylab.tasks.base import Dataset, ProgressFactory, ReportSection, Split, Task, task_kind

if TYPE_CHECKING:
    import torch

    from tinylab.onnx_runtime import OnnxModel
    from tinylab.train import BatchProgress, EpochCallback, StateCallback, TrainingState


@dataclass
class Outcome:
    """What ``train`` and ``eval`` return (and print with ``--json``)."""

    run: Path
    metrics: dict[str, Any]
    targets: dict[str, dict[str, Any]]
    extra: dict[str, Any] = field(default_factory=dict)
    summary: tuple[str, ...] = ()  # the metrics worth a line each on the terminal, in order

    def headline(self) -> dict[str, Any]:
        """Scalar metrics only (no per-class tables)."""
        return {k: v for k, v in self.metrics.items() if isinstance(v, int | float) and not isinstance(v, bool)}

    def as_json(self) -> dict[str, Any]:
        return {"run": str(self.run), "metrics": self.headline(), "targets": self.targets}


def resolve_spec(task: Task, spec_file: Path | None, overrides: list[str] | None) -> BaseSpec:
    return resolve(task.spec_class, task.default_spec(), spec_file, overrides)


def summary_metrics(task: Task, spec: BaseSpec) -> tuple[str, ...]:
    """The kind's summary metrics, then the task's own (``report_metrics``)."""
    return (*task_kind(task, spec).summary_metrics, *getattr(task, "report_metrics", ()))


# ---- data ---------------------------------------------------------------------------------------

_SPLITS: OrderedDict[str, Dataset] = OrderedDict()
SPLIT_CACHE_SIZE = 6


def data_key(task: Task, spec: BaseSpec, split: Split) -> str:
    """What a split depends on, hashed: the task, the split, and every part of the spec that is not
    training, export, targets, model or tuning (the data section, and any task setting beside it)."""
    data = spec.model_dump(mode="json", exclude={"train", "export", "targets", "model", "tune"})
    text = json.dumps({"task": task.name, "split": split, "data": data}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def load_split(task: Task, spec: BaseSpec, split: Split, progress: ProgressFactory | None = None) -> Dataset:
    """The task's split, from the in-process cache when the same data spec asked for it before (a split
    is deterministic in its data spec). A dataset from the cache is shared: do not modify it."""
    key = data_key(task, spec, split)
    if key in _SPLITS:
        _SPLITS.move_to_end(key)
        return _SPLITS[key]
    ds = task.load_split(spec, split, progress)
    _SPLITS[key] = ds
    while len(_SPLITS) > SPLIT_CACHE_SIZE:
        _SPLITS.popitem(last=False)
    return ds


def clear_split_cache() -> None:
    _SPLITS.clear()


def take(targets: Any, idx: np.ndarray) -> Any:
    """``targets`` at the positions ``idx`` (an array, or a list of anything)."""
    if isinstance(targets, np.ndarray):
        return targets[idx]
    return [targets[i] for i in idx]


def _data_summary(task: Task, kind: Kind, train: Dataset, val: Dataset, test: Dataset,
                  labels: list[str]) -> dict[str, Any]:
    train_keys = keys_of(task, train.inputs)
    by_label = overlap_by_group(train_keys, keys_of(task, test.inputs), kind.groups(test.targets, labels))
    return {
        "splits": {name: {"source": ds.source, "size": len(ds)} for name, ds in
                   (("train", train), ("val", val), ("test", test))},
        "test_size": len(test),
        "val_size": len(val),
        "test_in_train": sum(by_label.values()),
        "val_in_train": overlap_count(train_keys, keys_of(task, val.inputs)),
        "test_in_train_by_label": dict(by_label.most_common()),
        "test_in_train_top": [lab for lab, _ in by_label.most_common(10)],
        "train_per_class": kind.label_counts(train.targets, labels),
    }


# ---- step 1: fit --------------------------------------------------------------------------------

@dataclass
class FitResult:
    """A trained model and what it was trained on; the input of :func:`finalize`."""

    task: Task
    spec: BaseSpec
    kind: Kind
    labels: list[str]
    model: torch.nn.Module
    train: Dataset
    val: Dataset
    history: list[dict[str, Any]]
    best_epoch: int
    best_score: float
    score_name: str
    stopped_early: bool
    seconds: float
    threads: int


def _task_and_spec(task: Task | str, spec: BaseSpec | None, overrides: list[str] | None) -> tuple[Task, BaseSpec]:
    task = get_task(task) if isinstance(task, str) else task
    if spec is None:
        return task, resolve_spec(task, None, overrides)
    if overrides:  # overrides on top of a given spec, validated again
        return task, resolve(task.spec_class, spec.model_dump(mode="json"), None, overrides)
    return task, spec


def fit(task: Task | str, spec: BaseSpec | None = None, *, overrides: list[str] | None = None,
        callbacks: EpochCallback | Sequence[EpochCallback] = (), progress: ProgressFactory | None = None,
        batch_progress: BatchProgress | None = None, checkpoint: StateCallback | None = None,
        resume: TrainingState | None = None) -> FitResult:
    """Train a model of ``task`` with ``spec`` (default: the task's default spec, with ``overrides``).

    Returns the model with its best validation epoch's weights, that epoch's validation score and the
    history. ``callbacks`` see every epoch (``(epoch, record, state_dict)``); one that returns True stops
    training, one that raises (``optuna.TrialPruned``) aborts it. Seeds and thread counts hold for this
    call only. The test split is not read."""
    from tinylab import train as training

    task, spec = _task_and_spec(task, spec, overrides)
    kind = task_kind(task, spec)
    labels = task.label_names(spec)
    threads = spec.train.threads
    with training.seeded(spec.train.seed, threads):
        import torch

        model = task.build_model(spec, kind.n_outputs(labels))
        threads = torch.get_num_threads()
    if spec.train.length_bands:  # refuse before generating or loading any data
        training.require_padding_invariant(model)
    if spec.export.int8 and not kind.supports_int8:
        raise SpecError(f"export.int8 is for kinds whose answers two models can agree on (single-label, "
                        f"multi-label, binary); {task.name} is {kind.name}")
    train = load_split(task, spec, "train", progress)
    val = load_split(task, spec, "val", progress)
    result = training.fit(model, task.encode(spec, train.inputs), train.targets, task.encode(spec, val.inputs),
                          val.targets, spec.train, labels, on_epoch=callbacks, batch_progress=batch_progress,
                          kind=kind, checkpoint=checkpoint, resume=resume)
    return FitResult(task, spec, kind, labels, model, train, val, result.history, result.best_epoch,
                     result.best_score, result.score_name, result.stopped_early, result.seconds, threads)


# ---- step 2: finalize ---------------------------------------------------------------------------

def evaluate(task: Task, spec: BaseSpec, predictor: Predictor, test: Dataset
             ) -> tuple[dict[str, Any], list[ReportSection], np.ndarray]:
    """Every metric of ``predictor`` on ``test``: the kind's, then the task's own."""
    kind = predictor.kind
    proba = predictor.predict_proba(test.inputs)
    metrics = kind.metrics(test.targets, proba, predictor.labels, predictor.meta, seed=spec.train.seed,
                           items=test.inputs)
    thresholds = kind.thresholds(predictor.meta, predictor.labels)
    extra, sections = task.extra_evaluation(spec, predictor.labels, test.targets, proba, thresholds)
    metrics.update(extra)
    probe = getattr(task, "probe_evaluation", None)
    if probe is not None:  # evaluations that ask the model about items of their own (a behavioural suite)
        more, more_sections = probe(spec, predictor)
        metrics.update(more)
        sections = [*sections, *more_sections]
    return metrics, sections, proba


def serving_onnx(task: Task, spec: BaseSpec, model: torch.nn.Module, val: Dataset, path: Path,
                 min_agreement: float | None = None) -> tuple[OnnxModel | None, str]:
    """Write a run's ``model.onnx`` to ``path`` and return it loaded, with a one-line note for meta.json.

    The float export must reproduce torch's outputs on 2,048 validation items (``export_checked``). With
    ``export.int8`` it is then quantized (calibrated on ``export.calibration_values`` validation items) and
    the int8 model replaces it only if it gives the same answer as the float model (the kind's
    ``agreement``) on at least ``export.min_agreement`` of the whole validation split; otherwise the float
    model stays and the note says why."""
    from tinylab.export import export_checked, quantize_int8, quantize_int8_dynamic
    from tinylab.onnx_runtime import OnnxModel

    kind = task_kind(task, spec)
    items = val.inputs[:2048]
    serving_model = getattr(task, "serving_model", None)  # a served model that reads other inputs (tasks/base.py)
    encode = task.encode if serving_model is None else task.serving_encode
    serving = None if serving_model is None else (serving_model(spec, model), encode(spec, items))
    onnx, note = export_checked(model, task.encode(spec, items), path, serving=serving)
    if onnx is None or not spec.export.int8:
        return onnx, note
    need = spec.export.min_agreement if min_agreement is None else min_agreement
    sizes = sizes_of(task, val.inputs)

    def encoded_chunks(items: np.ndarray) -> list[tuple[np.ndarray, ...]]:
        """``items`` sorted by size and encoded in chunks, as prediction runs them."""
        items = items[np.argsort(sizes[items], kind="stable")]
        step = Predictor.chunk
        return [encode(spec, [val.inputs[i] for i in items[s:s + step]]) for s in range(0, len(items), step)]

    chunks = encoded_chunks(np.arange(len(val)))
    dynamic = spec.export.int8_method == "dynamic"
    pick = np.random.default_rng(spec.train.seed).permutation(len(val))[:spec.export.calibration_values]
    calibration = [] if dynamic else encoded_chunks(pick)
    int8_path = path.with_name(path.stem + ".int8.tmp")
    try:
        try:
            if dynamic:
                quantize_int8_dynamic(path, int8_path)
            else:
                quantize_int8(path, int8_path, calibration)
        except Exception as e:  # a quantizer limitation must not cost the trained model: the float one serves
            return onnx, f"{note}; int8 not used: quantization failed ({type(e).__name__}: {str(e)[:200]})"
        int8 = OnnxModel(int8_path)
        agree = kind.agreement(np.concatenate([onnx(*c) for c in chunks]), np.concatenate([int8(*c) for c in chunks]))
        if agree < need:
            return onnx, (f"{note}; int8 not used: {kind.agreement_name} with the float model {agree:.4f} on "
                          f"{len(val)} validation items < {need:g}")
        int8_path.replace(path)
    finally:
        int8_path.unlink(missing_ok=True)
    how = "dynamic" if dynamic else f"static, calibrated on {len(pick)} validation items"
    return OnnxModel(path), (f"int8 ({how}): {kind.agreement_name} with "
                             f"the float model {agree:.4f} on {len(val)} validation items; float export: {note}")


def onnx_inputs(task: Task) -> dict[str, str]:
    """What meta.json says of the inputs of a model.onnx that ``serving_onnx`` wrote for ``task``."""
    return {"onnx_inputs": "serving_encode"} if hasattr(task, "serving_model") else {}


class Checkpoints:
    """An epoch callback that appends each epoch's record to ``train_log.jsonl`` and keeps the weights of
    the last ``keep`` epochs under ``checkpoints/`` of a run being written."""

    def __init__(self, writer: RunWriter, keep: int, history: list[dict[str, Any]] | None = None) -> None:
        self.writer, self.keep = writer, keep
        self.log = writer.path("train_log.jsonl")
        self.log.write_text("".join(json.dumps(r) + "\n" for r in history or []), encoding="utf-8")
        folder = writer.path("checkpoints")
        self.kept: list[Path] = sorted(folder.glob("epoch-[0-9]*[0-9].safetensors"))  # resumed: already there

    def __call__(self, epoch: int, record: dict[str, Any], state: dict[str, torch.Tensor]) -> None:
        from tinylab.checkpoint import write_safetensors

        with self.log.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        ck = self.writer.path(f"checkpoints/epoch-{epoch:03d}.safetensors")
        write_safetensors(state, ck, metadata={"epoch": str(epoch)})
        ck.chmod(0o644)
        self.kept.append(ck)
        while len(self.kept) > self.keep:
            old = self.kept.pop(0)
            for path in (old, old.with_suffix(".state.json"), old.with_suffix(".state.safetensors")):
                path.unlink(missing_ok=True)  # the state marker first: an epoch is resumable only while whole

    def save_state(self, state: TrainingState) -> None:
        """The epoch's full training state beside its weights (``tinylab train --resume`` continues from it)."""
        from tinylab.checkpoint import save_state

        save_state(self.writer.path("checkpoints"), state)


def finalize(result: FitResult, runs_dir: Path | RunWriter = Path("runs"),
             progress: ProgressFactory | None = None) -> Outcome:
    """Export the fitted model, tune what the kind tunes on validation, evaluate on the test split once,
    write plots and reports, and commit the run directory (verified manifest). ``runs_dir`` may be a
    :class:`RunWriter` already holding the run's checkpoints and train log."""
    from tinylab.checkpoint import write_safetensors

    task, spec, kind, labels, model = result.task, result.spec, result.kind, result.labels, result.model
    train, val = result.train, result.val
    writer = runs_dir if isinstance(runs_dir, RunWriter) else RunWriter(runs_dir, task.name)
    try:
        test = load_split(task, spec, "test", progress)
        data = _data_summary(task, kind, train, val, test, labels)
        writer.write_text("spec.toml", to_toml(spec))
        log = writer.path("train_log.jsonl")
        if not log.is_file():
            log.write_text("".join(json.dumps(r) + "\n" for r in result.history), encoding="utf-8")
        weights = writer.path("model.safetensors")
        write_safetensors(model.state_dict(), weights)
        weights.chmod(0o644)  # safetensors writes 0600; a run's files are all readable alike
        onnx, onnx_note = serving_onnx(task, spec, model, val, writer.path("model.onnx"))
        import torch

        meta: dict[str, Any] = {
            "task": task.name, "kind": kind.name, "labels": labels, "run_id": writer.run_id,
            "model": getattr(getattr(spec, "model", None), "name", "?"),
            "n_params": int(sum(p.numel() for p in model.parameters())),
            "best_epoch": result.best_epoch, "epochs_run": len(result.history), "stopped_early": result.stopped_early,
            "validation": {"metric": result.score_name, "best": result.best_score},
            "train_seconds": result.seconds, "threads": result.threads,
            "tinylab_version": tinylab.__version__, "torch_version": torch.__version__,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "runtime": "onnxruntime" if onnx is not None else "torch", "onnx": onnx_note, **onnx_inputs(task),
        }
        # evaluate with the runtime the saved run will predict with, so `tinylab eval` reproduces these figures
        predictor = Predictor(task, spec, labels, model, meta, onnx=onnx)
        val_scores = predictor.predict_proba(val.inputs)
        meta.update(kind.calibrate(val.targets, val_scores, labels))
        sub = np.random.default_rng(spec.train.seed).permutation(len(train))[:10_000]
        sub_scores = predictor.predict_proba([train.inputs[i] for i in sub])
        data["train_headline"] = {"metric": kind.headline, "value": kind.metrics(
            take(train.targets, sub), sub_scores, labels, meta, n_boot=0,
            items=[train.inputs[i] for i in sub])[kind.headline]}
        metrics, sections, proba = evaluate(task, spec, predictor, test)
        figures = []
        if result.history:
            from tinylab.report import plots

            figures.append(("learning_curves.png", "Learning curves (train and validation)",
                            plots.learning_curves(result.history)))
        figures += kind.plots(metrics, test.targets, proba, labels, val=(val.targets, val_scores))
        for name, _, png in figures:
            writer.path(f"plots/{name}").write_bytes(png)
        targets = check_targets(metrics, spec.targets)
        meta["data"] = {k: v for k, v in data.items() if k != "train_per_class"}
        writer.write_json("meta.json", meta)
        writer.write_json("metrics.json", {**metrics, "targets": targets})
        findings = diagnose(metrics, targets, result.history, data, miss_suggestion=kind.miss_suggestion)
        report_md = render_markdown(
            task=task.name, run_id=writer.run_id, metrics=metrics, targets=targets, findings=findings, data=data,
            history=result.history, sections=[*kind.report_sections(metrics, meta), *sections],
            spec_toml=to_toml(spec), meta=meta,
            headline=(*kind.report_metrics, *getattr(task, "report_metrics", ())),
            score_key=result.score_name, selected_on=kind.selected_on)
        writer.write_text("report.md", report_md)
        writer.write_text("report.html", render_html(f"{task.name} — run {writer.run_id}", report_md,
                                                     [(cap, png) for _, cap, png in figures]))
        # resuming is over: the training state goes (the weights stay), deleted only once the manifest without
        # it is written, so that a kill during this final write always leaves something to resume or finish
        final = writer.commit(drop=sorted(writer.path("checkpoints").glob("*.state.*")))
    except KeyboardInterrupt:
        from tinylab.checkpoint import complete_epochs

        if complete_epochs(writer.path("checkpoints")):
            raise TrainingInterrupted(writer.dir) from None
        writer.abort()
        raise
    except OSError as e:
        _keep_if_resumable(writer, e)
        raise
    except BaseException:
        writer.abort()
        raise
    return Outcome(final, metrics, targets, summary=summary_metrics(task, spec))


def train_run(task_name: str, spec_file: Path | None = None, overrides: list[str] | None = None,
              runs_dir: Path = Path("runs"), progress: ProgressFactory | None = None,
              batch_progress: BatchProgress | None = None) -> Outcome:
    """``fit`` then ``finalize``, with the train log and per-epoch checkpoints written as training goes."""
    task = get_task(task_name)
    return train_spec(task, resolve_spec(task, spec_file, overrides), runs_dir, progress, batch_progress)


def train_spec(task: Task, spec: BaseSpec, runs_dir: Path = Path("runs"), progress: ProgressFactory | None = None,
               batch_progress: BatchProgress | None = None) -> Outcome:
    """``train_run`` for a resolved spec. The run is written as training goes (its spec first, then a
    resumable checkpoint per epoch); a run interrupted after its first epoch is kept for ``--resume``."""
    writer = RunWriter(runs_dir, task.name)
    writer.write_text("spec.toml", to_toml(spec))
    return _train_into(task, spec, writer, None, progress, batch_progress)


def _train_into(task: Task, spec: BaseSpec, writer: RunWriter, resume: TrainingState | None,
                progress: ProgressFactory | None, batch_progress: BatchProgress | None) -> Outcome:
    from tinylab.checkpoint import complete_epochs

    checkpoints = Checkpoints(writer, spec.train.keep_checkpoints, resume.history if resume else None)
    try:
        result = fit(task, spec, callbacks=[checkpoints], progress=progress, batch_progress=batch_progress,
                     checkpoint=checkpoints.save_state, resume=resume)
    except KeyboardInterrupt:
        if complete_epochs(writer.path("checkpoints")):
            raise TrainingInterrupted(writer.dir) from None
        writer.abort()
        raise
    except OSError as e:
        _keep_if_resumable(writer, e)
        raise
    except BaseException:
        writer.abort()
        raise
    return finalize(result, writer, progress)


def _keep_if_resumable(writer: RunWriter, e: OSError) -> None:
    """A write that failed (a full disk, a folder gone read-only): keep the partial run when it has a complete
    checkpoint, and say how to continue it, rather than delete hours of training; otherwise remove it. The
    partial run has no manifest, so it never looks complete."""
    from tinylab.checkpoint import complete_epochs

    try:
        resumable = bool(complete_epochs(writer.path("checkpoints")))
    except OSError:
        resumable = False
    if not resumable:
        writer.abort()
        return
    where = f"{e.filename}: " if e.filename else ""
    raise RunKeptError(f"{where}{e.strerror or e}; the run so far is kept (no manifest: incomplete): free "
                       f"space or fix the folder, then continue it with `tinylab train --resume {writer.dir}`"
                       ) from None


class RunKeptError(TinylabError):
    """Writing a run failed after a complete checkpoint; the partial run is kept to be resumed."""


class TrainingInterrupted(TinylabError):
    """Training was interrupted after a complete checkpoint: the partial run is kept and can be resumed."""

    exit_code = 130

    def __init__(self, run: Path) -> None:
        super().__init__(f"interrupted; the run so far is kept: continue it with `tinylab train --resume {run}`")
        self.run = run


def resume_run(partial: Path, progress: ProgressFactory | None = None,
               batch_progress: BatchProgress | None = None) -> Outcome:
    """Continue an interrupted training from the newest complete checkpoint of ``partial`` (a run being
    written, ``<runs>/<task>/.tmp-<id>``) and finish it into the same run: the same epochs, batches and
    updates as if it had never stopped."""
    from tinylab.checkpoint import latest_state
    from tinylab.spec import load_toml

    partial = Path(partial)
    if (partial / "manifest.json").is_file():
        if not partial.name.startswith(".tmp-"):
            raise TinylabError(f"{partial} is a complete run; there is nothing to resume")
        from tinylab.runs import verify

        if not verify(partial):  # killed between writing the manifest and the rename: only the rename is left
            task = get_task(partial.parent.name)
            spec = load_toml(task.spec_class, partial / "spec.toml")
            final = RunWriter.reopen(partial).rename_into_place()
            metrics = json.loads((final / "metrics.json").read_text(encoding="utf-8"))
            targets = metrics.pop("targets", {})
            return Outcome(final, metrics, targets, summary=summary_metrics(task, spec))
        (partial / "manifest.json").unlink()  # a final write cut short: its training state is still there
    if not (partial / "spec.toml").is_file():
        raise TinylabError(f"{partial}: not a partial run (no spec.toml); give the .tmp-<id> folder that "
                           "`tinylab runs list` shows as incomplete")
    name = partial.parent.name
    task = get_task(name)
    spec = load_toml(task.spec_class, partial / "spec.toml")
    state = latest_state(partial / "checkpoints")
    writer = RunWriter.reopen(partial)
    return _train_into(task, spec, writer, state, progress, batch_progress)


def evaluate_run(run_or_task: str, progress: ProgressFactory | None = None) -> Outcome:
    """Re-evaluate a saved run (or a task's shipped model) from its artifacts alone: the saved spec
    regenerates the test split, the saved weights predict it."""
    run_dir = resolve_run(run_or_task)
    require_verified(run_dir)
    predictor = Predictor.from_run(run_dir)
    task, spec = predictor.task, predictor.spec
    test = load_split(task, spec, "test", progress)
    metrics, _, _ = evaluate(task, spec, predictor, test)
    return Outcome(run_dir, metrics, check_targets(metrics, spec.targets), summary=summary_metrics(task, spec))


def reexport_run(run_or_task: str, progress: ProgressFactory | None = None) -> tuple[Path, str]:
    """Export a saved run's ``model.onnx`` again from its weights with this version's exporter, held to the
    same checks as training (``serving_onnx``), and record the new note in meta.json. The weights are not
    touched; the run is rewritten through ``rewrite_verified``,
    so a failed export leaves it as it was. Returns the run directory and the parity note."""
    run_dir = resolve_run(run_or_task)
    predictor = Predictor.from_run(run_dir, runtime="torch")
    task, spec = predictor.task, predictor.spec
    val = load_split(task, spec, "val", progress)
    notes: list[str] = []

    def edit(tmp: Path) -> None:
        onnx, note = serving_onnx(task, spec, predictor.model, val, tmp / "model.onnx")
        if onnx is None:
            raise TinylabError(f"{run_dir}: ONNX {note}; the run is unchanged")
        meta = json.loads((tmp / "meta.json").read_text(encoding="utf-8"))
        meta.update(runtime="onnxruntime", onnx=note, **onnx_inputs(task))
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        notes.append(note)

    rewrite_verified(run_dir, edit)
    return run_dir, notes[0]
