"""Issue 17's acceptance in a real browser: ``poplab web`` opened in Chromium (Playwright), the seed session typed
into the tutor on the page, and the page read back (OCR: the tutor draws on a canvas). Skipped, with the reason,
only where there is no browser, Playwright or tesseract."""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.web.browser import FONT_SIZE, browser_missing, browser_page, free_port, poplab_web, type_lines, wait_for_text
from tests.web.conftest import password_of

pytestmark = pytest.mark.skipif(browser_missing() is not None, reason=browser_missing() or "")


def test_the_seed_session_in_the_browser(tmp_path: Path) -> None:
    shot = tmp_path / "tutor.png"
    with poplab_web() as url, browser_page() as page:
        page.goto(f"{url}?fontsize={FONT_SIZE}")
        wait_for_text(page, shot, ["POP3-Server", "AUTHORIZATION"])
        type_lines(page, ["USER wiki@example.com", "PASS passwort_im_klartext", "STAT"])
        text = wait_for_text(page, shot, ["+OK 1 236", "TRANSACTION"])
    assert "-ERR" not in text


def test_a_student_signs_in_and_the_exercise_is_in_the_report(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("name\nAnna Schmidt\nBen Ortiz\n", encoding="utf-8")
    directory = tmp_path / "classroom"
    shot = tmp_path / "class.png"
    pop_port = str(free_port())
    with poplab_web(
        "--classroom", str(directory), "--roster", str(roster), "--pop-port", pop_port, "--smtp-port", "0"
    ) as url:
        password = password_of(directory, "anna-schmidt")
        with browser_page() as page:
            page.goto(f"{url}login")
            page.fill("#name", "Anna Schmidt")
            page.fill("#password", password)
            page.click("button[type=submit]")
            page.wait_for_url(url)
            assert "Signed in as Anna Schmidt" in page.inner_text("#bar")
            wait_for_text(page, shot, ["POP3", "AUTHORIZATION"])
            type_lines(page, ["USER anna-schmidt-01", f"PASS {password}", "STAT", "LIST", "RETR 1", "DELE 1", "QUIT"])
            wait_for_text(page, shot, ["deleted on QUIT", "UPDATE"])
        report = _report(directory, tmp_path / "report.csv")
    rows = {row["login"]: row for row in report}
    assert rows["anna-schmidt-01"]["done"] == "yes", rows["anna-schmidt-01"]
    assert rows["ben-ortiz-01"]["done"] == "no" and rows["ben-ortiz-01"]["attempts"] == "0"


def _report(directory: Path, path: Path) -> list[dict[str, str]]:
    for _ in range(20):  # the classroom server checks a session just after it ends
        subprocess.run(
            [sys.executable, "-m", "poplab", "classroom", "report", "--dir", str(directory), "--csv", str(path)],
            check=True,
            capture_output=True,
        )
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        if any(row["login"] == "anna-schmidt-01" and row["attempts"] != "0" for row in rows):
            return rows
        time.sleep(0.5)
    return rows
