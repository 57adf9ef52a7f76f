"""One proxied session: the learner's client on one side, the POP3 server on the other, every line relayed as
it arrives and recorded as the client sent or received it.

The proxy follows the exchange with the core's client tracker (the same one the annotator and the learner's
client use), so it knows which reply answers which command. It changes exactly two things, both about TLS,
which it terminates on each side: STLS from the client is answered by the proxy itself, and CAPA lists STLS
exactly when the proxy can do TLS with this client (:mod:`poplab.proxy.capa`). Either side may disconnect at any
point; the other is then closed, and nothing else is affected.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from poplab.protocol.client import ClientConnection, ServerReply, describe
from poplab.protocol.states import State
from poplab.proxy import capa, texts, upstream
from poplab.proxy.body import StreamedBody
from poplab.proxy.events import Note, Relayed, SessionEnded, SessionStarted
from poplab.proxy.leg import Leg
from poplab.proxy.settings import BODY_RECORD, MAX_CAPA_BYTES, MAX_CAPA_LINES, MAX_LINE, SESSION_RECORD
from poplab.transcript import Direction, Transcript, TranscriptLine, split_lines

if TYPE_CHECKING:
    from poplab.proxy.app import ProxyServer


class ProxySession:
    def __init__(self, proxy: ProxyServer, number: int) -> None:
        self.proxy = proxy
        self.settings = proxy.settings
        self.number = number
        self.client = Leg(self._client_data, self._client_lost, self._client_made)
        self.upstream = Leg(self._upstream_data, self._upstream_lost)
        self.client.other, self.upstream.other = self.upstream, self.client
        self.tracker = ClientConnection()
        self.transcript = Transcript()
        self.handshake = upstream.Handshake()
        self.relaying = False
        self.ended = False
        self._from_client = bytearray()
        self._from_upstream = bytearray()
        self._capa: list[bytes] | None = None
        self._capa_size = 0
        self._body: StreamedBody | None = None
        self._record_budget = SESSION_RECORD
        self._greeting_due: asyncio.TimerHandle | None = None
        self._held = False
        self._overflow = False
        self._backlogged = False
        self._handshaking = False
        self._tasks: set[asyncio.Task[None]] = set()

    # ---- start --------------------------------------------------------------------------------------------

    def _client_made(self) -> None:
        transport = self.client.transport
        peer = transport.get_extra_info("peername") if transport is not None else None
        client = f"{peer[0]}:{peer[1]}" if peer else "?"
        up = self.settings.upstream
        self.proxy.publish(SessionStarted(self.number, client, up.address))
        security = texts.SECURITY[up.security]
        self._note(texts.STARTED, client=client, upstream=up.address, security=security)
        self._spawn(self._open())

    async def _open(self) -> None:
        up = self.settings.upstream
        try:
            notes = await asyncio.wait_for(
                upstream.connect(up, self.upstream, self.handshake), self.settings.connect_timeout
            )
        except (upstream.UpstreamError, TimeoutError, OSError, ssl.SSLError) as problem:
            self._unreachable(upstream.reason(problem))
            return
        if self.ended:
            self.upstream.close()
            return
        for message, values in notes:
            self.proxy.publish(Note(self.number, message, tuple(values.items())))
        if self.handshake.overlong:
            self._cut_upstream(texts.UPSTREAM_OVERLONG_LINE, texts.OVERLONG_LINE, limit=str(MAX_LINE))
            return
        self.relaying = True
        self._greeting_due = asyncio.get_running_loop().call_later(self.settings.greeting_timeout, self._no_greeting)
        early, self.handshake.buffer = bytes(self.handshake.buffer), bytearray()
        self._upstream_data(early)
        if self.upstream.lost:  # it sent what it had and went away while the proxy was still connecting
            self._upstream_gone()
            return
        self._pump_client()

    def _no_greeting(self) -> None:
        if not self.ended and not self.tracker.greeted:
            seconds = f"{self.settings.greeting_timeout:g}"
            self._cut_upstream(texts.UPSTREAM_NO_GREETING, texts.NO_GREETING, seconds=seconds)

    def _unreachable(self, reason: str) -> None:
        address = self.settings.upstream.address
        self._note(texts.UPSTREAM_FAILED, warning=True, upstream=address, reason=reason)
        if not self.client.lost:
            self._to_client(texts.UNREACHABLE.format(upstream=address, reason=reason).encode("utf-8"))
            self._mark_closed("S")
            self.client.close()
        self.upstream.close()
        self._end()

    # ---- client → server ----------------------------------------------------------------------------------

    def _client_data(self, data: bytes) -> None:
        self._from_client += data
        self._pump_client()

    def _pump_client(self) -> None:
        buffer = self._from_client
        while self.relaying and not self._held and not self.ended and buffer:
            end = buffer.find(b"\n")
            if end < 0 and len(buffer) < MAX_LINE:
                break
            cut = end + 1 if end >= 0 else len(buffer)
            line = bytes(buffer[:cut])
            del buffer[:cut]
            self._client_line(line)
        if len(buffer) >= MAX_LINE and not self._backlogged:
            self._backlogged = True  # read no more from the client until the backlog is relayed
            self.client.pause_reading()
        elif self._backlogged and len(buffer) < MAX_LINE:
            self._backlogged = False
            self.client.resume_reading()

    def _client_line(self, line: bytes) -> None:
        complete = line.endswith(b"\n")
        if self._overflow or not complete:  # the pieces of an overlong line: the server answers it once
            self._to_upstream(line, track=not self._overflow)
            self._overflow = not complete
            return
        if not self.tracker.in_sasl and describe(line, self.tracker.state).verb == "STLS":
            if self.tracker.pending:  # answer in order: after the replies still due from the server
                self._from_client[:0] = line
                self._held = True
                return
            self._local_stls(line)
            return
        self._to_upstream(line, track=True)

    def _to_upstream(self, line: bytes, track: bool) -> None:
        self._record("C", line)
        if track:
            self.tracker.send(line)
        self.upstream.write(line)

    def _local_stls(self, line: bytes) -> None:
        self._record("C", line)
        can_offer = self.settings.client_stls is not None
        answer = capa.answer_stls(self.tracker.state, self.client.tls, can_offer)
        if answer.start_tls and self._from_client:
            self._pipelined_after_stls()
        self._to_client(answer.reply)
        if answer.note is not None:
            self._note(answer.note)
        if answer.start_tls:
            self._from_client.clear()  # plain text pipelined after STLS must not be read (RFC 2595 §4)
            self.client.switching = True  # ... nor what arrives before the handshake starts
            self._held = self._handshaking = True
            self._spawn(self._client_handshake())

    def _pipelined_after_stls(self) -> None:
        """The client sent more after STLS before the +OK arrived (in the same write, or soon after): recorded as
        it arrived, before the +OK, so the transcript shows it; never relayed (CVE-2011-0411)."""
        lines = split_lines(bytes(self._from_client))
        for line in lines:
            self._record("C", line)
        self._note(texts.CLIENT_PIPELINED_AFTER_STLS, warning=True, count=str(len(lines)))

    async def _client_handshake(self) -> None:
        context = self.settings.client_stls
        assert context is not None
        try:
            await self.client.start_tls(context, server_side=True)
        except (OSError, ssl.SSLError, ConnectionError, TimeoutError) as problem:
            self._note(texts.CLIENT_TLS_FAILED, warning=True, reason=upstream.reason(problem))
            self.client.abort()
            return
        self._held = self._handshaking = False
        self._pump_client()

    # ---- server → client ----------------------------------------------------------------------------------

    def _upstream_data(self, data: bytes) -> None:
        if not self.relaying:
            self.handshake.data(data)
            return
        self._from_upstream += data
        self._pump_upstream()

    def _pump_upstream(self) -> None:
        """Status lines are read a line at a time (at most MAX_LINE bytes); a multi-line body is relayed as it
        arrives, whatever its lines."""
        buffer = self._from_upstream
        while buffer and not self.ended:
            if self._body is not None:
                self._body_data()
                continue
            end = buffer.find(b"\n", 0, MAX_LINE)
            if end < 0:
                if len(buffer) >= MAX_LINE:
                    self._cut_upstream(texts.UPSTREAM_OVERLONG_LINE, texts.OVERLONG_LINE, limit=str(MAX_LINE))
                return
            line = bytes(buffer[: end + 1])
            del buffer[: end + 1]
            self._server_line(line)

    def _server_line(self, line: bytes) -> None:
        pending = self.tracker.pending
        starts_capa = self.tracker.greeted and bool(pending) and pending[0].verb == "CAPA"
        if self._capa is not None or starts_capa:
            self._capa_line(line)
            return
        replies = self.tracker.receive_data(line)
        self._to_client(line)
        if replies:
            self._replied()
        else:  # the +OK of a multi-line reply: its body follows
            self._body = StreamedBody(min(BODY_RECORD, self._record_budget))

    def _body_data(self) -> None:
        body, buffer = self._body, self._from_upstream
        assert body is not None
        data = bytes(buffer)
        used, lines = body.feed(data)
        del buffer[:used]
        self.client.write(data[:used] if used < len(data) else data)
        for line in lines:
            self._record("S", line)
        if body.done:
            self._body = None
            self._body_ended(body)

    def _body_ended(self, body: StreamedBody) -> None:
        self._record_budget = max(0, self._record_budget - body.kept)
        if body.omitted:
            self._note(texts.BODY_NOT_RECORDED, size=str(body.size), kept=str(body.kept))
        if body.done and self.tracker.receive_data(b".\r\n"):  # the tracker needs the end, not the body
            self._replied()

    def _capa_line(self, line: bytes) -> None:
        """A CAPA reply is read whole (and bounded) before the client gets it, rewritten."""
        capa_lines = self._capa if self._capa is not None else []
        self._capa = capa_lines
        capa_lines.append(line)
        self._capa_size += len(line)
        replies = self.tracker.receive_data(line)
        if replies:
            self._capa, self._capa_size = None, 0
            self._relay_capa(replies[0])
            self._replied()
        elif len(capa_lines) > MAX_CAPA_LINES or self._capa_size > MAX_CAPA_BYTES:
            values = {"lines": str(MAX_CAPA_LINES), "limit": str(MAX_CAPA_BYTES)}
            self._cut_upstream(texts.UPSTREAM_OVERLONG_CAPA, texts.OVERLONG_CAPA, **values)

    def _replied(self) -> None:
        if self._held and not self.tracker.pending and not self._handshaking:
            self._held = False
            self._pump_client()

    def _cut_upstream(self, note: str, reply: str, **values: str) -> None:
        """The server sent what the proxy will not hold: it is cut off, and the client told in one line."""
        self._from_upstream.clear()
        self._capa, self._capa_size = None, 0
        self._note(note, warning=True, upstream=self.settings.upstream.address, **values)
        self._to_client(reply.encode("utf-8"))
        self._mark_closed("S")
        self.client.close()
        self.upstream.abort()
        self._end()

    def _relay_capa(self, reply: ServerReply) -> None:
        can_offer = self.settings.client_stls is not None and not self.client.tls
        offer = can_offer and reply.state_after is State.AUTHORIZATION
        rewritten = capa.rewrite_capa(reply, offer, self.client.tls)
        for line in rewritten.lines:
            self._to_client(line)
        if rewritten.note is not None:
            self._note(rewritten.note)

    def _to_client(self, line: bytes) -> None:
        self._record("S", line)
        self.client.write(line)

    # ---- the end ------------------------------------------------------------------------------------------

    def _client_lost(self) -> None:
        self._mark_closed("C")
        self.upstream.close()
        self.cancel()  # connecting to the server, or a TLS handshake: no one is waiting for them any more
        self._end()

    def _upstream_lost(self) -> None:
        if not self.relaying:
            self.handshake.gone()
            return
        self._upstream_gone()

    def _upstream_gone(self) -> None:
        if self.ended:
            return
        rest, self._from_upstream = bytes(self._from_upstream), bytearray()
        for line in [*(self._capa or []), *([rest] if rest else [])]:
            self._to_client(line)  # what the server sent before it went away, as it was
        self._capa = None
        if self._body is not None:  # cut off in the middle of a body
            self._body_ended(self._body)
            self._body = None
        self._mark_closed("S")
        self.client.close()
        self._end()

    def _mark_closed(self, side: Direction) -> None:
        if not self.transcript.lines or not self.transcript.lines[-1].closed:
            self._record(side, b"")

    def _end(self) -> None:
        if self.ended:
            return
        self.ended = True
        if self._greeting_due is not None:
            self._greeting_due.cancel()
        self.proxy.publish(SessionEnded(self.number, self.transcript))
        self.proxy.forget(self)

    def shutdown(self) -> list[asyncio.Task[None]]:
        """The proxy stops: cut both sides (the server deletes nothing without QUIT); the tasks to wait for."""
        self.client.abort()
        self.upstream.abort()
        return self.cancel()

    def cancel(self) -> list[asyncio.Task[None]]:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        return tasks

    # ---- recording ----------------------------------------------------------------------------------------

    def _record(self, direction: Direction, raw: bytes) -> None:
        line = TranscriptLine(direction, raw, time.time(), self.client.tls)
        self.transcript.append(line)
        self.proxy.publish(Relayed(self.number, line))

    def _note(self, message: str, *, warning: bool = False, **values: str) -> None:
        self.proxy.publish(Note(self.number, message, tuple(values.items()), warning))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
