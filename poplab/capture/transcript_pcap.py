"""A transcript as a pcap file: one TCP connection per session in it (a new one after each close), each run of
lines one side sent at the same moment as one write, times from the transcript (or a millisecond apart when it
has none). Without known addresses the client is 192.0.2.10 and the server 192.0.2.110 on port 110 (RFC 5737
documentation addresses; POP3's port, so Wireshark decodes POP without being told)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from poplab.capture.tcp_flow import Endpoint, PcapSink, Side, TcpFlow
from poplab.transcript import TranscriptLine

CLIENT = Endpoint("192.0.2.10", 49152)
SERVER = Endpoint("192.0.2.110", 110)
START = 1767225600.0
"""2026-01-01 00:00 UTC: the time of a transcript that has no times."""


def transcript_pcap(lines: Iterable[TranscriptLine], client: Endpoint = CLIENT, server: Endpoint = SERVER) -> bytes:
    """The pcap file's bytes. Lines read under TLS are written as their plaintext (the transcript has no TLS
    records): the file shows what the annotator saw, not what an eavesdropper would (``serve --capture`` does)."""
    out = io.BytesIO()
    sink = PcapSink(out)
    flow: TcpFlow | None = None
    port = client.port
    for side, payload, time, closing in _writes(lines):
        if flow is None or flow.closed:
            flow = TcpFlow(sink, Endpoint(client.host, port), server)
            port = port + 1 if port < 65535 else CLIENT.port
        if closing:  # the transcript's end of a connection: that side's FIN, then the other's
            flow.close(side, time)
            flow.close("S" if side == "C" else "C", time)
        else:
            flow.data(side, payload, time)
    return out.getvalue()


def _writes(lines: Iterable[TranscriptLine]) -> list[tuple[Side, bytes, float, bool]]:
    """Runs of lines from one side with the same time, joined (a server's reply is usually one write)."""
    writes: list[tuple[Side, bytes, float, bool]] = []
    clock = START
    for line in lines:
        clock = line.time if line.time > clock else clock + 0.001
        side: Side = line.direction
        last = writes[-1] if writes else None
        if line.closed:
            writes.append((side, b"", clock, True))
        elif last is not None and not last[3] and last[0] == side and line.time and last[2] == line.time:
            writes[-1] = (side, last[1] + line.raw, last[2], False)
        else:
            writes.append((side, line.raw, clock, False))
    return writes
