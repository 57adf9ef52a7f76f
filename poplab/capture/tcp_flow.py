"""A believable TCP connection, packet by packet, for a pcap file: the three-way handshake, data segments with
their sequence and acknowledgement numbers (cut at the MSS), and the FIN/ACK close — over IPv4 or IPv6 in
Ethernet frames. The packet structures come from dpkt; checksums are filled in by it."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import BinaryIO, Literal

import dpkt

Side = Literal["C", "S"]
MSS = 1460
CLIENT_MAC = bytes.fromhex("020000000001")
SERVER_MAC = bytes.fromhex("020000000002")
WINDOW = 65535


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int

    def packed(self) -> bytes:
        address = ipaddress.ip_address(self.host.split("%")[0])
        mapped = getattr(address, "ipv4_mapped", None)
        return (mapped or address).packed


class PcapSink:
    """A pcap file (Ethernet link type, microsecond times) written packet by packet, each flushed at once so the
    file is readable while a session runs and after a crash."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.writer = dpkt.pcap.Writer(stream, linktype=dpkt.pcap.DLT_EN10MB)

    def write(self, frame: bytes, time: float) -> None:
        self.writer.writepkt(frame, ts=time)
        self.stream.flush()


class TcpFlow:
    """One TCP connection between ``client`` and ``server``; every call writes the packets it means to ``sink``."""

    def __init__(self, sink: PcapSink, client: Endpoint, server: Endpoint, isn: tuple[int, int] = (1000, 5000)) -> None:
        self.sink = sink
        self.ends = {"C": client, "S": server}
        self.next_seq = {"C": isn[0], "S": isn[1]}
        self.fin = {"C": False, "S": False}
        self.opened = False
        ip4 = len(client.packed()) == 4 and len(server.packed()) == 4  # IPv4-mapped IPv6 counts as IPv4
        self.family = socket.AF_INET if ip4 else socket.AF_INET6
        self.mss = MSS if self.family == socket.AF_INET else MSS - 20

    @property
    def closed(self) -> bool:
        return self.fin["C"] and self.fin["S"]

    def handshake(self, time: float) -> None:
        if self.opened:
            return
        self.opened = True
        mss = dpkt.tcp.TCP_OPT_MSS.to_bytes(1, "big") + b"\x04" + self.mss.to_bytes(2, "big")
        self._send("C", dpkt.tcp.TH_SYN, b"", time, ack=False, opts=mss)
        self._send("S", dpkt.tcp.TH_SYN | dpkt.tcp.TH_ACK, b"", time, opts=mss)
        self._send("C", dpkt.tcp.TH_ACK, b"", time)

    def data(self, side: Side, payload: bytes, time: float) -> None:
        """``payload`` as ``side`` wrote it: one segment per MSS, PSH on the last, each acknowledging the peer."""
        self.handshake(time)
        for start in range(0, len(payload), self.mss):
            piece = payload[start : start + self.mss]
            last = start + self.mss >= len(payload)
            flags = dpkt.tcp.TH_ACK | (dpkt.tcp.TH_PUSH if last else 0)
            self._send(side, flags, piece, time)

    def close(self, side: Side, time: float) -> None:
        """``side`` closes: its FIN, and the peer's ACK of it."""
        if self.fin[side]:
            return
        self.handshake(time)
        self._send(side, dpkt.tcp.TH_FIN | dpkt.tcp.TH_ACK, b"", time)
        self.fin[side] = True
        self._send("S" if side == "C" else "C", dpkt.tcp.TH_ACK, b"", time)

    def _send(self, side: Side, flags: int, payload: bytes, time: float, ack: bool = True, opts: bytes = b"") -> None:
        peer: Side = "S" if side == "C" else "C"
        tcp = dpkt.tcp.TCP(
            sport=self.ends[side].port,
            dport=self.ends[peer].port,
            seq=self.next_seq[side] & 0xFFFFFFFF,
            ack=(self.next_seq[peer] & 0xFFFFFFFF) if ack else 0,
            flags=flags,
            win=WINDOW,
            opts=opts,
            data=payload,
        )
        tcp.off = (20 + len(opts)) // 4
        self.next_seq[side] += len(payload) + (1 if flags & (dpkt.tcp.TH_SYN | dpkt.tcp.TH_FIN) else 0)
        self.sink.write(self._frame(side, peer, tcp), time)

    def _frame(self, side: Side, peer: Side, tcp: dpkt.tcp.TCP) -> bytes:
        src, dst = self.ends[side].packed(), self.ends[peer].packed()
        if self.family == socket.AF_INET6:
            src, dst = _ipv6(src), _ipv6(dst)
        ip: dpkt.Packet
        if self.family == socket.AF_INET:
            ip = dpkt.ip.IP(src=src, dst=dst, p=dpkt.ip.IP_PROTO_TCP, ttl=64, data=tcp)
            ip.len = 20 + len(bytes(tcp))
            kind = dpkt.ethernet.ETH_TYPE_IP
        else:
            ip = dpkt.ip6.IP6(src=src, dst=dst, nxt=dpkt.ip.IP_PROTO_TCP, hlim=64, data=tcp)
            ip.plen = len(bytes(tcp))
            kind = dpkt.ethernet.ETH_TYPE_IP6
        macs = (CLIENT_MAC, SERVER_MAC) if side == "C" else (SERVER_MAC, CLIENT_MAC)
        return bytes(dpkt.ethernet.Ethernet(src=macs[0], dst=macs[1], type=kind, data=ip))


def _ipv6(packed: bytes) -> bytes:
    """An address as 16 bytes (an IPv4 address as IPv4-mapped IPv6)."""
    return packed if len(packed) == 16 else b"\0" * 10 + b"\xff\xff" + packed
