"""Captures: transcripts and live sessions as pcap files Wireshark reads, and TLS key logs that let it decrypt
them. The packet structures come from dpkt."""

from __future__ import annotations

from poplab.capture.tcp_flow import Endpoint, PcapSink, TcpFlow
from poplab.capture.transcript_pcap import transcript_pcap

__all__ = ["Endpoint", "PcapSink", "TcpFlow", "transcript_pcap"]
