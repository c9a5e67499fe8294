"""Friendly self-checks for the visible test cells of a module.

Each check either returns quietly or raises :class:`CheckFailed` with one plain
sentence, in the trainee's language, saying what is wrong: the type, the unit
(fraction or percent), the plausible range, the rounding. Checks never reveal the
answer; the hidden tests that grade exact values stay plain ``assert`` statements.

Every public check returns ``None``: a visible test cell must not end with a value,
because nbgrader reads a test cell's last value as partial credit (Validate would fail
with "partial credit cannot be greater than maximum points"). And whatever value or
type it is given, a check raises nothing but its own one-line :class:`CheckFailed`.

>>> number("growth", 0.27, low=0, high=1, fraction=True, quiet=True)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from numbers import Integral, Real
from typing import Any, ParamSpec

from course import explain, formats
from course.i18n import message, set_language  # set_language: re-exported, so checks.set_language("id") works

__all__ = [
    "CheckFailed", "answered", "consistent", "day", "function", "in_range", "is_fraction", "is_number",
    "is_percent", "mapping", "number", "one_of", "passed", "requires", "rounded", "same_as", "sequence",
    "set_language", "table",
]

_Args = ParamSpec("_Args")

explain.install()  # in a notebook: Python's common errors get a plain line in the trainee's language


_RUN_CELLS: list[str] = []  # the cells run in this kernel since the checks were imported, newest last (for rerun)


def _remember_cells() -> None:
    """In IPython, keep the source of each cell as it runs (unlike ``In``, also when history is off)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "_course_remembers_cells", False):
        return

    def remember(info: Any) -> None:
        _RUN_CELLS.append(str(getattr(info, "raw_cell", "") or ""))
        del _RUN_CELLS[:-500]

    shell.events.register("pre_run_cell", remember)
    shell._course_remembers_cells = True


_remember_cells()


class CheckFailed(AssertionError):
    """A visible check failed. In Jupyter it shows as one line, not a traceback."""

    def _render_traceback_(self) -> list[str]:  # IPython calls this instead of printing a traceback
        return [f"{message('check.failed_prefix')} {self}"]


def _fail(key: str, **fields: object) -> CheckFailed:
    return CheckFailed(message(key, None, **fields))  # None: the language in force


def _check(func: Callable[_Args, None]) -> Callable[_Args, None]:
    """Make ``func`` a visible check: it returns ``None`` and raises only :class:`CheckFailed`.

    A value the check was not written for (a pandas Series where a number belongs, an
    object whose comparison raises) becomes a one-line message instead of a traceback.
    """

    @functools.wraps(func)
    def checked(*args: _Args.args, **kwargs: _Args.kwargs) -> None:
        try:
            func(*args, **kwargs)
        except CheckFailed:
            raise
        except Exception as error:  # noqa: BLE001 - any other failure is the value's, said in one line
            name = args[0] if args and isinstance(args[0], str) else kwargs.get("name", "?")
            value = args[1] if len(args) > 1 else kwargs.get("value")
            raise _fail("check.cannot_check", name=name, actual=_type_name(value), value=_show(value),
                        error=type(error).__name__) from None

    return checked


def _show(value: object) -> str:
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - an object whose repr fails is shown by its type
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


_TYPE_MESSAGES = {"bool": "type.true_false", "int": "type.whole_number", "float": "type.number",
                  "str": "type.text", "list": "type.list", "date": "type.date", "tuple": "type.tuple",
                  "dict": "type.dictionary", "DataFrame": "type.table", "Series": "type.column"}


def _kind_name(kind: type) -> str:
    """A type's name as a trainee reads it ("a number", "a table (pandas DataFrame)", ...)."""
    key = _TYPE_MESSAGES.get(kind.__name__)
    return message(key) if key else kind.__name__


def _type_name(value: object) -> str:
    return _kind_name(type(value))


@_check
def passed(name: str) -> None:
    """Tell the trainee that the visible checks on ``name`` passed."""
    print(message("check.passed", name=name))


@_check
def answered(name: str, value: object) -> None:
    """Fail when the answer is still the placeholder (None or Ellipsis)."""
    if value is None or value is Ellipsis:
        raise _fail("check.not_answered", name=name)


@_check
def is_number(name: str, value: object, *, integer: bool = False) -> None:
    """``value`` must be a real number (a whole number if ``integer``); bools and text are refused."""
    answered(name, value)
    if isinstance(value, str):
        raise _fail("check.text_not_number", name=name, value=_show(value))
    if (isinstance(value, tuple) and len(value) == 2
            and all(isinstance(part, Integral) and not isinstance(part, bool) for part in value)):
        whole, decimals = value
        raise _fail("check.comma_decimal", name=name, comma=f"{whole},{decimals}", point=f"{whole}.{decimals}")
    if isinstance(value, bool) or not isinstance(value, Real):
        expected = message("type.whole_number" if integer else "type.number")
        raise _fail("check.wrong_type", name=name, expected=expected, actual=_type_name(value), value=_show(value))
    if not math.isfinite(value):
        raise _fail("check.not_finite", name=name, value=_show(value))
    if integer and value != round(value):
        raise _fail("check.not_whole", name=name, value=_show(value))


def _real(name: str, value: object) -> int | float:
    """``value`` checked by :func:`is_number`, as Python's int or float to compare with the bounds
    (a message still shows ``value`` itself, as the trainee's code holds it)."""
    is_number(name, value)
    assert isinstance(value, Real)  # is_number refused anything else
    return int(value) if isinstance(value, Integral) else float(value)


@_check
def in_range(name: str, value: object, low: float, high: float, unit: str = "") -> None:
    """``value`` must lie within [low, high] (the plausible range, not the answer)."""
    if not low <= _real(name, value) <= high:
        # the bounds in the reader's way of writing numbers ("0 to 10,000,000" / "0 sampai 10.000.000");
        # the value as Python shows it, since that is what the trainee's code holds
        raise _fail("check.out_of_range", name=name, value=_show(value), low=formats.number(low),
                    high=formats.number(high), unit=f" {unit}" if unit else "")


@_check
def is_fraction(name: str, value: object, low: float = 0.0, high: float = 1.0) -> None:
    """A share given as a fraction (0.25, not 25): a percentage gets a unit hint."""
    real = _real(name, value)
    if high <= 1 and 1 < real <= 100:
        raise _fail("check.percent_not_fraction", name=name, value=_show(value))
    in_range(name, value, low, high)


@_check
def is_percent(name: str, value: object, low: float = 0.0, high: float = 100.0) -> None:
    """A share given as a percentage (25, not 0.25): a fraction gets a unit hint."""
    real = _real(name, value)
    if low >= 1 and 0 < real < 1:
        raise _fail("check.fraction_not_percent", name=name, value=_show(value))
    in_range(name, value, low, high, "%")


@_check
def rounded(name: str, value: object, decimals: int) -> None:
    """``value`` must already be rounded to ``decimals`` places."""
    real = _real(name, value)
    if not math.isclose(real, round(real, decimals), rel_tol=0, abs_tol=1e-9 * max(1.0, abs(real))):
        raise _fail("check.not_rounded", name=name, value=_show(value), decimals=decimals)


@_check
def number(name: str, value: object, *, low: float | None = None, high: float | None = None,
           unit: str = "", fraction: bool = False, percent: bool = False,
           decimals: int | None = None, integer: bool = False, quiet: bool = False) -> None:
    """All the usual checks of a numeric answer in one call; prints a success line unless ``quiet``."""
    is_number(name, value, integer=integer)
    if fraction:
        is_fraction(name, value, 0.0 if low is None else low, 1.0 if high is None else high)
    elif percent:
        is_percent(name, value, 0.0 if low is None else low, 100.0 if high is None else high)
    elif low is not None or high is not None:
        in_range(name, value, -math.inf if low is None else low, math.inf if high is None else high, unit)
    if decimals is not None:
        rounded(name, value, decimals)
    if not quiet:
        passed(name)


@_check
def day(name: str, value: object, low: date | None = None, high: date | None = None,
        *, quiet: bool = False) -> None:
    """``value`` must be a calendar date (``datetime.date``, not a timestamp) within [low, high]."""
    answered(name, value)
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        raise _fail("check.datetime_not_date", name=name, value=_show(value))
    if not isinstance(value, date):
        raise _fail("check.wrong_type", name=name, expected=message("type.date"),
                    actual=_type_name(value), value=_show(value))
    if (low and value < low) or (high and value > high):
        raise _fail("check.date_out_of_range", name=name, value=value.isoformat(),
                    low=low.isoformat() if low else "…", high=high.isoformat() if high else "…")
    if not quiet:
        passed(name)


@_check
def mapping(name: str, value: object, keys: Sequence[str], *, quiet: bool = False) -> None:
    """``value`` must be a dictionary with exactly ``keys``."""
    answered(name, value)
    if not isinstance(value, Mapping):
        raise _fail("check.wrong_type", name=name, expected=message("type.dictionary"),
                    actual=_type_name(value), value=_show(value))
    missing = [k for k in keys if k not in value]
    extra = [k for k in value if k not in keys]
    if missing or extra:
        none = message("check.none")
        raise _fail("check.wrong_keys", name=name, keys=", ".join(map(str, keys)),
                    missing=", ".join(map(str, missing)) or none, extra=", ".join(map(str, extra)) or none)
    if not quiet:
        passed(name)


@_check
def sequence(name: str, value: object, of: type = object, low: int = 0, high: int | None = None,
             *, quiet: bool = False) -> None:
    """``value`` must be a list (or tuple) of ``low`` to ``high`` items, each an instance of ``of``."""
    answered(name, value)
    if not isinstance(value, (list, tuple)):
        raise _fail("check.wrong_type", name=name, expected=message("type.list"),
                    actual=_type_name(value), value=_show(value))
    if not low <= len(value) <= (len(value) if high is None else high):
        raise _fail("check.wrong_count", name=name, low=low, high="…" if high is None else high, actual=len(value))
    for item in value:
        if not isinstance(item, of):
            raise _fail("check.wrong_item_type", name=name, expected=_kind_name(of) if of is not object else "",
                        value=_show(item), actual=_type_name(item))
    if not quiet:
        passed(name)


@_check
def same_as(name: str, value: object, answer_name: str, answer: object) -> None:
    """``value`` (e.g. a summary's entry) must equal the trainee's own earlier ``answer``."""
    if value != answer:
        raise _fail("check.differs_from_answer", name=name, value=_show(value), answer_name=answer_name,
                    answer=_show(answer))


@_check
def consistent(condition: bool, key: str, **fields: object) -> None:
    """Fail with the catalog message ``key`` unless ``condition`` holds (a rule linking two answers)."""
    if not condition:
        raise _fail(key, **fields)


@_check
def one_of(name: str, value: object, choices: Iterable[object], *, quiet: bool = False) -> None:
    """``value`` must be one of ``choices`` (for multiple-choice answers)."""
    answered(name, value)
    options = list(choices)
    if value not in options:
        raise _fail("check.not_one_of", name=name, value=_show(value), choices=", ".join(map(_show, options)))
    if not quiet:
        passed(name)


@_check
def table(name: str, value: object, columns: Sequence[str] = (), rows: int | None = None,
          *, index: str | None = None, quiet: bool = False) -> None:
    """``value`` must be a DataFrame with ``columns`` (and ``rows`` rows, if given).

    With ``index``, the rows must be labelled by that column (``df.set_index(index)``),
    the usual slip after ``reset_index()`` or a ``groupby(..., as_index=False)``.
    """
    import pandas as pd

    answered(name, value)
    if not isinstance(value, pd.DataFrame):
        raise _fail("check.wrong_type", name=name, expected=message("type.table"),
                    actual=_type_name(value), value=_show(value))
    if index is not None and value.index.name != index:
        key = "check.index_is_column" if index in value.columns else "check.wrong_index"
        raise _fail(key, name=name, index=index, actual=value.index.name or "0, 1, 2, ...")
    missing = [c for c in columns if c not in value.columns]
    if missing:
        raise _fail("check.missing_columns", name=name, missing=", ".join(missing),
                    present=", ".join(map(str, value.columns)))
    if rows is not None and len(value) != rows:
        raise _fail("check.wrong_length", name=name, actual=len(value), expected=rows)
    if not quiet:
        passed(name)


def _call(name: str, func: Callable, args: tuple) -> object:
    """``func(*args)``, with an error in the trainee's code reported in one line."""
    shown = ", ".join(map(_show, args))
    try:
        return func(*args)
    except Exception as error:  # noqa: BLE001 - the trainee's code: report any error in words
        raise _fail("check.function_raised", name=name, args=shown,
                    error=f"{type(error).__name__}: {error}") from None


@_check
def function(name: str, value: object, examples: Iterable[tuple[tuple, object]] = (),
             *, probes: Iterable[tuple] = (), rel_tol: float = 1e-6, quiet: bool = False) -> None:
    """``value`` must be callable, and reproduce the worked examples given in the text.

    ``examples`` are ``(args, expected)`` pairs that the lesson already shows, so
    they guide without giving away the graded cases. ``probes`` are further argument
    tuples of the kinds the question names (another product, a zero, a larger order):
    the function must run on them and return a finite number; their values stay hidden.
    """
    answered(name, value)
    if not callable(value):
        raise _fail("check.not_callable", name=name, actual=_type_name(value))
    for args in probes:
        actual = _call(name, value, args)
        if isinstance(actual, bool) or not isinstance(actual, Real) or not math.isfinite(actual):
            raise _fail("check.probe_not_number", name=name, args=", ".join(map(_show, args)),
                        actual=_show(actual))
    for args, expected in examples:
        shown = ", ".join(map(_show, args))
        actual = _call(name, value, args)
        same = (math.isclose(actual, expected, rel_tol=rel_tol)
                if isinstance(expected, float) and isinstance(actual, Real) else actual == expected)
        if not same:
            raise _fail("check.wrong_example", name=name, args=shown, actual=_show(actual), expected=_show(expected))
    if not quiet:
        passed(name)


def _history(namespace: Mapping[str, object]) -> Iterable[object]:
    """IPython's ``In``, the cells typed in this kernel (nothing outside IPython)."""
    cells = namespace.get("In")
    return cells if isinstance(cells, Iterable) else ()


def _user_namespace() -> Mapping[str, object]:
    """The trainee's variables: IPython's user namespace, or the calling module's globals."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        shell = None
    if shell is not None:
        return shell.user_ns
    import inspect

    frame = inspect.currentframe()
    while frame is not None and frame.f_globals.get("__name__") in (__name__, "functools"):
        frame = frame.f_back
    return frame.f_globals if frame is not None else {}


def rerun(name: str, **changes: object) -> object:
    """Run again the trainee's cell that set ``name``, with some of its inputs changed, and return the new value.

    Not a check (it returns a value, so it stays out of ``__all__``): a test cell compares its
    result through :func:`consistent`, a hidden test with ``assert``.

    For an answer that is a comparison or a formula over earlier variables
    (``stock_is_enough = papatonk_stock >= units_required``): a typed constant or typed
    numbers give the same value whatever the inputs, a formula does not. The cell is the
    latest input in the kernel's history that assigns ``name``; it runs in a copy of the
    trainee's variables (nothing of theirs changes), its printing is swallowed. The cells come
    from a ``pre_run_cell`` hook set when the checks are imported (so they are found also where
    a runner keeps no history), else from IPython's ``In``.
    """
    import contextlib
    import io
    import re

    namespace = _user_namespace()
    assigns = re.compile(rf"^[ \t]*{re.escape(name)}[ \t]*=(?!=)", re.M)
    cells = ([code for code in _RUN_CELLS if assigns.search(code)]
             or [code for code in _history(namespace) if isinstance(code, str) and assigns.search(code)])
    if not cells:
        raise _fail("check.rerun_no_cell", name=name)
    scope = dict(namespace)
    scope.update(changes)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(cells[-1], scope)  # the trainee's own cell, in the trainee's own kernel
    except Exception as error:  # noqa: BLE001 - the trainee's code: report any error in words
        shown = ", ".join(f"{key} = {_show(value)}" for key, value in changes.items())
        raise _fail("check.rerun_raised", name=name, changes=shown, error=f"{type(error).__name__}: {error}") from None
    return scope.get(name)


@_check
def requires(question: str, *names: str, valid: Callable[[], object] | None = None) -> None:
    """Stop a cell that builds on earlier answers, saying which question to finish first.

    ``names`` must exist and hold an answer; ``valid`` (optional) runs that question's
    own visible check, whose one-line message is then given as the reason.
    """
    namespace = _user_namespace()
    for name in names:
        value = namespace.get(name)  # None when missing
        if value is None or value is Ellipsis:  # identity, never ==: a DataFrame cannot be compared to None
            raise _fail("check.finish_first", question=question, name=name)
    if valid is not None:
        try:
            valid()
        except CheckFailed as reason:
            raise _fail("check.finish_first_because", question=question, reason=str(reason)) from None
