"""Calculator latency: recompute time of each calculator, and the widget round trip in a real browser.

    python -m benchmarks.calculators [--changes 20] [--no-browser] [--cold-start]   (from the checkout's root)

1. Recompute: building the inputs (with their validation) and running each calculator, median of
   many runs, in µs (target < 1 ms). Also the whole form update in Python (result HTML and the
   SVG picture), in ms.
2. Round trip: the supply calculator in Chromium (Debian's, via Playwright), in Voila (`course
   apps`) and in JupyterLab: the page changes an input (as typing and pressing Enter does, a
   'change' event) and times, with performance.now(), until the result HTML has changed and until
   the picture has changed. Median over ``--changes`` changes (target for the result < 150 ms).
3. Cold start (``--cold-start``): `course apps`'s Voila server started from nothing, without and
   with preheated kernels; the time from launching it until the first calculator page is usable in
   Chromium (its result table drawn), then the next page (another calculator) and the same page
   again. Each configuration is started once (it is slow).
A figure table is printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

_HOME = Path(tempfile.mkdtemp(prefix="course-bench-"))
for _name in ("HOME", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "MPLCONFIGDIR", "IPYTHONDIR"):
    os.environ[_name] = str(_HOME / _name.lower())
    os.makedirs(os.environ[_name], exist_ok=True)

RESULT_TARGET_US, ROUND_TRIP_TARGET_MS = 1000, 150

MEASURE_JS = """async ([field, value]) => {
  const input = document.querySelector(`.course-input-${field} input`);
  const result = document.querySelector('.course-result');
  const picture = document.querySelector('.course-picture');
  const before = result.innerHTML, pictureBefore = picture.innerHTML;
  return await new Promise((resolve) => {
    let tResult = null, tPicture = null;
    const t0 = performance.now();
    const check = () => {
      if (tResult === null && result.innerHTML !== before) tResult = performance.now() - t0;
      if (tPicture === null && picture.innerHTML !== pictureBefore) tPicture = performance.now() - t0;
      if (tResult !== null && tPicture !== null) { observer.disconnect(); resolve([tResult, tPicture]); }
    };
    const observer = new MutationObserver(check);
    for (const node of [result, picture]) observer.observe(node, {subtree: true, childList: true, characterData: true});
    input.value = value;
    input.dispatchEvent(new Event('change', {bubbles: true}));
    setTimeout(() => { observer.disconnect(); resolve([tResult, tPicture]); }, 5000);
  });
}"""


def median_us(fn: Callable[[], object], runs: int = 2000) -> float:
    """Median time of one call, in microseconds (calls timed in batches of 10)."""
    samples = []
    for _ in range(runs // 10):
        start = time.perf_counter()
        for _ in range(10):
            fn()
        samples.append((time.perf_counter() - start) / 10 * 1e6)
    return statistics.median(samples)


def recompute_table() -> list[tuple[str, float, float]]:
    """(calculator, median µs of inputs + compute, median ms of the whole form update)."""
    from course.calculators import country_readiness, landed_cost, peak_day, scorecard, supply
    from course.widgets import country_readiness as country_w
    from course.widgets import export_scorecard, supply_readiness
    from course.widgets import landed_cost as landed_w
    from course.widgets import peak_day as peak_w

    peak_module = importlib.import_module("course.widgets.peak_day")
    orders = peak_module.build(**peak_module.DEFAULTS).orders_per_minute
    cases = [
        ("supply", lambda: supply.compute(supply.SupplyInputs()), supply_readiness, "units_in_stock",
         lambda k: 10_000 * k),
        ("landed_cost", lambda: landed_cost.compute(landed_cost.LandedCostInputs(freight_idr_per_shipment=2e7)),
         landed_w, "ex_factory_cost_idr_per_unit", lambda k: 10_000.0 + 100 * k),
        ("scorecard", lambda: scorecard.compute(scorecard.ScorecardInputs(units_in_stock=250_000)),
         export_scorecard, "units_in_stock", lambda k: 10_000 * k),
        ("peak_day (1,440 minutes)", lambda: peak_day.compute(peak_day.PeakDayInputs(orders)), peak_w,
         "stock_units", lambda k: 20_000 + 1_000 * k),
        ("country_readiness", lambda: country_readiness.compute(country_readiness.Components(50, 40, 55, 45)),
         country_w, "internet_users_pct", lambda k: 40.0 + k),
    ]
    rows = []
    for name, run, make, field, value in cases:
        micro = median_us(run, 200 if name.startswith("peak") else 2000)
        form = make("en")
        samples = []
        for k in range(1, 21):
            start = time.perf_counter()
            form.set(**{field: value(k)})
            samples.append((time.perf_counter() - start) * 1000)
        assert form.last_result is not None, f"{name}: the benchmark's input was rejected"
        rows.append((name, micro, statistics.median(samples)))
    return rows


def round_trips(page, changes: int) -> tuple[float, float]:
    """Median ms until the result and until the picture changed, over ``changes`` input changes."""
    results, pictures = [], []
    for k in range(1, changes + 1):
        t_result, t_picture = page.evaluate(MEASURE_JS, ["units_in_stock", str(10_000 * k)])
        if t_result is None or t_picture is None:
            raise RuntimeError(f"change {k}: the page did not update within 5 s")
        results.append(t_result)
        pictures.append(t_picture)
        page.wait_for_timeout(100)  # let the page settle between changes
    return statistics.median(results), statistics.median(pictures)


def browser_table(changes: int) -> list[tuple[str, float, float]]:
    """(where, median ms to the result, median ms to the picture) in Voila and in JupyterLab."""
    from course.apps_cli import page_url
    from tests.support import browser as servers

    rows = []
    with servers.chromium() as browser:
        with servers.voila(_HOME / "voila") as (port, token):
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            page.goto(page_url(port, token, "supply"), timeout=60_000)
            page.wait_for_selector(".course-result table", timeout=60_000)
            round_trips(page, 3)  # warm up
            rows.append(("Voila (course apps)", *round_trips(page, changes)))
        folder = _HOME / "notebooks"
        folder.mkdir()
        cell = {"cell_type": "code", "execution_count": None, "id": "calc", "metadata": {}, "outputs": [],
                "source": ["from course.widgets import supply_readiness\n", "supply_readiness('en')"]}
        (folder / "calc.ipynb").write_text(json.dumps({"cells": [cell], "metadata": {"kernelspec": {
            "name": "python3", "display_name": "Python 3", "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}))
        with servers.lab(_HOME / "lab", folder) as (port, token):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/lab/tree/calc.ipynb?token={token}", timeout=60_000)
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                                   " && window.jupyterapp.shell.currentWidget.sessionContext.session",
                                   timeout=60_000)
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_selector(".course-result table", timeout=60_000)
            round_trips(page, 3)
            rows.append(("JupyterLab notebook", *round_trips(page, changes)))
    return rows


def cold_start_table() -> list[tuple[str, float, float, float, float]]:
    """(configuration, s until the server answers, s until the first page is usable, s for a second
    page, s for the first page again), from launching Voila, without and with preheated kernels."""
    from course.apps_cli import page_url
    from tests.support import browser as servers

    def usable(page, url: str) -> float:
        start = time.monotonic()
        page.goto(url, timeout=180_000)
        page.wait_for_selector(".course-result table", timeout=180_000)
        return time.monotonic() - start

    rows = []
    with servers.chromium() as browser:
        for preheat in (False, True):
            home = _HOME / f"cold-{preheat}"
            start = time.monotonic()
            with servers.voila(home, preheat=preheat) as (port, token):
                answered = time.monotonic() - start
                page = browser.new_page(viewport={"width": 390, "height": 844})
                usable(page, page_url(port, token, "supply"))
                total = time.monotonic() - start
                page.wait_for_timeout(5_000)  # a person reads the page; the pool refills meanwhile
                second = usable(page, page_url(port, token, "peak_day"))
                again = usable(page, page_url(port, token, "supply"))
                page.close()
            rows.append(("preheated kernels" if preheat else "kernel started per page", answered, total - answered,
                         second, again))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--changes", type=int, default=20, help="input changes per browser measurement")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser round trips")
    parser.add_argument("--cold-start", action="store_true",
                        help="only the cold start of `course apps` (without and with preheated kernels)")
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    if args.cold_start:
        from tests.support import browser as servers

        reason = servers.missing_browser()
        if reason:
            print(f"cold start not measured: {reason}")
            return 0
        print("course apps from launch, Chromium at 390 x 844 (s)")
        print(f"{'configuration':26} {'server up':>10} {'+ 1st page':>11} {'2nd page':>9} {'1st again':>10}")
        for name, answered, first, second, again in cold_start_table():
            print(f"{name:26} {answered:10.1f} {first:11.1f} {second:9.1f} {again:10.1f}")
        print("  (server up = launch until Voila answers; + 1st page = then until the supply page's result is\n"
              "   drawn; 2nd page = peak_day, 5 s later; 1st again = supply once more)")
        return 0
    print(f"{'calculator':28} {'recompute µs':>13} {'target':>8} {'form update ms':>15}")
    for name, micro, form_ms in recompute_table():
        verdict = "ok" if micro < RESULT_TARGET_US else "SLOW"
        print(f"{name:28} {micro:13.1f} {verdict:>8} {form_ms:15.1f}")
    print("  (recompute = build the validated inputs + run the calculator; form update = the same, the result\n"
          "   HTML and the SVG picture, in Python, median of 20 changes)\n")
    if args.no_browser:
        return 0
    from tests.support import browser as servers

    reason = servers.missing_browser()
    if reason:
        print(f"browser round trip not measured: {reason}")
        return 0
    print(f"supply calculator in Chromium, median of {args.changes} changes")
    print(f"{'where':24} {'result ms':>10} {'target':>8} {'picture ms':>11}")
    for where, to_result, to_picture in browser_table(args.changes):
        verdict = "ok" if to_result < ROUND_TRIP_TARGET_MS else "SLOW"
        print(f"{where:24} {to_result:10.1f} {verdict:>8} {to_picture:11.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
