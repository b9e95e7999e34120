"""``tinylab data list`` and ``tinylab data fetch NAME``: the registered datasets, their provenance, and a
verified download into the user cache (the library is :mod:`tinylab.data_registry`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

data_app = typer.Typer(no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]},
                       help="The real datasets tasks read: provenance, verified download.")


@data_app.command("list")
def data_list_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON array on stdout")] = False,
) -> None:
    """Every registered dataset: source, licence, citation, sha256, and where it is read from now.

    The local copy is checked file by file against the registered hashes."""
    from tinylab.data_registry import check, locate, registry

    rows = []
    for entry in registry().values():
        where = locate(entry)
        problems = check(entry, where) if where is not None else []
        state = "not present" if where is None else ("verified" if not problems else
                                                      f"{len(problems)} file(s) differ from the registry")
        rows.append({"name": entry.name, "tasks": list(entry.tasks), "title": entry.title,
                     "licence": entry.licence, "source": entry.source, "revision": entry.revision,
                     "citation": entry.citation, "files": len(entry.files), "bytes": entry.size,
                     "sha256": entry.sha256, "path": str(where) if where else None, "state": state})
    if as_json:
        print(json.dumps(rows))
        return
    for r in rows:
        print(f"{r['name']}  ({', '.join(r['tasks'])}; {r['licence']}; {r['files']} files, {r['bytes']:,} bytes)")
        print(f"  {r['title']}")
        print(f"  source:   {r['source']} @ {r['revision'][:12]}")
        print(f"  cite:     {r['citation']}")
        print(f"  sha256:   {r['sha256']}")
        print(f"  local:    {r['path'] or '-'} ({r['state']})")


@data_app.command("fetch")
def data_fetch_cmd(
    name: Annotated[str, typer.Argument(help="a dataset name (tinylab data list)")],
    into: Annotated[Path | None, typer.Option("--dir", help="download into DIR/NAME instead of the user cache")
                    ] = None,
    mirror: Annotated[str | None, typer.Option("--mirror", help="a base URL serving the files as "
                                               "MIRROR/NAME/FILE, instead of their public URLs")] = None,
) -> None:
    """Download a dataset into the user cache, checking every file's sha256.

    Exit 1 if a file is corrupted, truncated or cannot be downloaded. The dataset's folder appears only when
    every file is there and verified; a fetch that failed resumes."""
    import pooch

    from tinylab.data_registry import fetch

    pooch.get_logger().setLevel("WARNING")
    where = fetch(name, into, mirror)
    print(f"{where}: {name} downloaded and verified")
