"""Worked examples for course.calculators.landed_cost (illustrative costs, not real data)."""

import math
from datetime import date, datetime

import pytest

from course.calculators.landed_cost import LandedCostInputs, compute, rule_for
from course.calculators.validation import InputError

# A round exchange rate (2,000 IDR per CNY) keeps the hand arithmetic readable.
EXAMPLE = {
    "ex_factory_cost_idr_per_unit": 20_000,
    "units_per_shipment": 10_000,
    "freight_idr_per_shipment": 4_300_000,  # given by the user, not a market rate
    "insurance_rate": 0.003,
    "idr_per_cny": 2_000,
    "platform_commission_rate": 0.05,
    "payment_fee_rate": 0.01,
    "target_margin": 0.20,
}


def test_landed_cost_by_hand():
    r = compute(LandedCostInputs(**EXAMPLE, sale_date=date(2018, 11, 11)))
    # 20,000 goods + 0.003 x 20,000 insurance (60) + 4,300,000 / 10,000 freight (430) = 20,490 IDR
    assert r.landed_cost_idr_per_unit == pytest.approx(20_490)
    assert r.landed_cost_cny_per_unit == pytest.approx(10.245)  # 20,490 / 2,000
    assert r.tax_rate == pytest.approx(0.112)  # VAT 16 % x 0.7
    # price x (1/1.112 - 0.05 - 0.01 - 0.20) = 10.245
    price = 10.245 / (1 / 1.112 - 0.26)
    assert r.retail_price_cny_for_target_margin == pytest.approx(price)
    assert price == pytest.approx(16.02583, abs=1e-5)  # 10.245 / 0.639281
    assert r.tax_cny_per_unit == pytest.approx(price * 0.112 / 1.112)
    assert r.margin_at_price is None
    # transaction value 16.026 / 1.112 = 14.412 CNY; 2,000 / 14.412 = 138.8 -> 138 units
    assert r.units_per_order_limit == 138


def test_singles_day_2018_versus_april_2019_at_the_same_price():
    # price 22.24 CNY = 20 CNY transaction value x 1.112
    at_price = dict(EXAMPLE, retail_price_cny=22.24)
    y2018 = compute(LandedCostInputs(**at_price, sale_date=date(2018, 11, 11)))
    y2019 = compute(LandedCostInputs(**at_price, sale_date=date(2019, 4, 11)))

    # 2018: tax = 22.24 x 0.112 / 1.112 = 2.24; fees 22.24 x 0.06 = 1.3344
    assert y2018.tax_cny_per_unit == pytest.approx(2.24)
    assert y2018.seller_net_cny_per_unit == pytest.approx(22.24 - 2.24 - 1.3344)  # 18.6656
    assert y2018.margin_at_price == pytest.approx((18.6656 - 10.245) / 22.24)  # 0.3786
    assert (y2018.per_order_limit_cny, y2018.annual_limit_cny) == (2_000, 20_000)
    assert y2018.units_per_order_limit == 100  # 2,000 / 20
    assert y2018.rule_label == "2018-05-01 to 2018-12-31"

    # 2019-04-11: VAT 13 % -> 9.1 %; tax = 22.24 x 0.091 / 1.091 = 1.855
    assert y2019.tax_rate == pytest.approx(0.091)
    assert y2019.tax_cny_per_unit == pytest.approx(22.24 * 0.091 / 1.091)
    assert (y2019.per_order_limit_cny, y2019.annual_limit_cny) == (5_000, 26_000)
    # transaction value 22.24 / 1.091 = 20.385; 5,000 / 20.385 = 245.3 -> 245
    assert y2019.units_per_order_limit == 245
    assert y2019.rule_label == "from 2019-04-01"

    # the rule change: lower tax, a higher limit, a better margin, a lower target price
    assert y2019.tax_cny_per_unit < y2018.tax_cny_per_unit
    assert y2019.per_order_limit_cny > y2018.per_order_limit_cny
    assert y2019.margin_at_price > y2018.margin_at_price
    assert y2019.retail_price_cny_for_target_margin < y2018.retail_price_cny_for_target_margin
    # the tax is not part of the landed cost
    assert y2019.landed_cost_cny_per_unit == y2018.landed_cost_cny_per_unit


@pytest.mark.parametrize("sale, rate, limit", [
    (date(2016, 4, 8), 0.119, 2_000),  # first day of the CBEC rules, VAT 17 %
    (date(2018, 4, 30), 0.119, 2_000),
    (date(2018, 5, 1), 0.112, 2_000),  # VAT 16 %
    (date(2018, 12, 31), 0.112, 2_000),
    (date(2019, 1, 1), 0.112, 5_000),  # the limit rises before the VAT cut
    (date(2019, 3, 31), 0.112, 5_000),
    (date(2019, 4, 1), 0.091, 5_000),  # VAT 13 %
    (date(2024, 11, 11), 0.091, 5_000),
])
def test_rule_boundaries(sale, rate, limit):
    r = compute(LandedCostInputs(sale_date=sale))
    assert r.tax_rate == pytest.approx(rate) and r.per_order_limit_cny == limit
    assert rule_for(sale)[2] == limit


def test_margin_at_the_target_price_is_the_target():
    target = compute(LandedCostInputs(**EXAMPLE)).retail_price_cny_for_target_margin
    again = compute(LandedCostInputs(**EXAMPLE, retail_price_cny=target))
    assert again.margin_at_price == pytest.approx(0.20)


def test_unit_above_the_order_limit_gives_zero_units():
    r = compute(LandedCostInputs(**EXAMPLE, retail_price_cny=3_000))  # value 2,698 > 2,000
    assert r.units_per_order_limit == 0


def test_sales_before_the_cbec_rules_are_rejected():
    with pytest.raises(InputError) as err:
        LandedCostInputs(sale_date=date(2016, 4, 7))
    assert err.value.field == "sale_date" and err.value.low == date(2016, 4, 8)


def test_impossible_target_margin_names_the_accepted_range():
    with pytest.raises(InputError) as err:
        LandedCostInputs(platform_commission_rate=0.6, payment_fee_rate=0.2, target_margin=0.2)
    # 1/1.112 - 0.6 - 0.2 = 0.0993: margins below this are possible
    assert err.value.field == "target_margin"
    assert err.value.high == pytest.approx(1 / 1.112 - 0.8)
    assert LandedCostInputs(platform_commission_rate=0.6, payment_fee_rate=0.2,
                            target_margin=0.09).target_margin == 0.09


@pytest.mark.parametrize("field, value", [
    ("ex_factory_cost_idr_per_unit", 0), ("units_per_shipment", 1.5),
    ("freight_idr_per_shipment", -1),
    ("insurance_rate", math.inf), ("idr_per_cny", "2151.9"), ("transport_mode", "rail"),
    ("transport_mode", None), ("sale_date", datetime(2018, 11, 11)), ("sale_date", "2018-11-11"),
    ("platform_commission_rate", math.nan), ("payment_fee_rate", True), ("target_margin", -0.1),
    ("retail_price_cny", 0), ("other_costs_idr_per_shipment", 10**400),
])
def test_bad_inputs_name_the_field(field, value):
    with pytest.raises(InputError) as err:
        LandedCostInputs(**{field: value})
    assert err.value.field == field and err.value.value is value
