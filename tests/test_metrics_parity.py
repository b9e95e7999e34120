"""Parity of tinylab.metrics with the libraries that own each metric (scikit-learn, scipy), on seeded and
hypothesis-drawn data with many tied scores, plus degenerate inputs; and the vectorized forms used inside
the bootstrap loops (``_fast_*``) against the same libraries, to 1e-12."""

from __future__ import annotations

import subprocess
import sys
import warnings
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinylab import metrics as M

sk = pytest.importorskip("sklearn.metrics")
stats = pytest.importorskip("scipy.stats")

pytestmark = pytest.mark.filterwarnings("ignore:A single label was found:UserWarning")  # the references' own

TOL = 1e-12
TIED = [0.0, 0.1, 0.25, 0.5, 0.5000001, 0.75, 0.9, 1.0]  # few distinct values: many ties


def close(a: float, b: float) -> bool:
    return bool((np.isnan(a) and np.isnan(b)) or abs(a - b) <= TOL)


scores = st.one_of(st.sampled_from(TIED), st.floats(0, 1, allow_nan=False))
labelled = st.lists(st.tuples(st.booleans(), scores), min_size=1, max_size=60)


# ---------------------------------------------------------------------------------------------- PR AUC / ROC AUC


@pytest.mark.parametrize("y", [[1, 0], [0, 1]])
def test_pr_auc_of_tied_scores_does_not_depend_on_their_order(y):
    s = np.array([0.5, 0.5])
    assert M.pr_auc(np.array(y), s) == 0.5 == sk.average_precision_score(y, s)
    assert M._fast_roc_ap(np.array(y, dtype=bool), s)[1] == 0.5
    assert M.roc_auc(np.array(y), s) == 0.5


def test_pr_auc_ties_inside_a_longer_ranking():
    # 0.9(+) then a tie group {0.5: +, -, -} then 0.1(+): AP = 1/4 * 1 + 1/4 * 2/4 + 1/4 * ... (sklearn)
    y = np.array([1, 1, 0, 0, 1])
    s = np.array([0.9, 0.5, 0.5, 0.5, 0.1])
    expected = sk.average_precision_score(y, s)
    assert expected == pytest.approx((1 + 2 / 4 + 3 / 5) / 3)
    for perm in ([0, 1, 2, 3, 4], [0, 3, 2, 1, 4], [4, 2, 1, 3, 0]):
        assert close(M.pr_auc(y[perm], s[perm]), expected)
        assert close(M._fast_roc_ap(y[perm].astype(bool), s[perm])[1], expected)


@settings(max_examples=300, deadline=None)
@given(labelled)
def test_pr_auc_and_roc_auc_equal_sklearn(items):
    y = np.array([a for a, _ in items])
    s = np.array([b for _, b in items], dtype=np.float64)
    fast_roc, fast_ap = M._fast_roc_ap(y, s)
    if y.any():
        ap = sk.average_precision_score(y.astype(int), s)
        assert close(M.pr_auc(y, s), ap) and close(fast_ap, ap)
    else:
        assert np.isnan(M.pr_auc(y, s)) and np.isnan(fast_ap)
    if y.any() and not y.all():
        roc = sk.roc_auc_score(y.astype(int), s)
        assert close(M.roc_auc(y, s), roc) and close(fast_roc, roc)
    else:
        assert np.isnan(M.roc_auc(y, s)) and np.isnan(fast_roc)


@pytest.mark.parametrize("seed", range(5))
def test_auc_parity_on_larger_seeded_data(seed):
    rng = np.random.default_rng(seed)
    y = rng.uniform(size=5000) < 0.14
    s = np.round(np.clip(0.3 * y + rng.uniform(0, 0.7, 5000), 0, 1), 2)  # 101 distinct values: heavy ties
    ap, roc = sk.average_precision_score(y, s), sk.roc_auc_score(y, s)
    assert close(M.pr_auc(y, s), ap) and close(M.roc_auc(y, s), roc)
    assert close(M._fast_roc_ap(y, s)[0], roc) and close(M._fast_roc_ap(y, s)[1], ap)


def test_auc_degenerate_cases():
    empty = np.array([], dtype=bool)
    assert np.isnan(M.pr_auc(empty, np.array([]))) and np.isnan(M.roc_auc(empty, np.array([])))
    assert np.isnan(M.pr_auc(np.array([0, 0]), np.array([0.2, 0.9])))  # no positive
    assert np.isnan(M.roc_auc(np.array([0, 0]), np.array([0.2, 0.9])))  # one class only
    assert np.isnan(M.roc_auc(np.array([1, 1]), np.array([0.2, 0.9])))
    assert M.pr_auc(np.array([1, 1]), np.array([0.2, 0.9])) == 1.0  # all positive: precision 1 everywhere
    assert M.pr_auc(np.array([1, 0, 1]), np.array([0.3, 0.3, 0.3])) == pytest.approx(2 / 3)  # constant score
    assert M.roc_auc(np.array([1, 0, 1]), np.array([0.3, 0.3, 0.3])) == 0.5


# ---------------------------------------------------------------------------------------------- binary


@settings(max_examples=150, deadline=None)
@given(labelled, st.sampled_from([0.05, 0.25, 0.5, 0.5000001, 0.95]))
def test_binary_metrics_equal_sklearn(items, threshold):
    y = np.array([a for a, _ in items])
    s = np.array([b for _, b in items], dtype=np.float64)
    pred = s >= threshold
    m = M.binary_metrics(y, s, threshold)
    p, r, f, _ = sk.precision_recall_fscore_support(y, pred, labels=[True], average=None, zero_division=0)
    assert close(m["precision"], p[0]) and close(m["recall"], r[0]) and close(m["f1"], f[0])
    assert close(M._fast_binary_f1(y, pred), sk.f1_score(y.astype(int), pred.astype(int), zero_division=0))
    assert close(m["pr_auc"], M.pr_auc(y, s)) and close(m["roc_auc"], M.roc_auc(y, s))


def test_binary_metrics_degenerate_cases():
    m = M.binary_metrics(np.array([], dtype=bool), np.array([]))
    assert (m["f1"], m["precision"], m["recall"]) == (0.0, 0.0, 0.0) and np.isnan(m["pr_auc"])
    m = M.binary_metrics(np.array([0, 0]), np.array([0.1, 0.2]))  # nothing positive, nothing predicted
    assert (m["f1"], m["precision"], m["recall"]) == (0.0, 0.0, 0.0)
    m = M.binary_metrics(np.array([1, 1]), np.array([0.7, 0.9]))
    assert (m["f1"], m["precision"], m["recall"]) == (1.0, 1.0, 1.0) and np.isnan(m["roc_auc"])


def test_best_threshold_is_the_f1_argmax_of_sklearn():
    rng = np.random.default_rng(3)
    y = rng.uniform(size=400) < 0.3
    s = np.round(np.clip(0.35 * y + rng.uniform(0, 0.65, 400), 0, 1), 2)
    grid = np.linspace(0.05, 0.95, 19)
    f1s = [sk.f1_score(y, s >= t, zero_division=0) for t in grid]
    t, f = M.best_threshold(y, s)
    assert close(f, max(f1s)) and f1s[int(np.argmin(np.abs(grid - t)))] == max(f1s)


def test_best_threshold_degenerate_cases():
    t, f = M.best_threshold(np.array([0, 0, 0]), np.array([0.2, 0.6, 0.9]))
    assert t == pytest.approx(0.5) and f == 0.0  # no positive: every threshold ties at 0, the middle one
    assert M.best_threshold(np.array([1, 0]), np.array([0.7, 0.2]), np.array([0.5])) == (0.5, 1.0)  # one point
    assert M.best_threshold(np.array([], bool), np.array([]))[1] == 0.0


@pytest.mark.parametrize("objective", ["macro_f1", "micro_f1"])
@pytest.mark.parametrize("n_labels", [1, 4])
def test_tune_thresholds_maximizes_the_library_objective(objective, n_labels):
    rng = np.random.default_rng(n_labels)
    y = rng.uniform(size=(200, n_labels)) < 0.3
    if n_labels > 1:
        y[:, -1] = False  # no validation positive: keeps the global threshold
    proba = np.round(np.clip(0.3 * y + rng.uniform(0, 0.7, y.shape), 0, 1), 2)
    out = M.tune_thresholds(y, proba, objective=objective)
    grid = np.linspace(0.05, 0.95, 19)
    names = [str(j) for j in range(n_labels)]
    assert out["global"] == M._plateau_middle(grid, [M.multilabel_metrics(y, proba >= t, names)[objective]
                                                     for t in grid])[0]
    for j in range(n_labels):
        f1s = [sk.f1_score(y[:, j], proba[:, j] >= t, zero_division=0) for t in grid]
        assert out["per_label"][j] == (M._plateau_middle(grid, f1s)[0] if y[:, j].any() else out["global"])


# ---------------------------------------------------------------------------------------------- multi-label


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 40), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_multilabel_metrics_equal_sklearn(n, n_labels, seed):
    rng = np.random.default_rng(seed)
    rates = rng.choice([0.0, 0.1, 0.5, 1.0], n_labels)  # includes labels never / always present
    t = rng.uniform(size=(n, n_labels)) < rates
    p = rng.uniform(size=(n, n_labels)) < rng.choice([0.0, 0.3, 0.7], n_labels)
    labels = [f"l{i}" for i in range(n_labels)]
    m = M.multilabel_metrics(t, p, labels)
    # scikit-learn reads the indicator per label as binary (the column-by-column definition)
    for j, lab in enumerate(labels):
        pj, rj, fj, _ = sk.precision_recall_fscore_support(t[:, j], p[:, j], labels=[True], average=None,
                                                           zero_division=0)
        got = m["per_label"][lab]
        assert close(got["precision"], pj[0]) and close(got["recall"], rj[0]) and close(got["f1"], fj[0])
        assert got["support"] == t[:, j].sum() and got["predicted"] == p[:, j].sum()
    tt, pp = np.c_[t, np.zeros((n, 1), bool)], np.c_[p, np.zeros((n, 1), bool)]  # always a 2-D indicator
    ref_micro = sk.f1_score(tt.astype(int), pp.astype(int), average="micro", zero_division=0)
    ref_macro = np.mean([sk.f1_score(t[:, j], p[:, j], zero_division=0) for j in range(n_labels)])
    assert close(m["micro_f1"], ref_micro) and close(m["macro_f1"], ref_macro)
    assert close(m["subset_accuracy"], sk.accuracy_score(tt.astype(int), pp.astype(int)))
    assert close(m["hamming_loss"], sk.hamming_loss(t.astype(int), p.astype(int)))
    fast = M._fast_multilabel_f1(t, p)
    assert close(fast["micro_f1"], ref_micro) and close(fast["macro_f1"], ref_macro)


def test_multilabel_metrics_degenerate_cases():
    m = M.multilabel_metrics(np.zeros((0, 2), bool), np.zeros((0, 2), bool), ["a", "b"])
    assert np.isnan(m["subset_accuracy"]) and np.isnan(m["hamming_loss"]) and m["micro_f1"] == m["macro_f1"] == 0.0
    m = M.multilabel_metrics(np.zeros((3, 2), bool), np.zeros((3, 2), bool), ["a", "b"])
    assert (m["micro_f1"], m["macro_f1"], m["subset_accuracy"], m["hamming_loss"]) == (0.0, 0.0, 1.0, 0.0)
    m = M.multilabel_metrics(np.ones((3, 1), bool), np.ones((3, 1), bool), ["a"])  # one label, all positive
    assert m["macro_f1"] == m["micro_f1"] == m["per_label"]["a"]["f1"] == 1.0
    assert np.isnan(M.multilabel_metrics(np.zeros((3, 0), bool), np.zeros((3, 0), bool), [])["macro_f1"])


# ---------------------------------------------------------------------------------------------- single-label


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 80), st.integers(1, 7), st.integers(0, 2**32 - 1))
def test_single_label_metrics_equal_sklearn(n, n_classes, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, max(1, n_classes - 1), n)  # the last class often absent from y_true
    proba = np.round(rng.dirichlet(np.ones(n_classes), n), 1)  # rounded: tied probabilities
    labels = [f"c{i}" for i in range(n_classes)]
    m = M.single_label_metrics(y, proba, labels, ks=tuple(range(1, n_classes)), n_boot=20)
    pred = proba.argmax(axis=1)
    assert close(m["accuracy"], sk.accuracy_score(y, pred))
    for k in range(1, n_classes):  # scikit-learn wants k < n_classes and more than two classes
        if n_classes > 2:
            assert close(m[f"top{k}_accuracy"], sk.top_k_accuracy_score(y, proba, k=k, labels=np.arange(n_classes)))
    cm = M.confusion_matrix(y, pred, n_classes)
    assert (cm == sk.confusion_matrix(y, pred, labels=np.arange(n_classes))).all()
    p, r, f, sup = sk.precision_recall_fscore_support(y, pred, labels=np.arange(n_classes), zero_division=0)
    prf = M.per_class_prf(cm)
    for got, ref in ((prf["precision"], p), (prf["recall"], r), (prf["f1"], f), (prf["support"], sup)):
        assert np.allclose(got, ref, rtol=0, atol=TOL)
    present = np.unique(y)
    for avg in ("macro", "weighted"):
        ref = sk.precision_recall_fscore_support(y, pred, labels=present, average=avg, zero_division=0)
        for i, name in enumerate(("precision", "recall", "f1")):
            assert close(m[f"{avg}_{name}"], ref[i])


def test_topk_hits_breaks_ties_as_sklearn():
    proba = np.array([[0.5, 0.5, 0.0], [0.5, 0.5, 0.0], [0.2, 0.4, 0.4], [0.2, 0.4, 0.4]])
    y = np.array([0, 1, 1, 2])
    hits = M.topk_hits(y, proba, 1)
    assert hits.tolist() == [0, 1, 0, 1]  # among tied scores the higher class index ranks first
    assert hits.mean() == sk.top_k_accuracy_score(y, proba, k=1, labels=[0, 1, 2])


def test_single_label_degenerate_cases():
    assert M.confusion_matrix(np.array([], int), np.array([], int), 3).tolist() == [[0] * 3] * 3
    assert M.per_class_prf(np.zeros((2, 2), np.int64))["f1"].tolist() == [0.0, 0.0]
    m = M.single_label_metrics(np.array([], int), np.zeros((0, 2)), ["a", "b"], ks=(1,), n_boot=10)
    assert np.isnan(m["accuracy"]) and np.isnan(m["macro_f1"]) and m["weighted_f1"] == 0.0
    m = M.single_label_metrics(np.array([0, 0]), np.array([[0.9, 0.1], [0.6, 0.4]]), ["a", "b"], ks=(), n_boot=10)
    assert m["accuracy"] == 1.0 and m["macro_f1"] == 1.0  # one class only: macro over the present class


# ---------------------------------------------------------------------------------------------- regression


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TIED), scores), min_size=0, max_size=60))
def test_regression_metrics_equal_scipy_and_sklearn(items):
    t = np.array([a for a, _ in items], dtype=np.float64)
    p = np.array([b for _, b in items], dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # constant input and NaN cases must be silent
        m = M.regression_metrics(t, p)
        fast = M._fast_regression(t, p, 5)
    defined = len(t) >= 2 and np.ptp(t) > 0 and np.ptp(p) > 0
    if defined:
        rho = stats.spearmanr(t, p).statistic
        assert close(m["spearman"], rho) and close(fast["spearman"], rho)
        assert close(m["pearson"], stats.pearsonr(t, p).statistic)
    else:
        assert np.isnan(m["spearman"]) and np.isnan(fast["spearman"]) and np.isnan(m["pearson"])
    if len(t):
        assert close(m["mae"], sk.mean_absolute_error(t, p)) and close(fast["mae"], m["mae"])
        assert close(m["rmse"], np.sqrt(sk.mean_squared_error(t, p)))
    else:
        assert np.isnan(m["mae"]) and np.isnan(fast["mae"]) and np.isnan(m["rmse"])
    assert close(fast["spearman_stratified"], m["spearman_stratified"])


@pytest.mark.parametrize("seed", range(3))
def test_fast_rank_and_spearman_equal_scipy_on_larger_data(seed):
    rng = np.random.default_rng(seed)
    t = np.round(rng.uniform(size=10_000), 3)
    p = np.round(t + rng.normal(0, 0.2, 10_000), 2)
    assert np.array_equal(M._fast_rank(t), stats.rankdata(t))
    assert close(M._fast_spearman(t, p), stats.spearmanr(t, p).statistic)
    fast, lib = M._fast_regression(t, p, 5), M.regression_metrics(t, p, 5)
    for key in fast:
        assert close(fast[key], lib[key])


def test_spearman_degenerate_cases_are_nan_and_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(M.regression_metrics(np.array([0.3, 0.3, 0.3]), np.array([0.1, 0.2, 0.3]))["spearman"])
        assert np.isnan(M.regression_metrics(np.array([0.1, 0.2, 0.3]), np.array([0.5, 0.5, 0.5]))["spearman"])
        assert np.isnan(M.regression_metrics(np.array([0.1]), np.array([0.5]))["spearman"])
        m = M.regression_metrics(np.array([]), np.array([]))
        assert all(np.isnan(v) for v in m.values())


# ---------------------------------------------------------------------------------------------- bootstraps


def _library_cis(stat: Callable[[np.ndarray], dict[str, float]], n: int, n_boot: int, seed: int,
                 ) -> dict[str, tuple[float, float]]:
    return M.bootstrap_many_ci(stat, n, n_boot, seed)


def test_binary_evaluation_intervals_equal_the_library_computed_ones():
    rng = np.random.default_rng(4)
    y = rng.uniform(size=300) < 0.15
    s = np.round(np.clip(0.4 * y + rng.uniform(0, 0.6, 300), 0, 1), 2)  # tied scores
    m = M.binary_evaluation(y, s, 0.45, "x", n_boot=60, seed=7)
    pred = s >= 0.45
    ref = _library_cis(lambda i: {"roc_auc": M.roc_auc(y[i], s[i]), "pr_auc": M.pr_auc(y[i], s[i]),
                                  "f1": M.binary_metrics(y[i], s[i], 0.45)["f1"]}, len(y), 60, 7)
    assert pred.any()
    for key, (lo, hi) in ref.items():
        assert close(m[f"{key}_ci_low"], lo) and close(m[f"{key}_ci_high"], hi)


def test_multilabel_evaluation_intervals_equal_the_library_computed_ones():
    rng = np.random.default_rng(5)
    y = rng.uniform(size=(150, 4)) < [0.05, 0.2, 0.4, 0.6]
    proba = np.round(np.clip(0.3 * y + rng.uniform(0, 0.7, y.shape), 0, 1), 1)
    th = {"global": 0.5, "per_label": [0.4, 0.5, 0.6, 0.5]}
    labels = ["a", "b", "c", "d"]
    m = M.multilabel_evaluation(y, proba, labels, th, n_boot=60, seed=3)
    pred = proba >= np.array(th["per_label"])
    ref = _library_cis(lambda i: {k: M.multilabel_metrics(y[i], pred[i], labels)[k] for k in ("macro_f1", "micro_f1")},
                       len(y), 60, 3)
    for key, (lo, hi) in ref.items():
        assert close(m[f"{key}_ci_low"], lo) and close(m[f"{key}_ci_high"], hi)


def test_regression_evaluation_intervals_equal_the_library_computed_ones():
    rng = np.random.default_rng(6)
    t = np.round(rng.uniform(size=400), 2)
    p = np.round(t + rng.normal(0, 0.25, 400), 1)
    m = M.regression_evaluation(t, p, n_boot=60, seed=2)
    ref = _library_cis(lambda i: M.regression_metrics(t[i], p[i]), len(t), 60, 2)
    for key in ("spearman", "spearman_stratified", "mae"):
        assert close(m[f"{key}_ci_low"], ref[key][0]) and close(m[f"{key}_ci_high"], ref[key][1])


def test_bootstrap_resampling_is_unchanged():
    """The seeded resamples and percentile method of the intervals, pinned to the values the previous
    (hand-written) metrics computed on untied data. Not PR AUC: a resample repeats items, so it has tied
    scores even where the data has none, and there the previous PR AUC (which ranked a repeated positive
    above its own copy) and scikit-learn's differ."""
    rng = np.random.default_rng(11)
    y = rng.uniform(size=500) < 0.2
    s = np.clip(0.3 * y + rng.uniform(0, 0.7, 500), 0, 1)
    b = M.binary_evaluation(y, s, 0.5, "x", n_boot=200, seed=0)
    t = rng.uniform(size=500)
    r = M.regression_evaluation(t, t + rng.normal(0, 0.2, 500), n_boot=200, seed=0)
    got = [b["roc_auc_ci_low"], b["roc_auc_ci_high"], b["f1_ci_low"], b["f1_ci_high"], r["spearman_ci_low"],
           r["spearman_ci_high"], r["spearman_stratified_ci_low"], r["spearman_stratified_ci_high"],
           r["mae_ci_low"], r["mae_ci_high"], *M.bootstrap_mean_ci(y.astype(float), 200, seed=3)]
    pinned = [0.784357956449426, 0.8526094301184447, 0.4309941777850433, 0.5603269193433569, 0.8148567925394894,
              0.8583778781957221, 0.20946189728737757, 0.3628259323546077, 0.14747049428551048,
              0.16747264998957187, 0.19395, 0.25605]
    assert np.allclose(got, pinned, rtol=0, atol=TOL)


def test_the_module_imports_and_bootstraps_without_sklearn_or_scipy():
    """The base install (prediction only) has neither; prediction paths import this module."""
    code = ("import sys; sys.modules['sklearn'] = None; sys.modules['scipy'] = None\n"
            "import numpy as np, tinylab.metrics as m\n"
            "assert m.check_targets({'a': 1.0}, {'a': 0.5})['a']['met']\n"
            "assert m.topk_hits(np.array([0]), np.array([[0.9, 0.1]]), 1).tolist() == [1.0]\n"
            "assert m.bootstrap_mean_ci(np.ones(5), 10) == (1.0, 1.0)\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_f1_at_thresholds_equals_sklearn_at_each_threshold():
    from sklearn.metrics import f1_score

    from tinylab.metrics import f1_at_thresholds

    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 400)
    s = np.round(rng.random(400), 2)  # ties at the grid points
    grid = np.linspace(0.02, 0.98, 49)
    expected = [f1_score(y, s >= t, zero_division=0) for t in grid]
    np.testing.assert_allclose(f1_at_thresholds(y, s, grid), expected, atol=1e-12)
