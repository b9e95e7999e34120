from __future__ import annotations

import os
import random
import subprocess
import sys

import numpy as np
import pytest

from tinylab.predict import Predictor
from tinylab.tasks.semantic_types.generators import generate
from tinylab.tasks.semantic_types.task import SemanticTypesTask


def _values() -> list[str]:
    labels = ["technology.internet.ip_v4", "identity.person.email", "datetime.date.iso", "technology.internet.url",
              "identity.payment.credit_card_number", "technology.internet.user_agent", "geography.location.city"]
    values = [v for lab in labels for v in generate(lab, 150, seed=5)] + ["", "x" * 300]
    random.Random(1).shuffle(values)
    return values


def test_threaded_chunks_give_the_same_answers_in_the_input_order():
    threaded = Predictor.from_run("semantic-types")
    assert threaded.onnx is not None and threaded.workers == min(4, os.cpu_count() or 1)
    single = Predictor(threaded.task, threaded.spec, threaded.labels, threaded.model, threaded.meta,
                       threaded.run_dir, threaded.onnx, workers=1)
    values = _values()
    a = threaded.predict_proba(values)
    b = single.predict_proba(values)
    np.testing.assert_allclose(a, b, atol=1e-6)
    # each row is that value's own prediction, whatever batch it came in
    for i in (0, 17, len(values) - 1):
        np.testing.assert_allclose(threaded.predict_proba([values[i]])[0], a[i], atol=1e-5)
    assert np.allclose(a.sum(axis=1), 1.0, atol=1e-5)


class _FailsOnBoom(SemanticTypesTask):
    def __init__(self) -> None:
        self.calls: list[int] = []

    def postprocess(self, spec, inputs, proba, labels):  # type: ignore[no-untyped-def]
        self.calls.append(len(inputs))
        if "boom" in inputs:
            raise RuntimeError("a chunk failed")
        return super().postprocess(spec, inputs, proba, labels)


def test_a_failing_chunk_raises_instead_of_leaving_rows_unfilled():
    p = Predictor.from_run("semantic-types")
    task = _FailsOnBoom()
    p.task, p.workers = task, 2
    p.predict_proba(_values()[:600])
    assert len(task.calls) > 1  # the batch really is split into chunks
    with pytest.raises(RuntimeError, match="a chunk failed"):
        p.predict_proba([*_values()[:600], "boom"])


def test_a_predictor_keeps_working_in_a_forked_child_and_from_several_threads():
    from concurrent.futures import ThreadPoolExecutor

    p = Predictor.from_run("semantic-types")
    values = _values()
    expected = p.predict_proba(values)  # the pool now exists in this process
    with ThreadPoolExecutor(3) as callers:  # callers sharing one predictor (e.g. DuckDB calling a UDF)
        for got in callers.map(p.predict_proba, [values] * 3):
            np.testing.assert_allclose(got, expected, atol=1e-6)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: the parent's pool has no threads here; prediction must not hang
        ok = np.allclose(p.predict_proba(values), expected, atol=1e-6)
        os.write(write, b"1" if ok else b"0")
        os._exit(0)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1" and status == 0


def test_serving_with_onnxruntime_never_imports_torch():
    """Prediction (semantic types, word rarity), profiling and the DuckDB function run on onnxruntime without
    importing torch (importing it costs ~1.6 s of every CLI call); asking for the torch model still works and
    imports it then."""
    code = """
import sys, duckdb
import tinylab.tasks.semantic_types.duckdb as st_duckdb
from tinylab.predict import Predictor
from tinylab.tasks.semantic_types.columns import profile_columns
p = Predictor.from_run("semantic-types-extended")
assert p.predict(["192.168.1.1"])[0][0][0] == "technology.internet.ip_v4"
profile_columns(p, {"status": ["open", "closed", "open", "closed", "open", "closed"]})
con = duckdb.connect()
st_duckdb.register(con)
assert con.sql("SELECT semantic_type('bob@example.com')").fetchall()[0][0] == "identity.person.email"
rarity = Predictor.from_run("word-rarity")
assert 0 <= rarity.predict(["zyzzogeton"])[0][0][1] <= 1
assert "torch" not in sys.modules, "torch was imported"
assert p.model is p.model and "torch" in sys.modules  # built from the run's weights on first use
print("ok")
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr


def test_a_string_is_not_a_batch():
    p = Predictor.from_run("semantic-types")
    with pytest.raises(TypeError, match=r"for one value: predict\(\[value\]\)"):
        p.predict("192.168.1.1")
