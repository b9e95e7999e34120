"""Every command answers a usage error (unknown option, missing argument, bad value) with one line on
stderr and exit 2, never a traceback. Run through ``tinylab.cli.main`` in this process (the subprocess tests
in test_cli.py cover the same entry point end to end)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinylab.cli import main

from conftest import run_cli

CASES = [
    # the root command
    ["--bogus"], ["nosuch"],
    # tasks, labels
    ["tasks", "--bogus"], ["tasks", "extra"], ["labels"], ["labels", "semantic-types", "--bogus"],
    ["labels", "no-such-task"],
    # train
    ["train"], ["train", "semantic-types", "--bogus"], ["train", "semantic-types", "--set", "no-equals-sign"],
    ["train", "semantic-types", "--set"],
    # eval, export, report
    ["eval"], ["eval", "semantic-types", "--bogus"], ["eval", "/no/such/run"],
    ["export"], ["export", "semantic-types", "--bogus"], ["export", "/no/such/run"],
    ["report"], ["report", "semantic-types", "--bogus"], ["report", "/no/such/run"],
    # predict
    ["predict"], ["predict", "semantic-types", "--bogus"], ["predict", "semantic-types", "--top-k", "0", "x"],
    ["predict", "semantic-types", "--top-k", "many", "x"], ["predict", "semantic-types"],
    ["predict", "semantic-types", "--file", "/no/such/file.txt"],
    # tune
    ["tune"], ["tune", "semantic-types", "--bogus"], ["tune", "semantic-types", "--trials", "-1"],
    ["tune", "no-such-task"],
    # compare
    ["compare"], ["compare", "semantic-types"], ["compare", "semantic-types", "word-rarity", "--bogus"],
    # the semantic-types task's own commands
    ["profile"], ["profile", "x.csv", "--bogus"], ["profile", "x.csv", "--sample", "0"],
    ["profile", "/no/such.csv"], ["fit-columns"], ["fit-columns", "semantic-types", "--per-label", "0"],
    ["fit-columns", "semantic-types", "--bogus"],
    # runs; paths that are not runs or cannot be written
    ["runs", "verify", "/no/such/run"], ["eval", "/"], ["runs", "push", "semantic-types", "/proc/no/such"],
    ["runs", "push", "semantic-types", "/dev/null/x"],
    ["train", "word-rarity", "words.csv"], ["train", "semantic-types", "--target", "label"],
    ["runs", "bogus"], ["runs", "list", "--bogus"], ["runs", "verify"], ["runs", "verify", "x", "--bogus"],
    ["runs", "push"], ["runs", "push", "semantic-types"], ["runs", "push", "semantic-types", "x", "--bogus"],
]


@pytest.mark.parametrize("args", CASES, ids=[" ".join(a) for a in CASES])
def test_usage_errors_are_one_line_and_exit_2(args, capsys):
    with pytest.raises(SystemExit) as exc:
        main(args)
    err = capsys.readouterr().err
    assert exc.value.code == 2, (args, err)
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: ")


def test_usage_error_names_the_help_to_read(capsys):
    with pytest.raises(SystemExit):
        main(["predict", "semantic-types", "--top-k", "0", "x"])
    err = capsys.readouterr().err
    assert "'--top-k'" in err and "(see `tinylab predict --help`)" in err


def test_version_and_help():
    import tinylab

    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"tinylab {tinylab.__version__}"
    for flag in ("-h", "--help"):
        r = run_cli(flag)
        assert r.returncode == 0 and all(c in r.stdout for c in ("predict", "profile", "tasks", "--version"))


def test_a_group_without_its_command_shows_its_help():
    r = run_cli("runs")
    assert r.returncode == 2 and "verify" in r.stdout + r.stderr and "Traceback" not in r.stderr


def test_profile_refuses_a_model_of_another_task_and_a_table_of_a_csv(tmp_path: Path):
    csv = tmp_path / "t.csv"
    csv.write_text("ip\n1.2.3.4\n10.0.0.1\n")
    r = run_cli("profile", str(csv), "--model", "word-rarity")
    assert r.returncode == 2 and "needs a semantic-types model, not a word-rarity one" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    r = run_cli("profile", str(csv), "--table", "t")
    assert r.returncode == 2 and "--table and --query read a DuckDB database" in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
