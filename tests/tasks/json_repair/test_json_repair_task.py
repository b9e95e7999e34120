"""json-repair as a task in the lab: a tiny training through the real CLI (run directory, report with the
competitors' table, predictions, eval), the command `tinylab json repair`, and the numpy scorer against its
torch twin."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tinylab.json_repair import load_scorer, repair
from tinylab.json_repair.engine import N_FEATURES
from tinylab.json_repair.scorer import MLPScorer
from tinylab.lifecycle import resolve_spec
from tinylab.tasks import get_task

from conftest import run_cli

TINY = ["data.train_per_type=6", "data.train_stacks=30", "data.val_per_type=3", "data.val_stacks=15",
        "data.test_per_type=4", "data.test_stacks=20", "train.epochs=3"]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    runs = tmp_path_factory.mktemp("runs")
    args = ["train", "json-repair", "--runs-dir", str(runs), "--json"]
    for o in TINY:
        args += ["--set", o]
    out = run_cli(*args)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    for key in ("exact_recovery", "exact_recovery_types", "parse_success", "silent_wrong", "faithful_prefix",
                "exact_recovery_ci_low", "exact_recovery_json_repair", "exact_recovery_fast_json_repair",
                "exact_recovery_stacks", "silent_wrong_vs_json_repair"):
        assert key in result["metrics"], key
    assert set(result["targets"]) == {"exact_recovery_types", "exact_recovery_stacks", "parse_success"}
    return Path(result["run"])


def test_training_writes_a_run_with_the_competitors_in_its_report(tiny_run: Path):
    for name in ("model.safetensors", "model.onnx", "meta.json", "metrics.json", "report.md", "report.html",
                 "manifest.json"):
        assert (tiny_run / name).is_file(), name
    report = (tiny_run / "report.md").read_text(encoding="utf-8")
    assert "beside the json_repair libraries" in report
    for kind in ("delete_brace", "mask_token", "truncate (faithful prefix", "stacks (2-3 kinds)"):
        assert kind in report, kind
    meta = json.loads((tiny_run / "meta.json").read_text(encoding="utf-8"))
    assert meta["task"] == "json-repair" and meta["kind"] == "text_repair"


def test_predict_and_eval_use_the_trained_scorer(tiny_run: Path):
    out = run_cli("predict", str(tiny_run), "{a: 1, 'b': [True, None,]}", "--json")
    assert out.returncode == 0, out.stderr
    row = json.loads(out.stdout)[0]
    assert json.loads(row["json"]) == {"a": 1, "b": [True, None]} and row["changed"] is True
    out = run_cli("eval", str(tiny_run), "--json")
    assert out.returncode == 0, out.stderr
    assert 0.0 <= json.loads(out.stdout.strip().splitlines()[-1])["metrics"]["exact_recovery"] <= 1.0


def test_json_repair_command(tiny_run: Path, tmp_path: Path):
    broken = tmp_path / "broken.json"
    broken.write_text("```json\n{\"name\": 'Ada', tags: [\"x\" \"y\"], ok: True,}\n```\n", encoding="utf-8")
    out = run_cli("json", "repair", str(broken), "--explain", "--model", str(tiny_run))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"name": "Ada", "tags": ["x", "y"], "ok": True}
    assert "inserted a missing ','" in out.stderr and "markdown fence" in out.stderr
    # standard input; a truncated stream completed with nothing invented
    out = run_cli("json", "repair", "-", input_text='{"items": [1, 2, {"id": 3, "na')
    assert out.returncode == 0 and json.loads(out.stdout) == {"items": [1, 2, {"id": 3}]}
    # strict: an ambiguous repair is a failed check (exit 1), not a guess
    ambiguous = tmp_path / "ambiguous.json"
    ambiguous.write_text('{"id": 1, "ok": true}\n{"id": 2, "ok": false}\n', encoding="utf-8")  # two documents
    out = run_cli("json", "repair", str(ambiguous), "--strict")
    assert out.returncode == 1 and "ambiguous" in out.stderr and out.stdout == ""
    out = run_cli("json", "repair", str(tmp_path / "missing.json"))
    assert out.returncode == 2 and "no such file" in out.stderr and "Traceback" not in out.stderr


def test_numpy_scorer_matches_its_torch_twin(tiny_run: Path):
    import torch
    from safetensors.torch import load_file

    from tinylab.tasks.json_repair.model import CandidateScorer

    model = CandidateScorer(16)
    model.load_state_dict(load_file(str(tiny_run / "model.safetensors")))
    x = np.random.default_rng(0).random((40, N_FEATURES), dtype=np.float32)
    with torch.no_grad():
        want = model(torch.from_numpy(x[None]))[0].numpy()
    np.testing.assert_allclose(MLPScorer.from_run(tiny_run)(x), want, rtol=1e-5, atol=1e-5)
    scorer = load_scorer(str(tiny_run))
    assert repair("{'a': 1,}", scorer=scorer).value == {"a": 1}


def test_splits_come_from_different_seeds_and_train_only_on_choices():
    task = get_task("json-repair")
    spec = resolve_spec(task, None, TINY)
    train, test = task.load_split(spec, "train"), task.load_split(spec, "test")
    assert not set(train.inputs) & set(test.inputs)
    assert all(t.gold.any() for t in train.targets)  # documents whose repair needs a choice
    assert len(test) == 20 * 4 + 20


def test_json_repair_command_refuses_bad_input_in_one_line(tmp_path: Path):
    out = run_cli("json", "repair", "-", input_text="Sorry, I cannot help with that.")
    assert out.returncode == 2 and "no JSON value could be recovered" in out.stderr and out.stdout == ""
    out = run_cli("json", "repair", str(tmp_path))
    assert out.returncode == 2 and "is a directory" in out.stderr
    out = run_cli("json", "repair", str(tmp_path), "--encoding", "bogus")
    assert out.returncode == 2 and "not a text encoding" in out.stderr and "Traceback" not in out.stderr
    latin = tmp_path / "latin1.json"
    latin.write_bytes('{"city": "Zürich"'.encode("latin-1"))
    out = run_cli("json", "repair", str(latin))
    assert out.returncode == 2 and "not utf-8 text" in out.stderr and "--encoding" in out.stderr
    out = run_cli("json", "repair", str(latin), "--encoding", "latin-1")
    assert out.returncode == 0 and json.loads(out.stdout) == {"city": "Zürich"}
    utf16 = tmp_path / "utf16.json"
    utf16.write_bytes('{"a": [1, 2,]}'.encode("utf-16-le"))
    out = run_cli("json", "repair", str(utf16))
    assert out.returncode == 2 and "utf-16" in out.stderr
    out = run_cli("json", "repair", str(utf16), "--encoding", "utf-16-le")
    assert out.returncode == 0 and json.loads(out.stdout) == {"a": [1, 2]}


def test_a_guess_is_said_on_stderr():
    out = run_cli("json", "repair", "-", input_text='{"a": 1} {"b": 2}')
    assert out.returncode == 0 and json.loads(out.stdout) in ({"a": 1}, [{"a": 1}, {"b": 2}])
    assert "warning" in out.stderr and "guess" in out.stderr
