"""Typical wrong answers, as beginners actually write them: one file per module (``m07.py``).

Each file holds ``SLIPS``, a list of :class:`Slip`: the grade id of the answer cell, what the
trainee got wrong, and the code typed in that answer cell. ``tests/trainee/test_slips.py``
runs each in a live kernel after the module's earlier cells (answered correctly): the visible
check must say ✗ in one line, and the hidden tests must fail on it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Slip:
    question: str  # the answer cell's grade id, e.g. "m07-q1-step-rates"
    mistake: str  # what the trainee got wrong, in a few words
    code: str  # the whole answer cell as the trainee typed it


def slips(module: str) -> list[Slip]:
    """The slips of a module (``m07-storefront-analytics`` -> slip_corpus/m07.py), [] if none yet."""
    try:
        found = importlib.import_module(f"slip_corpus.{module[:3]}")
    except ModuleNotFoundError:
        return []
    return list(found.SLIPS)
