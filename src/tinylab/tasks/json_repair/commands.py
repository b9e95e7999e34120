"""json-repair's own command: ``tinylab json repair [FILE|-] [--strict] [--explain]``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

json_app = typer.Typer(help="Repair broken JSON (LLM output, truncated streams, hand-edited files).",
                       no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the task's commands to the ``tinylab`` app."""
    app.add_typer(json_app, name="json")


@json_app.command("repair")
def repair_cmd(
    file: Annotated[str, typer.Argument(help="a file holding one JSON document, or - for standard input")] = "-",
    strict: Annotated[bool, typer.Option("--strict", help="exit 1 instead of guessing where the repair is "
                                                          "ambiguous")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="list the edits on standard error")] = False,
    model: Annotated[str | None, typer.Option("--model", help="a json-repair run directory whose scorer "
                                                              "to use (default: the shipped one)")] = None,
    encoding: Annotated[str, typer.Option("--encoding", help="text encoding of FILE")] = "utf-8",
) -> None:
    """Write the repaired JSON of FILE (or standard input) to standard output, as compact canonical JSON."""
    from tinylab.errors import TinylabError
    from tinylab.json_repair import RepairError, load_scorer, repair

    if file == "-":
        text = sys.stdin.read()
    else:
        path = Path(file)
        if not path.is_file():
            raise TinylabError(f"{file}: no such file")
        try:
            text = path.read_text(encoding=encoding)
        except UnicodeDecodeError as e:
            raise TinylabError(f"{file}: not {encoding} text ({e.reason} at byte {e.start}); "
                               "pass --encoding (e.g. utf-16, latin-1)") from None
    try:
        result = repair(text, strict=strict, scorer=load_scorer(model))
    except RepairError as e:
        print(f"error: {e}", file=sys.stderr)
        raise typer.Exit(1) from None
    if explain:
        for line in result.explain() or ["no edits: the input is valid JSON"]:
            print(line, file=sys.stderr)
        print(f"confidence {result.confidence:.3f}", file=sys.stderr)
    if result.value is None and result.changed and result.confidence == 0.0:
        print("error: no JSON value could be recovered from the input", file=sys.stderr)
        raise typer.Exit(1)
    print(result.text)
