"""Numbers, money, percentages, dates and times as a reader of each language expects them.

One formatting layer for every text the course prints or plots, built on babel's locale data
(CLDR), never on hand-made separator swaps::

    >>> money(459.4e12, "IDR", lang="id")
    'Rp 459,4 triliun'
    >>> money(213.5e9, "CNY", lang="en")
    'RMB 213.5 billion'
    >>> percent(0.207, lang="id"), date(datetime.date(2018, 11, 11), lang="id"), time(datetime.time(3, 3), lang="id")
    ('20,7%', '11 November 2018', '03.03')

English uses the British English locale (``en_GB``): day-month-year dates and a 24-hour clock,
as the course writes them. The language is the ``lang`` argument, else the course's language in
force (:func:`course.i18n.language`). What a trainee *types* in Python is not affected: Python
always reads a decimal point. What a page user types into a calculator's box is read the
language's way (:func:`parse_number`): "1.500,5" in Indonesian, "1,500.5" in English.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import NumberFormatError, format_decimal, format_percent, parse_decimal

from course.i18n import language

LOCALES = {"en": "en_GB", "id": "id"}
# How the course names currencies in running text (ISO code -> prefix); "RMB" is how the sources write yuan.
CURRENCY_PREFIX = {"IDR": "Rp", "CNY": "RMB", "USD": "US$"}
SCALES = (10**12, 10**9, 10**6)  # trillion, billion, million: the words come from the locale's data


def _locale(lang: str | None) -> str:
    return LOCALES[language(lang)]


def _pattern(decimals: int | None, grouping: bool = True) -> str | None:
    if decimals is None:
        return None if grouping else "0.###"
    return _digits(decimals, grouping)


def _digits(decimals: int, grouping: bool = True) -> str:
    return ("#,##0" if grouping else "0") + ("." + "0" * decimals if decimals else "")


def number(value: float | int | Decimal, decimals: int | None = None, lang: str | None = None,
           grouping: bool = True) -> str:
    """A grouped number: ``number(1234567.5, 1, "id") == "1.234.567,5"`` (``decimals=None``: as needed, up to 3).

    ``grouping=False`` for a year or a code: ``number(2000, 0, "id", grouping=False) == "2000"``.
    """
    return format_decimal(value, format=_pattern(decimals, grouping), locale=_locale(lang))


def scaled(value: float | int, decimals: int = 1, lang: str | None = None) -> str:
    """A large number in words: ``scaled(2.2207e15, 1, "id") == "2.220,7 triliun"``.

    Below a million: grouped digits.
    """
    locale = Locale.parse(_locale(lang))
    for scale in SCALES:
        if abs(value) >= scale:
            shown = value / scale
            forms = locale.compact_decimal_formats["long"]  # {plural form: {"1000000": pattern "0 juta", ...}}
            pattern = (forms.get(locale.plural_form(round(shown, decimals))) or forms["other"])[str(scale)].pattern
            return pattern.replace("0", number(shown, decimals, lang), 1).replace("'", "")
    return number(value, decimals if value != int(value) else 0, lang)


def money(amount: float | int, currency: str, decimals: int = 1, lang: str | None = None) -> str:
    """An amount with the course's currency prefix: ``money(459.4e12, "IDR", lang="id") == "Rp 459,4 triliun"``."""
    code = currency.upper()
    if code not in CURRENCY_PREFIX:
        raise ValueError(f"currency: {currency!r} is not known to the course; use one of {', '.join(CURRENCY_PREFIX)}")
    return f"{CURRENCY_PREFIX[code]} {scaled(amount, decimals, lang)}"


def percent(share: float, decimals: int = 1, lang: str | None = None) -> str:
    """A share as a percentage, no space before the sign: ``percent(0.207, 1, "id") == "20,7%"``."""
    return format_percent(share, format=_digits(decimals) + "%", locale=_locale(lang))


def date(day: datetime.date, short: bool = False, lang: str | None = None) -> str:
    """``11 November 2018`` (both languages), or with ``short=True`` ``12 Okt 2018`` / ``12 Oct 2018``."""
    return format_date(day, format="medium" if short else "long", locale=_locale(lang))


def time(moment: datetime.time | datetime.datetime, lang: str | None = None) -> str:
    """A 24-hour clock time: ``03.03`` in Indonesian, ``03:03`` in English."""
    return format_time(moment, format="short", locale=_locale(lang))


def number_ticks(*axes: Any, lang: str | None = None, grouping: bool = True) -> None:
    """Write the tick labels of each matplotlib axis (``ax.xaxis``, ``ax.yaxis``) the language's way.

    ``formats.number_ticks(ax.xaxis, ax.yaxis)`` gives "1.500" and "2,5" in Indonesian, "1,500" and "2.5"
    in English, where matplotlib's own labels always write "1500" and "2.5". The ticks of a linear axis
    share the fewest decimals that write them all exactly ("0,0 0,5 1,0"); a log axis writes each as it
    needs. ``grouping=False`` for an axis of years. Without ``lang``, the language in force when the chart
    is drawn. Call it after plotting and after ``set_xscale``/``set_yscale`` (they reset the labels).
    An axis of categories, dates or fixed labels is a ValueError: its labels are not numbers.
    """
    from matplotlib.ticker import LogFormatter, ScalarFormatter

    for axis in axes:
        current = axis.get_major_formatter()
        if not isinstance(current, (ScalarFormatter, LogFormatter)) and not getattr(current, "course_numbers", False):
            raise ValueError(f"number_ticks: the {axis.axis_name} axis shows {type(current).__name__} labels "
                             "(categories, dates or fixed texts), not numbers; pass only axes that show numbers")
        axis.set_major_formatter(_tick_formatter(lang, grouping, log=axis.get_scale() == "log"))


def _tick_formatter(lang: str | None, grouping: bool, log: bool) -> Any:
    from matplotlib.ticker import Formatter

    def write(value: float, decimals: int) -> str:
        return number(round(value, decimals) or 0.0, decimals, lang, grouping)  # "or 0.0": no "-0"

    class Numbers(Formatter):
        course_numbers = True  # ours: number_ticks may set it again

        def __call__(self, x: float, pos: int | None = None) -> str:  # one value (the cursor's position)
            return write(x, _decimals([x]))

        def format_ticks(self, values: list[float]) -> list[str]:  # all ticks of the axis at once
            return [write(v, _decimals([v] if log else values)) for v in values]

    return Numbers()


def _decimals(values: Iterable[float], most: int = 6) -> int:
    """The fewest decimals (up to ``most``) that write every value exactly (to a relative 1e-9)."""
    values = list(values)
    for decimals in range(most):
        if all(abs(v - round(v, decimals)) <= 1e-9 * max(1.0, abs(v)) for v in values):
            return decimals
    return most


def parse_number(text: str, lang: str | None = None) -> Decimal:
    """A number typed the way the language writes it: ``parse_number("1.500,5", "id") == Decimal("1500.5")``.

    Grouping is optional ("1500,5" too); spaces around are ignored. Raises ValueError for text that is
    not a number written that way ("1.5" in Indonesian, where it could mean 15 or 1,5; "abc").
    """
    try:
        return parse_decimal(text.strip(), locale=_locale(lang), strict=True)
    except NumberFormatError as error:
        raise ValueError(f"{text!r} is not a number as {language(lang)} writes it") from error
