from __future__ import annotations

import hashlib
import json
import os
import shutil
import venv
from pathlib import Path, PurePosixPath

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinylab.errors import RunVerificationError, TinylabError
from tinylab.runs import (
    RunWriter,
    copy_verified,
    list_runs,
    pull_run,
    require_verified,
    rewrite_verified,
    unsafe_name,
    verify,
    write_manifest,
)

from conftest import run_cli


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


def test_list_runs_lists_only_runs(tmp_path: Path):
    venv.create(tmp_path, with_pip=False)  # bin/, lib/python3.x/, include/ beside the runs
    run = make_run(tmp_path)
    incomplete = tmp_path / "semantic-types" / "20260101-000000-abcdef"
    incomplete.mkdir(parents=True)
    (incomplete / "spec.toml").write_text('task = "semantic-types"\n')
    (tmp_path / "semantic-types" / ".tmp-20260101-000001-abcdef").mkdir()  # a run being written
    (tmp_path / "semantic-types" / "notes").mkdir()  # no run's files in it
    (tmp_path / "other" / "x").mkdir(parents=True)
    (tmp_path / "other" / "x" / "spec.toml").write_text("")  # not a known task's, and no manifest
    runs = list_runs(tmp_path, known_tasks={"semantic-types"})
    assert [(r.path, r.verified) for r in runs] == [(run, True), (incomplete, False)]


def test_list_runs_of_a_missing_directory_is_bad_input(tmp_path: Path):
    with pytest.raises(TinylabError, match="no such runs directory") as e:
        list_runs(tmp_path / "nope")
    assert e.value.exit_code == 2


def test_cli_runs_list_skips_a_virtualenv_and_refuses_a_missing_directory(tmp_path: Path):
    venv.create(tmp_path, with_pip=False)
    run = make_run(tmp_path)
    r = run_cli("runs", "list", "--runs-dir", str(tmp_path), "--json")
    assert r.returncode == 0, r.stderr
    assert [(x["task"], x["run"]) for x in json.loads(r.stdout)] == [("demo", run.name)]
    r = run_cli("runs", "list", "--runs-dir", "/nonexistent")
    assert r.returncode == 2 and r.stderr.strip().splitlines() == [
        "error: /nonexistent: no such runs directory (give --runs-dir DIR, the folder `tinylab train` wrote its "
        "runs under)"]


def test_every_file_of_a_run_is_0644(tmp_path: Path):
    from safetensors.numpy import save_file

    w = RunWriter(tmp_path, "demo")
    weights = {"w": np.zeros((4, 4), dtype=np.float32)}
    save_file(weights, str(w.path("model.safetensors")))  # as training writes them, with safetensors' own mode
    save_file(weights, str(w.path("checkpoints/epoch-001.safetensors")))
    private = w.write_text("meta.json", "{}")
    private.chmod(0o600)
    run = w.commit()
    modes = {p.relative_to(run).as_posix(): p.stat().st_mode & 0o777 for p in run.rglob("*")}
    assert modes == {"model.safetensors": 0o644, "checkpoints": 0o755, "checkpoints/epoch-001.safetensors": 0o644,
                     "meta.json": 0o644, "manifest.json": 0o644}


@pytest.mark.parametrize("name", ["../x", "a/../../x", "/etc/passwd", "C:/x", "a\\..\\x", "./x", "a//b", "",
                                  "manifest.json", "a/.."])
def test_unsafe_names(name: str):
    assert unsafe_name(name) is not None


@pytest.mark.parametrize("name", ["model.safetensors", "checkpoints/epoch-001.safetensors", "plots/a b.png",
                                  "..hidden", "a/b/c"])
def test_safe_names(name: str):
    assert unsafe_name(name) is None


@given(st.text(alphabet=st.sampled_from(list("ab./\\:C\0")), max_size=12))
def test_an_accepted_name_stays_inside_the_run(name: str):
    if unsafe_name(name) is None:
        root = PurePosixPath("/run")
        joined = PurePosixPath(os.path.normpath(root / name))
        assert joined.parent == root or root in joined.parents
        assert ".." not in PurePosixPath(name).parts and not PurePosixPath(name).is_absolute()


def _add_to_manifest(run: Path, name: str, body: bytes) -> None:
    manifest = json.loads((run / "manifest.json").read_text())
    manifest["files"][name] = {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
    (run / "manifest.json").write_text(json.dumps(manifest))


def test_a_manifest_naming_a_file_outside_the_run_is_refused(tmp_path: Path):
    run = make_run(tmp_path / "runs")
    (tmp_path / "runs" / "demo" / "secret.txt").write_text("outside")
    _add_to_manifest(run, "../secret.txt", b"outside")
    assert verify(run) == ["../secret.txt: refused, a '..', '.' or empty part (a run's file names stay inside its "
                           "directory)"]
    with pytest.raises(RunVerificationError, match=r"\.\./secret\.txt: refused"):
        pull_run(run, tmp_path / "copy")
    assert not (tmp_path / "copy").exists()


def test_a_symlink_in_a_run_is_refused(tmp_path: Path):
    run = make_run(tmp_path / "runs")
    (tmp_path / "secret.txt").write_text("outside")
    (run / "spec.toml").unlink()
    (run / "spec.toml").symlink_to(tmp_path / "secret.txt")
    _add_to_manifest(run, "spec.toml", b"outside")
    assert verify(run) == ["spec.toml: refused, a symbolic link (a run holds only regular files)"]
    r = run_cli("runs", "pull", str(run), str(tmp_path / "copy"))
    assert r.returncode == 1 and "spec.toml: refused, a symbolic link" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "copy").exists()


def test_pull_from_a_local_directory(tmp_path: Path):
    run = make_run(tmp_path / "runs")
    dest = pull_run(str(run), tmp_path / "copy")
    assert verify(dest) == [] and (dest / "spec.toml").read_bytes() == (run / "spec.toml").read_bytes()


def test_a_nested_file_named_like_the_manifest_is_covered(tmp_path: Path):
    run = make_run(tmp_path / "runs")
    (run / "plots").mkdir()
    (run / "plots" / "manifest.json").write_text("{}")
    write_manifest(run)
    assert "plots/manifest.json" in json.loads((run / "manifest.json").read_text())["files"]
    (run / "plots" / "manifest.json").write_text("[]")
    assert verify(run) == ["plots/manifest.json: sha256 mismatch"]


@pytest.fixture(scope="module")
def tampered_shipped_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped json-repair model with one flipped byte in its weights."""
    from tinylab.predict import pretrained_dir

    copy = tmp_path_factory.mktemp("tampered") / "json-repair"
    shutil.copytree(pretrained_dir("json-repair"), copy)
    weights = copy / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    return copy


@pytest.mark.parametrize("args", [["predict", "{RUN}", '{"a": 1'], ["eval", "{RUN}"], ["report", "{RUN}"],
                                  ["labels", "{RUN}"], ["runs", "verify", "{RUN}"]],
                         ids=lambda a: a[0] if a[0] != "runs" else "verify")
def test_a_tampered_run_is_a_failed_check(tampered_shipped_run: Path, args: list[str]):
    r = run_cli(*[str(tampered_shipped_run) if a == "{RUN}" else a for a in args])
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "model.safetensors: sha256 mismatch" in lines[0], r.stderr


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
