"""m03/m09's calculator: an export-readiness scorecard of one firm, 0 to 100, with a radar chart."""

from __future__ import annotations

import math
from typing import Any

from course.calculators import scorecard as calc
from course.widgets.form import CalculatorForm, Field, Texts, figure, table

PREFIX = "scorecard"
FIELDS = (
    Field("as_of_year", "int", grouping=False),
    Field("channel", "choice", choices=[(f"{PREFIX}.channel.{c}", c) for c in calc.CHANNELS], unit=False),
    Field("product_group", "choice", choices=[(f"{PREFIX}.product_group.{g}", g) for g in calc.PRODUCT_GROUPS],
          unit=False),
    Field("platform_registered", "bool", unit=False),
    Field("units_in_stock", "int"),
    Field("minimum_order_units", "int"),
    Field("bpom_md_registered", "bool", unit=False),
    Field("halal_certified", "bool", unit=False),
    Field("china_facility_registered", "bool", unit=False),
    Field("chinese_e_label", "bool", unit=False),
    Field("gb7718_label", "bool", unit=False),
    Field("logistics_partner", "bool", unit=False),
    Field("bonded_warehouse_access", "bool", unit=False),
    Field("cross_border_payment", "bool", unit=False),
    Field("chinese_storefront", "bool", unit=False),
    Field("after_sales_service", "bool", unit=False),
    Field("working_capital_months", "float"),
    Field("working_capital_target_months", "float"),
)
# An example firm (illustrative, not a real one): some papers in place, a quarter of the stock.
DEFAULTS = {**{f.name: getattr(calc.ScorecardInputs(), f.name) for f in FIELDS},
            "units_in_stock": 250_000, "bpom_md_registered": True, "halal_certified": True,
            "logistics_partner": True, "working_capital_months": 3.0}
NOTES = tuple(f"{PREFIX}.assumption.{k}" for k in ("weights", "stock", "labelling", "facility", "capital"))
STATUS_COLOURS = {"met": "#1b5e20", "partial": "#e65100", "missing": "#b00020", "not_required": "#757575"}


def summary(r: calc.ScorecardResult, t: Texts) -> list[tuple[str, str]]:
    """The results as (label, value) texts: the score, the largest gaps, each criterion."""
    rows = [(t("widget.verdict"), t(f"{PREFIX}.score_value", score=r.score))]
    rows += [(t(f"{PREFIX}.largest_gaps"),
              f"{t(f'{PREFIX}.criterion.{g.key}')}: {t(f'{PREFIX}.gap_value', points=g.points_lost)}")
             for g in r.gaps[:3]]
    for c in r.criteria:
        points = t(f"{PREFIX}.points_value", points=c.points, max=c.max_points)
        rows.append((t(f"{PREFIX}.criterion.{c.key}"), f"{t(f'{PREFIX}.status.{c.status}')} · {points}"))
    return rows


def describe(r: calc.ScorecardResult, t: Texts) -> str:
    """The score, each criterion's points and the largest gaps."""
    rows = []
    for c in r.criteria:
        status = f'<span style="color:{STATUS_COLOURS[c.status]}">{t(f"{PREFIX}.status.{c.status}")}</span>'
        points = t(f"{PREFIX}.points_value", points=c.points, max=c.max_points)
        rows.append((t(f"{PREFIX}.criterion.{c.key}"), f"{status} · {points}"))
    gaps = "".join(f"<li>{t(f'{PREFIX}.criterion.{g.key}')}: "
                   f"{t(f'{PREFIX}.gap_value', points=g.points_lost)}</li>" for g in r.gaps[:3])
    head = f"<p><b>{t(f'{PREFIX}.score_value', score=r.score)}</b></p>"
    rule = r.facility_rule or "none"
    head += f"<p>{t(f'{PREFIX}.rule.{rule}', day=t.date(r.rules_date))}</p>" if r.rules_date else ""
    gap_text = f"<p>{t(f'{PREFIX}.largest_gaps')}</p><ul>{gaps}</ul>" if gaps else ""
    return head + gap_text + table(rows)


def draw(r: calc.ScorecardResult, t: Texts) -> Any:
    """A radar of the share of each required criterion met (outer ring = fully met)."""
    keys, fractions = r.radar_axes()
    angles = [2 * math.pi * k / len(keys) for k in range(len(keys))]
    fig, ax = figure(5.6, 5.0, polar=True)
    closed = [*angles, angles[0]]
    values = [100 * f for f in (*fractions, fractions[0])]
    ax.plot(closed, values, color="#1f77b4", linewidth=1.5)
    ax.fill(closed, values, color="#1f77b4", alpha=0.25)
    ax.set_xticks(angles, [t(f"{PREFIX}.short.{k}") for k in keys], fontsize="small")
    ax.set_theta_zero_location("N")  # first criterion at the top, then clockwise
    ax.set_theta_direction(-1)
    ax.set_rlabel_position(180 / len(keys))  # ring labels between the first two spokes
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100], ["25", "50", "75", "100%"], fontsize="x-small")
    ax.set_title(t(f"{PREFIX}.plot.title", score=r.score), pad=18)
    ax.set_xlabel(t(f"{PREFIX}.plot.axis"), labelpad=12)
    return fig


def export_scorecard(lang: str | None = None, heading: int = 3, **start: Any) -> CalculatorForm:
    """The export-readiness scorecard: tick what the firm has, read the score and the biggest gaps.

    Keyword arguments open the form on other start values, as the calculator takes them.
    """
    return CalculatorForm(PREFIX, calc.ScorecardInputs, FIELDS, calc.compute, describe, draw,
                          lang=lang, defaults=DEFAULTS, notes=NOTES, start=start, rules=calc.INPUT_RULES,
                          summarise=summary, heading=heading)
