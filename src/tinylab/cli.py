"""The ``tinylab`` command: parse, call the library, print. No logic of its own."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tinylab.data_commands import data_app
from tinylab.errors import TinylabError

CONTEXT = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  context_settings=CONTEXT,
                  help="tinylab: small, fast, specialized neural models — train, evaluate honestly, ship.")
runs_app = typer.Typer(no_args_is_help=True, context_settings=CONTEXT, help="List, verify and copy run directories.")
app.add_typer(runs_app, name="runs")
app.add_typer(data_app, name="data")
out = Console()
err = Console(stderr=True)

RunsDir = Annotated[Path, typer.Option("--runs-dir", help="where runs are stored")]
JsonFlag = Annotated[bool, typer.Option("--json", help="print one JSON object as the last line of stdout")]
JsonListFlag = Annotated[bool, typer.Option("--json", help="print the results as one JSON array on stdout")]


def _print_outcome(outcome: Any, as_json: bool, label: str) -> None:
    if as_json:
        print(json.dumps(outcome.as_json()))
        return
    m = outcome.metrics
    out.print(f"[bold]{label}[/bold] {outcome.run}")
    for name in outcome.summary:
        if isinstance(m.get(name), int | float):
            ci = ""
            if f"{name}_ci_low" in m:
                ci = f"  (95% CI {m[f'{name}_ci_low']:.4f}–{m[f'{name}_ci_high']:.4f})"
            out.print(f"  {name:<16} {m[name]:.4f}{ci}")
    for name, t in outcome.targets.items():
        status = "[green]met[/green]" if t["met"] else "[bold red]MISSED[/bold red]"
        value = f"{t['value']:.4f}" if isinstance(t["value"], int | float) else "not measured"
        out.print(f"  target {name} ≥ {t['goal']}: {value} {status}")


def _version(value: bool) -> None:
    if value:
        import tinylab

        print(f"tinylab {tinylab.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="print the version and exit")] = False,
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="read the real datasets from DIR/NAME "
                                                  "first (the same as $TINYLAB_DATA)")] = None,
) -> None:
    """tinylab: small, fast, specialized neural models — train, evaluate honestly, ship."""
    if data_dir is not None:
        import os

        if not data_dir.is_dir():
            raise TinylabError(f"--data-dir {data_dir}: no such directory")
        os.environ["TINYLAB_DATA"] = str(data_dir.resolve())


@app.command("tasks")
def tasks_cmd() -> None:
    """The registered tasks, one line each: name, kind, shipped models, summary (tab-separated)."""
    from tinylab.kinds import get_kind
    from tinylab.predict import shipped_models
    from tinylab.tasks import get_task, task_names

    for name in task_names():
        task = get_task(name)
        models = ", ".join(shipped_models(name)) or "-"
        print(f"{name}\t{get_kind(task.kind).name}\t{models}\t{task.summary}")


@app.command("labels")
def labels_cmd(
    task: Annotated[str, typer.Argument(help="a task name (its default spec), a run directory or a shipped model")],
    spec: Annotated[Path | None, typer.Option("--spec", help="TOML spec merged onto the task's default")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="override, e.g. data.taxonomy=...")] = None,
) -> None:
    """The labels a task predicts under its default spec (or the given one), or a run's or shipped model's
    labels, one per line."""
    from tinylab.lifecycle import resolve_spec
    from tinylab.predict import resolve_run, shipped_models
    from tinylab.tasks import get_task, task_names

    if task not in task_names() and (Path(task).is_dir() or task in shipped_models()):
        from tinylab.runs import require_verified

        run_dir = resolve_run(task)
        require_verified(run_dir)
        print("\n".join(json.loads((run_dir / "meta.json").read_text(encoding="utf-8"))["labels"]))
        return
    t = get_task(task)
    for label in t.label_names(resolve_spec(t, spec, set_ or [])):
        print(label)


@app.command("train")
def train_cmd(
    task: Annotated[str | None, typer.Argument(help="task name (see `tinylab tasks`)")] = None,
    data: Annotated[Path | None, typer.Argument(help="a data file, for a task that reads one (from-file)")] = None,
    spec: Annotated[Path | None, typer.Option("--spec", help="TOML spec merged onto the task's default")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="override, e.g. train.epochs=20")] = None,
    input_: Annotated[str | None, typer.Option("--input", help="the input column of DATA")] = None,
    target: Annotated[list[str] | None, typer.Option("--target", help="a target column of DATA (repeatable)")] = None,
    group: Annotated[str | None, typer.Option("--group", help="rows sharing this column's value stay in one split")
                     ] = None,
    runs_dir: RunsDir = Path("runs"),
    as_json: JsonFlag = False,
    resume: Annotated[Path | None, typer.Option("--resume", help="continue an interrupted training: the run's "
                                                "folder being written (runs/TASK/.tmp-ID)")] = None,
) -> None:
    """Train a model; writes a verified run directory with report, metrics and weights. A training killed
    after an epoch continues with --resume, as if it had never stopped."""
    from tinylab.lifecycle import resume_run, train_run
    from tinylab.progress import progress_bars

    if resume is not None:
        if task is not None or data is not None or spec is not None or set_ or input_ or target or group:
            raise TinylabError("--resume continues a run with its own spec: give no TASK, DATA, --spec or --set")
        with progress_bars() as (factory, batches):
            outcome = resume_run(resume, factory, batches)
        if not as_json:
            out.print(f"report: {outcome.run / 'report.md'}")
        _print_outcome(outcome, as_json, "run")
        return
    if task is None:
        raise TinylabError("give a TASK to train (see `tinylab tasks`), or --resume RUN")
    if data is not None or input_ is not None or target or group is not None:
        _require_data_file_task(task)
    overrides = list(set_ or [])
    for key, value in (("data.path", str(data) if data is not None else None), ("data.input", input_),
                       ("data.group", group)):
        if value is not None:
            overrides.append(f"{key}={json.dumps(value)}")
    if target:
        overrides.append(f"data.targets={json.dumps(target)}")
    with progress_bars() as (factory, batches):
        outcome = train_run(task, spec, overrides, runs_dir, factory, batches)
    if not as_json:
        out.print(f"report: {outcome.run / 'report.md'}")
    _print_outcome(outcome, as_json, "run")


def _require_data_file_task(name: str) -> None:
    """DATA, --input, --target and --group are for a task that reads the user's file (from-file)."""
    from tinylab.tasks import get_task

    task = get_task(name)
    data = task.spec_class.model_fields.get("data")
    fields = getattr(data.annotation, "model_fields", {}) if data is not None else {}
    if not {"path", "input", "targets"} <= set(fields):
        raise TinylabError(f"task {name!r} does not read a data file: DATA, --input, --target and --group are for "
                           "`tinylab train from-file DATA --input COL --target COL`")


@app.command("tune")
def tune_cmd(
    task: Annotated[str, typer.Argument(help="task name (see `tinylab tasks`)")],
    trials: Annotated[int, typer.Option("--trials", min=0, help="trials to run now (added to the study's)")] = 20,
    timeout: Annotated[float | None, typer.Option("--timeout", min=1, help="stop starting trials after S seconds")
                       ] = None,
    storage: Annotated[str | None, typer.Option("--storage", help="the study's journal file, or a database URL "
                                                "(postgresql://...) shared by workers; default: RUNS_DIR/.tune/"
                                                "STUDY.journal")] = None,
    study: Annotated[str | None, typer.Option("--study", help="study name (default: the task's name)")] = None,
    spec: Annotated[Path | None, typer.Option("--spec", help="TOML spec merged onto the task's default")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="override, e.g. train.epochs=6")] = None,
    report: Annotated[bool, typer.Option("--report", help="show the study's trials, best spec and parameter "
                                         "importances; train nothing")] = False,
    heartbeat: Annotated[int, typer.Option("--heartbeat", min=1, help="with a database --storage: seconds between "
                                           "a worker's heartbeats; a trial silent for 4 beats (its worker died) is "
                                           "marked failed")] = 5,
    final: Annotated[bool, typer.Option("--final/--no-final", help="train and finalize the best trial's spec: "
                                        "the only run that reads the test split")] = True,
    trial_seconds: Annotated[float | None, typer.Option("--trial-seconds", min=1, help="a trial still training "
                                                        "after S seconds stops after its epoch and counts with its "
                                                        "best epoch so far (default: the task's own, if any)")
                             ] = None,
    runs_dir: RunsDir = Path("runs"),
    as_json: JsonFlag = False,
) -> None:
    """Search hyperparameters with Optuna (TPE, median pruning) on the validation split; the spec's [tune]
    table is the search space. The best trial's spec is then trained and evaluated once, as a normal run."""
    from tinylab.tune import run_study, study_report

    if report:
        result = study_report(task, storage, study, runs_dir)
    else:
        result = run_study(task, spec, set_ or [], trials=trials, timeout=timeout, storage=storage,
                           study_name=study, runs_dir=runs_dir, final=final, heartbeat=heartbeat,
                           trial_seconds=trial_seconds)
    if as_json:
        print(json.dumps(result.as_json()))
        return
    table = Table("trial", "state", "validation score", "epochs", "parameters")
    for t in result.trials:
        value = f"{t['value']:.4f}" if isinstance(t["value"], float) else "-"
        table.add_row(str(t["number"]), t["state"], value, str(t["epochs"]),
                      ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in t["params"].items()))
    out.print(f"[bold]study[/bold] {result.study} ({result.storage})")
    out.print(table)
    if result.best is not None:
        b = result.best
        out.print(f"best: trial {b['number']}, {b.get('metric') or 'validation score'} {b['value']:.4f}: "
                  + ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in b["params"].items()))
        for k, v in b.get("importances", {}).items():
            out.print(f"  importance {k:<24} {v:.3f}")
    for path in result.plots:
        out.print(f"plot: {path}")
    if result.final is not None:
        out.print(f"report: {result.final.run / 'report.md'}")
        _print_outcome(result.final, False, "run")


@app.command("eval")
def eval_cmd(
    run_or_task: Annotated[str, typer.Argument(help="a run directory, or a task name for its shipped model")],
    as_json: JsonFlag = False,
) -> None:
    """Re-evaluate a saved run (or a task's shipped model) on its test split, from the artifacts alone."""
    from tinylab.lifecycle import evaluate_run
    from tinylab.progress import progress_bars

    with progress_bars() as (factory, _):
        outcome = evaluate_run(run_or_task, factory)
    _print_outcome(outcome, as_json, "evaluated")


@app.command("cv")
def cv_cmd(
    task: Annotated[str, typer.Argument(help="a task whose items belong to groups (unfair-clauses: documents)")],
    folds: Annotated[int, typer.Option("--folds", min=2, help="how many leave-groups-out folds")] = 5,
    spec: Annotated[Path | None, typer.Option("--spec", help="TOML spec merged onto the task's default")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="override, e.g. train.epochs=2")] = None,
    seed: Annotated[int, typer.Option("--seed", help="seed of the groups' assignment to folds")] = 0,
    resume: Annotated[bool, typer.Option(
        "--resume", help="reuse each fold already finished in --runs-dir with the same spec (verified against its "
        "manifest) instead of training it again")] = False,
    runs_dir: RunsDir = Path("runs"),
    as_json: JsonFlag = False,
) -> None:
    """Cross-validate by group: K folds, each testing on its own K-th of the groups (a full run each); one
    line per fold, then the mean and spread of the headline metrics."""
    from tinylab.cv import cross_validate
    from tinylab.progress import progress_bars

    with progress_bars() as (factory, _):
        result = cross_validate(task, folds, spec, list(set_ or []), runs_dir, seed, factory, resume)
    print(json.dumps(result.as_json()) if as_json else "\n".join(result.lines()))


MODEL_HELP_EXPORT = "a run directory, or a shipped model's name (rewrites the installed copy)"
MODEL_HELP = "a run directory, a task name (its shipped model) or a shipped model (e.g. semantic-types-extended)"


@app.command("export")
def export_cmd(
    run: Annotated[str, typer.Argument(help=MODEL_HELP_EXPORT)],
) -> None:
    """Export a run's model.onnx again with this version's exporter (faster serving forms; int8 if the run's
    spec says [export] int8), held to training's checks on the validation split; weights unchanged,
    manifest rewritten, run verified."""
    from tinylab.lifecycle import reexport_run
    from tinylab.progress import progress_bars

    with progress_bars() as (factory, _):
        run_dir, note = reexport_run(run, factory)
    print(f"{run_dir}: model.onnx re-exported ({note})")


@app.command("report")
def report_cmd(run: Annotated[Path, typer.Argument(help="a run directory")]) -> None:
    """Print a run's markdown report."""
    from tinylab.predict import resolve_run
    from tinylab.runs import require_verified

    run_dir = resolve_run(str(run))
    require_verified(run_dir)
    print((run_dir / "report.md").read_text(encoding="utf-8"))


def _model_of_language(task_or_run: str, lang: str | None) -> str:
    """``task_or_run`` itself, or with ``lang`` the shipped model ``<task>-<lang>`` (the task's default model
    when that is the language it was trained on)."""
    if lang is None:
        return task_or_run
    lang = lang.lower()
    import tomllib

    from tinylab.predict import resolve_run, shipped_models

    if f"{task_or_run}-{lang}" in shipped_models():
        return f"{task_or_run}-{lang}"
    spec = resolve_run(task_or_run) / "spec.toml"
    default = tomllib.loads(spec.read_text(encoding="utf-8")).get("data", {}).get("language")
    if default == lang:
        return task_or_run
    langs = sorted({n.rsplit("-", 1)[1] for n in shipped_models() if n.startswith(f"{task_or_run}-")
                    and len(n.rsplit("-", 1)[1]) == 2} | ({default} if isinstance(default, str) else set()))
    raise TinylabError(f"no shipped model of {task_or_run} for --lang {lang}"
                       + (f"; languages: {', '.join(langs)}" if langs else ""))


@app.command("predict")
def predict_cmd(
    task_or_run: Annotated[str, typer.Argument(help=MODEL_HELP)],
    values: Annotated[list[str] | None, typer.Argument(help="items to predict (JSON for a task whose items are "
                                                       "not text)")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="read items from a file: text lines, JSON Lines "
                                              "(.jsonl), or .npy / .npz arrays, as the task takes")] = None,
    top_k: Annotated[int, typer.Option("--top-k", min=1, help="how many labels per item")] = 1,
    model_only: Annotated[bool, typer.Option("--model-only", help="ignore a task's reference table "
                                             "(word-rarity: the word list) and show the model's answer")] = False,
    lang: Annotated[str | None, typer.Option("--lang", help="the shipped model of this language, for a task "
                                             "shipped in several (word-rarity: en, de, fr, es)")] = None,
    as_json: JsonListFlag = False,
    input_file: Annotated[Path | None, typer.Option("--input", help="stream a large file: CSV, TSV, Parquet or "
                                                    "JSON Lines, read in chunks (with --column and --output)")] = None,
    column: Annotated[str | None, typer.Option("--column", help="the column (or JSON Lines field) of --input "
                                               "to predict")] = None,
    output: Annotated[Path | None, typer.Option("--output", help="where --input's predictions go: .parquet, "
                                                ".jsonl or .csv (written when complete)")] = None,
    chunk_rows: Annotated[int, typer.Option("--chunk-rows", min=1, help="rows per chunk of --input")] = 8192,
    encoding: Annotated[str, typer.Option("--encoding", help="text encoding of --input (CSV, TSV, "
                                          "JSON Lines)")] = "utf-8",
    html_out: Annotated[Path | None, typer.Option("--html", help="for a task that reads --file as one document "
                                                  "(unfair-clauses): also write an HTML copy of it with the "
                                                  "flagged parts highlighted")] = None,
) -> None:
    """Predict items given on the command line or in a file, or stream a large file (--input, --output). A task
    that reads whole documents (unfair-clauses) takes --file as one document (.txt, .md, .html)."""
    from tinylab.items import read_items, show, to_json
    from tinylab.predict import Predictor

    task_or_run = _model_of_language(task_or_run, lang)
    if input_file is not None or output is not None:
        if input_file is None or output is None:
            raise TinylabError("streaming needs both --input FILE and --output FILE")
        if values or file is not None:
            raise TinylabError("give either VALUE.../--file, or --input/--output, not both")
        _predict_stream(task_or_run, input_file, column, output, chunk_rows, encoding, top_k, model_only)
        return
    if not values and file is None:
        raise TinylabError("no values to predict: give VALUE... or --file PATH")
    predictor = Predictor.from_run(task_or_run)
    document = getattr(predictor.task, "document", None)
    if html_out is not None and (document is None or file is None or values):
        raise TinylabError("--html is for a task that reads --file as one document (unfair-clauses), with --file")
    if document is not None and file is not None and not values:
        report = document(predictor, file)
        print(json.dumps(report.as_json(), ensure_ascii=False) if as_json else "\n".join(report.lines()))
        if html_out is not None:
            html_out.write_text(report.html(), encoding="utf-8")
            print(f"wrote {html_out}", file=sys.stderr)
        return
    items = read_items(predictor.task, values or [], file)
    if not items:
        raise TinylabError(f"no values to predict: {file} holds no items")
    results = predictor.predict_json(items, top_k, reference=not model_only)
    if as_json:
        print(json.dumps([{"value": to_json(v), **r} for v, r in zip(items, results, strict=True)],
                         ensure_ascii=False))
        return
    for v, r in zip(items, results, strict=True):
        print(f"{show(v)}\t{predictor.kind.format_prediction(r)}")


def _predict_stream(model: str, input_file: Path, column: str | None, output: Path, chunk_rows: int,
                    encoding: str, top_k: int, model_only: bool) -> None:
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from tinylab.api import load
    from tinylab.stream import check_paths, predict_file

    check_paths(input_file, output)
    m = load(model)
    if output.exists():
        print(f"replacing {output}", file=sys.stderr)
    with Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                  console=err, transient=False) as bar:
        task = bar.add_task(f"predicting {input_file.name}", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        def predict(items: list[Any]) -> list[dict[str, Any]]:
            return [{k: v for k, v in r.items() if k != "input"}
                    for r in m.predict(items, top_k=top_k, reference=not model_only)]  # type: ignore[union-attr]

        stats = predict_file(predict, input_file, column, output, chunk_rows, encoding, advance)
    print(f"{stats.rows:,} rows in {stats.seconds:.1f} s ({stats.rows / max(stats.seconds, 1e-9):,.0f} rows/s): "
          f"{output}", file=sys.stderr)


@app.command("serve")
def serve_cmd(
    models: Annotated[list[str], typer.Argument(help="shipped model names, task names or run directories")],
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="port to listen on")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="worker processes")] = 1,
    max_batch: Annotated[int, typer.Option("--max-batch", min=1, help="most inputs per request")] = 4096,
    max_body_mb: Annotated[float, typer.Option("--max-body-mb", min=0.001, help="largest request body, "
                                               "MB")] = 8.0,
) -> None:
    """Serve models over HTTP: POST /v1/models/NAME/predict {"inputs": [...]}, GET /v1/models, /health,
    /metrics (Prometheus). Needs the 'serve' extra."""
    from tinylab.serve import Limits, serve

    limits = Limits(max_body_bytes=int(max_body_mb * 1024 * 1024), max_batch=max_batch)
    serve(models, host=host, port=port, workers=workers, limits=limits)


@app.command("compare")
def compare_cmd(
    run_a: Annotated[str, typer.Argument(help="run directory (or task) A")],
    run_b: Annotated[str, typer.Argument(help="run directory (or task) B")],
    out_dir: Annotated[Path, typer.Option("--out", help="where compare.md and compare.html go")] = Path("."),
    as_json: JsonFlag = False,
) -> None:
    """Compare two runs: overall and per-class deltas with intervals, and the spec differences."""
    from tinylab.compare import compare_runs, render_compare_markdown
    from tinylab.report import render_html

    c = compare_runs(run_a, run_b)
    md = render_compare_markdown(c)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "compare.md").write_text(md, encoding="utf-8")
    (out_dir / "compare.html").write_text(render_html("tinylab comparison", md, []), encoding="utf-8")
    if as_json:
        print(json.dumps(c.as_json()))
        return
    print(md)
    print(f"wrote {out_dir / 'compare.md'} and {out_dir / 'compare.html'}")


@runs_app.command("list")
def runs_list_cmd(runs_dir: RunsDir = Path("runs"), as_json: JsonListFlag = False) -> None:
    """Runs under the runs directory (RUNS/<task>/<run-id>/), with their headline metric and targets; a run
    without a manifest is listed as incomplete."""
    from tinylab.runs import list_runs
    from tinylab.tasks import task_names

    runs = list_runs(runs_dir, known_tasks=task_names())
    if as_json:
        print(json.dumps([{"task": r.task, "run": r.run_id, "path": str(r.path), "has_manifest": r.verified,
                           "headline": _headline(r.path, r.metrics), "resumable_from_epoch": r.resumable_from,
                           "targets": r.metrics.get("targets", {})} for r in runs]))
        return
    table = Table("task", "run", "headline", "targets", "path")
    for r in runs:
        targets = r.metrics.get("targets", {})
        met = sum(1 for t in targets.values() if t.get("met"))
        headline = (_headline(r.path, r.metrics) if r.verified else
                    f"incomplete: resumable from epoch {r.resumable_from} (tinylab train --resume PATH)"
                    if r.resumable_from else
                    "incomplete: only its rename is left (tinylab train --resume PATH)"
                    if (r.path / "manifest.json").is_file() else "incomplete (no manifest.json)")
        table.add_row(r.task, r.run_id, headline, f"{met}/{len(targets)} met" if targets else "-", str(r.path))
    out.print(table)


def _headline(run_dir: Path, metrics: dict[str, Any]) -> str:
    """``metric value`` of a run's kind's headline metric ("-" when unknown)."""
    from tinylab.kinds import get_kind
    from tinylab.tasks import get_task

    try:
        meta = json.loads((run_dir / "meta.json").read_text(encoding="utf-8"))
        try:
            name = get_kind(meta["kind"]).headline
        except TinylabError:  # not a registered kind: the task's own
            name = get_kind(get_task(meta["task"]).kind).headline
    except (OSError, ValueError, KeyError, TypeError, TinylabError):
        return "-"
    value = metrics.get(name)
    return f"{name} {value:.4f}" if isinstance(value, int | float) else "-"


@runs_app.command("verify")
def runs_verify_cmd(run: Annotated[str, typer.Argument(help="a run directory, a shipped model's name, or a "
                                                        "store URL (s3://bucket/prefix)")]) -> None:
    """Re-hash every file against manifest.json; exit 1 naming each mismatching file."""
    from tinylab.predict import pretrained_dir, shipped_models
    from tinylab.runs import is_remote, verify_location

    shipped = not is_remote(run) and not Path(run).exists() and run in shipped_models()
    if not shipped and not is_remote(run) and not Path(run).is_dir():
        raise TinylabError(f"{run} is neither a run directory, a store URL nor a shipped model "
                           f"({', '.join(shipped_models())})")
    problems = verify_location(pretrained_dir(run) if shipped else run)
    if problems:
        for p in problems:
            print(f"{run}: {p}", file=sys.stderr)
        raise typer.Exit(1)
    print(f"{run}: ok")


@runs_app.command("push")
def runs_push_cmd(
    run: Annotated[str, typer.Argument(help="a run directory, or a shipped model's name (copies the installed one)")],
    dest: Annotated[str, typer.Argument(help="destination: a new local directory, or a new store prefix "
                                        "(s3://bucket/prefix; the 'remote' extra)")],
) -> None:
    """Copy a run and re-verify every byte at the destination; exit 1 if anything differs. The source is
    only read; in a store, manifest.json is written last, so an interrupted push never looks complete."""
    from tinylab.predict import pretrained_dir, shipped_models
    from tinylab.runs import push_run

    shipped = not Path(run).exists() and run in shipped_models()
    where = push_run(pretrained_dir(run) if shipped else Path(run), dest)
    print(f"{where}: copied and verified")


@runs_app.command("pull")
def runs_pull_cmd(
    src: Annotated[str, typer.Argument(help="a run in a store (s3://bucket/prefix) or a local run directory")],
    dest: Annotated[Path | None, typer.Argument(help="a new local directory (default: SRC's last name, here)")
                    ] = None,
) -> None:
    """Copy a run here, verified against its manifest before it is made visible; exit 1 if anything is
    missing or differs, or a file name would land outside DEST."""
    from tinylab.runs import pull_run

    where = pull_run(src, dest)
    print(f"{where}: copied and verified")


_task_commands_added = False


def _add_task_commands() -> None:
    """The commands tasks bring (``tinylab.commands`` entry points, and the built-in tasks' own); once."""
    global _task_commands_added
    if _task_commands_added:
        return
    from tinylab.tasks import command_registrars

    for register in command_registrars():
        register(app)
    _task_commands_added = True


def _print_warnings() -> None:
    """tinylab's own warnings as one line each on stderr (``warning: ...``), without Python's file and line."""
    import warnings

    from tinylab.errors import TinylabWarning

    shown = warnings.showwarning

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int, file: Any = None,
             line: str | None = None) -> None:
        if issubclass(category, TinylabWarning):
            print(f"warning: {message}", file=sys.stderr)
        else:
            shown(message, category, filename, lineno, file, line)

    warnings.showwarning = show
    warnings.filterwarnings("always", category=TinylabWarning)  # a message for the user, whatever PYTHONWARNINGS says


def main(argv: list[str] | None = None) -> None:
    """The ``tinylab`` command. Every usage error, bad input and missing extra is one line on stderr and
    exit 2; a failed check exits 1; never a traceback for either."""
    _print_warnings()
    try:
        try:
            _add_task_commands()
            rc = app(args=argv, prog_name="tinylab", standalone_mode=False)  # returns typer.Exit's code
        except ModuleNotFoundError as e:
            from tinylab.extras import missing_extra

            raise missing_extra(e) or e from None
        if isinstance(rc, int) and rc:
            sys.exit(rc)
    except TinylabError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(e.exit_code)
    except OSError as e:  # a path that cannot be written or read (a read-only place, a file where a folder goes)
        where = f"{e.filename}: " if e.filename else ""
        print(f"error: {where}{e.strerror or e}", file=sys.stderr)
        sys.exit(2)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        print("aborted", file=sys.stderr)
        sys.exit(130)
    except _TYPER_ERRORS as e:  # typer's (bundled click's) usage errors: unknown option, missing argument
        _usage_error(e)
    except Exception as e:  # a plain click installation's usage errors, should typer hand them on
        import click

        if isinstance(e, click.exceptions.ClickException):
            _usage_error(e)
        raise


_TYPER_ERRORS: tuple[type[Exception], ...] = tuple(
    t for t in (getattr(typer, "TyperException", None),) if isinstance(t, type))


def _usage_error(e: Any) -> None:
    ctx = getattr(e, "ctx", None)
    if type(e).__name__ == "NoArgsIsHelpError" and ctx is not None:  # `tinylab runs`: the group's help
        print(ctx.get_help(), file=sys.stderr)
        sys.exit(2)
    where = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
    message = " ".join(e.format_message().split())
    print(f"error: {message}{where}", file=sys.stderr)
    sys.exit(2)
