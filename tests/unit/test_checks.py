"""course.checks: each check accepts a good answer and names what is wrong with a bad one."""

import math

import pandas as pd
import pytest

from course import checks, i18n


def failure(call, *args, **kwargs) -> str:
    with pytest.raises(checks.CheckFailed) as info:
        call(*args, **kwargs)
    return str(info.value)


def test_good_number_passes_prints_a_success_line_and_leaves_no_value(capsys):
    assert checks.number("growth", 0.269, fraction=True, decimals=3) is None
    assert "growth looks right" in capsys.readouterr().out


@pytest.mark.parametrize("value, words", [
    ("0.27", "Remove the quotes"),
    (None, "still empty"),
    (True, "should be a number"),
    ([0.27], "should be a number"),
    (math.nan, "not a usable number"),
    (math.inf, "not a usable number"),
])
def test_wrong_types_are_named(value, words):
    assert words in failure(checks.number, "growth", value, fraction=True)


def test_percent_given_for_a_fraction_gets_a_unit_hint():
    assert "looks like a percentage" in failure(checks.number, "share", 20.7, fraction=True)


def test_fraction_given_for_a_percent_gets_a_unit_hint():
    assert "looks like a fraction" in failure(checks.number, "share", 0.207, percent=True, low=1)


def test_out_of_range_names_the_range_and_unit():
    text = failure(checks.number, "gmv_idr_tn", 45.0, low=100, high=1000, unit="trillion IDR")
    assert "100 to 1,000 trillion IDR" in text and "45.0" in text  # bounds grouped, the value as Python shows it


def test_out_of_range_bounds_are_written_the_readers_way():
    checks.set_language("id")
    try:
        text = failure(checks.number, "orders", 2e7, low=0, high=10_000_000)
        assert "0 sampai 10.000.000" in text and "20000000.0" in text
        assert "0,01 sampai 1.439" in failure(checks.number, "minute", 5000, low=0.01, high=1439)
    finally:
        checks.set_language(None)


def test_unrounded_value_says_how_to_round():
    assert "round(growth, 3)" in failure(checks.number, "growth", 0.26932, fraction=True, decimals=3)


def test_whole_number_required():
    assert "whole number" in failure(checks.number, "n_products", 5.5, integer=True)
    assert checks.number("n_products", 5, integer=True, quiet=True) is None


def test_one_of_lists_the_choices():
    assert "True, False" in failure(checks.one_of, "ok", "yes", [True, False])


def test_table_checks_type_columns_and_rows():
    frame = pd.DataFrame({"a": [1, 2]})
    assert "pandas DataFrame" in failure(checks.table, "t", [1, 2])
    assert "column(s) b" in failure(checks.table, "t", frame, columns=["a", "b"])
    assert "has 2 rows" in failure(checks.table, "t", frame, rows=3)
    assert checks.table("t", frame, columns=["a"], rows=2, quiet=True) is None


def test_function_check_uses_worked_examples_and_reports_errors():
    assert "should be a function" in failure(checks.function, "cagr", 3)
    assert "ZeroDivisionError" in failure(checks.function, "f", lambda x: 1 / x, examples=[((0,), 1.0)])
    assert "gave 2" in failure(checks.function, "f", lambda x: x + 1, examples=[((1,), 3)])
    checks.function("f", lambda x: x / 3, examples=[((1,), 1 / 3)], quiet=True)


def test_failures_speak_indonesian_when_asked():
    i18n.set_language("id")
    try:
        text = failure(checks.number, "share", 20.7, fraction=True)
        assert "tampaknya persentase" in text
        assert checks.CheckFailed(text)._render_traceback_()[0].startswith("✗ Belum tepat:")
    finally:
        i18n.set_language(None)


def test_failure_renders_as_one_line_in_jupyter():
    error = checks.CheckFailed("growth is text")
    assert error._render_traceback_() == ["✗ Not yet: growth is text"]
    assert isinstance(error, AssertionError)  # so nbgrader and plain pytest see a failed test


def test_day_accepts_a_date_and_names_timestamps_wrong_types_and_implausible_dates():
    from datetime import date, datetime

    assert checks.day("deadline", date(2018, 10, 12), date(2018, 9, 1), date(2018, 11, 11), quiet=True) is None
    assert ".date()" in failure(checks.day, "deadline", datetime(2018, 10, 12, 9, 30))
    assert ".date()" in failure(checks.day, "deadline", pd.Timestamp("2018-10-12"))
    assert "should be a date" in failure(checks.day, "deadline", "2018-10-12")
    text = failure(checks.day, "deadline", date(2019, 10, 12), date(2018, 9, 1), date(2018, 11, 11))
    assert "2019-10-12" in text and "2018-09-01 to 2018-11-11" in text


def test_mapping_sequence_same_as_and_consistent():
    plan = {"product": "coffee", "score": 61.5}
    assert checks.mapping("plan", plan, ["product", "score"], quiet=True) is None
    assert "a dictionary" in failure(checks.mapping, "plan", [("product", "coffee")], ["product"])
    text = failure(checks.mapping, "plan", {"product": 1, "extra": 2}, ["product", "score"])
    assert "Missing: score; not expected: extra" in text
    assert checks.sequence("gaps", ("a", "b"), str, 1, 3, quiet=True) is None
    assert "1 to 3 items; it holds 4" in failure(checks.sequence, "gaps", ["a"] * 4, str, 1, 3)
    assert "3 is a whole number" in failure(checks.sequence, "gaps", ["a", 3], str, 1, 3)
    assert "a list" in failure(checks.sequence, "gaps", "abc", str)
    checks.same_as("plan['score']", 61.5, "score", 61.5)
    assert "your answer score above is 61.5" in failure(checks.same_as, "plan['score']", 60, "score", 61.5)
    checks.consistent(True, "check.feasible_slack")
    assert "feasible and slack_days disagree" in failure(checks.consistent, False, "check.feasible_slack")
