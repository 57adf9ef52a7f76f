"""``poplab reset``, ``poplab accounts`` (list, add, set, remove) and ``poplab deliver``: administering the
data directory, as a teacher would administer POP access on Exchange (``PopEnabled``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from poplab.commands.common import CliError, add_data_option, data_dir, open_store
from poplab.store import admin
from poplab.store.api import AdminError

if TYPE_CHECKING:
    from poplab.commands.common import Subparsers


def register(subparsers: Subparsers) -> None:
    reset = subparsers.add_parser("reset", help="restore the demo accounts and their mailboxes")
    add_data_option(reset)
    reset.set_defaults(run=run_reset)
    _register_accounts(subparsers)
    deliver = subparsers.add_parser("deliver", help="put messages (.eml files) into an account's mailbox")
    deliver.add_argument("name", help="account name")
    deliver.add_argument("files", nargs="+", type=Path, metavar="FILE.eml", help="messages to deliver")
    deliver.add_argument(
        "--replace",
        action="store_true",
        help="make these the only messages (refused while a POP3 session holds the mailbox)",
    )
    add_data_option(deliver)
    deliver.set_defaults(run=run_deliver)


def _register_accounts(subparsers: Subparsers) -> None:
    accounts = subparsers.add_parser(
        "accounts",
        help="list and administer accounts",
        description="List accounts with their POP status (like Exchange's Get-CasMailbox | "
        "Where-Object { $_.PopEnabled -eq $true }), or add, change and remove them.",
    )
    add_data_option(accounts)
    accounts.add_argument("--pop-enabled", choices=("true", "false"), help="list only accounts with this POP status")
    accounts.set_defaults(run=run_list)
    actions = accounts.add_subparsers(dest="action", metavar="ACTION")
    add = actions.add_parser("add", help="add an account with an empty mailbox")
    add.add_argument("name")
    add.add_argument("--password", required=True)
    add.add_argument("--apop-secret", help="shared secret for APOP (default: the password)")
    add.add_argument("--pop-disabled", action="store_true", help="create it with POP access switched off")
    add_data_option(add)
    add.set_defaults(run=run_add)
    change = actions.add_parser("set", help="switch an account's POP access on or off")
    change.add_argument("name")
    change.add_argument("--pop-enabled", choices=("true", "false"), required=True)
    add_data_option(change)
    change.set_defaults(run=run_set)
    remove = actions.add_parser("remove", help="remove an account and all its mail")
    remove.add_argument("name")
    add_data_option(remove)
    remove.set_defaults(run=run_remove)


def run_reset(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        admin.reset_demo(store)
    print(f"poplab: demo accounts and mailboxes restored in {data_dir(args)}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    wanted = None if args.pop_enabled is None else args.pop_enabled == "true"
    with open_store(args) as store:
        rows = admin.list_accounts(store, pop_enabled=wanted)
    width = max([len("Name"), *(len(row.name) for row in rows)])
    print(f"{'Name':<{width}}  PopEnabled  Messages  Octets")
    for row in rows:
        print(f"{row.name:<{width}}  {row.pop_enabled!s:<10}  {row.messages:>8}  {row.octets:>6}")
    return 0


def run_add(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        admin.add_account(
            store, args.name, args.password, pop_enabled=not args.pop_disabled, apop_secret=args.apop_secret
        )
    print(f"poplab: account {args.name} added")
    return 0


def run_set(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        account = admin.set_pop_enabled(store, args.name, args.pop_enabled == "true")
    print(f"poplab: {account.name}: PopEnabled = {account.pop_enabled}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        admin.remove_account(store, args.name)
    print(f"poplab: account {args.name} removed")
    return 0


def run_deliver(args: argparse.Namespace) -> int:
    messages = [(path, _read(path)) for path in args.files]
    with open_store(args) as store:
        if args.replace:  # every file checked first, then the mailbox swapped as a whole
            for path, message in messages:
                _check(path, message)
            uids = admin.replace_messages(store, args.name, [message for _, message in messages])
            for (path, _), uid in zip(messages, uids, strict=True):
                print(f"poplab: {path} delivered to {args.name} (UID {uid})")
            return 0
        for path, message in messages:
            try:
                uid = admin.deliver(store, args.name, message)
            except AdminError as problem:
                raise CliError(f"{path}: {problem}") from None
            print(f"poplab: {path} delivered to {args.name} (UID {uid})")
    return 0


def _check(path: Path, message: bytes) -> None:
    try:
        admin.check_message(message)
    except AdminError as problem:
        raise CliError(f"{path}: {problem}") from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as problem:
        raise CliError(f"{path}: {problem.strerror or problem}") from None
