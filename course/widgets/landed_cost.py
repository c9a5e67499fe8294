"""m05's calculator: landed cost of one unit, China's cross-border (CBEC) tax, fees and the price."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from course.calculators import landed_cost as calc
from course.widgets.form import CalculatorForm, Field, Texts, figure, number_ticks, table

PREFIX = "landed_cost"
FIELDS = (
    Field("ex_factory_cost_idr_per_unit", "float"),
    Field("units_per_shipment", "int"),
    Field("freight_idr_per_shipment", "float"),
    Field("other_costs_idr_per_shipment", "float"),
    Field("insurance_rate", "percent"),
    Field("transport_mode", "choice", choices=[(f"{PREFIX}.mode.{m}", m) for m in calc.MODES], unit=False),
    Field("idr_per_cny", "float"),
    Field("sale_date", "date"),
    Field("platform_commission_rate", "percent"),
    Field("payment_fee_rate", "percent"),
    Field("target_margin", "percent"),
    Field("retail_price_cny", "float"),
)
# Illustrative placeholders (as the calculator's own defaults), with a freight bill so that
# the waterfall shows every step; not data about any real product.
DEFAULTS = {**{f.name: getattr(calc.LandedCostInputs(), f.name) for f in FIELDS},
            "freight_idr_per_shipment": 20_000_000.0, "other_costs_idr_per_shipment": 5_000_000.0,
            "retail_price_cny": 0.0}
# The calculator's rules, except the retail price: 0 in the form means "not given" (see build).
RULES = {name: rule for name, rule in calc.INPUT_RULES.items() if name != "retail_price_cny"}
NOTES = tuple(f"{PREFIX}.assumption.{k}" for k in
              ("landed", "freight", "rate", "price", "tax", "margin", "limit"))


def build(retail_price_cny: float = 0.0, **values: Any) -> calc.LandedCostInputs:
    """The calculator's inputs; a retail price of 0 means 'not given' (use the target-margin price)."""
    return calc.LandedCostInputs(**values, retail_price_cny=retail_price_cny or None)


@dataclass(frozen=True)
class Priced:
    """The calculator's result and the landed cost split into its parts (CNY per unit)."""
    result: calc.LandedCostResult
    ex_factory_cny: float
    freight_cny: float
    other_cny: float
    insurance_cny: float
    rule_period: tuple[Any, Any]  # first and last day of the CBEC rule in force (last: None = open)


def compute(inputs: calc.LandedCostInputs) -> Priced:
    """Run the calculator; the parts of the landed cost are differences of calculator runs,
    adding one cost at a time, so that they always sum to its landed cost."""
    bare = replace(inputs, freight_idr_per_shipment=0.0, other_costs_idr_per_shipment=0.0,
                   insurance_rate=0.0)
    with_freight = replace(bare, freight_idr_per_shipment=inputs.freight_idr_per_shipment)
    with_other = replace(with_freight, other_costs_idr_per_shipment=inputs.other_costs_idr_per_shipment)
    steps = [calc.compute(x).landed_cost_cny_per_unit for x in (bare, with_freight, with_other)]
    result = calc.compute(inputs)
    return Priced(result, steps[0], steps[1] - steps[0], steps[2] - steps[1],
                  result.landed_cost_cny_per_unit - steps[2], calc.rule_for(inputs.sale_date)[:2])


def _parts(p: Priced) -> list[tuple[str, float]]:
    """(catalog key, CNY per unit) of each step from ex-factory cost to the retail price."""
    r = p.result
    fees = r.price_used_cny - r.tax_cny_per_unit - r.seller_net_cny_per_unit
    margin = r.seller_net_cny_per_unit - r.landed_cost_cny_per_unit
    return [("ex_factory", p.ex_factory_cny), ("freight", p.freight_cny), ("other", p.other_cny),
            ("insurance", p.insurance_cny), ("tax", r.tax_cny_per_unit), ("fees", fees),
            ("margin", margin)]


def summary(p: Priced, t: Texts) -> list[tuple[str, str]]:
    """The results as (label, value) texts: landed cost, tax rule, price, margin, per-order limit."""
    r = p.result
    first, last = p.rule_period  # dates, written the form's way by t
    rule = t(f"{PREFIX}.rule_range", first=first, last=last) if last else t(f"{PREFIX}.rule_from", first=first)
    cny = lambda v: t(f"{PREFIX}.cny_value", value=v)  # noqa: E731
    rows = [
        (t(f"{PREFIX}.result.landed_idr"), t(f"{PREFIX}.idr_value", value=r.landed_cost_idr_per_unit)),
        (t(f"{PREFIX}.result.landed_cny"), cny(r.landed_cost_cny_per_unit)),
        (t(f"{PREFIX}.result.tax_rate"), t(f"{PREFIX}.rate_value", rate=r.tax_rate, rule=rule)),
        (t(f"{PREFIX}.result.target_price"), cny(r.retail_price_cny_for_target_margin)),
        (t(f"{PREFIX}.result.price_used"), cny(r.price_used_cny)),
        (t(f"{PREFIX}.result.tax"), cny(r.tax_cny_per_unit)),
        (t(f"{PREFIX}.result.seller_net"), cny(r.seller_net_cny_per_unit)),
    ]
    if r.margin_at_price is not None:
        rows.append((t(f"{PREFIX}.result.margin"), t(f"{PREFIX}.percent_value", share=r.margin_at_price)))
    rows += [
        (t(f"{PREFIX}.result.per_order_limit"), t(f"{PREFIX}.limit_value", limit=r.per_order_limit_cny,
                                                 annual=r.annual_limit_cny)),
        (t(f"{PREFIX}.result.units_per_order"), t(f"{PREFIX}.units_value", units=r.units_per_order_limit)),
    ]
    if r.units_per_order_limit == 0:
        rows.append((t("widget.note"), t(f"{PREFIX}.over_limit")))
    return rows


def describe(p: Priced, t: Texts) -> str:
    """Landed cost, tax rule, price and margin, and the per-order limit."""
    rows = summary(p, t)
    text = table([row for row in rows if row[0] != t("widget.note")])
    if p.result.units_per_order_limit == 0:
        text += f'<p style="color:#b00020">{t(f"{PREFIX}.over_limit")}</p>'
    return text


def draw(p: Priced, t: Texts) -> Any:
    """A waterfall from ex-factory cost through freight, insurance, tax, fees and margin to the price."""
    fig, ax = figure(6.0, 3.4)
    level = 0.0
    names, colours = [], []
    for row, (key, value) in enumerate(_parts(p)):
        colour = "#2e7d32" if key == "margin" and value >= 0 else ("#b00020" if value < 0 else "#1f77b4")
        if key in ("tax", "fees"):
            colour = "#ff7f0e"
        ax.bar(row, value, bottom=level, color=colour)
        level += value
        names.append(t(f"{PREFIX}.plot.{key}"))
        colours.append(colour)
    price = p.result.price_used_cny
    ax.bar(len(names), price, color="#424242")
    names.append(t(f"{PREFIX}.plot.price"))
    ax.axhline(p.result.landed_cost_cny_per_unit, color="#555555", linestyle=":", linewidth=1,
               label=t(f"{PREFIX}.plot.landed_line"))
    ax.set_xticks(range(len(names)), names, rotation=35, ha="right")
    ax.set_title(t(f"{PREFIX}.plot.title"))
    ax.set_ylabel(t(f"{PREFIX}.plot.y"))
    number_ticks(ax.yaxis, t)
    ax.legend(loc="upper left", fontsize="small", frameon=False)
    return fig


def landed_cost(lang: str | None = None, heading: int = 3, **start: Any) -> CalculatorForm:
    """m05's calculator: landed cost, CBEC tax and a price for a target margin, one unit at a time.

    Keyword arguments open the form on other start values, as the calculator takes them.
    """
    return CalculatorForm(PREFIX, build, FIELDS, compute, describe, draw, lang=lang,
                          defaults=DEFAULTS, notes=NOTES, start=start, rules=RULES, summarise=summary,
                          heading=heading)
