"""The poplab data directory: its format, and opening it (created with the demo data on first use).

Format (the same text, for teachers, is ``poplab/store/DATADIR.md``)::

    DATA/
      accounts.toml              the accounts (TOML, UTF-8)
      mail/
        wiki@example.com/        one real Maildir per account: cur/ new/ tmp/
          cur/ new/ tmp/
        alice@example.com/ ...
      tls/ ...                   (the server's certificate; not the store's business)

``accounts.toml`` holds one table per account; nothing else is allowed at the top level::

    [accounts."alice@example.com"]
    password = "wonderland"        # required: USER/PASS and AUTH; readable on purpose (this is a lab)
    pop_enabled = true             # optional, default true; false refuses POP3 logins (Exchange's PopEnabled)
    apop_secret = "tanstaaf"       # optional: the APOP shared secret; default: the password

An account name is not empty, has no '/', '\\', spaces or control characters, and does not begin with '.'; it is
also the name of the account's Maildir. The file may be edited while the server runs: it is re-read at every
login. If an edit leaves it invalid, the server keeps the last good accounts (``MaildirStore.problem`` says why)
until it is fixed. poplab writes the file atomically (temp file + rename) and then without comments.

``mail/<name>/`` is a Maildir as mutt (``mutt -f DATA/mail/alice@example.com``), Dovecot
(``mail_location = maildir:DATA/mail/%u``) and Python's ``mailbox.Maildir`` read it. An account without a
Maildir has an empty one, created at its first login. Messages are files in new/ or cur/ named ``KEY`` or
``KEY:2,FLAGS``; anything dropped there (through tmp/ and a rename, as an MDA does) is seen at the next login.

- UID (UIDL): the KEY when it is 1-70 characters of 0x21-0x7E (RFC 1939 §7), else ``sha1-`` and the hex SHA-1
  of the KEY. A mail client moving a message from new/ to cur/ does not change it; a new delivery gets a new key.
- Order (message numbers): by the delivery time at the start of the KEY (``SECONDS.M<usec>P<pid>Q<n>.host``, as
  ``mailbox.Maildir`` and most MDAs write it), else the file's modification time; ties by KEY.
- Size (STAT, LIST): the octets as sent, every line end counted as CRLF (RFC 1939 §11). Files are stored as
  given; LF line ends (the Unix custom) are served as CRLF.
- Locking (:mod:`poplab.store.file_locks`): a maildrop open in a POP3 session is locked across processes (flock on
  ``locks/mail/<name>.lock``); a running server holds ``locks/server.lock``, so a second one is refused.
- Symbolic links in new/ and cur/ are skipped, never opened. A reset swaps in a Maildir built aside
  (``mail/.poplab-swap/``), so an interruption leaves the old or the new one.
- Deleting (QUIT after DELE) removes the files; a message already removed by someone else is no error.
"""

from __future__ import annotations

from pathlib import Path

from poplab.store.api import DataDirError
from poplab.store.demo import install_demo
from poplab.store.maildir_store import ACCOUNTS_FILE, MAIL_DIR, MaildirStore

__all__ = ["ACCOUNTS_FILE", "MAIL_DIR", "DataDirError", "MaildirStore", "is_data_dir", "open_data_dir"]


LAB_ENTRIES = frozenset({"tls", "locks", "progress", "notebooks", "tutor-progress.json", MAIL_DIR})
"""What the faces may keep in a data directory before it holds accounts: the demo data may be added there. Any
other file means the directory is someone else's (``--data ~``, say), and it is left alone."""


def is_data_dir(path: Path | str) -> bool:
    """Whether ``path`` holds an accounts file (valid or not)."""
    return (Path(path) / ACCOUNTS_FILE).is_file()


def open_data_dir(path: Path | str, *, create: bool = True) -> MaildirStore:
    """The store over a data directory. Without an ``accounts.toml`` there, ``create`` makes one with the demo
    data (creating the directory too); otherwise that is a :class:`DataDirError`, as is an invalid file."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise DataDirError(f"{path}: not a directory")
    if is_data_dir(path):
        return MaildirStore(path)
    if not create:
        raise DataDirError(f"{path / ACCOUNTS_FILE}: no such file (not a poplab data directory)")
    foreign = sorted(entry.name for entry in path.iterdir() if entry.name not in LAB_ENTRIES) if path.is_dir() else []
    if foreign:
        raise DataDirError(
            f"{path}: not a poplab data directory (no {ACCOUNTS_FILE}, and it holds {foreign[0]!r}); "
            "give a new or empty directory"
        )
    try:
        return install_demo(path)
    except OSError as problem:
        raise DataDirError(f"{path}: cannot create the data directory: {problem.strerror or problem}") from None
