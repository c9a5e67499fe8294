"""m04's calculator: is the stock there? Production, registration and transit against the deadline."""

from __future__ import annotations

from typing import Any

from course.calculators import supply
from course.widgets.form import CalculatorForm, Field, Texts, figure, table, yes_no

PREFIX = "supply"
FIELDS = (
    Field("units_required", "int"),
    Field("units_in_stock", "int"),
    Field("daily_capacity_units", "int"),
    Field("working_days_per_week", "int"),
    Field("production_start", "date"),
    Field("registration_days_needed", "int"),
    Field("transit_days", "int"),
    Field("event_date", "date"),
    Field("warehouse_days_before_event", "int"),
)
NOTES = tuple(f"{PREFIX}.assumption.{k}" for k in
              ("units", "working_days", "registration", "transit", "deadline"))


def _compute(inputs: supply.SupplyInputs) -> tuple[supply.SupplyInputs, supply.SupplyResult]:
    return inputs, supply.compute(inputs)


def _verdict(pair: tuple[supply.SupplyInputs, supply.SupplyResult], t: Texts) -> str:
    _, r = pair
    if r.feasible:
        verdict = t(f"{PREFIX}.on_time", arrival=t.date(r.warehouse_arrival), slack=r.slack_days,
                    deadline=t.date(r.deadline))
    else:
        verdict = t(f"{PREFIX}.late", arrival=t.date(r.warehouse_arrival), late=-r.slack_days,
                    deadline=t.date(r.deadline))
    return verdict


def _rows(pair: tuple[supply.SupplyInputs, supply.SupplyResult], t: Texts) -> list[tuple[str, str]]:
    _, r = pair
    if r.required_daily_capacity_units is None:
        required = t(f"{PREFIX}.no_capacity_enough")
    else:
        required = t(f"{PREFIX}.units_value", units=r.required_daily_capacity_units)
    rows = [
        (t(f"{PREFIX}.result.feasible"), yes_no(r.feasible, t)),
        (t(f"{PREFIX}.result.production_complete"), t.date(r.production_complete)),
        (t(f"{PREFIX}.result.registration_ready"), t.date(r.registration_ready)),
        (t(f"{PREFIX}.result.ship_date"), t.date(r.ship_date)),
        (t(f"{PREFIX}.result.warehouse_arrival"), t.date(r.warehouse_arrival)),
        (t(f"{PREFIX}.result.deadline"), t.date(r.deadline)),
        (t(f"{PREFIX}.result.latest_ship_date"), t.date(r.latest_ship_date)),
        (t(f"{PREFIX}.result.slack_days"), t(f"{PREFIX}.days_value", days=r.slack_days)),
        (t(f"{PREFIX}.result.shortfall"), t(f"{PREFIX}.units_value", units=r.shortfall_at_deadline_units)),
        (t(f"{PREFIX}.result.required_capacity"), required),
        (t(f"{PREFIX}.result.latest_production_start"), t.date(r.latest_production_start)),
    ]
    return rows


def summary(pair: tuple[supply.SupplyInputs, supply.SupplyResult], t: Texts) -> list[tuple[str, str]]:
    """The results as (label, value) texts: the verdict, then the dates of the plan."""
    return [(t("widget.verdict"), _verdict(pair, t)), *_rows(pair, t)]


def describe(pair: tuple[supply.SupplyInputs, supply.SupplyResult], t: Texts) -> str:
    """The verdict and the dates of the plan."""
    colour = "#1b5e20" if pair[1].feasible else "#b00020"
    return f'<p style="color:{colour}"><b>{_verdict(pair, t)}</b></p>{table(_rows(pair, t))}'


def draw(pair: tuple[supply.SupplyInputs, supply.SupplyResult], t: Texts) -> Any:
    """A timeline: production, registration and transit bars against the warehouse deadline."""
    from matplotlib.dates import AutoDateLocator, date2num, num2date
    from matplotlib.ticker import FuncFormatter

    i, r = pair
    fig, ax = figure(6.0, 2.8)
    day = lambda d: date2num(d)  # noqa: E731 (a date's start, in matplotlib's day numbers)
    # (label, from, to, colour): production ends with the last production day; goods leave at
    # the end of the ship day and arrive during the arrival day
    bars = [(t(f"{PREFIX}.plot.production"), day(i.production_start), day(r.production_complete) + 1,
             "#1f77b4")]
    if i.registration_days_needed:
        bars.append((t(f"{PREFIX}.plot.registration"), day(i.production_start),
                     day(r.registration_ready), "#9467bd"))
    bars.append((t(f"{PREFIX}.plot.transit"), day(r.ship_date) + 1, day(r.warehouse_arrival) + 1,
                 "#ff7f0e"))
    bars.reverse()  # first step at the top
    for row, (_, left, right, colour) in enumerate(bars):
        ax.barh(row, max(right - left, 0.5), left=left, color=colour, height=0.6)
    ax.set_yticks(range(len(bars)), [b[0] for b in bars])
    ax.axvline(date2num(r.deadline) + 1, color="#b00020", linestyle="--",
               label=t(f"{PREFIX}.plot.deadline", deadline=t.date(r.deadline)))
    ax.axvline(date2num(i.event_date), color="#555555", linestyle=":",
               label=t(f"{PREFIX}.plot.event", event=t.date(i.event_date)))
    ax.xaxis.set_major_locator(AutoDateLocator(maxticks=6))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: t.date(num2date(v).date())))  # 12 Okt 2018
    ax.tick_params(axis="x", labelrotation=30)
    ax.set_title(t(f"{PREFIX}.plot.title"))
    ax.set_xlabel(t(f"{PREFIX}.plot.x"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.42), ncols=2, fontsize="small", frameon=False)
    return fig


def supply_readiness(lang: str | None = None, heading: int = 3, **start: Any) -> CalculatorForm:
    """m04's calculator: will one million units reach the platform's warehouse in time?

    Keyword arguments open the form on other start values, as the calculator takes them.
    """
    return CalculatorForm(PREFIX, supply.SupplyInputs, FIELDS, _compute, describe, draw,
                          lang=lang, notes=NOTES, start=start, rules=supply.INPUT_RULES, summarise=summary,
                          heading=heading)
