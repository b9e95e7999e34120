"""tinylab.load: the Python API a user's code calls. Any column type in, records or a DataFrame out, the
same answers as the command line, and the errors a user meets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import tinylab
from tinylab.errors import TinylabError

from conftest import run_cli

VALUES = ["192.168.1.1", "2024-01-15T10:30:00Z", "hello@example.com"]


@pytest.fixture(scope="module")
def model() -> tinylab.Model:
    return tinylab.load("semantic-types")


def test_load_returns_a_model_that_says_what_it_is(model):
    assert model.task == "semantic-types" and model.kind == "single_label" and len(model.labels) == 151
    assert model.runtime == "onnxruntime" and "semantic-types" in repr(model)
    assert "load" in tinylab.__all__ and tinylab.load.__doc__


def test_records_match_the_command_line(model):
    records = model.predict(VALUES)
    cli = json.loads(run_cli("predict", "semantic-types", *VALUES, "--json").stdout)
    assert [r["input"] for r in records] == VALUES
    assert [r["label"] for r in records] == [c["predictions"][0]["label"] for c in cli]
    assert [r["label"] for r in records] == ["technology.internet.ip_v4", "datetime.timestamp.iso_8601",
                                             "identity.person.email"]
    assert all(0 < r["score"] <= 1 for r in records)


def test_every_column_type_gives_the_same_answers(model):
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    want = [r["label"] for r in model.predict(VALUES)]
    for column in (tuple(VALUES), np.array(VALUES), np.array(VALUES, dtype=object), pd.Series(VALUES),
                   pd.Index(VALUES), pl.Series(VALUES), pa.array(VALUES), pa.chunked_array([VALUES[:1], VALUES[1:]]),
                   (v for v in VALUES)):
        assert [r["label"] for r in model.predict(column)] == want, type(column)


def test_a_dataframe_with_one_row_per_input(model):
    frame = model.predict(VALUES, as_frame=True, top_k=3)
    assert list(frame["input"]) == VALUES and {"label", "score", "predictions"} <= set(frame.columns)
    assert all(len(p) == 3 for p in frame["predictions"])
    assert model.predict([]) == [] and len(model.predict([], as_frame=True)) == 0


def test_scores_are_the_raw_probabilities(model):
    scores = model.scores(VALUES)
    assert scores.shape == (3, 151) and np.allclose(scores.sum(1), 1, atol=1e-4)


def test_a_bare_string_is_a_clear_type_error(model):
    with pytest.raises(TypeError, match=r"\[value\]"):
        model.predict("192.168.1.1")


def test_other_kinds_through_the_same_api():
    rarity = tinylab.load("word-rarity").predict(["the", "zyzzogeton"])
    assert rarity[0]["source"] == "list" and 0 <= rarity[1]["rarity"] <= 1.5
    repaired = tinylab.load("json-repair").predict(["{a: 1, 'b': [True,]}"])
    assert json.loads(repaired[0]["json"]) == {"a": 1, "b": [True]}


def test_unknown_names_and_tampered_runs_are_refused(tmp_path: Path):
    with pytest.raises(TinylabError, match="neither a run directory"):
        tinylab.load("no-such-model")
    from tinylab.predict import pretrained_dir

    copy = tmp_path / "run"
    shutil.copytree(pretrained_dir("word-rarity"), copy)
    (copy / "meta.json").write_text((copy / "meta.json").read_text() + " ", encoding="utf-8")
    with pytest.raises(TinylabError, match=r"meta\.json"):
        tinylab.load(copy)


def test_nulls_give_null_answers_and_numbers_are_read_as_text(model):
    import pandas as pd

    records = model.predict(["192.168.1.1", None, float("nan"), 42])
    assert records[1] == {"input": None} and records[2] == {"input": None}
    assert records[0]["label"] == "technology.internet.ip_v4" and records[3]["input"] == "42"
    frame = model.predict(pd.Series(["hello@example.com", None, "192.168.1.1"], index=[10, 20, 30]), as_frame=True)
    assert list(frame.index) == [10, 20, 30]  # aligned with the caller's rows
    assert frame.loc[30, "label"] == "technology.internet.ip_v4" and pd.isna(frame.loc[20, "label"])


def test_wrong_arguments_are_clear_errors(model):
    with pytest.raises(TypeError, match="not a dict"):
        model.predict({"a": 1})
    for k in (0, -1, "2", True):
        with pytest.raises(ValueError, match="top_k"):
            model.predict(["a"], top_k=k)
    with pytest.raises(TypeError, match=r"inputs\[0\] is bytes"):
        model.predict([b"abc"])


def test_a_folder_named_like_a_shipped_model_does_not_shadow_it(tmp_path: Path, monkeypatch):
    from tinylab.predict import pretrained_dir

    shutil.copytree(pretrained_dir("word-rarity"), tmp_path / "semantic-types")
    monkeypatch.chdir(tmp_path)
    assert tinylab.load("semantic-types").task == "semantic-types"
    assert tinylab.load("./semantic-types").task == "word-rarity"  # a path means the folder
