"""The proxy's live view for a terminal: every proxied line explained as it happens (the annotator fed line by
line, its annotations rendered as text), the proxy's own notes, and each session's transcript saved when the
session ends (passwords redacted unless told otherwise): as JSON, or as whatever ``export`` makes of it — the
command line hands in the annotated handout of the file's suffix (this package may not import the handouts).
Sessions running side by side are told apart by a heading each time the output switches from one to another."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

from poplab.annotate import Annotation, Annotator, render_annotation
from poplab.i18n import N_, Translator, translator
from poplab.proxy import texts
from poplab.proxy.events import Note, ProxyEvent, Relayed, SessionEnded, SessionStarted
from poplab.transcript import Transcript

HEADING = N_("── session {number}: {client} → {upstream} ──")
NOTE_PREFIX = N_("proxy: ")
_DIM, _YELLOW, _RESET = "\x1b[2m", "\x1b[33m", "\x1b[0m"

Export: TypeAlias = Callable[[Transcript, str, bool], "str | bytes"]
"""(transcript, language, redact) → the file's content: text, or bytes (a pcap)."""


def json_export(transcript: Transcript, lang: str, redact: bool) -> str:
    """The lossless JSON form (the default; the language does not matter to it)."""
    return transcript.to_json(redact=redact)


def save_path(base: Path, number: int) -> Path:
    """Where session ``number`` is saved: ``base`` for the first, ``base-2.json`` and so on after it."""
    return base if number == 1 else base.with_name(f"{base.stem}-{number}{base.suffix or '.json'}")


class LiveView:
    """An observer for :meth:`ProxyServer.subscribe <poplab.proxy.app.ProxyServer.subscribe>` that writes text."""

    def __init__(
        self,
        write: Callable[[str], None],
        lang: str | None = None,
        *,
        color: bool = False,
        long: bool = False,
        save: Path | None = None,
        redact: bool = True,
        export: Export = json_export,
    ) -> None:
        self.write = write
        self.t: Translator = translator(lang)
        self.color = color
        self.long = long
        self.save = save
        self.redact = redact
        self.export = export
        self.saved: list[Path] = []
        self._annotators: dict[int, Annotator] = {}
        self._headings: dict[int, str] = {}
        self._current: int | None = None

    def __call__(self, event: ProxyEvent) -> None:
        if isinstance(event, SessionStarted):
            self._annotators[event.session] = Annotator(self.t.language)
            self._headings[event.session] = self.t(
                HEADING, number=event.session, client=event.client, upstream=event.upstream
            )
        elif isinstance(event, Relayed):
            annotator = self._annotators.get(event.session)
            if annotator is not None:
                self._show(event.session, annotator.feed(event.line))
        elif isinstance(event, Note):
            self._note(event)
        else:
            self._ended(event)

    def _show(self, session: int, annotations: list[Annotation]) -> None:
        if not annotations:
            return
        self._switch(session)
        for annotation in annotations:
            self.write(render_annotation(annotation, self.t.language, self.long, self.color) + "\n")

    def _switch(self, session: int) -> None:
        if self._current != session:
            self._current = session
            heading = self._headings.get(session, "")
            self.write((f"{_DIM}{heading}{_RESET}" if self.color else heading) + "\n\n")

    def _note(self, event: Note) -> None:
        self._switch(event.session)
        values = {name: self.t(value) for name, value in event.values}  # some values are texts, too
        text = self.t(NOTE_PREFIX) + self.t(event.message, **values)
        if self.color:
            text = f"{_YELLOW if event.warning else _DIM}{text}{_RESET}"
        self.write(f"{text}\n\n")

    def _ended(self, event: SessionEnded) -> None:
        annotator = self._annotators.pop(event.session, None)
        if annotator is not None:
            self._show(event.session, annotator.finish())
        if self.save is not None:
            self._save(event.session, event.transcript)

    def _save(self, session: int, transcript: Transcript) -> None:
        assert self.save is not None
        path = save_path(self.save, session)
        content = self.export(transcript, self.t.language, self.redact)
        try:
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        except OSError as problem:
            self._note(Note(session, N_("Could not save the transcript to {path}: {reason}"), _values(path, problem)))
            return
        self.saved.append(path)
        redaction = texts.REDACTED if self.redact else texts.NOT_REDACTED
        self._note(Note(session, texts.SAVED, (("path", str(path)), ("redaction", self.t(redaction)))))


def _values(path: Path, problem: OSError) -> tuple[tuple[str, str], ...]:
    return (("path", str(path)), ("reason", problem.strerror or str(problem)))
