"""One clear error for a bad calculator input, and the helpers that raise it."""

from __future__ import annotations

import math
from datetime import date
from numbers import Real


class InputError(ValueError):
    """A calculator input is out of range.

    ``field`` names the input, ``value`` is what was given and ``accepted`` says in
    plain English what is allowed. ``low`` and ``high`` (when the rule is a range)
    let a widget rephrase the message in the trainee's language.
    """

    def __init__(self, field: str, value: object, accepted: str,
                 low: float | date | None = None, high: float | date | None = None) -> None:
        self.field, self.value, self.accepted = field, value, accepted
        self.low, self.high = low, high
        super().__init__(f"{field} = {value!r} is not accepted: expected {accepted}")


def number(field: str, value: object, low: float | None = None, high: float | None = None,
           *, integer: bool = False) -> float:
    """Return ``value`` as a number if it is a finite real within [low, high], else raise InputError."""
    kind = "a whole number" if integer else "a number"
    accepted = _range_text(kind, low, high)
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InputError(field, value, accepted, low, high)
    if not math.isfinite(value) or (integer and value != int(value)):
        raise InputError(field, value, accepted, low, high)
    if (low is not None and value < low) or (high is not None and value > high):
        raise InputError(field, value, accepted, low, high)
    return int(value) if integer else float(value)


def day(field: str, value: object, low: date | None = None, high: date | None = None) -> date:
    """Return ``value`` if it is a date within [low, high], else raise InputError."""
    accepted = _range_text("a date", low, high)
    if not isinstance(value, date) or (low and value < low) or (high and value > high):
        raise InputError(field, value, accepted, low, high)
    return value


def _range_text(kind: str, low: object, high: object) -> str:
    if low is not None and high is not None:
        return f"{kind} from {low} to {high}"
    if low is not None:
        return f"{kind} of at least {low}"
    if high is not None:
        return f"{kind} of at most {high}"
    return kind
