"""`course lab --lang id` from an Indonesian trainee's seat, in a real JupyterLab and a real Chromium.

The course is cloned as a trainee would have it; m01 of the Indonesian edition (exercises-id/),
answered with solutions-id/'s code as if typed, is put in the trainee's working copy my-work-id/;
`course lab --lang id` opens JupyterLab in Indonesian (its settings override picks the id_ID
language pack) with COURSE_LANG=id for kernels. The trainee runs all cells, picks "kurs saya
sendiri" in the GMV explorer (course.widgets.gmv_in_rupiah), types 2500 rupiah per yuan and reads
the re-computed result in Indonesian number format: dot thousands, comma decimals, "triliun".
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from trainee_kernel import answered_release

from tests.support.browser import ROOT, course_lab, missing_browser, screenshot_on_failure

pytestmark = [pytest.mark.slow, pytest.mark.external("chromium")]
MODULE = "m01-singles-day"
# Strings of the jupyterlab-language-pack-id-ID catalogue (jupyterlab.json) JupyterLab 4.6 shows in Indonesian:
# "Autosave Documents" and "Run All Cells" (the menu bar's own titles stay English in that pack).
AUTOSAVE_ID, RUN_ALL_ID = "Otosimpan dokumen", "Menjalakan Semua Sel"
# 2018's GMV, RMB 213.5 bn (datasets: singles_day_gmv), at the trainee's own 2 500 rupiah per yuan.
TYPED_RATE = "2500"
EXPECTED = ("× 2.500,0 =", "Rp 533,8 triliun", "24,0%", "Rp 2.220,7 triliun")
ENGLISH = re.compile(r"2,500\.0|533\.8|24\.0%|2,220\.7|trillion|billion")


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """The course as a trainee clones it: committed files only, in a folder of its own."""
    reason = missing_browser()
    if reason:
        print(f"browser tests skipped: {reason}")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("trainee-id") / "double-eleven"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(folder)], check=True)
    return folder


def test_indonesian_trainee_changes_a_widget_input_and_reads_indonesian_numbers(clone, browser, tmp_path):
    answered_release(MODULE, clone / "my-work-id", root=clone, lang="id")  # as if the trainee had typed it
    with course_lab(clone, tmp_path, "--lang", "id") as (port, token):  # the session's one Chromium drives it
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        try:
            with screenshot_on_failure(page, "trainee-lab-id-widget"):
                page.goto(f"http://127.0.0.1:{port}/lab/tree/{MODULE}/{MODULE}.ipynb?token={token}")
                page.get_by_role("menuitem", name="Settings", exact=True).wait_for(timeout=90_000)
                page.get_by_text("| Idle").wait_for(timeout=90_000)  # the kernel is ready
                page.get_by_role("menuitem", name="Settings", exact=True).click()
                settings = page.locator(".lm-Menu").first.inner_text()
                assert AUTOSAVE_ID in settings and "Autosave Documents" not in settings, settings
                page.keyboard.press("Escape")
                page.get_by_role("menuitem", name="Run", exact=True).click()
                page.get_by_role("menuitem", name=RUN_ALL_ID, exact=True).click()  # English would be "Run All Cells"
                explorer = page.locator(".widget-vbox").filter(has_text="Hari Belanja 11.11")
                explorer.wait_for(timeout=180_000)  # the widget cell ran, in a kernel with COURSE_LANG=id
                explorer.get_by_text("Rp 459,4 triliun").wait_for(timeout=30_000)  # the 2018 World Bank rate
                page.get_by_text("| Idle").wait_for(timeout=120_000)
                errors = page.locator('[data-mime-type="application/vnd.jupyter.error"]').count()
                assert errors == 0, f"{errors} cell(s) of the answered Indonesian {MODULE} raised an error"

                rate_source = explorer.locator(".widget-dropdown").filter(has=page.locator("label", has_text="Kurs"))
                rate_source.locator("select").select_option(label="kurs saya sendiri")
                rate = explorer.locator(".widget-text").filter(has=page.locator("label", has_text="Rupiah per yuan"))
                box = rate.locator("input")
                page.wait_for_function("box => !box.disabled", arg=box.element_handle(), timeout=30_000)
                box.fill(TYPED_RATE)
                box.press("Enter")
                explorer.get_by_text("Rp 533,8 triliun").wait_for(timeout=30_000)
                result = explorer.locator(".widget-html").filter(has_text="GMV 2018").inner_text()
                assert all(part in result for part in EXPECTED), result
                assert "yaitu" in result and not ENGLISH.search(result), result
        finally:
            page.close()
