"""Worked examples for course.calculators.supply, dates counted by hand on the 2018 calendar.

September 2018: Mon 3, 10, 17, 24; October 2018: Mon 1, 8, 15; 11 November 2018 is a Sunday.
"""

from datetime import date, datetime

import pytest

from course.calculators.supply import Producer, SupplyInputs, compute, nth_working_day, pool, working_days
from course.calculators.validation import InputError

PAPATONK = SupplyInputs(
    units_required=1_000_000,
    units_in_stock=400_000,
    daily_capacity_units=25_000,
    working_days_per_week=5,  # Monday to Friday
    production_start=date(2018, 9, 3),  # a Monday
    event_date=date(2018, 11, 11),
    warehouse_days_before_event=30,
    transit_days=10,
)


def test_papatonk_two_days_late():
    r = compute(PAPATONK)
    # to make: 1,000,000 - 400,000 = 600,000; 600,000 / 25,000 = 24 working days.
    # 4 full weeks Mon 3 Sep .. Fri 28 Sep = 20 days; then Mon 1, Tue 2, Wed 3, Thu 4 Oct = 24.
    assert r.production_complete == date(2018, 10, 4)
    assert r.ship_date == date(2018, 10, 4)  # registration done (0 days)
    assert r.warehouse_arrival == date(2018, 10, 14)  # 4 Oct + 10 days transit
    assert r.deadline == date(2018, 10, 12)  # 11 Nov - 30 days
    assert r.latest_ship_date == date(2018, 10, 2)  # 12 Oct - 10 days
    assert r.slack_days == -2  # 12 Oct - 14 Oct
    assert r.feasible is False
    # working days 3 Sep .. 2 Oct = 20 + 2 = 22; 400,000 + 22 x 25,000 = 950,000 made in time
    assert r.shortfall_at_deadline_units == 50_000
    # 600,000 / 22 = 27,272.7 -> 27,273 units a day would have made it
    assert r.required_daily_capacity_units == 27_273
    # 24 working days back from Tue 2 Oct: 2, 1 Oct (2), 28..24 Sep (7), 21..17 (12),
    # 14..10 (17), 7..3 (22), Fri 31 Aug (23), Thu 30 Aug (24)
    assert r.latest_production_start == date(2018, 8, 30)


def test_papatonk_on_time_with_faster_transit():
    from dataclasses import replace
    r = compute(replace(PAPATONK, transit_days=8))
    # 4 Oct + 8 = 12 Oct, exactly the deadline
    assert (r.warehouse_arrival, r.slack_days, r.feasible) == (date(2018, 10, 12), 0, True)
    assert r.shortfall_at_deadline_units == 0
    # latest ship 12 Oct - 8 = 4 Oct: 24 working days from 3 Sep, so 24 working days back = 3 Sep
    assert r.latest_production_start == date(2018, 9, 3)
    assert r.required_daily_capacity_units == 25_000  # 600,000 / 24


def test_registration_is_the_bottleneck_when_stock_is_ready():
    r = compute(SupplyInputs(units_in_stock=1_000_000, daily_capacity_units=25_000,
                             production_start=date(2018, 9, 3), transit_days=10,
                             registration_days_needed=45))
    assert r.production_complete == date(2018, 9, 3)  # nothing to make
    # 3 Sep + 45 days: +27 -> 30 Sep, +18 -> 18 Oct
    assert r.registration_ready == date(2018, 10, 18)
    assert r.ship_date == date(2018, 10, 18)
    assert r.warehouse_arrival == date(2018, 10, 28)
    assert r.slack_days == -16  # 12 Oct - 28 Oct
    # nothing can ship before registration, so the whole order misses the deadline
    assert r.shortfall_at_deadline_units == 1_000_000
    assert r.required_daily_capacity_units is None
    # latest ship 2 Oct; registration must start 45 days earlier: 2 Oct - 45 = 18 Aug
    assert r.latest_production_start == date(2018, 8, 18)


def test_six_day_week_starting_on_a_sunday():
    r = compute(SupplyInputs(units_in_stock=0, daily_capacity_units=100_000,
                             working_days_per_week=6,  # Monday to Saturday
                             production_start=date(2018, 9, 2)))  # Sunday: no work
    # 10 days: Mon 3 .. Sat 8 Sep (6), Mon 10 .. Thu 13 Sep (10)
    assert r.production_complete == date(2018, 9, 13)


def test_working_day_helpers():
    assert working_days(date(2018, 9, 3), date(2018, 9, 9), 5) == 5  # Mon..Sun
    assert working_days(date(2018, 9, 3), date(2018, 9, 9), 7) == 7
    assert working_days(date(2018, 9, 8), date(2018, 9, 9), 5) == 0  # a weekend
    assert working_days(date(2018, 9, 9), date(2018, 9, 3), 5) == 0  # last before first
    assert nth_working_day(date(2018, 9, 8), 1, 5) == date(2018, 9, 10)  # Sat -> Mon
    assert nth_working_day(date(2018, 9, 9), 1, 5, backwards=True) == date(2018, 9, 7)  # Sun -> Fri
    assert nth_working_day(date(2018, 9, 3), 6, 1) == date(2018, 10, 8)  # Mondays only


def test_pooled_producers_finish_together():
    a = Producer("a", units_in_stock=100_000, daily_capacity_units=50_000)
    b = Producer("b", units_in_stock=0, daily_capacity_units=30_000)
    plan = pool([a, b], 1_000_000, transit_days=10)  # both start Mon 3 Sep, Mon-Fri
    # together 100,000 + 80,000 per working day >= 1,000,000 -> 11.25 -> 12 working days:
    # 3..7 Sep (5), 10..14 (10), Mon 17 (11), Tue 18 Sep (12)
    assert plan.production_complete == date(2018, 9, 18)
    # by 17 Sep: a = 100,000 + 11 x 50,000 = 650,000, b = 11 x 30,000 = 330,000 (980,000);
    # the last 20,000 on 18 Sep go to a, first in the list
    shares = [(x.name, x.units_allocated) for x in plan.allocations]
    assert shares == [("a", 670_000), ("b", 330_000)]
    assert plan.allocations[0].production_complete == date(2018, 9, 18)
    assert plan.allocations[1].production_complete == date(2018, 9, 17)
    assert plan.warehouse_arrival == date(2018, 9, 28)
    assert (plan.deadline, plan.slack_days, plan.feasible) == (date(2018, 10, 12), 14, True)
    assert plan.shortfall_at_deadline_units == 0


def test_pooled_shortfall_when_the_deadline_is_early():
    a = Producer("a", units_in_stock=100_000, daily_capacity_units=50_000)
    b = Producer("b", units_in_stock=0, daily_capacity_units=30_000)
    plan = pool([a, b], 1_000_000, warehouse_days_before_event=50, transit_days=10)
    # deadline 11 Nov - 50 = 22 Sep; latest ship 12 Sep; working days 3..12 Sep = 8
    # made in time 100,000 + 8 x 80,000 = 740,000 -> shortfall 260,000
    assert plan.deadline == date(2018, 9, 22)
    assert plan.shortfall_at_deadline_units == 260_000
    assert plan.slack_days == -6 and not plan.feasible  # arrival 28 Sep


def test_stock_only_producer_gives_its_stock():
    plan = pool([Producer("stock", units_in_stock=300_000),
                 Producer("maker", daily_capacity_units=100_000)], 1_000_000)
    # 300,000 + 100,000 per day >= 1,000,000 after 7 working days: 3..7, 10, 11 Sep
    assert plan.production_complete == date(2018, 9, 11)
    assert [x.units_allocated for x in plan.allocations] == [300_000, 700_000]
    assert plan.allocations[0].production_complete == date(2018, 9, 3)


@pytest.mark.parametrize("producers, field", [
    ([], "producers"),
    ("ab", "producers"),
    ([Producer("a", 10, 10), Producer("a", 10, 10)], "name"),
    ([Producer("a", 10, 10), "b"], "producers"),
    ([Producer("a", 10, 0)], "producers"),  # no capacity, not enough stock: never finishes
])
def test_pool_rejects_bad_producer_lists(producers, field):
    with pytest.raises(InputError) as err:
        pool(producers, 1_000_000)
    assert err.value.field == field


def test_producer_needs_a_name():
    with pytest.raises(InputError) as err:
        Producer("  ")
    assert err.value.field == "name"


def test_capacity_that_needs_more_than_a_century_is_rejected_with_the_minimum():
    with pytest.raises(InputError) as err:
        SupplyInputs(units_in_stock=0, daily_capacity_units=1, working_days_per_week=5)
    # at most 5,217 weeks x 5 days = 26,085 working days; 1,000,000 / 26,085 = 38.3 -> 39
    assert err.value.field == "daily_capacity_units" and err.value.low == 39
    SupplyInputs(units_in_stock=0, daily_capacity_units=39)  # the minimum is accepted


@pytest.mark.parametrize("field, value", [
    ("units_required", 0), ("units_in_stock", -1), ("units_in_stock", 2.5),
    ("daily_capacity_units", float("nan")), ("working_days_per_week", 8),
    ("working_days_per_week", True),
    ("production_start", "2018-09-03"), ("production_start", datetime(2018, 9, 3)),
    ("event_date", date(1999, 12, 31)), ("transit_days", 366), ("registration_days_needed", None),
    ("units_required", 10**400),
])
def test_bad_inputs_name_the_field(field, value):
    with pytest.raises(InputError) as err:
        SupplyInputs(**{field: value})
    assert err.value.field == field and err.value.value is value
    assert err.value.accepted


def test_inputs_are_normalised_to_whole_numbers():
    i = SupplyInputs(units_in_stock=400_000.0)
    assert i.units_in_stock == 400_000 and type(i.units_in_stock) is int
