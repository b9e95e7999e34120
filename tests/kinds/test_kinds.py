"""The built-in kinds: what each one does with outputs, thresholds, predictions and metrics."""

from __future__ import annotations

import numpy as np
import pytest

from tinylab.errors import TinylabError
from tinylab.kinds import Kind, get_kind, kind_names, register


def test_the_four_builtin_kinds_are_found_by_name():
    assert {"single_label", "multi_label", "binary", "regression"} <= set(kind_names())
    for name in ("single_label", "multi_label", "binary", "regression"):
        kind = get_kind(name)
        assert kind.name == name and get_kind(kind) is kind and kind.headline in kind.report_metrics
    with pytest.raises(TinylabError, match="unknown kind 'ordinal'; known kinds: binary"):
        get_kind("ordinal")


def test_a_kind_registered_by_name_is_found():
    class Ranking(Kind):
        name = "ranking-for-test"

    kind = register(Ranking())
    assert get_kind("ranking-for-test") is kind and "ranking-for-test" in kind_names()


def test_single_label_scores_rank_and_print():
    kind = get_kind("single_label")
    scores = kind.scores(np.array([[2.0, 0.0, 1.0], [0.0, 0.0, 5.0]]))
    np.testing.assert_allclose(scores.sum(axis=1), 1.0)
    ranked = kind.ranked(scores, ["a", "b", "c"], {}, top_k=2)
    assert [r[0] for r in ranked[0]] == ["a", "c"] and [r[0] for r in ranked[1]] == ["c", "a"]
    (pred,) = kind.predictions(scores[:1], ["a", "b", "c"], {}, top_k=1)
    assert kind.format_prediction(pred) == f"a ({scores[0, 0]:.3f})"
    assert kind.agreement(np.array([[1, 0], [0, 1]]), np.array([[1, 0], [1, 0]])) == 0.5
    assert kind.label_counts(np.array([0, 0, 2]), ["a", "b", "c"]) == {"a": 2, "b": 0, "c": 1}


def test_thresholded_kinds_predict_at_the_stored_thresholds():
    kind = get_kind("multi_label")
    meta = {"thresholds": {"global": 0.5, "per_label": {"x": 0.3, "y": 0.9}}}
    scores = np.array([[0.4, 0.8], [0.1, 0.95]])
    np.testing.assert_allclose(kind.thresholds(meta, ["x", "y"]), [0.3, 0.9])
    ranked = kind.ranked(scores, ["x", "y"], meta)
    assert ranked == [[("x", 0.4)], [("y", 0.95)]]
    preds = kind.predictions(scores, ["x", "y"], meta, top_k=2)
    assert [r["predicted"] for r in preds[0]["predictions"]] == [True, False]  # y 0.8 < 0.9, listed as runner-up
    assert kind.format_prediction(preds[0]) == "x (0.400 ≥ 0.30)\ty (0.800 < 0.90)"
    assert kind.format_prediction({"predictions": []}) == "(no label reaches its threshold)"
    # a run without stored thresholds predicts at 0.5
    np.testing.assert_allclose(kind.thresholds({}, ["x", "y"]), [0.5, 0.5])
    assert kind.groups(np.array([[0, 1], [0, 0]]), ["x", "y"]) == ["y", "(no label)"]


def test_thresholds_are_tuned_on_the_validation_scores_given():
    kind = get_kind("binary")
    y = np.array([0, 0, 0, 1, 1, 1]).reshape(-1, 1)
    s = np.array([0.1, 0.2, 0.6, 0.7, 0.8, 0.9]).reshape(-1, 1)
    meta = kind.calibrate(y, s, ["pos"])
    t = meta["thresholds"]["per_label"]["pos"]
    assert meta["thresholds"]["tuned_on"] == "validation" and 0.6 < t <= 0.7
    m = kind.metrics(y, s, ["pos"], meta, n_boot=0)
    assert m["f1"] == 1.0 and m["threshold"] == t


def test_regression_answers_from_a_reference_where_it_has_one():
    kind = get_kind("regression")
    scores = np.array([[0.2], [0.7]])
    known = np.array([0.1, np.nan])
    preds = kind.predictions(scores, ["rarity"], {}, known=known)
    assert preds[0] == {"rarity": 0.1, "source": "list", "model": 0.2}
    assert preds[1] == {"rarity": 0.7, "source": "model", "model": 0.7}
    assert kind.format_prediction(preds[1]) == "rarity 0.7000 (model estimate; model 0.7000)"
    assert kind.n_outputs(["rarity"]) == 1
    assert kind.validation_score(np.array([[1.0], [2.0], [3.0]]), np.array([3.0, 2.0, 1.0])) == pytest.approx(-1.0)


def test_early_stopping_selection_per_kind():
    # single-label: the score first, the lower loss breaks ties; thresholded: the validation loss alone
    single, multi = get_kind("single_label"), get_kind("multi_label")
    assert single.selection(0.9, 0.5) > single.selection(0.9, 0.6) > single.selection(0.8, 0.1)
    assert multi.selection(0.1, 0.4) > multi.selection(0.9, 0.5)


def test_each_kind_states_its_trivial_baseline():
    single = get_kind("single_label")
    train = np.array([0, 0, 0, 1])
    y = np.array([0, 1, 1, 1, 0, 1] * 20)
    perfect = np.eye(2)[y]
    metrics, section = single.trivial_baseline(train, y, perfect, ["a", "b"], {})
    assert metrics["baseline_accuracy"] == pytest.approx((y == 0).mean())
    assert metrics["accuracy_over_baseline"] == pytest.approx(1 - (y == 0).mean()) and metrics["beats_baseline"]
    assert "always 'a' (the most frequent training label)" in section.markdown
    assert "**The model beats the trivial answer.**" in section.markdown

    regression = get_kind("regression")
    yr = np.linspace(0, 1, 50)
    metrics, section = regression.trivial_baseline(yr, yr, np.full((50, 1), yr.mean()), ["v"], {})
    assert metrics["mae_below_baseline"] == pytest.approx(0.0) and not metrics["beats_baseline"]
    assert "does NOT clearly beat" in section.markdown

    binary = get_kind("binary")
    yb = np.array([1, 0, 0, 0] * 25).reshape(-1, 1)
    inverted = 1.0 - yb.astype(float)  # always wrong at 0.5
    metrics, section = binary.trivial_baseline(yb, yb, inverted, ["unfair"], {})
    assert metrics["baseline_pr_auc"] == pytest.approx(0.25) and metrics["baseline_f1"] == pytest.approx(0.4)
    assert metrics["f1_over_baseline"] == pytest.approx(-0.4) and "does WORSE" in section.markdown


@pytest.mark.parametrize("name", ["single_label", "multi_label", "binary", "regression"])
def test_the_fast_comparison_scores_equal_the_full_evaluation(name):
    kind = get_kind(name)
    rng = np.random.default_rng(7)
    n = 300
    if name == "single_label":
        labels = ["a", "b", "c", "d"]
        y = rng.integers(0, 4, n)
        scores = kind.scores(rng.normal(size=(n, 4)) + 2 * np.eye(4)[y])
        meta: dict = {}
    elif name == "regression":
        labels = ["v"]
        y = rng.normal(size=n)
        scores = (y + rng.normal(size=n)).reshape(-1, 1)
        meta = {}
    else:
        labels = ["x", "y", "z"] if name == "multi_label" else ["x"]
        y = (rng.random((n, len(labels))) < 0.3).astype(np.float32)
        scores = np.round(np.clip(y * 0.4 + rng.random((n, len(labels))) * 0.6, 0, 1), 2)  # ties
        meta = {"thresholds": {"global": 0.5, "per_label": dict(zip(labels, [0.45, 0.6, 0.5][:len(labels)],
                                                                       strict=True))}}
    full = kind.metrics(y, scores, labels, meta, n_boot=0)
    fast = kind.compare_scores(y, scores, labels, meta)
    assert set(fast) == set(kind.compare_metrics)
    for metric in kind.compare_metrics:
        assert fast[metric] == pytest.approx(full[metric], abs=1e-12), metric


def test_regression_can_add_a_pairwise_ranking_term_to_the_squared_error():
    import torch

    from tinylab.spec import TrainSpec

    kind = get_kind("regression")
    target = torch.tensor([0.1, 0.5, 0.9])
    plain, _ = kind.losses(TrainSpec(), target, ["y"])
    ranked, val = kind.losses(TrainSpec(rank_weight=1.0), target, ["y"])
    in_order, reversed_ = torch.tensor([0.2, 0.5, 0.8]), torch.tensor([0.8, 0.5, 0.2])
    assert float(plain(in_order, target)) == pytest.approx(float(val(in_order, target)))  # validation: squared error
    # outputs in the targets' order pay a small ranking term, outputs in reverse order a large one
    gap_in_order = float(ranked(in_order, target) - plain(in_order, target))
    gap_reversed = float(ranked(reversed_, target) - plain(reversed_, target))
    assert 0 < gap_in_order < gap_reversed
    assert float(ranked(torch.full((3,), 0.5), torch.full((3,), 0.5))) == 0.0  # no pair differs: no ranking term
