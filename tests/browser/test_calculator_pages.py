"""The calculators in a real Chromium: in JupyterLab (a trainee's notebook) and as Voila pages.

Debian's chromium, driven by Playwright; servers on 127.0.0.1 with tokens (see servers.py).
Skipped with the reason printed where chromium or playwright is missing; a failure in CI.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browser_servers as servers  # noqa: E402

from course.apps_cli import PAGES, page_url  # noqa: E402
from course.calculators import country_readiness, landed_cost, scorecard, supply  # noqa: E402

pytestmark = [pytest.mark.external("chromium"), pytest.mark.slow]
WAIT_MS = 60_000  # a page's kernel starts and draws the widget well within this


def _supply() -> str:
    arrival = supply.compute(supply.SupplyInputs(daily_capacity_units=40_000)).warehouse_arrival
    return f"only on {arrival.isoformat()}"


def _landed() -> str:
    inputs = landed_cost.LandedCostInputs(ex_factory_cost_idr_per_unit=20_000.0, freight_idr_per_shipment=20e6,
                                          other_costs_idr_per_shipment=5e6)
    return f"IDR {landed_cost.compute(inputs).landed_cost_idr_per_unit:,.0f} per unit"


def _scorecard() -> str:
    inputs = scorecard.ScorecardInputs(platform_registered=True, units_in_stock=250_000, bpom_md_registered=True,
                                       halal_certified=True, logistics_partner=True, working_capital_months=3.0)
    return f"Export readiness: {scorecard.compute(inputs).score:.1f} of 100"


def _peak_day() -> str:
    import importlib

    module = importlib.import_module("course.widgets.peak_day")
    values = {**module.DEFAULTS, "stock_units": 20_000}
    stockout = module.calc.compute(module.build(**values)).stockout_minute
    return f"<b>{module.clock(stockout)}</b>"


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


def result_html(page) -> str:
    return page.locator(".course-result").inner_html()


def change(page, field: str, how: str, value: str | None) -> None:
    """Change one input as a person does: type and press Enter, or click."""
    control = page.locator(f".course-input-{field} input")
    if how == "click":
        control.click()
    else:
        control.fill(value)
        control.press("Enter")


def wait_for_text(page, selector: str, text: str, timeout: int = 15_000) -> None:
    page.wait_for_function(
        "([s, t]) => { const e = document.querySelector(s); return !!e && e.innerHTML.includes(t); }",
        arg=[selector, text], timeout=timeout)


@pytest.fixture(scope="module")
def browser():
    reason = servers.missing_browser()
    if reason:
        print(f"browser tests skipped: {reason}")
        pytest.skip(reason)
    with servers.chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def voila(tmp_path_factory, browser):
    with servers.voila(tmp_path_factory.mktemp("voila")) as (port, token):
        yield port, token


@pytest.mark.parametrize("name", PAGES)
def test_voila_page_reacts_to_input(browser, voila, name):
    port, token = voila
    field, how, value, expected = CHANGES[name]
    expected_text = expected()
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    try:
        with servers.screenshot_on_failure(page, f"voila-{name}"):
            page.goto(page_url(port, token, name), timeout=WAIT_MS)
            page.wait_for_selector(".course-result table", timeout=WAIT_MS)
            assert page.locator(".course-picture svg").count() == 1
            before = result_html(page)
            assert expected_text not in before
            change(page, field, how, value)
            wait_for_text(page, ".course-result", expected_text)
            assert page.locator(".course-picture svg").count() == 1
            assert "Traceback" not in page.content()
    finally:
        page.close()


def test_voila_invalid_value_shows_the_inline_message(browser, voila):
    port, token = voila
    page = browser.new_page()
    try:
        with servers.screenshot_on_failure(page, "voila-landed-cost-invalid"):
            page.goto(page_url(port, token, "landed_cost"), timeout=WAIT_MS)
            page.wait_for_selector(".course-result table", timeout=WAIT_MS)
            change(page, "insurance_rate", "fill", "25")
            wait_for_text(page, ".course-error-insurance_rate",
                          "Insurance: 25 is not accepted. Enter a value from 0 to 10.")
            assert page.locator(".course-result").inner_text().strip() == ""
    finally:
        page.close()


def test_voila_lists_every_calculator_page(browser, voila):
    port, token = voila
    page = browser.new_page()
    try:
        with servers.screenshot_on_failure(page, "voila-tree"):
            page.goto(page_url(port, token), timeout=WAIT_MS)
            for name in PAGES:
                page.get_by_text(f"{name}.ipynb").first.wait_for(timeout=15_000)
    finally:
        page.close()


def _notebook(path: Path) -> None:
    cell = {"cell_type": "code", "execution_count": None, "id": "calc", "metadata": {}, "outputs": [],
            "source": ["from course.widgets import supply_readiness\n", "supply_readiness(\"en\")"]}
    path.write_text(json.dumps({"cells": [cell], "metadata": {"kernelspec": {
        "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}))


def test_jupyterlab_notebook_runs_the_widget_and_it_reacts(browser, tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    _notebook(folder / "calc.ipynb")
    with servers.lab(tmp_path / "home", folder) as (port, token):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            with servers.screenshot_on_failure(page, "jupyterlab-supply"):
                page.goto(f"http://127.0.0.1:{port}/lab/tree/calc.ipynb?token={token}", timeout=WAIT_MS)
                page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=WAIT_MS)
                page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                                       " && window.jupyterapp.shell.currentWidget.sessionContext"
                                       " && window.jupyterapp.shell.currentWidget.sessionContext.session",
                                       timeout=WAIT_MS)
                page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
                page.wait_for_selector(".course-result table", timeout=WAIT_MS)
                assert "2018-11-23" in result_html(page)  # the default plan, from the calculator
                change(page, "daily_capacity_units", "fill", "40000")
                wait_for_text(page, ".course-result", _supply())
                change(page, "daily_capacity_units", "fill", "0")
                wait_for_text(page, ".course-error-daily_capacity_units",
                              "Production capacity: 0 is not accepted. Enter a value from 1 to 1,000,000,000.")
                assert page.locator(".course-result").inner_text().strip() == ""
                stderr = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                assert page.locator(stderr).count() == 0
        finally:
            page.close()

