"""Subcommands of ``poplab``: one module each, with ``register(subparsers)``."""
