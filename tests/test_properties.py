"""Property tests (hypothesis) on the public entry points that take user text or files: every shipped model's
``tinylab.load(...).predict``, spec files and ``--set`` values. For any input: no exception but
TinylabError (or ValueError for a wrong argument type), no hang (a deadline per example), and the same
output for the same input."""

from __future__ import annotations

import json
import math
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinylab
from tinylab.errors import TinylabError
from tinylab.predict import shipped_models

# any text: control characters, NUL, lone surrogates, combining marks, right-to-left, emoji
TEXT = st.text(alphabet=st.characters(codec=None), max_size=300)
TEXTS = st.lists(st.one_of(TEXT, st.sampled_from(["", " ", "\x00", "\ud800", "x" * 5000, "\n\r\t", "null"])),
                 min_size=1, max_size=8)
_MODELS: dict[str, tinylab.Model] = {}


def _model(name: str) -> tinylab.Model:
    if name not in _MODELS:
        _MODELS[name] = tinylab.load(name)
    return _MODELS[name]


def _same(a: object, b: object) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


TEXT_MODELS = [m for m in shipped_models() if m != "track-id"]
SLOW = {"clause-labels", "unfair-clauses"}  # a sentence encoder per call


@pytest.mark.parametrize("name", TEXT_MODELS)
def test_any_text_predicts_or_is_refused_in_one_line_and_the_same_text_gives_the_same_answer(name: str):
    if name in SLOW:
        pytest.importorskip("sentence_transformers")
    model = _model(name)

    @settings(max_examples=15 if name in SLOW else 40, deadline=timedelta(seconds=10), derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(texts=TEXTS)
    def check(texts: list[str]) -> None:
        try:
            first = model.predict(texts)
        except TinylabError as e:
            assert "\n" not in str(e)
            with pytest.raises(TinylabError):
                model.predict(texts)
            return
        assert len(first) == len(texts)
        assert _same(first, model.predict(texts))

    check()


def test_any_array_predicts_or_is_refused_for_track_id():
    model = _model("track-id")
    shapes = st.one_of(st.just((1, 128, 32)), st.just((2, 128, 32)), hnp.array_shapes(min_dims=1, max_dims=4,
                                                                                       max_side=40))
    arrays = shapes.flatmap(lambda s: hnp.arrays(np.float32, s, elements=st.floats(width=32)))

    @settings(max_examples=40, deadline=timedelta(seconds=10), derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(images=arrays)
    def check(images: np.ndarray) -> None:
        try:
            first = model.predict(images)
        except (TinylabError, ValueError) as e:
            assert "\n" not in str(e)
            return
        assert _same(first, model.predict(images))
        for r in first:
            for v in r.values():
                assert not (isinstance(v, float) and math.isnan(v))

    check()


TOML_ISH = st.text(alphabet=st.sampled_from(list('abcdefghijklmnopqrstuvwxyz_.=[]"\' \n0123456789-+#{},\x00\t')),
                   max_size=200)


@settings(max_examples=200, deadline=timedelta(seconds=2), derandomize=True)
@given(text=st.one_of(TOML_ISH, st.text(max_size=200)), raw=st.binary(max_size=60))
def test_any_spec_file_resolves_or_is_one_spec_error(tmp_path_factory: pytest.TempPathFactory, text: str,
                                                      raw: bytes):
    from tinylab.errors import SpecError
    from tinylab.lifecycle import resolve_spec
    from tinylab.tasks import get_task

    task = get_task("word-rarity")
    folder = tmp_path_factory.mktemp("spec")
    for body in (text.encode("utf-8", "surrogatepass"), raw, b'task = "word-rarity"\n' + raw):
        path = folder / "spec.toml"
        path.write_bytes(body)
        outcomes = []
        for _ in range(2):
            try:
                outcomes.append(resolve_spec(task, Path(path), None).model_dump())
            except SpecError as e:
                assert "\n" not in str(e).strip() or "line" in str(e)
                outcomes.append(str(e))
        assert _same(outcomes[0], outcomes[1])


@settings(max_examples=200, deadline=timedelta(seconds=2), derandomize=True)
@given(key=st.sampled_from(["train.epochs", "train.lr", "model.dropout", "data.train_words", "targets.spearman",
                            "train", "x", "train.epochs.x", ""]),
       value=st.one_of(st.text(max_size=40), st.integers().map(str), st.floats().map(str)))
def test_any_override_resolves_or_is_one_spec_error(key: str, value: str):
    from tinylab.errors import SpecError
    from tinylab.lifecycle import resolve_spec
    from tinylab.tasks import get_task

    task = get_task("word-rarity")
    try:
        resolve_spec(task, None, [f"{key}={value}"])
    except SpecError as e:
        assert len(str(e)) < 1000
