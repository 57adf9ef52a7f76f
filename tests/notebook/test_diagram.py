"""The sequence diagram in the notebook: the transcript view shows it (SVG) above nothing hidden, ``diagram()``
gives it on its own (SVG in the notebook, text in ``repr``, with the state diagram), an exchange draws only its
own arrows; passwords stay redacted, -ERR is red, the labels are in the lab's language; handouts by suffix."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from pathlib import Path

import dpkt
import pytest

from poplab import handout
from poplab.notebook import Lab

SVG = "{http://www.w3.org/2000/svg}"


def svgs(html: str) -> list[ET.Element]:
    """Every ``<svg>`` element in the HTML, parsed as XML (so each is well-formed on its own)."""
    found = []
    for piece in html.split("<svg")[1:]:
        found.append(ET.fromstring("<svg" + piece.split("</svg>")[0] + "</svg>"))
    return found


def arrows(svg: ET.Element) -> list[tuple[str, str]]:
    """(label, colour) of every arrow, in order (the label is the text drawn after each arrow's line)."""
    out, children = [], list(svg)
    for line, text in itertools.pairwise(children):
        if line.tag == f"{SVG}line" and "arrow" in line.get("class", ""):
            out.append((text.text or "", line.get("stroke", "")))
    return out


def test_the_transcript_view_shows_the_sequence_diagram(lab: Lab) -> None:
    s = lab.session("wiki@example.com")
    s.send("STAT")
    s.send("RETR 9")
    html = s.transcript._repr_html_()
    assert html.count("<svg") == 1 and "<details open><summary>Sequence diagram</summary><svg" in html
    (svg,) = svgs(html)
    assert arrows(svg) == [
        ("+OK example.com POP3-Server", "#1f2328"),
        ("USER wiki@example.com", "#0550ae"),
        ("+OK Please enter password", "#1f2328"),
        ("PASS [redacted]", "#0550ae"),
        ("+OK mailbox locked and ready", "#1f2328"),
        ("STAT", "#0550ae"),
        ("+OK 1 236", "#1f2328"),
        ("RETR 9", "#0550ae"),
        ("-ERR no such message, only 1 message in maildrop", "#cf222e"),
    ]
    assert "passwort_im_klartext" not in ET.tostring(svg, encoding="unicode")
    bands = [text.text for text in svg.iter(f"{SVG}text") if text.get("font-size") == "10"]
    assert bands == ["AUTHORIZATION", "TRANSACTION"]


def test_diagram_alone_svg_for_the_notebook_text_for_repr(lab_de: Lab, tmp_path: Path) -> None:
    s = lab_de.session("wiki@example.com")
    s.send("LIST")
    s.quit()
    diagram = s.transcript.diagram()
    html = diagram._repr_html_()
    assert [svg.get("class") for svg in svgs(html)] == ["poplab-sequence", "poplab-states"]
    assert "<b>Sequenzdiagramm</b>" in html and "<b>Zustandsdiagramm</b>" in html
    labels = [label for label, _ in arrows(svgs(html)[0])]
    assert labels[5:] == ["LIST", "+OK mailbox has 1 messages (236 octets) (3 Zeilen)", "QUIT", "+OK bye"]
    text = repr(diagram).splitlines()
    assert text[0].startswith("Client") and text[0].endswith("Server") and len(text[0]) == 100
    assert [line for line in text if line.startswith("[")] == ["[AUTHORIZATION]", "[TRANSACTION]", "[UPDATE]"]
    assert "Der Weg dieser Sitzung: Verbindungsaufbau → AUTHORIZATION (USER, PASS) → TRANSACTION (LIST, QUIT)" in (
        repr(diagram)
    )
    saved = diagram.save(tmp_path / "session.svg")
    root = ET.parse(saved).getroot()
    assert root.tag == f"{SVG}svg" and root.get("class") == "poplab-sequence"


def test_an_exchange_draws_only_its_own_arrows(lab: Lab) -> None:
    s = lab.session("wiki@example.com")
    wrong = s.send("DELE 7")
    diagram = wrong.diagram()
    (svg,) = svgs(diagram._repr_html_())
    assert arrows(svg) == [("DELE 7", "#0550ae"), ("-ERR no such message, only 1 message in maildrop", "#cf222e")]
    assert repr(diagram).splitlines()[1:] == [
        "[TRANSACTION]",
        "│ DELE 7 " + "─" * 89 + "▶│",
        "│◀" + "─" * 45 + " ✗ -ERR no such message, only 1 message in maildrop │",
    ]


def test_the_tls_switch_is_on_the_diagram(lab: Lab) -> None:
    s = lab.session(tls="stls")
    s.send("CAPA")
    (svg,) = svgs(s.transcript._repr_html_())
    marked = [text.text for text in svg.iter(f"{SVG}text") if text.get("class") == "tls"]
    assert marked == ["TLS starts: from here on everything is encrypted"]


@pytest.mark.parametrize("lang", ["en", "de"])
def test_handouts_by_suffix_in_the_labs_language(lang: str, tmp_path: Path) -> None:
    with Lab(lang=lang) as lab:
        s = lab.session("wiki@example.com")
        s.send("STAT")
        s.quit()
        view = s.transcript
        page = view.handout(tmp_path / "s.html").read_text(encoding="utf-8")
        assert page.count("<svg") == 2 and "passwort_im_klartext" not in page
        assert ('<html lang="de"' in page) is (lang == "de")
        markdown = view.handout(tmp_path / "s.md").read_text(encoding="utf-8")
        assert [line.raw for line in handout.read_markdown(markdown)] == [
            line.raw for line in view.transcript.redacted()
        ]
        with view.handout(tmp_path / "s.pcap", redact=False).open("rb") as stream:
            sent = b"".join(
                segment.data
                for _, frame in dpkt.pcap.Reader(stream)
                if (segment := dpkt.ethernet.Ethernet(frame).data.data).dport == 110
            )
        assert sent == b"USER wiki@example.com\r\nPASS passwort_im_klartext\r\nSTAT\r\nQUIT\r\n"
        with pytest.raises(ValueError, match=r"unknown handout '\.txt'"):
            view.handout(tmp_path / "s.txt")
