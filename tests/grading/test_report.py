"""Pages made from the package's templates: the cohort report and the note of a submission that could not be graded.

The gradebook is made with nbgrader's own API (grading_fixtures.small_gradebook: no kernel runs),
with a trainee id that is HTML, so the tests see the template escape what trainees and rosters provide.
"""

from __future__ import annotations

import re

import pytest
from grading_fixtures import COURSE_ID, SMALL_MODULES, small_gradebook

from course.grading import report

M00, M01 = SMALL_MODULES


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("report-course")
    output = report.write_report(small_gradebook(folder), COURSE_ID, folder / "out" / "cohort.html")
    return output.read_text(encoding="utf-8")


def section(page: str, module: str) -> str:
    return page.split(f'<h2 id="{module}">')[1].split("<h2 ")[0]


def test_the_report_is_one_offline_page_with_two_charts_per_module(page):
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</body></html>")
    assert page.count('src="data:image/png;base64,') == 4
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert f'alt="Histogram of {M00} scores: number of trainees per points band, from 0 to 5"' in page
    assert f'alt="Bar chart of the average share of points per question of {M00}"' in page


def test_the_report_escapes_trainee_ids_and_keeps_its_figures(page):
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    m00 = section(page, M00)
    assert "<p>2 submission(s); median 3.25 of 5 points, mean 3.2.</p>" in m00
    assert "<tr><td>English (en)</td><td class=num>1</td></tr>" in m00
    assert "<tr><td>Bahasa Indonesia (id)</td><td class=num>1</td></tr>" in m00
    assert "<tr><td>graded outside course grade</td><td class=num>2</td></tr>" in m00
    assert "<tr><td>q1</td><td>autograded</td><td class=num>2</td><td class=num>50%</td>" \
           "<td class=num>1 of 2</td></tr>" in m00
    missing = m00.split("<h3>Not submitted (2)</h3><p>")[1].split("</p>")[0]
    assert missing == "&lt;b&gt;x&lt;/b&gt;, =2+3"
    m01 = section(page, M01)
    assert "<h3>Not submitted (3)</h3>" in m01 and "budi" in m01


def test_the_hardest_questions_come_first(page):
    hardest = page.split("hardest questions</h2>")[1].split("</table>")[0]
    names = re.findall(r"<tr><td>[^<]+</td><td>([^<]+)</td>", hardest)
    assert names[0] == "q1" and len(names) == 3, names


@pytest.mark.parametrize("edition", ["", "id"])
def test_the_note_of_an_ungradable_submission_is_in_both_languages_and_escapes_what_was_handed_in(edition):
    from course.grading.outcome import Status, SubmissionResult
    from course.grading.session import _note
    from course.grading.submissions import ModuleSpec

    spec = ModuleSpec(M00, {M00: ["q1", "q2"]}, 5.0)
    result = SubmissionResult(M00, "ana", Status.UNREADABLE, detail="'<img src=x>' is not a notebook", auto_max=5,
                              edition=edition)
    (name, body), = _note(spec, result).items()
    html = body.decode("utf-8")
    assert name == f"{M00}.html"
    assert "<img" not in html and html.count("&#39;&lt;img src=x&gt;&#39; is not a notebook") == 2
    english = html.index('<section lang="en">')
    indonesian = html.index('<section lang="id">')
    assert (indonesian < english) == (edition == "id"), "the submission's edition comes first"
    assert html.startswith(f'<!DOCTYPE html>\n<html lang="{edition or "en"}">')
    assert f"Score: 0 of 5 autograded points. Save the notebook from JupyterLab as {M00}.ipynb" in html
    assert f"Nilai: 0 dari 5 poin yang dinilai otomatis. Simpan notebook dari JupyterLab sebagai {M00}.ipynb" in html
