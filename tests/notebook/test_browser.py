"""The console in a real JupyterLab in a real browser (issue 12's acceptance): Playwright drives the Debian
``chromium`` package (``.ci/run`` installs both). JupyterLab runs headless on a free loopback port with a token, in
a temporary folder with its own settings; the notebook is lesson 01's first cell (the lab) and a console.

Typing ``DELE 1`` and clicking elsewhere sends nothing. In the light and then the dark theme: ``RETR 9`` and the
button show an -ERR; ``STAT`` and Enter show the annotated exchange right under the input; every text in the
console measures at least 4.5:1 against what is really behind it; no ␍␊ control pictures (boxes in common fonts).
Screenshots are kept as artefacts in ``$POPLAB_TEST_ARTIFACTS`` or pytest's temporary folder (the path is
printed)."""

from __future__ import annotations

import json
import os
import secrets
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from poplab.notebook import Lab
from tests.notebook.test_render import colour, contrast, over

CHROMIUM = Path(os.environ.get("POPLAB_CHROMIUM", "/usr/bin/chromium"))
LESSON_01 = next((Path(__file__).parents[2] / "notebooks" / "en").glob("01-*.ipynb"))
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
CONSOLE = ".widget-vbox:has(> .widget-hbox input)"
NEWEST = f"{CONSOLE} .poplab-exchange >> nth=0"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no browser: {CHROMIUM} is missing (apt-get install chromium)"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def console_notebook(folder: Path) -> Path:
    """Lesson 01's first code cell (it makes the lab), then a console logged in as the seed's account."""
    lesson = json.loads(LESSON_01.read_text(encoding="utf-8"))
    setup = next(cell for cell in lesson["cells"] if cell["cell_type"] == "code")
    cells = [setup["source"], 'console = lab.console("wiki@example.com")\nconsole']
    notebook = {
        "cells": [
            {"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [], "source": s}
            for i, s in enumerate(cells)
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = folder / f"{LESSON_01.stem}-console.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


@pytest.fixture
def jupyterlab(tmp_path: Path) -> Iterator[str]:
    """A JupyterLab server of its own; yields the URL of the console notebook (with the token)."""
    port, token = free_port(), secrets.token_hex(16)
    root, own = tmp_path / "notebooks", tmp_path / "jupyter"
    root.mkdir()
    notebook = console_notebook(root)
    env = {**os.environ, "POPLAB_PROGRESS": str(tmp_path / "progress")}
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR", "JUPYTER_RUNTIME_DIR"):
        env[name] = str(own / name.lower())
    settings = own / "jupyterlab_settings_dir" / "@jupyterlab" / "apputils-extension"
    no_news = settings / "notification.jupyterlab-settings"
    no_news.parent.mkdir(parents=True)
    no_news.write_text('{"fetchNews": "false", "checkForUpdates": false}', encoding="utf-8")
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}"]
    command += ["--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
    command += ["--LabApp.expose_app_in_browser=True", "--allow-root"]
    log = (tmp_path / "jupyterlab.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/api/status?token={token}", server, tmp_path / "jupyterlab.log")
        yield f"{base}/lab/tree/{notebook.name}?token={token}&reset"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab ended early:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"JupyterLab did not answer within 30 s:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture
def artefacts(tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]) -> Path:
    chosen = os.environ.get("POPLAB_TEST_ARTIFACTS")
    folder = Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "test-artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    with capsys.disabled():
        print(f"\nbrowser screenshots: {folder}")
    return folder


TEXT_COLOURS_JS = """console => {
  const out = [];
  for (const el of console.querySelectorAll('.jp-OutputArea-output *')) {
    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if (!own || el.getClientRects().length === 0 || el.closest('details:not([open]) > :not(summary)')) continue;
    const backs = [];
    for (let at = el; at; at = at.parentElement) {
      const back = getComputedStyle(at).backgroundColor;
      backs.push(back);
      if (back.startsWith('rgb(') || back.startsWith('#') || (back.startsWith('color(') && !back.includes('/'))) break;
    }
    out.push({text: own.slice(0, 60), colour: getComputedStyle(el).color, backs});
  }
  return out;
}"""
"""Every element with its own visible text inside the console output: the text, its colour and the background
colours from it outwards (up to the first opaque one)."""


def lowest_contrast(samples: list[dict[str, Any]]) -> tuple[float, str]:
    """The least readable text of the samples: its contrast and the text."""
    worst = (99.0, "")
    for sample in samples:
        back = colour("#ffffff")  # the page's canvas, under everything transparent
        for layer in reversed(sample["backs"]):
            back = over(colour(layer), back)
        ratio = contrast(colour(sample["colour"]), back)
        worst = min(worst, (ratio, sample["text"]))
    return worst


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def stat_summaries() -> list[str]:
    """What the annotator says about STAT to wiki@example.com (the lines the browser must show)."""
    with Lab(lang="en") as lab:
        return [a.summary for a in lab.session("wiki@example.com").send("STAT").annotations()]


def test_the_console_in_a_real_browser_light_and_dark(jupyterlab: str, artefacts: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    summaries = stat_summaries()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            page.set_default_timeout(30_000)
            page.goto(jupyterlab)
            page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget?.sessionContext")
            page.evaluate("window.jupyterapp.shell.currentWidget.sessionContext.ready")
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            box = page.locator(f"{CONSOLE} input")
            expect(box).to_be_visible()

            box.fill("DELE 1")  # typed, then a click elsewhere: the box loses focus, nothing may be sent
            page.locator(".jp-Notebook .jp-Cell").first.click()
            page.wait_for_timeout(1500)
            assert page.locator(f"{CONSOLE} .poplab-exchange").count() == 0
            box.fill("")

            for theme, name in THEMES.items():
                switch_theme(page, name)
                box.fill("RETR 9")  # the button sends too; an -ERR in red, measured below
                page.locator(f"{CONSOLE} button").click()
                expect(page.locator(NEWEST)).to_contain_text("S: -ERR")
                box.fill("STAT")
                box.press("Enter")
                newest = page.locator(NEWEST)
                expect(newest).to_contain_text("S: +OK 1 236")
                expect(box).to_have_value("")
                check_newest(page, summaries, theme, artefacts)
        finally:
            browser.close()


def switch_theme(page: Any, name: str) -> None:
    page.evaluate(f"window.jupyterapp.commands.execute('apputils:change-theme', {{theme: {name!r}}})")
    light = "true" if "Light" in name else "false"
    page.wait_for_function(
        f"document.body.dataset.jpThemeName === {name!r} && document.body.dataset.jpThemeLight === {light!r}"
    )
    page.wait_for_timeout(500)  # the theme's stylesheet applies


def check_newest(page: Any, summaries: list[str], theme: str, artefacts: Path) -> None:
    """The newest exchange is STAT's, first under the input, annotated, readable; screenshots of it."""
    console = page.locator(CONSOLE)
    newest = page.locator(NEWEST)
    text = newest.inner_text()
    assert "C: STAT" in text and "S: +OK 1 236" in text
    for summary in summaries:
        assert summary in text, summary
    assert "\u240d" not in console.inner_text() and "\u240a" not in console.inner_text()

    under_input = page.locator(f"{CONSOLE} input").bounding_box()
    placed = newest.bounding_box()
    assert placed["y"] > under_input["y"] and placed["y"] - (under_input["y"] + under_input["height"]) < 60

    ratio, worst = lowest_contrast(console.evaluate(TEXT_COLOURS_JS))
    print(f"{theme}: lowest contrast {ratio:.2f}:1 ({worst!r})")
    assert ratio >= 4.5, (theme, worst, ratio)

    shot = artefacts / f"console-{theme}.png"
    console.screenshot(path=str(shot))
    page.screenshot(path=str(artefacts / f"jupyterlab-{theme}.png"))
    frame = console.bounding_box()
    line = newest.get_by_text("S: +OK 1 236").bounding_box()
    width, height = png_size(shot)  # the screenshot is the console, and the annotated line lies inside it
    assert abs(width - frame["width"]) <= 2 and abs(height - frame["height"]) <= 2
    assert frame["y"] <= line["y"] and line["y"] + line["height"] <= frame["y"] + frame["height"]
    assert frame["x"] <= line["x"] and line["x"] + line["width"] <= frame["x"] + frame["width"]
