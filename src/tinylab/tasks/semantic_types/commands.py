"""The semantic-types task's own commands: ``tinylab profile`` (the type of every column of a table) and
``tinylab fit-columns`` (fit a run's column model). Registered under the ``tinylab.commands`` entry point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tinylab.errors import TinylabError

if TYPE_CHECKING:
    from tinylab.tasks.semantic_types.columns import ColumnProfile

MODEL_HELP_EXPORT = "a run directory, or a shipped model's name (rewrites the installed copy)"
MODEL_HELP = "a run directory, a task name (its shipped model) or a shipped model (e.g. semantic-types-extended)"


def register(app: typer.Typer) -> None:
    """Add the task's commands to the ``tinylab`` app."""
    app.command("fit-columns")(fit_columns_cmd)
    app.command("profile")(profile_cmd)


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


def profile_cmd(
    file: Annotated[Path, typer.Argument(help="CSV, TSV, Parquet, JSON, JSON Lines or Excel .xlsx (its first sheet; "
                                         "CSV, TSV and JSON also .gz or .zst), - for standard input, or a DuckDB "
                                         "database")],
    table: Annotated[str | None, typer.Option("--table", help="table of a DuckDB database")] = None,
    query: Annotated[str | None, typer.Option("--query", help="SQL over a DuckDB database")] = None,
    sample: Annotated[int, typer.Option("--sample", min=1, help="values sampled per column")] = 200,
    model: Annotated[str, typer.Option("--model", help=MODEL_HELP)] = "semantic-types-extended",
    encoding: Annotated[str, typer.Option("--encoding", help="text encoding of a CSV/TSV/JSON file: utf-8, utf-16 "
                                          "or latin-1 (UTF-16 is recognised without it)")] = "utf-8",
    na: Annotated[list[str] | None, typer.Option(
        "--na", help="a null token (repeatable; replaces the default NA, N/A, null, NULL, None, NaN, -, ?; empty "
        "cells are always null, so --na '' alone means only them)")] = None,
    ragged: Annotated[str, typer.Option("--ragged", help="a CSV/TSV row with fewer fields than the header: error "
                                        "(names the line) or pad (the missing fields are empty)")] = "error",
    delimiter: Annotated[str | None, typer.Option("--delimiter", help="the CSV delimiter (default: sniffed; it "
                                                  "must appear in the header line either way)")] = None,
    skip: Annotated[int | None, typer.Option("--skip", min=0, help="lines to drop above a CSV/TSV table (a title, "
                                             "a line of metadata); default: the lines starting with '#' above it "
                                             "that are narrower than the table (comments)",
                                             show_default=False)] = None,
    header: Annotated[bool, typer.Option("--header/--no-header", help="whether the first CSV/TSV row (after "
                                         "--skip) names the columns; --no-header names them column1, column2, "
                                         "...")] = True,
    comment: Annotated[str | None, typer.Option("--comment", help="skip every CSV/TSV line that starts with "
                                                "this (e.g. '#')")] = None,
    categorical: Annotated[bool | None, typer.Option(
        "--categorical/--no-categorical", help="the model's column model (tinylab fit-columns) may call a column of "
        "repeated values categorical; default: when the model has one (semantic-types-extended does)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the profile as one line of JSON: an array of one "
                                          "object per column (README, \"tinylab profile --json\")")] = False,
) -> None:
    """The semantic type of every column of a table."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from tinylab.predict import Predictor
    from tinylab.tasks.semantic_types.columns import profile_table
    from tinylab.tasks.semantic_types.reading import DATABASE_SUFFIXES, NULL_TOKENS, file_format

    if (table is not None or query is not None) and file_format(file)[0] is not None:
        raise TinylabError(f"{file}: --table and --query read a DuckDB database ({', '.join(DATABASE_SUFFIXES)}); "
                           "a CSV, TSV, Parquet or JSON file is profiled without them")
    predictor = Predictor.from_run(model)
    if predictor.task.name != "semantic-types":
        raise TinylabError(f"--model {model}: profiling needs a semantic-types model, not a {predictor.task.name} one "
                           "(e.g. semantic-types-extended, or a semantic-types run directory)")
    is_db = file.suffix.lower() in DATABASE_SUFFIXES or table is not None or query is not None
    if is_db:
        if not file.is_file():
            raise TinylabError(f"{file}: no such DuckDB database")
        profiles = profile_table(predictor, database=file, table=table, query=query, sample_size=sample,
                                 categorical=categorical, na=NULL_TOKENS if na is None else na)
    else:
        profiles = profile_table(predictor, file, sample_size=sample, encoding=encoding, categorical=categorical,
                                 na=NULL_TOKENS if na is None else na, ragged=ragged, delimiter=delimiter,
                                 skip=skip, header=header, comment=comment)
    if as_json:
        print(json.dumps([p.as_json() for p in profiles], ensure_ascii=False))
        return
    # the type is never cut: its column is as wide as the longest type, and the values (distinct count, range
    # or examples), the runner-up and the rule that decided go under it (wrapped at spaces), so the table
    # reads at any terminal width
    t = Table(show_lines=True)
    t.add_column("column")
    t.add_column("type (values; runner-up; rule)", min_width=max((len(p.type) for p in profiles), default=4))
    t.add_column("confidence")
    t.add_column("nulls")
    for p in profiles:
        values = f"{p.distinct:,} distinct; {_range_or_examples(p)}"
        detail = f"runner-up {p.runner_up or '-'}" + (f"; {p.rule}" if p.rule else "")
        t.add_row(p.column, f"[bold]{escape(p.type)}[/bold]\n{escape(values)}\n[dim]{escape(detail)}[/dim]",
                  f"{p.confidence:.3f}", _percent(p.null_share))
    Console().print(t)


def _range_or_examples(p: ColumnProfile) -> str:
    """A numeric column's range over every value, else up to three of its most frequent values."""
    if p.min is not None and p.max is not None:
        return f"range {_short_number(p.min)} – {_short_number(p.max)}"
    return "e.g. " + ", ".join(v if len(v) <= 24 else v[:23] + "…" for v in p.examples)


def _short_number(x: float) -> str:
    return f"{int(x):,}" if x.is_integer() and abs(x) < 1e15 else f"{x:.6g}"


def _percent(share: float) -> str:
    """A share as a whole percentage that never reads 0% or 100% when it is not exactly that."""
    if 0 < share < 0.01:
        return "<1%"
    if 0.99 < share < 1:
        return ">99%"
    return f"{share:.0%}"
