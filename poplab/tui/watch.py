"""The tutor's watch mode, without Textual: a source of proxied sessions (the annotating proxy, handed in by the
composition root, as the tutor may not import it) runs in the app's own event loop, and every line it reports
is annotated as it passes — one annotator per proxied session, a heading whenever the transcript turns to
another session, the proxy's own notes among the lines. Passwords are hidden in what is shown (they belong to the
learner's real account); an export keeps them only when asked. The watch screen renders what the
:class:`Watcher` reports; nothing is sent from here.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from poplab.annotate.annotator import Annotator
from poplab.annotate.model import Annotation, Kind
from poplab.protocol.states import State
from poplab.transcript import Transcript, TranscriptLine, redact_command
from poplab.tui import texts
from poplab.tui.conductor import BATCH, IN_THREAD, write_transcript
from poplab.tui.entries import Item, Note

# ---- what a source reports ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    """A mail client connected (``client``: its address) and is relayed to ``upstream``."""

    session: int
    client: str
    upstream: str


@dataclass(frozen=True)
class Passed:
    """A line as the client sent or received it."""

    session: int
    line: TranscriptLine


@dataclass(frozen=True)
class Said:
    """The source's own note: an English msgid, the values for its ``{names}``, and whether it warns."""

    session: int
    message: str
    values: tuple[tuple[str, str], ...] = ()
    warning: bool = False


@dataclass(frozen=True)
class Ended:
    session: int


WatchEvent = Opened | Passed | Said | Ended
Receive = Callable[[WatchEvent], None]


class Source(Protocol):
    """Where the sessions come from: ``start`` listens (raising :class:`OSError` when it cannot) and calls
    ``receive`` in the running loop for every event; ``listen`` is where clients connect (its real port once
    started), ``upstream`` the server they are relayed to."""

    @property
    def listen(self) -> str: ...

    @property
    def upstream(self) -> str: ...

    async def start(self, receive: Receive) -> None: ...

    async def stop(self) -> None: ...


# ---- events in, transcript items out ----------------------------------------------------------------------


@dataclass
class Watched:
    """One proxied session as seen so far."""

    number: int
    client: str
    upstream: str
    annotator: Annotator
    lines: list[TranscriptLine] = field(default_factory=list)
    ended: bool = False


class WatchLog:
    """Items in the order they are shown, the session each belongs to, and every session's lines, in one language.
    Pure: the same events give the same items, so a language switch replays them."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.items: list[Item] = []
        self.owners: list[int] = []
        """The session of each item."""
        self.sessions: dict[int, Watched] = {}
        self.current: int | None = None
        """The session of the newest item."""

    def add(self, event: WatchEvent) -> list[Item]:
        """Take one event; the items it adds (a heading first when the transcript turns to another session)."""
        start = len(self.items)
        if isinstance(event, Opened):
            self.sessions[event.session] = Watched(event.session, event.client, event.upstream, Annotator(self.lang))
            return []
        session = self.sessions.get(event.session)
        if session is None:
            return []  # the source reported a session it never opened; nothing sensible to show
        if isinstance(event, Passed):
            session.lines.append(event.line)
            self._show(session, [hide_secret(item) for item in session.annotator.feed(event.line)])
        elif isinstance(event, Said):
            note = Note(len(session.lines), event.message, event.values, "warning" if event.warning else "info")
            self._show(session, [note])
        else:
            session.ended = True
            self._show(session, session.annotator.finish())
        return self.items[start:]

    def _show(self, session: Watched, items: list[Annotation] | list[Note]) -> None:
        if not items:
            return
        if self.current != session.number:
            self.current = session.number
            values = (("number", str(session.number)), ("client", session.client), ("upstream", session.upstream))
            self.items.append(Note(len(session.lines), texts.SESSION_HEADING, values))
            self.owners.append(session.number)
        self.items.extend(items)
        self.owners.extend([session.number] * len(items))

    def status(self) -> tuple[State | None, bool, bool]:
        """The newest session's state, whether it has ended, and whether the client's side is encrypted."""
        session = self.sessions.get(self.current) if self.current is not None else None
        if session is None:
            return None, False, False
        closed = session.ended or bool(session.lines and session.lines[-1].closed)
        tls = bool(session.lines and session.lines[-1].tls)
        return session.annotator.state, closed, tls

    def session_of(self, index: int | None) -> int | None:
        """The session of the item at ``index`` (None: the newest session)."""
        if index is not None and 0 <= index < len(self.owners):
            return self.owners[index]
        return self.current


def hide_secret(annotation: Annotation) -> Annotation:
    """A client line with its password, APOP digest or SASL credential replaced by ``[redacted]``."""
    if annotation.direction != "C" or not annotation.raw:
        return annotation
    raw = redact_command(annotation.raw, annotation.kind is Kind.SASL_RESPONSE)
    return annotation if raw == annotation.raw else dataclasses.replace(annotation, raw=raw)


def replay(events: list[WatchEvent], lang: str) -> WatchLog:
    log = WatchLog(lang)
    for event in events:
        log.add(event)
    return log


# ---- the watcher ------------------------------------------------------------------------------------------


class WatchView(Protocol):
    def add_items(self, items: list[Item]) -> None: ...
    def status_changed(self) -> None: ...


class NullWatchView:
    def add_items(self, items: list[Item]) -> None:
        return None

    def status_changed(self) -> None:
        return None


class Watcher:
    """Runs the source in the app's loop and annotates what it reports, in batches, so a multi-megabyte body
    passing through never freezes the screen."""

    def __init__(self, source: Source, lang: str = "en") -> None:
        self.source = source
        self.view: WatchView = NullWatchView()
        self.log = WatchLog(lang)
        self.events: list[WatchEvent] = []
        self.failure: OSError | None = None
        """Why the source could not start (its address in use, no permission)."""
        self.started = False
        self._fed = 0
        self._due = False
        self._drain_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> bool:
        try:
            await self.source.start(self.receive)
        except OSError as problem:
            self.failure = problem
            return False
        self.started = True
        self.view.status_changed()
        return True

    async def stop(self) -> None:
        self.view = NullWatchView()
        if self.started:
            self.started = False
            await self.source.stop()

    @property
    def settled(self) -> bool:
        """Every event so far is annotated and shown."""
        return self._fed == len(self.events) and not self._drain_lock.locked() and not self._tasks

    def receive(self, event: WatchEvent) -> None:
        """Called by the source (in this loop) for every event; cheap, as a large body brings thousands."""
        self.events.append(event)
        if not self._due:
            self._due = True
            asyncio.get_running_loop().call_soon(self._announce)

    def _announce(self) -> None:
        self._due = False
        if not self._drain_lock.locked():
            self._spawn(self.drain())

    async def drain(self) -> None:
        async with self._drain_lock:
            while self._fed < len(self.events):
                batch = self.events[self._fed : self._fed + BATCH]
                self._fed += len(batch)
                new = await asyncio.to_thread(self._add, batch) if len(batch) >= IN_THREAD else self._add(batch)
                self.view.add_items(new)
                self.view.status_changed()

    def _add(self, batch: list[WatchEvent]) -> list[Item]:
        return [item for event in batch for item in self.log.add(event)]

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def relanguage(self, lang: str) -> list[Item]:
        """Every session annotated anew in ``lang`` (in a thread); the items in the same order."""
        async with self._drain_lock:
            self.log = await asyncio.to_thread(replay, self.events[: self._fed], lang)
            return list(self.log.items)

    def export(self, path: Path, kind: str, redact: bool = True, index: int | None = None) -> Path | None:
        """Write the transcript of the session of the item at ``index`` (None: the newest session); None when
        no client has connected yet."""
        number = self.log.session_of(index)
        session = self.log.sessions.get(number) if number is not None else None
        if session is None:
            return None
        return write_transcript(Transcript(session.lines), path, kind, redact, self.log.lang)
