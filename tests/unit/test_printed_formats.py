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
