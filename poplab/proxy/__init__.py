"""The annotating proxy: a real mail client (Thunderbird, fetchmail, mpop, curl, poplib) talks to any POP3
server through it, and every line is recorded and explained as it passes. TLS is terminated on each side (plain
or implicit TLS with the lab's certificate towards the client; plain, STLS or implicit TLS with normal
certificate checks towards the server), and the capabilities the client sees are honest about it."""

from __future__ import annotations

from poplab.proxy.app import ProxyServer
from poplab.proxy.events import Note, ProxyEvent, Relayed, SessionEnded, SessionStarted
from poplab.proxy.live import LiveView
from poplab.proxy.runner import ProxyThread
from poplab.proxy.settings import ProxySettings, Upstream

__all__ = [
    "LiveView",
    "Note",
    "ProxyEvent",
    "ProxyServer",
    "ProxySettings",
    "ProxyThread",
    "Relayed",
    "SessionEnded",
    "SessionStarted",
    "Upstream",
]
