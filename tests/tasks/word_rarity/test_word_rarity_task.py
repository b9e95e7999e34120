"""word-rarity: the packaged word lists against wordfreq, honest splits, the regression report end to end
through the real CLI (ridge baseline, band-balanced Spearman, behavioural suite), and the hybrid."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

import tinylab
from tinylab.errors import SpecError, TinylabError
from tinylab.lifecycle import resolve_spec
from tinylab.tasks import get_task
from tinylab.tasks.word_rarity import behaviour, lexicon
from tinylab.tasks.word_rarity.lexicon import rarity
from tinylab.tasks.word_rarity.task import banded_sample, zipf_band

from conftest import run_cli

SMALL = ["data.train_words=3000", "data.val_words=500", "data.test_words=2000"]


def test_rarity_maps_zipf_onto_unit_interval():
    assert rarity(np.array([8.0, 1.0, 4.5, 0.0, 9.0])).tolist() == pytest.approx([0.0, 1.0, 0.5, 1.0, 0.0])


@pytest.mark.parametrize("language", lexicon.LANGUAGES)
def test_packaged_word_list_is_wordfreqs(language: str):
    wordfreq = pytest.importorskip("wordfreq")
    words, zipf = lexicon.load(language)
    assert len(words) == len(set(words)) > 250_000 and (np.diff(zipf) <= 0).all()
    rng = random.Random(0)
    for i in rng.sample(range(len(words)), 300):
        assert zipf[i] == pytest.approx(wordfreq.zipf_frequency(words[i], language, "large"), abs=1e-9), words[i]
    listed = [w for w in wordfreq.iter_wordlist(language, "large") if any(ch.isalpha() for ch in w)][:5000]
    assert set(listed) <= set(words)


def test_splits_are_disjoint_stratified_and_leave_out_the_behavioural_words():
    task = get_task("word-rarity")
    spec = resolve_spec(task, None, SMALL)
    splits = {s: task.load_split(spec, s) for s in ("train", "val", "test")}
    words = [set(splits[s].inputs) for s in splits]
    assert [len(w) for w in words] == [3000, pytest.approx(500, abs=3), pytest.approx(2000, abs=3)]
    assert len(splits["val"]) == len(words[1]) and len(splits["test"]) == len(words[2])
    # band weighting repeats the training words of the smaller Zipf bands, never a held-out word
    train = splits["train"]
    counts = {w: train.inputs.count(w) for w in set(train.inputs)}
    band = zipf_band(train.targets)
    assert len(train) > 3000 and max(counts.values()) > 1
    assert {counts[w] for w, b in zip(train.inputs, band, strict=True) if b == 0} == {1}
    assert not (words[0] & words[1] or words[0] & words[2] or words[1] & words[2])
    assert not (words[0] | words[1] | words[2]) & behaviour.listed_words("en")
    assert splits["test"].inputs == task.load_split(spec, "test").inputs
    _, zipf = lexicon.load("en")
    share = np.bincount(zipf_band(rarity(zipf)), minlength=5) / len(zipf)
    test_share = np.bincount(zipf_band(splits["test"].targets), minlength=5) / len(splits["test"])
    assert np.abs(share - test_share).max() < 0.01  # the test split is a random sample of the list
    band = zipf_band(splits["test"].targets[banded_sample(splits["test"].targets)])
    assert len(set(np.bincount(band, minlength=5).tolist())) == 1


def test_unknown_language_and_oversized_split_are_spec_errors():
    task = get_task("word-rarity")
    with pytest.raises(SpecError, match="no word list for 'xx'"):
        resolve_spec(task, None, ["data.language=xx"])
    spec = resolve_spec(task, None, ["data.train_words=9000000"])
    with pytest.raises(SpecError, match="words asked for but the en list has"):
        task.load_split(spec, "train")
    with pytest.raises(TinylabError, match="en, de, fr, es"):
        lexicon.load("xx")


@pytest.mark.parametrize("language", lexicon.LANGUAGES)
def test_behavioural_lists_hold_what_they_claim(language: str):
    s = behaviour.suite(language)
    table = lexicon.table(language)
    assert len(s.common) >= 40 and len(s.rare) >= 20 and len(s.pseudo) >= 25 and len(s.random) == 100
    assert all(w in table for w in s.common + s.rare)
    assert not any(w in table for w in s.pseudo + s.random + tuple(t for t, _ in s.typos))
    assert max(table[w] for w in s.common) < min(table[w] for w in s.rare)
    assert len(s.typos) >= 25 and all(t != w and t[0] == w[0] for t, w in s.typos)
    assert s == behaviour.suite(language)  # seeded


def test_pair_auc_counts_ties_half():
    assert behaviour.pair_auc(np.array([0.1, 0.2]), np.array([0.3, 0.4])) == 1.0
    assert behaviour.pair_auc(np.array([0.5]), np.array([0.5, 0.4])) == 0.25


@pytest.mark.slow
def test_cli_end_to_end_regression_report(tmp_path: Path):
    r = run_cli("train", "word-rarity", *[a for s in SMALL for a in ("--set", s)], "--set", "train.epochs=2",
                "--runs-dir", str(tmp_path), "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    run = Path(out["run"])
    m = out["metrics"]
    assert m["spearman_ci_low"] <= m["spearman"] <= m["spearman_ci_high"]
    for key in ("spearman_banded", "baseline_ridge_spearman", "baseline_ridge_spearman_banded",
                "behaviour_model_auc_pseudo_over_common", "behaviour_hybrid_auc_typo_over_word"):
        assert -1 <= m[key] <= 1, key
    assert 0 <= m["output_min"] <= m["output_max"] <= 1
    report = (run / "report.md").read_text()
    for name, t in out["targets"].items():
        assert t["met"] == (t["value"] >= t["goal"]), name
    assert "| hashed char n-gram ridge" in report and "## Behavioural suite" in report
    assert json.loads((run / "meta.json").read_text())["n_params"] < 7000
    r = run_cli("predict", str(run), "the", "zyzzogeton", "--json")
    assert r.returncode == 0, r.stderr
    preds = json.loads(r.stdout)
    assert [p["value"] for p in preds] == ["the", "zyzzogeton"] and all(0 <= p["rarity"] <= 1 for p in preds)
    r = run_cli("eval", str(run), "--json")
    again = json.loads(r.stdout.strip().splitlines()[-1])["metrics"]
    assert again["spearman"] == pytest.approx(m["spearman"])
    assert again["behaviour_model_auc_pseudo_over_common"] == pytest.approx(m["behaviour_model_auc_pseudo_over_common"])


def test_predict_answers_listed_words_from_the_list_and_others_from_the_model():
    r = run_cli("predict", "word-rarity", "the", " The ", "zyzzogetonqx", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [row["source"] for row in rows] == ["list", "list", "model"]
    assert rows[0]["rarity"] == pytest.approx(rarity(np.array([7.73]))[0], abs=1e-3)  # zipf of "the"
    assert rows[2]["rarity"] == rows[2]["model"]
    r = run_cli("predict", "word-rarity", "the", "--model-only", "--json")
    row = json.loads(r.stdout)[0]
    assert row["source"] == "model" and row["rarity"] == row["model"] == pytest.approx(rows[0]["model"])


def test_lang_picks_the_shipped_model_of_a_language():
    r = run_cli("predict", "word-rarity", "--lang", "de", "straßenbahn", "und", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [row["source"] for row in rows] == ["list", "list"] and rows[1]["rarity"] < 0.3
    r = run_cli("predict", "word-rarity", "--lang", "en", "the")
    assert r.returncode == 0, r.stderr
    r = run_cli("predict", "word-rarity", "--lang", "xx", "the")
    assert r.returncode == 2 and "no shipped model of word-rarity for --lang xx" in r.stderr
    assert "languages: de, en, es, fr" in r.stderr
    assert run_cli("predict", "word-rarity", "--lang", "DE", "und").returncode == 0


def test_an_empty_or_blank_word_is_refused_naming_where_it_is(tmp_path: Path):
    r = run_cli("predict", "word-rarity", "the", "   ")
    assert r.returncode == 2 and "value 2: an empty or blank word has no rarity" in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    words = tmp_path / "words.txt"
    words.write_text("the\n\nzebra\n", encoding="utf-8")
    r = run_cli("predict", "word-rarity", "--file", str(words))
    assert r.returncode == 2 and f"{words}:2: an empty or blank word" in r.stderr
    words.write_text("the\n\x00\n", encoding="utf-8")  # nothing but a NUL byte is blank too
    r = run_cli("predict", "word-rarity", "--file", str(words))
    assert r.returncode == 2 and f"{words}:2: an empty or blank word" in r.stderr
    bom = tmp_path / "bom.txt"  # a byte-order mark is not part of the first word
    bom.write_bytes("\ufeffthe\n".encode())
    r = run_cli("predict", "word-rarity", "--file", str(bom), "--json")
    assert r.returncode == 0 and json.loads(r.stdout)[0]["source"] == "list"
    m = tinylab.load("word-rarity")
    with pytest.raises(TinylabError, match=r"inputs\[1\] = '': an empty or blank word"):
        m.predict(["the", ""])
    assert m.predict(["the", None])[1] == {"input": None}  # a null stays a null answer
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text("".join(json.dumps({"w": w}) + "\n" for w in ["the", "cat", "dog", " "]), encoding="utf-8")
    r = run_cli("predict", "word-rarity", "--input", str(inp), "--column", "w", "--output", str(out),
                "--chunk-rows", "2")
    assert r.returncode == 2 and "data row 4 = ' ': an empty or blank word" in r.stderr
    assert not out.exists()


def test_the_ngram_table_can_start_as_a_ridge_regression():
    import torch
    from scipy.stats import spearmanr

    task = get_task("word-rarity")
    spec = resolve_spec(task, None, [*SMALL, "model.dim=1", "model.buckets=4096", "model.ngram_init=ridge"])
    net = task.build_model(spec, 1)
    train = task.load_split(spec, "train")
    with torch.no_grad():
        z = net.features(*(torch.from_numpy(a) for a in task.encode(spec, train.inputs)))[:, 0].numpy()
    # before any training the n-gram sum already ranks the training words by rarity, as the ridge does
    assert spearmanr(z, train.targets).statistic > 0.3
    random_start = task.build_model(resolve_spec(task, None, [*SMALL, "model.dim=1", "model.buckets=4096"]), 1)
    assert float(random_start.ngrams.weight.detach().abs().max()) < 0.1  # small random values otherwise
