"""The real server over plain POP3, STLS and implicit TLS, driven by the stdlib poplib (one suite, three
transports; the client verifies the lab's generated certificate)."""

from __future__ import annotations

import poplib
from collections.abc import Callable

import pytest

from poplab.protocol.octets import to_crlf
from poplab.store.memory import MemoryStore

Connect = Callable[[], poplib.POP3]
RICH = ("alice@example.com", "wonderland")
SEED = ("wiki@example.com", "passwort_im_klartext")


def login(connect: Connect, user: str, password: str) -> poplib.POP3:
    client = connect()
    client.user(user)
    client.pass_(password)
    return client


def test_every_message_of_every_demo_account_arrives_byte_exact(connect: Connect, store: MemoryStore) -> None:
    for account in store.accounts():
        if not account.pop_enabled:
            continue
        client = login(connect, account.name, account.password)
        stored = list(store.stored(account.name).values())
        count, _ = client.stat()
        assert count == len(stored)
        for number, original in enumerate(stored, 1):
            _, lines, octets = client.retr(number)
            assert b"\r\n".join(lines) + b"\r\n" == to_crlf(original)
            assert octets == len(to_crlf(original))  # poplib takes one octet off for each stuffed dot it removes
        client.quit()


def test_dele_and_quit_deletes(connect: Connect, store: MemoryStore) -> None:
    client = login(connect, *RICH)
    uids = [line.split()[1].decode() for line in client.uidl()[1]]
    assert client.dele(2) == b"+OK message marked for delete - will be deleted on QUIT"
    assert client.quit() == b"+OK bye"
    assert list(store.stored(RICH[0])) == [uid for i, uid in enumerate(uids, 1) if i != 2]


def test_dele_and_a_dropped_connection_delete_nothing(connect: Connect, store: MemoryStore) -> None:
    before = store.stored(RICH[0])
    client = login(connect, *RICH)
    client.dele(1)
    client.dele(2)
    client.close()  # no QUIT: the connection just drops
    again = login(connect, *RICH)  # the lock was released, so this login works
    assert again.stat()[0] == len(before)
    again.quit()
    assert store.stored(RICH[0]) == before


def test_a_second_login_gets_in_use(connect: Connect) -> None:
    first = login(connect, *SEED)
    second = connect()
    second.user(SEED[0])
    with pytest.raises(poplib.error_proto) as refused:
        second.pass_(SEED[1])
    assert refused.value.args[0] == b"-ERR [IN-USE] mailbox already locked by another session"
    first.quit()
    second.user(SEED[0])
    assert second.pass_(SEED[1]) == b"+OK mailbox locked and ready"
    second.quit()


def test_top_uidl_and_capa(connect: Connect) -> None:
    client = login(connect, *SEED)
    assert client.top(1, 0)[1][-1] == b""  # headers, then the blank line
    assert client.uidl(1).startswith(b"+OK 1 ")
    capabilities = client.capa()
    assert "TOP" in capabilities and "UIDL" in capabilities and "USER" not in capabilities
    client.quit()


def test_wrong_password_is_refused_and_the_session_goes_on(connect: Connect) -> None:
    client = connect()
    client.user(SEED[0])
    with pytest.raises(poplib.error_proto) as refused:
        client.pass_("wrong")
    assert refused.value.args[0] == b"-ERR [AUTH] invalid user name or password"
    client.user(SEED[0])
    assert client.pass_(SEED[1]) == b"+OK mailbox locked and ready"
    client.quit()


def test_pop_disabled_account_is_told_so(connect: Connect) -> None:
    client = connect()
    client.user("carol@example.com")
    with pytest.raises(poplib.error_proto) as refused:
        client.pass_("carol123")
    assert refused.value.args[0] == b"-ERR [AUTH] POP3 access is disabled for this account"
    client.quit()
