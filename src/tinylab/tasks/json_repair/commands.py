"""json-repair's own command: ``tinylab json repair [FILE|-] [--strict] [--explain]``."""

from __future__ import annotations

import codecs
import sys
from pathlib import Path
from typing import Annotated

import typer

json_app = typer.Typer(help="Repair broken JSON (LLM output, truncated streams, hand-edited files).",
                       no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the task's commands to the ``tinylab`` app."""
    app.add_typer(json_app, name="json")


def read_input(file: str, encoding: str) -> str:
    """The text of FILE (or standard input for ``-``), decoded strictly: bytes that are not ``encoding``
    are an error naming where, never silently replaced."""
    from tinylab.errors import TinylabError

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise TinylabError(f"--encoding {encoding!r} is not a text encoding Python knows (e.g. utf-8, utf-16, "
                           "latin-1)") from None
    name = "standard input" if file == "-" else file
    if file == "-":
        data = sys.stdin.buffer.read()
    else:
        path = Path(file)
        if path.is_dir():
            raise TinylabError(f"{file}: is a directory, not a file")
        if not path.exists():
            raise TinylabError(f"{file}: no such file")
        data = path.read_bytes()  # also /dev/stdin and <(command)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        raise TinylabError(f"{name}: not {encoding} text ({e.reason} at byte {e.start}); pass --encoding "
                           "(e.g. utf-16, latin-1)") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if text and text.count("\x00") > len(text) // 4:
        raise TinylabError(f"{name}: looks like UTF-16 or binary data (NUL bytes throughout); pass "
                           "--encoding utf-16 if it is text")
    return text


@json_app.command("repair")
def repair_cmd(
    file: Annotated[str, typer.Argument(help="a file holding one JSON document, or - for standard input")] = "-",
    strict: Annotated[bool, typer.Option("--strict", help="exit 1 instead of guessing where the repair is "
                                                          "ambiguous")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="list the edits on standard error")] = False,
    model: Annotated[str | None, typer.Option("--model", help="a json-repair run directory whose scorer "
                                                              "to use (default: the shipped one)")] = None,
    encoding: Annotated[str, typer.Option("--encoding", help="text encoding of the input")] = "utf-8",
) -> None:
    """Write the repaired JSON of FILE (or standard input) to standard output as canonical JSON (Python's
    json.dumps of the value). Exit 2 when the input holds no JSON value to recover; 1 when --strict refuses
    to guess. A repair that was a guess, or dropped data after the value, is also said on standard error."""
    from tinylab.errors import TinylabError
    from tinylab.json_repair import RepairError, load_scorer, repair

    text = read_input(file, encoding)
    try:
        result = repair(text, strict=strict, scorer=load_scorer(model))
    except RepairError as e:
        if "no JSON value" in str(e):
            raise TinylabError(str(e)) from None
        print(f"error: {e}", file=sys.stderr)
        raise typer.Exit(1) from None
    if explain:
        for line in result.explain() or ["no edits: the input is valid JSON"]:
            print(line, file=sys.stderr)
        print(f"confidence {result.confidence:.3f}", file=sys.stderr)
    if not result.recovered:
        reason = result.edits[-1].kind if result.edits else "the input is empty"
        raise TinylabError(f"no JSON value could be recovered from the input ({reason})")
    if result.doubts and not explain:
        print(f"warning: {len(result.doubts)} edit(s) were guesses (confidence {result.confidence:.2f}); "
              "--explain lists them, --strict refuses them", file=sys.stderr)
    print(result.text)
