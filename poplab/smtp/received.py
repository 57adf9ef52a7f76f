"""The ``Received:`` trace header a server puts at the top of every message it accepts (RFC 5321 §4.4), with
the transmission type of RFC 3848: ESMTP, plus S after STARTTLS and A after AUTH; SMTP after HELO."""

from __future__ import annotations

import datetime
import ipaddress
import re

_SAFE_HELO = re.compile(r"[A-Za-z0-9.:\[\]_-]{1,255}")


def received_header(
    *, helo: str | None, peer: str, hostname: str, extended: bool, tls: bool, authenticated: bool,
    message_id: str, recipient: str | None, when: datetime.datetime,
) -> bytes:  # fmt: skip
    """``Received: from HELO ([ADDRESS]) by HOSTNAME (poplab) with ESMTPSA id ID for <RCPT>; DATE``, folded
    into three lines, each ending in CRLF (as the mail data that follows)."""
    name = helo if helo and _SAFE_HELO.fullmatch(helo) else "unknown"
    protocol = ("ESMTP" if extended else "SMTP") + ("S" if tls else "") + ("A" if authenticated else "")
    recipient_part = f"\r\n\tfor <{recipient}>" if recipient else ""
    date = when.strftime("%a, %d %b %Y %H:%M:%S %z")
    text = (
        f"Received: from {name} ({address_literal(peer)})\r\n"
        f"\tby {hostname} (poplab) with {protocol} id {message_id}{recipient_part}; {date}\r\n"
    )
    return text.encode("ascii", "replace")


def address_literal(peer: str) -> str:
    """``[127.0.0.1]`` or ``[IPv6:::1]`` (RFC 5321 §4.1.3)."""
    try:
        address = ipaddress.ip_address(peer.split("%")[0])
    except ValueError:
        return "[unknown]"
    return f"[IPv6:{address}]" if address.version == 6 else f"[{address}]"
