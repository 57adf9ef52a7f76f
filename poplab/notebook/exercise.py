"""The seam to the classroom exercises (``poplab.exercises``): ``lab.exercise("05")`` loads an exercise for this
lab, whose ``.check()`` renders a result. Until the exercises package is installed, a clear message says so."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from poplab.notebook import texts
from poplab.notebook.session import LabError

if TYPE_CHECKING:
    from poplab.notebook.place import LabBase

MODULE = "poplab.exercises"


def load(lab: LabBase, ident: str) -> Any:
    try:
        exercises = importlib.import_module(MODULE)
    except ModuleNotFoundError as problem:
        if problem.name not in (MODULE, "poplab.exercises"):
            raise
        raise LabError(lab.t(texts.ERR_NO_EXERCISES)) from None
    return exercises.for_notebook(lab, ident)
