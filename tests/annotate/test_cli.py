"""``poplab annotate FILE``: the annotated transcript on stdout, one clear error line for a bad file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from poplab.annotate import annotate, render
from poplab.cli import main
from poplab.commands.annotate import use_color
from poplab.transcript import Transcript

SESSION = "S: +OK ready\nC: USER alice\nS: +OK\nC: PASS secret\nS: +OK in\nC: RETR 0\nS: -ERR no\n"


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "session.json"
    path.write_text(Transcript.from_text(SESSION).to_json(redact=False), encoding="utf-8")
    return path


def test_prints_the_annotated_transcript(saved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["annotate", str(saved), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out == render(annotate(Transcript.from_text(SESSION)), "en")
    assert "\x1b[" not in out and "secret" not in out
    assert "  4  C: PASS [redacted]\n" in out
    assert "     hint: Message numbers start at 1.\n" in out


def test_german_and_long(saved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["annotate", str(saved), "--lang", "de", "--long", "--no-color"]) == 0
    out = capsys.readouterr().out
    assert out == render(annotate(Transcript.from_text(SESSION), "de"), "de", long=True)
    assert "     Tipp: Nachrichtennummern beginnen bei 1.\n" in out
    assert "https://www.rfc-editor.org/rfc/rfc1939#section-5" in out


def test_language_from_the_environment(
    saved: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POPLAB_LANG", "de")
    assert main(["annotate", str(saved)]) == 0
    assert "Befehl · AUTHORIZATION" in capsys.readouterr().out


def test_text_form_files_work_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dovecot.txt"
    path.write_text(SESSION, encoding="utf-8")
    assert main(["annotate", str(path), "--lang", "en"]) == 0
    assert capsys.readouterr().out == render(annotate(Transcript.from_text(SESSION)), "en")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "poplab: error: cannot read {path}: No such file or directory\n"),
        (b"{oops", "poplab: error: {path} is not a POP3 transcript: not valid JSON: "),
        (b"hello\n", "poplab: error: {path} is not a POP3 transcript: line 1: expected 'C: ...' or 'S: ...'"),
        (b"\xff\xfe", "poplab: error: {path} is not a POP3 transcript: not UTF-8 text\n"),
    ],
)
def test_a_bad_file_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, expected: str
) -> None:
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_bytes(content)
    assert main(["annotate", str(path), "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(expected.format(path=path))
    assert captured.err.count("\n") == 1


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colours_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(False, Terminal()) and not use_color(True, Terminal()) and not use_color(False, io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(False, Terminal())
    coloured = render(annotate(Transcript.from_text(SESSION)), "en", color=True)
    assert "\x1b[1;36mC: USER alice\x1b[0m" in coloured and "\x1b[1;31mS: -ERR no\x1b[0m" in coloured


def test_to_html_on_stdout_and_markdown_files_read_back(
    saved: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["annotate", str(saved), "--to", "html", "--lang", "en"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>") and "Message numbers start at 1." in page and "secret" not in page
    plain = tmp_path / "plain.md"
    plain.write_text(Transcript.from_text(SESSION).to_markdown(redact=False), encoding="utf-8")
    assert main(["annotate", str(plain), "--lang", "en"]) == 0
    assert capsys.readouterr().out == render(annotate(Transcript.from_text(SESSION)), "en")


def test_a_pcap_is_not_written_to_a_terminal(
    saved: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdout", Terminal())
    assert main(["annotate", str(saved), "--to", "pcap", "--lang", "en"]) == 2
    assert "a pcap file is binary: write it with -o FILE.pcap" in capsys.readouterr().err
