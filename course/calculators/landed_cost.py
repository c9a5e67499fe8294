"""Landed cost and retail price of one unit sold to a Chinese consumer by cross-border
e-commerce (CBEC) retail import.

Assumptions (all stated, none hidden):

* Landed cost per unit (IDR) = ex-factory cost + freight per shipment / units per shipment
  + other costs per shipment / units per shipment (customs broker, warehouse...) + insurance,
  where insurance = ``insurance_rate`` x ex-factory cost (the goods value). It stops at the
  bonded warehouse: it does NOT include the CBEC tax, which arises on the retail sale.
* Freight is given by the user per shipment; ``transport_mode`` ("sea"/"air") is a label
  only. The calculator contains no freight rates.
* ``idr_per_cny`` converts rupiah to yuan (default 2151.9 = 14,236.94 IDR/USD / 6.6160
  CNY/USD, the 2018 annual averages of the World Bank, see datasets/exchange_rates.csv).
* The retail price is the all-in price the consumer pays, tax included ("tax-inclusive"
  display). The CBEC tax base is the transaction price without the tax (goods, freight and
  insurance the consumer pays), so tax = price x rate / (1 + rate). The platform collects
  the tax as withholding agent. Commission and payment fee are charged on the full price.
  Seller's net receipt = price - tax - commission - payment fee; margin = (net receipt -
  landed cost) / price, a fraction of the retail price.
* Price for a target margin m solves price x (1/(1+r) - commission - fee - m) = landed
  cost (CNY), so it needs m < 1/(1+r) - commission - fee.
* The per-order limit applies to the transaction value (price without tax);
  ``units_per_order_limit`` = floor(limit / transaction value per unit) at the given price,
  or at the target-margin price if none is given. 0 means one unit exceeds the limit:
  the CBEC retail rates would then not apply (general-trade taxes would).
* Goods bear no consumption tax (true for the foods in this course), so the combined
  rate is import VAT x 70 %; the tariff within the limits is 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from .validation import InputError, dates, normalise, one_of, real, whole

# China's CBEC retail-import rules by sale date. Limits: Ministry of Finance / GACC notices
# as reported by ecns.cn (2018-11-30) and the STR Trade Report. Rates derived from the rule
# "tariff 0, import VAT and consumption tax at 70 %": combined = VAT x 0.7.
# (first day, last day or None, per-order limit CNY, annual limit CNY, import VAT rate)
RULES = (
    (date(2016, 4, 8), date(2018, 4, 30), 2_000, 20_000, 0.17),
    (date(2018, 5, 1), date(2018, 12, 31), 2_000, 20_000, 0.16),
    (date(2019, 1, 1), date(2019, 3, 31), 5_000, 26_000, 0.16),
    (date(2019, 4, 1), None, 5_000, 26_000, 0.13),
)
CBEC_TAX_SHARE = 0.7
FIRST_SALE, LAST_SALE = RULES[0][0], date(2100, 12, 31)
MODES = ("sea", "air")
# What each input accepts (checked in this order); the widgets read the same rules.
INPUT_RULES = {
    "ex_factory_cost_idr_per_unit": real(1, 1e9),
    "units_per_shipment": whole(1, 10**9),
    "freight_idr_per_shipment": real(0, 1e13),
    "other_costs_idr_per_shipment": real(0, 1e13),
    "insurance_rate": real(0, 0.1),
    "idr_per_cny": real(1, 1e6),
    "platform_commission_rate": real(0, 0.6),
    "payment_fee_rate": real(0, 0.2),
    "target_margin": real(0, 0.95),
    "retail_price_cny": real(0.01, 1e7, optional=True),  # None means "not given"
    "transport_mode": one_of(*MODES),
    "sale_date": dates(FIRST_SALE, LAST_SALE),  # from the start of the CBEC retail-import rules
}


def rule_for(sale_date: date) -> tuple[date, date | None, int, int, float]:
    """The CBEC rule row in force on ``sale_date`` (sale_date must be >= 2016-04-08)."""
    return next(r for r in reversed(RULES) if r[0] <= sale_date)


def tax_rate(sale_date: date) -> float:
    """Combined CBEC tax rate on ``sale_date``: import VAT x 0.7 (tariff 0, no consumption tax)."""
    return round(rule_for(sale_date)[4] * CBEC_TAX_SHARE, 6)


@dataclass(frozen=True)
class LandedCostInputs:
    """Default costs are illustrative placeholders, not data about any real product."""
    ex_factory_cost_idr_per_unit: float = 10_000.0
    units_per_shipment: int = 10_000
    freight_idr_per_shipment: float = 0.0
    other_costs_idr_per_shipment: float = 0.0
    insurance_rate: float = 0.003
    transport_mode: str = "sea"
    idr_per_cny: float = 2151.9
    sale_date: date = date(2018, 11, 11)
    platform_commission_rate: float = 0.05
    payment_fee_rate: float = 0.01
    target_margin: float = 0.20
    retail_price_cny: float | None = None

    def __post_init__(self) -> None:
        normalise(self, INPUT_RULES)
        rate = tax_rate(self.sale_date)
        high = 1 / (1 + rate) - self.platform_commission_rate - self.payment_fee_rate
        if self.target_margin >= high:
            # high > 0 always: commission <= 0.6 and fee <= 0.2 leave 1/1.119 - 0.8 = 0.094
            raise InputError("target_margin", self.target_margin,
                             f"a number from 0 to below {high:.4f} (1/(1 + tax rate {rate}) "
                             "minus commission and payment fee); no price reaches a higher "
                             "margin", 0, high)


@dataclass(frozen=True)
class LandedCostResult:
    landed_cost_idr_per_unit: float
    landed_cost_cny_per_unit: float
    tax_rate: float
    retail_price_cny_for_target_margin: float
    price_used_cny: float  # the given retail price, else the target-margin price
    tax_cny_per_unit: float  # at price_used_cny
    seller_net_cny_per_unit: float  # at price_used_cny
    margin_at_price: float | None  # None when no retail price was given
    per_order_limit_cny: int
    annual_limit_cny: int
    units_per_order_limit: int
    rule_label: str
    transport_mode: str


def compute(inputs: LandedCostInputs) -> LandedCostResult:
    """Landed cost, CBEC tax and price of one unit under the rules in force on the sale date."""
    i = inputs
    first, last, per_order, annual, _ = rule_for(i.sale_date)
    rate = tax_rate(i.sale_date)
    per_shipment = i.freight_idr_per_shipment + i.other_costs_idr_per_shipment
    landed_idr = (i.ex_factory_cost_idr_per_unit * (1 + i.insurance_rate)
                  + per_shipment / i.units_per_shipment)
    landed_cny = landed_idr / i.idr_per_cny
    fees = i.platform_commission_rate + i.payment_fee_rate
    target_price = landed_cny / (1 / (1 + rate) - fees - i.target_margin)
    price = target_price if i.retail_price_cny is None else i.retail_price_cny
    tax = price * rate / (1 + rate)
    net = price - tax - price * fees
    margin = None if i.retail_price_cny is None else (net - landed_cny) / price
    units = math.floor(per_order / (price / (1 + rate)) + 1e-9)  # 1e-9: floating-point dust
    label = f"{first} to {last}" if last else f"from {first}"
    return LandedCostResult(landed_idr, landed_cny, rate, target_price, price, tax, net, margin,
                            per_order, annual, units, label, i.transport_mode)
