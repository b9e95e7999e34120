"""Nothing is unpickled, and no artifact or spec can make tinylab write outside the folder it belongs in.

The scan reads every module under src/ with ``ast`` and refuses: importing pickle, cPickle, dill, cloudpickle,
joblib, shelve or marshal; ``torch.load`` without ``weights_only=True``; ``numpy.load`` without
``allow_pickle=False``; ``yaml.load`` without a safe loader (and ``yaml.unsafe_load``); ``pandas.read_pickle``;
the builtins ``eval`` and ``exec``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

SRC = ROOT / "src" / "tinylab"
UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "joblib", "shelve", "marshal"}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _kw(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def unsafe_loads(source: str, where: str) -> list[str]:
    """Every place in ``source`` that could unpickle (or evaluate) data, as ``where:line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = f"{where}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            found += [f"{line}: import {a.name}" for a in node.names if a.name.split(".")[0] in UNSAFE_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in UNSAFE_MODULES:
            found.append(f"{line}: from {node.module} import ...")
        elif isinstance(node, ast.Call):
            name = _dotted(node.func)
            last = name.rsplit(".", 1)[-1]
            if name in ("eval", "exec"):
                found.append(f"{line}: {name}()")
            elif name.endswith("torch.load"):
                wo = _kw(node, "weights_only")
                if not (isinstance(wo, ast.Constant) and wo.value is True):
                    found.append(f"{line}: {name} without weights_only=True")
            elif name in ("np.load", "numpy.load"):
                ap = _kw(node, "allow_pickle")
                if not (isinstance(ap, ast.Constant) and ap.value is False):
                    found.append(f"{line}: {name} without allow_pickle=False")
            elif name in ("yaml.load", "yaml.load_all"):
                loader = _dotted(_kw(node, "Loader") or (node.args[1] if len(node.args) > 1 else ast.Constant(0)))
                if not loader.endswith(("SafeLoader", "CSafeLoader")):
                    found.append(f"{line}: {name} without a safe loader")
            elif name in ("yaml.unsafe_load", "yaml.full_load") or last == "read_pickle":
                found.append(f"{line}: {name}")
    return found


def test_the_scanner_finds_each_kind_of_unsafe_load():
    planted = "\n".join([
        "import pickle", "from joblib import load", "import torch", "import numpy as np", "import yaml",
        "torch.load('m.pt')", "torch.load('m.pt', weights_only=False)", "np.load('a.npy')",
        "np.load('a.npy', allow_pickle=True)", "yaml.load(s, Loader=yaml.Loader)", "yaml.unsafe_load(s)",
        "pd.read_pickle('x')", "eval('1')",
        "torch.load('m.pt', weights_only=True)", "np.load('a.npy', allow_pickle=False)",
        "yaml.load(s, Loader=yaml.SafeLoader)", "yaml.safe_load(s)", "model.eval()",
    ])
    found = unsafe_loads(planted, "planted.py")
    assert [f.split(":")[1] for f in found] == [str(i) for i in range(1, 14) if i not in (3, 4, 5)], found


def test_nothing_in_the_package_unpickles():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        found += unsafe_loads(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert found == []


def test_no_pickle_files_are_shipped():
    magic = {b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05"}
    shipped = [p for p in SRC.rglob("*") if p.is_file() and p.suffix != ".py"]
    assert shipped
    assert [p for p in shipped if p.suffix in (".pkl", ".pickle", ".joblib", ".pt", ".pth", ".bin")] == []
    assert [p for p in shipped if p.read_bytes()[:2] in magic] == []


@pytest.mark.parametrize("task", ["../../escape", "/tmp/escape", "semantic-types/../../escape"])
def test_a_task_name_cannot_place_a_run_outside_the_runs_folder(tmp_path, task):
    spec = tmp_path / "spec.toml"
    spec.write_text(f'task = "{task}"\n')
    for args in (["train", task], ["train", "semantic-types", "--spec", str(spec)]):
        r = run_cli(*args, "--runs-dir", str(tmp_path / "runs"), cwd=tmp_path, timeout=120)
        assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").rglob("*"))
    assert not Path("/tmp/escape").exists()
