"""Which numbers in a module's markdown are figures, and what backs each one.

The convention (checked by test_figures_sourced.py), for every markdown cell of solutions/mNN-*/mNN-*.ipynb:

1. Not a figure, so not checked: numbers inside `code` or ```code blocks``` and link targets; years
   (1990-2035); dates ("6 September 2018", "13 Oct", "2018-10-12"); clock times ("2:05", "03:03");
   question, section and point labels ("Q3", "(4 points)", "Module 8", "§3.1"); the time estimate
   ("60-75 minutes") and word limits ("120-200 words"); web addresses; the festival's name "11.11"; whole numbers
   from 0 to 12 written without a decimal point (counts such as "five products" or "3-4 products", list items, days,
   months).
2. Every other number is a figure and must be backed by one of:
   a. a value in a row of a real (non-synthetic) dataset, which carries its source and year: a numeric cell,
      or a number written inside a text cell (e.g. "1,142 + 151" in a description). It matches when it is
      equal at the precision the text shows, also after a unit step (thousand, million, billion,
      trillion) or percent <-> fraction (9.1 % and 0.091);
   b. a literal in one of the notebook's own code cells: an input or assumption the lesson states in code
      (a worked example's 400,000 units, a 25 % margin), same matching;
   c. an entry under "computed" in figures_computed.json: {module: {figure: "cell id"}}, the code cell whose
      output computes it (a growth rate, a landed cost, a synthetic table's conversion rate). The test checks
      that the cell exists and is a code cell. Entries were found by running each notebook and looking up the
      figure in the cells' outputs; add one the same way when a lesson quotes a new computed result;
   d. an entry under "derived": {module: {figure: "arithmetic"}} for a worked example done in the text itself
      ("213.5 / 30.8 = 6.93"): the test recomputes the arithmetic and checks that each of its numbers is
      backed by a or b;
   e. an entry under "conventions" with the reason it is not a fact (the 95 % confidence level).

A real figure typed into the prose with no dataset row, no code and no computing cell fails, naming the
module, the cell and the number.

Limits, measured on random numbers against each module's backed values: a figure that happens to equal a backed
value (after a unit step) passes. About 1 in 7 random two- or three-digit whole numbers, and about 1 in 7
one-decimal numbers from 1 to 99, coincide with some backed value; about 1 in 300 four- or five-digit numbers do.
The rule catches an invented precise figure ("US$437.6 m", "2,345 firms"); it cannot tell a true "60" from an
invented one.

To find the computing cell of a new figure: .venv/bin/python tests/unit/figures.py (see suggest()).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w]|\.\d)")
NOT_FIGURES = [
    re.compile(r"```.*?```", re.S),  # code blocks
    re.compile(r"`[^`]*`"),  # code spans
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"https?://\S+"),  # bare addresses
    re.compile(r"<[^>]+>"),  # html tags and their attributes
    re.compile(rf"\b\d{{1,2}}\s*(?:-|–|to)?\s*(?:\d{{1,2}}\s+)?(?:{MONTHS})\b"),  # 6 September, 8-14 Oct
    re.compile(rf"\b(?:{MONTHS})\s+\d{{1,2}}\b"),  # Oct 13
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),  # ISO dates
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b"),  # clock times
    re.compile(r"\b\d{1,2}\.\d{2}(?=\s*(?:am|pm|WIB|h\b))"),  # 03.03 WIB
    re.compile(r"\b(?:Q|Module|Modules|module|modules|§|m0)\s*\d+(?:[.-]\d+)*"),  # Q3, Module 8, m04
    re.compile(r"\(\d+ points?\)|\b\d+ points?\b"),  # points
    re.compile(r"\b\d+\s*[-–]\s*\d+\s*minutes\b"),  # time estimate
    re.compile(r"\b\d+(?:\s*[-–]\s*\d+)?\s+words\b"),  # word limits and counts of a written answer
    re.compile(r"\b11\.11\b"),  # the festival
    re.compile(r"(?m)^\s*(?:#+\s*)?\d+(?:\.\d+)*\.(?=\s)"),  # numbered headings "## 2. ..." and list items
]
SCALES = (1, 1e3, 1e6, 1e9, 1e12, 1e-3, 1e-6, 1e-9, 1e-12, 100, 0.01)


def figures(markdown: str) -> Iterator[tuple[str, float, int]]:
    """(text, value, decimals shown) of every figure in a markdown text (rule 1 above removes the rest)."""
    for pattern in NOT_FIGURES:
        markdown = pattern.sub(" ", markdown)
    for m in NUMBER.finditer(markdown):
        text = m.group(0)
        value = float(text.replace(",", ""))
        decimals = len(m.group(2)) - 1 if m.group(2) else 0
        if m.group(2) is None and (value <= 12 or 1990 <= value <= 2035):
            continue
        yield text, value, decimals


def significant(value: float) -> int:
    """Significant digits of a number as written at its shortest (1,000,000 -> 1; 31.74 -> 4)."""
    digits = Decimal(f"{value:.12g}").normalize().as_tuple().digits
    return len(digits) if any(digits) else 1


def matches(value: float, decimals: int, known: set[float]) -> bool:
    """True if some known number, after a unit step or %<->fraction, shows as ``value`` at ``decimals``,
    dropping at most one significant digit (31.74 may be written 31.7, not 32)."""
    shown = significant(value)
    near = 0.5 * 10 ** -decimals * (1 + 1e-9) + 1e-12
    for k in known:
        for scale in SCALES:
            if abs(k * scale - value) > near:  # cheap test first
                continue
            v = float(f"{k * scale:.12g}")
            if (math.isclose(round(v, decimals), value, rel_tol=1e-9, abs_tol=10 ** -(decimals + 3))
                    and significant(v) - shown <= 1):
                return True
    return False


def numbers_in_text(text: str) -> set[float]:
    """Numbers written in a text: 1,293 or 1_000_000 or 0.25."""
    found = set()
    for m in re.finditer(r"(?<![\w.])\d[\d_,]*(?:\.\d+)?", text):
        raw = m.group(0).rstrip(",").replace("_", "")
        if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?", raw):
            found.add(float(raw.replace(",", "")))
    return found


def real_dataset_numbers() -> set[float]:
    """Every number in a row of a non-synthetic dataset (numeric cells and numbers inside text cells)."""
    from course import data

    known: set[float] = set()
    for name in data.names():
        if data.resource(name).get("synthetic"):
            continue
        frame = data.load(name)
        for column in frame.columns:
            series = frame[column].dropna()
            if str(series.dtype).startswith(("float", "int", "Int")):
                known.update(float(v) for v in series)
            elif str(series.dtype) == "string":
                for text in series:
                    known |= numbers_in_text(str(text))
    return known


def notebooks() -> list[Path]:
    return sorted(ROOT.glob("solutions/m*/m*.ipynb"))


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def code_numbers(path: Path) -> set[float]:
    """Every numeric literal in the notebook's code cells (inputs and assumptions stated in code)."""
    known: set[float] = set()
    for cell in cells(path):
        if cell["cell_type"] == "code":
            known |= numbers_in_text("".join(cell["source"]))
    return known


def unbacked(path: Path, known: set[float], computed: dict[str, str]) -> list[tuple[str, str]]:
    """(cell id, figure) of every figure in the notebook's markdown that nothing backs."""
    in_code = code_numbers(path)
    missing = []
    for cell in cells(path):
        if cell["cell_type"] != "markdown":
            continue
        for text, value, decimals in figures("".join(cell["source"])):
            if text in computed or matches(value, decimals, known) or matches(value, decimals, in_code):
                continue
            missing.append((cell.get("id", "?"), text))
    return missing


def derived_ok(figure: str, arithmetic: str, known: set[float]) -> str | None:
    """None if ``arithmetic`` (numbers, + - * / ** and brackets only) rounds to ``figure`` at its shown precision
    and every number in it is backed by ``known``; otherwise what is wrong."""
    import ast
    import operator

    ops = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.Pow: operator.pow}

    def value(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in ops:
            return ops[type(node.op)](value(node.left), value(node.right))
        raise ValueError(f"not plain arithmetic: {ast.dump(node)}")

    tree = ast.parse(arithmetic, mode="eval").body
    result = value(tree)
    shown = float(figure.replace(",", ""))
    decimals = len(figure.split(".")[1]) if "." in figure else 0
    if not math.isclose(round(result, decimals), shown, rel_tol=1e-9, abs_tol=10 ** -(decimals + 3)):
        return f"{arithmetic} = {result:.6g}, not {figure}"
    operands = [float(n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    loose = [n for n in operands if not (n <= 12 and n == int(n)) and not matches(n, _decimals(n), known)
             and n not in known]
    return f"{arithmetic}: {loose} are not backed by a dataset row or the notebook's code" if loose else None


def _decimals(number: float) -> int:
    text = f"{number:.12g}"
    return len(text.split(".")[1]) if "." in text else 0


def suggest() -> None:
    """Run each notebook with unbacked figures and print, for each, the code cell whose output shows it.

    Usage (from the repository root): .venv/bin/python tests/unit/figures.py
    Copy a found cell id into figures_computed.json under "computed"; a figure no cell shows is a real fact
    (add a dataset row with its source), arithmetic in the text (add it under "derived") or a mistake.
    """
    import nbformat
    from nbclient import NotebookClient

    allow = json.loads(Path(__file__).with_name("figures_computed.json").read_text(encoding="utf-8"))
    known = real_dataset_numbers()
    for path in notebooks():
        module = path.parent.name[:3]
        listed = {**allow["computed"].get(module, {}), **allow["derived"].get(module, {}),
                  **allow["conventions"].get(module, {})}
        missing = unbacked(path, known, listed)
        if not missing:
            continue
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(notebook, timeout=300, resources={"metadata": {"path": str(path.parent)}}).execute()
        shown = []
        for cell in notebook.cells:
            if cell.cell_type == "code":
                text = "".join(o.get("text", "") + "".join(str(v) for k, v in o.get("data", {}).items()
                                                           if k in ("text/plain", "text/html"))
                               for o in cell.get("outputs", []))
                shown.append((cell.get("id"), numbers_in_text(text)))
        for cell_id, figure in missing:
            value = float(figure.replace(",", ""))
            decimals = len(figure.split(".")[1]) if "." in figure else 0
            hit = next((cid for cid, numbers in shown if matches(value, decimals, numbers)), None)
            print(f"{module} {cell_id}: {figure} -> " + (f'"computed": {{"{figure}": "{hit}"}}' if hit
                                                        else "no cell shows it: a dataset row or a derived entry"))


if __name__ == "__main__":
    suggest()
