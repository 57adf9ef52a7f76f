"""``poplab replay``: the seed session stepped forward and back by line and by command (keys and the control
bar), the mailbox as the server had it before and after DELE and after QUIT, a jump to a line, playing; "try from
here" after DELE 1 gives a live branch whose LIST leaves message 1 out and whose mailbox shows it marked; a
classroom record replayed with the mailbox the server logged; 80×24 and German."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from poplab.annotate.model import Annotation
from poplab.commands.replay import replay_app
from poplab.exercises.record import LoginEvent, RecordedLine, SessionRecord, record_to_json
from poplab.transcript import Transcript
from poplab.tui.app import TutorApp
from poplab.tui.replay_files import load_recording
from poplab.tui.screens.replay import ReplayScreen
from poplab.tui.widgets.branch_pane import BranchPane
from poplab.tui.widgets.mailbox_table import MailboxTable
from poplab.tui.widgets.replay_mailbox import ReplayMailbox
from poplab.tui.widgets.status import StatusBar
from tests.tui.helpers import screen_text
from tests.tui.test_seed_session import SEED_TRANSCRIPT

SEED_ROW = ("1", "", "236", "?")
MARKED_ROW = ("1", "✗ marked", "236", "?")
REMOVED_ROW = ("1", "✗ removed", "236", "?")
UID = "1098065505.M1P0Q1.poplab-demo"


def seed_file(tmp_path: Path) -> Path:
    text = "\n".join(line.replace("passwort_im_klartext", "passwort_im_klartext") for line in SEED_TRANSCRIPT)
    path = tmp_path / "seed.json"
    path.write_text(Transcript.from_text(text + "\n--- S closed ---\n").to_json(redact=False), encoding="utf-8")
    return path


def screen(app: TutorApp) -> ReplayScreen:
    home = app.screen_stack[0]
    assert isinstance(home, ReplayScreen)
    return home


def rows(app: TutorApp) -> list[tuple[str, ...]]:
    return screen(app).query_one(ReplayMailbox).rows()


def current(app: TutorApp) -> str:
    item = screen(app).replay.step().item
    return item.raw.decode().rstrip() if isinstance(item, Annotation) else ""


def badge(app: TutorApp) -> str:
    return screen(app).query_one(StatusBar).badge


async def until(pilot: Pilot[None], done: Callable[[], bool], what: str, seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.01)):
        await asyncio.sleep(0.01)
        if done():
            await pilot.pause()
            return
    raise AssertionError(f"not within {seconds} s: {what}")


async def test_the_seed_session_steps_forward_and_back(tmp_path: Path) -> None:
    app = replay_app(load_recording(seed_file(tmp_path)), lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert current(app).startswith("+OK example.com")
        assert rows(app) == []  # before the login: no mailbox
        for _ in range(2):
            await pilot.press("n")  # USER, then PASS: one command (with its reply) a key
        assert current(app) == "+OK mailbox locked and ready"
        assert badge(app) == "TRANSACTION"
        await pilot.press("n")  # STAT: one message of 236 octets
        assert rows(app) == [SEED_ROW]
        while current(app) != "DELE 1":
            await pilot.press("right")
        assert rows(app) == [SEED_ROW]  # before DELE's reply: not marked yet
        await pilot.press("right")
        assert current(app).startswith("+OK message marked")
        assert rows(app) == [MARKED_ROW]
        await pilot.press("left")
        assert rows(app) == [SEED_ROW]
        await pilot.press("n", "n")
        assert current(app) == ""  # the connection closed after QUIT
        assert "UPDATE" in badge(app)
        assert rows(app) == [REMOVED_ROW]
        assert "removed" in screen(app).query_one(ReplayMailbox).title()
        await pilot.press("p")
        assert rows(app) == [MARKED_ROW]
        await pilot.press("p", "p", "p", "p", "p", "p", "p")
        assert current(app).startswith("+OK example.com")
        assert rows(app) == []


async def test_buttons_a_click_on_a_line_jump_and_play(tmp_path: Path) -> None:
    app = replay_app(load_recording(seed_file(tmp_path)), lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#control-last")
        assert "UPDATE" in badge(app)
        await pilot.click("#control-first")
        await pilot.click("#control-command-forward")
        assert current(app) == "+OK Please enter password"
        await pilot.click("#control-forward")
        assert current(app) == "PASS [redacted]"
        await pilot.press("g", *"23", "enter")  # line 23 of the transcript: DELE 1
        assert current(app) == "DELE 1"
        screen(app).replay.home()
        screen(app).speed = 8.0
        await pilot.press("space")
        await until(pilot, lambda: screen(app).replay.at_end and screen(app).timer is None, "played to the end")
        assert rows(app) == [REMOVED_ROW]
        text = screen_text(app)
        assert "passwort_im_klartext" not in text
        assert "Step 18 of 18" in text


async def test_try_from_here_after_dele(tmp_path: Path) -> None:
    app = replay_app(load_recording(seed_file(tmp_path)), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen(app).replay.jump_to_line(24)  # DELE 1 and its reply
        screen(app).show_step()
        assert rows(app) == [MARKED_ROW]
        await pilot.press("t")
        await until(pilot, lambda: bool(app.screen.query(BranchPane)), "the branch opens")
        pane = app.screen.query_one(BranchPane)
        branch = pane.branch
        await until(pilot, lambda: branch.replayed == 6 and branch.conductor.settled, "the branch replays")
        table = pane.query_one(MailboxTable)
        await until(pilot, lambda: table.rows() != [], "the branch's mailbox shows")
        assert table.rows() == [("1", "✗ marked", "236", "Test-E-Mail", UID)]
        await branch.conductor.send("LIST")
        await until(pilot, lambda: branch.conductor.settled, "LIST answered")
        lines = pane.wire_lines()
        last_list = len(lines) - 1 - lines[::-1].index("C: LIST")
        assert lines[last_list:] == ["C: LIST", "S: +OK mailbox has 0 messages (0 octets)", "S: ."]
        assert "passwort_im_klartext" not in screen_text(app)
        assert "C: PASS [redacted]" in lines
        await pilot.press("escape")
        await until(pilot, lambda: not app.screen.query(BranchPane), "the branch closes")


async def test_a_classroom_record_shows_what_the_server_logged(tmp_path: Path) -> None:
    def line(direction: str, raw: bytes, octets: int = 0) -> RecordedLine:
        return RecordedLine(direction, raw, False, 1.0, octets or len(raw))  # type: ignore[arg-type]

    record = SessionRecord(
        7,
        1.0,
        False,
        lines=(
            line("S", b"+OK example.com POP3-Server\r\n"),
            line("C", b"USER anna-05\r\n"),
            line("S", b"+OK Please enter password\r\n"),
            line("C", b"PASS [redacted]\r\n"),
            line("S", b"+OK mailbox locked and ready\r\n"),
            line("C", b"LIST\r\n"),
            line("S", b"+OK 2 messages (300 octets)\r\n", 50),
            line("C", b"DELE 2\r\n"),
            line("S", b"+OK message 2 deleted\r\n"),
            line("C", b"QUIT\r\n"),
            line("S", b"+OK bye\r\n"),
        ),
        logins=(LoginEvent("anna-05", True, "USER/PASS", False, 1.0),),
        snapshot=("uid-a", "uid-b"),
        committed=("uid-b",),
        end="quit",
        closed=2.0,
    )
    path = tmp_path / "05.jsonl"
    path.write_text(json.dumps(record_to_json(record)) + "\n", encoding="utf-8")
    messages = (("uid-a", b"Subject: a\r\n\r\nx\r\n"), ("uid-b", b"Subject: b\r\n\r\nyy\r\n"))
    app = replay_app(load_recording(path, messages=messages), lang="de")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen(app).replay.jump_to_line(10)  # DELE 2's reply (after the stand-in terminator of LIST)
        screen(app).show_step()
        assert rows(app) == [("1", "", "17", "uid-a"), ("2", "✗ markiert", "18", "uid-b")]
        await pilot.press("end")
        assert rows(app) == [("1", "", "17", "uid-a"), ("2", "✗ entfernt", "18", "uid-b")]
        text = screen_text(app)
        assert "Schritt" in text
        assert "Oktette" in text or "Größe" in text or "Bytes" in text
