"""Unique ids and delivery order of stored messages.

RFC 1939 §7 (UIDL): a unique-id is 1 to 70 characters in the range 0x21 to 0x7E, unique in the maildrop and
persistent across sessions. A Maildir key (the file name up to the ``:2,`` info part) is unique and never
changes when a mail client marks the message read, so it is the UID whenever it fits the RFC's rule, and a
stable hash of it otherwise. Keys written by ``mailbox.Maildir`` (and most MDAs) begin with the delivery time,
which also gives a stable delivery order.
"""

from __future__ import annotations

import hashlib
import re

from poplab.store.api import BadMessage

UID_MAX_LENGTH = 70
"""RFC 1939 §7: 'The unique-id of a message ... consists of 1 to 70 characters in the range 0x21 to 0x7E'."""

HASHED_UID_PREFIX = "sha1-"

_KEY_TIME = re.compile(r"(\d+)\.(?:M(\d+))?(?:P\d+)?(?:Q(\d+))?")
_VALID_UID = re.compile(rf"[\x21-\x7e]{{1,{UID_MAX_LENGTH}}}")


def is_valid_uid(text: str) -> bool:
    """True if ``text`` is a usable unique-id under RFC 1939 §7."""
    return _VALID_UID.fullmatch(text) is not None


def uid_for_key(key: str) -> str:
    """The UID of the message stored under this Maildir key: the key itself if valid, else a stable hash."""
    if is_valid_uid(key):
        return key
    digest = hashlib.sha1(key.encode("utf-8", "surrogateescape"), usedforsecurity=False).hexdigest()
    return HASHED_UID_PREFIX + digest


def delivery_order(key: str, mtime_ns: int) -> tuple[int, int, int, str]:
    """A sort key for messages in delivery order: the time in the Maildir key (``secs.M<usec>P<pid>Q<n>...``),
    else the file's modification time; the key itself breaks ties, so the order never depends on the disk."""
    match = _KEY_TIME.match(key)
    if match is None:
        seconds, nanos = divmod(mtime_ns, 1_000_000_000)
        return seconds, nanos // 1000, 0, key
    secs, micros, counter = match.groups()
    return int(secs), int(micros or 0), int(counter or 0), key


def check_chosen_uid(uid: str) -> str:
    """A UID chosen by the caller must be valid and usable as a Maildir key (no '/', no ':', no leading '.')."""
    if not is_valid_uid(uid) or "/" in uid or ":" in uid or uid.startswith("."):
        raise BadMessage(
            f"invalid UID {uid!r}: use 1 to {UID_MAX_LENGTH} printable ASCII characters, "
            "without '/', ':' or a leading '.'"
        )
    return uid
