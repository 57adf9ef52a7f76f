"""Helpers for the real-browser tests: run ``poplab web`` on a free port, open it in Debian's Chromium through
Playwright, and read the canvas-drawn tutor with tesseract OCR."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
FONT_SIZE = 22
"""A larger font than the default 16 reads reliably with OCR."""


def browser_missing() -> str | None:
    """Why no browser test can run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright)"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    if shutil.which("tesseract") is None:
        return "no tesseract to read the canvas (Debian: apt-get install tesseract-ocr)"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def poplab_web(*arguments: str) -> Iterator[str]:
    """``poplab web ARGS`` on a free port until the block ends; yields its URL."""
    port = free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below)
    process = subprocess.Popen(
        [sys.executable, "-m", "poplab", "web", "--port", str(port), *arguments],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(lambda: _answers(url) or process.poll() is not None, 30)
        if process.poll() is not None:
            log.seek(0)
            pytest.fail(f"poplab web ended: {log.read().decode(errors='replace')}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "login", timeout=2):
            return True
    except OSError as problem:
        return getattr(problem, "code", 0) in (302, 401, 404, 503)


def _wait_for(ready: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return True
        time.sleep(0.25)
    return False


@contextmanager
def browser_page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser.new_page(viewport={"width": 1400, "height": 1000})
        finally:
            browser.close()


def read_screen(page: Any, shot: Path) -> str:
    """What the page shows, by OCR of a screenshot (the tutor is drawn on a canvas, not in the DOM). OCR reads
    the letter O of ``+OK`` as a zero now and then; that one confusion is undone here."""
    page.screenshot(path=str(shot))
    single = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # on 2 cores its threads cost 5x the time
    text = subprocess.run(["tesseract", str(shot), "-"], capture_output=True, text=True, timeout=60, env=single).stdout
    return re.sub(r"\+0K\b", "+OK", text)


def wait_for_text(page: Any, shot: Path, wanted: list[str], seconds: float = 40) -> str:
    """OCR the page until every one of ``wanted`` is on it; fails with the last reading."""
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        text = read_screen(page, shot)
        if all(item in text for item in wanted):
            return text
        time.sleep(0.5)
    pytest.fail(f"not on the page after {seconds} s: {wanted}; OCR read:\n{text}")


def type_lines(page: Any, lines: list[str]) -> None:
    """Type each line and Enter into the tutor, as a person types (the tutor sends each line once, in order, each
    after the reply to the one before, however fast the keys come)."""
    page.focus("textarea.xterm-helper-textarea")
    for line in lines:
        page.keyboard.type(line, delay=10)
        page.keyboard.press("Enter")
