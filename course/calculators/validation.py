"""One clear error for a bad calculator input, and the helpers that raise it."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from numbers import Real
from typing import Generic, Literal, SupportsInt, TypeVar, overload

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class InputError(ValueError):
    """A calculator input is out of range.

    ``field`` names the input, ``value`` is what was given and ``accepted`` says in
    plain English what is allowed. ``low`` and ``high`` (when the rule is a range)
    let a widget rephrase the message in the trainee's language.
    """

    def __init__(self, field: str, value: object, accepted: str,
                 low: float | date | None = None, high: float | date | None = None,
                 whole: bool = False) -> None:
        self.field, self.value, self.accepted = field, value, accepted
        self.low, self.high, self.whole = low, high, whole
        super().__init__(f"{field} = {value!r} is not accepted: expected {accepted}")


@overload
def number(field: str, value: object, low: float | None = None, high: float | None = None,
           integer: Literal[False] = False) -> float: ...
@overload
def number(field: str, value: object, low: float | None, high: float | None, integer: Literal[True]) -> int: ...
@overload
def number(field: str, value: object, low: float | None = None, high: float | None = None, *,
           integer: Literal[True]) -> int: ...
def number(field: str, value: object, low: float | None = None, high: float | None = None,
           integer: bool = False) -> float:
    """Return ``value`` as a number if it is a finite real within [low, high], else raise InputError.

    The number is an int when ``integer`` (2.0 becomes 2; 2.5 is refused), else a float.
    """
    kind = "a whole number" if integer else "a number"
    accepted = range_text(kind, low, high)
    # SupportsInt: int() takes it (float, Fraction, numpy's numbers do; typeshed's Real does not say so)
    if isinstance(value, bool) or not isinstance(value, Real) or not isinstance(value, SupportsInt):
        raise InputError(field, value, accepted, low, high, integer)
    try:  # a huge int (10**400) overflows float conversion: out of range, not a crash
        usable = math.isfinite(value) and not (integer and value != int(value))
    except OverflowError:
        usable = False
    if not usable:
        raise InputError(field, value, accepted, low, high, integer)
    if (low is not None and value < low) or (high is not None and not value <= high):  # Real has < and <=
        raise InputError(field, value, accepted, low, high, integer)
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


@dataclass(frozen=True)
class Rule(Generic[T_co]):
    """What one input accepts: its kind, how a value is checked and, for numbers and dates, its range.

    ``kind`` is ``"number"``, ``"whole"`` (a whole number), ``"date"``, ``"flag"`` (True or
    False), ``"choice"`` (one of ``choices``) or ``"custom"`` (the calculator's own check);
    ``optional`` lets None through ("not given"). ``convert(field, value)`` returns the value
    normalised, of type ``T_co`` (int for whole numbers, float for numbers, ...), or raises
    InputError; the functions below (:func:`real`, :func:`whole`, ...) make the rules.
    The calculators check their inputs with these rules (:func:`normalise`) and the widgets
    read the same rules for their controls and messages, so both always agree.
    """

    kind: str
    convert: Callable[[str, object], T_co]
    low: float | date | None = None
    high: float | date | None = None
    choices: tuple[str, ...] = ()
    optional: bool = False

    def check(self, field: str, value: object) -> T_co:
        """``value`` normalised (int for whole numbers, float for numbers), or an InputError."""
        return self.convert(field, value)


@overload
def real(low: float | None = None, high: float | None = None, optional: Literal[False] = False) -> Rule[float]: ...
@overload
def real(low: float | None = None, high: float | None = None, *, optional: Literal[True]) -> Rule[float | None]: ...
def real(low: float | None = None, high: float | None = None, optional: bool = False) -> Rule[float | None]:
    """A number (not necessarily whole) within [low, high]; with ``optional``, None too ("not given")."""
    def convert(field: str, value: object) -> float | None:
        return None if value is None and optional else number(field, value, low, high)

    return Rule("number", convert, low, high, optional=optional)


def whole(low: int | None = None, high: int | None = None) -> Rule[int]:
    """A whole number within [low, high] (2.0 is accepted as 2, 2.5 is not)."""
    return Rule("whole", lambda field, value: number(field, value, low, high, integer=True), low, high)


def dates(low: date | None = None, high: date | None = None) -> Rule[date]:
    """A calendar date within [low, high]."""
    return Rule("date", lambda field, value: day(field, value, low, high), low, high)


def one_of(*choices: str) -> Rule[str]:
    """One of the given texts."""
    def convert(field: str, value: object) -> str:
        if isinstance(value, str) and value in choices:
            return value
        raise InputError(field, value, "one of: " + ", ".join(choices))

    return Rule("choice", convert, choices=choices)


def custom(convert: Callable[[object], T]) -> Rule[T]:
    """A structured input (a sequence, say) checked by ``convert``, which raises InputError."""
    return Rule("custom", lambda field, value: convert(value))


FLAG = Rule("flag", flag)


def check_values(values: Mapping[str, object], rules: Mapping[str, Rule[T]]) -> dict[str, T]:
    """Each value checked against its rule (in the order of ``rules``), normalised."""
    return {name: rule.check(name, values[name]) for name, rule in rules.items()}


def normalise(record: object, rules: Mapping[str, Rule[object]]) -> None:
    """Check and normalise the fields of a frozen dataclass ``record`` named in ``rules``, in order.

    The first bad field raises :class:`InputError`; good ones are replaced by their normalised
    value (``object.__setattr__``, as the record is frozen). Called from ``__post_init__``.
    """
    for name, rule in rules.items():
        object.__setattr__(record, name, rule.check(name, getattr(record, name)))
