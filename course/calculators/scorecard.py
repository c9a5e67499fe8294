"""Export-readiness scorecard of one firm selling food to China, 0 to 100.

Criteria and weights (they sum to 100):

=============================  ======  ==============================================
key                            weight  met when
=============================  ======  ==============================================
platform_registration              15  the product is registered on the platform
stock_vs_minimum_order             15  stock / minimum order (1,000,000), capped at 1
bpom_registration                   8  BPOM MD food-safety registration held
halal_certificate                   5  halal certificate held
china_facility_registration         8  GACC facility registration (from 2022 only)
chinese_labelling                   8  the label the channel needs (see below)
logistics_partner                   8  a logistics partner is contracted
bonded_warehouse_access             5  access to a bonded warehouse in China
cross_border_payment                8  cross-border payment settlement in place
chinese_storefront                  6  a Chinese-language storefront
after_sales_service                 4  after-sales service for Chinese buyers
working_capital                    10  months of costs covered / target months, capped at 1
=============================  ======  ==============================================

Assumptions:

* Chinese labelling: channel "cbec" (cross-border retail import) needs a Chinese
  electronic label; channel "general_trade" needs a Chinese paper label to GB 7718.
* GACC Decree 248 made registration of every overseas food facility mandatory from
  1 January 2022. Before 2022 (``as_of_year`` < 2022) the criterion is "not_required":
  its weight is redistributed over the other criteria in proportion to their weights, so
  the maximum stays 100. (The earlier AQSIQ Decree 145 covered only listed categories,
  such as bird's nest; it is not modelled.)
* Each criterion scores weight x fraction met (booleans are 0 or 1). Status is "met"
  (fraction 1), "partial" (0 < fraction < 1), "missing" (0) or "not_required".
* Results carry stable snake_case keys only; display text comes from the message catalog.
"""

from __future__ import annotations

from dataclasses import dataclass

from .validation import FLAG, normalise, one_of, real, whole

WEIGHTS: dict[str, float] = {
    "platform_registration": 15,
    "stock_vs_minimum_order": 15,
    "bpom_registration": 8,
    "halal_certificate": 5,
    "china_facility_registration": 8,
    "chinese_labelling": 8,
    "logistics_partner": 8,
    "bonded_warehouse_access": 5,
    "cross_border_payment": 8,
    "chinese_storefront": 6,
    "after_sales_service": 4,
    "working_capital": 10,
}
FACILITY_RULE_FROM_YEAR = 2022
CHANNELS = ("cbec", "general_trade")
FLAGS = ("platform_registered", "bpom_md_registered", "halal_certified",
         "china_facility_registered", "chinese_e_label", "gb7718_label", "logistics_partner",
         "bonded_warehouse_access", "cross_border_payment", "chinese_storefront",
         "after_sales_service")
# What each input accepts (checked in this order); the widgets read the same rules.
INPUT_RULES = {
    "as_of_year": whole(2000, 2100),
    "units_in_stock": whole(0, 10**12),
    "minimum_order_units": whole(1, 10**12),
    "working_capital_months": real(0, 1200),
    "working_capital_target_months": real(1, 120),
    **{name: FLAG for name in FLAGS},
    "channel": one_of(*CHANNELS),
}


@dataclass(frozen=True)
class ScorecardInputs:
    as_of_year: int = 2018
    platform_registered: bool = False
    units_in_stock: int = 0
    minimum_order_units: int = 1_000_000
    bpom_md_registered: bool = False
    halal_certified: bool = False
    china_facility_registered: bool = False
    channel: str = "cbec"
    chinese_e_label: bool = False
    gb7718_label: bool = False
    logistics_partner: bool = False
    bonded_warehouse_access: bool = False
    cross_border_payment: bool = False
    chinese_storefront: bool = False
    after_sales_service: bool = False
    working_capital_months: float = 0.0
    working_capital_target_months: float = 6.0

    def __post_init__(self) -> None:
        normalise(self, INPUT_RULES)


@dataclass(frozen=True)
class Criterion:
    key: str
    points: float
    max_points: float
    fraction: float  # 0..1 of the criterion met
    status: str  # "met", "partial", "missing" or "not_required"


@dataclass(frozen=True)
class Gap:
    key: str
    points_lost: float


@dataclass(frozen=True)
class ScorecardResult:
    score: float  # 0..100, one decimal
    criteria: tuple[Criterion, ...]  # in WEIGHTS order
    gaps: tuple[Gap, ...]  # largest points lost first, ties in WEIGHTS order

    def radar_axes(self) -> tuple[tuple[str, ...], tuple[float, ...]]:
        """(criterion keys, fractions met 0..1) for a radar chart; criteria that are not
        required in ``as_of_year`` are left out."""
        kept = [c for c in self.criteria if c.status != "not_required"]
        return tuple(c.key for c in kept), tuple(c.fraction for c in kept)


def fractions(i: ScorecardInputs) -> dict[str, float | None]:
    """Fraction 0..1 met for each criterion key; None when not required."""
    label = i.chinese_e_label if i.channel == "cbec" else i.gb7718_label
    return {
        "platform_registration": float(i.platform_registered),
        "stock_vs_minimum_order": min(1.0, i.units_in_stock / i.minimum_order_units),
        "bpom_registration": float(i.bpom_md_registered),
        "halal_certificate": float(i.halal_certified),
        "china_facility_registration": (float(i.china_facility_registered)
                                        if i.as_of_year >= FACILITY_RULE_FROM_YEAR else None),
        "chinese_labelling": float(label),
        "logistics_partner": float(i.logistics_partner),
        "bonded_warehouse_access": float(i.bonded_warehouse_access),
        "cross_border_payment": float(i.cross_border_payment),
        "chinese_storefront": float(i.chinese_storefront),
        "after_sales_service": float(i.after_sales_service),
        "working_capital": min(1.0, i.working_capital_months / i.working_capital_target_months),
    }


def compute(inputs: ScorecardInputs) -> ScorecardResult:
    """Score the firm; weights of criteria that are not required are redistributed."""
    met = fractions(inputs)
    required_weight = sum(w for k, w in WEIGHTS.items() if met[k] is not None)
    scale = 100 / required_weight
    criteria = []
    for key, weight in WEIGHTS.items():
        f = met[key]
        if f is None:
            criteria.append(Criterion(key, 0.0, 0.0, 0.0, "not_required"))
            continue
        top = weight * scale
        status = "met" if f >= 1 else ("missing" if f <= 0 else "partial")
        criteria.append(Criterion(key, top * f, top, f, status))
    score = round(min(100.0, max(0.0, sum(c.points for c in criteria))), 1)
    order = list(WEIGHTS)
    lost = (Gap(c.key, c.max_points - c.points) for c in criteria if c.points < c.max_points)
    gaps = sorted(lost, key=lambda g: (-g.points_lost, order.index(g.key)))
    return ScorecardResult(score, tuple(criteria), tuple(gaps))
