"""Exporting the transcript from the tutor: the dialog (F4) and ``/export``, as the annotated HTML and Markdown
handouts in the tutor's language, the lossless JSON and a pcap, with the password hidden by default and shown
only when asked; a name typed as ``x.json`` in the dialog means JSON."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Checkbox, Input

from poplab.handout import read_markdown
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
        assert app.conductor.lab.transcript.to_text(redact=True) == SESSION_TEXT
        expected = app.conductor.lab.transcript.redacted()
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# POP3 session\n")
    assert "STAT asks for the number of messages and their total size." in text  # the annotations travel along
    assert "passwort_im_klartext" not in text
    read_back = [(line.direction, line.raw) for line in read_markdown(text)]
    assert read_back == [(line.direction, line.raw) for line in expected]  # and `poplab annotate` reads it back


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
    assert "C: PASS [redacted]" in page and "passwort_im_klartext" not in page
    assert "The maildrop holds 1 message, 236 octets in total." in page
    assert "<svg" in page  # the sequence diagram


async def test_the_handout_is_in_the_tutors_language_and_pcap_is_binary(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app(lang="de")
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        await log_in_and_quit(pilot, app)
        await type_line(pilot, app, f"/export {tmp_path / 'sitzung.html'}")
        await type_line(pilot, app, f"/export {tmp_path / 'sitzung.pcap'}")
    page = (tmp_path / "sitzung.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in page and "Sequenzdiagramm" in page
    assert (tmp_path / "sitzung.pcap").read_bytes()[:4] in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4")


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
