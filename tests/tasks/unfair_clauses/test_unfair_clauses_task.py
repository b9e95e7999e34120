"""unfair-clauses: reading the CLAUDETTE layout with errors that name file and line, document-level splits,
and the binary report end to end through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tinylab.errors import TinylabError
from tinylab.lifecycle import resolve_spec
from tinylab.tasks import get_task
from tinylab.tasks.unfair_clauses.task import CORPUS, parse_tags, read_corpus

from conftest import SHARED, run_cli

HAVE_CORPUS = (SHARED / CORPUS / "sentences").is_dir()
FAST = ["model.use_encoder=false", "data.max_documents=14", "data.test_documents=4", "data.val_documents=3",
        "train.epochs=6"]


def corpus(tmp_path: Path, sentences: str, tags: str) -> Path:
    for sub, text in (("sentences", sentences), ("tags", tags)):
        (tmp_path / sub).mkdir(parents=True, exist_ok=True)
        (tmp_path / sub / "Acme.txt").write_text(text, encoding="utf-8")
    return tmp_path


def test_levels_two_and_three_are_unfair():
    assert parse_tags("ltd2", "x") and parse_tags("use3 countrym", "x")
    assert not parse_tags("ltd1", "x") and not parse_tags("countrym", "x") and not parse_tags("", "x")
    with pytest.raises(TinylabError, match=r"Acme\.txt:3: unknown tag 'xyz2'"):
        parse_tags("xyz2", "Acme.txt:3")


def test_corpus_errors_name_file_and_line(tmp_path: Path):
    root = corpus(tmp_path, "We may end this.\nFine.\n", "ter2\n\n")
    texts, flags = read_corpus(str(root))["Acme"]
    assert texts == ["We may end this.", "Fine."] and flags.tolist() == [1.0, 0.0]
    bad = corpus(tmp_path / "b", "One.\nTwo.\n", "ter2\n")
    with pytest.raises(TinylabError, match=r"2 lines but Acme\.txt has 3; they must align"):
        read_corpus(str(bad))
    bad = corpus(tmp_path / "c", "One.\n\n", "\nltd2\n")
    with pytest.raises(TinylabError, match=r"Acme.txt:2: tags 'ltd2' on an empty sentence line"):
        read_corpus(str(bad))


@pytest.mark.skipif(not HAVE_CORPUS, reason="shared CLAUDETTE corpus not present")
def test_splits_are_by_document():
    task = get_task("unfair-clauses")
    spec = resolve_spec(task, None, [])
    splits = {s: task.load_split(spec, s) for s in ("train", "val", "test")}
    docs = [set(splits[s].info["documents"]) for s in splits]
    assert [len(d) for d in docs] == [34, 6, 10]
    assert not (docs[0] & docs[1] or docs[0] & docs[2] or docs[1] & docs[2])
    assert sum(len(s) for s in splits.values()) == 17383
    assert sum(int(s.targets.sum()) for s in splits.values()) == 1374  # sentences tagged level 2 or 3
    assert splits["train"].targets.shape[1] == 1 and set(np.unique(splits["train"].targets)) == {0.0, 1.0}


@pytest.mark.skipif(not HAVE_CORPUS, reason="shared CLAUDETTE corpus not present")
def test_cli_end_to_end_binary_report(tmp_path: Path):
    r = run_cli("train", "unfair-clauses", *[a for s in FAST for a in ("--set", s)], "--runs-dir", str(tmp_path),
                "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    run, m = Path(out["run"]), out["metrics"]
    for key in ("roc_auc", "pr_auc", "f1"):
        assert m[f"{key}_ci_low"] <= m[key] <= m[f"{key}_ci_high"]
    meta = json.loads((run / "meta.json").read_text())
    assert meta["kind"] == "binary" and meta["thresholds"]["tuned_on"] == "validation"
    assert m["threshold"] == meta["thresholds"]["per_label"]["unfair"]
    report = (run / "report.md").read_text()
    t = out["targets"]["f1"]
    assert t["met"] == (t["value"] >= t["goal"]) and ("MISSED" in report.splitlines()[2]) != t["met"]
    assert "| 0.5 | " in report and "(tuned, used by predict)" in report and "TF-IDF" in report
    assert (run / "plots" / "thresholds.png").is_file()
    r = run_cli("predict", str(run), "We may terminate your account at any time without notice.", "--json")
    assert r.returncode == 0, r.stderr
    p = json.loads(r.stdout)[0]["predictions"][0]
    assert p["label"] == "unfair" and p["predicted"] == (p["probability"] >= p["threshold"])
