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


WIDTHS = [1280, 390]  # a laptop and a phone


def _watch_console(page) -> list[str]:
    """Errors the page logs or throws, collected as it runs."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.mark.parametrize("width", WIDTHS)
def test_report_shows_every_image_and_nothing_overflows(
    browser, tmp_path: Path, width: int
) -> None:
    report = write_report(load_tables(), tmp_path / "report.html")
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = _watch_console(page)
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
    assert "helpers " in page.locator("p.lede").inner_text(), "the header has no kit version"
    page.screenshot(path=ARTIFACTS / f"report-{width}.png", full_page=True)
    assert errors == []
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


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory: pytest.TempPathFactory):
    """A JupyterLab server on copies of the committed notebooks, with settings of its own;
    yields (base URL, token, its folder)."""
    tmp_path = tmp_path_factory.mktemp("lab")
    root = tmp_path / "lab"
    root.mkdir()
    for path in NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"):
        shutil.copy(path, root / path.name)
    # Every cell in the page (JupyterLab otherwise renders only the visible ones).
    settings = tmp_path / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    # no "news" prompt over the page (it asks to fetch from the network)
    news = tmp_path / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
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
        yield f"http://127.0.0.1:{port}", token, root
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


NOTEBOOKS = sorted(p.name for p in NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_notebook_reads_cleanly_with_its_setup_folded(
    browser, lab, notebook: str, width: int
) -> None:
    """The committed notebook as a reader opens it: its figures load and fit their
    output, nothing scrolls the page sideways, no error is logged, and the setup cells
    (source_hidden) show folded."""
    url, token, _ = lab
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = _watch_console(page)
    # a workspace of its own, reset: only this notebook open (JupyterLab restores tabs)
    space = f"{notebook.removesuffix('.ipynb')}-{width}"
    page.goto(f"{url}/lab/workspaces/{space}/tree/{notebook}?token={token}&reset")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
    _start_kernel(page)
    page.keyboard.press("Control+b")  # fold the file browser: the notebook gets the width
    # as tall as the notebook, so the screenshot holds every cell (the lab scrolls inside)
    tall = page.evaluate("document.querySelector('.jp-WindowedPanel-outer').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(tall + 200, 30_000)})
    page.wait_for_timeout(500)
    assert page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").count() == 0
    images = page.eval_on_selector_all(
        ".jp-OutputArea-output img",
        "els => els.map(e => [e.complete, e.naturalWidth, e.getBoundingClientRect().width,"
        " e.closest('.jp-OutputArea-output').getBoundingClientRect().width])",
    )
    assert all(done and natural > 0 for done, natural, *_ in images), images
    assert all(shown <= area + 1 for *_, shown, area in images), "an image overflows its cell"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    hidden = sum(
        cell.get("metadata", {}).get("jupyter", {}).get("source_hidden", False)
        for cell in nbformat.read(NOTEBOOKS_DIR / notebook, as_version=4).cells
    )
    assert hidden >= 1, "no setup cell is folded"
    assert page.locator(".jp-InputPlaceholder").count() == hidden
    shot = ARTIFACTS / f"{notebook.removesuffix('.ipynb')}-{width}.png"
    page.screenshot(path=shot, full_page=True)
    assert errors == []
    page.close()


def test_jupyterlab_runs_a_notebook_without_errors(browser, lab, tmp_path: Path) -> None:
    url, token, root = lab
    notebook = "run-01-corpus.ipynb"
    # Run a copy without outputs: prompts and figures can then only come from this run;
    # its figures go to a folder of the test's, not the project's figures/.
    nb = nbformat.read(NOTEBOOKS_DIR / "01-corpus.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if "parameters" in cell.metadata.get("tags", []):
            cell.source += f"\nFIGURES_DIR = {str(tmp_path / 'figures')!r}"
    nbformat.write(nb, root / notebook)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/lab/tree/{notebook}?token={token}")
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
