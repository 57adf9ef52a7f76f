"""RFC reference objects: one place that says where each rule comes from.

The state table, the limits, the server's replies and the annotator's links all point at these objects, so
the learner sees the same section the code was written from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RfcRef:
    """A section of an RFC, with a title and a link a learner can follow."""

    rfc: int
    section: str
    title: str

    @property
    def url(self) -> str:
        anchor = f"#section-{self.section}" if self.section else ""
        return f"https://www.rfc-editor.org/rfc/rfc{self.rfc}{anchor}"

    def __str__(self) -> str:
        return f"RFC {self.rfc} §{self.section}" if self.section else f"RFC {self.rfc}"


# RFC 1939 — Post Office Protocol, Version 3
BASIC_OPERATION = RfcRef(1939, "3", "Basic Operation")
GREETING = RfcRef(1939, "4", "The AUTHORIZATION State")
LOCKING = RfcRef(1939, "4", "The AUTHORIZATION State: the exclusive-access lock")
QUIT_AUTH = RfcRef(1939, "4", "The AUTHORIZATION State: QUIT")
TRANSACTION = RfcRef(1939, "5", "The TRANSACTION State")
STAT = RfcRef(1939, "5", "STAT")
LIST = RfcRef(1939, "5", "LIST")
RETR = RfcRef(1939, "5", "RETR")
DELE = RfcRef(1939, "5", "DELE")
NOOP = RfcRef(1939, "5", "NOOP")
RSET = RfcRef(1939, "5", "RSET")
UPDATE = RfcRef(1939, "6", "The UPDATE State")
USER = RfcRef(1939, "7", "USER name")
PASS = RfcRef(1939, "7", "PASS string")
APOP = RfcRef(1939, "7", "APOP name digest")
TOP = RfcRef(1939, "7", "TOP msg n")
UIDL = RfcRef(1939, "7", "UIDL [msg]")
SIZES = RfcRef(1939, "11", "Message Format")
ARGUMENT_LENGTH = RfcRef(1939, "3", "Basic Operation: arguments of up to 40 characters")
# RFC 2449 — POP3 Extension Mechanism
CAPA = RfcRef(2449, "5", "The CAPA Command")
LINE_LENGTH = RfcRef(2449, "4", "Parameter and Response Lengths")
RESP_CODES = RfcRef(2449, "8", "Extended POP3 Response Codes")
LOGIN_DELAY = RfcRef(2449, "8.1.1", "The LOGIN-DELAY response code")
IN_USE = RfcRef(2449, "8.1.2", "The IN-USE response code")
PIPELINING = RfcRef(2449, "6.6", "PIPELINING capability")
# RFC 2595 — Using TLS with IMAP, POP3 and ACAP
STLS = RfcRef(2595, "4", "POP3 STARTTLS extension")
CLEARTEXT_PASSWORD = RfcRef(2595, "2.3", "Clear-text password requirements")
# RFC 3206 — The SYS and AUTH POP Response Codes
SYS_AUTH_CODES = RfcRef(3206, "", "The SYS and AUTH POP Response Codes")
# RFC 5034 — The POP3 SASL Authentication Mechanism
AUTH = RfcRef(5034, "4", "The AUTH Command")
# RFC 4616 — PLAIN; RFC 2195 — CRAM-MD5
SASL_PLAIN = RfcRef(4616, "2", "PLAIN SASL Mechanism")
SASL_CRAM_MD5 = RfcRef(2195, "2", "Challenge-Response Authentication Mechanism")
# RFC 8314 — Cleartext Considered Obsolete
IMPLICIT_TLS = RfcRef(8314, "3.1", "Implicit TLS for POP")
PREFER_IMPLICIT_TLS = RfcRef(8314, "3", "Implicit TLS")
# RFC 6856 — POP3 Support for UTF-8
UTF8 = RfcRef(6856, "2", "The UTF8 Capability")
LANG = RfcRef(6856, "3", "The LANG Capability")
