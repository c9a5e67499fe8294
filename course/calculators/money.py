"""Money arithmetic for the case: cross rates, conversions and shares of a budget."""

from __future__ import annotations

from course.calculators.validation import number


def cross_rate(quote_per_usd: float, base_per_usd: float) -> float:
    """Units of the quote currency per unit of the base currency, through the US dollar.

    >>> round(cross_rate(14236.94, 6.6160), 1)   # rupiah per yuan, 2018 averages
    2151.9
    """
    number("quote_per_usd", quote_per_usd, 1e-9)
    number("base_per_usd", base_per_usd, 1e-9)
    return quote_per_usd / base_per_usd


def share(part: float, whole: float) -> float:
    """``part`` as a fraction of ``whole`` (0.25 means a quarter)."""
    number("part", part, 0)
    number("whole", whole, 1e-9)
    return part / whole


def bn_to_tn(amount_bn: float, rate: float) -> float:
    """Billions in one currency -> trillions in another at ``rate`` (units of the second per first)."""
    number("amount_bn", amount_bn, 0)
    number("rate", rate, 1e-9)
    return amount_bn * rate / 1000
