"""The bundled demo data: accounts, every mailbox's teaching point, both stores identical, reset."""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import struct
from email.message import EmailMessage
from pathlib import Path

import pytest

from poplab.protocol.octets import to_crlf, wire_size
from poplab.protocol.seams import Account, MessageInfo
from poplab.store.api import ManagedStore
from poplab.store.demo import demo_accounts_text, demo_messages, install_demo, reset_demo, restore_demo
from poplab.store.maildir_store import MaildirStore
from poplab.store.memory import MemoryStore
from poplab.store.uids import is_valid_uid

DEMO_ACCOUNTS = [
    Account("alice@example.com", "wonderland"),
    Account("bob@example.com", "builder"),
    Account("carol@example.com", "carol123", pop_enabled=False),
    Account("dave@example.com", "bigfiles"),
    Account("mrose@example.com", "tanstaaf", apop_secret="tanstaaf"),
    Account("wiki@example.com", "passwort_im_klartext"),
]
BIG_SHA256 = "cb10ae5d7232d2930d34341e5acc998abd9e7864bbc5f69d92301c57de3047ac"


def snapshot(store: ManagedStore, name: str) -> list[MessageInfo]:
    drop = store.open_maildrop(name)
    try:
        return list(drop.messages)
    finally:
        drop.release()


def parsed(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def alice(number: int) -> bytes:
    return demo_messages("alice@example.com")[number - 1].data


def test_demo_accounts(demo: ManagedStore) -> None:
    assert demo.accounts() == DEMO_ACCOUNTS
    assert [demo.mailbox_stats(a.name)[0] for a in DEMO_ACCOUNTS] == [6, 0, 1, 2, 2, 1]


def test_both_stores_hold_identical_demo_data(tmp_path: Path) -> None:
    memory, maildir = MemoryStore.with_demo(), install_demo(tmp_path / "data")
    assert memory.accounts() == maildir.accounts()
    for account in memory.accounts():
        assert snapshot(memory, account.name) == snapshot(maildir, account.name)
        assert memory.stored(account.name) == maildir.stored(account.name)
        assert memory.mailbox_stats(account.name) == maildir.mailbox_stats(account.name)


def test_demo_uids_are_fixed_valid_and_unique(demo: ManagedStore) -> None:
    uids = [m.uid for a in DEMO_ACCOUNTS for m in snapshot(demo, a.name)]
    assert all(is_valid_uid(uid) and uid.endswith(".poplab-demo") for uid in uids)
    assert len(set(uids)) == len(uids) == 12
    assert [m.uid for m in snapshot(demo, "mrose@example.com")] == [
        "830966400.M11P0Q11.poplab-demo",
        "831061800.M12P0Q12.poplab-demo",
    ]


def test_every_demo_message_has_the_usual_headers_and_a_distinct_subject() -> None:
    subjects = []
    for account in DEMO_ACCOUNTS:
        for message in demo_messages(account.name):
            headers = parsed(message.data)
            assert all(headers[name] for name in ("Date", "From", "To", "Subject"))
            assert headers["Message-ID"] or account.name == "wiki@example.com"  # the article's message has none
            assert b"\r" not in message.data  # stored with LF; the wire gets CRLF
            subjects.append(str(headers["Subject"]))
    assert len(set(subjects)) == len(subjects) == 12


def test_alice_has_a_short_and_a_medium_message() -> None:
    assert wire_size(alice(1)) < 500
    assert 2000 < wire_size(alice(2)) < 10000
    assert str(parsed(alice(2))["Subject"]) == "Notes from the POP3 workshop"


def test_alice_has_lines_that_begin_with_a_dot() -> None:
    lines = alice(3).split(b"\n")
    assert {b".", b"..", b"...and so does an ellipsis."} <= set(lines)
    assert sum(line.startswith(b".") for line in lines) == 5


def test_alice_has_utf8_with_encoded_headers() -> None:
    raw, message = alice(4), parsed(alice(4))
    assert b"Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=\n" in raw
    assert str(message["Subject"]) == "Grüße aus Köln"
    assert str(message["From"]) == "Jürgen Müller <juergen@example.com>"
    assert message["Content-Transfer-Encoding"] == "8bit"
    assert "viele Grüße aus Köln!" in message.get_content()
    assert len(raw) > len(raw.decode("utf-8"))  # octets, not characters


def test_alice_has_a_multipart_message_with_a_png_attachment() -> None:
    message = parsed(alice(5))
    assert message.get_content_type() == "multipart/mixed"
    text, attachment = message.iter_parts()
    assert text.get_content_type() == "text/plain"
    assert attachment.get_filename() == "checkerboard.png"
    assert attachment["Content-Transfer-Encoding"] == "base64"
    png = attachment.get_content()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png.endswith(b"IEND\xaeB`\x82")


def test_alice_has_a_header_line_longer_than_1000_characters() -> None:
    longest = max(alice(6).split(b"\n\n", 1)[0].split(b"\n"), key=len)
    assert longest.startswith(b"References: <thread-001.")
    assert 1000 < len(longest) < 1300
    assert f"is one line of {len(longest)} characters".encode() in alice(6)


def test_the_seed_message_is_the_articles_message() -> None:
    (seed,) = demo_messages("wiki@example.com")
    assert seed.key == "1098065505.M1P0Q1.poplab-demo"
    assert len(to_crlf(seed.data)) == 236
    assert seed.data.endswith(b"\n\nDies ist eine Test-E-Mail\n")


def test_dave_has_a_big_message_that_is_always_the_same() -> None:
    small, big = demo_messages("dave@example.com")
    assert wire_size(small.data) < 1000
    assert wire_size(big.data) == 3058553
    assert hashlib.sha256(big.data).hexdigest() == BIG_SHA256
    assert big.data == building_plan_message()
    bitmap = next(parsed(big.data).iter_attachments()).get_content()
    assert bitmap[:2] == b"BM" and struct.unpack("<ii", bitmap[18:26]) == (WIDTH, HEIGHT)


def test_the_demo_accounts_file_is_a_commented_data_dir_file(tmp_path: Path) -> None:
    text = demo_accounts_text()
    assert text.startswith("# poplab accounts") and 'apop_secret = "tanstaaf"' in text
    install_demo(tmp_path / "data")
    assert (tmp_path / "data" / "accounts.toml").read_text(encoding="utf-8") == text  # comments kept


def test_restore_brings_back_the_demo_and_leaves_other_accounts_alone(demo: ManagedStore) -> None:
    before = {a.name: demo.stored(a.name) for a in DEMO_ACCOUNTS}
    drop = demo.open_maildrop("wiki@example.com")
    drop.commit([m.uid for m in drop.messages])
    drop.release()
    demo.deliver("alice@example.com", b"Subject: extra\n\n")
    demo.set_account(Account("carol@example.com", "changed", pop_enabled=True))
    demo.remove_account("bob@example.com")
    demo.add_account(Account("eve@example.com", "own"), [b"Subject: mine\n\n"])
    restore_demo(demo)
    assert demo.accounts() == sorted([*DEMO_ACCOUNTS, Account("eve@example.com", "own")], key=lambda a: a.name)
    assert {a.name: demo.stored(a.name) for a in DEMO_ACCOUNTS} == before
    assert list(demo.stored("eve@example.com").values()) == [b"Subject: mine\n\n"]


def test_reset_demo_on_a_data_directory(tmp_path: Path) -> None:
    store = install_demo(tmp_path / "data")
    store.clear("alice@example.com")
    reset = reset_demo(tmp_path / "data")
    assert isinstance(reset, MaildirStore)
    assert reset.stored("alice@example.com") == MemoryStore.with_demo().stored("alice@example.com")


@pytest.mark.parametrize("name", ["bob@example.com", "nobody@example.com"])
def test_accounts_without_demo_mail_have_no_demo_messages(name: str) -> None:
    assert demo_messages(name) == ()


# ---- how dave's big message was made (it ships gzip-compressed; this proves what is inside) -----------------

WIDTH, HEIGHT = 1064, 700  # 3 * 1064 = 3192 = 56 * 57: every pixel row is exactly 56 base64 lines of 76 characters
BLUE, WHITE, GRID = b"\x8c\x4e\x1f", b"\xff\xff\xff", b"\xb0\x8a\x5a"  # BGR


def _roof(y: int) -> tuple[int, ...]:
    if not 160 <= y <= 300:
        return ()
    left = 332 + (300 - y) * 10 // 7
    right = 731 - (300 - y) * 10 // 7
    return (left, left + 1, right - 1, right)


def _white(x: int, y: int) -> bool:
    house = 300 <= y <= 560 and 332 <= x <= 731
    return (
        x in _roof(y)
        or (380 <= x <= 440 and 360 <= y <= 420 and (x in (380, 410, 440) or y in (360, 390, 420)))  # window
        or (house and (x in (332, 333, 730, 731) or y in (300, 301, 559, 560)))  # walls
        or (house and 480 <= x <= 560 and y >= 420 and (x in (480, 560) or y == 420))  # door
    )


def _pixel_row(y: int) -> bytes:
    return b"".join(WHITE if _white(x, y) else GRID if x % 38 == 0 or y % 38 == 0 else BLUE for x in range(WIDTH))


def _bitmap() -> bytes:
    pixels = b"".join(_pixel_row(HEIGHT - 1 - y) for y in range(HEIGHT))  # BMP rows go bottom-up
    info = struct.pack("<IiiHHIIiiII", 40, WIDTH, HEIGHT, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    header = struct.pack("<2sIHHI", b"BM", 14 + len(info) + len(pixels), 0, 0, 14 + len(info))
    return header + info + pixels


def building_plan_message() -> bytes:
    marker = b"Content-Transfer-Encoding: base64\n\n"
    head = demo_messages("dave@example.com")[1].data.partition(marker)[0]  # the text part, up to the attachment
    return head + marker + base64.encodebytes(_bitmap()) + b"--poplab-plan-boundary--\n"
