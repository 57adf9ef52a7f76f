"""What the tutor does, without Textual: it runs the lab (bundled server and connection), feeds every line to the
annotator in batches so the screen never freezes while a large body arrives, follows the server's events to keep
the mailbox view live, checks lesson steps and saves progress. The screen implements :class:`View` and renders.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, Protocol

from poplab import handout
from poplab.client import SessionError, SmtpReply
from poplab.i18n import Translator, translator
from poplab.protocol.client import ServerReply
from poplab.protocol.sasl import apop_digest
from poplab.protocol.states import State
from poplab.server.events import ServerEvent
from poplab.store.demo import SEED_ACCOUNT
from poplab.transcript import Transcript
from poplab.tui import texts
from poplab.tui.coach import Coach
from poplab.tui.entries import Item
from poplab.tui.feed import Feed
from poplab.tui.lab import Lab, Line, transcript_line
from poplab.tui.mailbox import Mailbox, SubjectCache, peer_account, read_mailbox
from poplab.tui.tour import Progress

BATCH = 500
"""Transcript lines annotated between two chances for the screen to redraw and take keys."""
IN_THREAD = 100
"""Batches at least this long are annotated in a thread (typed commands and their replies are not)."""
FORMATS = ("json", "md", "html", "pcap")


class View(Protocol):
    def add_items(self, items: list[Item]) -> None: ...
    def status_changed(self) -> None: ...
    def mailbox_changed(self, mailbox: Mailbox | None) -> None: ...
    def lesson_changed(self) -> None: ...


class NullView:
    """Stands in until a screen takes over."""

    def add_items(self, items: list[Item]) -> None:
        return None

    def status_changed(self) -> None:
        return None

    def mailbox_changed(self, mailbox: Mailbox | None) -> None:
        return None

    def lesson_changed(self) -> None:
        return None


class Conductor:
    def __init__(
        self,
        lab: Lab,
        lang: str = "en",
        progress: Progress | None = None,
        exercise_progress: Path | None = None,
        cert_dir: Path | None = None,
        login_delay: float = 1.0,
    ) -> None:
        self.lab = lab
        self.view: View = NullView()
        self.t: Translator = translator(lang)
        self.feed = Feed(self.t.language)
        self.coach = Coach(self, progress or Progress(None), exercise_progress)
        self.cert_dir = cert_dir or (lab.bundled.cert.cert.parent if lab.bundled is not None else Path("."))
        self.login_delay = login_delay
        self.busy = False
        self.account = SEED_ACCOUNT
        self._named = False
        """Whether the server accepted the last command, a USER: its PASS is due."""
        self._last: tuple[str, bool] = ("", False)
        """The verb of the last line sent and whether the server said yes (for the next SMTP step)."""
        self._subjects = SubjectCache()
        self._fed = 0
        """How many of the lab's lines the annotator has seen."""
        self._drain_lock = asyncio.Lock()
        self._lab_lock = asyncio.Lock()
        self._mailbox_due = False
        self._tasks: set[asyncio.Task[None]] = set()
        self._unsubscribe: Callable[[], None] | None = None
        lab.listeners.append(self._lines_arrived)

    # ---- life ---------------------------------------------------------------------------------------------

    async def start(self) -> None:
        bundled = self.lab.bundled
        if bundled is not None:
            await bundled.start()
            self._unsubscribe = bundled.subscribe(self._server_event)
        await self.connect()

    async def stop(self) -> None:
        self.view = NullView()
        await self.coach.stop_exercise(reconnect=False)
        await self.lab.drop()
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self.lab.bundled is not None:
            await self.lab.bundled.stop()

    @property
    def settled(self) -> bool:
        """Nothing under way: no command waiting for its reply, no line waiting for the annotator."""
        pending = self._fed < len(self.lab.lines)
        return not (self.busy or pending or self._lab_lock.locked() or self._drain_lock.locked() or self._tasks)

    def where(self) -> str:
        if self.coach.practice is not None:
            return self.t(texts.EXERCISE_SERVER)
        if self.lab.target is not None:
            return self.lab.endpoint.label  # another server's POP3 or SMTP side: host:port
        return self.t(texts.BUNDLED_SMTP) if self.lab.smtp else self.t(texts.BUNDLED)

    # ---- the transcript -----------------------------------------------------------------------------------

    def _lines_arrived(self) -> None:
        if not self._drain_lock.locked():
            self._spawn(self.drain())

    async def drain(self) -> None:
        """Annotate every pending line, :data:`BATCH` at a time, handing each batch's entries to the view. Large
        batches are annotated in a thread, so keys and redraws go on while a multi-megabyte body is summarised."""
        async with self._drain_lock:
            while self._fed < len(self.lab.lines):
                batch = self.lab.lines[self._fed : self._fed + BATCH]
                self._fed += len(batch)
                if len(batch) >= IN_THREAD:
                    new = await asyncio.to_thread(self._annotate, batch)
                else:
                    new = self._annotate(batch)
                self.view.add_items(new)

    def _annotate(self, batch: list[Line]) -> list[Item]:
        new: list[Item] = []
        for line in batch:
            new.extend(self.feed.add(transcript_line(line)))
        return new

    async def note(self, text: str, severity: str = "info", detail: str = "", **values: object) -> None:
        await self.drain()
        self.view.add_items([self.feed.note(text, severity, detail, **values)])

    async def relanguage(self, lang: str) -> list[Item]:
        """The transcript annotated anew in ``lang`` (in a thread: a long transcript takes a moment)."""
        self.t = translator(lang)
        async with self._drain_lock:
            return await asyncio.to_thread(self.feed.relanguage, self.t.language)

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ---- the connection -----------------------------------------------------------------------------------

    async def connect(self) -> bool:
        async with self._lab_lock:
            await self.lab.drop()
            await self.drain()
            self._named, self._last = False, ("", False)
            where = self.lab.endpoint.label if self.lab.target is not None else texts.THE_BUNDLED
            where = texts.THE_BUNDLED_SMTP if self.lab.smtp and self.lab.target is None else where
            await self.note(texts.CONNECTING, where=where, security=texts.SECURITY[self.lab.endpoint.security])
            try:
                await self.lab.connect()
            except SessionError as problem:
                await self.note(texts.CONNECT_FAILED, "error", reason=str(problem))
                self._changed()
                return False
            await self._note_certificate(False)
            self._changed()
            return True

    async def send(self, line: str) -> ServerReply | SmtpReply | None:
        """Send one line as typed; the reply, or None when it could not be sent (the reason is noted) or when it
        was a line of an SMTP mail's data (no reply until the final dot)."""
        async with self._lab_lock:
            self.busy = True
            self.view.status_changed()
            was_tls = self.lab.tls
            try:
                reply = await self.lab.send(line)
                self._named = reply is not None and reply.ok is True and _verb(line) == "USER"
                self._last = (_verb(line), reply is not None and reply.ok is True)
                self._follow_recipient(line)
            except SessionError as problem:
                await self.note(texts.SEND_FAILED, "error", reason=str(problem))
                return None
            finally:
                self.busy = False
                self._changed()
            await self.drain()
            await self._note_certificate(was_tls)
        self.coach.command(line, reply)
        return reply

    def before_login(self) -> bool:
        """The learner's session is open and not logged in yet: a POP3 server shows no mailbox then."""
        return not self.lab.closed and self.lab.state is State.AUTHORIZATION

    def _follow_recipient(self, line: str) -> None:
        """In SMTP mode the mailbox pane follows the last accepted recipient: the mail lands there at the dot."""
        verb, accepted = self._last
        start, end = line.find("<"), line.rfind(">")
        bundled = self.lab.bundled
        if self.lab.smtp and verb == "RCPT" and accepted and bundled is not None and 0 <= start < end:
            address = line[start + 1 : end].strip()
            if bundled.store.account(address) is not None:
                self.account = address

    def next_command(self) -> str | None:
        """A command that works in the session's state now, to suggest (None: the connection is closed)."""
        state = self.lab.state
        if self.lab.smtp and not self.lab.closed:
            return smtp_next(*self._last, in_data=self.lab.in_data)
        if self.lab.closed or state is None:
            return None
        if state is State.TRANSACTION:
            return "STAT"
        if self._named:
            return "PASS …"
        practice = self.coach.practice
        account = practice.running.account if practice is not None else SEED_ACCOUNT
        return f"USER {account}" if self.lab.target is None or practice is not None else "CAPA"

    async def _note_certificate(self, was_tls: bool) -> None:
        """After a TLS handshake (implicit TLS, or STLS just now): which certificate the server showed."""
        session = self.lab.session
        if session is not None and session.tls and not was_tls and session.certificate is not None:
            await self.note(texts.CERTIFICATE, summary=session.certificate.summary())

    async def drop(self) -> None:
        async with self._lab_lock:
            await self.lab.drop()
            await self.drain()
        self._changed()
        self.coach.action("drop")

    async def reconnect(self) -> None:
        if await self.connect():
            self.coach.action("reconnect")

    async def toggle_protocol(self) -> None:
        """POP3 ↔ SMTP: the next connection goes to the server's other side (the bundled server's, or the SMTP
        port given with another server's), which delivers into the same mailboxes."""
        lab = self.lab
        if not lab.can_use_smtp:
            await self.note(texts.SMTP_UNAVAILABLE, "warning")
            return
        lab.protocol = "pop3" if lab.smtp else "smtp"
        await self.note(texts.PROTOCOL_NEXT, protocol=lab.protocol.upper())
        if await self.connect():
            self.coach.action(lab.protocol)

    async def toggle_tls(self) -> None:
        if not self.lab.can_toggle_tls:
            await self.note(texts.TLS_UNAVAILABLE, "warning")
            return
        security = self.lab.toggle_tls()
        await self.note(texts.TLS_NEXT, security=texts.SECURITY[security])
        if await self.connect() and security != "plain":
            self.coach.action("tls")

    async def reset(self) -> None:
        bundled = self.lab.bundled
        if bundled is None:
            await self.note(texts.RESET_UNAVAILABLE, "warning")
            return
        async with self._lab_lock:
            await self.lab.drop()
            bundled.reset()
        self._subjects = SubjectCache()
        await self.note(texts.RESET_DONE)
        await self.connect()

    async def apop(self, user: str, secret: str) -> str | None:
        """The APOP command line for ``user`` with the digest of the greeting's timestamp and ``secret``."""
        session = self.lab.session
        text = session.greeting.text if session is not None and session.greeting is not None else ""
        start, end = text.find("<"), text.find(">", text.find("<"))
        if start < 0 or end < 0:
            await self.note(texts.DIGEST_UNAVAILABLE, "warning")
            return None
        timestamp = text[start : end + 1]
        digest = apop_digest(timestamp, secret)
        await self.note(texts.DIGEST, timestamp=timestamp, digest=digest)
        return f"APOP {user} {digest}"

    async def sasl_plain(self, user: str, password: str) -> str:
        """The ``AUTH PLAIN`` line for ``user``: base64 of NUL, the name, NUL, the password (RFC 4616 §2) — for
        POP3 (RFC 5034) and SMTP (RFC 4954) alike; the note says that base64 hides nothing."""
        token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode("ascii")
        await self.note(texts.PLAIN_TOKEN, user=user)
        return f"AUTH PLAIN {token}"

    def _changed(self) -> None:
        self.view.status_changed()
        self.refresh_mailbox()

    # ---- the server-side mailbox --------------------------------------------------------------------------

    def _server_event(self, event: ServerEvent) -> None:
        """Called by the bundled server (in this loop) for every line and session event."""
        self.server_changed()

    def server_changed(self) -> None:
        """Something happened on a server the tutor watches: redraw the mailbox once, soon."""
        if not self._mailbox_due:
            self._mailbox_due = True
            asyncio.get_running_loop().call_soon(self.refresh_mailbox)

    def forget_account(self) -> None:
        """Show the seed account (or the exercise's) until the learner names another."""
        practice = self.coach.practice
        self.account = practice.running.account if practice is not None else SEED_ACCOUNT

    def refresh_mailbox(self) -> None:
        self._mailbox_due = False
        self.view.mailbox_changed(self.mailbox())

    def mailbox(self) -> Mailbox | None:
        if self.coach.practice is not None:
            return self.coach.practice.mailbox()
        bundled = self.lab.bundled
        if bundled is None or self.lab.target is not None:
            return None
        account = peer_account(bundled.server, self.lab.local_address())
        if account and bundled.store.account(account) is not None:
            self.account = account
        return read_mailbox(bundled.server, bundled.store, self.account, self._subjects)

    # ---- export -------------------------------------------------------------------------------------------

    def export(self, path: Path, kind: str, redact: bool = True) -> Path:
        """Write the transcript as a handout (passwords hidden unless ``redact`` is False)."""
        return write_transcript(self.lab.transcript, path, kind, redact, self.t.language)


SMTP_STEP = {
    "EHLO": "EHLO learner.example",
    "MAIL": "MAIL FROM:<wiki@example.com>",
    "RCPT": "RCPT TO:<bob@example.com>",
    "DATA": "DATA",
}
SMTP_AFTER = {"": "EHLO", "EHLO": "MAIL", "HELO": "MAIL", "MAIL": "RCPT", "RCPT": "DATA"}


def smtp_next(verb: str, accepted: bool, in_data: bool) -> str:
    """The next step of sending a mail by hand — EHLO, MAIL FROM, RCPT TO, DATA, the mail and its dot, QUIT —
    or the same step again when the server said no."""
    if in_data:
        return "Subject: Hello Bob  (then an empty line, the text, and a line with only a dot)"
    step = SMTP_AFTER.get(verb, "QUIT") if accepted or not verb else ("EHLO" if verb == "HELO" else verb)
    return SMTP_STEP.get(step, "QUIT")


def _verb(line: str) -> str:
    words = line.split()
    return words[0].upper() if words else ""


def write_transcript(transcript: Transcript, path: Path, kind: str, redact: bool = True, lang: str = "en") -> Path:
    """Write ``transcript`` as ``kind`` (one of :data:`FORMATS`): the annotated HTML or Markdown handout in
    ``lang``, the lossless JSON, or a pcap file for Wireshark."""
    content = handout.export(transcript, kind, lang, redact)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path
