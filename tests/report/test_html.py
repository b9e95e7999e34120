"""The HTML report in a real headless Chromium: it loads without console errors and shows its plots."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tinylab.lifecycle import train_run

TINY = ["data.labels=['technology.internet.ip_v4', 'identity.person.email', 'datetime.date.iso']",
        "data.train_per_label=40", "data.val_per_label=10", "data.test_per_label=10", "train.epochs=2",
        "model.channels=16", "model.hidden=16", "train.batch_size=32"]


def browser():
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromedriver must be installed in CI (see .ci/run)")
        pytest.skip("chromium/chromedriver not installed: apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--window-size=1200,2400"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=opts)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train_run("semantic-types", overrides=TINY, runs_dir=tmp_path_factory.mktemp("runs")).run


def test_report_html_renders_plots_without_console_errors(run_dir: Path, tmp_path: Path):
    html = run_dir / "report.html"
    assert html.is_file() and (run_dir / "plots" / "learning_curves.png").is_file()
    text = html.read_text()
    assert "http://" not in text and "https://" not in text  # self-contained: nothing fetched
    drv = browser()
    try:
        drv.get(html.as_uri())
        sizes = drv.execute_script(
            "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight]);")
        assert len(sizes) == 4
        assert all(done and w > 100 and h > 100 for done, w, h in sizes), sizes
        headings = drv.execute_script("return Array.from(document.querySelectorAll('h2')).map(h => h.textContent);")
        assert headings[:2] == ["Targets", "Diagnosis"] and "Plots" in headings
        errors = [e for e in drv.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []
        shot = tmp_path / "report.png"
        drv.save_screenshot(str(shot))
        assert shot.stat().st_size > 20_000
    finally:
        drv.quit()


@pytest.mark.long
def test_multilabel_report_shows_threshold_curves_in_chromium(tmp_path: Path):
    from tinylab.tasks.clause_labels.dataset import GOLD_SEED

    from conftest import SHARED

    if not (SHARED / GOLD_SEED).is_file():
        pytest.skip("shared gold seed not present")
    run = train_run("clause-labels", overrides=["train.epochs=20"], runs_dir=tmp_path / "runs").run
    assert (run / "plots" / "thresholds.png").is_file()
    drv = browser()
    try:
        drv.get((run / "report.html").as_uri())
        alts = drv.execute_script(
            "return Array.from(document.images).filter(i => i.complete && i.naturalWidth > 100).map(i => i.alt);")
        assert len(alts) == 4, alts  # learning curves, per-label F1, threshold curves, reliability
        assert any("threshold" in a for a in alts)
        headings = drv.execute_script("return Array.from(document.querySelectorAll('h2')).map(h => h.textContent);")
        assert headings[:2] == ["Targets", "Diagnosis"]
        assert "Decision thresholds (tuned on the validation split, never on test)" in headings
        assert [e for e in drv.get_log("browser") if e["level"] == "SEVERE"] == []
    finally:
        drv.quit()


@pytest.mark.parametrize(("task", "overrides", "expected_plot"), [
    ("word-rarity", ["data.train_words=2000", "data.val_words=300", "data.test_words=500", "train.epochs=2",
                     "model.buckets=256", "model.hidden=8"], "Predicted vs true"),
    pytest.param("unfair-clauses", ["data.max_documents=12", "data.test_documents=3", "data.val_documents=3",
                                    "data.fair_per_unfair=1", "train.epochs=1", "model.trainable_layers=1",
                                    "model.max_tokens=32", "export.int8=false"],
                 "F1 against the decision", marks=pytest.mark.long),  # fine-tunes a sentence encoder: a minute
])
def test_regression_and_binary_reports_render_in_chromium(task: str, overrides: list[str], expected_plot: str,
                                                          tmp_path: Path):
    from conftest import SHARED

    if task == "unfair-clauses" and not (SHARED / "claudette-en").is_dir():
        pytest.skip("shared CLAUDETTE corpus not present")
    run = train_run(task, overrides=overrides, runs_dir=tmp_path / "runs").run
    drv = browser()
    try:
        drv.get((run / "report.html").as_uri())
        alts = drv.execute_script(
            "return Array.from(document.images).filter(i => i.complete && i.naturalWidth > 100).map(i => i.alt);")
        assert any(a.startswith(expected_plot) for a in alts), alts
        assert [e for e in drv.get_log("browser") if e["level"] == "SEVERE"] == []
    finally:
        drv.quit()
