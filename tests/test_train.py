from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from tinylab.errors import SpecError
from tinylab.spec import TrainSpec
from tinylab.train import fit, lr_at, predict_logits


class Linear(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(x)


def blobs(seed: int, n: int = 400):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    x = (rng.normal(size=(n, 2)) + np.where(y[:, None] == 1, 2.0, -2.0)).astype(np.float32)
    return (x,), y


def test_fit_learns_and_records_history():
    torch.manual_seed(0)
    (xt,), yt = blobs(0)
    (xv,), yv = blobs(1)
    model = Linear()
    seen = []
    res = fit(model, (xt,), yt, (xv,), yv, TrainSpec(epochs=5, batch_size=32, lr=0.05, patience=5), 2,
              on_epoch=lambda e, rec, state: seen.append((e, set(state))))
    assert [h["epoch"] for h in res.history] == [1, 2, 3, 4, 5]
    assert seen[0] == (1, {"fc.weight", "fc.bias"})
    acc = (predict_logits(model, (xv,)).argmax(1) == yv).mean()
    assert acc > 0.95
    assert res.history[-1]["train_loss"] < res.history[0]["train_loss"]


def test_fit_is_deterministic():
    (xt,), yt = blobs(0)
    outs = []
    for _ in range(2):
        torch.manual_seed(0)
        m = Linear()
        fit(m, (xt,), yt, (xt,), yt, TrainSpec(epochs=2, batch_size=50, seed=3), 2)
        outs.append(m.fc.weight.detach().clone())
    assert torch.equal(outs[0], outs[1])


def test_early_stopping_restores_best():
    (xt,), yt = blobs(0)
    rng = np.random.default_rng(5)
    yv = rng.integers(0, 2, 400)  # labels unrelated to x: validation cannot improve for long
    m = Linear()
    res = fit(m, (xt,), yt, (xt,), yv, TrainSpec(epochs=30, batch_size=50, patience=2), 2)
    assert res.stopped_early and len(res.history) < 30
    assert res.history[res.best_epoch - 1]["val_accuracy"] == max(h["val_accuracy"] for h in res.history)


def test_lr_schedule_warms_up_then_decays():
    lrs = [lr_at(s, 100, 10, 1.0) for s in range(100)]
    assert lrs[0] == 0.1 and lrs[9] == 1.0
    assert lrs[50] < lrs[10] and lrs[99] < 0.01


class Head(nn.Module):
    def __init__(self, n_out: int) -> None:
        super().__init__()
        self.fc = nn.Linear(2, n_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(x)


def test_fit_multilabel_uses_bce_and_selects_on_validation_loss():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 2)).astype(np.float32)
    y = np.c_[x[:, 0] > 0, x[:, 1] > 0.5].astype(np.float32)  # two independent labels
    torch.manual_seed(0)
    model = Head(2)
    res = fit(model, (x[:400],), y[:400], (x[400:],), y[400:], TrainSpec(epochs=8, batch_size=32, lr=0.05),
              2, kind="multi_label")
    assert "val_macro_pr_auc" in res.history[0] and "train_accuracy_running" not in res.history[0]
    best = min(range(len(res.history)), key=lambda i: res.history[i]["val_loss"]) + 1
    assert res.best_epoch == best
    pred = predict_logits(model, (x[400:],)) > 0
    assert (pred == y[400:].astype(bool)).mean() > 0.9


def test_fit_regression_learns_a_monotone_target():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(600, 2)).astype(np.float32)
    y = (0.5 + 0.3 * x[:, 0]).astype(np.float32)
    torch.manual_seed(0)
    model = Head(1)
    res = fit(model, (x[:400],), y[:400], (x[400:],), y[400:], TrainSpec(epochs=6, batch_size=32, lr=0.05),
              1, kind="regression")
    assert res.history[-1]["val_spearman"] > 0.95


def test_length_bands_cover_every_item_once_in_short_and_long_batches():
    from tinylab.train import _epoch_batches

    widths = torch.tensor(np.random.default_rng(0).integers(1, 65, 1000))
    gen = torch.Generator().manual_seed(0)
    batches = _epoch_batches(1000, 50, gen, widths, bands=4)
    assert sorted(torch.cat(batches).tolist()) == list(range(1000))
    assert len(batches) == 20
    # within each group of 4 batches the values are ordered by length: a batch spans a quarter of the range
    spans = [int(widths[b].max() - widths[b].min()) for b in batches]
    assert np.median(spans) < 32
    # without widths: the plain random batches, as before (same permutation for the same generator state)
    plain = _epoch_batches(1000, 50, torch.Generator().manual_seed(0), None)
    assert torch.equal(torch.cat(plain), torch.randperm(1000, generator=torch.Generator().manual_seed(0)))


def test_length_bands_train_a_char_cnn_on_trimmed_batches_and_refuse_other_models():
    import pytest

    from tinylab.data import encode_bytes
    from tinylab.models.char_cnn import CharCNN, CharCNNSpec

    rng = np.random.default_rng(0)
    words = ["".join(rng.choice(list("abc"), rng.integers(2, 30))) for _ in range(600)]
    digits = ["".join(rng.choice(list("0123456789"), rng.integers(2, 30))) for _ in range(600)]
    values, y = words + digits, np.array([0] * 600 + [1] * 600)
    x = encode_bytes(values, 32)
    torch.manual_seed(0)
    model = CharCNN(CharCNNSpec(max_len=32, channels=8, hidden=16), 2)
    seen_widths: list[int] = []
    model.register_forward_pre_hook(lambda mod, args: seen_widths.append(args[0].shape[1]) if mod.training else None)
    fit(model, x, y, x, y, TrainSpec(epochs=2, batch_size=50, lr=0.01, length_bands=4), 2)
    assert min(seen_widths) < 32 and max(seen_widths) <= 32  # short bands were cut below the full width
    assert (predict_logits(model, x).argmax(1) == y).mean() > 0.95
    with pytest.raises(SpecError, match="padding-invariant"):
        fit(Linear(), blobs(0)[0], blobs(0)[1], blobs(1)[0], blobs(1)[1], TrainSpec(epochs=1, length_bands=4), 2)


def test_length_bands_training_is_deterministic_for_a_seed():
    from tinylab.data import encode_bytes
    from tinylab.models.char_cnn import CharCNN, CharCNNSpec

    rng = np.random.default_rng(1)
    values = ["".join(rng.choice(list("ab1"), rng.integers(1, 20))) for _ in range(300)]
    y = np.array([v.count("1") % 2 for v in values])
    x = encode_bytes(values, 24)
    weights = []
    for _ in range(2):
        torch.manual_seed(0)
        model = CharCNN(CharCNNSpec(max_len=24, channels=8, hidden=16), 2)
        fit(model, x, y, x, y, TrainSpec(epochs=2, batch_size=32, length_bands=3, seed=5), 2)
        weights.append(model.head[-1].weight.detach().clone())
    assert torch.equal(weights[0], weights[1])


def test_exponential_decay_multiplies_the_rate_by_the_factor_each_epoch():
    steps_per_epoch, warmup = 10, 5
    lrs = [lr_at(s, 100, warmup, 1.0, decay=0.9, steps_per_epoch=steps_per_epoch) for s in range(100)]
    assert lrs[warmup] == pytest.approx(1.0)
    assert lrs[warmup + steps_per_epoch] == pytest.approx(0.9)
    assert lrs[warmup + 3 * steps_per_epoch] == pytest.approx(0.9 ** 3)
    assert lrs[:warmup] == pytest.approx([(s + 1) / warmup for s in range(warmup)])
