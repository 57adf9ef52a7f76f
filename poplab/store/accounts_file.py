"""The accounts file ``accounts.toml``: parsing with one-line errors that name the file, writing it atomically with
``tomli_w``, and following a file a teacher edits while the server runs. The format is described in DATADIR.md.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tomli_w

from poplab.protocol.seams import Account
from poplab.store.api import AdminError, DataDirError, check_account_name

HEADER = """\
# poplab accounts: one [accounts."name"] table per POP3 account.
#   password    = "..."   password for USER/PASS and AUTH (readable on purpose: this is a lab)
#   pop_enabled = false   refuses POP3 logins for the account (as Exchange's PopEnabled); default true
#   apop_secret = "..."   shared secret for APOP; default: the password
# The account's mail is the Maildir mail/<name>/ next to this file. See DATADIR.md in the poplab package.

"""

_KEYS = {"password": str, "pop_enabled": bool, "apop_secret": str}


def parse_accounts(text: str, source: Path) -> dict[str, Account]:
    """Accounts by name from the text of an accounts file; :class:`DataDirError` naming ``source`` if invalid."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise DataDirError(f"{source}: not valid TOML: {problem}") from None
    unknown = sorted(set(document) - {"accounts"})
    if unknown:
        raise DataDirError(f'{source}: unknown top-level key {unknown[0]!r} (only [accounts."name"] tables)')
    tables = document.get("accounts", {})
    if not isinstance(tables, dict):
        raise DataDirError(f"{source}: 'accounts' must be a table of [accounts.\"name\"] tables")
    return {name: _account(name, table, source) for name, table in tables.items()}


def _account(name: str, table: object, source: Path) -> Account:
    where = f'{source}: [accounts."{name}"]'
    try:
        check_account_name(name)
    except AdminError as problem:
        raise DataDirError(f"{where}: {problem}") from None
    if not isinstance(table, dict):
        raise DataDirError(f'{where}: must be a table with password = "..."')
    for key, value in table.items():
        expected = _KEYS.get(key)
        if expected is None:
            raise DataDirError(f"{where}: unknown key {key!r} (known: password, pop_enabled, apop_secret)")
        if not isinstance(value, expected):
            raise DataDirError(f"{where}: {key} must be a {'boolean' if expected is bool else 'string'}")
    if "password" not in table:
        raise DataDirError(f'{where}: password = "..." is missing')
    return Account(name, table["password"], table.get("pop_enabled", True), table.get("apop_secret"))


def dump_accounts(accounts: Iterable[Account]) -> str:
    """The text of an accounts file holding these accounts (the header comment, then one table each)."""
    tables: dict[str, dict[str, Any]] = {}
    for account in accounts:
        table: dict[str, Any] = {"password": account.password, "pop_enabled": account.pop_enabled}
        if account.apop_secret is not None:
            table["apop_secret"] = account.apop_secret
        tables[account.name] = table
    return HEADER + tomli_w.dumps({"accounts": tables})


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file so that readers see the old or the new content, never half of it (temp file + rename)."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class AccountsFile:
    """One accounts file, re-read whenever its content changes. Not thread-safe: the store serialises calls.

    :meth:`current` keeps serving the last good accounts when the file turns invalid while the server runs (a
    teacher half-way through an edit) and says why in :attr:`problem`; :meth:`load` always reads strictly.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None
        self._text: bytes | None = None
        self._accounts: dict[str, Account] = {}

    def load(self) -> dict[str, Account]:
        """The accounts on disk now; :class:`DataDirError` if the file is missing or invalid."""
        data = self._read()
        if data != self._text:
            self._accounts = parse_accounts(self._decode(data), self.path)
            self._text = data
        self.problem = None
        return dict(self._accounts)

    def current(self) -> dict[str, Account]:
        """The accounts on disk now, or the last good ones (see :attr:`problem`) if the file is now invalid."""
        try:
            return self.load()
        except DataDirError as problem:
            if self._text is None:
                raise
            self.problem = str(problem)
            return dict(self._accounts)

    def save(self, accounts: Iterable[Account]) -> None:
        """Replace the file's content with these accounts (sorted by name), atomically."""
        ordered = sorted(accounts, key=lambda account: account.name)
        data = dump_accounts(ordered).encode("utf-8")
        try:
            write_atomically(self.path, data)
        except OSError as problem:
            raise DataDirError(f"{self.path}: cannot write: {problem.strerror or problem}") from None
        self._text = data
        self._accounts = {account.name: account for account in ordered}
        self.problem = None

    def _read(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            raise DataDirError(f"{self.path}: no such file (not a poplab data directory)") from None
        except OSError as problem:
            raise DataDirError(f"{self.path}: cannot read: {problem.strerror or problem}") from None

    def _decode(self, data: bytes) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as problem:
            raise DataDirError(f"{self.path}: not UTF-8 text (byte {problem.start})") from None
