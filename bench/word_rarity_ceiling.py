"""word-rarity: how far spelling alone goes, on the task's own split (what the shipped models are held to).

    python bench/word_rarity_ceiling.py [--lang en]

Fits, on the default spec's training words, and scores on its test words (random and band-balanced
Spearman, as the run reports do):
- a learning curve: the hashed character n-gram ridge on 10%, 30% and all of the training words;
- larger feature sets: ridge on 1-3, 1-4 and 1-5-grams with 2^18 and 2^20 hashed features;
- the ridge held to the models' sizes: 2^12 (4,096) and 2^13 (8,192) hashed weights (nano's budget is 7,000
  parameters), 2^15 (32,768) and 2^16 (65,536) (small's is 50,000);
- gradient-boosted trees (scikit-learn's HistGradientBoostingRegressor) on the network's own dense inputs
  (spelling cues and character language-model log-probabilities) plus the ridge's out-of-fold prediction
  (three folds by word).
Each predictor is also scored on the behavioural suite, as the run reports score the model alone: the
pairwise AUCs of pseudo-words above common words and random strings above pseudo-words (goal ≥ 0.95 each).
The network's capacity sweep is the shipped nano and small models plus ``--set`` variants trained with
``tinylab train`` (docs/benchmarks.md lists the commands)."""

from __future__ import annotations

import argparse
import time

import numpy as np

from tinylab.lifecycle import resolve_spec
from tinylab.metrics import regression_metrics
from tinylab.tasks import get_task
from tinylab.tasks.word_rarity import behaviour
from tinylab.tasks.word_rarity.task import banded_sample


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="en")
    args = ap.parse_args()
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import GroupKFold, cross_val_predict

    task = get_task("word-rarity")
    spec = resolve_spec(task, None, [f"data.language={args.lang}"])
    train, test = task.load_split(spec, "train"), task.load_split(spec, "test")
    y, yt = np.asarray(train.targets, dtype=np.float64), np.asarray(test.targets, dtype=np.float64)
    banded = banded_sample(yt, spec.train.seed)
    suite = behaviour.suite(args.lang)

    def show(name: str, pred: np.ndarray, seconds: float, score: object = None) -> None:
        rand = regression_metrics(yt, pred)["spearman"]
        band = regression_metrics(yt[banded], pred[banded])["spearman"]
        aucs = behaviour.evaluate(suite, score, "b") if callable(score) else {}
        pc, rp = (f"{aucs[k]:.3f}" if k in aucs else "-" for k in ("b_auc_pseudo_over_common",
                                                                       "b_auc_random_over_pseudo"))
        print(f"| {name} | {rand:.4f} | {band:.4f} | {pc} | {rp} | {seconds:.0f} s |", flush=True)

    print(f"{args.lang}: {len(train)} training words, {len(test)} test words ({len(banded)} band-balanced); "
          f"behavioural suite: {len(suite.common)} common words, {len(suite.pseudo)} pseudo-words, "
          f"{len(suite.random)} random strings\n")
    print("| predictor | Spearman (random test words) | Spearman (band-balanced) | AUC pseudo > common | "
          "AUC random > pseudo | fit time |")
    print("|---|---|---|---|---|---|")
    rng = np.random.default_rng(0)
    order = rng.permutation(len(train))
    for ngrams, bits in (((1, 4), 12), ((1, 4), 13), ((1, 4), 15), ((1, 4), 16), ((1, 4), 18), ((1, 3), 18),
                         ((1, 5), 18), ((1, 4), 20), ((1, 5), 20)):
        hv = HashingVectorizer(analyzer="char_wb", ngram_range=ngrams, n_features=2**bits, alternate_sign=False)
        X, Xt = hv.transform(list(train.inputs)), hv.transform(list(test.inputs))
        fractions = (0.1, 0.3, 1.0) if (ngrams, bits) == ((1, 4), 18) else (1.0,)
        for frac in fractions:
            idx = order[:int(frac * len(train))]
            t = time.perf_counter()
            fitted = Ridge(alpha=1.0).fit(X[idx], y[idx])
            pred = fitted.predict(Xt)
            show(f"ridge, {ngrams[0]}-{ngrams[1]}-grams, 2^{bits} features, {frac:.0%} of training words", pred,
                 time.perf_counter() - t, lambda words, m=fitted, v=hv: m.predict(v.transform(words)))
        if (ngrams, bits) == ((1, 4), 18):
            t = time.perf_counter()
            # folds by word (a band-weighted word is repeated), shuffled (the list is in frequency order)
            words = np.asarray(train.inputs)
            _, groups = np.unique(words, return_inverse=True)
            folds = GroupKFold(n_splits=3, shuffle=True, random_state=0)
            oof = cross_val_predict(Ridge(alpha=1.0), X, y, cv=folds, groups=groups)
            ridge_full, ridge_hv = Ridge(alpha=1.0).fit(X, y), hv
            ridge_test = ridge_full.predict(Xt)
            ridge_seconds = time.perf_counter() - t

    import torch

    net = task.build_model(spec, 1)
    def features(words: list[str]) -> np.ndarray:
        with torch.no_grad():
            return net.features(*(torch.from_numpy(a) for a in task.encode(spec, words))).numpy()

    dense, dense_t = features(list(train.inputs)), features(list(test.inputs))
    dim = net.ngrams.embedding_dim  # the untrained n-gram sum is noise: left out
    t = time.perf_counter()
    gbt = HistGradientBoostingRegressor(max_iter=300, random_state=0)
    gbt.fit(np.column_stack([dense[:, dim:], oof]), y)
    pred = gbt.predict(np.column_stack([dense_t[:, dim:], ridge_test]))
    show("boosted trees on spelling cues + language-model features + ridge prediction", pred,
         time.perf_counter() - t + ridge_seconds,
         lambda words, m=gbt: m.predict(np.column_stack([features(words)[:, dim:],
                                                          ridge_full.predict(ridge_hv.transform(words))])))
    t = time.perf_counter()
    gbt = HistGradientBoostingRegressor(max_iter=300, random_state=0).fit(dense[:, dim:], y)
    show("boosted trees on spelling cues + language-model features alone", gbt.predict(dense_t[:, dim:]),
         time.perf_counter() - t, lambda words: gbt.predict(features(words)[:, dim:]))


if __name__ == "__main__":
    main()
