"""from-file without training: reading files, inferring the kind and the model, the splits (group splits keep
groups apart), resolving the spec from the file and loading a saved spec without it, and the one-line
refusals of bad files through the real CLI."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinylab.errors import TinylabError
from tinylab.lifecycle import resolve_spec
from tinylab.spec import load_toml, to_toml
from tinylab.tasks import get_task
from tinylab.tasks.base import task_kind
from tinylab.tasks.from_file.infer import choose_model, infer_kind, read_targets
from tinylab.tasks.from_file.split import group_split, row_split

from conftest import run_cli


def write_csv(path: Path, header: list[str], rows: list[list[object]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


def resolved(path: Path, *targets: str, extra: tuple[str, ...] = ()):
    task = get_task("from-file")
    spec = resolve_spec(task, None, [f"data.path={json.dumps(str(path))}", 'data.input="text"',
                                     f"data.targets={json.dumps(list(targets))}", *extra])
    return task, spec


# ---- kinds ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("values", "kind"), [
    (["a", "b", "a", "c"], "single_label"),
    (["1", "3", "2", "3", "1"], "single_label"),  # few distinct whole numbers: classes
    ([1, 0, 1, 1], "binary"),
    (["true", "False", "TRUE", "false"], "binary"),
    ([True, False], "binary"),
    (["0.5", "1.25", "3"], "regression"),  # not all whole
    ([str(i) for i in range(30)], "regression"),  # many distinct whole numbers
    ([["a"], [], ["a", "b"]], "multi_label"),  # JSON Lines lists
    (['["a"]', "[]", '["a", "b"]'], "multi_label"),  # JSON lists in CSV cells
    ([str(i * 0.1) for i in range(10)] + ["n/a"], "regression"),  # mostly numbers: "n/a" is then an error
])
def test_the_targets_decide_the_kind(values, kind):
    assert infer_kind({"y": values}, ["y"])[0] == kind
    assert infer_kind({"y": values, "z": values}, ["y", "z"])[0] == "multi_label"


def test_targets_as_their_kind_takes_them():
    where = [f"line {i + 2}" for i in range(4)]
    t = read_targets({"y": ["10", "2", "2", "1"]}, ["y"], None, where, Path("f.csv"))
    assert t.kind == "single_label" and t.labels == ["1", "2", "10"] and t.values.tolist() == [2, 1, 1, 0]
    t = read_targets({"a": ["1", "0", "1", "0"], "b": ["true", "true", "false", "0"]}, ["a", "b"], None, where,
                     Path("f.csv"))
    assert t.kind == "multi_label" and t.labels == ["a", "b"] and t.values.tolist() == [[1, 1], [0, 1], [1, 0], [0, 0]]
    t = read_targets({"y": [["x"], [], ["y", "x"], ["y"]]}, ["y"], None, where, Path("f.jsonl"))
    assert t.labels == ["x", "y"] and t.values.tolist() == [[1, 0], [0, 0], [1, 1], [0, 1]]
    t = read_targets({"y": ["0.5", "1.5", "2", "-1"]}, ["y"], None, where, Path("f.csv"))
    assert t.kind == "regression" and t.labels == ["y"] and t.values.dtype == np.float32
    with pytest.raises(TinylabError, match=r"f\.csv: line 3: target column 'y': 'x' is not a number"):
        read_targets({"y": ["0.5", "x", "2", "-1"]}, ["y"], "regression", where, Path("f.csv"))


CELL = st.one_of(st.text(max_size=8), st.sampled_from(["0", "1", "true", "[]", '["a"]', "[1, [2]]", "nan", "1e999"]),
                 st.integers(-3, 3), st.floats(allow_nan=True), st.booleans(), st.none(),
                 st.lists(st.sampled_from(["a", "b", ""]), max_size=3))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(CELL, CELL), min_size=1, max_size=30),
       st.sampled_from([None, "single_label", "binary", "multi_label", "regression"]), st.booleans())
def test_any_cells_give_targets_of_their_kind_or_one_clear_error(rows, kind, two_columns):
    columns = {"y": [r[0] for r in rows], "z": [r[1] for r in rows]}
    where = [f"line {i + 2}" for i in range(len(rows))]
    targets = ["y", "z"] if two_columns else ["y"]
    try:
        t = read_targets(columns, targets, kind, where, Path("f.csv"))
    except TinylabError as e:
        assert str(e).startswith("f.csv: ") and "\n" not in str(e)
        return
    assert kind in (None, t.kind) and len(t.values) == len(rows)
    if t.values.dtype == np.int64:  # single-label: class indices
        assert t.values.min() >= 0 and t.values.max() < len(t.labels)
    elif t.kind != "regression":
        assert t.values.shape == (len(rows), len(t.labels)) and set(np.unique(t.values)) <= {0.0, 1.0}
    else:
        assert np.isfinite(t.values).all()


def test_the_inputs_decide_the_model():
    assert choose_model(["a@b.com", "10.0.0.1", "2021-01-02"]) == "char_cnn"
    assert choose_model(["The refund for my order never arrived", "The app crashes when I open it"]) == "sentence_head"


# ---- splits -----------------------------------------------------------------------------------------------

def test_row_split_is_a_seeded_partition():
    s = row_split(100, 0.1, 0.2, seed=3)
    assert [len(s[k]) for k in ("train", "val", "test")] == [70, 10, 20]
    assert sorted(np.concatenate(list(s.values())).tolist()) == list(range(100))
    assert all((a == b).all() for a, b in zip(s.values(), row_split(100, 0.1, 0.2, seed=3).values(), strict=True))
    assert not (s["test"] == row_split(100, 0.1, 0.2, seed=4)["test"]).all()


def test_group_split_keeps_every_group_in_one_split():
    rng = np.random.default_rng(0)
    groups = [f"customer{int(g)}" for g in rng.integers(0, 40, size=1000)]
    s = group_split(groups, 0.1, 0.1, seed=42)
    assert sorted(np.concatenate(list(s.values())).tolist()) == list(range(1000))
    seen = [{groups[i] for i in s[k]} for k in ("train", "val", "test")]
    assert not (seen[0] & seen[1] or seen[0] & seen[2] or seen[1] & seen[2])
    assert 60 <= len(s["test"]) <= 200 and 60 <= len(s["val"]) <= 200  # about a tenth each, whole groups
    again = group_split(list(reversed(groups)), 0.1, 0.1, seed=42)  # row order does not choose the groups
    assert {groups[::-1][i] for i in again["test"]} == seen[2]
    assert {groups[i] for i in group_split(groups, 0.1, 0.1, seed=7)["test"]} != seen[2]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from("abcdefg")), min_size=1, max_size=80),
       st.floats(0.05, 0.4), st.floats(0.05, 0.4), st.integers(0, 5))
def test_group_split_partitions_rows_and_never_shares_a_group(groups, val, test, seed):
    s = group_split(groups, val, test, seed)
    assert sorted(np.concatenate(list(s.values())).tolist()) == list(range(len(groups)))
    named = [{groups[i] for i in s[k]} - {None} for k in ("train", "val", "test")]
    assert not (named[0] & named[1] or named[0] & named[2] or named[1] & named[2])


# ---- the spec is resolved from the file; a saved spec reloads without it ---------------------------------

def test_spec_resolves_kind_model_path_and_hash_and_reloads_without_the_file(tmp_path: Path):
    rows = [[f"user{i}@example.com" if i % 2 else f"10.0.{i % 7}.{i}", "email" if i % 2 else "ip", f"g{i % 9}"]
            for i in range(80)]
    path = write_csv(tmp_path / "values.csv", ["text", "label", "source"], rows)
    task, spec = resolved(path, "label", extra=('data.group="source"',))
    assert spec.data.kind == "single_label" and spec.model.name == "char_cnn"
    assert spec.data.path == str(path.resolve()) and len(spec.data.sha256) == 64
    assert 10 <= spec.train.epochs <= 60 and spec.train.lr == 3e-3
    assert task_kind(task, spec).name == "single_label" and task.label_names(spec) == ["email", "ip"]
    assert {"baseline_accuracy", "accuracy_over_baseline"} <= set(task.report_metrics)
    assert task_kind(get_task("from-file")).name == "inferred"  # the task without a spec
    split = {s: task.load_split(spec, s) for s in ("train", "val", "test")}
    assert sum(len(d) for d in split.values()) == 80
    assert "groups of 'source' kept whole" in split["test"].source

    saved = tmp_path / "spec.toml"
    saved.write_text(to_toml(spec))
    path.rename(tmp_path / "moved.csv")  # prediction needs the saved spec, not the file
    other = get_task("from-file")
    again = load_toml(other.spec_class, saved)
    assert again.model_dump() == spec.model_dump()
    assert task_kind(other, again).name == "single_label" and other.encode(again, ["a@b.c"])[0].shape == (1, 5)
    with pytest.raises(TinylabError, match=r"cannot read data file .*values\.csv"):
        other.load_split(again, "test")  # evaluation does need it


def test_a_changed_file_is_refused(tmp_path: Path):
    path = write_csv(tmp_path / "v.csv", ["text", "label"], [[f"v{i}", "ab"[i % 2]] for i in range(60)])
    task, spec = resolved(path, "label")
    write_csv(path, ["text", "label"], [[f"w{i}", "ab"[i % 2]] for i in range(60)])
    with pytest.raises(TinylabError, match=r"v\.csv is not the file this spec was resolved from"):
        task.load_split(spec, "test")


def test_sentences_get_the_sentence_encoder_and_regression_gets_its_scale(tmp_path: Path):
    rows = [[f"The order number {i} was never delivered to my home", float(i % 13) / 3] for i in range(60)]
    path = write_csv(tmp_path / "s.tsv", ["text", "score"], rows, delimiter="\t")
    task, spec = resolved(path, "score")
    assert spec.data.kind == "regression" and spec.model.name == "sentence_head"
    assert spec.model.target_std > 0 and spec.train.lr == 1e-2
    assert task.label_names(spec) == ["score"]


def test_json_lines_and_parquet_read_lists_and_types(tmp_path: Path):
    rows = [{"text": f"w{i}", "tags": [["a"], ["b"], ["a", "b"], []][i % 4], "n": i % 3} for i in range(60)]
    jsonl = tmp_path / "t.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows))
    task, spec = resolved(jsonl, "tags")
    assert spec.data.kind == "multi_label" and task.label_names(spec) == ["a", "b"]
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "t.parquet")
    task, spec = resolved(tmp_path / "t.parquet", "n")
    assert spec.data.kind == "single_label" and task.label_names(spec) == ["0", "1", "2"]


# ---- bad files: one line, exit 2, the file and the problem named -------------------------------------------

def _bad_files(tmp_path: Path) -> list[tuple[list[str], str]]:
    good = [[f"v{i}", "ab"[i % 2], f"{i / 7:.3f}"] for i in range(60)]
    ok = write_csv(tmp_path / "ok.csv", ["text", "label", "score"], good)
    unreadable = write_csv(tmp_path / "bad.csv", ["text", "label", "score"],
                           [*good[:17], ["v17", "a", "lots"], *good[18:]])
    small = write_csv(tmp_path / "small.csv", ["text", "label", "score"], good[:12])
    empty = write_csv(tmp_path / "empty_in.csv", ["text", "label", "score"], [*good[:5], ["", "a", "1"], *good[6:]])
    return [
        ([str(ok), "--input", "text", "--target", "colour"],
         "ok.csv: no column 'colour'; the file's columns are: text, label, score"),
        ([str(unreadable), "--input", "text", "--target", "score"],
         "bad.csv: line 19: target column 'score': 'lots' is not a number"),
        ([str(small), "--input", "text", "--target", "label"], "small.csv: 12 rows are too few"),
        ([str(empty), "--input", "text", "--target", "label"], "empty_in.csv: line 7: input column 'text' is empty"),
        ([str(ok), "--input", "text", "--target", "label", "--set", "data.kind=binary"],
         "ok.csv: line 2: target column 'label': 'a' is not 0/1"),
        ([str(tmp_path / "nowhere.csv"), "--input", "text", "--target", "label"], "nowhere.csv"),
    ]


def test_bad_files_exit_2_with_one_line_naming_file_and_problem(tmp_path: Path):
    for args, needle in _bad_files(tmp_path):
        r = run_cli("train", "from-file", *args, "--runs-dir", str(tmp_path / "runs"))
        assert r.returncode == 2, (args, r.returncode, r.stderr[-2000:])
        assert needle in r.stderr and "Traceback" not in r.stderr, (needle, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not (tmp_path / "runs" / "from-file").exists() or not any((tmp_path / "runs" / "from-file").iterdir())


def test_parquet_without_pyarrow_names_the_extra(tmp_path: Path, monkeypatch, capsys):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from tinylab.cli import main

    pq.write_table(pa.Table.from_pylist([{"text": f"v{i}", "y": "ab"[i % 2]} for i in range(60)]),
                   tmp_path / "t.parquet")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if not installed
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(SystemExit) as exit_:
        main(["train", "from-file", str(tmp_path / "t.parquet"), "--input", "text", "--target", "y", "--runs-dir",
              str(tmp_path / "runs")])
    assert exit_.value.code == 2
    assert "pip install 'tinylab[profile]'" in capsys.readouterr().err


def test_a_ragged_row_is_an_error_naming_its_line(tmp_path: Path):
    path = tmp_path / "ragged.csv"
    path.write_text("value,kind\n" + "".join(f"v{i},{'a' if i % 2 else 'b'}\n" for i in range(30)) + "x,a,extra\n")
    with pytest.raises(TinylabError, match=r"ragged\.csv: line 32 has 3 field\(s\) where the header \(line 1\) has 2"):
        resolve_spec(get_task("from-file"), None, [f"data.path={json.dumps(str(path))}", 'data.input="value"',
                                                   'data.targets=["kind"]'])


def test_a_latin1_file_is_named_and_read_with_its_encoding(tmp_path: Path):
    path = tmp_path / "latin1.csv"
    rows = "".join(f"café{i},{'a' if i % 2 else 'b'}\n" for i in range(60))
    path.write_bytes(("value,kind\n" + rows).encode("latin-1"))
    base = [f"data.path={json.dumps(str(path))}", 'data.input="value"', 'data.targets=["kind"]']
    with pytest.raises(TinylabError, match=r"not utf-8 text .*--set data\.encoding=latin-1"):
        resolve_spec(get_task("from-file"), None, base)
    task = get_task("from-file")
    spec = resolve_spec(task, None, [*base, 'data.encoding="latin-1"'])
    assert any(v.startswith("café") for v in task.load_split(spec, "train").inputs)
