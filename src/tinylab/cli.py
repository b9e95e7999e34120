"""The ``tinylab`` command: parse, call the library, print. No logic of its own."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tinylab.errors import TinylabError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="tinylab: small, fast, specialized neural models — train, evaluate honestly, ship.")
runs_app = typer.Typer(no_args_is_help=True, help="List, verify and copy run directories.")
app.add_typer(runs_app, name="runs")
out = Console()

RunsDir = Annotated[Path, typer.Option("--runs-dir", help="where runs are stored")]
JsonFlag = Annotated[bool, typer.Option("--json", help="print one JSON object as the last line of stdout")]


def _print_outcome(outcome: Any, as_json: bool, label: str) -> None:
    if as_json:
        print(json.dumps(outcome.as_json()))
        return
    m = outcome.metrics
    out.print(f"[bold]{label}[/bold] {outcome.run}")
    for name in ("accuracy", "top3_accuracy", "macro_f1", "domain_accuracy"):
        if name in m:
            ci = ""
            if f"{name}_ci_low" in m:
                ci = f"  (95% CI {m[f'{name}_ci_low']:.4f}–{m[f'{name}_ci_high']:.4f})"
            out.print(f"  {name:<16} {m[name]:.4f}{ci}")
    for name, t in outcome.targets.items():
        status = "[green]met[/green]" if t["met"] else "[bold red]MISSED[/bold red]"
        out.print(f"  target {name} ≥ {t['goal']}: {t['value']:.4f} {status}")


@app.command("tasks")
def tasks_cmd() -> None:
    """The registered tasks, one line each."""
    from tinylab.tasks import get_task, task_names

    for name in task_names():
        task = get_task(name)
        print(f"{name}\t{task.kind}\t{task.summary}")


@app.command("train")
def train_cmd(
    task: Annotated[str, typer.Argument(help="task name (see `tinylab tasks`)")],
    spec: Annotated[Path | None, typer.Option("--spec", help="TOML spec merged onto the task's default")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="override, e.g. train.epochs=20")] = None,
    runs_dir: RunsDir = Path("runs"),
    as_json: JsonFlag = False,
) -> None:
    """Train a model; writes a verified run directory with report, metrics and weights."""
    from tinylab.lifecycle import train_run
    from tinylab.progress import progress_bars

    with progress_bars() as (factory, batches):
        outcome = train_run(task, spec, set_ or [], runs_dir, factory, batches)
    if not as_json:
        out.print(f"report: {outcome.run / 'report.md'}")
    _print_outcome(outcome, as_json, "run")


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


@app.command("fit-columns")
def fit_columns_cmd(
    run: Annotated[str, typer.Argument(help=MODEL_HELP_EXPORT)],
    per_label: Annotated[int, typer.Option("--per-label", min=1, help="generated training columns per type")] = 30,
) -> None:
    """Fit a semantic-types run's column model (is a column categorical?) on generated columns only, and write
    it into the run (columns.safetensors, columns.json; manifest rewritten, run verified). `tinylab profile`
    uses it (--no-categorical leaves it out)."""
    from tinylab.progress import progress_bars
    from tinylab.tasks.semantic_types.categorical import fit_columns_run

    with progress_bars() as (factory, _):
        run_dir, info = fit_columns_run(run, factory, per_label=per_label)
    test = info["test"]
    print(f"{run_dir}: column model written (threshold {info['threshold']:.2f}); generated test columns: "
          f"precision {test['precision']:.4f}, recall {test['recall']:.4f}, "
          f"typed columns called categorical {test['typed_columns_called_categorical']:.4f}")


@app.command("report")
def report_cmd(run: Annotated[Path, typer.Argument(help="a run directory")]) -> None:
    """Print a run's markdown report."""
    from tinylab.predict import resolve_run
    from tinylab.runs import require_verified

    run_dir = resolve_run(str(run))
    require_verified(run_dir)
    print((run_dir / "report.md").read_text(encoding="utf-8"))


@app.command("predict")
def predict_cmd(
    task_or_run: Annotated[str, typer.Argument(help=MODEL_HELP)],
    values: Annotated[list[str] | None, typer.Argument(help="values to classify")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="read values from a file, one per line")] = None,
    top_k: Annotated[int, typer.Option("--top-k", min=1, help="how many labels per value")] = 1,
    model_only: Annotated[bool, typer.Option("--model-only", help="ignore a task's reference table "
                                             "(word-rarity: the word list) and show the model's answer")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Predict the label(s) of values given on the command line or in a file."""
    from tinylab.predict import Predictor

    items = list(values or [])
    if file is not None:
        try:
            items += file.read_text(encoding="utf-8").splitlines()
        except OSError as e:
            raise TinylabError(f"cannot read --file {file}: {e.strerror}") from None
        except UnicodeDecodeError as e:
            raise TinylabError(f"--file {file} is not UTF-8 text (byte {e.start})") from None
    if not items:
        raise TinylabError("no values to predict: give VALUE... or --file PATH")
    predictor = Predictor.from_run(task_or_run)
    results = predictor.predict(items, top_k)
    kind = predictor.kind
    if kind == "regression":
        import numpy as np

        name = predictor.labels[0]
        known = None if model_only else predictor.known_values(items)
        rows = []
        for i, (v, r) in enumerate(zip(items, results, strict=True)):
            listed = known is not None and not np.isnan(known[i])
            answer = float(known[i]) if known is not None and listed else r[0][1]
            rows.append({"value": v, name: answer, "source": "list" if listed else "model", "model": r[0][1]})
        if as_json:
            print(json.dumps(rows, ensure_ascii=False))
        else:
            for row in rows:
                how = "from the word list" if row["source"] == "list" else "model estimate"
                print(f"{row['value']}\t{name} {row[name]:.4f} ({how}; model {row['model']:.4f})")
        return
    thresholds = dict(zip(predictor.labels, predictor.thresholds().tolist(), strict=True))
    thresholded = kind in ("multi_label", "binary")

    def row(lab: str, p: float) -> dict[str, Any]:
        if not thresholded:
            return {"label": lab, "probability": p}
        return {"label": lab, "probability": p, "threshold": thresholds[lab], "predicted": p >= thresholds[lab]}

    if as_json:
        print(json.dumps([{"value": v, "predictions": [row(lab, p) for lab, p in r]}
                          for v, r in zip(items, results, strict=True)], ensure_ascii=False))
        return
    for v, r in zip(items, results, strict=True):
        if not thresholded:
            print(f"{v}\t" + "\t".join(f"{lab} ({p:.3f})" for lab, p in r))
            continue
        shown = [f"{lab} ({p:.3f} {'≥' if p >= thresholds[lab] else '<'} {thresholds[lab]:.2f})" for lab, p in r]
        print(f"{v}\t" + ("\t".join(shown) if shown else "(no label reaches its threshold)"))


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


@app.command("profile")
def profile_cmd(
    file: Annotated[Path, typer.Argument(help="CSV, TSV, Parquet, JSON Lines, or a DuckDB database")],
    table: Annotated[str | None, typer.Option("--table", help="table of a DuckDB database")] = None,
    query: Annotated[str | None, typer.Option("--query", help="SQL over a DuckDB database")] = None,
    sample: Annotated[int, typer.Option("--sample", min=1, help="values sampled per column")] = 200,
    model: Annotated[str, typer.Option("--model", help=MODEL_HELP)] = "semantic-types-extended",
    encoding: Annotated[str, typer.Option("--encoding", help="text encoding of a CSV/TSV file: utf-8, utf-16 "
                                          "or latin-1")] = "utf-8",
    categorical: Annotated[bool | None, typer.Option(
        "--categorical/--no-categorical", help="the model's column model (tinylab fit-columns) may call a column of "
        "repeated values categorical; default: when the model has one (semantic-types-extended does)")] = None,
    as_json: JsonFlag = False,
) -> None:
    """The semantic type of every column of a table."""
    from tinylab.predict import Predictor
    from tinylab.tasks.semantic_types.columns import profile_table

    predictor = Predictor.from_run(model)
    is_db = file.suffix.lower() in (".duckdb", ".db", ".ddb") or table is not None or query is not None
    if is_db:
        if not file.is_file():
            raise TinylabError(f"{file}: no such DuckDB database")
        profiles = profile_table(predictor, database=file, table=table, query=query, sample_size=sample,
                                 categorical=categorical)
    else:
        profiles = profile_table(predictor, file, sample_size=sample, encoding=encoding, categorical=categorical)
    if as_json:
        print(json.dumps([p.as_json() for p in profiles], ensure_ascii=False))
        return
    # the type is never cut: its column is as wide as the longest type, and the runner-up and the rule that
    # decided go under it (dimmed, wrapped at spaces), so the table reads at any terminal width
    t = Table(show_lines=True)
    t.add_column("column")
    t.add_column("type (runner-up; rule)", min_width=max((len(p.type) for p in profiles), default=4))
    t.add_column("confidence")
    t.add_column("agreement")
    for p in profiles:
        detail = f"runner-up {p.runner_up or '-'}" + (f"; {p.rule}" if p.rule else "")
        t.add_row(p.column, f"[bold]{escape(p.type)}[/bold]\n[dim]{escape(detail)}[/dim]", f"{p.confidence:.3f}",
                  f"{p.agreement:.2f}")
    out.print(t)


@runs_app.command("list")
def runs_list_cmd(runs_dir: RunsDir = Path("runs")) -> None:
    """Runs under the runs directory, with their headline metrics."""
    from tinylab.runs import list_runs

    table = Table("task", "run", "accuracy", "targets", "path")
    for r in list_runs(runs_dir):
        targets = r.metrics.get("targets", {})
        met = sum(1 for t in targets.values() if t.get("met"))
        acc = r.metrics.get("accuracy")
        table.add_row(r.task, r.run_id, f"{acc:.4f}" if isinstance(acc, float) else "-",
                      f"{met}/{len(targets)} met" if targets else "-", str(r.path))
    out.print(table)


@runs_app.command("verify")
def runs_verify_cmd(run: Annotated[Path, typer.Argument(help="a run directory")]) -> None:
    """Re-hash every file against manifest.json; exit 1 naming each mismatching file."""
    from tinylab.runs import verify

    problems = verify(run)
    if problems:
        for p in problems:
            print(f"{run}: {p}", file=sys.stderr)
        raise typer.Exit(1)
    print(f"{run}: ok")


@runs_app.command("push")
def runs_push_cmd(
    run: Annotated[str, typer.Argument(help="a run directory, or a shipped model's name (copies the installed one)")],
    dest: Annotated[Path, typer.Argument(help="destination directory (must not exist)")],
) -> None:
    """Copy a run and re-verify every byte at the destination; exit 1 if anything differs."""
    from tinylab.predict import pretrained_dir, shipped_models
    from tinylab.runs import copy_verified

    shipped = not Path(run).exists() and run in shipped_models()
    copy_verified(pretrained_dir(run) if shipped else Path(run), dest)
    print(f"{dest}: copied and verified")


def main() -> None:
    try:
        rc = app(standalone_mode=False)  # click returns typer.Exit's code instead of raising it
        if isinstance(rc, int) and rc:
            sys.exit(rc)
    except TinylabError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(e.exit_code)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        print("aborted", file=sys.stderr)
        sys.exit(130)
    except Exception as e:  # click usage errors
        import click

        if isinstance(e, click.exceptions.ClickException):
            e.show()
            sys.exit(e.exit_code)
        raise
