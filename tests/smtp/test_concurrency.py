"""100 senders at once beside POP3 sessions on the same mailboxes: every message arrives exactly once; a POP3
session already in TRANSACTION keeps its snapshot (RFC 1939 §4: the maildrop as it was at login) and the next
login sees the new mail."""

from __future__ import annotations

import poplib
import re
import smtplib
import threading
from concurrent.futures import ThreadPoolExecutor

from tests.smtp.conftest import MESSAGE, Lab, split_received

ACCOUNTS = {"bob@example.com": "builder", "wiki@example.com": "passwort_im_klartext", "dave@example.com": "bigfiles"}
SENDERS = 100
READERS = 40


def _message(number: int) -> bytes:
    return f"X-Sequence: {number}\r\n".encode() + MESSAGE


def test_100_concurrent_senders_beside_pop3_sessions_lose_and_duplicate_nothing(lab: Lab) -> None:
    before = {name: len(lab.fetch_all(name, password)) for name, password in ACCOUNTS.items()}
    names = sorted(ACCOUNTS)
    start = threading.Barrier(SENDERS + READERS, timeout=30)

    def send(number: int) -> None:
        start.wait()
        with smtplib.SMTP("127.0.0.1", lab.smtp_port, timeout=30) as client:
            client.sendmail("alice@example.com", [names[number % len(names)]], _message(number))

    def read(number: int) -> int:
        start.wait()
        name = names[number % len(names)]
        seen = 0
        for _ in range(3):
            client = poplib.POP3("127.0.0.1", lab.pop.port, timeout=30)
            try:
                client.user(name)
                client.pass_(ACCOUNTS[name])
            except poplib.error_proto as refused:
                assert b"[IN-USE]" in refused.args[0]  # another reader holds the maildrop: fine
                client.quit()
                continue
            seen = max(seen, client.stat()[0])
            client.quit()
        return seen

    with ThreadPoolExecutor(SENDERS + READERS) as pool:
        sent = [pool.submit(send, number) for number in range(SENDERS)]
        reads = [pool.submit(read, number) for number in range(READERS)]
        for future in [*sent, *reads]:
            future.result(timeout=60)

    arrived: dict[int, int] = {}
    for name, password in ACCOUNTS.items():
        messages = lab.fetch_all(name, password)[before[name] :]
        for message in messages:
            _, rest = split_received(message)
            found = re.match(rb"X-Sequence: (\d+)\r\n", rest)
            assert found is not None and rest == _message(int(found.group(1)))
            number = int(found.group(1))
            assert names[number % len(names)] == name  # in the right mailbox
            arrived[number] = arrived.get(number, 0) + 1
    assert arrived == dict.fromkeys(range(SENDERS), 1)


def test_a_session_in_transaction_keeps_its_snapshot_the_next_login_sees_the_mail(lab: Lab) -> None:
    reader = poplib.POP3("127.0.0.1", lab.pop.port, timeout=10)
    reader.user("bob@example.com")
    reader.pass_("builder")
    assert reader.stat() == (0, 0)
    with smtplib.SMTP("127.0.0.1", lab.smtp_port, timeout=10) as client:
        client.sendmail("alice@example.com", ["bob@example.com"], MESSAGE)
    assert reader.stat() == (0, 0)
    assert reader.list()[1] == []
    reader.quit()
    assert len(lab.fetch_all("bob@example.com", "builder")) == 1


def test_delivery_lands_in_new_through_tmp(lab: Lab) -> None:
    with smtplib.SMTP("127.0.0.1", lab.smtp_port, timeout=10) as client:
        client.sendmail("alice@example.com", ["bob@example.com"], MESSAGE)
    if lab.maildir is None:
        return
    root = lab.maildir / "bob@example.com"
    assert list((root / "tmp").iterdir()) == []
    (delivered,) = list((root / "new").iterdir())
    header, rest = split_received(delivered.read_bytes())
    assert rest == MESSAGE and header.startswith(b"Received: ")
