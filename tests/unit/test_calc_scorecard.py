"""Worked examples for course.calculators.scorecard."""

from dataclasses import replace
from datetime import date

import pytest

from course.calculators.scorecard import PRODUCT_GROUPS, WEIGHTS, ScorecardInputs, compute, facility_rule
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
    assert dict(zip(keys, values, strict=True))["working_capital"] == 0.5
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


# ------------------------------------------------- China's facility registration by date and product
# (rule, 2018, 2022, 1 June 2026) per product group; sources in datasets/changes_since_2018.csv
RULES_BY_PRODUCT = {
    "other_food": (None, "gacc_decree_248", "gacc_decree_280"),
    "decree_248_listed": (None, "gacc_decree_248", "gacc_decree_280"),
    "birds_nest": ("birds_nest_protocol_2012", "gacc_decree_248", "gacc_decree_280"),
}


@pytest.mark.parametrize("group", PRODUCT_GROUPS)
def test_facility_rule_per_product_in_2018_2022_and_after_1_june_2026(group):
    in_2018, in_2022, from_june_2026 = RULES_BY_PRODUCT[group]
    cards = {
        "2018": compute(replace(FIRM, product_group=group)),  # 11 Nov 2018
        "2022": compute(replace(FIRM, product_group=group, as_of_year=2022, as_of_date=date(2022, 1, 1))),
        "2026-05": compute(replace(FIRM, product_group=group, as_of_year=2026, as_of_date=date(2026, 5, 31))),
        "2026-06": compute(replace(FIRM, product_group=group, as_of_year=2026, as_of_date=date(2026, 6, 1))),
    }
    assert [cards[k].facility_rule for k in ("2018", "2022", "2026-05", "2026-06")] == [
        in_2018, in_2022, "gacc_decree_248", from_june_2026]
    for key, card in cards.items():
        facility = next(c for c in card.criteria if c.key == "china_facility_registration")
        required = card.facility_rule is not None
        assert facility.status == ("missing" if required else "not_required"), key
        # FIRM has no facility registration: 56.5 raw points of 100 when required, of 92 when not
        assert card.score == (56.5 if required else 61.4), key


def test_birds_nest_needed_registration_in_2018_the_others_did_not():
    nest = compute(replace(FIRM, product_group="birds_nest"))
    crackers = compute(FIRM)
    assert (nest.facility_rule, crackers.facility_rule) == ("birds_nest_protocol_2012", None)
    assert nest.score < crackers.score
    assert nest.gaps[0].key == "china_facility_registration"  # ties with payment (8); WEIGHTS order
    assert compute(replace(FIRM, product_group="birds_nest", china_facility_registered=True)).score == 64.5


def test_the_protocol_date_and_the_decree_dates_are_the_boundaries():
    assert facility_rule("birds_nest", date(2012, 4, 23)) is None
    assert facility_rule("birds_nest", date(2012, 4, 24)) == "birds_nest_protocol_2012"
    assert facility_rule("birds_nest", date(2021, 12, 31)) == "birds_nest_protocol_2012"
    assert facility_rule("other_food", date(2021, 12, 31)) is None
    assert facility_rule("other_food", date(2022, 1, 1)) == "gacc_decree_248"
    assert facility_rule("other_food", date(2026, 5, 31)) == "gacc_decree_248"
    assert facility_rule("other_food", date(2026, 6, 1)) == "gacc_decree_280"


def test_year_alone_applies_the_rules_of_11_november():
    card = compute(replace(FIRM, as_of_year=2026))
    assert (card.rules_date, card.facility_rule) == (date(2026, 11, 11), "gacc_decree_280")
    assert compute(FIRM).rules_date == date(2018, 11, 11)


@pytest.mark.parametrize("value", [date(2026, 6, 1), "2018-11-11", 20181111, True])
def test_an_as_of_date_outside_as_of_year_or_not_a_date_names_the_field(value):
    with pytest.raises(InputError) as err:
        ScorecardInputs(as_of_year=2018, as_of_date=value)
    assert err.value.field == "as_of_date" and err.value.value is value
    assert "2018-01-01" in err.value.accepted


def test_an_unknown_product_group_names_the_choices():
    with pytest.raises(InputError, match=r"product_group = 'coffee' .* other_food, decree_248_listed, birds_nest"):
        ScorecardInputs(product_group="coffee")
