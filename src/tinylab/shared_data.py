"""Where the real datasets are read from (the entries of ``datasets.json``, see :mod:`tinylab.data_registry`).

In order: ``$TINYLAB_DATA`` (also set by ``tinylab --data-dir DIR``), ``$TINYLAB_SHARED_DATA``,
``../shared/data`` beside the project (never copied into it), and the user cache that
``tinylab data fetch NAME`` downloads into."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from tinylab.errors import TinylabError

DATA_ENV = "TINYLAB_DATA"
ENV = "TINYLAB_SHARED_DATA"


def cache_root() -> Path:
    """The user cache folder ``tinylab data fetch`` downloads into (platformdirs: ~/.cache/tinylab/data on
    Linux, honouring $XDG_CACHE_HOME)."""
    try:
        from platformdirs import user_cache_dir
    except ModuleNotFoundError as e:
        from tinylab.extras import missing_extra

        raise missing_extra(e) or e from None
    return Path(user_cache_dir("tinylab", appauthor=False)) / "data"


def candidates() -> list[Path]:
    """Places looked at, in order: $TINYLAB_DATA, $TINYLAB_SHARED_DATA, ../shared/data from the working
    directory, ../shared/data beside the source checkout tinylab is installed from (an editable install), and
    the user cache (when platformdirs is installed)."""
    out = []
    for var in (DATA_ENV, ENV):
        if os.environ.get(var):
            out.append(Path(os.environ[var]))
    out.append(Path.cwd().parent / "shared" / "data")
    out.append(Path(__file__).resolve().parents[3] / "shared" / "data")
    with contextlib.suppress(TinylabError):  # platformdirs not installed: no user cache
        out.append(cache_root())
    return out


def shared_file(relative: str) -> Path:
    """The path of ``relative`` inside the first data folder that has it, or an error naming every place
    looked at and the command that downloads the dataset."""
    for root in candidates():
        path = root / relative
        if path.is_file():
            return path
    looked = ", ".join(str(root / relative) for root in candidates())
    name = relative.split("/")[0]
    raise TinylabError(f"dataset file {relative!r} not found (looked at: {looked}); download it with "
                       f"`tinylab data fetch {name}`, set {DATA_ENV} (or `tinylab --data-dir DIR`) to a folder "
                       "holding it, or pass the file with --set data.path=FILE")
