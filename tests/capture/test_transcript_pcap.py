"""A transcript as a pcap file: a believable TCP connection (handshake, sequence and acknowledgement numbers that
add up, FIN), and tshark's POP dissector decodes the same requests and responses as the transcript has."""

from __future__ import annotations

import io
from pathlib import Path

import dpkt
import pytest

from poplab import handout
from poplab.capture import Endpoint, transcript_pcap
from poplab.cli import main
from poplab.transcript import Transcript, TranscriptLine
from tests.capture.tshark import needs_tshark, pop_lines, status_lines
from tests.handout.sessions import seed


def segments(data: bytes) -> list[tuple[float, dpkt.tcp.TCP, bytes, bytes]]:
    out = []
    for time, frame in dpkt.pcap.Reader(io.BytesIO(data)):
        ip = dpkt.ethernet.Ethernet(frame).data
        out.append((time, ip.data, ip.src, ip.dst))
    return out


def test_a_believable_tcp_connection() -> None:
    packets = segments(transcript_pcap(seed()))
    syn, syn_ack, ack = (tcp for _, tcp, _, _ in packets[:3])
    assert syn.flags == dpkt.tcp.TH_SYN and syn_ack.flags == dpkt.tcp.TH_SYN | dpkt.tcp.TH_ACK
    assert syn_ack.ack == syn.seq + 1 and ack.ack == syn_ack.seq + 1 and ack.seq == syn.seq + 1
    sent = {110: syn_ack.seq + 1, 49152: syn.seq + 1}
    for _, tcp, _, _ in packets[3:]:
        assert tcp.seq == sent[tcp.sport], "each segment starts where the last one from that side ended"
        assert tcp.ack == sent[tcp.dport], "and acknowledges everything the peer sent"
        sent[tcp.sport] += len(tcp.data)
    payload = b"".join(tcp.data for _, tcp, _, _ in packets)
    assert payload == b"".join(line.raw for line in seed())
    times = [time for time, *_ in packets]
    assert times == sorted(times)


def test_addresses_ipv6_long_writes_and_a_second_session() -> None:
    lines = [
        TranscriptLine("S", b"+OK hi\r\n", 10.0),
        TranscriptLine("C", b"RETR 1\r\n", 11.0),
        TranscriptLine("S", b"+OK\r\n" + b"x" * 5000 + b"\r\n.\r\n", 12.0),
        TranscriptLine("C", b"", 13.0),
        TranscriptLine("S", b"+OK again\r\n", 14.0),
    ]
    data = transcript_pcap(Transcript(lines), Endpoint("2001:db8::1", 50000), Endpoint("2001:db8::2", 1110))
    packets = segments(data)
    assert all(len(tcp.data) <= 1440 for _, tcp, _, _ in packets)
    assert {tcp.dport for _, tcp, _, _ in packets if tcp.sport == 1110} == {50000, 50001}  # a new connection
    fins = [tcp for _, tcp, _, _ in packets if tcp.flags & dpkt.tcp.TH_FIN]
    assert [tcp.sport for tcp in fins] == [50000, 1110]  # the client closed first


@needs_tshark
def test_tshark_decodes_the_transcript(tmp_path: Path) -> None:
    pcap = tmp_path / "seed.pcap"
    pcap.write_bytes(bytes(handout.export(seed(), "pcap", redact=False)))
    assert pop_lines(pcap) == status_lines(seed())
    assert "C: PASS passwort_im_klartext" in pop_lines(pcap)


@needs_tshark
def test_poplab_annotate_to_pcap_redacts_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "seed.json"
    source.write_text(seed().to_json(redact=False), encoding="utf-8")
    pcap = tmp_path / "seed.pcap"
    assert main(["annotate", str(source), "--to", "pcap", "-o", str(pcap)]) == 0
    assert pop_lines(pcap) == status_lines(seed().redacted())
    assert "C: PASS [redacted]" in pop_lines(pcap)
