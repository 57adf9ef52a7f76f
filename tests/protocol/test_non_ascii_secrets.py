"""Passwords, SASL responses and digests with non-ASCII characters are compared, never crash the session."""

from __future__ import annotations

import base64

import pytest

from poplab.protocol.config import ServerConfig
from poplab.protocol.sasl import apop_digest, cram_md5_digest
from poplab.protocol.seams import Account
from poplab.store.memory import MemoryStore
from tests.protocol.wire import Wire

USER, PASSWORD = "jürgen", "päss wört"
TOKEN = "<1.2@example.com>"
OK = b"+OK mailbox locked and ready\r\n"
WRONG = b"-ERR [AUTH] invalid user name or password\r\n"


def wire() -> Wire:
    store = MemoryStore()
    store.add_account(Account(USER, PASSWORD), [b"Subject: x\n\nx\n"])
    return Wire(store, ServerConfig(apop=True, failed_login_delay=0), token=TOKEN)


def b64(data: str) -> str:
    return base64.b64encode(data.encode()).decode()


@pytest.mark.parametrize("password, expected", [(PASSWORD, OK), ("pöss wärt", WRONG), ("pass", WRONG)])
def test_user_pass(password: str, expected: bytes) -> None:
    w = wire()
    w.cmd(f"USER {USER}")
    assert w.data(f"PASS {password}") == expected


@pytest.mark.parametrize("password, expected", [(PASSWORD, OK), ("päss wört!", WRONG)])
def test_auth_plain_and_login(password: str, expected: bytes) -> None:
    assert wire().data(f"AUTH PLAIN {b64(chr(0) + USER + chr(0) + password)}") == expected
    login = wire()
    login.cmd("AUTH LOGIN")
    login.cmd(b64(USER))
    assert login.data(b64(password)) == expected


def test_apop_and_cram_md5_with_non_ascii_digests() -> None:
    assert wire().data(f"APOP {USER} {apop_digest(TOKEN, PASSWORD)}") == OK
    assert wire().data(f"APOP {USER} ä{apop_digest(TOKEN, PASSWORD)[1:]}") == WRONG
    cram = wire()
    cram.cmd("AUTH CRAM-MD5")
    assert cram.data(b64(f"{USER} {cram_md5_digest(PASSWORD, TOKEN.encode())}")) == OK
    wrong = wire()
    wrong.cmd("AUTH CRAM-MD5")
    assert wrong.data(b64(f"{USER} ö{'0' * 31}")) == WRONG
