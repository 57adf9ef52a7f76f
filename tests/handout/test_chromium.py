"""The seed session's HTML handout in a real browser: headless Chromium prints it to at most 3 pages, and the
rendered page holds both diagrams (the DOM after rendering, and a screenshot that is not blank where they are)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from poplab import handout
from tests.handout.sessions import seed

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = f"--user-data-dir={tmp_path / 'profile'}"
    return subprocess.run([CHROMIUM, *FLAGS, profile, *args], capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("handout") / "seed.html"
    path.write_text(str(handout.export(seed(), "html", "en")), encoding="utf-8")
    return path


def pdf_pages(data: bytes) -> int:
    """Pages of a PDF: pdfinfo if there, else the /Type /Page objects (Chromium's PDFs compress no page dicts)."""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout
        return int(re.search(rb"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def test_printed_to_pdf_it_is_at_most_three_pages(page: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "seed.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    pages = pdf_pages(pdf.read_bytes())
    assert 1 <= pages <= 3


def test_the_rendered_page_shows_the_diagrams(page: Path, tmp_path: Path) -> None:
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    sequence = re.search(r'<svg[^>]*class="poplab-sequence".*?</svg>', dom, re.S)
    states = re.search(r'<svg[^>]*class="poplab-states".*?</svg>', dom, re.S)
    assert sequence is not None and states is not None
    assert sequence.group().count('class="arrow') == 15 and "USER wiki@example.com" in sequence.group()
    shot = tmp_path / "seed.png"
    chromium(tmp_path, "--window-size=800,1000", "--hide-scrollbars", f"--screenshot={shot}", page.as_uri())
    rows = png_rows(shot.read_bytes(), 600)
    diagram = rows[130:600]  # where the sequence diagram is drawn: arrows in blue and black, the state bands
    colours = {row[i : i + 3] for row in diagram for i in range(0, len(row) - 3, 3)}
    assert len(colours) > 50  # not a blank area
    assert any(b"\x05\x50\xae" in row for row in diagram)  # the client's arrows (#0550ae)


def png_rows(data: bytes, limit: int) -> list[bytes]:
    """The first ``limit`` RGB rows of an 8-bit RGB or RGBA PNG (what Chromium writes), without a library."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = height = channels = 0
    idat = b""
    position = 8
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
            channels = {2: 3, 6: 4}[body[9]]
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    raw, stride = zlib.decompress(idat), width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(min(height, limit)):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        previous = line
        rows.append(bytes(line[i] for i in range(stride) if channels == 3 or i % 4 != 3))
    return rows
