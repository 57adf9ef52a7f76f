"""Issue 11, "Teaching that is true": each wrong sentence is gone and the right one is there, in English and
German."""

from __future__ import annotations

import pytest

from poplab.annotate import Annotation, annotate, render
from poplab.protocol import rfc
from poplab.protocol.states import State
from poplab.transcript import Transcript, TranscriptLine

LOGGED_IN = "S: +OK ready\nC: USER alice\nS: +OK\nC: PASS secret\nS: +OK logged in\n"
CAPA = "C: CAPA\nS: +OK\nS: USER\nS: UTF8 USER\nS: LANG\nS: .\n"


def run(text: str, lang: str = "en") -> list[Annotation]:
    return annotate(Transcript.from_text(text), lang)


def at(annotations: list[Annotation], line: int) -> Annotation:
    [found] = [a for a in annotations if a.index + 1 == line]
    return found


def text_of(annotations: list[Annotation], lang: str) -> str:
    return " ".join(render(annotations, lang, long=True).split())


# ---- 1: the 40-character limit is RFC 1939 §3, raised by RFC 2449 §4 ----------------------------------------


@pytest.mark.parametrize(
    ("lang", "right"),
    [
        ("en", "An argument is longer than 40 characters, the limit of RFC 1939 §3."),
        ("de", "Ein Argument ist länger als 40 Zeichen, die Grenze aus RFC 1939 §3."),
    ],
)
def test_the_argument_limit_is_rfc_1939(lang: str, right: str) -> None:
    annotations = run(f"S: +OK ready\nC: USER {'a' * 41}\nS: +OK\n", lang)
    finding = at(annotations, 2).findings[0]
    assert finding.ref == rfc.ARGUMENT_LENGTH and str(finding.ref) == "RFC 1939 §3"
    assert finding.text.startswith(right)
    assert "the limit of RFC 2449" not in text_of(annotations, lang)


def test_a_long_user_to_a_server_that_answered_capa_is_not_flagged() -> None:
    annotations = run(f"S: +OK ready\n{CAPA}C: USER {'a' * 60}@example.com\nS: +OK\n")
    assert at(annotations, 8).codes == ()


# ---- 2: UTF8 and LANG (RFC 6856) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "right"),
    [("en", "UTF8 switches this session to UTF-8 (RFC 6856)."), ("de", "UTF8 stellt diese Sitzung auf UTF-8 um")],
)
def test_utf8_after_a_capa_that_lists_it(lang: str, right: str) -> None:
    annotations = run(f"S: +OK ready\n{CAPA}C: UTF8\nS: +OK UTF8 enabled\n", lang)
    command = at(annotations, 8)
    assert command.summary.startswith(right) and command.codes == ()
    assert "not a POP3 command" not in text_of(annotations, lang)
    assert "kein POP3-Befehl" not in text_of(annotations, lang)
    assert str(command.ref) == "RFC 6856 §2"
    assert at(annotations, 9).severity.value == "info"


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_lang_listing_is_one_listing_without_errors(lang: str) -> None:
    annotations = run(f"S: +OK ready\n{CAPA}C: LANG\nS: +OK Language listing follows\nS: en English\nS: .\n", lang)
    assert all(a.severity.value == "info" for a in annotations)
    assert at(annotations, 10).summary == ("1 language: en English." if lang == "en" else "1 Sprache: en English.")


def test_utf8_to_a_server_whose_capa_lacks_it() -> None:
    annotations = run("S: +OK ready\nC: CAPA\nS: +OK\nS: USER\nS: .\nC: UTF8\nS: -ERR unknown command\n")
    assert at(annotations, 6).codes == ("extension-not-offered",)
    assert at(annotations, 7).why is not None and at(annotations, 7).why.code == "extension-not-offered"


# ---- 3: STLS injection (CVE-2011-0411) -----------------------------------------------------------------------


def injected(lang: str = "en", answered: bool = True) -> list[Annotation]:
    lines = [
        TranscriptLine("S", b"+OK ready\r\n"),
        TranscriptLine("C", b"STLS\r\nUSER alice\r\n"),
        TranscriptLine("S", b"+OK Begin TLS\r\n"),
    ]
    if answered:
        lines.append(TranscriptLine("S", b"+OK send PASS\r\n", tls=True))
    return annotate(lines, lang)


@pytest.mark.parametrize(
    ("lang", "warning", "error"),
    [
        ("en", "This line was sent after STLS, before the server's +OK arrived", "This answers the USER that was"),
        ("de", "Diese Zeile kam nach STLS, bevor das +OK des Servers da war", "Das beantwortet das USER, das"),
    ],
)
def test_stls_injection_is_flagged_on_both_sides(lang: str, warning: str, error: str) -> None:
    annotations = injected(lang)
    user = next(a for a in annotations if a.verb == "USER" and a.direction == "C")
    assert user.codes == ("sent-before-tls",) and user.findings[0].severity.value == "warning"
    assert user.findings[0].text.startswith(warning)
    answer = annotations[-1]
    assert "stls-injection" in answer.codes and answer.severity.value == "error"
    assert next(f for f in answer.findings if f.code == "stls-injection").text.startswith(error)


def test_a_correct_server_that_stays_silent_gets_no_error() -> None:
    annotations = injected(answered=False)
    assert not any("stls-injection" in a.codes for a in annotations)


# ---- 6: the greeting says whether APOP is offered ------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "offers", "plain"),
    [
        ("en", "this server offers APOP.", "This greeting has no timestamp, so this server does not offer APOP."),
        ("de", "Dieser Server bietet APOP an.", "Diese Begrüßung hat keinen Zeitstempel, also bietet dieser Server"),
    ],
)
def test_the_greeting_says_whether_apop_is_offered(lang: str, offers: str, plain: str) -> None:
    stamped = run("S: +OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\n", lang)[0]
    assert "<1896.697170952@dbc.mtview.ca.us>" in stamped.detail and offers in stamped.detail
    assert plain in run("S: +OK ready\n", lang)[0].detail


# ---- 7: -ERR to QUIT from TRANSACTION is UPDATE --------------------------------------------------------------


@pytest.mark.parametrize(("lang", "right"), [("en", "The session is in UPDATE"), ("de", "Die Sitzung ist in UPDATE")])
def test_err_to_quit_in_transaction_is_update(lang: str, right: str) -> None:
    annotation = at(run(LOGGED_IN + "C: DELE 1\nS: +OK\nC: QUIT\nS: -ERR some deleted messages not removed\n", lang), 9)
    assert annotation.state_before is State.TRANSACTION and annotation.state_after is State.UPDATE
    assert annotation.why is not None and annotation.why.reason.startswith(right)


# ---- 8: TOP/UIDL -ERR with the count unknown ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "right"),
    [
        ("en", "Either the server has no message 1, or it does not support TOP at all."),
        ("de", "Entweder hat der Server keine Nachricht 1, oder er unterstützt TOP gar nicht."),
    ],
)
def test_top_err_with_the_count_unknown_says_both(lang: str, right: str) -> None:
    why = at(run(LOGGED_IN + "C: TOP 1 5\nS: -ERR no\n", lang), 7).why
    assert why is not None and why.reason == right
    retr = at(run(LOGGED_IN + "C: RETR 1\nS: -ERR no\n", lang), 7).why
    assert retr is not None and retr.code == "no-such-message"


# ---- 9: claims that hold for poplab only ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "de"])
def test_claims_that_hold_for_poplab_only(lang: str) -> None:
    login = at(run(LOGGED_IN, lang), 5)
    assert "holds the maildrop exclusively" not in login.detail
    assert ("Dovecot" in login.detail) and ("RFC 1939 §4" in login.detail)
    in_use = at(run("S: +OK\nC: USER a\nS: +OK\nC: PASS b\nS: -ERR [IN-USE] locked\n", lang), 5).why
    assert in_use is not None and in_use.ref == rfc.IN_USE
    assert ("name and password were right" if lang == "en" else "Name und Passwort stimmten") in in_use.reason
    idle = at(run(LOGGED_IN + "S: -ERR bye\n", lang), 6).why
    assert idle is not None and "RFC 1939 §3" in idle.hint
    stat = at(run(LOGGED_IN + "C: STAT\nS: +OK 1 236\n", lang), 7)
    assert "as the message is sent" not in stat.detail and "byte-stuffing" in stat.detail.lower()
    password = at(run(LOGGED_IN, lang), 4).findings[0]
    assert password.ref == rfc.CLEARTEXT_PASSWORD and str(password.ref) == "RFC 2595 §2.3"


# ---- 10: ports 110 and 995, RFC 8314's preference ------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "de"])
def test_ports_and_the_preference_for_implicit_tls(lang: str) -> None:
    greeting = run("S: +OK ready\n", lang)[0]
    assert "110" in greeting.detail and "995" in greeting.detail
    stls = at(run("S: +OK ready\nC: STLS\nS: +OK go\n", lang), 3)
    assert "RFC 8314 §3" in stls.detail and "995" in stls.detail
    assert str(rfc.IMPLICIT_TLS) == "RFC 8314 §3.1"
