"""The tutor's watch mode (``poplab proxy --tui``): the annotating proxy runs in the app's loop in front of a
teaching server, a real client (poplib) goes through it, and the transcript shows every line with its
explanation under a heading per session; sessions side by side get a heading at each switch; the detail pane,
export of the selected session, German and a busy port; and the real console script in tmux."""

from __future__ import annotations

import asyncio
import errno
import json
import poplib
import re
import shlex
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from poplab.annotate.model import Annotation
from poplab.commands.proxy import TutorSource
from poplab.protocol.config import ServerConfig
from poplab.proxy import ProxyServer, ProxySettings, Upstream
from poplab.server.runner import ServerThread
from poplab.server.settings import ServerSettings
from poplab.store.memory import MemoryStore
from poplab.transcript import Transcript
from poplab.tui.app import TutorApp, TutorOptions
from poplab.tui.entries import Note
from poplab.tui.widgets.command_input import CommandInput
from poplab.tui.widgets.detail import DetailPane
from poplab.tui.widgets.mailbox_table import MailboxTable
from poplab.tui.widgets.status import StatusBar
from poplab.tui.widgets.transcript import TranscriptView, note_text
from tests.tui.helpers import screen_text
from tests.tui.test_console import Tmux, console, wait_for  # noqa: F401 (console is a fixture)

USER, PASSWORD = "wiki@example.com", "passwort_im_klartext"
SEED_SHOWN = [
    "S: +OK example.com POP3-Server",
    "   The server is ready: the session begins in AUTHORIZATION.",
    "C: USER wiki@example.com",
    "   USER names the mailbox to log in to: wiki@example.com.",
    "S: +OK Please enter password",
    "   The server accepts the name and waits for PASS.",
    "C: PASS [redacted]",
    "   PASS sends the password for the user named with USER.",
    "S: +OK mailbox locked and ready",
    "   Login succeeded: the session is now in TRANSACTION.",
    "C: STAT",
    "   STAT asks for the number of messages and their total size.",
    "S: +OK 1 236",
    "   The maildrop holds 1 message, 236 octets in total.",
    "C: RETR 1",
    "   RETR 1 asks for the whole of message 1.",
    "S: +OK message follows",
    "   Message 1 follows, up to a line with a single dot.",
    "S: Date: Mon, 18 Oct 2004 04:11:45 +0200",
    "S: From: Someone <me@example.com>",
    "S: To: wiki@example.com",
    "S: Subject: Test-E-Mail",
    "S: Content-Type: text/plain; charset=us-ascii; format=flowed",
    "S: Content-Transfer-Encoding: 7bit",
    "S: ",
    "S: Dies ist eine Test-E-Mail",
    "S: .",
    "   Message 1: 8 lines, 236 octets.",
    "C: QUIT",
    "   QUIT ends the session and makes the server remove the messages marked as deleted.",
    "S: +OK bye",
    "   The server entered UPDATE: the marked messages are removed and the connection closes.",
]
"""The seed message fetched by poplib, as the transcript pane shows it (the password hidden); then the close."""
CLOSES = ("-- The server closed the connection.", "-- The client closed the connection.")
"""After QUIT either side may notice the close first."""


@pytest.fixture
def upstream() -> Iterator[ServerThread]:
    settings = ServerSettings(port=0, protocol=ServerConfig(failed_login_delay=0.0))
    with ServerThread(MemoryStore.with_demo(), settings) as server:
        yield server


def watching(server: ServerThread, lang: str = "en", port: int = 0) -> tuple[TutorApp, TutorSource]:
    proxy = ProxyServer(ProxySettings(Upstream("127.0.0.1", server.port), "127.0.0.1", port))
    source = TutorSource(proxy)
    return TutorApp(TutorOptions(lang=lang, watch=source)), source


async def until(pilot: Pilot[None], app: TutorApp, done: Callable[[], bool], what: str) -> None:
    for _ in range(1000):
        await asyncio.sleep(0.005)
        watcher = app.watcher
        if watcher is not None and watcher.settled and done():
            await pilot.pause()
            return
    raise AssertionError(f"not within 5 s: {what}")


async def listening(pilot: Pilot[None], app: TutorApp, source: TutorSource) -> int:
    await until(pilot, app, lambda: app.watcher is not None and app.watcher.started, "the proxy listens")
    assert source.proxy.port is not None
    return source.proxy.port


def ended(app: TutorApp, *numbers: int) -> Callable[[], bool]:
    def check() -> bool:
        sessions = app.watcher.log.sessions if app.watcher is not None else {}
        return all(number in sessions and sessions[number].ended for number in numbers)

    return check


def fetch_seed_message(port: int) -> list[bytes]:
    client = poplib.POP3("127.0.0.1", port, timeout=10)
    client.user(USER)
    client.pass_(PASSWORD)
    client.stat()
    _, lines, _ = client.retr(1)
    client.quit()
    return lines


def shown(app: TutorApp) -> list[str]:
    """The transcript pane as a learner reads it: notes (headings included) as ``» text``, each wire line as
    ``C: ...`` / ``S: ...`` followed by its one-sentence explanation, indented."""
    view = app.home.query_one(TranscriptView)
    out: list[str] = []
    for item in view.items:
        if isinstance(item, Note):
            out.append(f"» {note_text(item, view.t)}")
        elif item.direction is not None and item.raw:
            out += [f"{item.direction}: {raw}" for raw in item.raw.decode().splitlines()]
            out.append(f"   {item.summary}")
        else:
            out.append(f"-- {item.summary}")
    return out


async def test_a_client_through_the_proxy_is_shown_line_by_line_with_explanations(upstream: ServerThread) -> None:
    app, source = watching(upstream)
    async with app.run_test(size=(100, 40)) as pilot:
        port = await listening(pilot, app, source)
        assert app.home.query_one(StatusBar).badge == "no client yet"
        message = await asyncio.to_thread(fetch_seed_message, port)
        assert message[-1] == b"Dies ist eine Test-E-Mail"
        await until(pilot, app, ended(app, 1), "the session ended")
        lines = shown(app)
        client = lines[0].removeprefix("» ── session 1: ").split(" → ")[0]
        assert lines == [
            f"» ── session 1: {client} → 127.0.0.1:{upstream.port} ──",
            f"» {client} connected: relaying to 127.0.0.1:{upstream.port} (plain text).",
            *SEED_SHOWN,
            lines[-1],
        ]
        assert lines[-1] in CLOSES
        assert re.fullmatch(r"127\.0\.0\.1:\d+", client) and client != f"127.0.0.1:{port}"
        assert app.home.query_one(StatusBar).badge == "UPDATE · closed"
        screen = screen_text(app)
        assert f" UPDATE · closed  127.0.0.1:{port} · plain " in screen
        assert f"Watching 127.0.0.1:{port} → 127.0.0.1:{upstream.port}; point your mail client at" in screen
        assert not app.home.query(CommandInput)  # nothing is typed in watch mode
        assert app.home.query_one(MailboxTable).rows() == []
        app.home.query_one(TabbedContent).active = "tab-mailbox"
        await pilot.pause()
        words = " ".join(screen_text(app).split())
        assert f"available only with the bundled server; 127.0.0.1:{upstream.port} is another server." in words


async def test_the_detail_pane_explains_the_selected_line_without_the_password(upstream: ServerThread) -> None:
    app, source = watching(upstream)
    async with app.run_test(size=(130, 40)) as pilot:
        port = await listening(pilot, app, source)
        await asyncio.to_thread(fetch_seed_message, port)
        await until(pilot, app, ended(app, 1), "the session ended")
        view = app.home.query_one(TranscriptView)
        at = next(n for n, item in enumerate(view.items) if isinstance(item, Annotation) and item.verb == "PASS")
        view.focus()
        view.highlighted = at
        await pilot.pause()
        assert app.home.query_one(DetailPane).item is view.items[at]
        screen = screen_text(app)
        assert "State: AUTHORIZATION → AUTHORIZATION" in screen
        assert "PASS [redacted]␍␊" in screen
        assert PASSWORD not in screen
        await pilot.press("f3")  # raw bytes in the transcript too
        assert "C: PASS [redacted]␍␊" in screen_text(app)


def open_and_log_in(port: int) -> poplib.POP3:
    client = poplib.POP3("127.0.0.1", port, timeout=10)
    client.user(USER)
    client.pass_(PASSWORD)
    return client


async def test_sessions_side_by_side_get_a_heading_at_each_switch_and_export_takes_the_selected_one(
    upstream: ServerThread, tmp_path: Path
) -> None:
    app, source = watching(upstream)
    async with app.run_test(size=(100, 40)) as pilot:
        port = await listening(pilot, app, source)
        first = await asyncio.to_thread(open_and_log_in, port)
        await until(pilot, app, lambda: "S: +OK mailbox locked and ready" in shown(app), "the first login")
        second = await asyncio.to_thread(poplib.POP3, "127.0.0.1", port, 10)
        await until(pilot, app, lambda: shown(app).count("S: +OK example.com POP3-Server") == 2, "the 2nd greeting")
        await asyncio.to_thread(first.quit)
        await until(pilot, app, ended(app, 1), "the first session ended")
        await asyncio.to_thread(second.quit)
        await until(pilot, app, ended(app, 1, 2), "both sessions ended")
        headings = [line.split(":")[0] for line in shown(app) if line.startswith("» ── session")]
        assert headings == ["» ── session 1", "» ── session 2", "» ── session 1", "» ── session 2"]
        view = app.home.query_one(TranscriptView)
        owners = app.watcher.log.owners if app.watcher is not None else []
        view.highlighted = owners.index(2) + 2  # the second session's greeting
        await pilot.pause()
        app.home.export(tmp_path / "second.json", "json", redact=True)
        app.home.export(tmp_path / "newest.md", "md", redact=False)
    second_text = Transcript.from_json((tmp_path / "second.json").read_text(encoding="utf-8")).to_text()
    assert second_text == "S: +OK example.com POP3-Server\nC: QUIT\nS: +OK bye\n--- S closed ---\n"
    assert json.loads((tmp_path / "second.json").read_text(encoding="utf-8"))["format"] == "poplab-transcript"
    assert [note.message for note in app._notifications] == [
        f"Transcript saved to {tmp_path / 'second.json'}",
        f"Transcript saved to {tmp_path / 'newest.md'}",
    ]


async def test_export_before_any_client_says_there_is_nothing(upstream: ServerThread, tmp_path: Path) -> None:
    app, source = watching(upstream)
    async with app.run_test(size=(100, 40)) as pilot:
        await listening(pilot, app, source)
        app.home.export(tmp_path / "none.json", "json", redact=True)
        await pilot.pause()
        assert [note.message for note in app._notifications] == ["Nothing to export yet: no mail client has connected."]
    assert not (tmp_path / "none.json").exists()


async def test_german_and_a_live_switch_keep_the_order(upstream: ServerThread) -> None:
    app, source = watching(upstream, lang="de")
    async with app.run_test(size=(100, 40)) as pilot:
        port = await listening(pilot, app, source)
        assert app.home.query_one(StatusBar).badge == "noch kein Client"
        await asyncio.to_thread(fetch_seed_message, port)
        await until(pilot, app, ended(app, 1), "the session ended")
        german = shown(app)
        assert german[0].startswith("» ── Sitzung 1: ")
        assert german[15] == "   Das Postfach enthält 1 Nachricht, insgesamt 236 Oktette."
        screen = screen_text(app)
        assert f"Beobachtung: 127.0.0.1:{port} → 127.0.0.1:{upstream.port}; richte dein Mailprogramm auf" in screen
        assert "f1 Hilfe f2 English f3 Rohe Bytes f4 Exportieren ^q Ende" in screen
        assert " UPDATE · geschlossen " in screen and "poplab · POP3-Proxy" in screen
        await pilot.press("f2")
        await until(pilot, app, lambda: shown(app)[0].startswith("» ── session 1"), "English again")
        english = shown(app)
        assert len(english) == len(german)
        assert [line[:3] for line in english] == [line[:3] for line in german]
        assert english[15] == "   The maildrop holds 1 message, 236 octets in total."
        assert "f1 Help f2 Deutsch f3 Raw bytes f4 Export ^q Quit" in screen_text(app)


async def test_a_busy_listen_port_ends_the_app_with_the_reason(upstream: ServerThread) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        app, _ = watching(upstream, port=busy.getsockname()[1])
        async with app.run_test(size=(100, 40)) as pilot:
            for _ in range(1000):
                if app._exit:
                    break
                await pilot.pause(0.005)
        assert app.watcher is not None and app.watcher.failure is not None
        assert app.watcher.failure.errno == errno.EADDRINUSE


# ---- the console script --------------------------------------------------------------------------------------


def test_poplab_proxy_tui_shows_a_real_client_and_ends_cleanly(
    console: Callable[[str], Tmux],  # noqa: F811 (the fixture)
    upstream: ServerThread,
) -> None:
    tmux = console(f"poplab proxy --tui --upstream 127.0.0.1:{upstream.port} --listen 127.0.0.1:0")
    found = None
    for _ in range(150):
        screen = wait_for(tmux, "point your mail client at", "no client yet")
        found = re.search(r"point your mail client at\s+127\.0\.0\.1:([1-9]\d*)", screen)
        if found:
            break
        time.sleep(0.1)
    assert found, screen
    assert fetch_seed_message(int(found.group(1)))[-1] == b"Dies ist eine Test-E-Mail"
    screen = wait_for(tmux, "S: +OK bye", "UPDATE · closed")
    assert "C: QUIT" in screen and "poplab · POP3 proxy" in screen
    assert "f1 Help f2 Deutsch f3 Raw bytes f4 Export ^q Quit" in screen
    tmux("send-keys", "-t", "{target}", "Home")  # the transcript has the focus: up to the session's heading
    screen = wait_for(tmux, "── session 1: 127.0.0.1:", f"→ 127.0.0.1:{upstream.port} ──", "S: +OK example.com")
    assert "connected: relaying to" in screen
    tmux("send-keys", "-t", "{target}", "C-q")
    wait_for(tmux, "poplab exited with 0")


def test_poplab_proxy_tui_on_a_busy_port_is_one_line(
    console: Callable[[str], Tmux],  # noqa: F811 (the fixture)
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        tmux = console(f"poplab proxy --tui --upstream 127.0.0.1:1 --listen {shlex.quote(f'127.0.0.1:{port}')}")
        screen = wait_for(tmux, "poplab exited with 2")
    assert f"poplab: error: 127.0.0.1:{port} is already in use; try another --listen port (0 = any free)" in screen
