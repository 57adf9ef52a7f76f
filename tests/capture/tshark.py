"""Reading pcap files with tshark: the POP lines Wireshark's dissector decodes, for comparison with a transcript."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from poplab.transcript import Transcript, split_lines

TSHARK = shutil.which("tshark")
needs_tshark = pytest.mark.skipif(TSHARK is None, reason="tshark is not installed (.ci/run installs it)")
FIELDS = ["pop.request.command", "pop.request.parameter", "pop.response.indicator", "pop.response.description"]


def pop_lines(pcap: Path, *options: str) -> list[str]:
    """Each POP request or response tshark decodes, as ``C: VERB ARG`` / ``S: +OK text``."""
    assert TSHARK is not None
    command = [TSHARK, "-n", "-r", str(pcap), *options, "-Y", "pop", "-T", "fields", "-E", "separator=\t"]
    for field in FIELDS:
        command += ["-e", field]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout
    lines = []
    for row in out.splitlines():
        verb, argument, indicator, description = (row.split("\t") + [""] * 4)[:4]
        if verb:
            lines.append(f"C: {verb} {argument}".rstrip())
        elif indicator:
            lines.append(f"S: {indicator} {description}".rstrip())
    return lines


def status_lines(transcript: Transcript) -> list[str]:
    """The transcript's commands and status lines (bodies left out: tshark shows them as data, not as POP lines)."""
    out, body = [], False
    pieces = [(line, piece) for line in transcript for piece in (split_lines(line.raw) or [b""])]
    for line, piece in pieces:
        text = piece.decode("utf-8", "replace").rstrip("\r\n")
        if line.closed:
            body = False
        elif line.direction == "C":
            out.append(f"C: {text}".rstrip())
        elif body:
            body = text != "."
        elif text.startswith(("+OK", "-ERR")):
            out.append(f"S: {text}")
            body = text.startswith("+OK") and _multiline(out)
    return out


def _multiline(out: list[str]) -> bool:
    commands = [line for line in out if line.startswith("C: ")]
    words = commands[-1].split()[1:] if commands else []
    verb = words[0].upper() if words else ""
    return verb in ("CAPA", "RETR", "TOP") or (verb in ("LIST", "UIDL") and len(words) == 1)
