"""unfair-clauses: reading the CLAUDETTE layout with errors that name file and line, the nine categories beside
unfair yes/no, document-level splits, the shipped model served without torch, whole documents, and a training
end to end through the real CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tinylab.errors import TinylabError
from tinylab.lifecycle import resolve_spec
from tinylab.tasks import get_task
from tinylab.tasks.unfair_clauses.document import paragraphs, split_sentences
from tinylab.tasks.unfair_clauses.task import CORPUS, LABELS, parse_tags, read_corpus

from conftest import SHARED, run_cli

HAVE_CORPUS = (SHARED / CORPUS / "sentences").is_dir()
FAST = ["data.max_documents=14", "data.test_documents=4", "data.val_documents=3", "data.fair_per_unfair=1",
        "train.epochs=1", "model.trainable_layers=1", "model.max_tokens=32", "export.min_agreement=0"]
TERMS = ("Welcome to Acme. These terms apply to your use of the service.\n\n"
         "We may terminate your account at any time without notice. Any dispute shall be resolved by binding "
         "arbitration in Delaware. We are not liable for any damages whatsoever.\n\n"
         "You can contact our support team by email.\n")


def corpus(tmp_path: Path, sentences: str, tags: str) -> Path:
    for sub, text in (("sentences", sentences), ("tags", tags)):
        (tmp_path / sub).mkdir(parents=True, exist_ok=True)
        (tmp_path / sub / "Acme.txt").write_text(text, encoding="utf-8")
    return tmp_path


def test_levels_two_and_three_are_unfair_with_their_categories():
    assert parse_tags("ltd2", "x") == ({"ltd"}, True)
    assert parse_tags("use3 countrym a2", "x") == ({"use", "a"}, True)
    assert parse_tags("ltd1", "x") == (set(), True) and parse_tags("countrym", "x") == (set(), False)
    assert parse_tags("", "x") == (set(), False)
    with pytest.raises(TinylabError, match=r"Acme\.txt:3: unknown tag 'xyz2'"):
        parse_tags("xyz2", "Acme.txt:3")
    assert LABELS[0] == "unfair" and "contract_by_using" in LABELS and len(LABELS) == 10


def test_corpus_errors_name_file_and_line(tmp_path: Path):
    root = corpus(tmp_path, "We may end this.\nFine.\nYou accept by using it.\n", "ter2 ch2\n\nuse1\n")
    texts, targets, tagged = read_corpus(str(root))["Acme"]
    assert texts == ["We may end this.", "Fine.", "You accept by using it."] and tagged.tolist() == [True, False, True]
    on = {LABELS[j] for j in np.flatnonzero(targets[0])}
    assert on == {"unfair", "unilateral_termination", "unilateral_change"} and not targets[1:].any()
    bad = corpus(tmp_path / "b", "One.\nTwo.\n", "ter2\n")
    with pytest.raises(TinylabError, match=r"2 lines but Acme\.txt has 3; they must align"):
        read_corpus(str(bad))
    bad = corpus(tmp_path / "c", "One.\n\n", "\nltd2\n")
    with pytest.raises(TinylabError, match=r"Acme.txt:2: tags 'ltd2' on an empty sentence line"):
        read_corpus(str(bad))


@pytest.mark.skipif(not HAVE_CORPUS, reason="shared CLAUDETTE corpus not present")
def test_splits_are_by_document_and_only_train_drops_fair_sentences():
    task = get_task("unfair-clauses")
    spec = resolve_spec(task, None, ["data.fair_per_unfair=0"])
    splits = {s: task.load_split(spec, s) for s in ("train", "val", "test")}
    docs = [set(splits[s].info["documents"]) for s in splits]
    assert [len(d) for d in docs] == [34, 6, 10]
    assert not (docs[0] & docs[1] or docs[0] & docs[2] or docs[1] & docs[2])
    assert sum(len(s) for s in splits.values()) == 17383
    assert sum(int(s.targets[:, 0].sum()) for s in splits.values()) == 1374  # sentences tagged level 2 or 3
    assert splits["train"].targets.shape[1] == 10
    default = resolve_spec(task, None, [])
    sub = task.load_split(default, "train")
    unfair = int(splits["train"].targets[:, 0].sum())
    assert int(sub.targets[:, 0].sum()) == unfair and len(sub) < len(splits["train"])
    assert task.load_split(default, "test").inputs == splits["test"].inputs  # validation and test stay whole


def test_documents_are_read_as_paragraphs_and_sentences(tmp_path: Path):
    txt = tmp_path / "t.txt"
    txt.write_text(TERMS, encoding="utf-8")
    md = tmp_path / "t.md"
    md.write_text("# Terms\n\n" + TERMS.replace("We may", "**We** may"), encoding="utf-8")
    page = tmp_path / "t.html"
    page.write_text("<html><head><style>p{}</style><script>var x = 'Hidden.';</script></head><body>"
                    + "".join(f"<p>{p}</p>" for p in TERMS.split("\n\n")) + "</body></html>", encoding="utf-8")
    for path in (txt, md, page):
        sents = [s for _, s in split_sentences(paragraphs(path))]
        assert "We may terminate your account at any time without notice." in sents, path
        assert "We are not liable for any damages whatsoever." in sents and "Hidden." not in " ".join(sents)
    assert split_sentences(paragraphs(txt))[-1][0] == 2  # the paragraph each sentence came from
    with pytest.raises(TinylabError, match=r"must be \.txt, \.md or \.html"):
        paragraphs(tmp_path / "t.pdf")
    bad = tmp_path / "latin.txt"
    bad.write_bytes("Conditions générales".encode("latin-1"))
    with pytest.raises(TinylabError, match=r"latin\.txt is not UTF-8"):
        paragraphs(bad)


def test_the_shipped_model_serves_without_torch():
    """The shipped model predicts from its ONNX file with the tokenizers library: torch and transformers are
    never imported."""
    code = """
import sys
import tinylab
from tinylab.predict import Predictor
p = Predictor.from_run("unfair-clauses")
assert p.runtime == "onnxruntime"
out = p.predict_json(["We may terminate your account at any time, for any reason, without notice.",
                      "Our office is open on weekdays."])
names = [r["label"] for r in out[0]["predictions"]]
assert {"unfair", "unilateral_termination"} <= set(names), out
assert not any(r["label"] == "unfair" for r in out[1]["predictions"]), out
assert tinylab.load("unfair-clauses").predict(["Hello."])
assert "torch" not in sys.modules and "transformers" not in sys.modules, "torch or transformers was imported"
print("ok")
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr[-3000:]


def test_predict_a_whole_document(tmp_path: Path):
    terms = tmp_path / "terms.md"
    terms.write_text(TERMS, encoding="utf-8")
    page = tmp_path / "terms.html"
    r = run_cli("predict", "unfair-clauses", "--file", str(terms), "--json", "--html", str(page))
    assert r.returncode == 0, r.stderr
    assert f"wrote {page}" in r.stderr  # where the HTML went, beside the JSON on stdout
    out = json.loads(r.stdout)
    assert out["sentences"] == 6 and out["flagged"] == len(out["flagged_sentences"]) >= 2
    flagged = {f["text"]: f for f in out["flagged_sentences"]}
    cats = {c["label"] for c in flagged["Any dispute shall be resolved by binding arbitration in Delaware."]
            ["categories"]}
    assert "arbitration" in cats
    assert "You can contact our support team by email." not in flagged
    assert [f["sentence"] for f in out["flagged_sentences"]] == sorted(f["sentence"] for f in out["flagged_sentences"])
    assert sum(out["per_category"].values()) == sum(len(f["categories"]) for f in out["flagged_sentences"])
    html = page.read_text(encoding="utf-8")
    assert html.count("<mark") == out["flagged"] and "support team" in html
    r = run_cli("predict", "unfair-clauses", "--file", str(terms))
    assert r.returncode == 0 and "sentences flagged as potentially unfair" in r.stdout.splitlines()[0]
    assert r.stdout.splitlines()[-1].startswith("per category: ")
    r = run_cli("predict", "unfair-clauses", "--file", str(tmp_path / "missing.txt"))
    assert r.returncode == 2 and "missing.txt: no such file" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("predict", "semantic-types", "1.2.3.4", "--html", str(page))
    assert r.returncode == 2 and "--html is for a task that reads --file as one document" in r.stderr


@pytest.mark.long
@pytest.mark.skipif(not HAVE_CORPUS, reason="shared CLAUDETTE corpus not present")
def test_cli_end_to_end_fine_tuned_report(tmp_path: Path):
    r = run_cli("train", "unfair-clauses", *[a for s in FAST for a in ("--set", s)], "--runs-dir", str(tmp_path),
                "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    run, m = Path(out["run"]), out["metrics"]
    assert m["f1_over_tfidf_ci_low"] <= m["f1_over_tfidf"] <= m["f1_over_tfidf_ci_high"]
    assert m["f1_over_tfidf"] == pytest.approx(m["f1"] - m["baseline_tfidf_f1"])
    meta = json.loads((run / "meta.json").read_text())
    assert meta["kind"] == "multi_label" and meta["thresholds"]["tuned_on"] == "validation"
    assert meta["runtime"] == "onnxruntime" and meta["onnx"].startswith("int8 (dynamic)")
    assert set(meta["thresholds"]["per_label"]) == set(LABELS)
    report = (run / "report.md").read_text()
    assert "Against the TF-IDF baseline" in report and "paired bootstrap 95% interval" in report
    t = out["targets"]["f1"]
    assert t["met"] == (t["value"] >= t["goal"])
    r = run_cli("predict", str(run), "We may terminate your account at any time without notice.", "--json")
    assert r.returncode == 0, r.stderr
    assert {p["label"] for p in json.loads(r.stdout)[0]["predictions"]} <= set(LABELS)


def small_corpus(root: Path, documents: int = 6) -> Path:
    """``documents`` made-up ToS, each with unfair sentences of two categories and fair ones."""
    for sub in ("sentences", "tags"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for d in range(documents):
        rows = [(f"Company {d} may terminate your account at any time without notice.", "ter2"),
                (f"Company {d} may change these terms at any time.", "ch2"),
                (f"Company {d} is not liable for any loss.", "ltd2"),
                (f"Company {d} opens its office at {d + 8} am.", ""),
                (f"Company {d} answers email within {d + 1} days.", ""),
                (f"Company {d} welcomes you.", "")]
        (root / "sentences" / f"Doc{d}.txt").write_text("\n".join(r[0] for r in rows) + "\n", encoding="utf-8")
        (root / "tags" / f"Doc{d}.txt").write_text("\n".join(r[1] for r in rows) + "\n", encoding="utf-8")
    return root


def test_cross_validation_folds_hold_out_whole_documents(tmp_path: Path):
    from tinylab.cv import fold_groups

    parts = fold_groups([f"Doc{i}" for i in range(7)], 3, seed=0)
    assert sorted(d for p in parts for d in p) == [f"Doc{i}" for i in range(7)] and [len(p) for p in parts] == [3, 2, 2]
    with pytest.raises(TinylabError, match="--folds must be between 2 and the number of groups"):
        fold_groups(["a", "b"], 3, seed=0)
    task = get_task("unfair-clauses")
    spec = resolve_spec(task, None, [f"data.path={small_corpus(tmp_path / 'c')}", "data.val_documents=1"])
    fold = task.fold_spec(spec, ["Doc1", "Doc4"])
    docs = {s: task.load_split(fold, s).info["documents"] for s in ("train", "val", "test")}
    assert docs["test"] == ["Doc1", "Doc4"] and len(docs["val"]) == 1 and len(docs["train"]) == 3
    assert not set(docs["val"] + docs["train"]) & {"Doc1", "Doc4"}


@pytest.mark.long
def test_cv_cli_trains_one_run_per_fold(tmp_path: Path):
    root = small_corpus(tmp_path / "corpus")
    sets = [f"data.path={root}", "data.val_documents=1", "data.fair_per_unfair=0", "train.epochs=1",
            "model.trainable_layers=1", "model.max_tokens=16", "export.int8=false"]
    r = run_cli("cv", "unfair-clauses", "--folds", "3", *[a for s in sets for a in ("--set", s)], "--runs-dir",
                str(tmp_path / "runs"), "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert len(out["folds"]) == 3 and sorted(d for f in out["folds"] for d in f["test_groups"]) == [
        f"Doc{i}" for i in range(6)]
    f1 = [f["metrics"]["f1"] for f in out["folds"]]
    assert out["summary"]["f1"]["mean"] == pytest.approx(np.mean(f1))
    assert all(Path(f["run"], "manifest.json").is_file() for f in out["folds"])
    # a cross-validation stopped part-way: fold 2's run is gone, fold 3's was tampered with; --resume reuses
    # fold 1 and trains the other two again, and the summary is over all three
    shutil.rmtree(out["folds"][1]["run"])
    (Path(out["folds"][2]["run"]) / "metrics.json").write_text("{}")
    r = run_cli("cv", "unfair-clauses", "--folds", "3", *[a for s in sets for a in ("--set", s)], "--runs-dir",
                str(tmp_path / "runs"), "--json", "--resume")
    assert r.returncode == 0, r.stderr[-2000:]
    again = json.loads(r.stdout.strip().splitlines()[-1])
    assert [f.get("reused", False) for f in again["folds"]] == [True, False, False]
    assert again["folds"][0]["run"] == out["folds"][0]["run"]
    assert again["folds"][0]["metrics"] == out["folds"][0]["metrics"]
    assert len({f["run"] for f in again["folds"]} | {f["run"] for f in out["folds"]}) == 5
    r = run_cli("cv", "semantic-types", "--folds", "3")
    assert r.returncode == 2 and "has no groups to cross-validate by" in r.stderr
