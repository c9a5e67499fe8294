"""Visible checks cooperate with nbgrader and never crash, whatever a trainee hands them."""

from __future__ import annotations

import inspect
import math
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course import checks, explain

# Every public check, called with the arguments a lesson gives it (the value to check goes in as `value`).
CALLS = {
    "answered": lambda v: checks.answered("x", v),
    "is_number": lambda v: checks.is_number("x", v, integer=True),
    "in_range": lambda v: checks.in_range("x", v, 0, 10),
    "is_fraction": lambda v: checks.is_fraction("x", v),
    "is_percent": lambda v: checks.is_percent("x", v, low=1),
    "rounded": lambda v: checks.rounded("x", v, 2),
    "number": lambda v: checks.number("x", v, low=0, high=1, fraction=True, decimals=3, quiet=True),
    "day": lambda v: checks.day("x", v, date(2018, 9, 1), date(2018, 11, 11), quiet=True),
    "mapping": lambda v: checks.mapping("x", v, ["a", "b"], quiet=True),
    "sequence": lambda v: checks.sequence("x", v, date, 1, 3, quiet=True),
    "same_as": lambda v: checks.same_as("x", v, "answer", 3),
    "consistent": lambda v: checks.consistent(v, "check.feasible_slack"),
    "one_of": lambda v: checks.one_of("x", v, ["a", 1, None], quiet=True),
    "table": lambda v: checks.table("x", v, ["a"], rows=2, index="product", quiet=True),
    "function": lambda v: checks.function("f", v, [((1, 2), 3.0)], probes=[(0, 0)], quiet=True),
    "requires": lambda v: checks.requires("Q1", "x", valid=lambda: checks.number("x", v, quiet=True)),
}

PUBLIC_CHECKS = {name for name in checks.__all__ if name not in {"CheckFailed", "set_language", "passed"}}


def test_every_public_check_is_exercised_here():
    assert set(CALLS) == PUBLIC_CHECKS


ODD_VALUES = [
    None, ..., True, np.bool_(False), 0, -1, 3, 2**70, 0.5, math.nan, -math.inf, np.float64(0.269), np.int64(7),
    "0.25", "", (0, 25), (1, 2, 3), [], [date(2018, 10, 1)], {}, {"a": 1, "b": 2}, {1, 2}, 1 + 2j,
    date(2018, 10, 12), datetime(2018, 10, 12, 9), pd.Timestamp("2018-10-12"), pd.NaT,
    pd.Series([1.0, 2.0]), pd.Series([], dtype=float), pd.DataFrame({"a": [1, 2]}),
    pd.DataFrame({"product": ["p", "q"], "a": [1, 2]}), np.array([1, 2]), np.array([[1]]), object(),
    lambda *args: "text", lambda *args: 1 / 0, lambda *args: math.nan, lambda *args: 3.0, print, int,
]


def _outcome(call, value) -> str | None:
    """None when the check passes quietly; its message when it fails. Anything else fails the test."""
    try:
        result = call(value)
    except checks.CheckFailed as failure:
        text = str(failure)
        assert text and "\n" not in text, f"not one line: {text!r}"
        assert "Traceback" not in text
        return text
    assert result is None, "a check must not return a value: nbgrader would read it as partial credit"
    return None


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("value", ODD_VALUES, ids=lambda v: type(v).__name__)
def test_odd_values_give_one_line_or_pass(name, value):
    _outcome(CALLS[name], value)


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8) | st.dates()
    | st.datetimes() | st.complex_numbers() | st.just(...),
    lambda inner: st.lists(inner, max_size=3) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(CALLS)), value=values)
def test_random_values_of_random_types_give_one_line_failures_only(name, value):
    _outcome(CALLS[name], value)


def test_checks_pass_good_answers_silently_with_no_value():
    good = {
        "number": 0.269, "day": date(2018, 10, 12), "mapping": {"a": 1, "b": 2}, "sequence": [date(2018, 10, 1)],
        "same_as": 3, "consistent": True, "one_of": "a", "function": lambda a, b: float(a + b),
        "table": pd.DataFrame({"a": [1, 2]}, index=pd.Index(["p", "q"], name="product")),
    }
    for name, value in good.items():
        assert _outcome(CALLS[name], value) is None, name


def test_comma_decimal_is_explained():
    assert "0.25" in _outcome(CALLS["number"], (0, 25))


def test_index_given_as_a_column_is_named():
    frame = pd.DataFrame({"product": ["p", "q"], "a": [1, 2]})
    assert 'set_index("product")' in _outcome(CALLS["table"], frame)


def test_probes_catch_a_function_that_returns_nothing():
    def no_return(a, b):
        a + b  # the slip under test: no return

    assert "return" in _outcome(lambda f: checks.function("f", f, probes=[(1, 2)]), no_return)


def test_requires_names_the_question_to_finish_first():
    namespace = {}
    text = _outcome(lambda _: checks.requires("Q1", "rates_never_defined"), None)
    assert "Q1" in text and "rates_never_defined" in text
    assert namespace == {}


def test_set_language_is_reachable_from_checks():
    checks.set_language("id")
    try:
        assert "Belum tepat" in checks.CheckFailed("x")._render_traceback_()[0]
    finally:
        checks.set_language(None)


@pytest.mark.parametrize("error, words", [
    (NameError("name 'rates' is not defined"), "rates does not exist yet"),
    (NotImplementedError(), "not answered yet"),
    (TypeError("unsupported operand type(s) for ^: 'float' and 'int'"), "** instead"),
    (TypeError("ufunc 'bitwise_xor' not supported for the input types"), "** instead"),
    (TypeError("can't multiply sequence by non-int of type 'float'... 'tuple'"), "0.25"),
    (KeyError("prodcut"), "df.columns"),
])
def test_common_python_errors_get_a_plain_line(error, words):
    assert words in explain.hint(error)


def test_other_errors_get_no_hint():
    assert explain.hint(ValueError("x")) is None
    assert explain.hint(NotImplementedError("a message of its own")) is None


def test_checks_signatures_return_none():
    for name in PUBLIC_CHECKS:
        assert inspect.signature(getattr(checks, name)).return_annotation in (None, "None"), name
