from __future__ import annotations

import json
from pathlib import Path

import pytest

from tinylab.errors import RunVerificationError, TinylabError
from tinylab.runs import RunWriter, copy_verified, list_runs, require_verified, rewrite_verified, verify


def make_run(root: Path) -> Path:
    w = RunWriter(root, "demo")
    w.write_text("spec.toml", 'task = "demo"\n')
    w.write_json("metrics.json", {"accuracy": 0.5, "targets": {}})
    w.write_text("checkpoints/epoch-001.safetensors", "x" * 100)
    assert not w.final.exists()  # nothing visible under the final name before commit
    return w.commit()


def test_commit_renames_into_place_with_manifest(tmp_path: Path):
    run = make_run(tmp_path)
    assert run.parent == tmp_path / "demo" and not any(p.name.startswith(".tmp-") for p in run.parent.iterdir())
    manifest = json.loads((run / "manifest.json").read_text())
    assert set(manifest["files"]) == {"spec.toml", "metrics.json", "checkpoints/epoch-001.safetensors"}
    assert verify(run) == []


def test_tampered_file_is_named(tmp_path: Path):
    run = make_run(tmp_path)
    (run / "metrics.json").write_text('{"accuracy": 0.99, "targets": {}}')  # same size is not required
    problems = verify(run)
    assert len(problems) == 1 and problems[0].startswith("metrics.json")
    with pytest.raises(RunVerificationError, match=r"metrics\.json"):
        require_verified(run)


def test_same_size_bitflip_detected(tmp_path: Path):
    run = make_run(tmp_path)
    p = run / "checkpoints/epoch-001.safetensors"
    p.write_text("y" + "x" * 99)
    assert verify(run) == ["checkpoints/epoch-001.safetensors: sha256 mismatch"]


def test_missing_and_extra_files(tmp_path: Path):
    run = make_run(tmp_path)
    (run / "spec.toml").unlink()
    (run / "stray.txt").write_text("?")
    problems = verify(run)
    assert "spec.toml: missing" in problems and "stray.txt: not in manifest" in problems


def test_no_manifest(tmp_path: Path):
    d = tmp_path / "x"
    d.mkdir()
    assert "manifest.json: missing" in verify(d)[0]


def test_abort_leaves_nothing(tmp_path: Path):
    w = RunWriter(tmp_path, "demo")
    w.write_text("a.txt", "a")
    w.abort()
    assert list((tmp_path / "demo").iterdir()) == []


def test_copy_verified(tmp_path: Path):
    run = make_run(tmp_path)
    dest = copy_verified(run, tmp_path / "elsewhere" / "copy")
    assert verify(dest) == []
    with pytest.raises(TinylabError, match="already exists"):
        copy_verified(run, dest)


def test_copy_refuses_a_corrupt_source(tmp_path: Path):
    run = make_run(tmp_path)
    (run / "spec.toml").write_text("changed")
    with pytest.raises(RunVerificationError):
        copy_verified(run, tmp_path / "copy")
    assert not (tmp_path / "copy").exists()


def test_list_runs(tmp_path: Path):
    make_run(tmp_path)
    runs = list_runs(tmp_path)
    assert len(runs) == 1 and runs[0].task == "demo" and runs[0].metrics["accuracy"] == 0.5


def test_rewrite_changes_a_run_and_its_manifest_together(tmp_path: Path):
    run = make_run(tmp_path)
    rewrite_verified(run, lambda d: (d / "spec.toml").write_text('task = "demo"  # edited\n'))
    assert verify(run) == [] and "edited" in (run / "spec.toml").read_text()
    assert sorted(p.name for p in run.parent.iterdir()) == [run.name]  # no temporary or old copy left


def test_a_failed_rewrite_leaves_the_run_as_it_was(tmp_path: Path):
    run = make_run(tmp_path)
    manifest = (run / "manifest.json").read_bytes()

    def half_edit(d: Path) -> None:
        (d / "spec.toml").write_text("half-written")
        raise TinylabError("export failed")

    with pytest.raises(TinylabError, match="export failed"):
        rewrite_verified(run, half_edit)
    assert verify(run) == [] and (run / "manifest.json").read_bytes() == manifest
    assert (run / "spec.toml").read_text() == 'task = "demo"\n'
    assert sorted(p.name for p in run.parent.iterdir()) == [run.name]


def test_rewrite_refuses_a_corrupt_run(tmp_path: Path):
    run = make_run(tmp_path)
    (run / "spec.toml").write_text("tampered")
    with pytest.raises(RunVerificationError, match=r"spec\.toml"):
        rewrite_verified(run, lambda d: None)


def test_a_rewrite_that_cannot_copy_the_run_says_what_to_do_and_leaves_it(tmp_path: Path):
    import os

    run = make_run(tmp_path)
    os.mkfifo(run / "pipe")  # not a regular file: the manifest ignores it, but no copy can read it
    with pytest.raises(TinylabError, match="cannot copy the run beside itself"):
        rewrite_verified(run, lambda d: None)
    assert verify(run) == [] and sorted(p.name for p in run.parent.iterdir()) == [run.name]
