"""The notebook API: ``from poplab.notebook import Lab``; ``lab = Lab()`` runs the bundled teaching server,
``lab.session(...)`` talks to it and every ``send`` renders as an annotated exchange (``_repr_html_``, escaped,
no external CSS or JS; a readable plain-text ``repr`` too), in English or German.

Importing this package starts nothing: no thread, no socket, no event loop until a :class:`Lab` is made. It never
imports textual (the terminal tutor's toolkit); ipywidgets is imported only when a console is asked for.
"""

from __future__ import annotations

from poplab.notebook.eavesdrop import Eavesdropper
from poplab.notebook.exchange import Exchange
from poplab.notebook.exercise import CheckView, NotebookExercise
from poplab.notebook.lab import Lab, RemoteLab
from poplab.notebook.lesson_check import check
from poplab.notebook.mailbox import AccountsView, MailboxView
from poplab.notebook.raw import RawView
from poplab.notebook.session import LabError, LabSession
from poplab.notebook.transcript_view import TranscriptView

__all__ = [
    "AccountsView",
    "CheckView",
    "Eavesdropper",
    "Exchange",
    "Lab",
    "LabError",
    "LabSession",
    "MailboxView",
    "NotebookExercise",
    "RawView",
    "RemoteLab",
    "TranscriptView",
    "check",
]
