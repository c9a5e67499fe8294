"""A result to keep: a calculator form's inputs and results as CSV, and as a one-page PNG summary.

Both are made from the same texts the page shows (:meth:`CalculatorForm.input_rows` and
:meth:`CalculatorForm.result_rows`), in the form's language, so the figures are the same as on
screen. The PNG is an A4 page (portrait, 100 dpi): title, inputs, results and the chart; its
text is also kept in the PNG's ``Description`` field, so it can be read back without OCR.
"""

from __future__ import annotations

import csv
import io
import textwrap
from typing import Any

DPI = 100
A4_INCHES = (8.27, 11.69)


def rows(form: Any) -> list[tuple[str, str, str, str]]:
    """(section, item, value, unit): every input, then every result, as the page shows them."""
    t = form.t
    found = [(t("widget.section_input"), label, value, unit) for label, value, unit in form.input_rows()]
    found += [(t("widget.section_result"), label, value, "") for label, value in form.result_rows()]
    return found


def csv_text(form: Any) -> str:
    """The inputs and results as CSV text, with a header row in the form's language."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    t = form.t
    writer.writerow([t("widget.csv_section"), t("widget.csv_item"), t("widget.csv_value"), t("widget.csv_unit")])
    writer.writerows(rows(form))
    return buffer.getvalue()


def csv_bytes(form: Any) -> bytes:
    """:func:`csv_text` as UTF-8 with a byte-order mark (so spreadsheet programs read it right)."""
    return csv_text(form).encode("utf-8-sig")


def lines(form: Any, width: int = 95) -> tuple[str, list[str], list[str]]:
    """The summary's title, input lines and result lines (wrapped at ``width`` characters)."""
    title = form.t(f"{form.prefix}.title")
    inputs = [f"{label}: {value} {unit}".rstrip() for label, value, unit in form.input_rows()]
    results = [f"{label}: {value}" for label, value in form.result_rows()]

    def wrap(texts: list[str]) -> list[str]:
        return [part for text in texts for part in textwrap.wrap(text, width, subsequent_indent="    ")]

    return title, wrap(inputs), wrap(results)


def figure(form: Any) -> Any:
    """The one-page summary as a matplotlib Figure (A4, portrait): texts on top, the chart below."""
    import matplotlib.image as mpimg
    from matplotlib.figure import Figure

    title, inputs, results = lines(form)
    fig = Figure(figsize=A4_INCHES, dpi=DPI)
    fig.text(0.05, 0.965, "\n".join(textwrap.wrap(title, 70)), fontsize=13, weight="bold", va="top")
    step = 0.0145
    y = 0.915
    for heading, block in ((form.t("widget.section_input"), inputs), (form.t("widget.section_result"), results)):
        fig.text(0.05, y, heading, fontsize=10, weight="bold", va="top")
        y -= step * 1.3
        for line in block:
            fig.text(0.06, y, line, fontsize=8, va="top")
            y -= step
        y -= step * 0.6
    chart = form.draw_fn(form.last_result, form.t) if form.draw_fn else None
    if chart is not None:
        buffer = io.BytesIO()
        chart.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
        buffer.seek(0)
        image = mpimg.imread(buffer)
        bottom = 0.03
        top = max(bottom + 0.15, y - 0.01)
        ax = fig.add_axes((0.05, bottom, 0.9, top - bottom))
        ax.imshow(image)
        ax.set_axis_off()
    return fig


def png_bytes(form: Any) -> bytes:
    """The summary page as PNG bytes, its text also in the PNG's Title and Description fields."""
    fig = figure(form)
    title, inputs, results = lines(form, width=10_000)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI,
                metadata={"Title": title, "Description": "\n".join([*inputs, *results]),
                          "Software": "Double Eleven course calculators"})
    return buffer.getvalue()
