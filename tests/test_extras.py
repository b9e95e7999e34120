"""The base install predicts with the shipped models; a command that needs an extra says which, in one line.
Each case runs the real CLI in a subprocess in which the extras' packages cannot be imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tinylab.extras import EXTRA_OF

BLOCK = """
import sys
from importlib.abc import MetaPathFinder

BLOCKED = {blocked!r}

class NotInstalled(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
from tinylab.cli import main
main(sys.argv[1:])
"""


def base_cli(*args: str, cwd: Path | None = None, extras: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """``tinylab ARGS`` as the base install (plus ``extras``) runs it: no package of any other extra importable."""
    code = BLOCK.format(blocked=sorted(m for m, extra in EXTRA_OF.items() if extra not in extras))
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300,
                          cwd=cwd, env=env)


def test_the_base_install_predicts_with_the_shipped_models():
    r = base_cli("predict", "semantic-types", "192.168.1.1", "--json")
    assert r.returncode == 0, r.stderr
    assert '"label": "technology.internet.ip_v4"' in r.stdout
    r = base_cli("predict", "word-rarity", "--model-only", "zyzzogeton")
    assert r.returncode == 0 and "model estimate" in r.stdout, r.stderr
    r = base_cli("predict", "word-rarity", "--lang", "fr", "maison")  # the word lists are packaged
    assert r.returncode == 0 and "from the list" in r.stdout, r.stderr
    r = base_cli("tasks")
    assert r.returncode == 0 and "semantic-types\tsingle_label" in r.stdout, r.stderr
    r = base_cli("predict", "json-repair", "{a: [1 2],", "--json")  # the repair needs numpy only
    assert r.returncode == 0, r.stderr
    assert json.loads(json.loads(r.stdout)[0]["json"]) == {"a": [1, 2]}


def test_clause_labels_predicts_without_torch_or_transformers():
    """The shipped clause-labels model holds its frozen encoder in its ONNX model: the base install predicts."""
    r = base_cli("predict", "clause-labels", "We will only collect your e-mail address with your express permission.",
                 "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)[0]
    assert [p["label"] for p in out["predictions"] if p["predicted"]] == ["consent_explicit"], out


@pytest.mark.parametrize(("args", "extra"), [
    (["train", "semantic-types"], "train"),
    (["eval", "semantic-types"], "train"),
    (["export", "word-rarity"], "train"),
    (["profile", "table.csv"], "profile"),
    (["tune", "semantic-types", "--report"], "tune"),
])
def test_a_missing_extra_is_one_line_naming_the_install(args, extra, tmp_path: Path):
    (tmp_path / "table.csv").write_text("ip\n1.2.3.4\n")
    r = base_cli(*args, cwd=tmp_path)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert f"pip install 'tinylab[{extra}]'" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_the_profile_extra_alone_profiles_a_table(tmp_path: Path):
    rows = "".join(f"{(i * 37) % 223 + 1}.{(i * 91) % 256}.{(i * 13) % 256}.{i + 2},user{i}@example.com\n"
                   for i in range(30))
    (tmp_path / "t.csv").write_text("ip,email\n" + rows)
    r = base_cli("profile", "t.csv", "--json", cwd=tmp_path, extras=("profile",))
    assert r.returncode == 0, r.stderr
    assert '"type": "technology.internet.ip_v4"' in r.stdout and '"type": "identity.person.email"' in r.stdout
