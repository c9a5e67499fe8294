"""Figures a lesson prints or plots go through course.formats, never through a Python format spec.

A format spec (``f"{x:,.0f}"``, ``"{:.1%}".format(x)``, ``"%.2f" % x``, ``f"{day:%d %b}"``, matplotlib's
``StrMethodFormatter``) writes English separators whatever the course language, so the Indonesian edition
would print "Rp 1,234,567" and "20.7%". ``course.formats`` (number, money, percent, scaled, date, time)
follows the language in force. Answer and test cells are exempt: they are the same code in both editions and
are graded, so they are never rewritten for the language.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from course.translate import is_answer_or_test, source_of

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(ROOT.glob("solutions/m*/m*.ipynb"))
# a numeric spec: grouping (, or _), a precision (.N), a numeric type, or a strftime field (%H, %d ...)
NUMERIC_SPEC = re.compile(r"[,_]|\.\d|[bdeEfFgGnoxX%]$|%[a-zA-Z]")
METHOD_SPEC = re.compile(r"\{[^{}:]*:([^{}]+)\}")  # the spec of each field of a str.format template
PRINTF = re.compile(r"%[-+ #0]*\d*(?:\.\d+)?[diouxXeEfFgG%]")
FORMATTERS = {"StrMethodFormatter", "FormatStrFormatter", "PercentFormatter", "DateFormatter", "ConciseDateFormatter"}


def _spec_text(spec: ast.JoinedStr) -> str:
    """The literal part of a format spec (a nested ``{width}`` field counts as nothing)."""
    return "".join(part.value for part in spec.values if isinstance(part, ast.Constant) and isinstance(part.value, str))


def _writes_with_a_spec(node: ast.AST) -> bool:
    """True for an f-string field, str.format template, format() call, % template or matplotlib formatter
    that writes a number or a date with a Python format spec."""
    if isinstance(node, ast.FormattedValue):
        return isinstance(node.format_spec, ast.JoinedStr) and bool(NUMERIC_SPEC.search(_spec_text(node.format_spec)))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return isinstance(node.left, ast.Constant) and isinstance(node.left.value, str) \
            and bool(PRINTF.search(node.left.value))
    if not isinstance(node, ast.Call):
        return False
    if isinstance(node.func, ast.Name):
        return node.func.id in FORMATTERS or (node.func.id == "format" and len(node.args) == 2)
    if isinstance(node.func, ast.Attribute):
        template = node.func.value
        if node.func.attr == "format" and isinstance(template, ast.Constant) and isinstance(template.value, str):
            return any(NUMERIC_SPEC.search(spec) for spec in METHOD_SPEC.findall(template.value))
        return node.func.attr in FORMATTERS
    return False


def spec_uses(source: str) -> list[str]:
    """Each place in ``source`` that writes a number or a date with a Python format spec, as ``line N: code``."""
    lines = source.splitlines()
    return sorted({f"line {node.lineno}: {lines[node.lineno - 1].strip()}"
                   for node in ast.walk(ast.parse(source)) if _writes_with_a_spec(node)})


def offending_cells(notebook: dict) -> dict[str, list[str]]:
    """Cells (by grade id or cell id) outside answer and test cells that use a format spec for a figure."""
    found = {}
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code" or is_answer_or_test(cell):
            continue
        try:
            uses = spec_uses(source_of(cell))
        except SyntaxError:  # an IPython magic: not Python, nothing printed by our code
            continue
        if uses:
            found[cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or cell.get("id")] = uses
    return found


def test_the_lessons_are_found():
    assert len(NOTEBOOKS) >= 10, NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.parent.name)
def test_no_lesson_cell_prints_a_figure_with_a_format_spec(path):
    offending = offending_cells(json.loads(path.read_text(encoding="utf-8")))
    assert not offending, (f"{path.parent.name}: print or plot these figures with course.formats (number, money, "
                           f"percent, date, time), not a Python format spec: {offending}")


@pytest.mark.parametrize("code", [
    'print(f"cost Rp {cost:,.0f}")',
    'print(f"share {share:.1%}")',
    'ax.set_title(f"{n:,} orders")',
    'print(f"z = {z:.2f}")',
    'return f"{hours:02d}:{minutes:02d}"',
    'print(f"on {day:%d %b}")',
    'print(f"{x:{width}.2f}")',
    'print("{:.1f} RMB".format(price))',
    'print("%.2f RMB" % price)',
    'print(format(price, ",.0f"))',
    'ax.yaxis.set_major_formatter(mticker.StrMethodFormatter("{x:,.0f}"))',
    'ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))',
])
def test_a_format_spec_is_caught(code):
    source = "def f():\n    " + code if code.startswith("return") else code
    assert spec_uses(source), code


@pytest.mark.parametrize("code", [
    'print(f"cost Rp {formats.number(cost, 0)}")',
    'print(f"{name!r}: {formats.percent(share)} of {total}")',
    'print(f"{label:<12} {formats.money(v, \'IDR\')}")',
    'print("%s units" % name)',
    'print("{:<12}|".format(name), format(name))',
])
def test_course_formats_and_plain_fields_pass(code):
    assert spec_uses(code) == [], code


def test_answer_and_test_cells_are_exempt_and_others_are_named():
    code = 'print(f"{x:.2f}")\n'
    notebook = {"cells": [
        {"cell_type": "code", "id": "a", "metadata": {"nbgrader": {"grade_id": "m01-q1", "solution": True}},
         "source": code},
        {"cell_type": "code", "id": "b", "metadata": {"nbgrader": {"grade_id": "m01-q1-test", "grade": True}},
         "source": code},
        {"cell_type": "markdown", "id": "c", "metadata": {}, "source": code},
        {"cell_type": "code", "id": "cell-04", "metadata": {}, "source": "%matplotlib inline\n" + code},
        {"cell_type": "code", "id": "cell-05", "metadata": {"nbgrader": {"grade_id": "m01-explore", "locked": True}},
         "source": code},
    ]}
    assert offending_cells(notebook) == {"m01-explore": ['line 1: print(f"{x:.2f}")']}


# ---------------------------------------------------------------- chart ticks: formats.number_ticks

def _ticks(axis_of, lang: str, **plot) -> list[str]:
    """The tick labels matplotlib draws for one axis after formats.number_ticks (Agg, no screen)."""
    from matplotlib.figure import Figure

    from course import formats

    fig = Figure()
    ax = fig.subplots()
    ax.plot(*plot.get("data", ([0, 2500], [0, 2.5])))
    if plot.get("log"):
        ax.set_xscale("log")
        ax.set_xlim(100, 2_000_000)
    axis = axis_of(ax)
    formats.number_ticks(axis, lang=lang, grouping=plot.get("grouping", True))
    fig.canvas.draw()
    return [label.get_text() for label in axis.get_ticklabels() if label.get_text()]


@pytest.fixture
def agg(monkeypatch, tmp_path):
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path))
    import matplotlib

    matplotlib.use("Agg")


def test_number_ticks_write_indonesian_and_english_numbers(agg):
    x, y = (lambda ax: ax.xaxis), (lambda ax: ax.yaxis)
    assert _ticks(x, "id") == ["-500", "0", "500", "1.000", "1.500", "2.000", "2.500", "3.000"]
    assert _ticks(x, "en") == ["-500", "0", "500", "1,000", "1,500", "2,000", "2,500", "3,000"]
    assert _ticks(y, "id") == ["-0,5", "0,0", "0,5", "1,0", "1,5", "2,0", "2,5", "3,0"]  # shared decimals
    assert _ticks(y, "en") == ["-0.5", "0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"]
    # a log axis writes each tick as it needs; years are not grouped
    assert _ticks(x, "id", log=True) == ["10", "100", "1.000", "10.000", "100.000", "1.000.000", "10.000.000"]
    assert _ticks(x, "id", data=([2009, 2021], [1, 2]), grouping=False)[:2] == ["2008", "2010"]


def test_number_ticks_follow_the_language_in_force_when_the_chart_is_drawn(agg):
    from course.i18n import set_language

    set_language("id")
    try:
        assert "1.500" in _ticks(lambda ax: ax.xaxis, None)
    finally:
        set_language(None)


def test_number_ticks_refuse_an_axis_of_categories(agg):
    from matplotlib.figure import Figure

    from course import formats

    ax = Figure().subplots()
    ax.bar(["noodles", "coffee"], [1500, 2500])
    formats.number_ticks(ax.yaxis)
    with pytest.raises(ValueError, match="the x axis shows StrCategoryFormatter labels"):
        formats.number_ticks(ax.xaxis)


# charts whose axes show no numbers (dates and names only), so they have nothing for number_ticks to write
NO_NUMERIC_AXIS = {"m04-timeline-chart": "dates (formats.date) and producer names"}


def chart_cells() -> list[tuple[str, str, str]]:
    """(module, cell key, source) of every lesson cell that draws a matplotlib chart (outside answer/test cells)."""
    found = []
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = source_of(cell)
            if cell["cell_type"] == "code" and not is_answer_or_test(cell) and "plt.subplots(" in source:
                key = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or cell.get("id")
                found.append((path.parent.name, key, source))
    return found


def test_every_lesson_chart_writes_its_number_axes_through_course_formats():
    charts = chart_cells()
    assert len(charts) >= 12, charts  # the lessons draw charts in m01-m09
    missing = [f"{module} {key}" for module, key, source in charts
               if "formats.number_ticks(" not in source and key not in NO_NUMERIC_AXIS]
    assert not missing, f"call formats.number_ticks(ax.xaxis, ...) on the numeric axes of: {missing}"
