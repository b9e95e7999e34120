"""The from-file task: ``tinylab train from-file DATA --input COL --target COL [--target COL ...] [--group COL]``
trains on a CSV, TSV, Parquet or JSON Lines file. The targets decide the kind, the inputs the model."""

from tinylab.tasks.from_file.task import FromFileTask

__all__ = ["FromFileTask"]
