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
           integer: bool = False) -> float:
    """Return ``value`` as a number if it is a finite real within [low, high], else raise InputError."""
    kind = "a whole number" if integer else "a number"
    accepted = range_text(kind, low, high)
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InputError(field, value, accepted, low, high)
    try:  # a huge int (10**400) overflows float conversion: out of range, not a crash
        usable = math.isfinite(value) and not (integer and value != int(value))
    except OverflowError:
        usable = False
    if not usable:
        raise InputError(field, value, accepted, low, high)
    if (low is not None and value < low) or (high is not None and value > high):
        raise InputError(field, value, accepted, low, high)
    return int(value) if integer else float(value)


def flag(field: str, value: object) -> bool:
    """Return ``value`` as a plain bool if it is True or False (numpy's bool_ too, as table rows give)."""
    kind = type(value)
    if kind is bool or (kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_")):
        return bool(value)
    raise InputError(field, value, "True or False")


def day(field: str, value: object, low: date | None = None, high: date | None = None) -> date:
    """Return ``value`` if it is a calendar date (not a datetime) within [low, high], else raise InputError."""
    accepted = range_text("a date", low, high)
    if type(value) is not date or (low and value < low) or (high and value > high):
        raise InputError(field, value, accepted, low, high)
    return value


def range_text(kind: str, low: object, high: object) -> str:
    """'a number from 0 to 1', 'a date of at least 2018-01-01', ...: what a rule accepts, in words."""
    if low is not None and high is not None:
        return f"{kind} from {low} to {high}"
    if low is not None:
        return f"{kind} of at least {low}"
    if high is not None:
        return f"{kind} of at most {high}"
    return kind
