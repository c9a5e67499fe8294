"""A store's fulfilment on the peak day, minute by minute.

Assumptions (all stated, none hidden):

* ``orders_per_minute[t]`` is the orders placed in minute t (minute 0 = 00:00); the
  horizon is the length of the sequence (1,440 for one day, shorter in tests). Orders may
  be fractional (an average).
* Stock is reserved when an order is placed. An order that finds no stock is lost (not
  backordered); in the minute stock runs out, only the part covered by stock is accepted.
  ``stockout_minute`` is the first minute whose demand exceeds the stock left.
* ``shifts`` is a sequence of (start_minute, end_minute, workers): the workers are on the
  floor in minutes start <= t < end; overlapping shifts add up; minutes past the horizon
  are ignored. Workers may be fractional (part-time).
* Pick-and-pack capacity in minute t = picks_per_worker_hour / 60 x workers on the floor,
  in units. Each minute the new accepted units join the backlog first, then capacity
  ships what it can: backlog[t] = max(0, backlog[t-1] + accepted[t] - capacity[t]).
  A backlog below 1e-9 units counts as 0 (floating-point dust).
* ``backlog_clear_minute``: first minute after the largest backlog with no backlog left;
  None if it does not clear within the horizon. When there is never a backlog,
  ``max_backlog_minute`` and ``backlog_clear_minute`` are None and the maximum is 0.
* ``minutes_to_clear_after_horizon``: the backlog left at the end divided by full capacity,
  the highest per-minute capacity staffed within the horizon, with no new orders; 0.0 if
  nothing is left; None if something is left and no worker is ever staffed.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import accumulate, pairwise

from .validation import InputError, custom, normalise, number, real

MAX_MINUTES = 10_080  # one week
MAX_ORDERS_PER_MINUTE = 1e7
MAX_SHIFTS = 48
EPS = 1e-9
DEFAULT_SHIFTS = ((0, 480, 20), (480, 960, 20), (960, 1440, 20))


def _sequence(field: str, value: object, low: int, high: int, what: str) -> tuple:
    """``value`` as a tuple if it is a list-like (not text, not a mapping) of low..high items."""
    accepted = f"a sequence of {low} to {high} {what}"
    if isinstance(value, (str, bytes, bytearray, Mapping, set, frozenset)) \
            or not hasattr(value, "__len__") or not hasattr(value, "__iter__"):
        raise InputError(field, value, accepted, low, high)
    items = tuple(value)
    if not low <= len(items) <= high:
        raise InputError(field, value, accepted, low, high)
    return items


def _orders(value: object) -> tuple[float, ...]:
    items = _sequence("orders_per_minute", value, 1, MAX_MINUTES, "non-negative numbers")
    types = set(map(type, items))
    plain = all(issubclass(t, (int, float)) and not issubclass(t, bool) for t in types)
    if plain:  # fast path for plain numbers; NaN fails both comparisons
        bad = next((k for k, x in enumerate(items) if not 0 <= x <= MAX_ORDERS_PER_MINUTE), None)
        if bad is None:
            return tuple(map(float, items))
    for k, x in enumerate(items):
        if isinstance(x, bool) or not _is_number_in(x, 0, MAX_ORDERS_PER_MINUTE):
            raise InputError("orders_per_minute", x,
                             f"a number from 0 to {MAX_ORDERS_PER_MINUTE:g} in every minute "
                             f"(minute {k} is not)", 0, MAX_ORDERS_PER_MINUTE)
    return tuple(map(float, items))


def _is_number_in(x: object, low: float, high: float) -> bool:
    try:
        number("x", x, low, high)
    except (InputError, OverflowError, TypeError):
        return False
    return True


def _shifts(value: object) -> tuple[tuple[int, int, float], ...]:
    shifts = []
    for shift in _sequence("shifts", value, 1, MAX_SHIFTS, "(start_minute, end_minute, workers)"):
        accepted = (f"(start_minute, end_minute, workers) with 0 <= start_minute < end_minute "
                    f"<= {MAX_MINUTES} and workers from 0 to 100000")
        try:
            start, end, workers = _sequence("shifts", shift, 3, 3, "numbers")
            start = number("shifts", start, 0, MAX_MINUTES - 1, True)
            end = number("shifts", end, start + 1, MAX_MINUTES, True)
            workers = number("shifts", workers, 0, 100_000)
        except InputError:
            raise InputError("shifts", shift, accepted) from None
        shifts.append((start, end, workers))
    return tuple(shifts)


# What each input accepts (checked in this order); the widgets read the same rules.
INPUT_RULES = {
    "orders_per_minute": custom(_orders),
    "units_per_order": real(0.01, 1000),
    "picks_per_worker_hour": real(1, 100_000),
    "shifts": custom(_shifts),
    "stock_units": real(0, 1e12),
}


@dataclass(frozen=True)
class PeakDayInputs:
    orders_per_minute: tuple[float, ...]
    units_per_order: float = 1.0
    picks_per_worker_hour: float = 60.0
    shifts: tuple[tuple[int, int, float], ...] = DEFAULT_SHIFTS
    stock_units: float = 1_000_000

    def __post_init__(self) -> None:
        normalise(self, INPUT_RULES)


@dataclass(frozen=True)
class PeakDayResult:
    backlog_units: tuple[float, ...]  # at the end of each minute
    capacity_units_per_minute: tuple[float, ...]
    max_backlog_units: float
    max_backlog_minute: int | None
    backlog_clear_minute: int | None
    end_backlog_units: float
    minutes_to_clear_after_horizon: float | None
    stockout_minute: int | None
    units_ordered: float
    units_accepted: float
    units_shipped: float
    orders_lost_to_stockout: float


def capacity_per_minute(inputs: PeakDayInputs) -> tuple[float, ...]:
    """Pick-and-pack capacity in units for each minute of the horizon."""
    n, rate = len(inputs.orders_per_minute), inputs.picks_per_worker_hour / 60
    cuts = sorted({0, n} | {min(x, n) for s, e, _ in inputs.shifts for x in (s, e)})
    out: list[float] = []
    for a, b in pairwise(cuts):  # fsum per segment: exact, no drift from running totals
        workers = math.fsum(w for s, e, w in inputs.shifts if s <= a < e)
        out.extend([workers * rate] * (b - a))
    return tuple(out)


def accepted_units(inputs: PeakDayInputs) -> tuple[list[float], int | None]:
    """Units accepted in each minute and the stockout minute (None if stock lasts)."""
    needs = [orders * inputs.units_per_order for orders in inputs.orders_per_minute]
    cumulative = list(accumulate(needs))
    k = bisect_right(cumulative, inputs.stock_units + EPS)  # first minute stock cannot cover
    if k == len(needs):
        return needs, None
    left = inputs.stock_units - (cumulative[k - 1] if k else 0.0)
    return needs[:k] + [max(0.0, left)] + [0.0] * (len(needs) - k - 1), k


def compute(inputs: PeakDayInputs) -> PeakDayResult:
    """Backlog, stockout and shipments of the store, minute by minute."""
    capacity = capacity_per_minute(inputs)
    accepted, stockout = accepted_units(inputs)
    backlog, backlogs = 0.0, list[float]()
    append = backlogs.append
    for units, cap in zip(accepted, capacity, strict=True):  # the one sequential step
        backlog = backlog + units - cap
        if backlog < EPS:
            backlog = 0.0
        append(backlog)
    peak = max(backlogs)
    peak_minute = backlogs.index(peak) if peak > 0 else None
    clear_minute = None
    if peak_minute is not None and 0.0 in backlogs[peak_minute:]:
        clear_minute = backlogs.index(0.0, peak_minute)
    full = max(capacity)
    after = 0.0 if backlog == 0.0 else (backlog / full if full > 0 else None)
    ordered = math.fsum(inputs.orders_per_minute) * inputs.units_per_order
    accepted_total = math.fsum(accepted)
    lost = max(0.0, ordered - accepted_total) / inputs.units_per_order
    return PeakDayResult(tuple(backlogs), capacity, peak, peak_minute, clear_minute, backlog, after,
                         stockout, ordered, accepted_total, accepted_total - backlog, lost)
