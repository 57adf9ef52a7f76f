"""The learner's SMTP session (poplab.client.SmtpSession): raw lines typed by hand, STARTTLS, AUTH PLAIN, DATA
with dot-stuffing — every line recorded, the message delivered as sent."""

from __future__ import annotations

from poplab.client import SmtpSession
from tests.smtp.conftest import MESSAGE, Lab, assert_arrived


def test_a_session_typed_by_hand(lab: Lab) -> None:
    with SmtpSession.connect("127.0.0.1", lab.smtp_port, "starttls", context=lab.client_tls()) as session:
        assert session.greeting is not None and session.greeting.code == 220
        assert session.certificate is not None
        assert session.ehlo("laptop").code == 250
        assert session.auth_plain("alice@example.com", "wonderland").code == 235
        assert session.mail_from("alice@example.com").code == 250
        assert session.rcpt_to("bob@example.com").code == 250
        assert session.send("DATA").code == 354  # type: ignore[union-attr]
        assert session.in_data
        for line in MESSAGE.splitlines(keepends=True):
            assert session.send(b"." + line if line.startswith(b".") else line) is None
        final = session.send(".")
        assert final is not None and final.code == 250 and not session.in_data
        assert session.quit().code == 221
        assert session.closed
    assert_arrived(lab, "bob@example.com", "builder", MESSAGE)
    directions = "".join(line.direction for line in session.lines)
    assert directions.startswith("SCS")  # greeting, EHLO, its first reply line
    assert session.lines[-1].closed and session.lines[-1].direction == "S"
    texts = [line.raw for line in session.lines]
    assert b"..a line that begins with a dot (stuffed on the wire, not in the mailbox)\r\n" in texts
    assert all(line.tls for line in session.lines if line.raw.startswith(b"MAIL"))


def test_the_data_helper_stuffs_dots(lab: Lab) -> None:
    with SmtpSession.connect("127.0.0.1", lab.smtp_port) as session:
        session.ehlo()
        session.mail_from("alice@example.com")
        session.rcpt_to("bob@example.com")
        assert session.data(MESSAGE).code == 250
        session.quit()
    assert_arrived(lab, "bob@example.com", "builder", MESSAGE)
