"""word-rarity's numpy path: the same answers as onnxruntime, in [0, 1] for any text (property tests), the
hybrid's split between list and model, and the shipped models' sizes."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinylab.errors import TinylabError
from tinylab.predict import Predictor, pretrained_dir, shipped_models
from tinylab.tasks.word_rarity import lexicon
from tinylab.tasks.word_rarity.features import encode, normalize
from tinylab.tasks.word_rarity.scorer import RarityModel, WordRarity, model_name

NETS = [n for n in shipped_models("word-rarity")
        if json.loads((pretrained_dir(n) / "meta.json").read_text())["model"] == "rarity_net"]
ODD = ["", " ", "\x00", "a\x00b", "\ud800", "x" * 300, "ÉCOLE", "Straße", "naïve", "l'été", "3-d", "🙂🙂", "日本語"]


@pytest.fixture(scope="module")
def en() -> WordRarity:
    return WordRarity.load("en")


def test_every_language_and_size_is_shipped_within_its_budget():
    for lang in lexicon.LANGUAGES:
        assert model_name(lang) in NETS
        nano = RarityModel.from_run(model_name(lang))
        size = (pretrained_dir(model_name(lang)) / "model.safetensors").stat().st_size
        assert nano.n_params <= 7000 and size <= 30_000
        assert nano.language == lang
    assert RarityModel.from_run(model_name("en", "small")).n_params <= 50_000
    with pytest.raises(TinylabError, match="nano and small"):
        model_name("en", "huge")


@pytest.mark.parametrize("name", NETS)
def test_numpy_path_equals_onnxruntime(name: str):
    # blank words excepted: the numpy path answers NaN, and every entry point refuses them before ONNX
    words = list(lexicon.load(RarityModel.from_run(name).language)[0][::401]) + [w for w in ODD if normalize(w)]
    ours = RarityModel.from_run(name)(words)
    onnx = Predictor.from_run(name).predict_proba(words)[:, 0]
    assert np.abs(ours - onnx).max() < 1e-5
    one = np.array([RarityModel.from_run(name).one(w) for w in words[::7]])
    assert np.abs(one - ours[::7]).max() < 1e-5


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=20))
def test_any_text_gets_a_rarity_in_the_unit_interval(en: WordRarity, words: list[str]):
    blank = np.array([normalize(w) == "" for w in words])  # nothing but white space (or NUL): no rarity, NaN
    for values in (en.rarity(words), en.rarity(words, model_only=True)):
        assert values.shape == (len(words),) and np.isnan(values[blank]).all()
        assert np.isfinite(values[~blank]).all() and ((values[~blank] >= 0) & (values[~blank] <= 1)).all()
    for w, b in zip(words, blank, strict=True):
        for one in (en.rarity_one(w), en.rarity_one(w, model_only=True)):
            assert math.isnan(one) if b else 0.0 <= one <= 1.0


def test_an_empty_or_blank_word_has_no_rarity(en: WordRarity):
    words = ["the", "", "   ", "\t\n", "zorglub"]
    for values in (en.rarity(words), en.rarity(words, model_only=True), en.rarity(words * 5000, model_only=True)):
        assert np.isnan(values[1:4]).all() and np.isfinite(values[[0, 4]]).all()
    assert math.isnan(en.rarity_one(" ")) and math.isnan(en.model.one(""))
    with pytest.raises(TypeError, match="a list of words"):
        en.rarity("the")  # one string is not a batch of its letters
    with pytest.raises(TypeError, match=r"words\[1\] is NoneType"):
        en.rarity(["the", None])
    with pytest.raises(TypeError, match="takes a string"):
        en.rarity_one(5)


def test_a_pandas_series_is_read_by_position_not_by_its_index(en: WordRarity):
    import pandas as pd

    words = pd.Series(["umbrella", "the", "zxqvv", "cat"])
    np.testing.assert_array_equal(en.rarity(words.iloc[1:]), en.rarity(["the", "zxqvv", "cat"]))
    shuffled = words.sort_values()
    np.testing.assert_array_equal(en.rarity(shuffled, model_only=True),
                                  en.rarity(list(shuffled), model_only=True))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=10))
def test_encoded_inputs_share_their_width(words: list[str]):
    ngrams, classes = encode(words, 24, 1024, 4)
    assert ngrams.shape == classes.shape and ngrams.min() >= 0 and ngrams.max() <= 1024


def test_extreme_inputs_stay_in_range(en: WordRarity):
    words = ["floccinaucinihilipilification", "zxqvv", "the", "a" * 1000, "qqqqqqqqqqqqqqqqqqqqqq"]
    big = en.rarity(words * 3000, model_only=True)  # several blocks, on threads
    assert ((big >= 0) & (big <= 1)).all()
    assert np.allclose(big[:5], en.rarity(words, model_only=True), atol=1e-6)


def test_hybrid_answers_listed_words_from_the_list(en: WordRarity):
    table = lexicon.table("en")
    out = en.rarity(["the", "The ", "zyzzogetonqx"])
    assert out[0] == out[1] == pytest.approx(table["the"]) and out[2] == pytest.approx(en.model(["zyzzogetonqx"])[0])
    assert en.rarity_one("the") == pytest.approx(table["the"])
    with pytest.raises(TypeError, match="batch"):
        en.model("the")  # type: ignore[arg-type]


def test_prediction_never_imports_torch():
    code = ("import sys; from tinylab.tasks.word_rarity.scorer import WordRarity; wr = WordRarity.load('en');"
            "assert 0 <= wr.rarity_one('zorglub') <= 1; wr.rarity(['house'] * 10); "
            "assert 'torch' not in sys.modules and 'onnxruntime' not in sys.modules; print('ok')")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr
