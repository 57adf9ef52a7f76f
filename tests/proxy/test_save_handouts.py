"""``poplab proxy --save FILE``: each session saved as the handout its suffix names — the annotated HTML or
Markdown in the proxy's language (read back by the handout reader to the same lines), the lossless JSON, a pcap
dpkt reads as one TCP connection — passwords redacted unless ``--no-redact``; an unknown suffix is one line."""

from __future__ import annotations

import json
import signal
import socket
from pathlib import Path

import dpkt
import pytest

from poplab import handout
from poplab.annotate import annotate
from poplab.client import Session
from poplab.commands.common import CliError
from poplab.commands.proxy import save_export
from poplab.proxy import LiveView
from poplab.server.runner import ServerThread
from poplab.transcript import Transcript
from tests.handout.test_html import Page, flat
from tests.proxy.test_cli import read_until, start
from tests.proxy.test_live import SESSION, play

LINES = ("USER wiki@example.com", "PASS passwort_im_klartext", "STAT", "QUIT")


def saved(tmp_path: Path, name: str, lang: str = "en", redact: bool = True) -> tuple[Path, list[str]]:
    out: list[str] = []
    view = LiveView(out.append, lang, save=tmp_path / name, redact=redact, export=save_export(tmp_path / name))
    play(view, 1, SESSION)
    return tmp_path / name, out


@pytest.mark.parametrize("lang", ["en", "de"])
def test_html_holds_every_annotation_in_the_proxys_language(tmp_path: Path, lang: str) -> None:
    path, out = saved(tmp_path, "s.html", lang)
    page = Page(path.read_text(encoding="utf-8"))
    for a in annotate(Transcript(SESSION).redacted(), lang):
        for text in (a.summary, a.detail, *(finding.text for finding in a.findings)):
            assert flat(text) in page.joined, text
    assert page.tags.count("svg") == 2 and "secret" not in page.joined
    assert "PASS [redacted]" in page.joined
    assert out[-1].endswith(
        f"{path} (passwords redacted).\n\n" if lang == "en" else f"{path} (Passwörter geschwärzt).\n\n"
    )


def test_markdown_reads_back_to_the_sessions_lines(tmp_path: Path) -> None:
    path, _ = saved(tmp_path, "s.md", "de")
    text = path.read_text(encoding="utf-8")
    back = handout.read_markdown(text)
    assert [line.raw for line in back] == [line.raw for line in Transcript(SESSION).redacted()]
    assert [a.summary for a in annotate(back, "de")] == [
        a.summary for a in annotate(Transcript(SESSION).redacted(), "de")
    ]
    assert "secret" not in text


def test_pcap_is_one_tcp_connection_with_the_sessions_bytes(tmp_path: Path) -> None:
    path, _ = saved(tmp_path, "s.pcap", redact=False)
    with path.open("rb") as stream:
        packets = [dpkt.ethernet.Ethernet(frame).data.data for _, frame in dpkt.pcap.Reader(stream)]
    flags = [tcp.flags for tcp in packets]
    assert flags[0] == dpkt.tcp.TH_SYN and flags[1] == dpkt.tcp.TH_SYN | dpkt.tcp.TH_ACK
    sent = b"".join(tcp.data for tcp in packets if tcp.dport == 110)
    received = b"".join(tcp.data for tcp in packets if tcp.sport == 110)
    assert sent == b"USER ann\r\nPASS secret\r\nQUIT\r\n"  # --no-redact: the password as it was typed
    assert received == b"+OK ready\r\n+OK\r\n+OK in\r\n+OK bye\r\n"
    assert sum(bool(tcp.flags & dpkt.tcp.TH_FIN) for tcp in packets) == 2


def test_json_and_no_suffix_stay_lossless(tmp_path: Path) -> None:
    for name in ("s.json", "s"):
        path, _ = saved(tmp_path, name)
        lines = json.loads(path.read_text(encoding="utf-8"))["lines"]
        assert [line["text"] for line in lines][:4] == [
            "+OK ready\r\n",
            "USER ann\r\n",
            "+OK\r\n",
            "PASS [redacted]\r\n",
        ]


def test_every_save_is_the_same_file_again_and_an_unknown_suffix_is_one_line(tmp_path: Path) -> None:
    first, _ = saved(tmp_path, "s.html")
    content = first.read_bytes()
    assert saved(tmp_path, "s.html")[0].read_bytes() == content
    with pytest.raises(CliError, match=r"--save .*s\.txt: use a name ending in \.html, \.md, \.json or \.pcap"):
        save_export(tmp_path / "s.txt")


def test_the_command_saves_the_german_handout_of_what_passed(server: ServerThread, tmp_path: Path) -> None:
    target = tmp_path / "sitzung.html"
    process, port = start("--upstream", f"127.0.0.1:{server.port}", "--save", str(target), "--lang", "de")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.recv(100)
            for line in LINES:  # one at a time, as a client waits for each reply
                sock.sendall(f"{line}\r\n".encode())
                sock.recv(100)
        output = read_until(process, f"{target} (Pass")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(20)
    page = Page(target.read_text(encoding="utf-8"))
    direct = Session.connect("127.0.0.1", server.port, "plain", timeout=10)  # the same talk without the proxy
    for line in ("USER wiki@example.com", "PASS passwort_im_klartext", "STAT", "QUIT"):
        direct.send(line)
    for a in annotate(Transcript(direct.lines).redacted(), "de"):
        assert flat(a.summary) in page.joined, a.summary
    assert "C: PASS [redacted]" in output and "passwort_im_klartext" not in page.joined
    assert "PASS [redacted]" in page.joined and page.tags.count("svg") == 2
