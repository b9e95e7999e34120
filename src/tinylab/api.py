"""The Python API: ``tinylab.load(name_or_run)`` and the model it returns.

    import tinylab

    model = tinylab.load("semantic-types")            # a shipped model's name, a task, or a run directory
    model.predict(["192.168.1.1", "hello@example.com"])
    # [{'input': '192.168.1.1', 'label': 'technology.internet.ip_v4', 'score': 0.97, 'predictions': [...]}, ...]
    model.predict(df["ip"], as_frame=True)           # a pandas DataFrame, one row per input

Inputs are a batch: a list or tuple, a numpy array, or a pandas, polars or Arrow column (for array tasks, an
``(n, ...)`` numpy array or a list of arrays). The model runs on onnxruntime when the run has an ONNX model
(every shipped model does) and never imports torch then.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tinylab.errors import ItemError, TinylabError

if TYPE_CHECKING:
    import pandas as pd

    from tinylab.predict import Predictor


def as_items(data: Any, input_type: str = "text") -> list[Any]:
    """A batch of items from any column-like input: list, tuple, numpy array, pandas Series/Index, polars
    Series, pyarrow Array/ChunkedArray, or any other iterable. A bare string or bytes is refused (a batch of
    one is ``[value]``)."""
    if isinstance(data, str | bytes):
        raise TypeError("predict takes a batch of items; for one value pass [value]")
    if isinstance(data, dict):
        raise TypeError("predict takes a batch of items (a list or a column), not a dict")
    if isinstance(data, np.ndarray):
        if input_type == "array":
            return list(data)
        return data.tolist()
    module = type(data).__module__.split(".")[0]
    if module == "pandas":
        return data.tolist()
    if module == "polars":
        return data.to_list()
    if module == "pyarrow":
        return data.to_pylist()
    if isinstance(data, Sequence):
        return list(data)
    if isinstance(data, Iterable):
        return list(data)
    raise TypeError(f"predict takes a batch of items (list, numpy array, pandas/polars/Arrow column), "
                    f"not {type(data).__name__}")


def is_null(v: Any) -> bool:
    """A null in a column: None, or a float NaN (pandas' and Arrow's missing value)."""
    return v is None or (isinstance(v, float) and v != v)


def _text_item(v: Any, i: int) -> str:
    """An item for a text model: strings as they are, numbers and booleans as their text. A string that is
    not valid Unicode (a lone surrogate, which no text file can hold) is refused, naming where."""
    if isinstance(v, str):
        try:
            v.encode("utf-8")
        except UnicodeEncodeError as e:
            raise TinylabError(f"inputs[{i}] is not valid Unicode: a lone surrogate {v[e.start]!r} at position "
                               f"{e.start}") from None
        return v
    if isinstance(v, bool | int | float | np.integer | np.floating):
        return str(v.item() if isinstance(v, np.generic) else v)
    raise TypeError(f"inputs[{i}] is {type(v).__name__}; this model takes strings (numbers are read as text)")


def _flatten(record: dict[str, Any]) -> dict[str, Any]:
    """A prediction with its first ranked answer lifted to the top: ``label`` and ``score`` for a
    single-label model, ``labels`` for multi-label and binary, ``value`` for regression; the full answer
    stays under its own keys."""
    preds = record.get("predictions")
    if (isinstance(preds, list) and preds and isinstance(preds[0], dict) and "label" in preds[0]
            and "probability" in preds[0] and "label" not in record):
        return {"label": preds[0]["label"], "score": preds[0]["probability"], **record}
    return dict(record)


class Model:
    """A loaded model: ``predict`` a batch, as records or as a DataFrame.

    Attributes: ``name`` (what it was loaded as), ``task``, ``kind``, ``labels``, ``run_dir``, ``runtime``
    (``onnxruntime`` or ``torch``)."""

    def __init__(self, predictor: Predictor, name: str) -> None:
        self.predictor = predictor
        self.name = name
        self.task = predictor.task.name
        self.kind = predictor.kind.name
        self.labels = list(predictor.labels)
        self.run_dir = predictor.run_dir
        self.runtime = predictor.runtime
        self.input_type = getattr(predictor.task, "input_type", "text")

    def __repr__(self) -> str:
        return f"<tinylab model {self.name!r}: {self.task} ({self.kind}, {len(self.labels)} labels, {self.runtime})>"

    def predict(self, inputs: Any, *, top_k: int = 1, as_frame: bool = False,
                reference: bool = True) -> list[dict[str, Any]] | pd.DataFrame:
        """Predict a batch. Returns one record per input (``input`` plus the model's answer, as
        ``tinylab predict --json`` prints it beside ``value``; a null input gives ``{"input": None}``), or with
        ``as_frame=True`` a pandas DataFrame of them (with the input Series' index when it is one).
        ``top_k``: labels per item (single-label) or runners-up shown (multi-label); ``reference=False``
        ignores a task's reference table (word-rarity's word list) and gives the model's own answer."""
        if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1:
            raise ValueError(f"top_k must be a positive integer, not {top_k!r}")
        items = as_items(inputs, self.input_type)
        present = [i for i, v in enumerate(items) if not is_null(v)]
        values = [items[i] for i in present]
        if self.input_type == "text":
            values = [_text_item(v, i) for i, v in zip(present, values, strict=True)]
            check = getattr(self.predictor.task, "check_item", None)
            for i, v in zip(present, values, strict=True):
                problem = check(v) if check is not None else None
                if problem:
                    raise ItemError(i, f"= {v!r}: {problem}")
        answers = self.predictor.predict_json(values, top_k, reference=reference) if values else []
        records: list[dict[str, Any]] = [{"input": None} for _ in items]  # a null input gets a null answer
        for i, v, a in zip(present, values, answers, strict=True):
            records[i] = {"input": v, **(_flatten(a) if self.kind == "single_label" else a)}
        if not as_frame:
            return records
        try:
            import pandas as pd
        except ModuleNotFoundError:
            raise TinylabError("as_frame=True needs pandas: pip install pandas") from None
        index = inputs.index if type(inputs).__module__.split(".")[0] == "pandas" and hasattr(inputs, "index") \
            else None
        return pd.DataFrame.from_records(records, index=index)

    __call__ = predict

    def scores(self, inputs: Any) -> np.ndarray:
        """The raw scores, one row per input (class or label probabilities, or values): the fastest form."""
        return self.predictor.predict_proba(as_items(inputs, self.input_type))


def load(name_or_run: str | Path, *, runtime: str = "auto") -> Model:
    """A model by a shipped model's name (``semantic-types``, ``semantic-types-int8``, ...), a task's name
    (its shipped default) or a run directory. The run's manifest is verified first: a tampered file is an
    error. ``runtime``: ``auto`` (onnxruntime when the run has an ONNX model), ``onnx`` or ``torch``."""
    from tinylab.predict import Predictor

    if runtime not in ("auto", "onnx", "torch"):
        raise ValueError(f"runtime must be auto, onnx or torch, not {runtime!r}")
    predictor = Predictor.from_run(str(name_or_run), runtime=runtime)  # type: ignore[arg-type]
    return Model(predictor, str(name_or_run))
