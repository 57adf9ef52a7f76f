"""Accounts and maildrops: an in-memory store, a Maildir store over the stdlib ``mailbox`` module, and the
bundled demo data."""
