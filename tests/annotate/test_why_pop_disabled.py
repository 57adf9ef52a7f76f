"""A login refused because POP access is switched off is explained as that, not as a wrong password."""

from __future__ import annotations

from poplab.annotate import annotate
from poplab.transcript import Transcript

REFUSED = """S: +OK example.com POP3-Server
C: USER carol@example.com
S: +OK Please enter password
C: PASS carol123
S: -ERR [AUTH] POP3 access is disabled for this account
"""


def test_pop_disabled_gets_its_own_why_in_both_languages() -> None:
    english = annotate(Transcript.from_text(REFUSED), "en")[-1].why
    german = annotate(Transcript.from_text(REFUSED), "de")[-1].why
    assert english is not None and german is not None
    assert (english.code, english.reason) == (
        "auth-disabled",
        "[AUTH]: this account may not use POP3 (its POP access is switched off).",
    )
    assert german.reason == "[AUTH]: Dieses Konto darf POP3 nicht benutzen (sein POP-Zugang ist abgeschaltet)."


def test_a_wrong_password_is_still_a_wrong_password() -> None:
    wrong = REFUSED.replace("POP3 access is disabled for this account", "invalid user name or password")
    why = annotate(Transcript.from_text(wrong), "en")[-1].why
    assert why is not None and why.code == "auth"
