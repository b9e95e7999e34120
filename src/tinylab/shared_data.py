"""Where the project's real datasets live: ``../shared/data`` beside the project (never copied into it)."""

from __future__ import annotations

import os
from pathlib import Path

from tinylab.errors import TinylabError

ENV = "TINYLAB_SHARED_DATA"


def candidates() -> list[Path]:
    """Places looked at, in order: $TINYLAB_SHARED_DATA, ../shared/data from the working directory, and
    ../shared/data beside the source checkout tinylab is installed from (an editable install)."""
    out = []
    if os.environ.get(ENV):
        out.append(Path(os.environ[ENV]))
    out.append(Path.cwd().parent / "shared" / "data")
    out.append(Path(__file__).resolve().parents[3] / "shared" / "data")
    return out


def shared_file(relative: str) -> Path:
    """The path of ``relative`` inside the shared data directory, or an error naming every place looked at."""
    for root in candidates():
        path = root / relative
        if path.is_file():
            return path
    looked = ", ".join(str(root / relative) for root in candidates())
    raise TinylabError(f"dataset file {relative!r} not found (looked at: {looked}); set {ENV} to the directory "
                       "holding the shared datasets, or pass the file with --set data.path=FILE")
