"""Worked examples for course.calculators.peak_day on short, made-up order curves."""

import math

import pytest

from course.calculators.peak_day import PeakDayInputs, compute
from course.calculators.validation import InputError

# 600 picks per worker-hour = 10 units per worker-minute; 2 workers -> 20 units a minute.
SMALL = {"orders_per_minute": (0, 10, 30, 5, 0, 0), "units_per_order": 2,
         "picks_per_worker_hour": 600, "shifts": ((0, 6, 2),)}


def test_backlog_builds_and_clears():
    r = compute(PeakDayInputs(**SMALL, stock_units=200))
    # units in: 0, 20, 60, 10, 0, 0; capacity 20 a minute
    # backlog: 0; 20-20 = 0; 60-20 = 40; 40+10-20 = 30; 30-20 = 10; 10-20 -> 0
    assert r.backlog_units == (0, 0, 40, 30, 10, 0)
    assert (r.max_backlog_units, r.max_backlog_minute, r.backlog_clear_minute) == (40, 2, 5)
    assert r.units_shipped == 90 and r.end_backlog_units == 0
    assert r.minutes_to_clear_after_horizon == 0.0
    assert r.stockout_minute is None and r.orders_lost_to_stockout == 0


def test_stockout_loses_orders():
    r = compute(PeakDayInputs(**SMALL, stock_units=50))
    # minute 1: 20 units taken, 30 left; minute 2: 60 wanted > 30 -> stockout,
    # 30 accepted, (60 - 30) / 2 = 15 orders lost; minute 3: 10 units wanted, none left -> 5 lost
    assert r.stockout_minute == 2
    assert r.orders_lost_to_stockout == 20
    assert r.units_accepted == 50 and r.units_ordered == 90
    # backlog: 0, 0, 30-20 = 10, 10-20 -> 0, 0, 0
    assert r.backlog_units == (0, 0, 10, 0, 0, 0)
    assert (r.max_backlog_minute, r.backlog_clear_minute) == (2, 3)


def test_backlog_left_at_the_end_of_the_horizon():
    r = compute(PeakDayInputs(orders_per_minute=(10, 10, 10), picks_per_worker_hour=600,
                              shifts=((0, 2, 1),)))  # one worker, minutes 0 and 1 only
    # capacity 10, 10, 0 -> backlog 0, 0, 10; it never clears within the horizon
    assert r.capacity_units_per_minute == (10, 10, 0)
    assert r.backlog_units == (0, 0, 10)
    assert r.backlog_clear_minute is None and r.end_backlog_units == 10
    assert r.minutes_to_clear_after_horizon == 1.0  # 10 units / 10 a minute at full capacity


def test_backlog_clears_after_the_peak_even_if_a_new_one_builds_later():
    r = compute(PeakDayInputs(orders_per_minute=(30, 0, 0, 0, 15), picks_per_worker_hour=600,
                              shifts=((0, 5, 1),)))  # 10 units a minute
    # backlog: 30-10 = 20; 10; 0; 0; 15-10 = 5 -> peak 20 at minute 0, clear at minute 2
    assert r.backlog_units == (20, 10, 0, 0, 5)
    assert (r.max_backlog_minute, r.backlog_clear_minute) == (0, 2)
    assert r.end_backlog_units == 5 and r.minutes_to_clear_after_horizon == 0.5  # 5 / 10


def test_overlapping_shifts_add_up_and_no_workers_never_clears():
    r = compute(PeakDayInputs(orders_per_minute=(0, 0, 0), picks_per_worker_hour=600,
                              shifts=((0, 3, 1), (1, 2, 2))))
    assert r.capacity_units_per_minute == (10, 30, 10)
    idle = compute(PeakDayInputs(orders_per_minute=(1,), shifts=((0, 3, 0),)))
    assert idle.end_backlog_units == 1 and idle.minutes_to_clear_after_horizon is None


def test_no_backlog_reports_none_minutes():
    r = compute(PeakDayInputs(orders_per_minute=(1, 1), picks_per_worker_hour=600))
    assert (r.max_backlog_units, r.max_backlog_minute, r.backlog_clear_minute) == (0, None, None)


def test_a_full_day_of_1440_minutes():
    orders = tuple(100.0 if 0 <= m < 60 else 5.0 for m in range(1_440))  # a midnight rush
    r = compute(PeakDayInputs(orders_per_minute=orders, picks_per_worker_hour=60,
                              shifts=((0, 1_440, 30),), stock_units=1e9))
    # capacity 30 a minute: +70 a minute for 60 minutes -> 4,200 at minute 59,
    # then -25 a minute: 4,200 / 25 = 168 more minutes -> clear at minute 59 + 168 = 227
    assert len(r.backlog_units) == 1_440
    assert r.max_backlog_units == pytest.approx(4_200) and r.max_backlog_minute == 59
    assert r.backlog_clear_minute == 227


@pytest.mark.parametrize("field, value", [
    ("orders_per_minute", ()), ("orders_per_minute", "123"), ("orders_per_minute", None),
    ("orders_per_minute", (1, -1)), ("orders_per_minute", (1, math.nan)),
    ("orders_per_minute", (True,)), ("orders_per_minute", {0: 1}), ("orders_per_minute", (1, "2")),
    ("orders_per_minute", (10**400,)), ("orders_per_minute", (1.0,) * 10_081),
    ("units_per_order", 0), ("picks_per_worker_hour", math.inf), ("stock_units", -1),
    ("shifts", ()), ("shifts", ((0, 10),)), ("shifts", ((10, 5, 1),)), ("shifts", ((0, 10, -1),)),
    ("shifts", ((0.5, 10, 1),)), ("shifts", "abc"), ("shifts", ((0, 10, "3"),)),
    ("shifts", (None,)), ("shifts", ((0, 10_081, 1),)),
])
def test_bad_inputs_name_the_field(field, value):
    kwargs = {"orders_per_minute": (1, 2, 3), field: value}
    with pytest.raises(InputError) as err:
        PeakDayInputs(**kwargs)
    assert err.value.field == field
