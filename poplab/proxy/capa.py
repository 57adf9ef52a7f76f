"""Honest capabilities: the proxy terminates TLS on both sides, so whether STLS is possible is a question about
the proxy and the learner's client, not about the server behind it. CAPA replies are rewritten to say so, and
STLS from the client is answered by the proxy itself. Pure functions over the core's reply type."""

from __future__ import annotations

from dataclasses import dataclass

from poplab.protocol.client import ServerReply
from poplab.protocol.states import State
from poplab.proxy import texts


def _is_stls(line: bytes) -> bool:
    words = line.split()
    return bool(words) and words[0].upper() == b"STLS"


@dataclass(frozen=True)
class Rewritten:
    """A CAPA reply's lines as the client gets them, and the note that says what changed (None: nothing)."""

    lines: tuple[bytes, ...]
    note: str | None


def rewrite_capa(reply: ServerReply, offer_stls: bool, client_secure: bool = False) -> Rewritten:
    """Take STLS out of a positive CAPA reply, or put it in, so that it lists STLS exactly when ``offer_stls``
    (``client_secure``: the client's side is TLS already, which is why STLS is not offered)."""
    original = (reply.status_line, *(reply.body_lines or ()))
    if not reply.ok or not reply.body_lines:
        return Rewritten(original, None)
    body, terminator = reply.body_lines[:-1], reply.body_lines[-1]
    listed = any(_is_stls(line) for line in body)
    if listed == offer_stls:
        return Rewritten(original, None)
    kept = tuple(line for line in body if not _is_stls(line))
    if offer_stls:
        end = b"\r\n" if terminator.endswith(b"\r\n") else b"\n"
        return Rewritten((reply.status_line, *kept, b"STLS" + end, terminator), texts.STLS_ADDED)
    note = texts.STLS_REMOVED_SECURE if client_secure else texts.STLS_REMOVED
    return Rewritten((reply.status_line, *kept, terminator), note)


@dataclass(frozen=True)
class StlsAnswer:
    """The proxy's own reply to the client's STLS, and whether the TLS handshake with the client follows."""

    reply: bytes
    start_tls: bool
    note: str | None


def answer_stls(state: State, client_secure: bool, can_offer: bool) -> StlsAnswer:
    """RFC 2595 §4: STLS only in AUTHORIZATION, only once, and only where TLS can be done."""
    if state is not State.AUTHORIZATION:
        return StlsAnswer(texts.STLS_STATE.encode(), False, None)
    if client_secure:
        return StlsAnswer(texts.TLS_ACTIVE.encode(), False, None)
    if not can_offer:
        return StlsAnswer(texts.STLS_UNAVAILABLE.encode(), False, texts.CLIENT_STLS_REFUSED)
    return StlsAnswer(texts.STLS_OK.encode(), True, texts.CLIENT_STLS)
