"""The data directory: opening and creating it, accounts.toml edited on disk, bad files with one-line errors."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from poplab.protocol.seams import Account
from poplab.store.api import DataDirError
from poplab.store.datadir import open_data_dir
from poplab.store.demo import demo_accounts_text
from poplab.store.maildir_store import MaildirStore


def write_accounts(data: Path, text: str) -> None:
    (data / "accounts.toml").write_text(text, encoding="utf-8")


def problem(data: Path) -> str:
    with pytest.raises(DataDirError) as caught:
        MaildirStore(data)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(data / "accounts.toml") + ": ")
    return message.removeprefix(str(data / "accounts.toml") + ": ")


def test_open_data_dir_creates_a_missing_directory_with_the_demo_data(tmp_path: Path) -> None:
    store = open_data_dir(tmp_path / "new" / "data")
    assert (tmp_path / "new" / "data" / "accounts.toml").read_text(encoding="utf-8") == demo_accounts_text()
    assert store.mailbox_stats("wiki@example.com") == (1, 236)
    maildirs = [path for path in (tmp_path / "new" / "data" / "mail").iterdir() if not path.name.startswith(".")]
    assert len(maildirs) == 6  # bob's empty one too


def test_open_data_dir_fills_an_existing_directory_without_accounts(tmp_path: Path) -> None:
    (tmp_path / "tls").mkdir()  # the server's certificate may be there first
    store = open_data_dir(tmp_path)
    assert [a.name for a in store.accounts()][:2] == ["alice@example.com", "bob@example.com"]
    assert (tmp_path / "tls").is_dir()


def test_open_data_dir_opens_an_existing_data_dir_as_it_is(tmp_path: Path) -> None:
    write_accounts(tmp_path, '[accounts.solo]\npassword = "pw"\n')
    assert open_data_dir(tmp_path).accounts() == [Account("solo", "pw")]


def test_open_data_dir_without_create_refuses_a_missing_one(tmp_path: Path) -> None:
    with pytest.raises(DataDirError, match=r"accounts\.toml: no such file"):
        open_data_dir(tmp_path / "absent", create=False)
    assert not (tmp_path / "absent").exists()


def test_a_file_is_not_a_data_directory(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(DataDirError, match="file: not a directory"):
        open_data_dir(tmp_path / "file")


def test_a_missing_accounts_file(tmp_path: Path) -> None:
    assert problem(tmp_path) == "no such file (not a poplab data directory)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[accounts.a\npassword = 1\n", "not valid TOML: "),
        ("title = 'x'\n", "unknown top-level key 'title' (only [accounts.\"name\"] tables)"),
        ("accounts = 3\n", "'accounts' must be a table of [accounts.\"name\"] tables"),
        ("[accounts]\nann = 'pw'\n", '[accounts."ann"]: must be a table with password = "..."'),
        ("[accounts.ann]\npop_enabled = true\n", '[accounts."ann"]: password = "..." is missing'),
        (
            "[accounts.ann]\npassword = 'x'\npop_enable = false\n",
            "[accounts.\"ann\"]: unknown key 'pop_enable' (known: password, pop_enabled, apop_secret)",
        ),
        ("[accounts.ann]\npassword = 'x'\npop_enabled = 'no'\n", '[accounts."ann"]: pop_enabled must be a boolean'),
        ("[accounts.ann]\npassword = 1234\n", '[accounts."ann"]: password must be a string'),
        (
            "[accounts.\"a/b\"]\npassword = 'x'\n",
            "[accounts.\"a/b\"]: invalid account name 'a/b': it must not contain '/' or '\\'",
        ),
    ],
)
def test_an_invalid_accounts_file_is_reported_in_one_line(tmp_path: Path, text: str, expected: str) -> None:
    write_accounts(tmp_path, text)
    if expected == "not valid TOML: ":  # the parser's own words follow, with line and column
        assert problem(tmp_path).startswith(expected) and "line 1" in problem(tmp_path)
    else:
        assert problem(tmp_path) == expected


def test_an_accounts_file_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "accounts.toml").write_bytes(b"[accounts.ann]\npassword = '\xff'\n")
    assert problem(tmp_path) == "not UTF-8 text (byte 27)"


def test_edits_on_disk_are_seen_at_the_next_lookup(data: Path) -> None:
    store = MaildirStore(data)
    assert store.account("ann") is None
    write_accounts(data, '[accounts.ann]\npassword = "one"\n')
    assert store.account("ann") == Account("ann", "one")
    write_accounts(data, '[accounts.ann]\npassword = "two"\npop_enabled = false\napop_secret = "s"\n')
    assert store.account("ann") == Account("ann", "two", False, "s")
    write_accounts(data, "")
    assert store.account("ann") is None


def test_a_broken_edit_keeps_the_last_good_accounts_until_fixed(data: Path) -> None:
    write_accounts(data, '[accounts.ann]\npassword = "one"\n')
    store = MaildirStore(data)
    write_accounts(data, '[accounts.ann]\npassword = "one\n')
    assert store.account("ann") == Account("ann", "one")
    assert store.problem is not None and store.problem.startswith(f"{data / 'accounts.toml'}: not valid TOML: ")
    with pytest.raises(DataDirError):  # administration never overwrites a file it cannot read
        store.set_account(Account("ann", "other"))
    write_accounts(data, '[accounts.ann]\npassword = "fixed"\n')
    assert store.account("ann") == Account("ann", "fixed")
    assert store.problem is None


def test_writes_are_atomic_valid_toml_and_sorted(data: Path) -> None:
    store = MaildirStore(data)
    store.add_account(Account("zed@example.com", "z"))
    store.add_account(Account("amy@example.com", 'quote " and \\ backslash', pop_enabled=False, apop_secret="s"))
    text = (data / "accounts.toml").read_text(encoding="utf-8")
    assert text.startswith("# poplab accounts")
    assert tomllib.loads(text) == {
        "accounts": {
            "amy@example.com": {"password": 'quote " and \\ backslash', "pop_enabled": False, "apop_secret": "s"},
            "zed@example.com": {"password": "z", "pop_enabled": True},
        }
    }
    assert text.index("amy@example.com") < text.index("zed@example.com")
    assert sorted(p.name for p in data.iterdir()) == ["accounts.toml", "mail"]  # no temp file left behind
    assert MaildirStore(data).accounts() == store.accounts()
