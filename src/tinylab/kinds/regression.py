"""Regression: one value per item. Mean squared error, early stopping on validation Spearman; Spearman
(overall and within bands of the target), Pearson, MAE and RMSE, with bootstrap intervals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tinylab.kinds.base import BASELINE_TITLE, Kind, Plot, ReportSection, verdict

if TYPE_CHECKING:
    from torch import nn

    from tinylab.spec import TrainSpec


RANK_SCALE = 10.0  # outputs in [0, 1]: a difference of 0.1 is a margin of 1 for the ranking term


class Regression(Kind):
    name = "regression"
    headline = "spearman"
    summary_metrics = ("spearman", "spearman_stratified", "mae")
    report_metrics = ("spearman", "spearman_stratified", "pearson", "mae", "rmse")
    compare_metrics = ("spearman", "spearman_stratified", "mae")
    validation_metric = "val_spearman"
    baseline_metrics = ("baseline_mae", "mae_below_baseline")
    miss_suggestion = "see the predicted-vs-true scatter: add training items, model capacity or input features"

    def n_outputs(self, labels: list[str]) -> int:
        return 1

    def losses(self, train: TrainSpec, train_targets: Any, labels: list[str]) -> tuple[nn.Module, nn.Module]:
        from torch import nn

        class MSE(nn.Module):
            def forward(self, out: Any, target: Any) -> Any:
                return nn.functional.mse_loss(out.reshape(-1), target.reshape(-1))

        class MSEAndRank(nn.Module):
            """The squared error plus ``rank_weight`` times a logistic loss on the order of every pair of the
            batch whose targets differ (RankNet's), the output differences scaled by ``RANK_SCALE``."""

            def forward(self, out: Any, target: Any) -> Any:
                o, t = out.reshape(-1), target.reshape(-1)
                sign = (t[:, None] - t[None, :]).sign()
                pairs = sign != 0
                margin = (o[:, None] - o[None, :]) * sign * RANK_SCALE
                rank = nn.functional.softplus(-margin)[pairs].mean() if bool(pairs.any()) else o.sum() * 0.0
                return nn.functional.mse_loss(o, t) + train.rank_weight * rank

        return (MSEAndRank() if train.rank_weight > 0 else MSE()), MSE()

    def validation_score(self, outputs: np.ndarray, targets: Any) -> float:
        from tinylab.metrics import regression_metrics

        rho = regression_metrics(np.asarray(targets), outputs[:, 0])["spearman"]
        return 0.0 if np.isnan(rho) else float(rho)

    def ranked(self, scores: np.ndarray, labels: list[str], meta: dict[str, Any], top_k: int = 1,
               ) -> list[list[tuple[str, float]]]:
        return [[(labels[0], float(v))] for v in np.asarray(scores)[:, 0]]

    def predictions(self, scores: np.ndarray, labels: list[str], meta: dict[str, Any], top_k: int = 1,
                    known: np.ndarray | None = None, items: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        """The value; where the task's reference table knows the item, its value is the answer and the
        model's estimate is shown beside it."""
        name = labels[0]
        out = []
        for i, v in enumerate(np.asarray(scores)[:, 0]):
            listed = known is not None and not np.isnan(known[i, 0] if known.ndim > 1 else known[i])
            answer = float(np.ravel(known[i])[0]) if listed and known is not None else float(v)
            out.append({name: answer, "source": "list" if listed else "model", "model": float(v)})
        return out

    def format_prediction(self, prediction: dict[str, Any]) -> str:
        name = next(iter(prediction))
        how = "from the list" if prediction["source"] == "list" else "model estimate"
        return f"{name} {prediction[name]:.4f} ({how}; model {prediction['model']:.4f})"

    def metrics(self, targets: Any, scores: np.ndarray, labels: list[str], meta: dict[str, Any],
                seed: int = 0, n_boot: int = 1000, items: Sequence[Any] | None = None) -> dict[str, Any]:
        from tinylab.metrics import regression_evaluation

        return regression_evaluation(np.asarray(targets), scores[:, 0], n_boot=n_boot, seed=seed)

    def compare_scores(self, targets: Any, scores: np.ndarray, labels: list[str], meta: dict[str, Any],
                       items: Sequence[Any] | None = None) -> dict[str, float]:
        from tinylab.metrics import regression_compare_scores

        return regression_compare_scores(np.asarray(targets), scores[:, 0])

    def plots(self, metrics: dict[str, Any], targets: Any, scores: np.ndarray, labels: list[str],
              val: tuple[Any, np.ndarray] | None = None) -> list[Plot]:
        from tinylab.report import plots

        return [("scatter.png", "Predicted vs true (test split)", plots.regression_scatter(np.asarray(targets),
                                                                                        scores[:, 0]))]

    def trivial_baseline(self, train_targets: Any, targets: Any, scores: np.ndarray, labels: list[str],
                         meta: dict[str, Any], seed: int = 0) -> tuple[dict[str, Any], ReportSection] | None:
        """Always the training mean, scored on mean absolute error."""
        from tinylab.metrics import bootstrap_mean_ci

        y = np.asarray(targets, dtype=np.float64)
        mean = float(np.mean(np.asarray(train_targets, dtype=np.float64)))
        model_err, base_err = np.abs(scores[:, 0] - y), np.abs(mean - y)
        low, high = bootstrap_mean_ci(base_err - model_err, 1000, seed)
        model, base = float(model_err.mean()), float(base_err.mean())
        trivial = f"always {mean:.4g} (the training mean)"
        md = "\n".join(["| answer | MAE |", "|---|---|", f"| this run | {model:.4f} |", f"| {trivial} | {base:.4f} |",
                        "", verdict("MAE", model, base, base - model, low, high, "lower", trivial), ""])
        return ({"baseline_mae": base, "mae_below_baseline": base - model, "mae_below_baseline_ci_low": low,
                 "mae_below_baseline_ci_high": high, "beats_baseline": bool(low > 0)},
                ReportSection(BASELINE_TITLE, md))

