"""m02's calculator: a country's readiness for B2C e-commerce (after UNCTAD's index), with a what-if."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from course.calculators import country_readiness as calc
from course.calculators.validation import InputError
from course.widgets.form import CalculatorForm, Field, Texts, figure, table

PREFIX = "country"
FIELDS = (
    *(Field(name, "float") for name in calc.COMPONENTS),
    Field("what_if_component", "choice", choices=[(f"{PREFIX}.{c}", c) for c in calc.COMPONENTS],
          unit=False),
    Field("what_if_value", "float"),
)
# Illustrative values, not a real country: real component values are not in the datasets yet.
DEFAULTS = {"account_ownership_pct": 50.0, "internet_users_pct": 40.0, "postal_reliability_score": 55.0,
            "secure_servers_score": 45.0, "what_if_component": "internet_users_pct", "what_if_value": 60.0}
# The calculator's rules; a what-if value is a component's value, so it has the same range.
RULES = {**calc.INPUT_RULES, "what_if_value": calc.INPUT_RULES[calc.COMPONENTS[0]]}
NOTES = tuple(f"{PREFIX}.assumption.{k}" for k in ("index", "components", "servers", "values"))


@dataclass(frozen=True)
class Question:
    """Four components and one change to try."""
    components: calc.Components
    what_if_component: str
    what_if_value: float


@dataclass(frozen=True)
class Answer:
    """The index now, and after the change."""
    readiness: calc.Readiness
    what_if: calc.WhatIf
    changed: str
    components: calc.Components


def build(what_if_component: str, what_if_value: float, **components: float) -> Question:
    """The four components (validated by the calculator) and the change to try."""
    return Question(calc.Components(**components), what_if_component, what_if_value)


def compute(q: Question) -> Answer:
    """The index and the what-if, both from the calculator; a bad new value is the what-if field's error."""
    try:
        change = calc.what_if(q.components, **{q.what_if_component: q.what_if_value})
    except InputError as error:
        raise InputError("what_if_value", error.value, error.accepted, error.low, error.high) from None
    return Answer(calc.compute(q.components), change, q.what_if_component, q.components)


def _rows(a: Answer, t: Texts) -> list[tuple[str, str]]:
    return [(t(f"{PREFIX}.{key}"), t(f"{PREFIX}.contribution_value", points=points))
            for key, points in a.readiness.contributions]


def _change(a: Answer, t: Texts) -> str:
    w = a.what_if
    return t(f"{PREFIX}.what_if_value_text", component=t(f"{PREFIX}.{a.changed}"),
             new=getattr(w.components, a.changed), before=w.before, after=w.after, change=w.change)


def summary(a: Answer, t: Texts) -> list[tuple[str, str]]:
    """The results as (label, value) texts: the index, each component's share, the what-if."""
    return [(t("widget.verdict"), t(f"{PREFIX}.index_value", index=a.readiness.index)), *_rows(a, t),
            (t(f"{PREFIX}.what_if_component"), _change(a, t))]


def describe(a: Answer, t: Texts) -> str:
    """The index, what each component adds, and the what-if change."""
    head = f"<p><b>{t(f'{PREFIX}.index_value', index=a.readiness.index)}</b></p>"
    return f"{head}{table(_rows(a, t))}<p>{_change(a, t)}</p>"


def draw(a: Answer, t: Texts) -> Any:
    """Bars of the four components and the index, now and after the what-if change."""
    fig, ax = figure(6.0, 3.4)
    keys = [k for k, _ in a.readiness.contributions]
    names = [t(f"{PREFIX}.short.{k}") for k in keys] + [t(f"{PREFIX}.short.index")]
    now = [getattr(a.components, k) for k in keys] + [a.readiness.index]
    after = [getattr(a.what_if.components, k) for k in keys] + [a.what_if.after]
    xs = range(len(names))
    ax.bar([x - 0.2 for x in xs], now, width=0.4, color="#1f77b4", label=t(f"{PREFIX}.plot.now"))
    ax.bar([x + 0.2 for x in xs], after, width=0.4, color="#ff7f0e", label=t(f"{PREFIX}.plot.after"))
    ax.set_xticks(list(xs), names, rotation=20, ha="right")
    ax.set_ylim(0, 100)
    ax.set_ylabel(t(f"{PREFIX}.plot.y"))
    ax.set_title(t(f"{PREFIX}.plot.title"))
    ax.legend(loc="upper left", fontsize="small", frameon=False, ncols=2)
    return fig


def country_readiness(lang: str | None = None, heading: int = 3, **start: Any) -> CalculatorForm:
    """m02's calculator: the B2C e-commerce index from four components, and what one change would do.

    Keyword arguments open the form on other start values, as the calculator takes them.
    """
    return CalculatorForm(PREFIX, build, FIELDS, compute, describe, draw, lang=lang,
                          defaults=DEFAULTS, notes=NOTES, start=start, rules=RULES, summarise=summary,
                          heading=heading)
