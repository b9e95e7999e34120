"""Verified copies of runs to and from S3, against a real local S3 server (moto's server mode), through the
real CLI in subprocesses."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tinylab.errors import RunCopyError, RunVerificationError
from tinylab.runs import MANIFEST, RunWriter, pull_run, push_run

from conftest import free_port, run_cli

pytest.importorskip("s3fs")
pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """A real S3 endpoint on localhost: moto's server, in a thread of this process, for this module."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment that points S3 clients (this process's and the CLI's) at the server."""
    env = {"AWS_ENDPOINT_URL": endpoint, **CREDENTIALS}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("FSSPEC_S3_ENDPOINT_URL", raising=False)
    return env


@pytest.fixture
def bucket(s3: dict[str, str]) -> str:
    name = f"runs-{uuid.uuid4().hex[:10]}"
    _client(s3).create_bucket(Bucket=name)
    return name


def _client(env: dict[str, str]):  # type: ignore[no-untyped-def]
    return boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"], region_name=env["AWS_DEFAULT_REGION"],
                        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])


def make_run(root: Path) -> Path:
    """A small run with a binary file larger than one read chunk and a nested folder."""
    w = RunWriter(root, "demo")
    w.write_text("spec.toml", 'task = "demo"\n')
    w.write_json("metrics.json", {"accuracy": 0.5, "targets": {}})
    w.path("model.safetensors").write_bytes(os.urandom(3 * (1 << 20) + 17))
    w.path("checkpoints/epoch-001.safetensors").write_bytes(os.urandom(1000))
    return w.commit()


def snapshot(d: Path) -> dict[str, tuple[str, int, int]]:
    """Every file under ``d``: sha256, mode and modification time."""
    return {p.relative_to(d).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mode,
                                          p.stat().st_mtime_ns)
            for p in sorted(d.rglob("*")) if p.is_file()}


def one_error_line(r: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in r.stderr, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    return lines[0]


def test_push_then_pull_round_trips_byte_for_byte(tmp_path: Path, s3: dict[str, str], bucket: str):
    run = make_run(tmp_path / "runs")
    before = snapshot(run)
    url = f"s3://{bucket}/team/demo/{run.name}"
    r = run_cli("runs", "push", str(run), url, env=s3)
    assert r.returncode == 0 and f"{url}: copied and verified" in r.stdout, r.stderr
    keys = {o["Key"] for o in _client(s3).list_objects_v2(Bucket=bucket)["Contents"]}
    assert keys == {f"team/demo/{run.name}/{rel}" for rel in [*before, MANIFEST]}
    # pull with the endpoint from fsspec's own configuration variable instead of AWS_ENDPOINT_URL
    env = {k: v for k, v in s3.items() if k != "AWS_ENDPOINT_URL"}
    env["FSSPEC_S3_ENDPOINT_URL"] = s3["AWS_ENDPOINT_URL"]
    pulled = tmp_path / "here" / "copy"
    r = subprocess.run([sys.executable, "-m", "tinylab", "runs", "pull", url, str(pulled)], capture_output=True,
                       text=True, timeout=120, env={**{k: v for k, v in os.environ.items()
                                                       if k != "AWS_ENDPOINT_URL"}, **env})
    assert r.returncode == 0 and "copied and verified" in r.stdout, r.stderr
    assert {rel: v[0] for rel, v in snapshot(pulled).items()} == \
        {rel: v[0] for rel, v in snapshot(run).items()}  # every file, byte for byte, the manifest included
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in pulled.rglob("*") if p.is_file())
    assert sorted(p.name for p in pulled.parent.iterdir()) == ["copy"]  # no temporary folder left
    assert snapshot(run) == before  # the source was only read


def test_a_tampered_object_fails_verify_and_pull_naming_it(tmp_path: Path, s3: dict[str, str], bucket: str):
    run = make_run(tmp_path / "runs")
    url = f"s3://{bucket}/r1"
    push_run(run, url)
    key = "r1/checkpoints/epoch-001.safetensors"
    data = bytearray(_client(s3).get_object(Bucket=bucket, Key=key)["Body"].read())
    data[0] ^= 0xFF  # same size: only the hash can tell
    _client(s3).put_object(Bucket=bucket, Key=key, Body=bytes(data))
    r = run_cli("runs", "verify", url, env=s3)
    assert r.returncode == 1 and "checkpoints/epoch-001.safetensors: sha256 mismatch" in r.stderr, r.stderr
    r = run_cli("runs", "pull", url, str(tmp_path / "copy"), env=s3)
    assert r.returncode == 1 and "checkpoints/epoch-001.safetensors: sha256 mismatch" in one_error_line(r)
    assert list(tmp_path.iterdir()) == [tmp_path / "runs"]  # nothing made visible, no temporary folder left


def test_a_missing_object_fails_verify_and_pull(tmp_path: Path, s3: dict[str, str], bucket: str):
    run = make_run(tmp_path / "runs")
    url = f"s3://{bucket}/r1"
    push_run(run, url)
    _client(s3).delete_object(Bucket=bucket, Key="r1/metrics.json")
    r = run_cli("runs", "verify", url, env=s3)
    assert r.returncode == 1 and "metrics.json: missing" in r.stderr, r.stderr
    r = run_cli("runs", "pull", url, str(tmp_path / "copy"), env=s3)
    assert r.returncode == 1 and "metrics.json: missing" in one_error_line(r)
    assert not (tmp_path / "copy").exists()


def test_no_such_bucket_is_bad_input(tmp_path: Path, s3: dict[str, str]):
    run = make_run(tmp_path / "runs")
    r = run_cli("runs", "push", str(run), "s3://no-such-bucket-here/r1", env=s3)
    assert r.returncode == 2 and "no bucket 'no-such-bucket-here'" in one_error_line(r)
    r = run_cli("runs", "pull", "s3://no-such-bucket-here/r1", str(tmp_path / "copy"), env=s3)
    assert r.returncode == 2 and "no bucket 'no-such-bucket-here'" in one_error_line(r)
    assert not (tmp_path / "copy").exists()


def test_a_prefix_with_nothing_is_bad_input_and_an_existing_run_is_not_overwritten(
        tmp_path: Path, s3: dict[str, str], bucket: str):
    run = make_run(tmp_path / "runs")
    r = run_cli("runs", "pull", f"s3://{bucket}/nothing/here", str(tmp_path / "copy"), env=s3)
    assert r.returncode == 2 and "no run there" in one_error_line(r)
    push_run(run, f"s3://{bucket}/r1")
    r = run_cli("runs", "push", str(run), f"s3://{bucket}/r1", env=s3)
    assert r.returncode == 2 and "already holds a run" in one_error_line(r)


@pytest.fixture(scope="module")
def locked_endpoint() -> Iterator[str]:
    """A second S3 server that checks credentials (moto's IAM checks on from the first request): the
    made-up keys the tests use are refused, as a store refuses a user without access."""
    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                              env={**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": "0"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except urllib.error.HTTPError:  # it answers: it is up
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("moto_server did not start")
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)


def test_access_denied_is_bad_input(tmp_path: Path, locked_endpoint: str):
    run = make_run(tmp_path / "runs")
    env = {"AWS_ENDPOINT_URL": locked_endpoint, **CREDENTIALS}
    r = run_cli("runs", "push", str(run), "s3://some-bucket/r1", env=env)
    assert r.returncode == 2 and "access denied" in one_error_line(r)
    r = run_cli("runs", "pull", "s3://some-bucket/r1", str(tmp_path / "copy"), env=env)
    assert r.returncode == 2 and "access denied" in one_error_line(r)
    assert not (tmp_path / "copy").exists()


def test_an_interrupted_push_leaves_nothing_that_pull_accepts(
        tmp_path: Path, s3: dict[str, str], bucket: str, monkeypatch: pytest.MonkeyPatch):
    from fsspec.spec import AbstractBufferedFile

    run = make_run(tmp_path / "runs")
    before = snapshot(run)
    url = f"s3://{bucket}/r1"
    write = AbstractBufferedFile.write
    calls = {"n": 0}

    def failing_write(self, data):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:  # mid-copy: after the first objects, before the manifest
            raise ConnectionResetError(104, "Connection reset by peer")
        return write(self, data)

    monkeypatch.setattr(AbstractBufferedFile, "write", failing_write)
    with pytest.raises(RunCopyError, match="Connection reset"):
        push_run(run, url)
    monkeypatch.setattr(AbstractBufferedFile, "write", write)
    assert snapshot(run) == before
    r = run_cli("runs", "pull", url, str(tmp_path / "copy"), env=s3)
    assert r.returncode != 0 and not (tmp_path / "copy").exists(), r.stdout
    one_error_line(r)
    # the push cleaned up after itself, so the same push can run again, and then it is complete
    r = run_cli("runs", "push", str(run), url, env=s3)
    assert r.returncode == 0, r.stderr


def test_a_crashed_push_is_an_incomplete_run(tmp_path: Path, s3: dict[str, str], bucket: str):
    """What a push killed before it could clean up leaves: objects without the manifest, which is written
    last. verify and pull fail (exit 1) and say so; a push there is refused, not mixed in."""
    run = make_run(tmp_path / "runs")
    for rel in ("spec.toml", "model.safetensors"):
        _client(s3).put_object(Bucket=bucket, Key=f"r1/{rel}", Body=(run / rel).read_bytes())
    url = f"s3://{bucket}/r1"
    r = run_cli("runs", "verify", url, env=s3)
    assert r.returncode == 1 and "manifest.json: missing (an incomplete copy" in r.stderr, r.stderr
    r = run_cli("runs", "pull", url, str(tmp_path / "copy"), env=s3)
    assert r.returncode == 1 and "manifest.json: missing" in one_error_line(r)
    assert not (tmp_path / "copy").exists()
    r = run_cli("runs", "push", str(run), url, env=s3)
    assert r.returncode == 2 and "no manifest.json" in one_error_line(r)


def test_pull_refuses_names_that_escape_the_destination(tmp_path: Path, s3: dict[str, str], bucket: str):
    body = b"gotcha"
    entry = {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
    dest = tmp_path / "deep" / "copy"
    for i, name in enumerate(["../escaped.txt", "/tmp/absolute.txt", "a/../../escaped.txt"]):
        prefix = f"evil{i}"
        manifest = {"version": 1, "files": {name: entry, "spec.toml": entry}}
        _client(s3).put_object(Bucket=bucket, Key=f"{prefix}/spec.toml", Body=body)
        _client(s3).put_object(Bucket=bucket, Key=f"{prefix}/{MANIFEST}", Body=json.dumps(manifest).encode())
        if i == 0:  # the user's view once; the library's for the others
            r = run_cli("runs", "pull", f"s3://{bucket}/{prefix}", str(dest), env=s3)
            assert r.returncode == 1 and f"{name}: refused" in one_error_line(r)
        else:
            with pytest.raises(RunVerificationError, match=f"{name}: refused"):
                pull_run(f"s3://{bucket}/{prefix}", dest)
        assert not dest.exists() and not (tmp_path / "escaped.txt").exists()
        assert not (tmp_path / "deep" / "escaped.txt").exists()


def test_remote_extra_missing_is_one_line(tmp_path: Path):
    """Without s3fs, an s3:// location is one line naming the extra to install."""
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "s3fs.py").write_text("raise ModuleNotFoundError(\"No module named 's3fs'\", name='s3fs')\n")
    run = make_run(tmp_path / "runs")
    r = run_cli("runs", "push", str(run), "s3://bucket/r1", env={"PYTHONPATH": str(blocker)})
    assert r.returncode == 2 and "pip install 'tinylab[remote]'" in one_error_line(r)


def test_a_destination_that_cannot_be_made_is_bad_input_naming_it(tmp_path: Path, s3: dict[str, str], bucket: str):
    push_run(make_run(tmp_path / "runs"), f"s3://{bucket}/r1")
    r = run_cli("runs", "pull", f"s3://{bucket}/r1", "/proc/no/such/copy", env=s3)
    assert r.returncode == 2 and one_error_line(r).startswith("error: /proc/no"), r.stderr


def test_a_source_file_that_disappears_mid_push_stops_it_and_leaves_nothing(
        tmp_path: Path, s3: dict[str, str], bucket: str, monkeypatch: pytest.MonkeyPatch):
    from fsspec.spec import AbstractBufferedFile

    run = make_run(tmp_path / "runs")
    write = AbstractBufferedFile.write

    def write_then_lose_a_file(self, data):  # type: ignore[no-untyped-def]
        (run / "spec.toml").unlink(missing_ok=True)  # after the copy started: the last file is gone
        return write(self, data)

    monkeypatch.setattr(AbstractBufferedFile, "write", write_then_lose_a_file)
    with pytest.raises(RunCopyError, match=r"spec\.toml could not be read"):
        push_run(run, f"s3://{bucket}/r1")
    assert _client(s3).list_objects_v2(Bucket=bucket).get("KeyCount") == 0
