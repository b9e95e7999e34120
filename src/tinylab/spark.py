"""tinylab models inside Spark: pandas (Arrow) UDFs that run a shipped model's ONNX file on the executors.

    from pyspark.sql import SparkSession
    from tinylab.spark import predict_udf, semantic_type

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    df = spark.createDataFrame([("192.168.1.1",), ("hello@example.com",)], ["value"])
    df.select("value", semantic_type("value").alias("type")).show()
    df.select(predict_udf("semantic-types", field="score")("value")).show()
    df.select(predict_udf("word-rarity")("value")).show()      # any model: its answer as JSON text

Each Python worker loads the model once (verified against its manifest) and predicts whole Arrow batches;
onnxruntime runs single-threaded there, since Spark already runs one worker per core. Needs the ``spark``
extra (pyspark) and a Java runtime Spark supports (17 or later for Spark 4).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql import Column

    from tinylab.api import Model

_MODELS: dict[str, Model] = {}  # per executor process: each model loaded once
NUMERIC_FIELDS = {"score", "rarity", "probability", "confidence"}


def _model(name: str) -> Model:
    if name not in _MODELS:
        import os

        os.environ.setdefault("OMP_NUM_THREADS", "1")
        from tinylab.api import load
        from tinylab.onnx_runtime import OnnxModel

        model = load(name)
        predictor = model.predictor
        if predictor.onnx is not None and predictor.run_dir is not None:  # one thread: Spark runs one task per core
            predictor.onnx = OnnxModel(predictor.run_dir / "model.onnx", threads=1)
            predictor.workers = 1
        _MODELS[name] = model
    return _MODELS[name]


def answers(name: str, values: list[Any], field: str | None, top_k: int = 1) -> list[Any]:
    """The model's answers for one batch: ``field`` of each record, or each record as JSON text."""
    from tinylab.api import is_null as missing  # Arrow hands a pandas UDF nulls as None or NaN

    present = [v for v in values if not missing(v)]
    records = iter(_model(name).predict(present, top_k=top_k) if present else [])
    out: list[Any] = []
    for v in values:
        if missing(v):
            out.append(None)
            continue
        r = next(records)
        r.pop("input", None)
        out.append(json.dumps(r, ensure_ascii=False) if field is None else r.get(field))
    return out


def predict_udf(model: str = "semantic-types", field: str | None = None, top_k: int = 1) -> Any:
    """A pandas UDF predicting with ``model`` (a shipped model's name or a run directory every executor can
    read). ``field``: one field of the answer (``label`` and ``score`` for single-label models, ``rarity``
    for word-rarity, ``json`` for json-repair); None gives the whole answer as JSON text. Nulls stay null."""
    import pandas as pd
    from pyspark.sql.functions import pandas_udf

    m = _model(model)  # here, on the driver: a wrong name or field fails now, not inside a Spark job
    if field is not None and m.input_type == "text":
        known = sorted(json.loads(answers(model, ["example"], None)[0]))
        if field not in known:
            raise ValueError(f"{model} answers have no field {field!r}; fields: {', '.join(known)}")
    return_type = "double" if field in NUMERIC_FIELDS else "string"

    def predict(values):  # type: ignore[no-untyped-def]
        return pd.Series(answers(model, values.tolist(), field, top_k), index=values.index)

    # pyspark reads the series-to-series form from real annotations (this module's are strings)
    predict.__annotations__ = {"values": pd.Series, "return": pd.Series}
    return pandas_udf(predict, return_type)  # type: ignore[call-overload]


def semantic_type(column: str | Column, model: str = "semantic-types") -> Column:
    """The semantic type of each value of ``column`` (a string column), as a string column."""
    udf = predict_udf(model, field="label")
    result: Column = udf(column)
    return result
