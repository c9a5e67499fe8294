"""Python's own errors, explained: one plain line beneath the errors newcomers meet most.

Python's message stays as it is (it is what a search engine or a colleague knows); a
note in the trainee's language is added beneath it, for a cell above not run (NameError),
an answer cell not yet answered (NotImplementedError), ``^`` typed for a power, ``0,25``
typed for a decimal, and a misspelt column (KeyError). :func:`install` hooks this into
IPython; ``import course.checks`` (the first cell of every module) calls it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from course.i18n import message

_NAME = re.compile(r"name '([^']+)' is not defined")


def hint(error: BaseException) -> str | None:
    """The plain-language line for ``error``, or ``None`` when there is nothing to add."""
    text = str(error)
    if isinstance(error, NameError):
        found = _NAME.search(text)
        return message("explain.name_error", name=found.group(1) if found else "?")
    if isinstance(error, NotImplementedError) and not text:
        return message("explain.not_answered")
    if isinstance(error, TypeError):
        if "bitwise_xor" in text or "for ^" in text:
            return message("explain.caret_power")
        if "'tuple'" in text:
            return message("explain.comma_decimal")
    if isinstance(error, KeyError):
        return message("explain.key_error", missing=text)
    return None


def _with_hint(shell, etype, value, tb, tb_offset=None) -> None:  # IPython's handler signature
    """IPython custom-exception handler: Python's traceback, then the plain line as an exception note."""
    line = hint(value)
    if line and line not in getattr(value, "__notes__", ()):
        value.add_note(line)
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)


HANDLED: tuple[type[BaseException], ...] = (NameError, NotImplementedError, TypeError, KeyError)


def install(shell: object | None = None) -> bool:
    """Hook :func:`hint` into the running IPython shell; ``False`` outside IPython."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython comes with Jupyter
            return False
        shell = get_ipython()
    set_custom_exc: Callable | None = getattr(shell, "set_custom_exc", None)
    if set_custom_exc is None:
        return False
    set_custom_exc(HANDLED, _with_hint)
    return True
