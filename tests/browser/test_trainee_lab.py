"""`make lab` from the trainee's seat, in a real JupyterLab and a real Chromium.

The course is cloned as a trainee would have it; a correctly answered m00 is put in the
trainee's working copy as if typed; `course lab` (what `make lab` runs) opens JupyterLab;
the trainee runs the notebook, presses Validate and reads the dialog. The instructor menus are
not there, the answers survive a second `course lab`, the clone stays clean for git, and
`course verify` still passes on it. An Indonesian notebook validated in that English lab gets its
check's message in Indonesian.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from trainee_kernel import answer_code, answered_release, is_answer, solution_cells

from tests.support.browser import ROOT, course_lab, isolated_env, missing_browser, screenshot_on_failure

pytestmark = [pytest.mark.slow, pytest.mark.external("chromium")]
MODULE = "m00-orientation"


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """The course as a trainee clones it: committed files only, in a folder of its own."""
    reason = missing_browser()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("trainee") / "double-eleven"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(folder)], check=True)
    return folder


def test_trainee_validates_in_make_labs_jupyterlab_and_leaves_the_course_clean(clone, browser, tmp_path):
    notebook = answered_release(MODULE, clone / "my-work", root=clone)  # as if the trainee had typed the answers
    typed = [answer_code(cell).strip() for cell in solution_cells(MODULE) if is_answer(cell)]
    with course_lab(clone, tmp_path) as (port, token):  # the session's one Chromium (conftest.py) drives it
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        try:
            with screenshot_on_failure(page, "trainee-lab-validate"):
                page.goto(f"http://127.0.0.1:{port}/lab/tree/{MODULE}/{MODULE}.ipynb?token={token}")
                page.get_by_role("menuitem", name="Run").wait_for(timeout=90_000)
                menus = page.locator("#jp-MenuBar, .lm-MenuBar").first.inner_text()
                assert "Nbgrader" not in menus and "Formgrader" not in menus, menus
                page.get_by_text("| Idle").wait_for(timeout=90_000)  # the kernel is ready
                page.get_by_role("menuitem", name="Run").click()
                page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
                page.get_by_text("| Idle").wait_for(timeout=120_000)
                page.get_by_role("button", name="Validate").click()
                dialog = page.locator(".jp-Dialog")
                dialog.wait_for(timeout=180_000)
                dialog.get_by_text("Success!").wait_for(timeout=180_000)
                text = dialog.inner_text()
                assert "passes all the tests" in text, text
                page.keyboard.press("Escape")
        finally:
            page.close()
    kept = notebook.read_text()
    assert all(json_string(answer) in kept for answer in typed), "course lab overwrote the trainee's answers"
    status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True, check=True)
    assert status.stdout == "", f"working in the course changed tracked files:\n{status.stdout}"
    verify = subprocess.run([sys.executable, "-m", "course", "verify"], cwd=clone, capture_output=True, text=True,
                            env=isolated_env(tmp_path / "home"))
    assert verify.returncode == 0, verify.stdout[-2000:] + verify.stderr[-2000:]


def test_validate_in_an_english_lab_speaks_the_indonesian_notebooks_language(clone, browser, tmp_path):
    """`course lab` in English (no COURSE_LANG); the trainee opens an Indonesian m00 whose Q2 has a slip and
    presses Validate: the dialog names the failing check in Indonesian."""
    import nbformat

    from course.i18n import message

    notebook = answered_release(MODULE, clone / "my-work" / "indonesian", root=clone, lang="id")
    release = nbformat.read(notebook, as_version=4)
    for cell in release.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "m00-q2-enough":
            cell.source = "stock_is_enough = papatonk_stock > units_required\n"  # "at least" typed as ">"
    nbformat.write(release, notebook)
    with course_lab(clone, tmp_path) as (port, token):
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        try:
            with screenshot_on_failure(page, "trainee-lab-validate-id"):
                page.goto(f"http://127.0.0.1:{port}/lab/tree/indonesian/{MODULE}/{MODULE}.ipynb?token={token}")
                page.get_by_role("button", name="Validate").wait_for(timeout=90_000)
                page.get_by_role("button", name="Validate").click()
                dialog = page.locator(".jp-Dialog")
                dialog.get_by_text("The following cell failed").first.wait_for(timeout=180_000)
                text = " ".join(dialog.inner_text().split())
                assert message("check.failed_prefix", lang="id") in text, text
                assert message("check.failed_prefix", lang="en") not in text, text
                page.keyboard.press("Escape")
        finally:
            page.close()


def json_string(text: str) -> str:
    """How a line of ``text`` appears inside a notebook file (its first line, JSON-escaped)."""
    import json

    return json.dumps(text.splitlines()[0])[1:-1]
