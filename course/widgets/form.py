"""A calculator form: labelled inputs with units, an inline message per field, live results.

A calculator widget is a list of :class:`Field` (which input, which control, which unit)
plus three functions: ``compute`` runs the calculator on the built inputs, ``describe``
turns its result into HTML, ``draw`` turns it into a matplotlib figure. The form builds the
inputs on every change; a bad value raises the calculator's ``InputError``, which the form
shows next to that field instead of a traceback, and the result and picture are cleared.
"""

from __future__ import annotations

import html
import io
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from numbers import Integral, Real
from typing import Any

import ipywidgets as w

from course import formats
from course.calculators.validation import InputError, Rule, check_values
from course.i18n import language, message

ERROR_STYLE = "color:#b00020;font-size:0.9em"
# One layout for every screen: a label beside its input where there is room, above it where
# there is not (a phone, a narrow JupyterLab panel: a container query on the form's own width),
# long labels wrapped instead of cut off, inputs never wider than the form, charts scaled to fit.
FORM_CSS = """<style>
.course-form{container-type:inline-size;container-name:course-form;max-width:100%;box-sizing:border-box}
.course-form *{box-sizing:border-box}
.course-form .widget-label{white-space:normal!important;height:auto!important;line-height:1.25!important;
  overflow:visible!important;text-overflow:clip!important}
.course-form .course-inputs,.course-form .course-output{min-width:0;max-width:100%}
.course-form .course-inputs{flex:0 1 46em}
.course-form .course-output{flex:1 1 24em}
.course-form .course-row{flex-wrap:wrap;align-items:center;max-width:100%;margin-bottom:2px}
.course-form .course-control{width:28em!important;max-width:100%!important;flex:0 1 auto;flex-wrap:wrap;
  align-items:center}
.course-form .course-control.course-choice{width:36em!important}
.course-form .course-control>.widget-label{width:15em!important;flex:0 0 auto;max-width:100%}
.course-form .course-control input,.course-form .course-control select{min-width:0;flex:1 1 8em}
.course-form .course-unit{width:auto!important;max-width:100%;margin-left:4px}
.course-form .course-unit p{margin:0}
.course-form .course-picture svg{max-width:100%;height:auto}
.course-form .course-result table{max-width:100%}
.course-form .course-result td{vertical-align:top;overflow-wrap:anywhere}
.course-form .widget-html,.course-form .widget-html-content{max-width:100%;height:auto;overflow-wrap:anywhere}
.course-form .course-downloads{flex-wrap:wrap;gap:.5em;align-items:center}
.course-form .course-downloads a{display:inline-block;padding:.45em .8em;border:1px solid #1a5fb4;
  border-radius:4px;color:#1a5fb4;background:#fff;text-decoration:none;line-height:1.4}
.course-form .course-downloads a:focus,.course-form .course-downloads button:focus{outline:3px solid #1a5fb4;
  outline-offset:2px}
.course-form .course-downloads button{width:auto;height:auto;padding:.45em .8em;line-height:1.4}
@container course-form (max-width: 44em){
  .course-form .course-inputs,.course-form .course-output{flex:1 1 100%}
  .course-form .course-control,.course-form .course-control.course-choice{width:100%!important;margin-left:0;
    margin-right:0}
  .course-form .course-control>.widget-label{width:100%!important;margin-bottom:2px;text-align:left!important}
  .course-form .course-unit{margin-left:0}
  .course-form .course-control input,.course-form .course-control select{flex:1 1 100%}
}
</style>"""
# int fields are whole numbers: typed into a number box too, so that 2.5 reaches the calculator's
# rule and gets its message (an integer box would cut it to 2 without a word). Number boxes are
# text boxes read and written the form's language's way (read_number_box, number_box_text).
KINDS = ("int", "float", "percent", "date", "bool", "choice")


@dataclass(frozen=True)
class Field:
    """One input of a calculator form.

    ``name`` is the keyword passed to the inputs builder; ``kind`` is one of :data:`KINDS`
    (percent is shown as %, passed on as a fraction); ``choices`` are (message key, value)
    pairs. Labels and units come from the catalog as ``{prefix}.{name}`` and
    ``{prefix}.{name}.unit`` (no unit text when ``unit`` is False).
    """

    name: str
    kind: str = "float"
    choices: Sequence[tuple[str, Any]] = ()
    unit: bool = True
    grouping: bool = True  # digits grouped in messages (1,000,000); False for a year


SPEC = re.compile(r"(?P<sign>\+?)(?P<grouping>,?)(?:\.(?P<decimals>\d+))?(?P<kind>[f%]?)")


class Shown:
    """A value for a catalog message, written the way the form's language writes it (course.formats).

    The catalog's format spec says how many decimals and whether digits are grouped, as in Python
    (``{units:,.0f}``, ``{share:.1%}``, ``{change:+.1f}``); babel's locale data writes the number
    ("1.234,5" in Indonesian, "1,234.5" in English). A date becomes "12 Okt 2018"; a whole
    number without a spec (a year) is not grouped.
    """

    def __init__(self, value: Any, lang: str) -> None:
        self.value, self.lang = value, lang

    def __str__(self) -> str:
        return self.__format__("")

    def __format__(self, spec: str) -> str:
        value = self.value
        if isinstance(value, date):
            return formats.date(value, short=True, lang=self.lang)
        if isinstance(value, bool) or not isinstance(value, Real):
            return format(value, spec)
        match = SPEC.fullmatch(spec)
        if match is None:
            raise ValueError(f"format spec {spec!r} for {value!r}: use [+][,][.N][f|%], as in {{units:,.0f}}")
        number = _plain(value)
        given = None if match["decimals"] is None else int(match["decimals"])
        if match["kind"] == "%":
            text = formats.percent(number, 0 if given is None else given, lang=self.lang)
        elif not spec and isinstance(number, int):
            text = str(number)  # a year, a count in a sentence: as Python writes it
        else:
            decimals = given if given is not None else (0 if isinstance(number, int) or match["kind"] else None)
            text = formats.number(number, decimals, lang=self.lang, grouping=bool(match["grouping"]))
        return "+" + text if match["sign"] and number >= 0 else text


def _plain(value: Real) -> int | float:
    """A real number (numpy's, say) as Python's own int or float, the numbers babel writes."""
    return int(value) if isinstance(value, Integral) else float(value)


def number_text(value: Any, lang: str, grouping: bool = True) -> str:
    """A value for a message: whole numbers grouped (1,000,000; not a year: ``grouping=False``),
    others with as many decimals as they have (up to 6), in the language's way (course.formats)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        return str(value)  # not a number to group (inf or nan typed into a box is shown as typed)
    number = _plain(value)
    decimals = 0 if number == int(number) else len(f"{abs(number):.6f}".rstrip("0").split(".")[1])
    return formats.number(number, decimals, lang=lang, grouping=grouping)


class Texts:
    """The catalog in one language, called as ``t(key, **fields)``; field values are written the
    language's way (:class:`Shown`). ``t.lang`` is the language; ``t.date(day)`` a date in it."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **fields: Any) -> str:
        return message(key, self.lang, **{k: Shown(v, self.lang) for k, v in fields.items()})

    def date(self, day: date) -> str:
        """A date as a reader of this language writes it: "12 Oct 2018" / "12 Okt 2018"."""
        return formats.date(day, short=True, lang=self.lang)

    def number(self, value: float | int, decimals: int | None = None) -> str:
        """A number as a reader of this language writes it: "1,234.5" / "1.234,5"."""
        return formats.number(value, decimals, lang=self.lang)


NUMBER_KINDS = ("int", "float", "percent")


class NotANumber(ValueError):
    """What was typed into a number box is not a number as the form's language writes it."""

    def __init__(self, field: str, text: str) -> None:
        self.field, self.text = field, text
        super().__init__(f"{field}: {text!r} is not a number")


def number_box_text(field: Field, value: Any, lang: str) -> str:
    """A number box's text for ``value`` as the calculator sees it (a fraction for a percent field),
    written the language's way: "40.000" and "11,9" in Indonesian, "40,000" and "11.9" in English."""
    if value is None:
        return ""
    shown = round(_plain(value) * 100, 10) if field.kind == "percent" and isinstance(value, Real) else value
    return number_text(shown, lang, field.grouping)


def read_number_box(field: Field, text: str, lang: str) -> float | None:
    """The value a number box holds as the calculator sees it (None when empty); NotANumber if unreadable.

    Read the language's way (course.formats.parse_number): "1,5" and "1.500" in Indonesian, "1.5" and
    "1,500" in English; a percent field may end in "%".
    """
    typed = text.strip()
    if field.kind == "percent" and typed.endswith("%"):
        typed = typed[:-1].rstrip()
    if not typed:
        return None
    try:
        number = float(formats.parse_number(typed, lang))
    except ValueError:
        raise NotANumber(field.name, text) from None
    return number / 100 if field.kind == "percent" else number


def _control(field: Field, value: Any, t: Texts) -> w.ValueWidget:
    if field.kind in NUMBER_KINDS:
        # a text box, not a browser number box: that one writes 1.5 whatever the page's language
        # (Chromium follows its own locale), and reads "1,5" as nothing at all
        return w.Text(value=number_box_text(field, value, t.lang), continuous_update=False)
    if field.kind == "date":
        return w.DatePicker(value=value)
    if field.kind == "bool":
        return w.Checkbox(value=bool(value), indent=False)
    if field.kind == "choice":
        return w.Dropdown(options=[(t(key), option) for key, option in field.choices], value=value)
    raise ValueError(f"field {field.name}: unknown kind {field.kind!r}; use one of {', '.join(KINDS)}")


class CalculatorForm(w.VBox):
    """Inputs on the left, results and a picture on the right; recomputed on every change.

    ``build(**values)`` makes the calculator's inputs from the field values (a dataclass
    such as ``SupplyInputs`` works as it is); ``compute(inputs)`` runs the calculator;
    ``describe(result, t)`` returns HTML and ``draw(result, t)`` a matplotlib figure, where
    ``t(key, **fields)`` is the catalog in the form's language. ``defaults`` gives the start
    values (a mapping or an object with attributes; default: ``build()``); ``start``
    overrides some of them as the calculator sees them (a fraction for percent fields), so a
    notebook can open the form on its own case with one computation. ``notes`` are
    catalog keys of the assumptions, listed under the result. ``rules`` are the calculator's
    input rules (:mod:`course.calculators.validation`): each field is checked against its rule
    first, so its message names the field and says what it accepts (a whole number, a range).
    ``summarise(result, t)`` gives the results as (label, value) texts for the downloads (CSV
    and a one-page PNG summary); ``heading`` is the level of the title (1 on a stand-alone page).
    """

    def __init__(self, prefix: str, build: Callable[..., Any], fields: Sequence[Field],
                 compute: Callable[[Any], Any], describe: Callable[[Any, Texts], str],
                 draw: Callable[[Any, Texts], Any] | None = None,
                 lang: str | None = None, defaults: Any = None, notes: Sequence[str] = (),
                 start: Mapping[str, Any] | None = None, rules: Mapping[str, Rule] | None = None,
                 summarise: Callable[[Any, Texts], list[tuple[str, str]]] | None = None,
                 heading: int = 3) -> None:
        self.prefix, self.build, self.fields = prefix, build, list(fields)
        self.rules = dict(rules or {})
        self.compute_fn, self.describe_fn, self.draw_fn = compute, describe, draw
        self.lang = language(lang)  # fixed when the form is made, so texts never mix languages
        self.t = Texts(self.lang)  # t(key, **fields): a catalog message in this form's language
        base = defaults if defaults is not None else build()
        start = dict(start or {})
        unknown = sorted(set(start) - {f.name for f in fields})
        if unknown:
            raise KeyError(f"{prefix} has no input(s) {', '.join(unknown)}")
        self.controls: dict[str, w.ValueWidget] = {}
        self.errors: dict[str, w.HTML] = {}
        rows = []
        for field in self.fields:
            value = start[field.name] if field.name in start else (
                base[field.name] if isinstance(base, Mapping) else getattr(base, field.name))
            control = _control(field, value, self.t)
            control.description = self.t(f"{prefix}.{field.name}")
            control.add_class("course-control")
            if field.kind == "choice":
                control.add_class("course-choice")
            control.add_class(f"course-input-{field.name}")
            if field.kind in NUMBER_KINDS:
                control.add_class("course-number")  # the pages' template gives these a phone's number pad
            unit = w.HTML(self.t(f"{prefix}.{field.name}.unit") if field.unit else "")
            unit.add_class("course-unit")
            error = w.HTML("")
            error.add_class(f"course-error-{field.name}")
            control.observe(self._update, names="value")
            self.controls[field.name], self.errors[field.name] = control, error
            row = w.HBox([control, unit] if field.unit else [control])
            row.add_class("course-row")
            rows.append(w.VBox([row, error]))
        self.general_error = w.HTML("")
        self.general_error.add_class("course-error")
        self.result = w.HTML()
        self.result.add_class("course-result")
        self.picture = w.HTML()
        self.picture.add_class("course-picture")
        notes_html = "".join(f"<li>{self.t(key)}</li>" for key in notes)
        self.notes = w.HTML(f"<details><summary><b>{self.t('widget.assumptions')}</b></summary>"
                            f"<ul>{notes_html}</ul></details>" if notes else "")
        self.notes.add_class("course-assumptions")
        self.last_result: Any = None
        self.last_inputs: Any = None
        self.summarise_fn = summarise
        self.downloads = Downloads(self) if summarise else None
        tag = f"h{heading}"
        title = w.HTML(f"{FORM_CSS}<{tag}>{self.t(f'{prefix}.title')}</{tag}><p>{self.t(f'{prefix}.intro')}</p>")
        sub_tag = f"h{min(heading + 1, 6)}"
        output = w.VBox([w.HTML(f"<{sub_tag}>{self.t('widget.results')}</{sub_tag}>"), self.general_error,
                         self.result, self.picture, *([self.downloads] if self.downloads else []), self.notes])
        output.add_class("course-output")
        inputs = w.VBox(rows)
        inputs.add_class("course-inputs")
        body = w.HBox([inputs, output], layout=w.Layout(flex_flow="row wrap", align_items="flex-start"))
        super().__init__([title, body])
        self.add_class("course-form")
        self.add_class(f"course-calculator-{prefix}")
        self._update()

    def values(self) -> dict[str, Any]:
        """The current inputs, converted to what the calculator expects (a number box read the form's
        language's way; percent -> fraction). Raises NotANumber for a number box that holds no number."""
        found = {}
        for field in self.fields:
            value = self.controls[field.name].value
            found[field.name] = read_number_box(field, value, self.lang) if field.kind in NUMBER_KINDS else value
        return found

    def set(self, **values: Any) -> None:
        """Set inputs as the calculator sees them (a fraction for percent fields); recomputes once."""
        fields = {f.name: f for f in self.fields}
        unknown = sorted(set(values) - set(fields))
        if unknown:
            raise KeyError(f"no field {', '.join(unknown)} in this form; fields: {', '.join(fields)}")
        for name, value in values.items():
            control = self.controls[name]
            control.unobserve(self._update, names="value")
            try:
                field = fields[name]
                control.value = number_box_text(field, value, self.lang) if field.kind in NUMBER_KINDS else value
            finally:
                control.observe(self._update, names="value")
        self._update()

    def _update(self, _change: object = None) -> None:
        for error in [*self.errors.values(), self.general_error]:
            error.value = ""
        try:
            values = self.values()
        except NotANumber as unreadable:
            self._show_unreadable(unreadable)
            return
        try:
            empty = next((name for name, value in values.items() if value is None), None)
            if empty:
                raise InputError(empty, None, "a value")
            check_values({n: values[n] for n in self.rules if n in values},
                         {n: r for n, r in self.rules.items() if n in values})
            result = self.compute_fn(self.build(**values))
        except InputError as error:
            self._show_error(error)
            return
        self.last_inputs = values
        self.last_result = result
        self.result.value = self.describe_fn(result, self.t)
        self.picture.value = _svg(self.draw_fn(result, self.t)) if self.draw_fn else ""
        if self.downloads:
            self.downloads.refresh()

    def _accepted(self, error: InputError, scale: int, grouping: bool = True) -> str:
        # bounds shown to 2 decimals, rounded inwards so the value shown is itself accepted
        low = None if error.low is None else number_text(_inwards(_scaled(error.low, scale), math.ceil), self.lang,
                                                          grouping)
        high = None if error.high is None else number_text(_inwards(_scaled(error.high, scale), math.floor),
                                                             self.lang, grouping)
        whole = "_whole" if getattr(error, "whole", False) else ""
        if low is not None and high is not None:
            return self.t(f"widget.accepted{whole}_range", low=low, high=high)
        if low is not None:
            return self.t(f"widget.accepted{whole}_min", low=low)
        if high is not None:
            return self.t(f"widget.accepted{whole}_max", high=high)
        return self.t("widget.accepted_any")

    def input_rows(self) -> list[tuple[str, str, str]]:
        """(label, value, unit) of every input as the page shows it, in the form's language."""
        rows = []
        for field in self.fields:
            value = self.controls[field.name].value
            if field.kind == "bool":
                shown = yes_no(bool(value), self.t)
            elif field.kind == "choice":
                shown = next((self.t(key) for key, option in field.choices if option == value), str(value))
            elif field.kind == "date":
                shown = self.t.date(value) if value else ""
            else:  # a number box: its number written the form's way, or the text as typed if unreadable
                try:
                    shown = number_box_text(field, read_number_box(field, value, self.lang), self.lang)
                except NotANumber:
                    shown = value
            unit = self.t(f"{self.prefix}.{field.name}.unit") if field.unit else ""
            rows.append((self.t(f"{self.prefix}.{field.name}"), shown, unit))
        return rows

    def result_rows(self) -> list[tuple[str, str]]:
        """(label, value) of every result as the page shows it; empty while an input is bad."""
        if self.last_result is None or self.summarise_fn is None:
            return []
        return self.summarise_fn(self.last_result, self.t)

    def _show_unreadable(self, unreadable: NotANumber) -> None:
        label = self.t(f"{self.prefix}.{unreadable.field}")
        text = self.t("widget.not_a_number", label=label, value=html.escape(unreadable.text.strip()),
                      example=self.t.number(1234.5, 1))
        self._clear_result(self.errors[unreadable.field], text)

    def _clear_result(self, target: w.HTML, text: str) -> None:
        target.value = f'<span role="alert" style="{ERROR_STYLE}">{text}</span>'
        self.last_result = None
        self.last_inputs = None
        self.result.value = ""
        self.picture.value = ""
        if self.downloads:
            self.downloads.refresh()

    def _show_error(self, error: InputError) -> None:
        field = next((f for f in self.fields if f.name == error.field), None)
        label = self.t(f"{self.prefix}.{error.field}") if field else error.field
        scale = 100 if field and field.kind == "percent" else 1
        if error.value is None:
            text = self.t("widget.empty", label=label)
        else:
            grouping = field.grouping if field else True
            shown = number_text(_scaled(error.value, scale), self.lang, grouping)
            text = self.t("widget.invalid", label=label, value=html.escape(shown),
                          accepted=self._accepted(error, scale, grouping))
        self._clear_result(self.errors[field.name] if field else self.general_error, text)


class Downloads(w.HBox):
    """Links to keep the result: the inputs and results as CSV (always current) and, on request,
    a one-page PNG summary with the chart. Both are data: links made in the kernel, so nothing
    leaves the machine; both are in the form's language with the figures as shown."""

    def __init__(self, form: CalculatorForm) -> None:
        self.form = form
        self.csv = w.HTML()
        self.csv.add_class("course-download-csv")
        self.png = w.HTML()
        self.png.add_class("course-download-png")
        self.make_png = w.Button(description=form.t("widget.download_prepare_png"),
                                 tooltip=form.t("widget.download_prepare_png"))
        self.make_png.add_class("course-prepare-png")
        self.make_png.on_click(self._prepare_png)
        super().__init__([self.csv, self.make_png, self.png])
        self.add_class("course-downloads")

    def _name(self, ext: str) -> str:
        return f"{self.form.prefix}-{self.form.lang}.{ext}"

    def refresh(self) -> None:
        """A new CSV link for the current result (none while an input is bad); the PNG link is
        dropped until asked for again, so it never shows an older result."""
        from course.widgets import summary

        self.png.value = ""
        ok = self.form.last_result is not None
        self.make_png.disabled = not ok
        self.make_png.layout.display = None if ok else "none"
        if not ok:
            self.csv.value = ""
            return
        data = summary.csv_bytes(self.form)
        self.csv.value = _link(self._name("csv"), "text/csv;charset=utf-8", data,
                               self.form.t("widget.download_csv"))

    def _prepare_png(self, _button: object = None) -> None:
        from course.widgets import summary

        if self.form.last_result is None:
            return
        data = summary.png_bytes(self.form)
        self.png.value = _link(self._name("png"), "image/png", data, self.form.t("widget.download_png"))
        self.make_png.layout.display = "none"


def _link(name: str, mime: str, data: bytes, text: str) -> str:
    """An <a download> link carrying ``data`` in the page itself (a data: address)."""
    import base64

    encoded = base64.b64encode(data).decode("ascii")
    return f'<a download="{html.escape(name)}" href="data:{mime};base64,{encoded}">{html.escape(text)}</a>'


def _inwards(value: Any, rounding: Callable[[float], int]) -> Any:
    """A bound to 2 decimals, rounded towards the accepted side (ceil for a minimum, floor for a maximum)."""
    if isinstance(value, float) and value != int(value):
        return rounding(value * 100) / 100
    return value


def _scaled(value: Any, scale: int) -> Any:
    """A fraction shown as a percentage where the field is a percent field; anything else as it is."""
    if scale != 1 and isinstance(value, Real) and not isinstance(value, bool):
        return round(_plain(value) * scale, 6)
    return value


def _svg(fig: Any) -> str:
    """A matplotlib figure as inline SVG (no Output widget, so it renders the same in Voila).

    Text stays text (``svg.fonttype: none``): smaller, searchable, and read by screen readers;
    the first axes' title becomes the picture's accessible name.
    """
    if fig is None:
        return ""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight")
    svg = buffer.getvalue()
    name = fig.axes[0].get_title() if fig.axes else ""
    return f'<div role="img" aria-label="{html.escape(name)}">{svg[svg.index("<svg"):]}</div>'


def figure(width: float = 5.0, height: float = 3.2, polar: bool = False, rows: int = 1) -> tuple[Any, Any]:
    """A new matplotlib figure and its axes (an array of them if ``rows`` > 1, sharing x),
    drawn off-screen: no GUI backend needed."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    return fig, fig.subplots(rows, sharex=True, subplot_kw={"projection": "polar"} if polar else None)


def number_ticks(axis: Any, t: Texts) -> None:
    """Tick labels of a matplotlib axis written the form's language way ("15.000", "2,5")."""
    formats.number_ticks(axis, lang=t.lang)


def yes_no(value: bool, t: Texts) -> str:
    """'yes' or 'no' in the form's language."""
    return t("widget.yes") if value else t("widget.no")


def table(rows: Sequence[tuple[str, str]]) -> str:
    """Label/value pairs as a small two-column HTML table."""
    body = "".join(f"<tr><td style='padding-right:1em'>{k}</td><td><b>{v}</b></td></tr>" for k, v in rows)
    return f"<table>{body}</table>"
