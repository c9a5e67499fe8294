"""m06's calculator: a store's peak day, minute by minute: orders, packing capacity, backlog, stock-outs.

The calculator needs the orders of every minute. The widget asks only for the day's total and
spreads it over the minutes with a fixed curve: the course's synthetic store (dataset
``store_orders_11_11``, shaped by the real 2018 milestones) when the data package has it,
otherwise the illustrative :func:`order_shape` below. Either way the curve is made up, and the
widget says so.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

from course import formats
from course.calculators import peak_day as calc
from course.calculators.validation import check_values, whole
from course.widgets.form import CalculatorForm, Field, Texts, figure, number_ticks, table

PREFIX = "peak_day"
DATASET = "store_orders_11_11"
MINUTES = 1440
SHIFTS = (("workers_night", 0, 480), ("workers_day", 480, 960), ("workers_evening", 960, 1440))
FIELDS = (
    Field("total_orders", "int"),
    Field("units_per_order", "float"),
    Field("stock_units", "int"),
    Field("picks_per_worker_hour", "float"),
    *(Field(name, "int") for name, _, _ in SHIFTS),
)
DEFAULTS = {"total_orders": 24_000, "units_per_order": 1.5, "stock_units": 40_000,
            "picks_per_worker_hour": 60.0, "workers_night": 25.0, "workers_day": 25.0,
            "workers_evening": 30.0}
MAX_TOTAL_ORDERS = 100_000_000
MAX_WORKERS = 100_000
# The calculator's rules for what it takes as it is; the form asks whole orders, whole units in
# stock and whole people per shift (the calculator itself allows averages and part-timers).
# The day's orders and each shift's workers, which build() turns into the calculator's inputs:
COUNTS = {"total_orders": whole(1, MAX_TOTAL_ORDERS), **{name: whole(0, MAX_WORKERS) for name, _, _ in SHIFTS}}
RULES = {
    "total_orders": COUNTS["total_orders"],
    "units_per_order": calc.INPUT_RULES["units_per_order"],
    "stock_units": whole(0, 10**12),
    "picks_per_worker_hour": calc.INPUT_RULES["picks_per_worker_hour"],
    **{name: COUNTS[name] for name, _, _ in SHIFTS},
}
NOTES = tuple(f"{PREFIX}.assumption.{k}" for k in ("curve", "stock", "capacity", "backlog"))


def order_shape(minute: int) -> float:
    """Relative orders in one minute of 11.11 (illustrative, used when the dataset is missing).

    A spike at 00:00 that decays with a 30-minute time constant (height 27), a flat level
    of 1, a night lull (0.35 from 02:00 to 07:00) and an evening bump around 21:00
    (height 1.5, standard deviation 75 minutes). About 40 % of the day falls in the first
    two hours, like the platform in 2018 (47 % of the GMV by 01:47, dataset milestones_2018).
    """
    level = 0.35 if 120 <= minute < 420 else 1.0
    spike = 27 * math.exp(-minute / 30)
    evening = 1.5 * math.exp(-0.5 * ((minute - 1260) / 75) ** 2)
    return level + spike + evening


@cache
def curve() -> tuple[tuple[float, ...], bool]:
    """Each minute's share of the day's orders (summing to 1), and whether it is the dataset's."""
    from course import data

    synthetic = DATASET in data.names()
    if synthetic:
        orders = data.load(DATASET).sort_values("minute")["orders"].astype(float).tolist()
    else:
        orders = [order_shape(m) for m in range(MINUTES)]
    total = math.fsum(orders)
    return tuple(x / total for x in orders), synthetic


def build(total_orders: int, units_per_order: float, stock_units: float, picks_per_worker_hour: float,
          **workers: float) -> calc.PeakDayInputs:
    """The calculator's inputs: the day's orders spread over the curve, three 8-hour shifts."""
    checked = check_values({"total_orders": total_orders, **workers}, COUNTS)
    total = checked["total_orders"]
    shifts = tuple((start, end, checked[name]) for name, start, end in SHIFTS)
    shares, _ = curve()
    return calc.PeakDayInputs(tuple(total * s for s in shares), units_per_order, picks_per_worker_hour,
                              shifts, stock_units)


@dataclass(frozen=True)
class Day:
    """The calculator's inputs and result, kept together for the picture."""
    inputs: calc.PeakDayInputs
    result: calc.PeakDayResult


def compute(inputs: calc.PeakDayInputs) -> Day:
    """Run the peak-day calculator."""
    return Day(inputs, calc.compute(inputs))


def clock(minute: float | None, lang: str | None = None) -> str:
    """Minute of the day on a 24-hour clock in the language's way: "03:03" / "03.03" (course.formats).

    Minute 1440 is midnight at the end of the day, written 24:00 / 24.00.
    """
    if minute is None:
        return "-"
    whole = int(minute)
    text = formats.time(datetime.time(whole // 60 % 24, whole % 60), lang=lang)
    return "24" + text[2:] if whole >= MINUTES and text.startswith("00") else text


def summary(day: Day, t: Texts) -> list[tuple[str, str]]:
    """The results as (label, value) texts: totals, the largest backlog and when it clears, the stock-out."""
    r = day.result
    units = lambda v: t(f"{PREFIX}.units_value", units=v)  # noqa: E731
    if r.max_backlog_minute is None:
        backlog = t(f"{PREFIX}.no_backlog")
    else:
        backlog = t(f"{PREFIX}.backlog_value", units=r.max_backlog_units, time=clock(r.max_backlog_minute, t.lang))
    if r.max_backlog_minute is None:
        clears = "-"
    elif r.backlog_clear_minute is not None:
        clears = clock(r.backlog_clear_minute, t.lang)
    elif r.minutes_to_clear_after_horizon is None:
        clears = t(f"{PREFIX}.never_clears")
    else:
        clears = t(f"{PREFIX}.clears_after", hours=r.minutes_to_clear_after_horizon / 60)
    stockout = t(f"{PREFIX}.no_stockout") if r.stockout_minute is None else clock(r.stockout_minute, t.lang)
    rows = [
        (t(f"{PREFIX}.result.ordered"), units(r.units_ordered)),
        (t(f"{PREFIX}.result.accepted"), units(r.units_accepted)),
        (t(f"{PREFIX}.result.shipped"), units(r.units_shipped)),
        (t(f"{PREFIX}.result.max_backlog"), backlog),
        (t(f"{PREFIX}.result.clears"), clears),
        (t(f"{PREFIX}.result.end_backlog"), units(r.end_backlog_units)),
        (t(f"{PREFIX}.result.stockout"), stockout),
        (t(f"{PREFIX}.result.lost"), t(f"{PREFIX}.orders_value", orders=r.orders_lost_to_stockout)),
    ]
    return [*rows, (t("widget.note"), _source(t))]


def _source(t: Texts) -> str:
    return t(f"{PREFIX}.curve_synthetic") if curve()[1] else t(f"{PREFIX}.curve_illustrative")


def describe(day: Day, t: Texts) -> str:
    """Totals, the largest backlog and when it clears, the stock-out."""
    return f"<p><i>{_source(t)}</i></p>{table(summary(day, t)[:-1])}"


def draw(day: Day, t: Texts) -> Any:
    """Top: units ordered and packing capacity per minute; bottom: the backlog curve."""
    from matplotlib.ticker import FuncFormatter, NullFormatter

    i, r = day.inputs, day.result
    hours = [m / 60 for m in range(len(r.backlog_units))]
    fig, (top, bottom) = figure(6.0, 4.4, rows=2)
    top.plot(hours, [o * i.units_per_order for o in i.orders_per_minute], color="#1f77b4", linewidth=1,
             label=t(f"{PREFIX}.plot.ordered"))
    top.step(hours, r.capacity_units_per_minute, where="post", color="#2e7d32", linewidth=1.5,
             label=t(f"{PREFIX}.plot.capacity"))
    top.set_yscale("log")
    top.yaxis.set_major_formatter(FuncFormatter(lambda v, _: t.number(v)))  # 1,000, not 10^3 (no mathtext)
    top.yaxis.set_minor_formatter(NullFormatter())
    top.set_ylabel(t(f"{PREFIX}.plot.y_top"))
    top.set_title(t(f"{PREFIX}.plot.title"))
    top.legend(fontsize="small", frameon=False)
    bottom.fill_between(hours, r.backlog_units, color="#ff7f0e", alpha=0.5, linewidth=0)
    bottom.plot(hours, r.backlog_units, color="#e65100", linewidth=1.2, label=t(f"{PREFIX}.plot.backlog"))
    if r.stockout_minute is not None:
        for ax in (top, bottom):
            ax.axvline(r.stockout_minute / 60, color="#b00020", linestyle="--", linewidth=1)
        bottom.plot([], [], color="#b00020", linestyle="--", label=t(f"{PREFIX}.plot.stockout"))
    bottom.set_ylabel(t(f"{PREFIX}.plot.y_bottom"))
    bottom.set_xlabel(t(f"{PREFIX}.plot.x"))
    bottom.set_xlim(0, len(hours) / 60)
    bottom.set_xticks(range(0, 25, 3))
    bottom.set_ylim(bottom=0)
    number_ticks(bottom.yaxis, t)
    bottom.legend(fontsize="small", frameon=False)
    return fig


def peak_day(lang: str | None = None, heading: int = 3, **start: Any) -> CalculatorForm:
    """m06's calculator: can the store pack 11.11's orders, and when does the backlog clear?

    Keyword arguments open the form on other start values, as the calculator takes them.
    """
    return CalculatorForm(PREFIX, build, FIELDS, compute, describe, draw, lang=lang,
                          defaults=DEFAULTS, notes=NOTES, start=start, rules=RULES, summarise=summary,
                          heading=heading)
