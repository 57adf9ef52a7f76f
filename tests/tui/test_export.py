"""Exporting the transcript from the tutor: the dialog (F4) and ``/export``, in JSON, Markdown and HTML, with the
password hidden by default and shown only when asked."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Checkbox, Input

from poplab.transcript import Transcript
from tests.tui.conftest import MakeApp
from tests.tui.helpers import started, type_line

SESSION_TEXT = """S: +OK example.com POP3-Server
C: USER wiki@example.com
S: +OK Please enter password
C: PASS [redacted]
S: +OK mailbox locked and ready
C: STAT
S: +OK 1 236
C: QUIT
S: +OK bye
--- S closed ---
"""


async def log_in_and_quit(pilot: object, app: object) -> None:
    for line in ("USER wiki@example.com", "PASS passwort_im_klartext", "STAT", "QUIT"):
        await type_line(pilot, app, line)  # type: ignore[arg-type]


async def test_the_dialog_saves_markdown_with_the_password_hidden(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    target = tmp_path / "session.md"
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await log_in_and_quit(pilot, app)
        await pilot.press("f4")
        await pilot.pause()
        await pilot.click("#kind-md")
        app.screen.query_one("#export-path", Input).value = str(target)
        assert app.screen.query_one("#export-redact", Checkbox).value is True
        await pilot.click("#export-save")
        await pilot.pause()
        assert [note.message for note in app._notifications] == [f"Transcript saved to {target}"]
    assert target.read_text(encoding="utf-8") == f"### POP3 session\n\n```text\n{SESSION_TEXT}```\n"


async def test_slash_export_json_round_trips_and_html_shows_the_session(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await log_in_and_quit(pilot, app)
        await type_line(pilot, app, f"/export {tmp_path / 'session.json'}")
        await type_line(pilot, app, f"/export {tmp_path / 'session.html'}")
    data = json.loads((tmp_path / "session.json").read_text(encoding="utf-8"))
    assert data["format"] == "poplab-transcript"
    transcript = Transcript.from_json((tmp_path / "session.json").read_text(encoding="utf-8"))
    assert transcript.to_text(redact=False) == SESSION_TEXT
    assert [line.raw for line in transcript][3] == b"PASS [redacted]\r\n"
    page = (tmp_path / "session.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<span class="c">C: PASS [redacted]</span>' in page


async def test_unticking_hide_passwords_exports_the_password(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app()
    target = tmp_path / "session.json"
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await log_in_and_quit(pilot, app)
        await pilot.press("f4")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.click("#export-redact")
        await pilot.click("#export-save")
        await pilot.pause()
    lines = [line.raw for line in Transcript.from_json(target.read_text(encoding="utf-8"))]
    assert lines[3] == b"PASS passwort_im_klartext\r\n"
