"""The shipped default model: it must exist, verify, meet its targets, and answer the README's example."""

from __future__ import annotations

import json

import pytest

from tinylab.predict import pretrained_dir
from tinylab.runs import verify

from conftest import run_cli


def test_shipped_model_verifies():
    d = pretrained_dir("semantic-types")
    assert (d / "manifest.json").is_file()
    assert verify(d) == []


def test_readme_prediction_example():
    r = run_cli("predict", "semantic-types", "192.168.1.1", "2024-01-15T10:30:00Z", "hello@example.com", "--json")
    assert r.returncode == 0, r.stderr
    labels = [p["predictions"][0]["label"] for p in json.loads(r.stdout)]
    assert labels[:2] == ["technology.internet.ip_v4", "datetime.timestamp.iso_8601"]
    # a PayPal account e-mail has exactly the form of any e-mail (taxonomy: same_form_as), so the general
    # type comes first and the subtype second
    assert labels[2] == "identity.person.email"


@pytest.fixture(scope="module")
def shipped_eval() -> dict:
    r = run_cli("eval", "semantic-types", "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_eval_of_shipped_model_reproduces_its_saved_metrics(shipped_eval):
    out = shipped_eval
    assert out["metrics"]["n"] == 15100  # 151 labels x 100, seed 99
    assert out["targets"]["accuracy"]["goal"] == 0.93 and out["targets"]["top3_accuracy"]["goal"] == 0.99
    saved = json.loads((pretrained_dir("semantic-types") / "metrics.json").read_text())
    assert saved["accuracy"] == out["metrics"]["accuracy"]
    assert saved["top3_accuracy"] == out["metrics"]["top3_accuracy"]
    # each target's verdict is the plain comparison, never rounded
    for name, t in out["targets"].items():
        assert t["met"] == (out["metrics"][name] >= t["goal"])
    report = (pretrained_dir("semantic-types") / "report.md").read_text()
    assert ("MISSED" in report) == (not all(t["met"] for t in out["targets"].values()))


def test_shipped_model_meets_targets(shipped_eval):
    assert all(t["met"] for t in shipped_eval["targets"].values()), shipped_eval["targets"]


def test_shipped_extended_model_verifies_and_knows_the_extended_types():
    d = pretrained_dir("semantic-types-extended")
    assert verify(d) == []
    meta = json.loads((d / "meta.json").read_text())
    assert len(meta["labels"]) == 240 and meta["runtime"] == "onnxruntime"
    r = run_cli("predict", "semantic-types-extended", "DE89 3704 0044 0532 0130 00", "US0378331005",
                "192.168.1.1", "--json")
    assert r.returncode == 0, r.stderr
    labels = [p["predictions"][0]["label"] for p in json.loads(r.stdout)]
    assert labels == ["finance.banking.iban", "finance.securities.isin", "technology.internet.ip_v4"]


def test_eval_of_shipped_extended_model_reproduces_its_saved_metrics():
    r = run_cli("eval", "semantic-types-extended", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["metrics"]["n"] == 24000  # 240 labels x 100, seed 99
    saved = json.loads((pretrained_dir("semantic-types-extended") / "metrics.json").read_text())
    assert saved["accuracy"] == out["metrics"]["accuracy"]
    for name, t in out["targets"].items():
        assert t["met"] == (out["metrics"][name] >= t["goal"])


@pytest.mark.parametrize(("name", "kind"), [("clause-labels", "multi_label"), ("unfair-clauses", "multi_label"),
                                            ("word-rarity", "regression")])
def test_other_shipped_models_verify_and_predict(name: str, kind: str):
    d = pretrained_dir(name)
    assert verify(d) == []
    meta = json.loads((d / "meta.json").read_text())
    assert meta["kind"] == kind and meta["runtime"] == "onnxruntime"
    if kind != "regression":
        assert meta["thresholds"]["tuned_on"] == "validation"
    value = "lexicographically" if kind == "regression" else "We may change these terms at any time without notice."
    r = run_cli("predict", name, value, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)[0]["value"] == value


@pytest.mark.parametrize(("name", "metric"), [("clause-labels", "macro_f1"), ("word-rarity", "spearman")])
def test_eval_of_other_shipped_models_reproduces_saved_metrics(name: str, metric: str):
    from conftest import SHARED

    if name == "clause-labels" and not (SHARED / "guard-tos-data-collection").is_dir():
        pytest.skip("shared data not present")
    r = run_cli("eval", name, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    saved = json.loads((pretrained_dir(name) / "metrics.json").read_text())
    assert out["metrics"][metric] == pytest.approx(saved[metric], abs=1e-9)
    for goal_name, t in out["targets"].items():
        assert t["met"] == (out["metrics"][goal_name] >= t["goal"])


def test_shipped_int8_variant_verifies_answers_the_readme_example_and_reproduces_its_metrics():
    name = "semantic-types-int8"
    d = pretrained_dir(name)
    assert verify(d) == []
    meta = json.loads((d / "meta.json").read_text())
    assert len(meta["labels"]) == 151 and meta["runtime"] == "onnxruntime"
    assert meta["onnx"].startswith("int8")  # the int8 model passed its agreement gate
    r = run_cli("predict", name, "192.168.1.1", "2024-01-15T10:30:00Z", "hello@example.com", "--json")
    assert r.returncode == 0, r.stderr
    labels = [p["predictions"][0]["label"] for p in json.loads(r.stdout)]
    assert labels == ["technology.internet.ip_v4", "datetime.timestamp.iso_8601", "identity.person.email"]
    r = run_cli("eval", name, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    saved = json.loads((d / "metrics.json").read_text())
    assert out["metrics"]["n"] == 15100 and saved["accuracy"] == out["metrics"]["accuracy"]
    for goal, t in out["targets"].items():
        assert t["met"] == (out["metrics"][goal] >= t["goal"])


def test_the_int8_variant_is_the_default_model_served_quantized():
    from tinylab.runs import sha256_file

    default, int8 = pretrained_dir("semantic-types"), pretrained_dir("semantic-types-int8")
    # same spec but [export], so training gave the same float weights; only the served ONNX model differs
    assert sha256_file(default / "model.safetensors") == sha256_file(int8 / "model.safetensors")
    assert sha256_file(default / "model.onnx") != sha256_file(int8 / "model.onnx")
    assert (int8 / "model.onnx").stat().st_size < (default / "model.onnx").stat().st_size / 2


def test_shipped_json_repair_verifies_repairs_and_reproduces_its_metrics():
    d = pretrained_dir("json-repair")
    assert verify(d) == []
    meta = json.loads((d / "meta.json").read_text())
    assert meta["kind"] == "text_repair" and meta["runtime"] == "onnxruntime"
    r = run_cli("predict", "json-repair", "{name: 'Ada', tags: ['x' 'y',], ok: True}", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(json.loads(r.stdout)[0]["json"]) == {"name": "Ada", "tags": ["x", "y"], "ok": True}
    r = run_cli("eval", "json-repair", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    saved = json.loads((d / "metrics.json").read_text())
    for key in ("exact_recovery", "exact_recovery_types", "parse_success", "silent_wrong"):
        assert out["metrics"][key] == saved[key], key
    assert out["metrics"]["exact_recovery_json_repair"] == saved["exact_recovery_json_repair"]
    for goal, t in out["targets"].items():
        assert t["met"] == (out["metrics"][goal] >= t["goal"])


def test_readme_clause_labels_example_is_what_the_command_prints():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8").splitlines()
    i = readme.index('$ tinylab predict clause-labels "We will only collect your e-mail address with your express '
                     'permission." --top-k 2')
    r = run_cli("predict", "clause-labels", "We will only collect your e-mail address with your express permission.",
                "--top-k", "2")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == readme[i + 1]
