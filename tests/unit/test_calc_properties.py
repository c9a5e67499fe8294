"""Property tests (hypothesis) for the five calculators: monotonicity, bounds, conservation,
and that any bad input gives InputError and never another exception."""

import math
from dataclasses import fields, replace
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from course.calculators import country_readiness as cr
from course.calculators import landed_cost, peak_day, scorecard, supply
from course.calculators.validation import InputError

# No example database: the tests write nothing to the working tree.
PROPS = settings(max_examples=150, deadline=None, database=None)



# ----------------------------------------------------------------- valid input strategies

supply_inputs = st.builds(
    supply.SupplyInputs,
    units_required=st.integers(1, 2_000_000),
    units_in_stock=st.integers(0, 2_000_000),
    daily_capacity_units=st.integers(1_000, 200_000),
    working_days_per_week=st.integers(1, 7),
    production_start=st.dates(date(2018, 1, 1), date(2018, 12, 31)),
    event_date=st.dates(date(2018, 6, 1), date(2019, 6, 1)),
    warehouse_days_before_event=st.integers(0, 60),
    transit_days=st.integers(0, 60),
    registration_days_needed=st.integers(0, 90),
)

RULE_DATES = st.dates(date(2016, 4, 8), date(2030, 12, 31))
landed_inputs = st.builds(
    landed_cost.LandedCostInputs,
    ex_factory_cost_idr_per_unit=st.floats(1, 1e6),
    units_per_shipment=st.integers(1, 100_000),
    freight_idr_per_shipment=st.floats(0, 1e9),
    other_costs_idr_per_shipment=st.floats(0, 1e8),
    insurance_rate=st.floats(0, 0.1),
    idr_per_cny=st.floats(100, 100_000),
    sale_date=RULE_DATES,
    platform_commission_rate=st.floats(0, 0.3),
    payment_fee_rate=st.floats(0, 0.05),
    target_margin=st.floats(0, 0.4),  # 1/1.119 - 0.35 - 0.4 > 0: always reachable
    retail_price_cny=st.none() | st.floats(0.01, 1e5),
)

scorecard_inputs = st.builds(
    scorecard.ScorecardInputs,
    **{name: st.booleans() for name in scorecard.FLAGS},
    as_of_year=st.integers(2000, 2100),
    units_in_stock=st.integers(0, 10**12),
    minimum_order_units=st.integers(1, 10**12),
    channel=st.sampled_from(scorecard.CHANNELS),
    product_group=st.sampled_from(scorecard.PRODUCT_GROUPS),
    working_capital_months=st.floats(0, 1200),
    working_capital_target_months=st.floats(1, 120),
)

shift = st.tuples(st.integers(0, 150), st.integers(1, 100), st.floats(0, 50)).map(
    lambda s: (s[0], s[0] + s[1], s[2]))
peak_inputs = st.builds(
    peak_day.PeakDayInputs,
    orders_per_minute=st.lists(st.floats(0, 100), min_size=1, max_size=200).map(tuple),
    units_per_order=st.floats(0.5, 5),
    picks_per_worker_hour=st.floats(10, 1_000),
    shifts=st.lists(shift, min_size=1, max_size=4).map(tuple),
    stock_units=st.floats(0, 20_000),
)

components = st.builds(cr.Components, *[st.floats(0, 100)] * 4)

# ------------------------------------------------------------------------------ supply


@PROPS
@given(supply_inputs, st.integers(0, 1_000_000))
def test_more_stock_never_lowers_readiness(inputs, extra):
    before = supply.compute(inputs)
    after = supply.compute(replace(inputs, units_in_stock=inputs.units_in_stock + extra))
    assert after.slack_days >= before.slack_days
    assert after.shortfall_at_deadline_units <= before.shortfall_at_deadline_units
    assert after.feasible >= before.feasible


@PROPS
@given(supply_inputs, st.integers(0, 200_000))
def test_more_capacity_never_makes_a_plan_later(inputs, extra):
    before = supply.compute(inputs)
    faster = replace(inputs, daily_capacity_units=inputs.daily_capacity_units + extra)
    after = supply.compute(faster)
    assert after.production_complete <= before.production_complete
    assert after.warehouse_arrival <= before.warehouse_arrival
    assert after.latest_production_start >= before.latest_production_start
    assert after.shortfall_at_deadline_units <= before.shortfall_at_deadline_units


@PROPS
@given(supply_inputs)
def test_feasibility_is_consistent(inputs):
    r = supply.compute(inputs)
    assert r.feasible == (r.slack_days >= 0) == (r.shortfall_at_deadline_units == 0)
    assert r.feasible == (inputs.production_start <= r.latest_production_start)
    if r.required_daily_capacity_units is not None:  # that capacity is enough, one less is not
        needed = max(1, r.required_daily_capacity_units)
        enough = supply.compute(replace(inputs, daily_capacity_units=needed))
        assert enough.feasible
        assert r.feasible == (inputs.daily_capacity_units >= r.required_daily_capacity_units)


@PROPS
@given(supply_inputs)
def test_a_pool_of_one_matches_the_single_calculator(inputs):
    one = supply.Producer("only", inputs.units_in_stock, inputs.daily_capacity_units,
                          inputs.working_days_per_week, inputs.production_start)
    plan = supply.pool([one], inputs.units_required, event_date=inputs.event_date,
                       warehouse_days_before_event=inputs.warehouse_days_before_event,
                       transit_days=inputs.transit_days,
                       registration_days_needed=inputs.registration_days_needed)
    r = supply.compute(inputs)
    keys = ("production_complete", "warehouse_arrival", "deadline", "slack_days", "feasible",
            "shortfall_at_deadline_units")
    assert [getattr(plan, k) for k in keys] == [getattr(r, k) for k in keys]


producers = st.lists(st.builds(
    supply.Producer, name=st.text(min_size=1, max_size=5).filter(str.strip),
    units_in_stock=st.integers(0, 300_000), daily_capacity_units=st.integers(1_000, 50_000),
    working_days_per_week=st.integers(1, 7),
    production_start=st.dates(date(2018, 8, 1), date(2018, 10, 1))),
    min_size=1, max_size=5, unique_by=lambda p: p.name)


@PROPS
@given(producers, st.integers(1, 2_000_000))
def test_pool_allocates_exactly_and_each_can_deliver(members, required):
    plan = supply.pool(members, required)
    assert sum(a.units_allocated for a in plan.allocations) == required
    for p, a in zip(members, plan.allocations, strict=True):
        assert 0 <= a.units_allocated <= p.ready_by(plan.production_complete)
        assert (a.production_complete is None) == (a.units_allocated == 0)
        if a.production_complete is not None:
            assert a.production_complete <= plan.production_complete
    day_before = plan.production_complete.toordinal() - 1
    assert sum(p.ready_by(date.fromordinal(day_before)) for p in members) < required  # earliest
    assert plan.feasible == (plan.shortfall_at_deadline_units == 0)


# --------------------------------------------------------------------------- landed cost

RATE_ORDER = [date(2018, 4, 30), date(2018, 11, 11), date(2019, 4, 11)]  # 11.9 %, 11.2 %, 9.1 %


@PROPS
@given(landed_inputs, st.floats(0, 1e9))
def test_higher_freight_never_lowers_landed_cost_or_price(inputs, extra):
    a = landed_cost.compute(inputs)
    freight = inputs.freight_idr_per_shipment + extra
    b = landed_cost.compute(replace(inputs, freight_idr_per_shipment=freight))
    assert b.landed_cost_idr_per_unit >= a.landed_cost_idr_per_unit
    assert b.retail_price_cny_for_target_margin >= a.retail_price_cny_for_target_margin
    if inputs.retail_price_cny is not None:
        assert b.margin_at_price <= a.margin_at_price


@PROPS
@given(landed_inputs, st.floats(0, 1e6))
def test_higher_cost_means_more_tax_at_the_target_price(inputs, extra):
    inputs = replace(inputs, retail_price_cny=None)
    a = landed_cost.compute(inputs)
    cost = inputs.ex_factory_cost_idr_per_unit + extra
    b = landed_cost.compute(replace(inputs, ex_factory_cost_idr_per_unit=cost))
    assert b.tax_cny_per_unit >= a.tax_cny_per_unit


@PROPS
@given(landed_inputs, st.integers(0, 1), st.integers(1, 2))
def test_a_higher_tax_rate_never_lowers_the_price_or_raises_the_margin(inputs, hi, lo):
    assume(hi < lo)
    high = landed_cost.compute(replace(inputs, sale_date=RATE_ORDER[hi]))
    low = landed_cost.compute(replace(inputs, sale_date=RATE_ORDER[lo]))
    assert high.tax_rate > low.tax_rate
    assert high.retail_price_cny_for_target_margin >= low.retail_price_cny_for_target_margin
    assert high.landed_cost_cny_per_unit == low.landed_cost_cny_per_unit
    if inputs.retail_price_cny is not None:
        assert high.margin_at_price <= low.margin_at_price
        assert high.tax_cny_per_unit >= low.tax_cny_per_unit


@PROPS
@given(landed_inputs)
def test_landed_cost_identities(inputs):
    r = landed_cost.compute(inputs)
    assume(0.01 <= r.retail_price_cny_for_target_margin <= 1e7)  # the accepted price range
    target = r.retail_price_cny_for_target_margin
    again = landed_cost.compute(replace(inputs, retail_price_cny=target))
    assert again.margin_at_price == pytest.approx(inputs.target_margin, abs=1e-9)
    value = r.price_used_cny / (1 + r.tax_rate)  # transaction value (tax base) per unit
    assert r.units_per_order_limit <= r.per_order_limit_cny / value + 1e-9
    assert (r.units_per_order_limit + 1) * value > r.per_order_limit_cny
    in_cny = r.landed_cost_idr_per_unit / inputs.idr_per_cny
    assert r.landed_cost_cny_per_unit == pytest.approx(in_cny)


# ----------------------------------------------------------------------------- scorecard


@PROPS
@given(scorecard_inputs)
def test_score_stays_within_0_and_100(inputs):
    r = scorecard.compute(inputs)
    assert 0 <= r.score <= 100
    assert r.score == pytest.approx(sum(c.points for c in r.criteria), abs=0.05 + 1e-9)
    assert sum(c.max_points for c in r.criteria) == pytest.approx(100)
    lost = [g.points_lost for g in r.gaps]
    assert lost == sorted(lost, reverse=True) and all(x > 0 for x in lost)
    keys, values = r.radar_axes()
    assert set(keys) <= set(scorecard.WEIGHTS) and all(0 <= v <= 1 for v in values)


@PROPS
@given(scorecard_inputs, st.sampled_from(scorecard.FLAGS))
def test_meeting_one_more_criterion_never_lowers_the_score(inputs, flag):
    assert scorecard.compute(replace(inputs, **{flag: True})).score >= scorecard.compute(
        replace(inputs, **{flag: False})).score


# ------------------------------------------------------------------------------ peak day


@PROPS
@given(peak_inputs)
def test_peak_day_conserves_units(inputs):
    r = peak_day.compute(inputs)
    assert len(r.backlog_units) == len(inputs.orders_per_minute)
    assert all(b >= 0 for b in r.backlog_units)
    out = r.units_shipped + r.end_backlog_units
    assert r.units_accepted == pytest.approx(out, rel=1e-9, abs=1e-6)
    assert r.units_ordered == pytest.approx(
        r.units_accepted + r.orders_lost_to_stockout * inputs.units_per_order, rel=1e-9, abs=1e-6)
    assert r.units_accepted <= inputs.stock_units + 1e-6
    assert r.max_backlog_units == max(r.backlog_units)
    if r.max_backlog_minute is not None:  # the clear minute is the first 0 after the peak
        after_peak = r.backlog_units[r.max_backlog_minute:]
        expected = r.max_backlog_minute + after_peak.index(0) if 0 in after_peak else None
        assert r.backlog_clear_minute == expected
    else:
        assert r.max_backlog_units == 0 and r.backlog_clear_minute is None


def _reference_peak_day(inputs):
    """A plain minute-by-minute simulation, written independently of the module."""
    stock, backlog, lost, stockout, backlogs = inputs.stock_units, 0.0, 0.0, None, []
    for t, orders in enumerate(inputs.orders_per_minute):
        workers = sum(w for start, end, w in inputs.shifts if start <= t < end)
        need = orders * inputs.units_per_order
        take = min(need, stock)
        if need > stock + 1e-9 and stockout is None:
            stockout = t
        lost += (need - take) / inputs.units_per_order
        stock -= take
        backlog = max(0.0, backlog + take - workers * inputs.picks_per_worker_hour / 60)
        backlogs.append(backlog)
    return backlogs, lost, stockout


@PROPS
@given(peak_inputs)
def test_peak_day_matches_a_plain_simulation(inputs):
    r = peak_day.compute(inputs)
    backlogs, lost, stockout = _reference_peak_day(inputs)
    assert r.backlog_units == pytest.approx(backlogs, rel=1e-9, abs=1e-6)
    assert r.orders_lost_to_stockout == pytest.approx(lost, rel=1e-9, abs=1e-6)
    # the stockout minute may differ only where demand and stock are equal to within 1e-6
    if r.stockout_minute != stockout:
        k = min(m for m in (r.stockout_minute, stockout) if m is not None)
        used = math.fsum(inputs.orders_per_minute[: k + 1]) * inputs.units_per_order
        assert used == pytest.approx(inputs.stock_units, abs=1e-6)


@PROPS
@given(peak_inputs, st.floats(0, 20))
def test_more_workers_never_increase_the_backlog(inputs, extra):
    more = replace(inputs, shifts=(*inputs.shifts, (0, len(inputs.orders_per_minute), extra)))
    a, b = peak_day.compute(inputs), peak_day.compute(more)
    assert all(y <= x for x, y in zip(a.backlog_units, b.backlog_units, strict=True))
    assert b.units_shipped >= a.units_shipped - 1e-6


@PROPS
@given(peak_inputs, st.floats(0, 20_000))
def test_more_stock_never_loses_more_orders(inputs, extra):
    a = peak_day.compute(inputs)
    b = peak_day.compute(replace(inputs, stock_units=inputs.stock_units + extra))
    assert b.orders_lost_to_stockout <= a.orders_lost_to_stockout + 1e-9
    if a.stockout_minute is not None and b.stockout_minute is not None:
        assert b.stockout_minute >= a.stockout_minute


# --------------------------------------------------------------------- country readiness


@PROPS
@given(st.dictionaries(st.text(min_size=1, max_size=4), components, min_size=1, max_size=8))
def test_rank_and_index_bounds(peers):
    for name, c in peers.items():
        assert 0 <= cr.index(c) <= 100
        position, of_n = cr.rank(name, peers)
        assert of_n == len(peers) and 1 <= position <= of_n
        assert position == 1 + sum(cr.index(o) > cr.index(c) for o in peers.values())


@PROPS
@given(components, st.sampled_from(cr.COMPONENTS), st.floats(0, 100))
def test_what_if_change_is_consistent(c, name, value):
    w = cr.what_if(c, **{name: value})
    assert w.change == pytest.approx(w.after - w.before)
    assert (w.change >= 0) == (value >= getattr(c, name)) or w.change == pytest.approx(0)
    assert 0 <= w.after <= 100


# ------------------------------------------------------------------------ bad inputs

NAN, INF = float("nan"), float("inf")
ODD = [NAN, INF, -INF, 10**400, -(10**400), "1", "", b"1", [1], (1,), {}]
ANY_BAD = st.one_of(st.sampled_from(ODD),
                    st.none(), st.booleans(), st.text(max_size=4), st.integers(max_value=-1),
                    st.floats(max_value=-1e-9, allow_nan=False), st.complex_numbers(),
                    st.datetimes())
BAD_DATES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10),
                      st.datetimes(), st.dates(max_value=date(1999, 12, 31)),
                      st.dates(min_value=date(2101, 1, 1)))
BAD_ORDERS = st.one_of(ANY_BAD.filter(lambda v: not isinstance(v, (list, tuple))),
                       st.lists(ANY_BAD, min_size=1, max_size=3), st.just(()),
                       st.just((1.0,) * 10_081))  # longer than a week
BAD_FLAGS = st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=3), st.just([True]))


def _bad_for(cls, name):
    if name in {"production_start", "event_date"}:
        return BAD_DATES
    if name == "as_of_date":  # None is valid (the rules of 11 November of as_of_year)
        return BAD_DATES.filter(lambda v: v is not None)
    if name == "sale_date":
        return st.one_of(BAD_DATES, st.dates(date(2000, 1, 1), date(2016, 4, 7)))
    if cls is scorecard.ScorecardInputs and name in scorecard.FLAGS:
        return BAD_FLAGS
    if name in {"transport_mode", "channel", "product_group"}:
        valid = landed_cost.MODES + scorecard.CHANNELS + scorecard.PRODUCT_GROUPS
        text = st.text(max_size=4).filter(lambda s: s not in valid)
        return st.one_of(st.none(), st.integers(), text)
    if name == "orders_per_minute":
        return BAD_ORDERS
    if name == "retail_price_cny":
        return ANY_BAD.filter(lambda v: v is not None)
    return ANY_BAD


CASES = [(cls, f.name) for cls in (supply.SupplyInputs, landed_cost.LandedCostInputs,
                                   scorecard.ScorecardInputs) for f in fields(cls)]
CASES += [(peak_day.PeakDayInputs, f.name) for f in fields(peak_day.PeakDayInputs)]


@pytest.mark.parametrize("cls, name", CASES, ids=[f"{c.__name__}.{n}" for c, n in CASES])
@settings(PROPS, max_examples=60)
@given(data=st.data())
def test_any_bad_value_gives_input_error_naming_the_field(cls, name, data):
    value = data.draw(_bad_for(cls, name))
    kwargs = {"orders_per_minute": (1.0, 2.0)} if cls is peak_day.PeakDayInputs else {}
    kwargs[name] = value
    with pytest.raises(InputError) as err:
        cls(**kwargs)
    assert err.value.field == name and err.value.accepted


@PROPS
@given(st.lists(ANY_BAD, min_size=4, max_size=4), st.integers(0, 3))
def test_bad_components_give_input_error(values, which):
    good = [50.0, 50.0, 50.0, 50.0]
    good[which] = values[which]
    with pytest.raises(InputError) as err:
        cr.Components(*good)
    assert err.value.field == cr.COMPONENTS[which]


ANYTHING = st.one_of(st.floats(), st.integers(), st.integers(-10, 2_000_000), st.text(max_size=4),
                     st.none(), st.booleans(), st.dates(), st.datetimes(), st.just((0, 10, 1)))


@pytest.mark.parametrize("cls", [supply.SupplyInputs, landed_cost.LandedCostInputs,
                                 scorecard.ScorecardInputs, peak_day.PeakDayInputs],
                         ids=lambda c: c.__name__)
@settings(PROPS, max_examples=300)
@given(data=st.data())
def test_anything_either_computes_or_gives_input_error(cls, data):
    """Fuzz: random values in random fields never raise anything but InputError, and
    whatever is accepted can be computed."""
    names = [f.name for f in fields(cls)]
    chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    kwargs = {"orders_per_minute": (1.0,)} if cls is peak_day.PeakDayInputs else {}
    kwargs.update({n: data.draw(ANYTHING) for n in chosen})
    module = {supply.SupplyInputs: supply, landed_cost.LandedCostInputs: landed_cost,
              scorecard.ScorecardInputs: scorecard, peak_day.PeakDayInputs: peak_day}[cls]
    try:
        inputs = cls(**kwargs)
    except InputError as err:
        assert err.field in names
        return
    result = module.compute(inputs)
    assert result is not None and all(
        not (isinstance(v, float) and math.isnan(v)) for v in vars(result).values())


@PROPS
@given(st.one_of(ANY_BAD, st.lists(ANY_BAD, max_size=2)), st.sampled_from(
    ["units_required", "event_date", "warehouse_days_before_event", "transit_days",
     "registration_days_needed"]))
def test_pool_bad_arguments_give_input_error(value, name):
    with pytest.raises(InputError) as err:
        supply.pool([supply.Producer("a", 10, 10)], **{name: value})
    assert err.value.field == name
