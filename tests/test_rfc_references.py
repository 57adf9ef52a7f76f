"""Every RFC reference the lab shows or states — RfcRef objects, "RFC NNNN §X" in the code, in the lessons and in
the message catalogs — names a section that exists, checked against a small table of section titles written by
hand from the RFC texts. A few topic rules pin the sections that were once wrong (the lock is RFC 1939 §4, not
§8; the 40-character argument limit is RFC 1939 §3, not RFC 2449; POP3's implicit TLS is RFC 8314 §3.1, not §3.3,
which is Submission)."""

from __future__ import annotations

import gc
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import poplab
from poplab.protocol.rfc import RfcRef

ROOT = Path(__file__).resolve().parent.parent

SECTIONS: dict[int, dict[str, str]] = {
    1939: {  # Post Office Protocol - Version 3
        "1": "Introduction",
        "2": "A Short Digression",
        "3": "Basic Operation",
        "4": "The AUTHORIZATION State",
        "5": "The TRANSACTION State",
        "6": "The UPDATE State",
        "7": "Optional POP3 Commands",
        "8": "Scaling and Operational Considerations",
        "9": "POP3 Command Summary",
        "10": "Example POP3 Session",
        "11": "Message Format",
        "12": "References",
        "13": "Security Considerations",
        "14": "Acknowledgements",
        "15": "Authors' Addresses",
    },
    2449: {  # POP3 Extension Mechanism
        "1": "Introduction",
        "2": "Conventions Used in this Document",
        "3": "General Command and Response Grammar",
        "4": "Parameter and Response Lengths",
        "5": "The CAPA Command",
        "6": "Initial Set of Capabilities",
        "6.1": "TOP capability",
        "6.2": "USER capability",
        "6.3": "SASL capability",
        "6.4": "RESP-CODES capability",
        "6.5": "LOGIN-DELAY capability",
        "6.6": "PIPELINING capability",
        "6.7": "EXPIRE capability",
        "6.8": "UIDL capability",
        "6.9": "IMPLEMENTATION capability",
        "7": "Future Extensions to POP3",
        "8": "Extended POP3 Response Codes",
        "8.1": "Initial POP3 response codes",
        "8.1.1": "The LOGIN-DELAY response code",
        "8.1.2": "The IN-USE response code",
        "9": "IANA Considerations",
        "10": "Security Considerations",
    },
    2595: {  # Using TLS with IMAP, POP3 and ACAP
        "1": "Introduction",
        "2": "Basic Interoperability and Security Requirements",
        "2.1": "Cipher suite requirements",
        "2.2": "Privacy operational mode security requirements",
        "2.3": "Clear-text password requirements",
        "2.4": "Server identity check",
        "3": "IMAP STARTTLS extension",
        "4": "POP3 STARTTLS extension",
        "5": "ACAP STARTTLS extension",
        "6": "PLAIN SASL mechanism",
        "7": "imaps and pop3s ports",
        "8": "IANA Considerations",
        "9": "Security Considerations",
    },
    3206: {  # The SYS and AUTH POP Response Codes
        "1": "Introduction",
        "2": "Conventions Used in this Document",
        "3": "Background",
        "4": "The SYS Response Code",
        "5": "The AUTH Response Code",
        "6": "The AUTH-RESP-CODE Capability",
        "7": "IANA Considerations",
        "8": "Security Considerations",
    },
    5034: {  # The POP3 SASL Authentication Mechanism
        "1": "Introduction",
        "2": "Conventions Used in This Document",
        "3": "The SASL Capability",
        "4": "The AUTH Command",
        "5": "Formal Syntax",
        "6": "Security Considerations",
        "7": "IANA Considerations",
    },
    4616: {"1": "Introduction", "2": "PLAIN SASL Mechanism", "3": "Pseudo-Code", "4": "Examples"},
    2195: {"1": "Introduction and Overview", "2": "Challenge-Response Authentication Mechanism (CRAM)"},
    8314: {  # Cleartext Considered Obsolete
        "1": "Introduction",
        "2": "Conventions and Terminology Used in This Document",
        "3": "Implicit TLS",
        "3.1": "Implicit TLS for POP",
        "3.2": "Implicit TLS for IMAP",
        "3.3": "Implicit TLS for SMTP Submission",
        "3.4": "Implicit TLS Connection Closure for POP, IMAP, and SMTP Submission",
        "4": "Use of TLS by Mail Access Services and Message Submission Services",
        "5": "Use of TLS by Mail User Agents",
    },
    8446: {  # TLS 1.3 (cited where lesson 10 decrypts a capture with the key log)
        "5.3": "Per-Record Nonce",
        "7": "Cryptographic Computations",
        "7.1": "Key Schedule",
        "B.4": "Cipher Suites",
    },
    6856: {  # POP3 Support for UTF-8
        "1": "Introduction",
        "2": "UTF8 Capability",
        "3": "LANG Capability",
    },
    5322: {"3.6.8": "Optional Fields"},
    5321: {  # Simple Mail Transfer Protocol (the lab's SMTP side)
        "2.3.8": "Lines",
        "3.1": "Session Initiation",
        "3.2": "Client Initiation",
        "3.3": "Mail Transactions",
        "3.8": "Terminating Sessions and Connections",
        "4.1.1.1": "Extended HELLO (EHLO) or HELLO (HELO)",
        "4.1.1.2": "MAIL (MAIL)",
        "4.1.1.3": "RECIPIENT (RCPT)",
        "4.1.1.4": "DATA (DATA)",
        "4.1.1.5": "RESET (RSET)",
        "4.1.1.9": "NOOP (NOOP)",
        "4.1.1.10": "QUIT (QUIT)",
        "4.1.3": "Address Literals",
        "4.1.4": "Order of Commands",
        "4.2": "SMTP Replies",
        "4.2.1": "Reply Code Severities and Theory",
        "4.4": "Trace Information",
        "4.5.2": "Transparency",
        "4.5.3.1.6": "Text Line",
        "4.5.3.1.8": "Recipients Buffer",
        "4.5.3.2": "Timeouts",
    },
    6409: {"3.1": "Submission Identification", "4.3": "Require Authentication"},  # Message Submission for Mail
    4954: {"4": "The AUTH Command", "6": "Status Codes"},  # SMTP Service Extension for Authentication
    3207: {"4": "The STARTTLS Command", "4.2": "Result of the STARTTLS Command"},  # Secure SMTP over TLS
    3463: {"2": "Status Code Structure"},  # Enhanced Mail System Status Codes
    2047: {},
}
"""Section titles of the RFCs the lab cites (the ones it does not cite in depth are listed only as far as needed)."""

TOPICS: tuple[tuple[str, int, frozenset[str]], ...] = (
    (r"\block|\bsperr|exclusive", 1939, frozenset({"4"})),
    (r"\b40 (characters|Zeichen)", 1939, frozenset({"3"})),
    (r"implicit TLS|implizite", 8314, frozenset({"3", "3.1"})),
    (r"clear.text password|Klartext-Passw", 2595, frozenset({"2.3"})),
)
"""A sentence that matches the pattern and cites the RFC must cite one of these sections."""

MUST_CITE: tuple[tuple[str, str], ...] = (
    (r"\b40 (characters|Zeichen)\b.*\b(limit|Grenze|allows|erlaubt)", "RFC 1939 §3"),
)
"""A sentence that states the argument limit names where it comes from."""

_REF = re.compile(r"RFC ?(\d{4})((?:(?:\s*(?:,|/|and|und|or|oder)\s*)?\s*§\s*\d+(?:\.\d+)*)*)")
_SECTION = re.compile(r"§\s*(\d+(?:\.\d+)*)")


def _sources() -> list[Path]:
    files = [*ROOT.glob("poplab/**/*.py"), *ROOT.glob("poplab/**/*.md"), *ROOT.glob("notebooks/lessons/*.py")]
    files += [ROOT / "poplab/locale/poplab.pot", ROOT / "poplab/locale/de/LC_MESSAGES/poplab.po"]
    return sorted(path for path in files if "__pycache__" not in path.parts)


def _text(path: Path) -> str:
    """The file with implicitly concatenated strings (Python, gettext catalogs) joined back into sentences."""
    text = path.read_text(encoding="utf-8")
    return re.sub(r"\"\s*\n\s*\"", "", text)


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+(?=[A-Z*\"`(])|\n", text) if "RFC" in part or "40 " in part]


def references() -> list[tuple[str, int, str, str]]:
    """(where, rfc, section, sentence) for every "RFC NNNN §X" in the sources."""
    found = []
    for path in _sources():
        for sentence in _sentences(_text(path)):
            for match in _REF.finditer(sentence):
                for section in _SECTION.findall(match.group(2)):
                    found.append((str(path.relative_to(ROOT)), int(match.group(1)), section, sentence.strip()))
    return found


def rfc_refs() -> list[RfcRef]:
    for module in pkgutil.walk_packages(poplab.__path__, "poplab."):
        if module.name.endswith("__main__"):
            continue
        importlib.import_module(module.name)
    return [obj for obj in gc.get_objects() if isinstance(obj, RfcRef)]


def _words(title: str) -> set[str]:
    plain = re.sub(r"\(.*?\)", "", title.lower())  # "(CRAM)": an abbreviation the object may leave out
    return set(re.findall(r"[a-z0-9-]+", plain)) - {"the", "a", "of", "command", "capability"}


def test_every_rfc_ref_names_a_section_that_exists_with_its_title() -> None:
    refs = set(rfc_refs())
    assert len(refs) > 20
    for ref in refs:
        assert ref.rfc in SECTIONS, ref
        if not ref.section:
            continue
        title = SECTIONS[ref.rfc].get(ref.section)
        assert title is not None, f"{ref}: no such section"
        # the object's title is the section's (or one of the commands that section defines)
        assert _words(title) <= _words(ref.title) or (ref.rfc == 1939 and ref.section in ("5", "7")), (
            ref,
            title,
        )


def test_every_written_rfc_reference_names_a_section_that_exists() -> None:
    found = references()
    assert len(found) > 50
    wrong = [
        (where, f"RFC {number} §{section}")
        for where, number, section, _ in found
        if number in SECTIONS and section not in SECTIONS[number]
    ]
    assert wrong == []
    unknown = sorted({number for _, number, _, _ in found} - SECTIONS.keys())
    assert unknown == []


@pytest.mark.parametrize(("pattern", "number", "allowed"), TOPICS)
def test_topics_cite_the_right_section(pattern: str, number: int, allowed: frozenset[str]) -> None:
    wrong = [
        (where, f"RFC {cited} §{section}", sentence[:120])
        for where, cited, section, sentence in references()
        if cited == number and re.search(pattern, sentence, re.IGNORECASE) and section not in allowed
    ]
    assert wrong == []


def test_the_argument_limit_is_credited_to_rfc_1939() -> None:
    for path in _sources():
        for sentence in _sentences(_text(path)):
            for pattern, cited in MUST_CITE:
                if re.search(pattern, sentence) and "RFC" in sentence:
                    assert cited in sentence, (str(path.relative_to(ROOT)), sentence[:160])


def test_the_old_mistakes_are_caught() -> None:
    """The checks above would have failed on the texts this test was written against."""
    lock = "the server locks the mailbox (RFC 1939 §8): a second login gets -ERR [IN-USE]."
    assert any(re.search(p, lock, re.I) and n == 1939 for p, n, a in TOPICS if "8" not in a)
    assert "3.3" not in next(a for p, n, a in TOPICS if n == 8314)
    old = "An argument is longer than 40 characters, the limit of RFC 2449."
    assert re.search(MUST_CITE[0][0], old) and MUST_CITE[0][1] not in old
