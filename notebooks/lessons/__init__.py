"""The lessons, in order: one module per notebook, each a :class:`~lessons.cells.Lesson` with English and German
texts. ``notebooks/build.py`` makes the notebooks from these."""

from __future__ import annotations

from lessons.l01_first_session import LESSON as L01
from lessons.l02_listing_reading import LESSON as L02
from lessons.l03_deleting_update import LESSON as L03
from lessons.l04_under_the_hood import LESSON as L04
from lessons.l05_security import LESSON as L05
from lessons.l06_limits_vs_imap import LESSON as L06
from lessons.l07_administering import LESSON as L07
from lessons.l08_own_client import LESSON as L08
from lessons.l09_smtp_journey import LESSON as L09
from lessons.l10_eavesdropper_keys import LESSON as L10

LESSONS = (L01, L02, L03, L04, L05, L06, L07, L08, L09, L10)
