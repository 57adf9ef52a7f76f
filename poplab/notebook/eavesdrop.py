"""An eavesdropper for lesson 05: a relay on a free loopback port between a client and the lab's server that
records every chunk of bytes in both directions, exactly as someone on the network path would see them — the
clear-text password of a plain session, and nothing readable once TLS is on. It runs on the learner session's
background loop, so it needs no thread of its own."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Protocol

from poplab.client import background
from poplab.i18n import translator
from poplab.notebook import render as r
from poplab.notebook import texts
from poplab.notebook.raw import visible

CHUNK = 65536
PREVIEW = 24


class Speaks(Protocol):
    @property
    def lang(self) -> str: ...


@dataclass(frozen=True)
class Capture:
    """One chunk that crossed the wire: ``to_server`` True for client → server."""

    to_server: bool
    data: bytes

    @property
    def readable(self) -> bool:
        """Text an eavesdropper can read as it is (ASCII/UTF-8 lines), not TLS records."""
        try:
            text = self.data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return all(c.isprintable() or c in "\r\n\t" for c in text)


class Eavesdropper:
    """``tap = lab.eavesdropper()``; ``lab.session(..., via=tap)``; then ``tap`` shows what it saw."""

    def __init__(self, place: Speaks, host: str, port: int, tls: bool) -> None:
        self.place = place
        self.target = (host, port)
        self.tls = tls
        self.captures: list[Capture] = []
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def lang(self) -> str:
        return self.place.lang

    def start(self) -> Eavesdropper:
        background.run(self._start())
        return self

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            self._writers.discard(writer)
            return
        self._writers.add(up_writer)
        await asyncio.gather(self._pump(reader, up_writer, True), self._pump(up_reader, writer, False))

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, to_server: bool) -> None:
        try:
            while data := await reader.read(CHUNK):
                self.captures.append(Capture(to_server, data))
                writer.write(data)
                await writer.drain()
        except OSError:
            return  # the other side went away: the relay ends like the connection it carried
        finally:
            writer.close()
            self._writers.discard(writer)

    def close(self) -> None:
        """Stop listening and cut what is still relayed."""
        if self._server is not None:
            background.run(self._close())
            self._server = None

    async def _close(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        for writer in list(self._writers):
            with contextlib.suppress(OSError, ConnectionError):
                await writer.wait_closed()
        await self._server.wait_closed()

    # ---- what it saw ----------------------------------------------------------------------------------

    def sent(self, to_server: bool = True) -> bytes:
        """Every byte one direction carried, joined."""
        return b"".join(c.data for c in self.captures if c.to_server is to_server)

    def saw(self, text: str | bytes) -> bool:
        """Whether these bytes crossed the wire readably, in either direction."""
        needle = text.encode("utf-8") if isinstance(text, str) else text
        return needle in self.sent(True) or needle in self.sent(False)

    def _rows(self) -> list[tuple[str, str]]:
        t = translator(self.lang)
        rows = []
        for c in self.captures:
            side = t(texts.TAP_TO_SERVER if c.to_server else texts.TAP_TO_CLIENT)
            if c.readable:
                shown = "\n".join("".join(visible(line)) for line in c.data.splitlines(keepends=True))
            else:
                shown = t(texts.TAP_ENCRYPTED, octets=len(c.data)) + "\n" + c.data[:PREVIEW].hex(" ") + " …"
            rows.append((side, shown))
        return rows

    def _repr_html_(self) -> str:
        t = translator(self.lang)
        rows = [(r.esc(side), r.code(shown)) for side, shown in self._rows()]
        if not rows:
            return r.box(r.muted(t(texts.TAP_EMPTY)), "eavesdropper")
        return r.box(r.table(["", ""], rows, t(texts.TAP_TITLE, port=self.port)), "eavesdropper")

    def __repr__(self) -> str:
        t = translator(self.lang)
        rows = [f"{side}: {shown}" for side, shown in self._rows()]
        return "\n".join([t(texts.TAP_TITLE, port=self.port), *(rows or [t(texts.TAP_EMPTY)])])
