"""``poplab talk --save FILE``: the session, when it ends, saved as the handout its suffix names — the annotated
HTML or Markdown in the talk's language (the Markdown read back to the same annotations), JSON, a pcap of one TCP
connection — passwords redacted unless ``--show-passwords``; a wrong suffix is one line before anything starts."""

from __future__ import annotations

from pathlib import Path

import dpkt
import pytest

from poplab import handout
from poplab.annotate import annotate
from poplab.transcript import Transcript
from tests.cli.test_talk_and_admin import poplab
from tests.handout.test_html import Page, flat

SCRIPT = "USER wiki@example.com\nPASS passwort_im_klartext\nSTAT\nRETR 1\nQUIT\n"


def talk(path: Path, *options: str) -> str:
    result = poplab("talk", "--save", str(path), *options, stdin=SCRIPT)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Transcript:
    """The scripted session as talk saved it in JSON (passwords kept): what the other formats are compared to."""
    path = tmp_path_factory.mktemp("talk") / "session.json"
    out = talk(path, "--lang", "en", "--show-passwords")
    assert out.endswith(f"poplab: the session is saved to {path}, passwords NOT redacted.\n")
    transcript = Transcript.from_json(path.read_bytes())
    assert [line.raw for line in transcript][:4] == [
        b"+OK example.com POP3-Server\r\n",
        b"USER wiki@example.com\r\n",
        b"+OK Please enter password\r\n",
        b"PASS passwort_im_klartext\r\n",
    ]
    return transcript


def test_html_holds_every_annotation_and_no_password(session: Transcript, tmp_path: Path) -> None:
    path = tmp_path / "session.html"
    out = talk(path, "--lang", "en")
    assert out.endswith(f"poplab: the session is saved to {path}, passwords redacted.\n")
    page = Page(path.read_text(encoding="utf-8"))
    for a in annotate(session.redacted(), "en"):
        for text in (a.summary, a.detail, *(finding.text for finding in a.findings)):
            assert flat(text) in page.joined, text
    assert "passwort_im_klartext" not in path.read_text(encoding="utf-8")
    assert page.tags.count("svg") == 2 and "PASS [redacted]" in page.joined


def test_german_markdown_reads_back_to_the_same_annotations(session: Transcript, tmp_path: Path) -> None:
    path = tmp_path / "sitzung.md"
    out = talk(path, "--lang", "de")
    assert out.endswith(f"poplab: Die Sitzung ist in {path} gespeichert, Passwörter geschwärzt.\n")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# POP3-Sitzung\n") and "passwort_im_klartext" not in text
    back = handout.read_markdown(text)
    assert [line.raw for line in back] == [line.raw for line in session.redacted()]
    assert [a.summary for a in annotate(back, "de")] == [a.summary for a in annotate(session.redacted(), "de")]


def test_pcap_carries_the_sessions_bytes(session: Transcript, tmp_path: Path) -> None:
    path = tmp_path / "session.pcap"
    talk(path, "--show-passwords")
    with path.open("rb") as stream:
        segments = [dpkt.ethernet.Ethernet(frame).data.data for _, frame in dpkt.pcap.Reader(stream)]
    assert segments[0].flags == dpkt.tcp.TH_SYN and segments[0].dport == 110
    sent = b"".join(tcp.data for tcp in segments if tcp.dport == 110)
    assert sent == b"".join(line.raw for line in session if line.direction == "C")
    received = b"".join(tcp.data for tcp in segments if tcp.sport == 110)
    assert received == b"".join(line.raw for line in session if line.direction == "S")


def test_a_wrong_suffix_is_one_line_and_no_session(tmp_path: Path) -> None:
    result = poplab("talk", "--save", str(tmp_path / "session.txt"), stdin=SCRIPT)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        f"poplab: error: --save {tmp_path / 'session.txt'}: use a name ending in .html, .md, .json or .pcap\n"
    )
    assert not (tmp_path / "session.txt").exists()


def test_an_unwritable_place_is_one_line(tmp_path: Path) -> None:
    result = poplab("talk", "--save", str(tmp_path / "missing" / "s.json"), stdin="QUIT\n")
    assert result.returncode == 2
    assert result.stderr.startswith(f"poplab: error: cannot write {tmp_path / 'missing' / 's.json'}: ")
    assert "QUIT" in result.stdout
