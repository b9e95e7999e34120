from __future__ import annotations

import numpy as np
import pytest

from tinylab.metrics import (
    binary_metrics,
    bootstrap_mean_ci,
    check_targets,
    confusion_matrix,
    most_confused,
    multilabel_metrics,
    single_label_metrics,
    topk_hits,
)


def test_topk_hits():
    proba = np.array([[0.5, 0.3, 0.2], [0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])
    y = np.array([1, 2, 2])
    assert topk_hits(y, proba, 1).tolist() == [0, 1, 0]
    assert topk_hits(y, proba, 2).tolist() == [1, 1, 0]
    assert topk_hits(y, proba, 3).tolist() == [1, 1, 1]


def test_single_label_exact_values():
    labels = ["a", "b", "c"]
    y = np.array([0, 0, 1, 1, 2, 2])
    pred = np.array([0, 1, 1, 1, 1, 2])
    proba = np.eye(3)[pred] * 0.9 + 0.05
    m = single_label_metrics(y, proba, labels, ks=(2,), n_boot=200)
    assert m["accuracy"] == pytest.approx(4 / 6)
    # per class: a P=1 R=.5 ; b P=2/4 R=1 ; c P=1 R=.5
    assert m["per_class"]["a"]["precision"] == 1.0 and m["per_class"]["a"]["recall"] == 0.5
    assert m["per_class"]["b"]["precision"] == 0.5 and m["per_class"]["b"]["recall"] == 1.0
    f1_a, f1_b = 2 / 3, 2 / 3
    assert m["macro_f1"] == pytest.approx((f1_a + f1_b + 2 / 3) / 3)
    assert m["accuracy_ci_low"] <= m["accuracy"] <= m["accuracy_ci_high"]
    assert m["most_confused"][0]["predicted"] == "b"
    assert m["never_predicted"] == []


def test_never_predicted_listed():
    y = np.array([0, 1])
    proba = np.array([[0.9, 0.1], [0.8, 0.2]])
    assert single_label_metrics(y, proba, ["x", "y"], ks=()).get("never_predicted") == ["y"]


def test_confusion_and_pairs():
    cm = confusion_matrix(np.array([0, 0, 1, 2]), np.array([1, 1, 1, 0]), 3)
    assert cm.tolist() == [[0, 2, 0], [0, 1, 0], [1, 0, 0]]
    pairs = most_confused(cm, ["a", "b", "c"])
    assert pairs[0] == {"true": "a", "predicted": "b", "count": 2, "share": 1.0}
    assert len(pairs) == 2


def test_bootstrap_ci_is_seeded_and_brackets_mean():
    v = (np.arange(1000) % 10 == 0).astype(float)
    a = bootstrap_mean_ci(v, 500, seed=1)
    assert a == bootstrap_mean_ci(v, 500, seed=1)
    assert a[0] < 0.1 < a[1] and a[1] - a[0] < 0.06


def test_targets_never_round_a_miss_into_a_pass():
    t = check_targets({"accuracy": 0.92996}, {"accuracy": 0.93, "top3_accuracy": 0.99})
    assert t["accuracy"]["met"] is False
    assert t["top3_accuracy"] == {"goal": 0.99, "value": None, "met": False}
    assert check_targets({"accuracy": 0.93}, {"accuracy": 0.93})["accuracy"]["met"] is True


def test_multilabel_exact():
    from tinylab.metrics import multilabel_metrics

    t = np.array([[1, 0], [1, 1], [0, 0]])
    p = np.array([[1, 0], [0, 1], [0, 1]])
    m = multilabel_metrics(t, p, ["a", "b"])
    # a: tp1 fp0 fn1 -> P1 R.5 F.667 ; b: tp1 fp1 fn0 -> P.5 R1 F.667 ; micro tp2 fp1 fn1 -> F .667
    assert m["per_label"]["a"]["recall"] == 0.5 and m["per_label"]["b"]["precision"] == 0.5
    assert m["macro_f1"] == pytest.approx(2 / 3) and m["micro_f1"] == pytest.approx(2 / 3)
    assert m["subset_accuracy"] == pytest.approx(1 / 3)
    assert m["hamming_loss"] == pytest.approx(2 / 6)
    assert multilabel_metrics(t, np.zeros_like(t), ["a", "b"])["never_predicted"] == ["a", "b"]


def test_auc_and_average_precision():
    from tinylab.metrics import pr_auc, roc_auc

    y = np.array([0, 0, 1, 1])
    assert roc_auc(y, np.array([0.1, 0.4, 0.35, 0.8])) == pytest.approx(0.75)
    assert roc_auc(y, np.array([0.5, 0.5, 0.5, 0.5])) == pytest.approx(0.5)  # ties count half
    # ranking 0.8(+) 0.4(-) 0.35(+) 0.1(-): AP = (1/1 + 2/3) / 2
    assert pr_auc(y, np.array([0.1, 0.4, 0.35, 0.8])) == pytest.approx((1 + 2 / 3) / 2)


def test_thresholds_are_tuned_on_the_given_split():
    from tinylab.metrics import best_threshold, tune_thresholds

    y = np.array([0, 0, 1, 1, 1])
    s = np.array([0.1, 0.2, 0.6, 0.7, 0.9])
    t, f = best_threshold(y, s)
    assert t == pytest.approx(0.4) and f == 1.0  # the middle of the separating run 0.25 .. 0.55
    assert best_threshold(y, np.array([0.1, 0.3, 0.32, 0.6, 0.9]))[1] < 1.0  # no grid point between .3 and .32
    out = tune_thresholds(np.c_[y, 1 - y], np.c_[s, 1 - s])
    assert len(out["per_label"]) == 2 and 0.05 <= out["global"] <= 0.95


def test_regression_metrics():
    from tinylab.metrics import regression_metrics

    t = np.array([0.0, 0.1, 0.2, 0.3, 0.9, 1.0])
    m = regression_metrics(t, t * 2, bands=2)
    assert m["spearman"] == pytest.approx(1.0) and m["pearson"] == pytest.approx(1.0)
    assert m["mae"] == pytest.approx(t.mean()) and m["spearman_stratified"] == pytest.approx(1.0)
    assert regression_metrics(t, -t)["spearman"] == pytest.approx(-1.0)


def test_thresholds_without_validation_positives_fall_back_to_global():
    from tinylab.metrics import tune_thresholds

    y = np.array([[1, 0], [0, 0], [1, 0], [0, 0]])
    p = np.array([[0.8, 0.9], [0.3, 0.1], [0.6, 0.2], [0.1, 0.7]])
    out = tune_thresholds(y, p)
    assert out["untuned"] == [1] and out["per_label"][1] == out["global"]
    assert 0.3 < out["per_label"][0] <= 0.6  # separates 0.6 (positive) from 0.3 (negative)
    assert out["per_label"][0] == pytest.approx(0.45)  # middle of 0.35 .. 0.60


def test_multilabel_evaluation_reports_every_threshold_mode():
    from tinylab.metrics import multilabel_evaluation

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, (200, 3))
    proba = np.clip(0.35 * y + rng.uniform(0, 0.6, (200, 3)), 0, 1)  # positives sit higher, all below 0.95
    th = {"global": 0.4, "per_label": [0.35, 0.5, 0.6]}
    m = multilabel_evaluation(y, proba, ["a", "b", "c"], th, n_boot=200)
    for mode, t in (("at_0_5", 0.5), ("global", 0.4)):
        assert m[f"macro_f1_{mode}"] == multilabel_metrics(y, proba >= t, ["a", "b", "c"])["macro_f1"]
    per = multilabel_metrics(y, proba >= np.array([0.35, 0.5, 0.6]), ["a", "b", "c"])
    assert m["macro_f1"] == m["macro_f1_per_label"] == per["macro_f1"]
    assert m["macro_f1_ci_low"] <= m["macro_f1"] <= m["macro_f1_ci_high"]
    assert m["per_class"]["c"]["threshold"] == 0.6 and 0.5 < m["per_class"]["a"]["pr_auc"] <= 1


def test_binary_evaluation_intervals_and_both_thresholds():
    from tinylab.metrics import binary_evaluation

    rng = np.random.default_rng(1)
    y = (rng.uniform(size=500) < 0.15).astype(int)  # ~14% positives, like track-id
    s = np.clip(0.5 * y + rng.uniform(0, 0.6, 500), 0, 1)
    m = binary_evaluation(y, s, 0.45, "main_track", n_boot=200)
    assert m["roc_auc_ci_low"] <= m["roc_auc"] <= m["roc_auc_ci_high"]
    assert m["pr_auc_ci_low"] <= m["pr_auc"] <= m["pr_auc_ci_high"]
    assert m["f1"] == binary_metrics(y, s, 0.45)["f1"] and m["f1_at_0_5"] == binary_metrics(y, s, 0.5)["f1"]
    assert m["per_class"]["main_track"]["support"] == y.sum()


def test_regression_evaluation_has_intervals():
    from tinylab.metrics import regression_evaluation

    rng = np.random.default_rng(2)
    t = rng.uniform(size=300)
    m = regression_evaluation(t, t + rng.normal(0, 0.2, 300), n_boot=200)
    assert 0.6 < m["spearman"] < 0.95
    assert m["spearman_ci_low"] <= m["spearman"] <= m["spearman_ci_high"]
    assert m["mae_ci_low"] <= m["mae"] <= m["mae_ci_high"]


def test_bootstrap_of_a_statistic_skips_undefined_resamples():
    from tinylab.metrics import bootstrap_stat_ci

    y = np.array([1, 0, 0, 0, 0, 0, 0, 0])
    lo, hi = bootstrap_stat_ci(lambda i: float("nan") if y[i].sum() == 0 else float(y[i].mean()), 8, 300)
    assert 0 < lo <= hi <= 1
    assert np.isnan(bootstrap_stat_ci(lambda i: 1.0, 8, 0)[0])
