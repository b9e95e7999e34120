"""A user's data file made ready for training: its inputs, its targets read as their kind, its labels, its
groups and its seeded splits, with every refusal (a missing column, an unreadable value, too few rows) one
error naming the file and what is wrong. Cached per data spec and file version."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tinylab.errors import TinylabError
from tinylab.tasks.from_file.infer import Targets, choose_model, input_texts, read_targets
from tinylab.tasks.from_file.split import MIN_EVAL_ROWS, MIN_TRAIN_ROWS, group_split, row_split, rows_needed, too_small
from tinylab.tasks.from_file.table import file_sha256, file_stat, read_table

if TYPE_CHECKING:
    from tinylab.tasks.from_file.spec import FromFileData


@dataclass(frozen=True)
class FileData:
    path: Path
    sha256: str
    inputs: list[str]
    targets: Targets
    splits: dict[str, np.ndarray]
    how: str  # the split, in words

    @property
    def kind(self) -> str:
        return self.targets.kind

    @property
    def labels(self) -> list[str]:
        return self.targets.labels

    def model_name(self) -> str:
        return choose_model(self.inputs)


def need_data(data: FromFileData) -> None:
    if not data.path:
        raise TinylabError("from-file trains on a data file: tinylab train from-file DATA --input COL --target COL "
                           "(or --set data.path=FILE data.input=COL data.targets=[...])")
    if not data.input:
        raise TinylabError(f"{data.path}: name the input column with --input COL (data.input)")
    if not data.targets:
        raise TinylabError(f"{data.path}: name the target column(s) with --target COL (data.targets)")


def load_file_data(data: FromFileData) -> FileData:
    """The file of ``data`` read, checked and split (cached per data spec and file version)."""
    need_data(data)
    stat = file_stat(Path(data.path))
    return _load(data.model_dump_json(), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4)
def _load(data_json: str, size: int, mtime_ns: int) -> FileData:
    from tinylab.tasks.from_file.spec import FromFileData

    data = FromFileData.model_validate_json(data_json)
    path = Path(data.path)
    sha256 = file_sha256(path)  # first: a changed file is refused as changed, whatever else is wrong with it
    if data.sha256 and data.sha256 != sha256:
        raise TinylabError(f"{path} is not the file this spec was resolved from (sha256 {sha256[:12]}…, the spec "
                           f"says {data.sha256[:12]}…), so its splits would differ: restore that file, or train on "
                           "this one with data.sha256 = \"\" (and leave data.kind out, model.name = \"auto\", to "
                           "infer them again)")
    columns = (data.input, *data.targets, *([data.group] if data.group else []))
    table = read_table(path, data.format, data.delimiter, columns, data.encoding)
    inputs = input_texts(table.columns[data.input], data.input, table.where, path)
    targets = read_targets(table.columns, data.targets, data.kind, table.where, path)
    n = len(inputs)
    if data.group:
        groups = [None if v is None or (isinstance(v, str) and not v.strip()) else str(v)
                  for v in table.columns[data.group]]
        distinct = len(set(groups))
        if distinct < 3:
            raise TinylabError(f"{path}: group column {data.group!r} has {distinct} distinct value(s); a split that "
                               "keeps groups apart needs at least 3")
        splits = group_split(groups, data.val_fraction, data.test_fraction, data.split_seed)
        how = f"groups of {data.group!r} kept whole ({distinct} groups), seed {data.split_seed}"
    else:
        splits = row_split(n, data.val_fraction, data.test_fraction, data.split_seed)
        how = f"rows split at random, seed {data.split_seed}"
    short = too_small(splits)
    if short:
        least = rows_needed(data.val_fraction, data.test_fraction)
        raise TinylabError(f"{path}: {n} rows are too few for a train / validation / test split "
                           f"(val_fraction {data.val_fraction}, test_fraction {data.test_fraction}"
                           f"{', ' + how.split(',')[0] if data.group else ''}: {short} rows; train needs "
                           f"{MIN_TRAIN_ROWS}, validation and test {MIN_EVAL_ROWS} each): give at least {least} rows"
                           + (" and more groups" if data.group else ""))
    return FileData(path, sha256, inputs, targets, splits, how)

