"""The live view: annotations as they complete, the proxy's notes, a heading whenever the output switches to
another session, the language asked for, and each session saved when it ends."""

from __future__ import annotations

import json
from pathlib import Path

from poplab.proxy import LiveView, Note, Relayed, SessionEnded, SessionStarted, texts
from poplab.proxy.live import save_path
from poplab.transcript import Transcript, TranscriptLine


def lines(*raw: tuple[str, bytes]) -> list[TranscriptLine]:
    return [TranscriptLine(direction, data) for direction, data in raw]  # type: ignore[arg-type]


SESSION = lines(
    ("S", b"+OK ready\r\n"),
    ("C", b"USER ann\r\n"),
    ("S", b"+OK\r\n"),
    ("C", b"PASS secret\r\n"),
    ("S", b"+OK in\r\n"),
    ("C", b"QUIT\r\n"),
    ("S", b"+OK bye\r\n"),
    ("S", b""),
)


def play(view: LiveView, number: int, session: list[TranscriptLine]) -> None:
    view(SessionStarted(number, f"127.0.0.1:{4000 + number}", "pop.example.com:110"))
    for line in session:
        view(Relayed(number, line))
    view(SessionEnded(number, Transcript(session)))


def test_a_session_explained_line_by_line(tmp_path: Path) -> None:
    out: list[str] = []
    view = LiveView(out.append, "en", save=tmp_path / "s.json")
    view(SessionStarted(1, "127.0.0.1:4001", "pop.example.com:110"))
    view(Note(1, texts.STARTED, (("client", "127.0.0.1:4001"), ("upstream", "pop.example.com:110"), ("security", "x"))))
    view(Relayed(1, SESSION[0]))
    assert out == [
        "── session 1: 127.0.0.1:4001 → pop.example.com:110 ──\n\n",
        "proxy: 127.0.0.1:4001 connected: relaying to pop.example.com:110 (x).\n\n",
        "  1  S: +OK ready\n     greeting · AUTHORIZATION · RFC 1939 §4\n"
        "     The server is ready: the session begins in AUTHORIZATION.\n\n",
    ]
    for line in SESSION[1:]:
        view(Relayed(1, line))
    view(SessionEnded(1, Transcript(SESSION)))
    text = "".join(out)
    assert "  4  C: PASS [redacted]\n" in text and "secret" not in text
    assert text.endswith(f"proxy: Transcript saved to {tmp_path / 's.json'} (passwords redacted).\n\n")
    saved = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["lines"]
    assert saved[3]["text"] == "PASS [redacted]\r\n" and view.saved == [tmp_path / "s.json"]


def test_sessions_side_by_side_get_headings_and_their_own_files(tmp_path: Path) -> None:
    out: list[str] = []
    view = LiveView(out.append, "de", save=tmp_path / "s.json", redact=False)
    view(SessionStarted(1, "127.0.0.1:4001", "pop.example.com:110"))
    view(SessionStarted(2, "127.0.0.1:4002", "pop.example.com:110"))
    view(Relayed(1, SESSION[0]))
    view(Relayed(2, SESSION[0]))
    view(Relayed(1, SESSION[1]))
    headings = [block.strip() for block in out if block.startswith("──")]
    assert headings == [
        "── Sitzung 1: 127.0.0.1:4001 → pop.example.com:110 ──",
        "── Sitzung 2: 127.0.0.1:4002 → pop.example.com:110 ──",
        "── Sitzung 1: 127.0.0.1:4001 → pop.example.com:110 ──",
    ]
    play(view, 3, SESSION)
    assert view.saved == [tmp_path / "s-3.json"]
    assert json.loads((tmp_path / "s-3.json").read_text(encoding="utf-8"))["lines"][3]["text"] == "PASS secret\r\n"
    assert out[-1].startswith(f"Proxy: Mitschnitt gespeichert in {tmp_path / 's-3.json'} (Passwörter NICHT geschwärzt)")


def test_save_paths_and_a_failed_save(tmp_path: Path) -> None:
    assert save_path(Path("a/b.json"), 1) == Path("a/b.json")
    assert save_path(Path("a/b.json"), 12) == Path("a/b-12.json")
    assert save_path(Path("a/b"), 2) == Path("a/b-2.json")
    out: list[str] = []
    view = LiveView(out.append, "en", save=tmp_path / "missing" / "s.json")
    play(view, 1, SESSION)
    assert out[-1].startswith(f"proxy: Could not save the transcript to {tmp_path / 'missing' / 's.json'}: ")
    assert view.saved == []


def test_colour_for_a_terminal() -> None:
    out: list[str] = []
    view = LiveView(out.append, "en", color=True)
    view(SessionStarted(1, "c", "u"))
    view(Note(1, texts.UPSTREAM_FAILED, (("upstream", "u"), ("reason", "timed out")), warning=True))
    assert out[1] == "\x1b[33mproxy: Cannot reach u: timed out. The client got -ERR [SYS/TEMP].\x1b[0m\n\n"


def test_notes_are_translated_with_their_values() -> None:
    out: list[str] = []
    view = LiveView(out.append, "de")
    values = (("client", "127.0.0.1:4001"), ("upstream", "pop.example.com:995"), ("security", texts.SECURITY["tls"]))
    view(Note(1, texts.STARTED, values))
    assert (
        out[-1]
        == "Proxy: 127.0.0.1:4001 hat sich verbunden: Weiterleitung an pop.example.com:995 (implizites TLS).\n\n"
    )
