"""SASL mechanisms for AUTH (RFC 5034) as small step machines: PLAIN (RFC 4616), LOGIN and CRAM-MD5 (RFC 2195).

A mechanism takes the client's decoded responses one by one and answers with a challenge to send, or with the
credentials to check. It never looks at accounts itself.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass

from poplab.protocol.seams import Account


@dataclass(frozen=True)
class Challenge:
    """Send ``+ <base64 of data>`` and wait for the next response."""

    data: bytes


@dataclass(frozen=True)
class Credentials:
    """The exchange is complete: check ``verify`` against the account called ``user``."""

    user: str
    verify: Callable[[Account], bool]


@dataclass(frozen=True)
class Failure:
    reason: str


Step = Challenge | Credentials | Failure


class Mechanism:
    """Base class: ``start`` with an optional initial response, then ``respond`` to each challenge."""

    name = ""
    plaintext = True

    def start(self, initial: bytes | None) -> Step:
        return Challenge(b"") if initial is None else self.respond(initial)

    def respond(self, data: bytes) -> Step:
        raise NotImplementedError


class Plain(Mechanism):
    name = "PLAIN"

    def respond(self, data: bytes) -> Step:
        parts = data.split(b"\0")
        if len(parts) != 3:
            return Failure("malformed PLAIN response (expected authzid NUL authcid NUL password)")
        try:
            authzid, authcid, password = (part.decode("utf-8") for part in parts)
        except UnicodeDecodeError:
            return Failure("PLAIN response is not valid UTF-8")
        if authzid and authzid != authcid:
            return Failure("acting as another user (authzid) is not allowed")
        return Credentials(authcid, lambda account: same_secret(account.password, password))


class Login(Mechanism):
    name = "LOGIN"

    def __init__(self) -> None:
        self._user: str | None = None

    def start(self, initial: bytes | None) -> Step:
        return Challenge(b"Username:") if initial is None else self.respond(initial)

    def respond(self, data: bytes) -> Step:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return Failure("LOGIN response is not valid UTF-8")
        if self._user is None:
            self._user = text
            return Challenge(b"Password:")
        return Credentials(self._user, lambda account: same_secret(account.password, text))


class CramMD5(Mechanism):
    name = "CRAM-MD5"
    plaintext = False

    def __init__(self, token: str) -> None:
        self.token = token.encode("ascii")

    def start(self, initial: bytes | None) -> Step:
        if initial is not None:
            return Failure("CRAM-MD5 takes no initial response")
        return Challenge(self.token)

    def respond(self, data: bytes) -> Step:
        user, _, digest = data.decode("utf-8", "replace").rpartition(" ")
        if not user or not digest:
            return Failure("malformed CRAM-MD5 response (expected: user SP hex-digest)")
        token = self.token

        def verify(account: Account) -> bool:
            expected = cram_md5_digest(account.shared_secret, token)
            return same_secret(expected, digest.lower())

        return Credentials(user, verify)


def same_secret(stored: str, given: str) -> bool:
    """Constant-time comparison of two secrets as UTF-8 bytes (``compare_digest`` refuses non-ASCII text)."""
    return hmac.compare_digest(stored.encode("utf-8", "surrogatepass"), given.encode("utf-8", "surrogatepass"))


def cram_md5_digest(secret: str, challenge: bytes) -> str:
    """RFC 2195: lower-case hex HMAC-MD5 of the challenge, keyed with the shared secret."""
    return hmac.new(secret.encode("utf-8"), challenge, hashlib.md5).hexdigest()


_TIMESTAMP = re.compile(r"<[^<>\s]*>")


def greeting_timestamps(text: str) -> list[str]:
    """Every ``<...>`` in a greeting."""
    return _TIMESTAMP.findall(text)


def greeting_timestamp(text: str) -> str | None:
    """The APOP timestamp of a greeting: the last ``<...>`` in msg-id form (with an ``@``), as RFC 1939 §7 has
    it, else the first ``<...>``."""
    stamps = greeting_timestamps(text)
    ids = [stamp for stamp in stamps if "@" in stamp]
    return ids[-1] if ids else (stamps[0] if stamps else None)


def apop_digest(timestamp: str, secret: str) -> str:
    """RFC 1939 §7: lower-case hex MD5 of the greeting's timestamp followed by the shared secret."""
    return hashlib.md5((timestamp + secret).encode("utf-8")).hexdigest()


def decode_response(line: str) -> bytes | None:
    """A client's base64 response; ``=`` is the empty response (RFC 5034 §4). None when it is not base64."""
    if line == "=":
        return b""
    try:
        return base64.b64decode(line.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None


def encode_challenge(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


MECHANISMS: dict[str, Callable[[str], Mechanism]] = {
    "PLAIN": lambda token: Plain(),
    "LOGIN": lambda token: Login(),
    "CRAM-MD5": CramMD5,
}
