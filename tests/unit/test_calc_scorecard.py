"""Worked examples for course.calculators.scorecard."""

from dataclasses import replace

import pytest

from course.calculators.scorecard import WEIGHTS, ScorecardInputs, compute
from course.calculators.validation import InputError

FIRM = ScorecardInputs(
    as_of_year=2018,
    platform_registered=True,
    units_in_stock=500_000,  # half the minimum order
    bpom_md_registered=True,
    halal_certified=True,
    china_facility_registered=False,
    channel="cbec",
    chinese_e_label=True,
    logistics_partner=True,
    working_capital_months=3,  # half of the 6-month target
)


def test_weights_sum_to_100():
    assert sum(WEIGHTS.values()) == 100


def test_firm_in_2018_facility_weight_redistributed():
    r = compute(FIRM)
    # raw points: registration 15 + stock 15 x 0.5 + BPOM 8 + halal 5 + labelling 8
    #   + logistics 8 + working capital 10 x 0.5 = 56.5 of the 92 required in 2018
    # (facility registration, weight 8, is not required before 2022) -> 56.5 x 100 / 92 = 61.41
    assert r.score == 61.4
    facility = next(c for c in r.criteria if c.key == "china_facility_registration")
    assert (facility.status, facility.max_points, facility.points) == ("not_required", 0.0, 0.0)
    assert sum(c.max_points for c in r.criteria) == pytest.approx(100)
    stock = next(c for c in r.criteria if c.key == "stock_vs_minimum_order")
    assert (stock.status, stock.fraction) == ("partial", 0.5)
    assert stock.points == pytest.approx(7.5 * 100 / 92)
    # lost (raw): payment 8, stock 7.5, storefront 6, bonded 5, working capital 5, after-sales 4;
    # the tie at 5 keeps the WEIGHTS order (bonded before working capital)
    assert [g.key for g in r.gaps] == ["cross_border_payment", "stock_vs_minimum_order",
                                       "chinese_storefront", "bonded_warehouse_access",
                                       "working_capital", "after_sales_service"]
    assert r.gaps[0].points_lost == pytest.approx(8 * 100 / 92)


def test_same_firm_in_2022_needs_facility_registration():
    r = compute(replace(FIRM, as_of_year=2022))
    assert r.score == 56.5  # the same 56.5 raw points, now out of 100
    # facility registration (8) is lost and ties with payment (8); WEIGHTS order decides
    assert [g.key for g in r.gaps[:3]] == ["china_facility_registration", "cross_border_payment",
                                           "stock_vs_minimum_order"]
    assert compute(replace(FIRM, as_of_year=2022, china_facility_registered=True)).score == 64.5


def test_label_must_match_the_channel():
    # general trade needs a GB 7718 paper label; the e-label alone does not count
    r = compute(replace(FIRM, channel="general_trade"))
    labelling = next(c for c in r.criteria if c.key == "chinese_labelling")
    assert labelling.status == "missing"
    assert r.score == pytest.approx(round((56.5 - 8) * 100 / 92, 1))  # 52.7
    ok = compute(replace(FIRM, channel="general_trade", gb7718_label=True))
    assert ok.score == 61.4


def test_caps_and_extremes():
    everything = ScorecardInputs(
        as_of_year=2022, platform_registered=True, units_in_stock=5_000_000,
        bpom_md_registered=True, halal_certified=True, china_facility_registered=True,
        chinese_e_label=True, logistics_partner=True, bonded_warehouse_access=True,
        cross_border_payment=True,
        chinese_storefront=True, after_sales_service=True, working_capital_months=24)
    r = compute(everything)
    assert r.score == 100.0 and r.gaps == ()  # stock x5 and 24 months are capped at 1
    assert compute(ScorecardInputs()).score == 0.0


def test_radar_axes_keys_and_values():
    keys, values = compute(FIRM).radar_axes()
    assert "china_facility_registration" not in keys  # not required in 2018
    assert len(keys) == len(values) == 11
    assert dict(zip(keys, values))["working_capital"] == 0.5
    keys_2022, _ = compute(replace(FIRM, as_of_year=2022)).radar_axes()
    assert keys_2022 == tuple(WEIGHTS)


@pytest.mark.parametrize("field, value", [
    ("as_of_year", 1999), ("as_of_year", 2018.5), ("platform_registered", 1),
    ("halal_certified", "yes"), ("after_sales_service", None), ("units_in_stock", -5),
    ("minimum_order_units", 0), ("channel", "b2b"), ("channel", ["cbec"]),
    ("working_capital_months", float("nan")), ("working_capital_target_months", 0),
])
def test_bad_inputs_name_the_field(field, value):
    with pytest.raises(InputError) as err:
        ScorecardInputs(**{field: value})
    assert err.value.field == field and err.value.value is value


def test_numpy_booleans_from_a_table_row_are_accepted_as_plain_bools():
    import numpy as np

    inputs = ScorecardInputs(platform_registered=np.bool_(True), halal_certified=np.bool_(False))
    assert inputs.platform_registered is True and inputs.halal_certified is False
    with pytest.raises(InputError, match="platform_registered = 1 is not accepted: expected True or False"):
        ScorecardInputs(platform_registered=1)
