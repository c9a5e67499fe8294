"""One formatting layer (course.formats, on babel's locale data): numbers, money, percentages, dates, times."""

import datetime

import pytest

from course import formats, i18n


@pytest.mark.parametrize("lang, expected", [
    ("id", ["1.234.567,5", "Rp 459,4 triliun", "RMB 213,5 miliar", "Rp 2.220,7 triliun", "20,7%",
            "11 November 2018", "12 Okt 2018", "03.03"]),
    ("en", ["1,234,567.5", "Rp 459.4 trillion", "RMB 213.5 billion", "Rp 2,220.7 trillion", "20.7%",
            "11 November 2018", "12 Oct 2018", "03:03"]),
])
def test_each_kind_of_figure_in_both_languages(lang, expected):
    got = [formats.number(1234567.5, 1, lang=lang), formats.money(459.4e12, "IDR", lang=lang),
           formats.money(213.5e9, "CNY", lang=lang), formats.money(2.2207e15, "IDR", lang=lang),
           formats.percent(0.207, lang=lang), formats.date(datetime.date(2018, 11, 11), lang=lang),
           formats.date(datetime.date(2018, 10, 12), short=True, lang=lang),
           formats.time(datetime.time(3, 3), lang=lang)]
    assert got == expected


def test_the_m01_figure_the_review_found_in_english_format():
    # review 4.2: the m01 widget printed "RMB 213.5 miliar × 2,151.9 = Rp 459.4 triliun" in Indonesian
    line = (f"{formats.money(213.5e9, 'CNY', lang='id')} × {formats.number(2151.9, 1, lang='id')} = "
            f"{formats.money(213.5e9 * 2151.9, 'IDR', lang='id')}")
    assert line == "RMB 213,5 miliar × 2.151,9 = Rp 459,4 triliun"


def test_small_amounts_stay_digits_and_scales_follow_the_size():
    assert formats.money(5000, "IDR", lang="id") == "Rp 5.000"
    assert formats.scaled(2_500_000, lang="id") == "2,5 juta"
    assert formats.scaled(-3.25e9, 2, lang="en") == "-3.25 billion"
    assert formats.number(0.25, lang="id") == "0,25" and formats.number(1_000_000, 0, lang="en") == "1,000,000"


def test_language_follows_the_course_setting(monkeypatch):
    monkeypatch.delenv(i18n.LANGUAGE_ENV, raising=False)
    assert formats.percent(0.5) == "50.0%"
    i18n.set_language("id")
    try:
        assert formats.percent(0.5) == "50,0%"
        assert formats.time(datetime.datetime(2018, 11, 11, 0, 2)) == "00.02"
    finally:
        i18n.set_language(None)


def test_unknown_currency_and_language_are_clear_errors():
    with pytest.raises(ValueError, match=r"'EUR' is not known.*IDR, CNY, USD"):
        formats.money(1, "EUR")
    with pytest.raises(ValueError, match="'fr' is not supported"):
        formats.number(1, lang="fr")


@pytest.mark.parametrize("lang, expected", [("id", ["2000", "2.000", "12345,68", "2000 sampai 2100"]),
                                            ("en", ["2000", "2,000", "12345.68", "2000 to 2100"])])
def test_a_year_is_written_without_a_thousands_separator(lang, expected):
    # content review 4.2: the scorecard's year bound read "2.000 sampai 2.100"
    word = {"id": "sampai", "en": "to"}[lang]
    assert [formats.number(2000, 0, lang=lang, grouping=False), formats.number(2000, 0, lang=lang),
            formats.number(12345.678, 2, lang=lang, grouping=False),
            f"{formats.number(2000, 0, lang, False)} {word} {formats.number(2100, 0, lang, False)}"] == expected
