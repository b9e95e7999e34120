"""Bad input through the real CLI: broken spec files and values, text that is not UTF-8, NUL bytes, 1 MB
strings, empty and wrong-column data files, unreadable files, a run written by a newer tinylab, a full disk.
Each is one line naming the file, line or key, a non-zero exit, no traceback, and nothing half-written left
looking like a complete run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli


def _one_line_error(r: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert r.returncode == code, (r.returncode, r.stdout[-500:], r.stderr[-2000:])
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    lines = [line for line in r.stderr.strip().splitlines() if line.strip()]  # a progress line may come first
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], r.stderr[-2000:]
    return errors[0]


# --- spec files and values -------------------------------------------------------------------------------

SPEC_CASES = {
    "invalid-utf8": (b'task = "word-rarity"\n[train]\nepochs = 3 # \xff\xfe\n', ["spec.toml", "UTF-8"]),
    "nul-byte": (b'task = "word-rarity"\n[train]\nepochs\x00 = 3\n', ["spec.toml", "line 3"]),
    "bad-toml": (b'task = "word-rarity"\n[train]\nepochs = = 3\n', ["spec.toml", "line 3"]),
    "unknown-key": (b'task = "word-rarity"\n[train]\nepoch = 3\n', ["train.epoch", "epochs"]),
    "wrong-type": (b'task = "word-rarity"\n[train]\nepochs = "many"\n', ["train.epochs"]),
    "negative": (b'task = "word-rarity"\n[train]\nepochs = -4\n', ["train.epochs"]),
    "wrong-task": (b'task = "semantic-types"\n', ["semantic-types", "word-rarity"]),
    "huge-string": (b'task = "word-rarity"\n[train]\nepochs = "' + b"x" * 1_000_000 + b'"\n', ["train.epochs"]),
    "empty": (b"", []),
}


@pytest.mark.parametrize("case", sorted(SPEC_CASES))
def test_a_bad_spec_file_is_one_line_naming_where(tmp_path: Path, case: str):
    body, expected = SPEC_CASES[case]
    spec = tmp_path / "spec.toml"
    spec.write_bytes(body)
    r = run_cli("train", "word-rarity", "--spec", str(spec), "--runs-dir", str(tmp_path / "runs"),
                "--set", "train.epochs=0", timeout=120) if case == "empty" else \
        run_cli("train", "word-rarity", "--spec", str(spec), "--runs-dir", str(tmp_path / "runs"), timeout=120)
    line = _one_line_error(r)
    assert len(line) < 2000  # a 1 MB value is not echoed back whole
    for word in expected:
        assert word in line, line
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").rglob("manifest.json"))


@pytest.mark.parametrize("override,expected", [
    ("train.epochs=abc", "train.epochs"), ("train.nope=1", "train.nope"), ("epochs", "key=value"),
    ("train.lr=-1", "train.lr"), ("=3", "empty"), ("data.train_words=" + "9" * 400, "data"),
])
def test_a_bad_override_is_one_line_naming_the_key(tmp_path: Path, override: str, expected: str):
    r = run_cli("train", "word-rarity", "--set", override, "--runs-dir", str(tmp_path), timeout=120)
    assert expected in _one_line_error(r)


def test_a_spec_that_is_a_directory_or_missing_or_unreadable(tmp_path: Path):
    assert "spec" in _one_line_error(run_cli("train", "word-rarity", "--spec", str(tmp_path)))
    assert "missing.toml" in _one_line_error(run_cli("train", "word-rarity", "--spec", str(tmp_path / "missing.toml")))
    locked = tmp_path / "locked.toml"
    locked.write_text('task = "word-rarity"\n')
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as root: a file without read permission can still be read here")
        assert "locked.toml" in _one_line_error(run_cli("train", "word-rarity", "--spec", str(locked)))
    finally:
        locked.chmod(0o644)


# --- input files and text to predict ------------------------------------------------------------------------

def test_predict_reads_awkward_text_and_refuses_what_it_cannot_read(tmp_path: Path):
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"hello\x00world\nsecond\n")
    r = run_cli("predict", "semantic-types", "--file", str(nul), "--json")
    assert r.returncode == 0, r.stderr
    assert [row["value"] for row in json.loads(r.stdout)] == ["hello\x00world", "second"]
    big = tmp_path / "big.txt"
    big.write_text("x" * 1_000_000 + "\n")  # a 1 MB line (longer than a command-line argument may be)
    r = run_cli("predict", "semantic-types", "--file", str(big), "--json")
    assert r.returncode == 0, r.stderr[-1000:]
    assert len(json.loads(r.stdout)[0]["value"]) == 1_000_000
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("caf\xe9\n".encode("latin-1"))
    assert "latin1.txt" in _one_line_error(run_cli("predict", "semantic-types", "--file", str(latin)))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    r = run_cli("predict", "semantic-types", "--file", str(empty), "--json")
    assert r.returncode in (0, 2) and "Traceback" not in r.stderr
    missing = tmp_path / "missing.txt"
    assert "missing.txt" in _one_line_error(run_cli("predict", "semantic-types", "--file", str(missing)))
    assert str(tmp_path) in _one_line_error(run_cli("predict", "semantic-types", "--file", str(tmp_path)))


def test_streaming_a_wrong_column_or_undecodable_file_writes_no_output(tmp_path: Path):
    table = tmp_path / "words.csv"
    table.write_text("word,n\nthe,1\nzymurgy,2\n")
    out = tmp_path / "out.csv"
    line = _one_line_error(run_cli("predict", "semantic-types", "--input", str(table), "--column", "nope",
                                   "--output", str(out)))
    assert "nope" in line and "word" in line
    assert not out.exists()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"word\nthe\n\xff\xfe\n")
    line = _one_line_error(run_cli("predict", "semantic-types", "--input", str(bad), "--column", "word",
                                   "--output", str(out)))
    assert "bad.csv" in line and "--encoding" in line
    assert not out.exists()


# --- data files to train on (from-file) ------------------------------------------------------------------------

def test_bad_training_files_are_one_line_and_write_no_run(tmp_path: Path):
    runs = tmp_path / "runs"
    good_rows = "".join(f"item {i},{'a' if i % 2 else 'b'}\n" for i in range(60))
    cases = {
        "empty.csv": (b"", ["empty.csv"]),
        "header-only.csv": (b"text,label\n", ["header-only.csv"]),
        "wrong-column.csv": (("words,label\n" + good_rows).encode(), ["wrong-column.csv", "text", "words"]),
        "invalid-utf8.csv": (b"text,label\n\xff\xfe broken,a\n" + good_rows.encode(), ["invalid-utf8.csv"]),
        "ragged.csv": (("text,label\n" + good_rows + "one,two,three\n").encode(), ["ragged.csv", "line"]),
    }
    for name, (body, expected) in cases.items():
        f = tmp_path / name
        f.write_bytes(body)
        r = run_cli("train", "from-file", str(f), "--input", "text", "--target", "label", "--runs-dir", str(runs),
                    "--set", "train.epochs=1", timeout=300)
        line = _one_line_error(r)
        for word in expected:
            assert word in line, (name, line)
    assert not runs.exists() or not any(runs.rglob("manifest.json"))


# --- a run written by a newer tinylab ------------------------------------------------------------------------

@pytest.fixture
def newer_run(tmp_path: Path) -> Path:
    from tinylab.predict import pretrained_dir

    run = tmp_path / "json-repair"
    shutil.copytree(pretrained_dir("json-repair"), run)
    manifest = json.loads((run / "manifest.json").read_text())
    manifest["version"] = 99
    (run / "manifest.json").write_text(json.dumps(manifest))
    return run


@pytest.mark.parametrize("args", [["predict", "{RUN}", '{"a": 1'], ["eval", "{RUN}"], ["runs", "verify", "{RUN}"],
                                  ["runs", "pull", "{RUN}", "{DEST}"]], ids=lambda a: "-".join(a[:2]))
def test_a_run_in_a_newer_format_is_refused_naming_it(newer_run: Path, tmp_path: Path, args: list[str]):
    dest = tmp_path / "pulled"
    r = run_cli(*[str(newer_run) if a == "{RUN}" else str(dest) if a == "{DEST}" else a for a in args])
    line = _one_line_error(r)
    assert "manifest.json" in line and "run format 99" in line and "newer tinylab" in line
    assert not dest.exists()


def test_a_manifest_version_that_is_not_a_number_is_refused(newer_run: Path):
    manifest = json.loads((newer_run / "manifest.json").read_text())
    manifest["version"] = "2.0"
    (newer_run / "manifest.json").write_text(json.dumps(manifest))
    line = _one_line_error(run_cli("runs", "verify", str(newer_run)))
    assert "'version'" in line and "manifest.json" in line


# --- a full disk --------------------------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path: Path):
    """A 256 KB tmpfs mounted for the test (root on Linux only; otherwise skipped, saying why)."""
    where = tmp_path / "disk"
    where.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("a size-limited file system needs `mount -t tmpfs` as root; not available here")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(where)], capture_output=True,
                       text=True, check=False)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a size-limited tmpfs here: {r.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


WORDS = ["--set", "data.train_words=3000", "--set", "data.val_words=500", "--set", "data.test_words=1000",
         "--set", "train.epochs=5", "--set", "train.patience=5", "--set", "train.threads=1"]


@pytest.mark.long
def test_a_full_disk_is_one_line_keeps_what_can_be_resumed_and_never_looks_complete(small_disk: Path):
    r = run_cli("train", "word-rarity", *WORDS, "--runs-dir", str(small_disk), "--json", timeout=300)
    line = _one_line_error(r)
    assert "No space left on device" in line and str(small_disk) in line
    assert not list(small_disk.rglob("manifest.json"))  # nothing looks complete
    task_dir = small_disk / "word-rarity"
    kept = [p for p in task_dir.iterdir()] if task_dir.is_dir() else []
    assert all(p.name.startswith(".tmp-") for p in kept)
    if "--resume" in line:  # a checkpoint was complete: the run is kept, and finishes once there is room
        assert len(kept) == 1
        listed = json.loads(run_cli("runs", "list", "--runs-dir", str(small_disk), "--json").stdout)
        assert listed[0]["has_manifest"] is False and listed[0]["resumable_from_epoch"]
        subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
        r = run_cli("train", "--resume", str(kept[0]), "--json", timeout=300)
        assert r.returncode == 0, r.stderr
        assert run_cli("runs", "verify", json.loads(r.stdout.strip().splitlines()[-1])["run"]).returncode == 0
    else:
        assert kept == []  # nothing worth keeping: nothing left behind
