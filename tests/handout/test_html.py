"""The HTML handout: one self-contained page holding every annotation's text, the two diagrams as inline SVG, the
raw bytes with CR LF and stuffed dots shown, passwords redacted unless asked, in English and German."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from poplab import handout
from poplab.annotate import annotate
from tests.handout.sessions import rich, seed


class Page(HTMLParser):
    """The page's text (entities resolved), its tags and the attributes that could load something."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.loads: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.loads += [f"{tag} {name}={value}" for name, value in attrs if name in ("src", "srcset", "data")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def joined(self) -> str:
        return " ".join(" ".join(self.text).split())


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("session", [seed, rich], ids=["seed", "rich"])
def test_the_page_holds_every_annotation_text(lang: str, session: object) -> None:
    transcript = session()  # type: ignore[operator]
    page = Page(str(handout.export(transcript, "html", lang)))
    for a in annotate(transcript, lang):
        texts = [a.summary, a.detail, *(finding.text for finding in a.findings)]
        if a.why is not None:
            texts += [a.why.reason, a.why.hint]
        for text in texts:
            assert flat(text) in page.joined, text
    assert "script" not in page.tags and "link" not in page.tags and not page.loads
    assert page.tags.count("svg") == 2 and page.tags.count("details") >= len(transcript) // 2


def test_raw_bytes_show_crlf_bare_lf_and_the_stuffed_dot() -> None:
    page = str(handout.export(rich(), "html", "en"))
    assert 'RETR 3<span class="eol">␍␊</span>' in page
    assert 'RETR 9<span class="eol">␊</span>' in page
    assert '<span class="stuff">.</span>.a line that starts with a dot' in page
    assert "wonderland" not in page and "PASS [redacted]" in page
    assert "wonderland" in str(handout.export(rich(), "html", "en", redact=False))


def test_err_and_tls_are_marked_in_the_diagram() -> None:
    svg = handout.sequence_svg(annotate(rich()), "en")
    assert svg.count('class="arrow err"') == 1
    assert 'class="tls"' in svg and "TLS starts" in svg
    assert 'class="closed"' in svg
    states = handout.state_svg(annotate(rich()), "en")
    assert states.count('class="state path"') == 3  # all three states were visited
    assert 'class="now"' in states  # the end: the server closed the connection


def test_print_css_and_no_dark_backgrounds() -> None:
    page = str(handout.export(seed(), "html", "en"))
    assert "@media print" in page and "break-inside:avoid" in page
    assert "background:#000" not in page and "color-scheme:light" in page


def test_export_twice_gives_the_same_page_and_an_unknown_kind_is_refused() -> None:
    assert handout.export(seed(), "html", "en") == handout.export(seed(), "html", "en")
    with pytest.raises(ValueError, match="unknown export 'pdf'"):
        handout.export(seed(), "pdf")
