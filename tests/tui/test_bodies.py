"""Multi-line bodies in the transcript: short ones open, a 3 MB message collapsed to one summary line that opens
and closes with Enter; raw bytes shown with ␍␊ and the stuffing dots marked."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from poplab.annotate.model import Annotation
from poplab.tui.entries import body_counts, is_body
from poplab.tui.widgets.detail import DetailPane
from poplab.tui.widgets.transcript import TranscriptView
from tests.tui.conftest import MakeApp
from tests.tui.helpers import lines_of, mailbox_rows, screen_text, settle, started, type_line, wire_lines


def body(app: object) -> tuple[int, Annotation]:
    view = app.main.query_one(TranscriptView)  # type: ignore[attr-defined]
    found = [(n, item) for n, item in enumerate(view.items) if is_body(item)]
    return found[-1]


async def test_a_3_mb_message_is_one_collapsed_line_that_opens(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot, app)
        for line in ("USER dave@example.com", "PASS bigfiles", "RETR 2"):
            await type_line(pilot, app, line)
        index, message = body(app)
        assert message.line_count == 39230 and message.octets == 3058556
        screen = list(lines_of(screen_text(app)))
        summary = "S: ▸ 39229 lines, 3058553 octets (the size LIST gives) — Enter or click to open"
        assert summary in screen
        assert "   Message 2: 39229 lines, 3058553 octets." in screen
        view = app.main.query_one(TranscriptView)
        view.focus()
        view.highlighted = index
        await pilot.press("enter")
        await settle(pilot, app)
        assert index in view.opened
        screen = list(lines_of(screen_text(app)))
        assert "S: ▾ 39229 lines, 3058553 octets (the size LIST gives) — Enter or click to close" in screen
        assert "S: Date: Wed, 10 Jan 2024 16:20:00 +0100" in screen
        assert view.get_option_at_index(index).prompt.get_height(view.styles, 96) == 400 + 1 + 1 + 1
        await pilot.press("enter")
        await settle(pilot, app)
        assert index not in view.opened


async def test_raw_bytes_show_line_ends_and_stuffing_dots(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        for line in ("USER alice@example.com", "PASS wonderland", "TOP 3 6"):
            await type_line(pilot, app, line)
        index, _ = body(app)
        view = app.main.query_one(TranscriptView)
        view.highlighted = index
        await pilot.pause()
        content = app.main.query_one(DetailPane).query_one("#detail-text", Static).content
        assert isinstance(content, Content)
        raw_lines = content.plain.splitlines()
        assert "Subject: Lines that begin with a dot␍␊" in raw_lines
        assert raw_lines[-3:] == ["..␍␊", "The next line is two dots:␍␊", ".␍␊"]
        stuffed = content.plain.rindex("\n..␍␊") + 1
        assert [span.style for span in content.spans if span.start == stuffed] == ["reverse $warning"]
        await pilot.press("f3")
        await pilot.pause()
        rows = [row[:70].rstrip(" ▏") for row in lines_of(screen_text(app))]
        assert "C: TOP 3 6␍␊" in rows
        assert "S: ..␍␊" in rows


async def test_one_count_everywhere_for_a_stuffed_and_a_3_mb_message(make_app: MakeApp) -> None:
    """The transcript's summary line, the annotator's sentence, LIST and the mailbox pane give the same lines and
    octets: content lines without the final dot, the size without stuffing dots (RFC 1939 §11)."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        for line in ("USER alice@example.com", "PASS wonderland", "LIST 3", "RETR 3"):
            await type_line(pilot, app, line)
        _, message = body(app)
        lines, octets = body_counts(message.raw)
        assert message.raw.count(b"\r\n..") >= 1  # the message has stuffed lines: the wire is longer
        assert message.octets == octets + message.raw.count(b"\r\n..") + 3
        assert wire_lines(app)[-len(message.raw.splitlines()) - 3] == f"S: +OK 3 {octets}"
        assert f"   Message 3: {lines} lines, {octets} octets." in screen_text(app)
        assert mailbox_rows(app)[2][:3] == ("3", "", str(octets))
        for line in ("QUIT", "/reconnect", "USER dave@example.com", "PASS bigfiles", "LIST 2", "RETR 2"):
            await type_line(pilot, app, line)
        _, message = body(app)
        assert body_counts(message.raw) == (39229, 3058553)
        assert "S: +OK 2 3058553" in wire_lines(app)
        assert mailbox_rows(app)[1][:3] == ("2", "", "3058553")


async def test_a_long_listing_is_summarised_without_claiming_a_list_size(make_app: MakeApp) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot, app)
        for line in ("USER alice@example.com", "PASS wonderland", "LIST"):
            await type_line(pilot, app, line)
        index, _ = body(app)
        view = app.main.query_one(TranscriptView)
        view.toggle(index)  # close the short listing: its summary line shows
        await settle(pilot, app)
        assert "S: ▸ 6 lines, 44 octets — Enter or click to open " in screen_text(app)
