"""The lab's SMTP server beside its POP3 server (lesson 09): a mail typed by hand with ``lab.smtp_session()``
lands in bob's Maildir ``new/``, POP3 fetches it byte-exact after the ``Received:`` header and deletes it; the
session never raises for a learner's mistake; lesson 09's checks run wrong, right and again without touching the
lab's own mailboxes, in English and German."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from poplab.notebook import Lab, check, lesson_check
from poplab.notebook.session import LabError

BOB = "bob@example.com"
MESSAGE = ["From: alice@example.com", "Subject: The journey", "", "Hello Bob.", "."]


@pytest.fixture
def maildir_lab() -> Iterator[Lab]:
    with Lab(lang="en", store="maildir") as made:
        yield made


@pytest.fixture(autouse=True)
def _short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lesson_check, "CHECK_SECONDS", 1.0)


def test_a_mail_typed_by_hand_lands_in_new_and_leaves_by_pop3(maildir_lab: Lab) -> None:
    lab = maildir_lab
    smtp = lab.smtp_session()
    assert smtp.greeting[0].startswith("220 ")
    assert smtp.send("EHLO laptop.example").code == 250
    assert smtp.send("MAIL FROM:<alice@example.com>").ok
    refused = smtp.send("RCPT TO:<bob@example.org>")
    assert refused.code == 550 and refused.ok is False and "relay" in refused.explanation
    assert smtp.send(f"RCPT TO:<{BOB}>").code == 250
    assert smtp.send("DATA").code == 354
    replies = [smtp.send(line) for line in MESSAGE]
    assert [reply.ok for reply in replies[:-1]] == [None] * 4 and replies[-1].code == 250
    assert smtp.quit().code == 221
    new = list((lab.maildir(BOB) / "new").iterdir())
    assert len(new) == 1
    pop = lab.session(BOB)
    body = pop.send("RETR 1").body
    assert body is not None and body.startswith(b"Received: from laptop.example ([127.0.0.1])\r\n")
    assert body.endswith(b"\r\n".join(line.encode() for line in MESSAGE[:-1]) + b"\r\n")
    assert pop.send("DELE 1").ok and pop.send("QUIT").ok
    assert list((lab.maildir(BOB) / "new").iterdir()) == []


def test_a_closed_smtp_session_answers_with_what_to_do_and_never_raises(lab: Lab) -> None:
    smtp = lab.smtp_session()
    smtp.quit()
    again = smtp.send("NOOP")
    assert again.ok is False and again.problem and "connect again" in repr(again)
    assert "<div" in again._repr_html_()
    with pytest.raises(LabError):
        lab.maildir(BOB)  # a lab in memory has no Maildirs: it says so


def test_the_smtp_explanations_follow_the_lab_language(lab_de: Lab) -> None:
    smtp = lab_de.smtp_session()
    smtp.send("EHLO laptop.example")
    smtp.send("MAIL FROM:<alice@example.com>")
    assert "kein offenes Relay" in smtp.send("RCPT TO:<bob@example.org>").explanation


def test_stopping_the_lab_stops_its_smtp_server_and_cuts_its_sessions(lab: Lab) -> None:
    smtp = lab.smtp_session()
    lab.stop()
    assert smtp.closed or smtp.send("NOOP").problem
    assert not lab.running


@pytest.mark.parametrize(
    ("task", "name", "wrong", "right"),
    [
        ("09-1", "rcpt", "RCPT TO:<bob@example.org>", "RCPT TO:<bob@example.com>"),
        ("09-2", "protocol", "SMTP", "esmtp"),
        ("09-3", "commands", ["RETR 1", "DELE 1"], ["RETR 1", "DELE 1", "QUIT"]),
    ],
)
def test_lesson_09_checks_wrong_then_right_twice_and_the_lab_untouched(
    lab_de: Lab, task: str, name: str, wrong: object, right: object
) -> None:
    before = lab_de.store.stored(BOB)
    verdict = check(task, namespace={"lab": lab_de, name: wrong})
    assert not verdict.passed and repr(verdict).startswith("Noch nicht.") and "Tipp:" in repr(verdict)
    for _ in range(2):
        assert check(task, namespace={"lab": lab_de, name: right}).passed
    assert lab_de.store.stored(BOB) == before
