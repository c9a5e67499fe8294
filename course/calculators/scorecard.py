"""Export-readiness scorecard of one firm selling food to China, 0 to 100.

Criteria and weights (they sum to 100):

=============================  ======  ==============================================
key                            weight  met when
=============================  ======  ==============================================
platform_registration              15  the product is registered on the platform
stock_vs_minimum_order             15  stock / minimum order (1,000,000), capped at 1
bpom_registration                   8  BPOM MD food-safety registration held
halal_certificate                   5  halal certificate held
china_facility_registration         8  GACC facility registration (when in force)
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
* China's registration of overseas food facilities follows the rule in force on the day of
  the assessment: ``as_of_date`` if given, else 11 November (Double Eleven) of ``as_of_year``.
  The rules by date (see datasets/changes_since_2018.csv for their sources):

  - bird's nest (``product_group="birds_nest"``): from the Indonesia-China protocol of
    24 April 2012 only exporters registered with China's authorities may ship it;
  - every food, from 1 January 2022: GACC Decree 248 (issued 12 April 2021). The 18 listed
    categories (bird's nest, unroasted coffee beans, meat, dairy...) register on the
    recommendation of the home authority; other foods (roasted or instant coffee, noodles,
    biscuits, crackers) register themselves;
  - every food, from 1 June 2026: GACC Decree 280 (issued 14 October 2025), which repeals
    Decree 248. Registration is still required; a dynamic catalogue replaces the fixed list of
    18 categories, the equivalence assessment of the exporting country's system is dropped and
    registrations renew automatically. As of 30 November 2026 the catalogue had not been
    published in the sources checked, so ``decree_248_listed`` keeps meaning "one of Decree
    248's 18 categories". ``decree_248_listed`` and ``other_food`` score alike: they differ in
    how a firm registers (on the home authority's recommendation, or by itself), and this
    route, with its longer lead time, is not part of the score.

  Where no rule applies (other foods before 2022, bird's nest before the 2012 protocol) the
  criterion is "not_required": its weight is redistributed over the other criteria in
  proportion to their weights, so the maximum stays 100. (AQSIQ Decree 145, 2012, also
  required registration of meat, dairy and aquatic products before 2022; it is not modelled.)
* Each criterion scores weight x fraction met (booleans are 0 or 1). Status is "met"
  (fraction 1), "partial" (0 < fraction < 1), "missing" (0) or "not_required".
* Results carry stable snake_case keys only; display text comes from the message catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .validation import FLAG, InputError, day, normalise, one_of, real, whole

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
FACILITY_RULE_FROM_YEAR = 2022  # every food from 1 Jan 2022 (Decree 248); kept for callers
CHANNELS = ("cbec", "general_trade")
PRODUCT_GROUPS = ("other_food", "decree_248_listed", "birds_nest")
# China's facility-registration rules by date: (key, first day, last day or None, groups covered).
FACILITY_RULES: tuple[tuple[str, date, date | None, tuple[str, ...]], ...] = (
    ("birds_nest_protocol_2012", date(2012, 4, 24), date(2021, 12, 31), ("birds_nest",)),
    ("gacc_decree_248", date(2022, 1, 1), date(2026, 5, 31), PRODUCT_GROUPS),
    ("gacc_decree_280", date(2026, 6, 1), None, PRODUCT_GROUPS),
)
DEFAULT_DAY = (11, 11)  # with as_of_year only, the rules in force on Double Eleven of that year
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
    **dict.fromkeys(FLAGS, FLAG),
    "channel": one_of(*CHANNELS),
    "product_group": one_of(*PRODUCT_GROUPS),
}  # as_of_date (None or a date within as_of_year) is checked in ScorecardInputs.__post_init__


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
    product_group: str = "other_food"
    as_of_date: date | None = None  # the day of the assessment; None = 11 November of as_of_year

    def __post_init__(self) -> None:
        normalise(self, INPUT_RULES)
        if self.as_of_date is not None:
            first, last = date(self.as_of_year, 1, 1), date(self.as_of_year, 12, 31)
            if type(self.as_of_date) is date and not first <= self.as_of_date <= last:
                raise InputError("as_of_date", self.as_of_date,
                                 f"a date in as_of_year {self.as_of_year} (from {first} to {last}); "
                                 "set as_of_year to its year too, or leave as_of_date out", first, last)
            day("as_of_date", self.as_of_date, first, last)

    @property
    def rules_date(self) -> date:
        """The day whose rules apply: ``as_of_date``, else 11 November of ``as_of_year``."""
        return self.as_of_date or date(self.as_of_year, *DEFAULT_DAY)


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
    facility_rule: str | None = None  # key of the registration rule applied (FACILITY_RULES), or None
    rules_date: date | None = None  # the day whose rules were applied

    def radar_axes(self) -> tuple[tuple[str, ...], tuple[float, ...]]:
        """(criterion keys, fractions met 0..1) for a radar chart; criteria that are not
        required on the day of the assessment are left out."""
        kept = [c for c in self.criteria if c.status != "not_required"]
        return tuple(c.key for c in kept), tuple(c.fraction for c in kept)


def facility_rule(product_group: str, on: date) -> str | None:
    """Key of China's facility-registration rule for ``product_group`` in force on ``on``, or None.

    >>> facility_rule("birds_nest", date(2018, 11, 11)), facility_rule("other_food", date(2018, 11, 11))
    ('birds_nest_protocol_2012', None)
    >>> facility_rule("other_food", date(2026, 6, 1))
    'gacc_decree_280'
    """
    for key, first, last, groups in FACILITY_RULES:
        if product_group in groups and first <= on and (last is None or on <= last):
            return key
    return None


def fractions(i: ScorecardInputs) -> dict[str, float | None]:
    """Fraction 0..1 met for each criterion key; None when not required."""
    label = i.chinese_e_label if i.channel == "cbec" else i.gb7718_label
    registration_required = facility_rule(i.product_group, i.rules_date) is not None
    return {
        "platform_registration": float(i.platform_registered),
        "stock_vs_minimum_order": min(1.0, i.units_in_stock / i.minimum_order_units),
        "bpom_registration": float(i.bpom_md_registered),
        "halal_certificate": float(i.halal_certified),
        "china_facility_registration": (float(i.china_facility_registered)
                                        if registration_required else None),
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
    on = inputs.rules_date
    return ScorecardResult(score, tuple(criteria), tuple(gaps), facility_rule(inputs.product_group, on), on)
