"""SASL (RFC 5034 AUTH) explained: the server's challenges, the client's responses and what their base64 holds.
User names are shown decoded — base64 is an encoding, not encryption — passwords never."""

from __future__ import annotations

import base64
import binascii

from poplab.annotate.facts import PLAINTEXT_MECHANISMS, Context
from poplab.annotate.model import Finding, Severity
from poplab.i18n import N_
from poplab.protocol import rfc
from poplab.protocol.client import SentCommand
from poplab.transcript import REDACTED, display

_SHOWN = 60
_HIDDEN = N_("the password (not shown here, but anyone who sees the line can decode it)")


def decode(text: str) -> bytes | None:
    """The bytes of a base64 SASL line; ``=`` is empty. None when it is not base64."""
    if text == "=":
        return b""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None


def _shown(data: bytes) -> str:
    text = display(data)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def explain_challenge(text: str, ctx: Context) -> tuple[str, str]:
    """A ``+`` line from the server during AUTH."""
    t = ctx.t
    summary = t(N_("The server sends a SASL challenge and waits for the client's answer."))
    detail = t(
        N_(
            "A line that begins with '+ ' carries base64 data. The client answers with one line of base64, or "
            "with '*' to cancel."
        )
    )
    data = decode(text.strip())
    if data:
        detail += " " + t(N_("Decoded, the challenge reads: {text}"), text=_shown(data))
    elif data is not None:
        detail += " " + t(N_("The challenge is empty."))
    return summary, detail


def explain_response(command: SentCommand, ctx: Context) -> tuple[str, str, rfc.RfcRef]:
    """A client line answering a SASL challenge."""
    t = ctx.t
    content = command.raw.strip().decode("utf-8", "replace")
    if content == "*":
        summary = t(N_("'*' cancels the authentication."))
        return summary, t(N_("The server answers -ERR and the session stays in AUTHORIZATION.")), rfc.AUTH
    summary = t(N_("The client answers the server's SASL challenge."))
    detail = t(N_("The answer is one line of base64: an encoding, not encryption."))
    mechanism = ctx.facts.sasl_mechanism or ""
    return summary, f"{detail} {_payload(mechanism, content, ctx, _login_is_password(ctx))}", _mechanism_ref(mechanism)


def initial_response(mechanism: str, arg: str, ctx: Context) -> str:
    """A sentence about the initial response sent on the AUTH line itself."""
    return _payload(mechanism, arg, ctx, password=False)


def _mechanism_ref(mechanism: str) -> rfc.RfcRef:
    return {"PLAIN": rfc.SASL_PLAIN, "CRAM-MD5": rfc.SASL_CRAM_MD5}.get(mechanism, rfc.AUTH)


def _login_is_password(ctx: Context) -> bool:
    challenge = ctx.facts.challenge.lower()
    if "pass" in challenge:
        return True
    return "user" not in challenge and ctx.facts.sasl_responses > 0


def _payload(mechanism: str, text: str, ctx: Context, password: bool) -> str:
    t = ctx.t
    if text == REDACTED:
        return t(N_("The response was redacted in this transcript."))
    data = decode(text)
    if data is None:
        return t(N_("This is not valid base64: the server will refuse it."))
    if mechanism == "PLAIN":
        parts = data.split(b"\0")
        if len(parts) != 3:
            return t(N_("Decoded, it is not in the PLAIN form: authorization id, NUL, user name, NUL, password."))
        text = N_("Decoded: authorization id '{authzid}', user name '{user}' and {password}.")
        return t(text, authzid=_shown(parts[0]), user=_shown(parts[1]), password=t(_HIDDEN))
    if mechanism == "LOGIN":
        if password:
            return t(N_("Decoded, it is {password}."), password=t(_HIDDEN))
        return t(N_("Decoded, it is the user name '{user}'."), user=_shown(data))
    if mechanism == "CRAM-MD5":
        return t(N_("Decoded: the user name and the HMAC-MD5 digest of the challenge: {text}"), text=_shown(data))
    if not mechanism:
        return t(N_("What it holds depends on the SASL mechanism."))
    return t(N_("What it holds depends on the {mechanism} mechanism."), mechanism=mechanism)


def response_findings(command: SentCommand, ctx: Context) -> list[Finding]:
    """A SASL response that carries a password over an unencrypted connection."""
    mechanism = ctx.facts.sasl_mechanism
    if ctx.secure or mechanism not in PLAINTEXT_MECHANISMS or command.raw.strip() in (b"*", b""):
        return []
    if mechanism == "LOGIN" and not _login_is_password(ctx):
        return []
    return [cleartext(ctx)]


def cleartext(ctx: Context) -> Finding:
    """The warning for a password that crossed an unencrypted connection."""
    text = ctx.t(
        N_(
            "Password sent in clear text: this connection is not encrypted, so anyone on the path can read it. "
            "Use implicit TLS (port 995, preferred by RFC 8314) or STLS before logging in."
        )
    )
    return Finding("cleartext-password", Severity.WARNING, text, rfc.CLEARTEXT_PASSWORD)
