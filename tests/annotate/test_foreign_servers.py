"""Hand-written transcripts in the style of Dovecot's and Exchange's replies: every state right, every -ERR
explained from the command and the state (their texts differ from ours)."""

from __future__ import annotations

from poplab.annotate import Kind, annotate
from poplab.protocol.states import State
from poplab.transcript import Transcript

A, T, U = State.AUTHORIZATION, State.TRANSACTION, State.UPDATE

DOVECOT = """\
S: +OK Dovecot (Ubuntu) ready.
C: CAPA
S: +OK
S: CAPA
S: TOP
S: UIDL
S: RESP-CODES
S: PIPELINING
S: AUTH-RESP-CODE
S: STLS
S: USER
S: SASL PLAIN LOGIN
S: .
C: STLS
S: +OK Begin TLS negotiation now.
--- TLS ---
C: CAPA
S: +OK
S: CAPA
S: TOP
S: UIDL
S: USER
S: SASL PLAIN LOGIN
S: .
C: STAT
S: -ERR Unknown command.
C: AUTH PLAIN
S: +
C: AGJvYgB3cm9uZw==
S: -ERR [AUTH] Authentication failed.
C: USER bob
S: +OK
C: PASS builder
S: +OK Logged in.
C: LIST
S: +OK 2 messages:
S: 1 512
S: 2 1024
S: .
C: UIDL 2
S: +OK 2 00000002586c7d1c
C: TOP 1 0
S: +OK
S: Return-Path: <carol@example.com>
S: Subject: hello
S:
S: .
C: RETR 3
S: -ERR There's no message 3.
C: DELE 1
S: +OK Marked to be deleted.
C: RETR 1
S: -ERR Message is deleted.
C: RSET
S: +OK
C: NOOP
S: +OK
C: QUIT
S: +OK Logging out.
"""

DOVECOT_EXPECTED = [
    (Kind.GREETING, A, A),
    (Kind.COMMAND, A, A),
    (Kind.STATUS, A, A),
    (Kind.LISTING, A, A),
    (Kind.COMMAND, A, A),
    (Kind.STATUS, A, A),
    (Kind.COMMAND, A, A),
    (Kind.STATUS, A, A),
    (Kind.LISTING, A, A),
    (Kind.COMMAND, A, A),
    (Kind.STATUS, A, A),
    (Kind.COMMAND, A, A),
    (Kind.CONTINUATION, A, A),
    (Kind.SASL_RESPONSE, A, A),
    (Kind.STATUS, A, A),
    (Kind.COMMAND, A, A),
    (Kind.STATUS, A, A),
    (Kind.COMMAND, A, A),
    (Kind.STATUS, A, T),
    (Kind.COMMAND, T, T),
    (Kind.STATUS, T, T),
    (Kind.LISTING, T, T),
    (Kind.COMMAND, T, T),
    (Kind.STATUS, T, T),
    (Kind.COMMAND, T, T),
    (Kind.STATUS, T, T),
    (Kind.MESSAGE, T, T),
    (Kind.COMMAND, T, T),
    (Kind.STATUS, T, T),
    (Kind.COMMAND, T, T),
    (Kind.STATUS, T, T),
    (Kind.COMMAND, T, T),
    (Kind.STATUS, T, T),
    (Kind.COMMAND, T, T),
    (Kind.STATUS, T, T),
    (Kind.COMMAND, T, T),
    (Kind.STATUS, T, T),
    (Kind.COMMAND, T, T),
    (Kind.STATUS, T, U),
]


def test_dovecot_style_session_states() -> None:
    annotations = annotate(Transcript.from_text(DOVECOT))
    assert [(a.kind, a.state_before, a.state_after) for a in annotations] == DOVECOT_EXPECTED


def test_dovecot_style_session_explained() -> None:
    line = {a.index + 1: a for a in annotate(Transcript.from_text(DOVECOT))}
    capabilities = "CAPA, TOP, UIDL, RESP-CODES, PIPELINING, AUTH-RESP-CODE, STLS, USER, SASL PLAIN LOGIN"
    assert line[4].summary == f"9 capabilities: {capabilities}."
    assert line[4].line_count == 10 and line[4].octets == 90
    assert line[16].codes == ()  # CAPA re-issued after STLS: no warning
    assert line[16].tls and not line[14].tls
    assert line[24].codes == ("wrong-state",)
    assert line[25].why is not None and line[25].why.code == "login-first"
    assert (
        line[25].why.hint
        == "Log in first: STAT is only valid in TRANSACTION (USER and PASS, APOP or AUTH get you there)."
    )
    assert line[28].codes == ()  # PLAIN over TLS: not clear text
    assert line[28].lines == ("[redacted]",)
    assert "user name 'bob' and the password (not shown here" in line[28].detail
    assert line[29].why is not None and line[29].why.reason == "[AUTH]: wrong user name or password."
    assert line[35].summary == "The listing follows: one line per message, with its number and size."
    assert line[36].summary == "2 messages listed, 1536 octets in total."
    assert line[40].summary == "The unique id of message 2 is 00000002586c7d1c."
    assert line[43].summary == "Header and first body lines of message 1: 3 lines, 52 octets."
    assert line[48].why is not None and line[48].why.reason == "There is no message 3: the maildrop holds 2 messages."
    assert line[51].codes == ("deleted-message",)
    assert line[52].why is not None and line[52].why.hint == "You marked 1 as deleted; RSET undoes that."
    assert line[58].summary == "The server entered UPDATE: the marked messages are removed and the connection closes."
    assert line[58].detail.endswith("No message was marked, so nothing was removed.")


EXCHANGE = """\
S: +OK The Microsoft Exchange POP3 service is ready. [QwBIADIAUABSADAAMQBDAEEAMAAwADQALgBuAGEA]
C: CAPA
S: +OK
S: TOP
S: UIDL
S: SASL PLAIN
S: USER
S: STLS
S: .
C: USER wiki@example.com
S: +OK
C: PASS wrong
S: -ERR Logon failure: unknown user name or bad password.
C: USER wiki@example.com
S: +OK
C: PASS secret
S: +OK User successfully logged on.
C: USER again
S: -ERR Command is not valid in this state.
C: STAT
S: +OK 2 4012
C: LIST
S: +OK 2 4012
S: 1 2006
S: 2 2006
S: .
C: RETR 9
S: -ERR The specified message is out of range.
C: DELE 2
S: +OK
C: QUIT
S: +OK Microsoft Exchange Server POP3 server signing off.
"""

EXCHANGE_EXPECTED = [
    (Kind.GREETING, A, A),
    (Kind.COMMAND, A, A),
    (Kind.STATUS, A, A),
    (Kind.LISTING, A, A),
    (Kind.COMMAND, A, A),
    (Kind.STATUS, A, A),
    (Kind.COMMAND, A, A),
    (Kind.STATUS, A, A),
    (Kind.COMMAND, A, A),
    (Kind.STATUS, A, A),
    (Kind.COMMAND, A, A),
    (Kind.STATUS, A, T),
    (Kind.COMMAND, T, T),
    (Kind.STATUS, T, T),
    (Kind.COMMAND, T, T),
    (Kind.STATUS, T, T),
    (Kind.COMMAND, T, T),
    (Kind.STATUS, T, T),
    (Kind.LISTING, T, T),
    (Kind.COMMAND, T, T),
    (Kind.STATUS, T, T),
    (Kind.COMMAND, T, T),
    (Kind.STATUS, T, T),
    (Kind.COMMAND, T, T),
    (Kind.STATUS, T, U),
]


def test_exchange_style_session_states() -> None:
    annotations = annotate(Transcript.from_text(EXCHANGE))
    assert [(a.kind, a.state_before, a.state_after) for a in annotations] == EXCHANGE_EXPECTED


def test_exchange_style_session_explained() -> None:
    line = {a.index + 1: a for a in annotate(Transcript.from_text(EXCHANGE), "de")}
    assert line[4].summary == "5 Fähigkeiten: TOP, UIDL, SASL PLAIN, USER, STLS."
    assert line[12].codes == ("cleartext-password",)
    assert line[13].why is not None and line[13].why.code == "login-failed"
    assert line[13].why.hint == (
        "Benutzername und Passwort prüfen; Groß- und Kleinschreibung zählen. Manche Server lehnen Anmeldungen über "
        "unverschlüsselte Verbindungen ab: Zuerst STLS senden."
    )
    assert line[18].codes == ("wrong-state",)
    assert line[19].why is not None
    assert line[19].why.reason == "USER ist nur vor der Anmeldung erlaubt, im Zustand AUTHORIZATION."
    assert line[19].why.hint == "Du bist schon angemeldet: USER gehört zur Anmeldephase."
    assert line[21].summary == "Das Postfach enthält 2 Nachrichten, insgesamt 4012 Oktette."
    assert line[28].why is not None
    assert line[28].why.reason == "Es gibt keine Nachricht 9: Das Postfach enthält 2 Nachrichten."
    assert line[32].detail.endswith("Entfernt: Nachricht 2.")
