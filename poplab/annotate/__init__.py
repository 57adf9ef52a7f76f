"""The annotator: transcript → annotations. Pure (no sockets, no clock): it reads the core's command table and
the transcript, and explains every line in the learner's language (English or German)."""

from __future__ import annotations

from poplab.annotate.annotator import Annotator, annotate
from poplab.annotate.model import Annotation, Finding, Kind, Severity, Why
from poplab.annotate.render import render, render_annotation

__all__ = [
    "Annotation",
    "Annotator",
    "Finding",
    "Kind",
    "Severity",
    "Why",
    "annotate",
    "render",
    "render_annotation",
]
