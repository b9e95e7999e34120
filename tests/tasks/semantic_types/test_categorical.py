"""The column model: categorical columns told from typed columns that repeat their values."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from tinylab.errors import TinylabError
from tinylab.predict import Predictor
from tinylab.tasks.semantic_types.categorical import (
    CATEGORICAL,
    INFO_FILE,
    WEIGHTS_FILE,
    ColumnModel,
    categorical_column,
    column_features,
    fit_column_model,
    generated_columns,
    repeats_enough,
    typed_column,
)
from tinylab.tasks.semantic_types.columns import profile_columns
from tinylab.tasks.semantic_types.generators import generate


@pytest.fixture(scope="module")
def extended() -> Predictor:
    return Predictor.from_run("semantic-types-extended")


def repeated(pool: list[str], n: int = 120, seed: int = 0) -> list[str]:
    r = random.Random(seed)
    return [r.choice(pool) for _ in range(n)]


# columns written here, not drawn from any benchmark
CATEGORIES = {
    "status": ["active", "pending", "shipped", "cancelled", "returned"],
    "tier": ["GOLD", "SILVER", "BRONZE", "PLATINUM"],
    "weather": ["Sunny", "Partly cloudy", "Overcast", "Light rain", "Heavy rain", "Snow"],
    "department": ["Engineering", "Sales", "Marketing", "Finance", "Human Resources", "Legal"],
}
TYPED = {
    "given": ("identity.person.first_name", ["James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael",
                                             "Linda", "David", "Elizabeth", "William", "Barbara", "Richard"]),
    "nation": ("geography.location.country", ["Germany", "France", "Spain", "Italy", "United Kingdom", "Poland"]),
    "ccy": ("finance.currency.currency_code", ["USD", "EUR", "GBP", "JPY"]),
    "verb": ("technology.internet.http_method", ["GET", "POST", "PUT", "DELETE"]),
}


def test_generated_categorical_columns_repeat_a_small_vocabulary():
    rng = np.random.default_rng(0)
    for _ in range(300):
        col = categorical_column(rng)
        assert 2 <= len(set(col)) <= 40 and len(col) <= 200
        assert repeats_enough(col)  # at least 3 rows per distinct value: what "categorical" means here


def test_typed_columns_are_drawn_from_their_own_generator():
    rng = np.random.default_rng(0)
    batch = generate("identity.person.first_name", 400, 5)
    for _ in range(50):
        col = typed_column(rng, "identity.person.first_name", batch)
        assert set(col) <= set(batch) and len(col) >= 10


def test_generated_columns_are_reproducible():
    labels = ["identity.person.email", "geography.location.country"]
    a, ya = generated_columns(labels, 3, 4, 10)
    b, yb = generated_columns(labels, 3, 4, 10)
    assert a == b and (ya == yb).all() and ya.sum() == 10 and len(a) == 18


def test_profiling_calls_repeated_categories_categorical_unless_told_not_to(extended):
    columns = {name: repeated(pool) for name, pool in CATEGORIES.items()}
    columns |= {name: repeated(pool) for name, (_, pool) in TYPED.items()}
    by = {p.column: p for p in profile_columns(extended, columns)}  # the extended model ships a column model
    assert by == {p.column: p for p in profile_columns(extended, columns, categorical=True)}
    for name in CATEGORIES:
        assert by[name].type == CATEGORICAL, (name, by[name])
        assert by[name].rule and by[name].rule.startswith("column model")
        # confidence: the column model's probability (also in the rule); agreement: the share of repeated values
        assert by[name].confidence >= 0.5 and f"({by[name].confidence:.2f})" in by[name].rule
        assert by[name].agreement == 1.0
    for name, (label, _) in TYPED.items():
        assert by[name].type == label, (name, by[name])  # a repeated pool of a real type keeps its type
    plain = {p.column: p for p in profile_columns(extended, columns, categorical=False)}
    assert not any(p.type == CATEGORICAL for p in plain.values())


def test_a_model_without_a_column_model_profiles_as_before_and_says_how_to_get_one():
    std = Predictor.from_run("semantic-types")  # ships none: it missed the held-out bar (docs/benchmarks.md)
    columns = {"status": repeated(CATEGORIES["status"])}
    (p,) = profile_columns(std, columns)
    assert p.type != CATEGORICAL
    with pytest.raises(TinylabError, match="fit-columns"):
        profile_columns(std, columns, categorical=True)


def test_a_column_that_does_not_repeat_its_values_is_never_categorical(extended):
    words = ["harbor", "violet", "engine", "meadow", "quartz", "lantern", "saddle", "pepper", "falcon", "ribbon",
             "canyon", "marble"]
    assert not repeats_enough(words) and repeats_enough(words[:4] * 3)
    model = ColumnModel.load(extended.run_dir, extended.labels)
    assert model is not None
    proba = extended.predict_proba(words)
    assert model.is_categorical(words, proba) == (False, 0.0)


def test_a_header_naming_a_candidate_beats_the_column_model(extended):
    cities = repeated(["New York", "Chicago", "Houston", "Phoenix", "Philadelphia", "San Antonio", "San Diego",
                       "Dallas"])
    (p,) = profile_columns(extended, {"city": cities})
    assert p.type == "geography.location.city" and "column model" in (p.rule or "")  # city is in its top 3
    (p,) = profile_columns(extended, {"c": cities})
    assert p.type == CATEGORICAL


def test_column_model_fitted_for_other_labels_is_refused(tmp_path: Path, extended):
    model = ColumnModel.load(extended.run_dir, extended.labels)
    assert model is not None
    model.save(tmp_path, {})
    assert ColumnModel.load(tmp_path, extended.labels) is not None
    with pytest.raises(TinylabError, match="other labels"):
        ColumnModel.load(tmp_path, ["a", "b"])
    assert ColumnModel.load(tmp_path / "none", extended.labels) is None


@pytest.mark.slow
def test_fitting_separates_generated_columns_and_saves_what_it_measured(tmp_path: Path):
    std = Predictor.from_run("semantic-types")
    model, info = fit_column_model(std.predict_proba, std.labels, per_label=3, epochs=30)
    assert info["test"]["f1"] > 0.9 and info["test"]["typed_columns_called_categorical"] < 0.05
    assert set(info["validation_f1_by_threshold"]) and info["threshold"] == 0.5
    model.save(tmp_path, info)
    saved = json.loads((tmp_path / INFO_FILE).read_text())
    assert saved["test"] == info["test"] and (tmp_path / WEIGHTS_FILE).is_file()
    back = ColumnModel.load(tmp_path, std.labels)
    assert back is not None
    col = repeated(CATEGORIES["status"])
    x = column_features(col, std.predict_proba(col))
    assert np.allclose(back.probability(x), model.probability(x), atol=1e-6)


def test_the_shipped_column_model_says_how_it_was_made():
    run = Predictor.from_run("semantic-types-extended").run_dir
    info = json.loads((run / INFO_FILE).read_text())
    assert info["command"] == "tinylab fit-columns semantic-types-extended"
    assert info["test"]["precision"] > 0.95 and info["test"]["recall"] > 0.95
