"""The m01 explorer: results follow the inputs, a bad rate shows an inline message, both languages."""

from course.widgets import gmv_in_rupiah


def test_default_view_shows_the_2018_share_of_spending():
    view = gmv_in_rupiah("en")
    assert "Rp 459.4 tn" in view.result.value
    assert "20.7%" in view.result.value
    assert view.error.value == ""


def test_changing_year_and_budget_updates_the_result():
    view = gmv_in_rupiah("en")
    view.budget.value = "spending_actual"
    assert "20.9%" in view.result.value and "2,202.2" in view.result.value
    view.year.value = 2020
    assert "11 days" in view.result.value


def test_custom_rate_out_of_range_shows_an_inline_message_not_a_traceback():
    view = gmv_in_rupiah("en")
    view.rate_source.value = None
    assert view.custom_rate.disabled is False
    view.custom_rate.value = 21.5
    assert "must be a number from 1,000 to 4,000; you gave 21.5" in view.error.value
    assert view.result.value == ""
    view.custom_rate.value = 2000.0
    assert view.error.value == "" and "× 2,000.0" in view.result.value


def test_indonesian_view():
    view = gmv_in_rupiah("id")
    assert "triliun" in view.result.value and "Belanja APBN 2018" in view.result.value
