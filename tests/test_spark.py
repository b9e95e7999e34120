"""tinylab.spark: the models as pandas UDFs in a real local Spark session (local[2]). Skipped, with the
reason shown, where pyspark or a Java runtime is missing."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator

import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'tinylab[spark]')")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime for Spark (install Debian's default-jre-headless)", allow_module_level=True)

pytestmark = pytest.mark.long  # a Spark session takes several seconds to start


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers run this interpreter, with tinylab installed
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("tinylab-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_semantic_type_and_fields_match_the_python_api(spark):
    import tinylab
    from tinylab.spark import predict_udf, semantic_type

    values = ["192.168.1.1", "hello@example.com", "2024-01-15T10:30:00Z", None] * 50
    df = spark.createDataFrame([(v,) for v in values], "value string").repartition(2)
    rows = df.select("value", semantic_type("value").alias("type"),
                     predict_udf("semantic-types", field="score")("value").alias("score")).collect()
    want = {r["input"]: r for r in tinylab.load("semantic-types").predict([v for v in values[:3]])}
    assert len(rows) == len(values)
    for r in rows:
        if r["value"] is None:
            assert r["type"] is None and r["score"] is None
        else:
            assert r["type"] == want[r["value"]]["label"]
            assert r["score"] == pytest.approx(want[r["value"]]["score"], abs=1e-5)


def test_any_model_answers_as_json_text(spark):
    import json

    from tinylab.spark import predict_udf

    df = spark.createDataFrame([("{a: 1, 'b': True,}",), ("[1, 2",)], "doc string")
    out = [json.loads(r[0]) for r in df.select(predict_udf("json-repair")("doc")).collect()]
    assert json.loads(out[0]["json"]) == {"a": 1, "b": True} and out[0]["changed"] is True
    repaired = [r[0] for r in df.select(predict_udf("json-repair", field="json")("doc")).collect()]
    assert json.loads(repaired[1]) == [1]


def test_a_wrong_field_or_model_fails_when_the_udf_is_made(spark):
    from tinylab.errors import TinylabError
    from tinylab.spark import predict_udf

    with pytest.raises(ValueError, match="fields: label, predictions, score"):
        predict_udf("semantic-types", field="nope")
    with pytest.raises(TinylabError, match="no-such-model"):
        predict_udf("no-such-model")
