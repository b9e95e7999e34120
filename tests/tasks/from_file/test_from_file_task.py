"""from-file end to end through the real CLI, on small files written here: a CSV of labelled strings trains a
single-label char-CNN (verified run, report with the trivial-answer baseline, predict, eval reproducing the
metrics); a JSON Lines file with a float target trains a regression; a CSV with two 0/1 columns a multi-label
model."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from conftest import run_cli

pytestmark = pytest.mark.slow
FAST = ["--set", "train.threads=1", "--set", "train.batch_size=32"]


def _values(rng: random.Random) -> dict[str, str]:
    name = "".join(rng.choice("abcdefghijklmnop") for _ in range(rng.randint(3, 9)))
    return {
        "email": f"{name}@{rng.choice(['example.com', 'mail.org', 'corp.io'])}",
        "ip": ".".join(str(rng.randint(0, 255)) for _ in range(4)),
        "date": f"20{rng.randint(10, 29)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }


def _train(tmp_path: Path, data: Path, *args: str) -> tuple[Path, dict]:
    r = run_cli("train", "from-file", str(data), "--input", "text", *args, *FAST, "--runs-dir", str(tmp_path / "runs"),
                "--json")
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    run = Path(out["run"])
    assert run.parent.name == "from-file"
    assert run_cli("runs", "verify", str(run)).returncode == 0
    return run, out


def test_csv_of_labelled_strings_trains_predicts_and_evaluates(tmp_path: Path):
    rng = random.Random(0)
    data = tmp_path / "values.csv"
    with data.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["text", "label"])
        for i in range(210):
            label = ("email", "ip", "date")[i % 3]
            w.writerow([_values(rng)[label], label])
    run, out = _train(tmp_path, data, "--target", "label", "--set", "train.epochs=6")
    meta = json.loads((run / "meta.json").read_text())
    assert meta["kind"] == "single_label" and meta["labels"] == ["date", "email", "ip"]
    assert meta["model"] == "char_cnn"
    m = out["metrics"]
    assert m["accuracy"] >= 0.9 and m["baseline_accuracy"] < 0.5
    report = (run / "report.md").read_text()
    assert "Against the trivial answer" in report and "The model beats the trivial answer" in report
    spec = (run / "spec.toml").read_text()
    assert 'kind = "single_label"' in spec and 'name = "char_cnn"' in spec and str(data.resolve()) in spec

    r = run_cli("predict", str(run), "someone@example.com", "192.168.1.20", "2024-05-06", "--json")
    assert r.returncode == 0, r.stderr
    got = [p["predictions"][0]["label"] for p in json.loads(r.stdout)]
    assert got == ["email", "ip", "date"]

    r = run_cli("eval", str(run), "--json")
    assert r.returncode == 0, r.stderr
    again = json.loads(r.stdout.strip().splitlines()[-1])["metrics"]
    for key in ("accuracy", "accuracy_ci_low", "macro_f1", "baseline_accuracy", "accuracy_over_baseline"):
        assert again[key] == pytest.approx(m[key]), key


def test_json_lines_with_a_float_target_is_regression(tmp_path: Path):
    rng = random.Random(1)
    data = tmp_path / "lengths.jsonl"
    with data.open("w") as f:
        for _ in range(150):
            k = rng.randint(1, 14)
            text = "".join(rng.choice("0123456789") for _ in range(k))
            f.write(json.dumps({"text": text, "size": round(1.5 * k + rng.random() * 0.3, 3)}) + "\n")
    run, out = _train(tmp_path, data, "--target", "size", "--set", "train.epochs=4")
    meta = json.loads((run / "meta.json").read_text())
    assert meta["kind"] == "regression" and meta["labels"] == ["size"]
    assert {"spearman", "mae", "baseline_mae", "mae_below_baseline"} <= set(out["metrics"])
    assert "target_mean" in (run / "spec.toml").read_text()
    r = run_cli("predict", str(run), "123", "--json")
    assert r.returncode == 0, r.stderr
    assert isinstance(json.loads(r.stdout)[0]["size"], float)


def test_csv_with_two_flag_columns_is_multi_label(tmp_path: Path):
    rng = random.Random(2)
    data = tmp_path / "flags.csv"
    with data.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["text", "has_digit", "has_at"])
        for _ in range(150):
            s = "".join(rng.choice("abcdefgh") for _ in range(rng.randint(3, 8)))
            digit, at = rng.random() < 0.5, rng.random() < 0.4
            s = (s[:2] + str(rng.randint(0, 99)) + s[2:]) if digit else s
            s = (s[:1] + "@" + s[1:]) if at else s
            w.writerow([s, int(digit), "true" if at else "false"])
    run, out = _train(tmp_path, data, "--target", "has_digit", "--target", "has_at", "--set", "train.epochs=4")
    meta = json.loads((run / "meta.json").read_text())
    assert meta["kind"] == "multi_label" and meta["labels"] == ["has_digit", "has_at"]
    assert set(meta["thresholds"]["per_label"]) == {"has_digit", "has_at"}
    assert {"macro_f1", "baseline_macro_f1", "macro_f1_over_baseline"} <= set(out["metrics"])


_PEAK = """
import resource, subprocess, sys
r = subprocess.run([sys.executable, "-m", "tinylab", *sys.argv[1:]], capture_output=True, text=True)
sys.stderr.write(r.stderr)
print(r.stdout.strip().splitlines()[-1] if r.stdout.strip() else "")
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


@pytest.mark.long
def test_a_million_row_file_trains_within_bounded_memory(tmp_path: Path):
    """A large training file (1,000,000 rows, 23 MB) trains, is scored on its 100,000 test rows and predicts,
    in a child whose peak memory stays under 2 GiB (about 1.1 GiB measured)."""
    rng = random.Random(0)
    path = tmp_path / "big.csv"
    with path.open("w") as f:
        f.write("text,label\n")
        for _ in range(1_000_000):
            if rng.random() < 0.5:
                f.write(".".join(str(rng.randint(0, 255)) for _ in range(4)) + ",ip\n")
            else:
                f.write(f"user{rng.randint(0, 10**6)}@example.com,email\n")
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-c", _PEAK, "train", "from-file", str(path), "--input", "text",
                        "--target", "label", "--set", "train.epochs=1", "--set", "train.batch_size=512",
                        "--runs-dir", str(tmp_path / "runs"), "--json"], capture_output=True, text=True, timeout=600)
    result, status = r.stdout.strip().splitlines()[-2:]
    code, peak_kib = map(int, status.split())
    assert code == 0, r.stderr[-2000:]
    out = json.loads(result)
    assert out["metrics"]["n"] == 100_000 and out["metrics"]["accuracy"] > 0.99
    assert peak_kib < 2 * 1024 * 1024, f"peak memory {peak_kib / 1024:.0f} MiB"
    p = run_cli("predict", out["run"], "10.0.0.1", "user4242@example.com", "--json")
    assert p.returncode == 0, p.stderr
    assert [row["predictions"][0]["label"] for row in json.loads(p.stdout)] == ["ip", "email"]
