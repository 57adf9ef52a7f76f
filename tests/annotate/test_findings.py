"""The warnings a teacher wants, and the reason and hint for every -ERR, with their exact texts."""

from __future__ import annotations

from poplab.annotate import Annotation, Annotator, Kind, Severity, annotate
from poplab.protocol import rfc
from poplab.protocol.states import State
from poplab.transcript import Transcript, TranscriptLine

LOGGED_IN = """\
S: +OK ready
C: USER alice
S: +OK
C: PASS secret
S: +OK logged in
"""


def run(text: str, lang: str = "en") -> list[Annotation]:
    return annotate(Transcript.from_text(text), lang)


def at(annotations: list[Annotation], line: int) -> Annotation:
    """The annotation that starts at 1-based transcript line ``line``."""
    [found] = [a for a in annotations if a.index + 1 == line]
    return found


# ---- warnings on client lines -------------------------------------------------------------------------------


def test_password_in_clear_text_only_without_tls() -> None:
    plain = at(run(LOGGED_IN), 4)
    assert plain.codes == ("cleartext-password",) and plain.severity is Severity.WARNING
    assert plain.findings[0].text.startswith("Password sent in clear text: this connection is not encrypted")
    over_tls = at(run("S: +OK ready\n--- TLS ---\nC: USER alice\nS: +OK\nC: PASS secret\n"), 4)
    assert over_tls.codes == () and over_tls.tls


def test_sasl_plain_and_login_responses_in_clear_text() -> None:
    text = """\
S: +OK ready
C: AUTH PLAIN AGFsaWNlAHNlY3JldA==
S: -ERR [AUTH] no
C: AUTH LOGIN
S: + VXNlcm5hbWU6
C: YWxpY2U=
S: + UGFzc3dvcmQ6
C: c2VjcmV0
S: +OK welcome
"""
    annotations = run(text)
    assert at(annotations, 2).codes == ("cleartext-password",)
    assert at(annotations, 2).lines == ("AUTH PLAIN [redacted]",)
    assert at(annotations, 5).detail.endswith("Decoded, the challenge reads: Username:")
    user = at(annotations, 6)
    assert user.kind is Kind.SASL_RESPONSE and user.codes == () and user.lines == ("[redacted]",)
    assert user.detail.endswith("Decoded, it is the user name 'alice'.")
    password = at(annotations, 8)
    assert password.codes == ("cleartext-password",)
    assert "secret" not in password.detail and "c2VjcmV0" not in password.detail
    assert at(annotations, 9).state_after is State.TRANSACTION


def test_bare_lf_and_missing_line_end() -> None:
    transcript = Transcript.from_text("S: +OK ready")
    transcript.add("C", b"CAPA\n")
    transcript.add("S", b"-ERR no\n")
    transcript.add("C", b"NOOP")
    annotations = annotate(transcript)
    assert annotations[1].codes == ("bare-lf",)
    assert annotations[1].findings[0].text == "This line ends with a bare LF: POP3 lines end with CRLF."
    assert annotations[2].codes == ("bare-lf", "capa-unsupported")
    assert annotations[3].codes[0] == "no-line-end"


def test_argument_and_line_too_long() -> None:
    annotations = run(f"S: +OK ready\nC: USER {'a' * 41}\nS: -ERR too long\nC: USER {'b' * 300}\nS: -ERR too long\n")
    assert at(annotations, 2).codes == ("argument-too-long",)
    assert at(annotations, 2).findings[0].ref == rfc.ARGUMENT_LENGTH
    assert at(annotations, 3).why is not None and at(annotations, 3).why.code == "argument-too-long"
    assert at(annotations, 4).codes == ("line-too-long", "argument-too-long")
    assert (
        at(annotations, 4).findings[0].text
        == "The command line is 307 octets long; RFC 2449 allows 255, CRLF included."
    )
    assert at(annotations, 5).why is not None and at(annotations, 5).why.code == "line-too-long"


def test_command_not_valid_in_this_state() -> None:
    annotations = run("S: +OK ready\nC: RETR 1\nS: -ERR not now\n")
    assert at(annotations, 2).findings[0].text == "RETR is not valid in AUTHORIZATION: only in TRANSACTION."
    assert at(annotations, 3).why is not None and at(annotations, 3).why.reason == (
        "RETR is only valid after login, in TRANSACTION."
    )
    german = run("S: +OK ready\nC: RETR 1\nS: -ERR not now\n", "de")
    assert at(german, 2).findings[0].text == "RETR ist im Zustand AUTHORIZATION nicht erlaubt, nur in TRANSACTION."


def test_pipelined_commands_are_judged_in_the_state_they_will_meet() -> None:
    text = "S: +OK ready\nC: USER alice\nC: PASS secret\nC: STAT\nS: +OK\nS: +OK in\nS: +OK 0 0\n"
    annotations = run(text)
    assert at(annotations, 4).codes == ()  # STAT waits behind PASS: valid if the login succeeds
    assert [(a.state_before, a.state_after) for a in annotations[4:7]] == [
        (State.AUTHORIZATION, State.AUTHORIZATION),
        (State.AUTHORIZATION, State.TRANSACTION),
        (State.TRANSACTION, State.TRANSACTION),
    ]
    assert at(annotations, 7).summary == "The maildrop holds 0 messages, 0 octets in total."


def test_reference_to_a_deleted_message() -> None:
    text = LOGGED_IN + "C: DELE 2\nS: +OK\nC: TOP 2 0\nS: -ERR deleted\nC: RSET\nS: +OK\nC: TOP 2 0\nS: +OK\nS: .\n"
    annotations = run(text)
    assert at(annotations, 8).codes == ("deleted-message",)
    assert at(annotations, 8).findings[0].text == "Message 2 is marked as deleted: the server will answer -ERR."
    why = at(annotations, 9).why
    assert why is not None and (why.reason, why.hint) == (
        "Message 2 is marked as deleted.",
        "You marked 2 as deleted; RSET undoes that.",
    )
    assert at(annotations, 12).codes == ()  # after RSET the mark is gone
    assert at(annotations, 14).kind is Kind.TERMINATOR


def test_stls_without_capa_again() -> None:
    without = run("S: +OK ready\nC: STLS\nS: +OK go\n--- TLS ---\nC: USER alice\nS: +OK\nC: PASS x\nS: -ERR no\n")
    assert at(without, 4).codes == ("stls-without-capa",)
    assert at(without, 6).codes == ()  # said once, and the password is now encrypted
    again = run("S: +OK ready\nC: STLS\nS: +OK go\nC: CAPA\nS: +OK\nS: USER\nS: .\nC: USER alice\nS: +OK\n")
    assert [a.codes for a in again if a.direction == "C"] == [(), (), ()]


def test_deletes_lost_when_the_connection_drops() -> None:
    annotations = run(LOGGED_IN + "C: DELE 1\nS: +OK\nC: DELE 3\nS: +OK\n--- S closed ---\n")
    closed = annotations[-1]
    assert closed.kind is Kind.CLOSED and closed.direction == "S" and closed.index == 9
    assert closed.summary == "The server closed the connection."
    assert closed.findings[0].text == "The session ended without QUIT: the deletion of messages 1, 3 is lost."
    assert closed.detail.startswith("Without QUIT the server never enters UPDATE")


def test_a_new_connection_after_a_drop_starts_a_new_session() -> None:
    annotations = run(LOGGED_IN + "C: DELE 1\nS: +OK\n--- C closed ---\nS: +OK ready again\nC: STAT\nS: -ERR log in\n")
    assert at(annotations, 9).kind is Kind.GREETING
    assert at(annotations, 10).codes == ("wrong-state",)
    assert annotations[-1].kind is Kind.STATUS  # nothing lost at the end: the new session never logged in


def test_quit_ends_cleanly_without_end_annotation() -> None:
    annotations = run(LOGGED_IN + "C: DELE 1\nS: +OK\nC: QUIT\nS: +OK bye\n")
    assert annotations[-1].kind is Kind.STATUS and annotations[-1].state_after is State.UPDATE
    assert annotations[-1].detail.endswith("Removed: message 1.")


# ---- multi-line bodies ---------------------------------------------------------------------------------------


def test_stuffed_lines_are_counted_and_the_body_is_one_annotation() -> None:
    text = LOGGED_IN + "C: RETR 2\nS: +OK\nS: Subject: dots\nS:\nS: ..hidden\nS: ...two dots\nS: ..\nS: end\nS: .\n"
    annotations = run(text)
    body = at(annotations, 8)
    assert body.kind is Kind.MESSAGE and body.line_count == 7
    assert body.summary == "Message 2: 6 lines, 46 octets."
    assert "3 lines began with a dot and arrived with one more (byte-stuffing); the client removes it." in body.detail
    assert body.octets == 52 and body.octets_note == "content 46 + stuffing dots 3 + final dot line 3"
    assert [a.kind for a in annotations][-3:] == [Kind.STATUS, Kind.MESSAGE, Kind.END]


def test_unstuffed_dot_and_cut_off_body() -> None:
    annotations = run(LOGGED_IN + "C: RETR 1\nS: +OK\nS: .oops\nS: more\n")
    body, end = annotations[-2:]
    assert end.kind is Kind.END and end.summary == "The transcript ends here."
    assert body.kind is Kind.MESSAGE and body.index == 7 and body.line_count == 2
    assert body.codes == ("body-incomplete", "not-stuffed")
    assert body.summary == "The reply was cut off: the line with a single dot never arrived."


def test_long_bodies_show_an_excerpt() -> None:
    lines = "".join(f"S: line {n}\n" for n in range(100))
    body = run(LOGGED_IN + "C: RETR 1\nS: +OK\n" + lines + "S: .\n")[-2]
    assert body.line_count == 101 and len(body.lines) == 24


# ---- why -ERR -----------------------------------------------------------------------------------------------


def why(text: str, line: int, lang: str = "en") -> tuple[str, str, str]:
    found = at(run(text, lang), line).why
    assert found is not None
    return found.code, found.reason, found.hint


def test_message_numbers_start_at_one() -> None:
    assert why(LOGGED_IN + "C: RETR 0\nS: -ERR no\n", 7) == (
        "number-zero",
        "There is no message 0.",
        "Message numbers start at 1.",
    )
    assert why(LOGGED_IN + "C: RETR 0\nS: -ERR no\n", 7, "de") == (
        "number-zero",
        "Es gibt keine Nachricht 0.",
        "Nachrichtennummern beginnen bei 1.",
    )


def test_response_codes() -> None:
    assert why(LOGGED_IN[:-17] + "S: -ERR [IN-USE] locked\n", 5)[:2] == (
        "in-use",
        "[IN-USE]: the name and password were right, but another session holds the maildrop.",
    )
    assert why("S: +OK\nC: USER a\nS: +OK\nC: PASS b\nS: -ERR [AUTH] bad\n", 5)[1] == (
        "[AUTH]: wrong user name or password, or no login without encryption."
    )
    assert why("S: +OK\nC: USER a\nS: -ERR [SYS/TEMP/DB] later\n", 3)[0] == "sys/temp"
    assert why("S: +OK\nC: USER a\nS: +OK\nC: PASS b\nS: -ERR [LOGIN-DELAY] wait\n", 5) == (
        "login-delay",
        "[LOGIN-DELAY]: you logged in again too soon.",
        "The server allows a new login only after a while; wait, then try again.",
    )


def test_pass_without_user_and_apop_without_timestamp() -> None:
    assert why("S: +OK ready\nC: PASS x\nS: -ERR no\n", 3)[:2] == (
        "pass-without-user",
        "PASS must follow a USER that the server accepted.",
    )
    assert why("S: +OK ready\nC: APOP a 0123\nS: -ERR no\n", 3)[0] == "apop-not-offered"
    assert why("S: +OK ready <1.2@host>\nC: APOP a 0123\nS: -ERR no\n", 3)[0] == "apop-failed"


def test_unknown_command_lists_what_is_valid_now() -> None:
    assert why("S: +OK ready\nC: HELO there\nS: -ERR what\n", 3) == (
        "unknown-command",
        "The server does not know the command HELO.",
        "Check the spelling; valid in AUTHORIZATION: USER, PASS, APOP, AUTH, STLS, CAPA, QUIT.",
    )


def test_out_of_range_and_unknown_totals() -> None:
    assert why(LOGGED_IN + "C: LIST 4\nS: -ERR no\n", 7)[0] == "no-such-message"
    assert why(LOGGED_IN + "C: STAT\nS: +OK 3 300\nC: LIST 4\nS: -ERR no\n", 9)[2] == (
        "Use a number from 1 to 3; STAT or LIST shows what there is."
    )
    assert why(LOGGED_IN + "C: STAT\nS: +OK 0 0\nC: RETR 1\nS: -ERR no\n", 9)[1] == (
        "There is no message 1: the maildrop is empty."
    )


def test_mechanism_not_announced_and_cancelled_auth() -> None:
    text = "S: +OK\nC: CAPA\nS: +OK\nS: SASL PLAIN\nS: .\nC: AUTH CRAM-MD5\nS: -ERR no\n"
    text += "C: AUTH PLAIN\nS: +\nC: *\nS: -ERR x\n"
    assert why(text, 7)[1:] == ("The server did not announce the SASL mechanism CRAM-MD5.", "It offers: PLAIN.")
    assert why(text, 11)[0] == "auth-cancelled"
    assert why("S: +OK\nC: AUTH\nS: -ERR no\n", 3)[:2] == ("refused", "The server refused AUTH.")
    assert at(run(text), 10).summary == "'*' cancels the authentication."


# ---- robustness of the stream -------------------------------------------------------------------------------


def test_lines_fed_in_one_chunk_are_split() -> None:
    annotator = Annotator()
    out = annotator.feed(TranscriptLine("S", b"+OK hi\r\n"))
    out += annotator.feed(TranscriptLine("C", b"CAPA\r\nNOOP\r\n"))
    out += annotator.feed(TranscriptLine("S", b"+OK\r\nTOP\r\n.\r\n-ERR no\r\n"))
    out += annotator.finish()
    assert [a.kind for a in out] == [Kind.GREETING, Kind.COMMAND, Kind.COMMAND, Kind.STATUS, Kind.LISTING, Kind.STATUS]
    assert out[2].codes == ("wrong-state",)
    assert annotator.finish() == []


def test_a_transcript_without_greeting() -> None:
    annotations = run("C: CAPA\nS: +OK\nS: TOP\nS: .\n")
    assert annotations[0].codes == ("no-greeting",) and annotations[0].severity is Severity.INFO
    assert annotations[2].kind is Kind.LISTING


def test_unexpected_lines_are_errors() -> None:
    annotations = run("S: +OK ready\nS: +OK again\nS: garbage\n")
    assert [a.kind for a in annotations] == [Kind.GREETING, Kind.UNEXPECTED, Kind.UNEXPECTED]
    assert annotations[1].codes == ("unexpected-line",) and annotations[1].severity is Severity.ERROR
    assert annotations[2].codes == ("unexpected-line", "not-a-status", "unsolicited")
