"""The calculators in a real Chromium: the `course apps` pages (Voila) and a trainee's notebook in JupyterLab.

Debian's chromium, driven by Playwright; servers on 127.0.0.1 with tokens (browser_servers.py), one
Voila server for the session. Every page is opened with the network cut off but for 127.0.0.1
(conftest.Offline) and each test checks that no request tried to leave the machine. Skipped with
the reason printed where chromium or playwright is missing; a failure in CI. A failing test leaves
a screenshot in test-artifacts/.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from course import formats, i18n
from course.apps_cli import PAGES, page_url
from course.calculators import country_readiness, landed_cost, scorecard, supply
from tests.support import browser as servers

pytestmark = [pytest.mark.external("chromium"), pytest.mark.slow]
WAIT_MS = 90_000  # a page's kernel starts and draws the widget well within this, even cold
PHONE, LAPTOP = (390, 844), (1366, 768)
# each page is named like its widget module (course.widgets.NAME) and its message prefix (NAME.title)


def _supply() -> str:
    arrival = supply.compute(supply.SupplyInputs(daily_capacity_units=40_000)).warehouse_arrival
    return f"only on {formats.date(arrival, True, 'en')}"


def _landed() -> str:
    inputs = landed_cost.LandedCostInputs(ex_factory_cost_idr_per_unit=20_000.0, freight_idr_per_shipment=20e6,
                                          other_costs_idr_per_shipment=5e6)
    return f"IDR {landed_cost.compute(inputs).landed_cost_idr_per_unit:,.0f} per unit"


def _scorecard() -> str:
    inputs = scorecard.ScorecardInputs(platform_registered=True, units_in_stock=250_000, bpom_md_registered=True,
                                       halal_certified=True, logistics_partner=True, working_capital_months=3.0)
    return f"Export readiness: {scorecard.compute(inputs).score:.1f} of 100"


def _peak_day() -> str:
    module = importlib.import_module("course.widgets.peak_day")
    values = {**module.DEFAULTS, "stock_units": 20_000}
    stockout = module.calc.compute(module.build(**values)).stockout_minute
    return f"<b>{module.clock(stockout, 'en')}</b>"


def _country() -> str:
    components = country_readiness.Components(50.0, 70.0, 55.0, 45.0)
    return f"index: {country_readiness.index(components):.1f} of 100"


# page -> (input to change, how: fill a number or click a checkbox, new value, expected text from the calculator)
CHANGES = {
    "supply": ("daily_capacity_units", "fill", "40000", _supply),
    "landed_cost": ("ex_factory_cost_idr_per_unit", "fill", "20000", _landed),
    "scorecard": ("platform_registered", "click", None, _scorecard),
    "peak_day": ("stock_units", "fill", "20000", _peak_day),
    "country": ("internet_users_pct", "fill", "70", _country),
}
# page -> (input, a value it does not accept): the message must appear beside that input
# (typed on the Indonesian page, so a decimal is written with a comma)
BAD = {"supply": ("daily_capacity_units", "0"), "landed_cost": ("insurance_rate", "25"),
       "scorecard": ("as_of_year", "1999"), "peak_day": ("workers_day", "2,5"),
       "country": ("internet_users_pct", "120")}
NUMBER_KINDS = ("int", "float", "percent")


def fields(name: str) -> list:
    return list(importlib.import_module(f"course.widgets.{name}").FIELDS)


def title(name: str, lang: str) -> str:
    return i18n.message(f"{name}.title", lang)


# --- checks -----------------------------------------------------------------------------------------------

def assert_fits(page, label: str) -> None:
    """No sideways scrolling, and every input, unit, message and chart inside the viewport's width."""
    widths = page.evaluate("""() => ({scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth, inner: window.innerWidth})""")
    assert widths["scroll"] == widths["client"], f"{label}: the page scrolls sideways: {widths}"
    assert widths["client"] >= widths["inner"] - 20, widths
    sideways = page.evaluate("""() => Array.from(document.querySelectorAll('*')).filter(e =>
        ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
        .map(e => [e.tagName, e.id, String(e.className).slice(0, 60), e.scrollWidth, e.clientWidth])""")
    assert sideways == [], f"{label}: a part of the page scrolls sideways: {sideways}"
    outside = page.evaluate("""(width) => Array.from(document.querySelectorAll(
        '.course-control, .course-unit, [class*="course-error-"], .course-picture svg, .course-result table,' +
        ' .course-downloads, h1, .course-language')).filter(e => e.offsetParent !== null).map(e => {
          const r = e.getBoundingClientRect();
          return [e.className.baseVal !== undefined ? 'svg' : e.className, r.left, r.right];
        }).filter(([, left, right]) => left < -0.5 || right > width + 0.5)""", widths["client"])
    assert outside == [], f"{label}: cut off on the right or left: {outside[:5]}"


def run_axe(page) -> list[dict]:
    """axe-core (loaded from the installed package's own file, never a CDN): serious and critical findings."""
    import axe_playwright_python

    page.add_script_tag(path=str(Path(axe_playwright_python.__file__).with_name("axe.min.js")))
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
          .map(v => ({id: v.id, impact: v.impact, help: v.help,
                      nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
    }""")
    return found


def result_text(page) -> str:
    return page.locator(".course-result").inner_text()


def csv_href(page) -> str:
    return page.locator(".course-download-csv a").get_attribute("href") or ""


def wait_for_text(page, selector: str, text: str, timeout: int = 20_000) -> None:
    page.wait_for_function(
        "([s, t]) => { const e = document.querySelector(s); return !!e && e.innerHTML.includes(t); }",
        arg=[selector, text], timeout=timeout)


def wait_for_new_csv(page, before: str, field: str) -> None:
    page.wait_for_function(
        """([before, field]) => { const a = document.querySelector('.course-download-csv a');
             const e = document.querySelector('.course-error-' + field);
             return (a && a.getAttribute('href') !== before) || (e && e.innerText.trim() !== ''); }""",
        arg=[before, field], timeout=20_000)


def change(page, field: str, how: str, value: str | None) -> None:
    """Change one input as a person does: type and press Enter, or click."""
    control = page.locator(f".course-input-{field} input")
    if how == "click":
        control.click()
    else:
        control.fill(value)
        control.press("Enter")


def change_any(page, field, lang: str = "en") -> None:
    """Give ``field`` another accepted value, whatever its kind (a number typed the ``lang`` way)."""
    root = f".course-input-{field.name}"
    if field.kind == "bool":
        page.locator(f"{root} input").click()
    elif field.kind == "choice":
        select = page.locator(f"{root} select")
        current = select.evaluate("s => s.selectedIndex")
        select.select_option(index=(current + 1) % len(field.choices))
    elif field.kind == "date":
        control = page.locator(f"{root} input")
        control.fill((date.fromisoformat(control.input_value()) + timedelta(days=1)).isoformat())
        control.press("Enter")
    else:
        control = page.locator(f"{root} input")
        value = float(formats.parse_number(control.input_value(), lang)) + 1
        control.fill(formats.number(value, None if value != int(value) else 0, lang, grouping=False))
        control.press("Enter")


def download(page, selector: str) -> bytes:
    with page.expect_download(timeout=20_000) as info:
        page.locator(selector).click()
    return Path(info.value.path()).read_bytes()


def open_page(context, port: int, token: str, name: str, lang: str | None = "en"):
    page = context.context.new_page()
    url = page_url(port, token, name) + (f"&lang={lang}" if lang else "")
    page.goto(url, timeout=WAIT_MS)
    page.wait_for_selector(".course-result table", timeout=WAIT_MS)
    return page


# --- the pages ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PAGES)
def test_page_on_phone_and_laptop_in_both_languages(voila, offline, name):
    """One page, all of it: sizes, every input, a bad value, the language switch, the downloads, axe."""
    port, token = voila
    page = open_page(offline, port, token, name, "en")
    with servers.screenshot_on_failure(page, f"page-{name}"):
        # English, laptop then phone
        assert page.locator("h1").inner_text().strip() == title(name, "en")
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.locator(".course-picture svg").count() == 1
        assert_fits(page, f"{name} en laptop")
        page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
        assert_fits(page, f"{name} en phone")
        assert run_axe(page) == []

        # a phone opens its number pad in every number box (they are text boxes, read the page's language's way)
        numeric = [f.name for f in fields(name) if f.kind in NUMBER_KINDS]
        modes = page.evaluate("names => names.map(n => document.querySelector('.course-input-' + n + ' input')"
                              ".getAttribute('inputmode'))", numeric)
        assert numeric and modes == ["decimal"] * len(numeric), dict(zip(numeric, modes, strict=True))

        # keyboard only: Tab reaches the first input (after the index link and the language switch)
        first = fields(name)[0].name
        for _ in range(12):
            page.keyboard.press("Tab")
            if page.evaluate("f => !!document.activeElement.closest('.course-input-' + f)", first):
                break
        else:
            raise AssertionError(f"Tab never reached the first input ({first})")
        original = page.locator(f".course-input-{first} input").input_value()
        for typed in ("2026" if first == "as_of_year" else "77", original):  # a change, then back
            before = csv_href(page)
            page.keyboard.press("Control+A")
            page.keyboard.type(typed)
            page.keyboard.press("Enter")
            wait_for_new_csv(page, before, first)
            assert page.locator(f".course-error-{first}").inner_text().strip() == ""

        # the calculator's own figure follows one change, then every input can be changed
        field, how, value, expected = CHANGES[name]
        expected_text = expected()
        assert expected_text not in page.locator(".course-result").inner_html()
        change(page, field, how, value)
        wait_for_text(page, ".course-result", expected_text)
        for each in fields(name):
            before = csv_href(page)
            change_any(page, each)
            wait_for_new_csv(page, before, each.name)
            error = page.locator(f".course-error-{each.name}").inner_text().strip()
            assert error == "", f"{each.name}: {error}"
            assert page.locator(".course-result table").count() == 1
        assert "Traceback" not in page.content()

        # Indonesian, chosen on the page: the inputs typed so far are kept
        first_field = fields(name)[0]
        kept = page.locator(f".course-input-{first_field.name} input").input_value()
        page.locator(".course-language button", has_text="Bahasa Indonesia").click()
        page.wait_for_function("t => document.querySelector('h1') && document.querySelector('h1').innerText.trim()"
                               " === t", arg=title(name, "id"), timeout=20_000)
        page.wait_for_selector(".course-result table", timeout=20_000)
        assert page.evaluate("document.documentElement.lang") == "id"
        assert "lang=id" in page.url and page.title() == title(name, "id")
        now = page.locator(f".course-input-{first_field.name} input").input_value()
        if first_field.kind in NUMBER_KINDS:  # the same number, now written the Indonesian way
            assert formats.parse_number(now, "id") == formats.parse_number(kept, "en"), (now, kept)
            assert now == formats.number(float(formats.parse_number(kept, "en")), None, "id",
                                         grouping=first_field.grouping), (now, kept)
        else:
            assert now == kept
        assert title(name, "en") not in page.content()
        assert_fits(page, f"{name} id phone")

        # the downloads hold the figures on screen, in Indonesian
        shown = result_text(page)
        # ... written the Indonesian way: no ISO date, no clock with a colon (03.03, not 03:03)
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{2}:\d{2}\b", shown), shown
        rows = list(csv.reader(io.StringIO(download(page, ".course-download-csv a").decode("utf-8-sig"))))
        assert rows[0] == ["Bagian", "Butir", "Nilai", "Satuan"]
        inputs = [r for r in rows[1:] if r[0] == "Isian"]
        results = [r for r in rows[1:] if r[0] == "Hasil"]
        assert len(inputs) == len(fields(name)) and results
        for _, label, figure, _ in results:
            assert figure in shown or figure in page.locator(".course-output").inner_text(), (label, figure)
        page.locator(".course-prepare-png").click()
        page.wait_for_selector(".course-download-png a", timeout=30_000)
        png = download(page, ".course-download-png a")
        from PIL import Image

        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.size == (827, 1169)
        description = image.info["Description"]
        for _, label, figure, _ in results:
            assert f"{label}: {figure}" in description

        # a bad value: the message, in Indonesian, right beside its field; no result meanwhile
        bad_field, bad_value = BAD[name]
        control = page.locator(f".course-input-{bad_field} input")
        control.fill(bad_value)
        control.press("Enter")
        error = page.locator(f".course-error-{bad_field}")
        label = i18n.message(f"{name}.{bad_field}", "id")
        wait_for_text(page, f".course-error-{bad_field}", "tidak dapat diterima")
        text = error.inner_text()
        assert text.startswith(f"{label}: {bad_value} tidak dapat diterima. Isikan "), text
        assert result_text(page).strip() == ""
        below, box = error.bounding_box(), page.locator(f".course-input-{bad_field}").bounding_box()
        assert 0 <= below["y"] - (box["y"] + box["height"]) < 60, (below, box)
        assert_fits(page, f"{name} id phone, message shown")
        # a number written the English way on the Indonesian page: said so beside the box, never guessed
        control.fill("1.5")
        control.press("Enter")
        wait_for_text(page, f".course-error-{bad_field}", "bukan angka")
        assert error.inner_text().startswith(f"{label}: 1.5 bukan angka. Tuliskan angka seperti 1.234,5"), \
            error.inner_text()
        assert result_text(page).strip() == ""
        page.set_viewport_size({"width": LAPTOP[0], "height": LAPTOP[1]})
        assert_fits(page, f"{name} id laptop")
        assert offline.outside == [], f"requests tried to leave the machine: {offline.outside}"
    page.close()


def test_index_lists_the_calculators_in_the_chosen_language_and_remembers_it(voila, offline):
    port, token = voila
    page = offline.context.new_page()
    with servers.screenshot_on_failure(page, "index"):
        page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
        page.goto(page_url(port, token), timeout=WAIT_MS)
        assert page.locator("h1").inner_text() == i18n.message("widget.index_title", "en")
        for name in PAGES:
            item = page.locator(f".calculator-{name}")
            assert item.locator("a").inner_text() == title(name, "en")
            assert item.locator("p").inner_text() == i18n.message(f"apps.question.{name}", "en")
            assert item.locator("a").get_attribute("href").endswith(f"voila/render/{name}.ipynb?lang=en")
        assert_fits(page, "index en phone")
        assert run_axe(page) == []

        page.get_by_role("link", name="Bahasa Indonesia").click()
        page.wait_for_url("**lang=id**")
        assert page.locator("h1").inner_text() == i18n.message("widget.index_title", "id")
        assert page.evaluate("document.documentElement.lang") == "id" and page.title() != "Double Eleven calculators"
        for name in PAGES:
            assert page.locator(f".calculator-{name} a").inner_text() == title(name, "id")
        page.goto(page_url(port, token), timeout=WAIT_MS)  # no ?lang=: the choice is remembered
        page.wait_for_url("**lang=id**")
        assert page.locator("h1").inner_text() == i18n.message("widget.index_title", "id")

        page.goto(page_url(port, token, "country"), timeout=WAIT_MS)  # a calculator without ?lang=
        page.wait_for_function("t => document.querySelector('h1') && document.querySelector('h1').innerText.trim()"
                               " === t", arg=title("country", "id"), timeout=WAIT_MS)
        assert "lang=id" in page.url
        assert offline.outside == [], f"requests tried to leave the machine: {offline.outside}"
    page.close()


def _notebook(path: Path) -> None:
    cell = {"cell_type": "code", "execution_count": None, "id": "calc", "metadata": {}, "outputs": [],
            "source": ["from course.widgets import supply_readiness\n", "supply_readiness(\"en\")"]}
    path.write_text(json.dumps({"cells": [cell], "metadata": {"kernelspec": {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}))


def test_jupyterlab_notebook_runs_the_widget_and_it_fits_the_main_area(browser, tmp_path):
    """A laptop-size JupyterLab with the file browser open: the timeline scales to the narrower
    main area instead of being cut off, and the widget reacts."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _notebook(folder / "calc.ipynb")
    with servers.lab(tmp_path / "home", folder) as (port, token):
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        try:
            with servers.screenshot_on_failure(page, "jupyterlab-supply"):
                page.goto(f"http://127.0.0.1:{port}/lab/tree/calc.ipynb?token={token}", timeout=WAIT_MS)
                page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=WAIT_MS)
                page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                                       " && window.jupyterapp.shell.currentWidget.sessionContext"
                                       " && window.jupyterapp.shell.currentWidget.sessionContext.session",
                                       timeout=WAIT_MS)
                page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
                page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
                page.wait_for_selector(".course-result table", timeout=WAIT_MS)
                assert "23 Nov 2018" in page.locator(".course-result").inner_html()  # the default plan
                page.wait_for_selector(".jp-SideBar .lm-TabBar-tab.lm-mod-current", timeout=WAIT_MS)
                fit = page.evaluate("""() => {
                    const out = document.querySelector('.course-picture').closest('.jp-OutputArea-output');
                    const svg = document.querySelector('.course-picture svg').getBoundingClientRect();
                    const area = out.getBoundingClientRect();
                    return {svgRight: svg.right, areaRight: area.right, scroll: out.scrollWidth,
                            client: out.clientWidth};
                }""")
                assert fit["svgRight"] <= fit["areaRight"] + 0.5 and fit["scroll"] <= fit["client"], fit
                change(page, "daily_capacity_units", "fill", "40000")
                wait_for_text(page, ".course-result", _supply())
                change(page, "daily_capacity_units", "fill", "0")
                wait_for_text(page, ".course-error-daily_capacity_units",
                              "Production capacity: 0 is not accepted. Enter a whole number from 1 to 1,000,000,000.")
                assert page.locator(".course-result").inner_text().strip() == ""
                stderr = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                assert page.locator(stderr).count() == 0
        finally:
            page.close()
