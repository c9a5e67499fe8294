"""The m01 explorer: results follow the inputs, a bad rate shows an inline message, both languages."""

from course.widgets import gmv_in_rupiah


def test_default_view_shows_the_2018_share_of_spending():
    view = gmv_in_rupiah("en")
    assert "RMB 213.5 billion × 2,151.9 = Rp 459.4 trillion" in view.result.value
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
    view.custom_rate.value = "21.5"
    assert "must be a number from 1,000 to 4,000; you gave 21.5" in view.error.value
    assert view.result.value == ""
    view.custom_rate.value = "2,000"
    assert view.error.value == "" and "× 2,000.0" in view.result.value


def test_the_rate_box_reads_numbers_the_widgets_language_way_and_says_how_to_write_them():
    english, indonesian = gmv_in_rupiah("en"), gmv_in_rupiah("id")
    assert (english.custom_rate.value, indonesian.custom_rate.value) == ("2,151.9", "2.151,9")
    for view, typed in ((english, "2500.5"), (indonesian, "2.500,5"), (indonesian, "2500,5")):
        view.rate_source.value = None
        view.custom_rate.value = typed
        assert view.error.value == "" and "2" in view.result.value
    assert "× 2,500.5 =" in english.result.value and "× 2.500,5 =" in indonesian.result.value
    indonesian.custom_rate.value = "2500.5"  # a decimal point in Indonesian: 25005 or 2500,5? never guessed
    assert indonesian.error.value == ("Rupiah per yuan: 2500.5 bukan angka. Tuliskan angka seperti 1.234,5, "
                                      "dengan koma sebelum desimal.")
    assert indonesian.result.value == ""
    english.custom_rate.value = "<b>2,5</b>"
    assert "&lt;b&gt;" in english.error.value and "<b>2" not in english.error.value


def test_indonesian_view_writes_numbers_the_indonesian_way():
    # content review 4.2: it printed "RMB 213.5 miliar × 2,151.9 = Rp 459.4 triliun, yaitu 20.7% ..."
    view = gmv_in_rupiah("id")
    assert view.result.value == ("GMV 2018: RMB 213,5 miliar × 2.151,9 = Rp 459,4 triliun, yaitu 20,7% dari "
                                 "Belanja APBN 2018 (target) (Rp 2.220,7 triliun).")
    assert view.rate_source.options[0][0].startswith("2.151,9 (2018; rupiah: Bank Dunia;")
    assert "Harbolnas" not in view.children[0].value and "Singles' Day" in view.children[0].value
    view.rate_source.value = None
    view.custom_rate.value = "5000,5"
    assert "harus angka dari 1.000 sampai 4.000; Anda mengisi 5.000,5." in view.error.value


def test_english_view_writes_numbers_the_english_way():
    view = gmv_in_rupiah("en")
    assert view.result.value.startswith("GMV 2018: RMB 213.5 billion × 2,151.9 = Rp 459.4 trillion, that is 20.7% of ")
    assert view.result.value.endswith("(Rp 2,220.7 trillion).")
    assert view.rate_source.options[0][0].startswith("2,151.9 (2018; IDR: World Bank;")


def test_the_language_is_fixed_when_the_widget_is_made():
    from course import i18n

    view = gmv_in_rupiah("id")
    i18n.set_language("en")
    try:
        view.year.value = 2017
        assert "triliun" in view.result.value and "," in view.result.value.split("=")[1]
    finally:
        i18n.set_language(None)
