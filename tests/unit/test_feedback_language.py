"""Feedback in the trainee's edition (course.grading.feedback), without a grading run.

HideAnswers takes the language from the notebook's ``metadata.course.edition`` (not the grader's
COURSE_LANG), puts back the read-only cells of that edition's release, never the trainee's own
cells, and still removes hidden tests and mark schemes from what it put back. tests/grading/
test_grade_cli.py checks the same through ``course grade``.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course.grading.feedback import HideAnswers, read_only_texts
from course.i18n import message, notebook_language
from tests.support.feedback_page import NBGRADER_WORDS, page_text, remote_loads

MODULE = "m99-demo"


def cell(kind: str, source: str, grade_id: str, **settings: object) -> nbformat.NotebookNode:
    made = new_code_cell(source) if kind == "code" else new_markdown_cell(source)
    made.metadata["nbgrader"] = {"grade_id": grade_id, "locked": False, "solution": False, "grade": False,
                                 "task": False, "schema_version": 3, **settings}
    return made


def graded_notebook(edition: str | None) -> nbformat.NotebookNode:
    """An autograded notebook as nbgrader leaves it: read-only cells restored from the English source."""
    test = cell("code", "checks.number('x', x)\n### BEGIN HIDDEN TESTS\nassert x == 42\n### END HIDDEN TESTS",
                "q1-test", locked=True, grade=True, points=1)
    test.outputs = [new_output("error", ename="AssertionError", evalue="", traceback=["assert x == 42"])]
    notebook = new_notebook(cells=[
        cell("markdown", "### Q1 (1 point)\nStore the answer in `x`.", "q1-text", locked=True),
        cell("code", "x = 41", "q1-answer", solution=True),
        test,
        cell("markdown", "### Q2 (2 points, written)\nWhy?\n=== BEGIN MARK SCHEME ===\nSay 42.\n"
                         "=== END MARK SCHEME ===", "q2-task", locked=True, task=True, points=2),
    ])
    if edition:
        notebook.metadata["course"] = {"edition": edition}
    return notebook


def hide(notebook: nbformat.NotebookNode, editions: dict) -> nbformat.NotebookNode:
    done, _ = HideAnswers(editions=editions).preprocess(notebook, {"nbgrader": {"notebook": MODULE}})
    return done


def test_the_notebook_edition_decides_the_language():
    assert notebook_language({"course": {"edition": "id"}}) == "id"
    assert notebook_language({}) == "en"
    assert notebook_language({"course": {"edition": "xx"}}) == "en", "a mark that is no language: English"
    assert notebook_language({"course": "id"}) == "en"


def test_an_indonesian_notebook_gets_its_release_text_and_indonesian_reasons(monkeypatch):
    monkeypatch.setenv("COURSE_LANG", "en")  # the grader's language does not count
    texts = {"id": {MODULE: {"q1-text": "### Q1 (1 poin)\nSimpan jawabannya dalam `x`.",
                             "q1-answer": "x = 'the release placeholder'",
                             # a release holds none, but one that did would still be removed after the swap
                             "q1-test": "checks.number('x', x)  # pemeriksaan\n### BEGIN HIDDEN TESTS\n"
                                        "assert x == 42\n### END HIDDEN TESTS",
                             "q2-task": "### Q2 (2 poin, tertulis)\nMengapa?\n=== BEGIN MARK SCHEME ===\n"
                                        "Sebut 42.\n=== END MARK SCHEME ==="}}}
    done = hide(graded_notebook("id"), texts)
    sources = [c.source for c in done.cells]
    assert sources[0] == "### Q1 (1 poin)\nSimpan jawabannya dalam `x`."
    assert sources[1] == "x = 41", "the trainee's own answer is never replaced"
    assert sources[2] == "checks.number('x', x)  # pemeriksaan"
    assert sources[3] == "### Q2 (2 poin, tertulis)\nMengapa?"
    assert done.cells[2].outputs[0]["text"].strip() == message("feedback.hidden_test_failed", lang="id")
    assert "42" not in json.dumps([c.source for c in done.cells]) + json.dumps(done.cells[2].outputs)


def test_an_english_notebook_stays_as_nbgrader_made_it(monkeypatch):
    monkeypatch.setenv("COURSE_LANG", "id")  # an Indonesian grader: the English trainee still reads English
    texts = {"id": {MODULE: {"q1-text": "### Q1 (1 poin)"}}}
    done = hide(graded_notebook(None), texts)
    assert done.cells[0].source == "### Q1 (1 point)\nStore the answer in `x`."
    assert done.cells[2].source == "checks.number('x', x)"
    assert done.cells[3].source == "### Q2 (2 points, written)\nWhy?"
    assert done.cells[2].outputs[0]["text"].strip() == message("feedback.hidden_test_failed", lang="en")


def test_read_only_texts_takes_the_read_only_cells_of_each_release_without_secrets(tmp_path: Path):
    release = graded_notebook("id")
    (tmp_path / "exercises-id" / MODULE).mkdir(parents=True)
    nbformat.write(release, tmp_path / "exercises-id" / MODULE / f"{MODULE}.ipynb")
    texts = read_only_texts({"id": tmp_path / "exercises-id", "xx": tmp_path / "nowhere"}, MODULE, [MODULE])
    assert texts == {"id": {MODULE: {"q1-text": "### Q1 (1 point)\nStore the answer in `x`.",
                                     "q1-test": "checks.number('x', x)",
                                     "q2-task": "### Q2 (2 points, written)\nWhy?"}}}


def test_the_grading_kernel_speaks_the_notebooks_language_and_gets_no_notebook_path(monkeypatch):
    """COURSE_LANG from the graded notebook's edition; a grader run from a notebook passes on no JPY_SESSION_NAME
    (course.i18n would read that notebook's edition before COURSE_LANG)."""
    from course.grading.execute import GuardedExecute

    monkeypatch.setenv("JPY_SESSION_NAME", "/somewhere/instructors-notebook.ipynb")
    monkeypatch.setenv("COURSE_LANG", "en")
    for edition, expected in ((None, "en"), ("id", "id")):
        execute = GuardedExecute()
        execute.nb = graded_notebook(edition)
        env = execute.kernel_env()
        assert env["COURSE_LANG"] == expected and "JPY_SESSION_NAME" not in env


def page_notebook(edition: str | None) -> nbformat.NotebookNode:
    """An autograded notebook after nbgrader's GetGrades (points, score and comment of every graded cell), with
    every kind of graded cell the template names, and the prompts of code cells that ran."""
    answer = cell("code", "x = 41\nx", "q1-answer", solution=True, grade=True, points=2)
    answer.execution_count = 3
    answer.outputs = [new_output("execute_result", data={"text/plain": "41"}, execution_count=3)]
    plain = new_code_cell("import math", execution_count=1)
    notebook = graded_notebook(edition)
    notebook.cells[1:2] = [answer, cell("code", "y = 1", "q1-helper", solution=True), plain]
    notebook.cells.append(cell("markdown", "Because 42.", "q3-written", solution=True, grade=True, points=1))
    scores = {"q1-answer": (1.5, "Close: see the units."), "q1-test": (0, ""), "q2-task": (2, "Well argued."),
              "q3-written": (1 / 3, "")}
    for graded in notebook.cells:
        settings = graded.metadata.get("nbgrader", {})
        if settings.get("grade_id") in scores:
            settings["score"], settings["comment"] = scores[settings["grade_id"]]
    return notebook


def feedback_html(notebook: nbformat.NotebookNode, course_template: bool = True) -> str:
    """The page nbgrader's GenerateFeedback makes with the course's nbgrader_config.py (``course_template=False``:
    with nbgrader's own feedback template, all else alike)."""
    from nbconvert import HTMLExporter
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(Path(__file__).resolve().parents[2])).load_config()
    if not course_template:
        del config.GenerateFeedback["HTMLExporter"]
    generate = GenerateFeedback(coursedir=CourseDirectory(config=config), config=config)
    exporter = HTMLExporter(parent=generate, config=generate.config)  # as nbgrader's converter makes it
    exporter.register_preprocessor(HideAnswers(parent=generate), enabled=True)
    resources = {"nbgrader": {"notebook": MODULE, "score": 4.83333, "max_score": 6, "late_penalty": 0.5}}
    page, _ = exporter.from_notebook_node(notebook, resources=resources)
    return page


def test_the_english_feedback_page_reads_as_nbgrader_writes_it(monkeypatch):
    import copy
    import re

    monkeypatch.setenv("COURSE_LANG", "id")  # the grader's language does not count
    notebook = page_notebook(None)
    course, nbgrader = feedback_html(copy.deepcopy(notebook)), feedback_html(notebook, course_template=False)
    assert page_text(course) == page_text(nbgrader)
    assert re.findall(r"<[^>]+>", course) == re.findall(r"<[^>]+>", nbgrader), "the same markup"
    assert [word for word in NBGRADER_WORDS if word not in page_text(course)] == []
    assert f"{MODULE} (Score: 4.83 / 6.0)" in page_text(course)


def test_the_indonesian_feedback_page_has_no_english_word_of_its_own(monkeypatch):
    monkeypatch.setenv("COURSE_LANG", "en")
    made = feedback_html(page_notebook("id"))
    assert remote_loads(made) == [], "the page fetches nothing"
    page = page_text(made)
    assert [word for word in NBGRADER_WORDS if word in page] == []
    for expected in (f"{MODULE} (Nilai: 4,83 / 6,0)", "Sel tes (Nilai: 0,0 / 1,0)", "Jawaban Anda Nilai: 1,5 / 2,0",
                     "Jawaban bebas berupa kode (Nilai: 1,5 / 2,0)", "Jawaban tertulis (Nilai: 0,33 / 1,0)",
                     "Tugas (Nilai: 2,0 / 2,0)", "Tugas Anda Nilai: 2,0 / 2,0 (Ke atas)", "Sel penilaian: q1-test",
                     "Komentar: Close: see the units.", "Potongan nilai karena terlambat mengumpulkan (Nilai: -0,5)",
                     "Masukan [3]:", "Hasil[3]: 41", "Masukan [1]: import math"):
        assert expected in page, expected


def test_points_are_written_as_nbgrader_does_in_english_and_the_indonesian_way_in_indonesian():
    from course.grading.feedback import points

    assert [points(v) for v in (1, 0.5, 1 / 3, "2", None, "x", -0.5)] == ["1.0", "0.5", "0.33", "2.0", "0.0", "0.0",
                                                                         "-0.5"]
    assert [points(v, "id") for v in (1, 0.5, 1 / 3, 1234.5, None)] == ["1,0", "0,5", "0,33", "1234,5", "0,0"]


def test_remote_loads_finds_what_a_browser_would_fetch():
    assert remote_loads('<script type="text/javascript" src="https://cdn.jsdelivr.net/mathjax.js"></script>')
    assert remote_loads("<link rel=stylesheet href=//fonts.example.org/a.css>")
    assert remote_loads("<style>@import 'https://x.org/a.css'; body { background: url(http://x.org/a.png) }</style>")
    assert remote_loads('<a href="https://www.bps.go.id/">BPS</a> <img src="data:image/png;base64,AAAA">') == []


def test_the_course_template_is_for_feedback_only():
    """formgrader renders submissions with its own HTMLExporter ('formgrade' template) from the same config file:
    the course's feedback template and filter must not reach it."""
    from nbconvert import HTMLExporter
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(Path(__file__).resolve().parents[2])).load_config()
    exporter = HTMLExporter(config=config)
    assert exporter.template_file == "index.html.j2" and "points" not in exporter.filters
