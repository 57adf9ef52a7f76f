"""Which addresses the lab delivers to: its own accounts, found without regard to case (account names that
differ only in case are not allowed, so the match is unique). Everything else is refused: the lab is no relay."""

from __future__ import annotations

from poplab.protocol.seams import Account
from poplab.store.api import ManagedStore


def find_account(store: ManagedStore, address: str) -> Account | None:
    """The lab account an address names (``bob@example.com``, ``BOB@Example.COM``), or None."""
    exact = store.account(address)
    if exact is not None:
        return exact
    folded = address.casefold()
    return next((account for account in store.accounts() if account.name.casefold() == folded), None)


def is_local_domain(store: ManagedStore, address: str, hostname: str) -> bool:
    """Whether the address is in a domain the lab serves (the server's own name, or an account's domain): an
    unknown mailbox there is 550 5.1.1, any other domain is a relay attempt (550 5.7.1)."""
    domain = address.rpartition("@")[2].casefold()
    if not domain or domain == hostname.casefold():
        return True
    return any(account.name.rpartition("@")[2].casefold() == domain for account in store.accounts())
