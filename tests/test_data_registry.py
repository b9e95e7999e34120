"""The dataset registry: provenance for every real dataset, and `tinylab data fetch` through a real HTTP server
(http.server in a thread) serving good, corrupted and truncated files."""

from __future__ import annotations

import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from tinylab.data_registry import check, get, registry
from tinylab.shared_data import cache_root, candidates, shared_file

from conftest import SHARED, run_cli

SMALL = "guard-tos-data-collection"  # 4 files, 1.7 MB: the dataset the download tests fetch


def test_every_dataset_has_its_provenance():
    from tinylab.tasks import task_names

    reg = registry()
    assert {"claudette-en", "guard-tos-data-collection", "finetype-eval"} <= set(reg)
    for entry in reg.values():
        assert entry.source.startswith("https://github.com/") and len(entry.revision) == 40
        assert entry.licence and entry.citation and entry.title and set(entry.tasks) <= set(task_names())
        for f in entry.files:
            assert f.url.startswith(f"https://raw.githubusercontent.com/{entry.source.removeprefix('https://github.com/')}"
                                    f"/{entry.revision}/")
            assert len(f.sha256) == 64 and f.size > 0
            assert not f.rel.startswith("/") and ".." not in f.rel.split("/")


@pytest.mark.parametrize("name", sorted(registry()))
def test_the_registered_hashes_are_those_of_the_local_copy(name):
    folder = SHARED / name
    if not folder.is_dir():
        pytest.skip(f"no local copy of {name} at {folder}")
    assert check(get(name), folder) == []


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; a path listed in ``truncate`` is announced at its full length and cut off half-way."""

    truncate: frozenset[str] = frozenset()

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.lstrip("/") in self.truncate:
            body = Path(self.translate_path(self.path)).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[tuple[Path, str, set[str]]]:
    """A folder served over HTTP on localhost as MIRROR/NAME/FILE, holding a copy of the small dataset, its URL,
    and the set of served paths to cut off half-way."""
    if not (SHARED / SMALL).is_dir():
        pytest.skip(f"no local copy of {SMALL} to serve")
    served = tmp_path / "served"
    shutil.copytree(SHARED / SMALL, served / SMALL)
    truncate: set[str] = set()

    class Handler(_Handler):
        def do_GET(self) -> None:
            self.truncate = frozenset(truncate)
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served, f"http://127.0.0.1:{server.server_address[1]}", truncate
    finally:
        server.shutdown()
        server.server_close()


def _env(tmp_path: Path) -> dict[str, str]:
    return {"XDG_CACHE_HOME": str(tmp_path / "cache")}


def test_fetch_downloads_verifies_and_is_read_from_the_cache(mirror, tmp_path, monkeypatch):
    _, url, _ = mirror
    r = run_cli("data", "fetch", SMALL, "--mirror", url, env=_env(tmp_path), timeout=120)
    assert r.returncode == 0, r.stderr
    folder = tmp_path / "cache" / "tinylab" / "data" / SMALL
    assert "downloaded and verified" in r.stdout and str(folder) in r.stdout
    assert check(get(SMALL), folder) == []
    assert not (folder.parent / f".partial-{SMALL}").exists()
    # reading falls back to the cache when no other folder has the file
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert candidates()[-1] == cache_root() == folder.parent
    (folder / "only-in-cache.jsonl").write_text("{}\n")
    assert shared_file(f"{SMALL}/only-in-cache.jsonl") == folder / "only-in-cache.jsonl"
    # a second fetch finds the dataset complete and downloads nothing (the server is not needed)
    r = run_cli("data", "fetch", SMALL, "--mirror", "http://127.0.0.1:9", env=_env(tmp_path), timeout=60)
    assert r.returncode == 0, r.stderr


def test_a_corrupted_download_is_refused_and_nothing_looks_complete(mirror, tmp_path):
    served, url, _ = mirror
    target = served / SMALL / "gold_seed_v2025.10.07e.jsonl"
    data = bytearray(target.read_bytes())
    data[1000] ^= 0x01  # one bit
    target.write_bytes(bytes(data))
    r = run_cli("data", "fetch", SMALL, "--mirror", url, env=_env(tmp_path), timeout=120)
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "gold_seed_v2025.10.07e.jsonl" in r.stderr and "sha256" in r.stderr
    assert "Traceback" not in r.stderr
    root = tmp_path / "cache" / "tinylab" / "data"
    assert not (root / SMALL).exists()
    assert not (root / f".partial-{SMALL}" / "gold_seed_v2025.10.07e.jsonl").exists()  # pooch kept nothing


def test_a_truncated_download_is_refused_and_a_new_fetch_resumes(mirror, tmp_path):
    _, url, truncate = mirror
    truncate.add(f"{SMALL}/dataset_v2025.10.10a.jsonl")
    r = run_cli("data", "fetch", SMALL, "--mirror", url, env=_env(tmp_path), timeout=120)
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "dataset_v2025.10.10a.jsonl" in r.stderr and "Traceback" not in r.stderr
    root = tmp_path / "cache" / "tinylab" / "data"
    assert not (root / SMALL).exists()
    partial_file = root / f".partial-{SMALL}" / "dataset_v2025.10.10a.jsonl"
    assert not partial_file.exists()
    truncate.clear()
    r = run_cli("data", "fetch", SMALL, "--mirror", url, env=_env(tmp_path), timeout=120)
    assert r.returncode == 0, r.stderr
    assert check(get(SMALL), root / SMALL) == []


def test_an_unreachable_source_is_a_failed_fetch(tmp_path):
    r = run_cli("data", "fetch", SMALL, "--mirror", "http://127.0.0.1:9", env=_env(tmp_path), timeout=60)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "downloading" in r.stderr and "127.0.0.1:9" in r.stderr


def test_an_unknown_dataset_is_bad_input(tmp_path):
    r = run_cli("data", "fetch", "no-such-data", env=_env(tmp_path))
    assert r.returncode == 2 and "unknown dataset 'no-such-data'" in r.stderr and SMALL in r.stderr


def test_data_list_shows_provenance_and_where_each_dataset_is_read_from(tmp_path):
    copy = tmp_path / "mine"
    if (SHARED / SMALL).is_dir():
        shutil.copytree(SHARED / SMALL, copy / SMALL)
        with open(copy / SMALL / "LICENSE", "a") as f:
            f.write("edited\n")
    r = run_cli("--data-dir", str(copy if copy.exists() else tmp_path), "data", "list", "--json",
                env=_env(tmp_path))
    assert r.returncode == 0, r.stderr
    rows = {row["name"]: row for row in json.loads(r.stdout)}
    assert set(rows) == set(registry())
    for name, row in rows.items():
        assert row["sha256"] == get(name).sha256 and row["licence"] and row["citation"] and row["source"]
    if copy.exists():  # the folder given with --data-dir comes first, and its edited file shows
        assert rows[SMALL]["path"] == str((copy / SMALL).resolve())
        assert rows[SMALL]["state"] == "1 file(s) differ from the registry"
    r = run_cli("data", "list", env=_env(tmp_path))
    assert r.returncode == 0 and "cite:" in r.stdout and "sha256:" in r.stdout


def test_data_dir_is_read_first_and_must_exist(tmp_path, monkeypatch):
    monkeypatch.setenv("TINYLAB_DATA", str(tmp_path))
    (tmp_path / SMALL).mkdir()
    (tmp_path / SMALL / "gold_seed_v2025.10.07e.jsonl").write_text("{}\n")
    assert shared_file(f"{SMALL}/gold_seed_v2025.10.07e.jsonl") == tmp_path / SMALL / "gold_seed_v2025.10.07e.jsonl"
    r = run_cli("--data-dir", str(tmp_path / "missing"), "data", "list")
    assert r.returncode == 2 and "--data-dir" in r.stderr and "no such directory" in r.stderr


def test_a_missing_dataset_names_the_fetch_command(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    from tinylab.errors import TinylabError

    with pytest.raises(TinylabError, match="tinylab data fetch nowhere"):
        shared_file("nowhere/file.txt")
