"""What a person sees: the HTML report and JupyterLab, in headless Chromium.

Playwright drives the system Chromium (Debian's ``chromium`` package; ``.ci/run`` installs
it). Without it these tests skip, except under CI, where a missing browser is a failure.
Screenshots go to ``test-artifacts/`` (not committed).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from helpers.analysis.tables import load_tables
from helpers.paths import NOTEBOOKS_DIR, PROJ_ROOT
from helpers.publish.report import write_report

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = PROJ_ROOT / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI must provide Chromium at /usr/bin/chromium (.ci/run installs it)")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("width", [1280, 760])
def test_report_shows_every_image_and_nothing_overflows(
    browser, tmp_path: Path, width: int
) -> None:
    report = write_report(load_tables(), tmp_path / "report.html")
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    images = page.eval_on_selector_all(
        "img", "els => els.map(e => [e.complete, e.naturalWidth, e.getBoundingClientRect().right])"
    )
    assert len(images) >= 5
    assert all(done and natural > 0 for done, natural, _ in images), images
    assert all(right <= width for *_, right in images), "an image is wider than the page"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    assert page.locator("li").count() >= 4, "the findings list is missing"
    page.screenshot(path=ARTIFACTS / f"report-{width}.png", full_page=True)
    page.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(url)


def _start_kernel(page, seconds: float = 90) -> None:
    """Wait for the notebook's kernel, accepting the "Select Kernel" dialog JupyterLab
    sometimes shows while it resolves the kernelspec (the idle indicator shows behind it)."""
    idle = page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
    dialog = page.locator(".jp-Dialog")
    deadline = time.monotonic() + seconds
    quiet_since = None
    while time.monotonic() < deadline:
        if dialog.count():
            page.get_by_role("button", name="Select", exact=True).click()
            quiet_since = None
        elif idle.count():
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > 3:  # idle, and no dialog for 3 s
                return
        time.sleep(0.25)
    raise TimeoutError("the notebook's kernel did not start")


def test_jupyterlab_runs_a_notebook_without_errors(browser, tmp_path: Path) -> None:
    notebook = "01-corpus.ipynb"
    root = tmp_path / "lab"
    root.mkdir()
    # Run a copy without outputs: prompts and figures can then only come from this run;
    # its figures go to a folder of the test's, not the project's figures/.
    nb = nbformat.read(NOTEBOOKS_DIR / notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if "parameters" in cell.metadata.get("tags", []):
            cell.source += f"\nFIGURES_DIR = {str(tmp_path / 'figures')!r}"
    nbformat.write(nb, root / notebook)
    # Every cell in the page (JupyterLab otherwise renders only the visible ones).
    settings = tmp_path / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port, token = _free_port(), "kit-browser-test"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--allow-root",
            "--LabApp.extension_manager=readonly",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/api/status?token={token}", 90)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}/lab/tree/{notebook}?token={token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
        _start_kernel(page)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        prompts = ".jp-CodeCell .jp-InputArea-prompt"
        try:
            page.wait_for_function(
                f"[...document.querySelectorAll('{prompts}')].length > 0 && "
                f"[...document.querySelectorAll('{prompts}')]"
                ".every(p => /\\[\\d+\\]/.test(p.textContent))",
                timeout=180_000,
            )
        except Exception:
            page.screenshot(path=ARTIFACTS / "jupyterlab-failure.png", full_page=True)
            states = page.locator(prompts).all_inner_texts()
            pytest.fail(f"cells did not all run; prompts: {states}")
        outputs = page.locator(".jp-OutputArea-output")
        assert outputs.count() >= 5
        assert page.locator(".jp-OutputArea-output img").count() >= 2, "figures not shown"
        text = "\n".join(outputs.all_inner_texts())
        assert "Traceback" not in text and "Error" not in text, text[:2000]
        page.screenshot(path=ARTIFACTS / "jupyterlab.png", full_page=True)
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
