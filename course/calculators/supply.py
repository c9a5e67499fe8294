"""Is the stock there? Production, registration and transit against the platform's deadline.

Assumptions (all stated, none hidden):

* Units are whole pieces; ``daily_capacity_units`` is whole units made per working day.
* Stock on hand counts towards the order from ``production_start``.
* Production runs on the first ``working_days_per_week`` weekdays, Monday first
  (5 = Monday to Friday, 6 = Monday to Saturday, 7 = every day). Public holidays are
  not modelled. ``production_start`` is the first production day if it is a working day.
* ``production_complete`` is the last production day (equal to ``production_start`` when
  stock alone covers the order); goods leave the factory at the end of that day.
* Platform registration runs in parallel with production, from ``production_start``, and
  takes ``registration_days_needed`` calendar days (0 = already registered). Goods ship on
  ``max(production_complete, production_start + registration_days_needed)``.
* ``transit_days`` is every calendar day from factory to the platform warehouse (to the
  port, sea or air, customs clearance, delivery), so arrival = ship date + transit_days.
* ``deadline`` = event_date - warehouse_days_before_event; the latest ship date is
  deadline - transit_days. ``slack_days`` = deadline - warehouse_arrival (negative = late).
* A plan must finish within 100 years; a slower capacity is rejected as an InputError.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

from .validation import InputError, dates, normalise, whole

MAX_UNITS = 1_000_000_000
HORIZON_DAYS = 36_525  # 100 years: the longest production run the calculator accepts
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


# What each input accepts (checked in this order); the widgets read the same rules.
INPUT_RULES = {
    "units_required": whole(1, MAX_UNITS),
    "units_in_stock": whole(0, MAX_UNITS),
    "daily_capacity_units": whole(1, MAX_UNITS),
    "working_days_per_week": whole(1, 7),
    "warehouse_days_before_event": whole(0, 365),
    "transit_days": whole(0, 365),
    "registration_days_needed": whole(0, 365),
    "production_start": dates(FIRST_DAY, LAST_DAY),
    "event_date": dates(FIRST_DAY, LAST_DAY),
}
PRODUCER_RULES = {"units_in_stock": INPUT_RULES["units_in_stock"],
                  "daily_capacity_units": whole(0, MAX_UNITS),
                  "working_days_per_week": INPUT_RULES["working_days_per_week"],
                  "production_start": INPUT_RULES["production_start"]}


def working_days(first: date, last: date, per_week: int) -> int:
    """Working days in [first, last] inclusive (0 if last < first)."""
    if last < first:
        return 0
    weeks, extra = divmod((last - first).days + 1, 7)
    start = first.weekday()
    return weeks * per_week + sum(1 for i in range(extra) if (start + i) % 7 < per_week)


def nth_working_day(anchor: date, n: int, per_week: int, backwards: bool = False) -> date:
    """The n-th (n >= 1) working day on or after ``anchor`` (on or before it if backwards)."""
    step = timedelta(days=-1 if backwards else 1)
    d = anchor
    while d.weekday() >= per_week:
        d += step
    weeks, rest = divmod(n - 1, per_week)
    d += 7 * weeks * step
    while rest:
        d += step
        rest -= d.weekday() < per_week
    return d


def _days_needed(units: int, capacity: int) -> int:
    return -(-units // capacity) if units > 0 else 0


def _check_horizon(field: str, value: int, remaining: int, per_week: int) -> None:
    """Reject a capacity so low that production would take more than 100 years."""
    max_days = (HORIZON_DAYS // 7) * per_week
    if _days_needed(remaining, value) > max_days:
        low = -(-remaining // max_days)
        raise InputError(field, value, f"a whole number of at least {low} "
                         f"(the remaining {remaining} units must be made within 100 years)",
                         low, MAX_UNITS)


@dataclass(frozen=True)
class SupplyInputs:
    units_required: int = 1_000_000
    units_in_stock: int = 0
    daily_capacity_units: int = 20_000
    working_days_per_week: int = 5
    production_start: date = date(2018, 9, 3)
    event_date: date = date(2018, 11, 11)
    warehouse_days_before_event: int = 30
    transit_days: int = 14
    registration_days_needed: int = 0

    def __post_init__(self) -> None:
        normalise(self, INPUT_RULES)
        remaining = max(0, self.units_required - self.units_in_stock)
        _check_horizon("daily_capacity_units", self.daily_capacity_units, remaining,
                       self.working_days_per_week)


@dataclass(frozen=True)
class SupplyResult:
    """``required_daily_capacity_units`` is None when no capacity can make it: registration
    finishes after the latest ship date, or there is no working day left before it."""
    production_complete: date
    registration_ready: date
    ship_date: date
    warehouse_arrival: date
    deadline: date
    latest_ship_date: date
    slack_days: int
    feasible: bool
    shortfall_at_deadline_units: int
    required_daily_capacity_units: int | None
    latest_production_start: date


def compute(inputs: SupplyInputs) -> SupplyResult:
    """Dates, slack and shortfall of one producer making ``units_required``."""
    i = inputs
    remaining = max(0, i.units_required - i.units_in_stock)
    n = _days_needed(remaining, i.daily_capacity_units)
    per_week = i.working_days_per_week
    complete = nth_working_day(i.production_start, n, per_week) if n else i.production_start
    registration = i.production_start + timedelta(days=i.registration_days_needed)
    ship = max(complete, registration)
    arrival = ship + timedelta(days=i.transit_days)
    deadline = i.event_date - timedelta(days=i.warehouse_days_before_event)
    latest_ship = deadline - timedelta(days=i.transit_days)
    slack = (deadline - arrival).days

    days_left = working_days(i.production_start, latest_ship, per_week)
    if registration > latest_ship:  # nothing at all can ship in time
        shortfall, required = i.units_required, None
    else:
        shortfall = max(0, remaining - days_left * i.daily_capacity_units)
        required = 0 if remaining == 0 else (-(-remaining // days_left) if days_left else None)

    by_production = nth_working_day(latest_ship, n, per_week, backwards=True) if n else latest_ship
    latest_start = min(by_production, latest_ship - timedelta(days=i.registration_days_needed))
    return SupplyResult(complete, registration, ship, arrival, deadline, latest_ship, slack,
                        slack >= 0, shortfall, required, latest_start)


# --------------------------------------------------------------------------- pooled plan

@dataclass(frozen=True)
class Producer:
    """One member of a pool; stock counts from its ``production_start`` (capacity may be 0)."""
    name: str
    units_in_stock: int = 0
    daily_capacity_units: int = 0
    working_days_per_week: int = 5
    production_start: date = date(2018, 9, 3)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip() or len(self.name) > 100:
            raise InputError("name", self.name, "a non-empty text of at most 100 characters")
        normalise(self, PRODUCER_RULES)

    def ready_by(self, when: date) -> int:
        """Units this producer can have ready by the end of ``when``."""
        if when < self.production_start:
            return 0
        made = working_days(self.production_start, when, self.working_days_per_week)
        return self.units_in_stock + made * self.daily_capacity_units

    def complete_for(self, units: int) -> date | None:
        """The day this producer has ``units`` ready (None if it was given nothing)."""
        if units <= 0:
            return None
        n = _days_needed(units - self.units_in_stock, self.daily_capacity_units or 1)
        if n == 0:
            return self.production_start
        return nth_working_day(self.production_start, n, self.working_days_per_week)


@dataclass(frozen=True)
class Allocation:
    name: str
    units_allocated: int
    production_complete: date | None


@dataclass(frozen=True)
class PooledPlan:
    allocations: tuple[Allocation, ...]
    production_complete: date
    ship_date: date
    warehouse_arrival: date
    deadline: date
    slack_days: int
    feasible: bool
    shortfall_at_deadline_units: int


def pool(producers: Sequence[Producer], units_required: int = 1_000_000, *,
         event_date: date = date(2018, 11, 11), warehouse_days_before_event: int = 30,
         transit_days: int = 14, registration_days_needed: int = 0) -> PooledPlan:
    """Share one order among producers so that the pool finishes as early as possible.

    The pool finishes on the earliest day T by which all producers together can have
    ``units_required`` ready. Each producer gives everything it can have ready by the day
    before T; the rest is made on day T, given to producers in list order. Registration
    (one for the pooled product) starts on the earliest ``production_start``. Ship date,
    arrival, deadline and slack follow the rules of :func:`compute`. The shortfall is what
    the pool cannot have ready by the latest ship date (everything if registration is late).
    """
    if isinstance(producers, (str, bytes)) or not isinstance(producers, Sequence) \
            or not 1 <= len(producers) <= 100:
        raise InputError("producers", producers, "a list of 1 to 100 producers", 1, 100)
    if not all(isinstance(p, Producer) for p in producers):
        raise InputError("producers", producers, "a list of Producer records")
    names = [p.name for p in producers]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise InputError("name", dup, "a name used by only one producer in the pool")
    # each rule's kind fixes the type it returns (whole numbers: int, dates: date)
    required = cast(int, INPUT_RULES["units_required"].check("units_required", units_required))
    event = cast(date, INPUT_RULES["event_date"].check("event_date", event_date))
    before = cast(int, INPUT_RULES["warehouse_days_before_event"].check("warehouse_days_before_event",
                                                                        warehouse_days_before_event))
    transit = cast(int, INPUT_RULES["transit_days"].check("transit_days", transit_days))
    registration_days = cast(int, INPUT_RULES["registration_days_needed"].check("registration_days_needed",
                                                                                registration_days_needed))

    start = min(p.production_start for p in producers)
    total = lambda when: sum(p.ready_by(when) for p in producers)  # noqa: E731
    lo, hi = 0, HORIZON_DAYS
    if total(start + timedelta(days=hi)) < required:
        raise InputError("producers", names, "producers whose stock and capacity together "
                         f"can make {required} units within 100 years")
    while lo < hi:  # earliest day offset with enough units ready
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if total(start + timedelta(days=mid)) >= required else (mid + 1, hi)
    finish = start + timedelta(days=lo)
    # everything each can have ready by the day before `finish` (less than required, since
    # `finish` is the earliest day), then the rest of the last day's output in list order
    shares = [p.ready_by(finish - timedelta(days=1)) for p in producers]
    left = required - sum(shares)
    for k, p in enumerate(producers):
        extra = min(p.ready_by(finish) - shares[k], left)
        shares[k] += extra
        left -= extra
    allocations = tuple(Allocation(p.name, units, p.complete_for(units))
                        for p, units in zip(producers, shares, strict=True))

    registration = start + timedelta(days=registration_days)
    ship = max(finish, registration)
    arrival = ship + timedelta(days=transit)
    deadline = event - timedelta(days=before)
    latest_ship = deadline - timedelta(days=transit)
    shortfall = required if registration > latest_ship else \
        max(0, required - total(latest_ship))
    slack = (deadline - arrival).days
    return PooledPlan(allocations, finish, ship, arrival, deadline, slack, slack >= 0, shortfall)
