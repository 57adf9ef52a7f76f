"""poplab — an interactive POP3 lab.

Importing poplab never starts an event loop, a thread or a socket.
"""

from __future__ import annotations

__version__ = "0.1.0"
