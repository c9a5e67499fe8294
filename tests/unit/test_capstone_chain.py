"""The capstone (m09) chains the supply plan to the peak day: the warehouse sells from what arrives in time.

Module 9 runs the course's calculators on each synthetic export profile; the stock of the peak day is
``UNITS_REQUIRED - supply_plan.shortfall_at_deadline_units`` (Q5 and its hidden test). These tests pin
that chain on the committed profiles: a late plan brings less than the full million, an on-time plan
all of it, and a day whose orders need more than arrived runs out earlier than with the full million.
"""

from __future__ import annotations

from datetime import date

import pytest

from course import data
from course.calculators import peak_day, supply

UNITS_REQUIRED = 1_000_000


def _profiles() -> dict[str, dict]:
    rows = data.load("export_profiles").set_index("profile")
    return {name: {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for name, row in rows.iterrows()}


def _supply(p: dict) -> supply.SupplyResult:
    return supply.compute(supply.SupplyInputs(
        units_required=UNITS_REQUIRED, units_in_stock=p["units_in_stock"],
        daily_capacity_units=p["daily_capacity_units"], working_days_per_week=p["working_days_per_week"],
        production_start=date(2018, 9, 10),
        event_date=date(2018, 11, 11), warehouse_days_before_event=30, transit_days=p["transit_days"],
        registration_days_needed=p["registration_days_needed"]))


def _day(p: dict, stock: int) -> peak_day.PeakDayResult:
    orders = data.load("store_orders_11_11").sort_values("minute")["orders"].astype(float).tolist()
    total, w = sum(orders), p["workers_per_shift"]
    return peak_day.compute(peak_day.PeakDayInputs(
        orders_per_minute=[p["expected_orders_11_11"] * o / total for o in orders],
        units_per_order=p["units_per_order"], picks_per_worker_hour=p["picks_per_worker_hour"],
        shifts=((0, 480, w), (480, 960, w), (960, 1440, w)),
        stock_units=stock))


@pytest.mark.parametrize("name", sorted(_profiles()))
def test_the_stock_on_the_day_is_what_the_supply_plan_delivers_in_time(name):
    plan = _supply(_profiles()[name])
    stock = UNITS_REQUIRED - plan.shortfall_at_deadline_units
    if plan.feasible:
        assert stock == UNITS_REQUIRED
    else:
        assert 0 <= stock < UNITS_REQUIRED


def test_the_worked_example_wafers_sell_from_950000():
    plan = _supply(_profiles()["wafers"])
    assert (plan.feasible, plan.slack_days, UNITS_REQUIRED - plan.shortfall_at_deadline_units) == (False, -2, 950_000)


def test_a_late_plan_runs_out_earlier_when_demand_exceeds_what_arrived():
    noodles = _profiles()["noodles"]  # on time, but its day needs 1.2 million units
    late = dict(noodles, daily_capacity_units=10_000)  # the same firm with a small plant: its plan is late
    plan = _supply(late)
    stock = UNITS_REQUIRED - plan.shortfall_at_deadline_units
    assert not plan.feasible and stock < UNITS_REQUIRED
    chained, unchained = _day(late, stock), _day(late, UNITS_REQUIRED)
    assert chained.stockout_minute is not None and unchained.stockout_minute is not None
    assert chained.stockout_minute < unchained.stockout_minute
    assert chained.orders_lost_to_stockout > unchained.orders_lost_to_stockout


@pytest.mark.parametrize("name, rule", [("birds_nest", "birds_nest_protocol_2012"), ("crackers", None),
                                        ("coffee", None), ("noodles", None), ("wafers", None)])
def test_each_profile_is_scored_under_chinas_registration_rule_for_its_product_in_2018(name, rule):
    from course.calculators import scorecard

    p = _profiles()[name]
    flags = ("platform_registered", "bpom_md_registered", "halal_certified", "chinese_e_label", "logistics_partner",
             "bonded_warehouse_access", "cross_border_payment", "chinese_storefront", "after_sales_service",
             "china_facility_registered")
    card = scorecard.compute(scorecard.ScorecardInputs(
        as_of_year=2018, channel="cbec", units_in_stock=p["units_in_stock"],
        working_capital_months=p["working_capital_months"], product_group=p["product_group"],
        **{k: p[k] for k in flags}))
    assert card.facility_rule == rule
    gaps = [gap.key for gap in card.gaps]
    # the bird's-nest firm is not registered in September 2018: a gap; for the others the criterion is not required
    assert ("china_facility_registration" in gaps) == (rule is not None)
