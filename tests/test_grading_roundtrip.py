"""Real nbgrader, every module: the solution scores full marks, the untouched release scores zero.

Each module is released with nbgrader into a throw-away course, three trainees submit (one
hands in the instructors' solution, one the release as it came, one the solution with the
typical slips of tests/trainee/slip_corpus typed in), nbgrader autogrades them, the gradebook
is read back cell by cell, and each trainee's feedback is generated and read as a trainee
would: their points per question, and never a hidden test, an expected value or a mark scheme.
"""

import html
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from slip_corpus import slips

from course.build import generate
from course.nbgrader_api import api, load_config, modules

ROOT = Path(__file__).resolve().parent.parent
MODULES = modules(ROOT)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    """Autograde 'full' (solution) and 'untouched' (release) for every module; return the gradebook rows."""
    from nbgrader.api import Gradebook

    course = tmp_path_factory.mktemp("roundtrip")
    shutil.copy2(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions", course / "solutions")
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    generate(course, db_url=db_url)
    grader = api(course, load_config(course, db_url=db_url))
    results, logs, feedback = {}, {}, {}
    for module in MODULES:
        notebook = f"{module}.ipynb"
        for student, source in (("full", course / "solutions"), ("untouched", course / "exercises"),
                                ("slipped", course / "solutions")):
            target = course / "submitted" / student / module
            target.mkdir(parents=True)
            shutil.copy2(source / module / notebook, target / notebook)
            if student == "slipped":
                type_slips(target / notebook, module)
            logs[module, student] = grader.autograde(module, student)
            made = grader.generate_feedback(module, student)
            assert made["success"], made.get("error", "") + made.get("log", "")
            feedback[module, student] = (course / "feedback" / student / module / f"{module}.html").read_text()
    with Gradebook(db_url) as gradebook:
        for module in MODULES:
            for student in ("full", "untouched", "slipped"):
                submission = gradebook.find_submission_notebook(module, module, student)
                results[module, student] = {
                    grade.name: (grade.cell_type, grade.auto_score, grade.max_score, grade.needs_manual_grade)
                    for grade in submission.grades}
    return {"results": results, "logs": logs, "feedback": feedback}


def type_slips(path: Path, module: str) -> None:
    """Replace each answer cell that has a typical slip by the first slip for it."""
    first = {}
    for slip in slips(module):
        first.setdefault(slip.question, slip.code)
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in first and cell.metadata["nbgrader"].get("solution"):
            cell.source = first[grade_id].strip()
    nbformat.write(notebook, path)


def secret_lines(module: str) -> list[str]:
    """The hidden-test and mark-scheme lines of a module's source that say something (not bare syntax)."""
    source = nbformat.read(ROOT / "solutions" / module / f"{module}.ipynb", as_version=4)
    found = []
    for cell in source.cells:
        for region in re.findall(r"BEGIN (?:HIDDEN TESTS|MARK SCHEME)(.*?)END (?:HIDDEN TESTS|MARK SCHEME)",
                                 cell.source, re.S):
            found += [line.strip() for line in region.splitlines()[1:-1] if len(line.strip()) >= 12]
    return found


def page_text(page: str) -> str:
    """The feedback page as a trainee reads it: tags removed, entities decoded, white space folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.parametrize("module", MODULES)
def test_neither_submission_crashes_the_grader(graded, module):
    for student in ("full", "untouched"):
        outcome = graded["logs"][module, student]
        assert outcome["success"], outcome.get("error", "") + outcome.get("log", "")


@pytest.mark.parametrize("module", MODULES)
def test_solution_earns_every_autograded_point(graded, module):
    grades = graded["results"][module, "full"]
    code = {name: row for name, row in grades.items() if row[0] == "code"}
    assert len(code) >= (4 if module.startswith("m00") else 5), f"{module} has too few autograded questions"
    for name, (_, auto, maximum, _) in code.items():
        assert auto == maximum > 0, f"{module} {name}: solution scored {auto} of {maximum}"


@pytest.mark.parametrize("module", MODULES)
def test_untouched_release_scores_zero(graded, module):
    grades = graded["results"][module, "untouched"]
    assert grades
    for name, (cell_type, auto, _maximum, _) in grades.items():
        if cell_type == "code":
            assert auto == 0, f"{module} {name}: the untouched release scored {auto}"


@pytest.mark.parametrize("module", MODULES)
def test_written_answers_wait_for_a_person(graded, module):
    """Every module has at least one manually graded written task; autograding leaves it to the grader."""
    written = {name: row for name, row in graded["results"][module, "full"].items() if row[0] == "markdown"}
    assert written, f"{module} has no manually graded answer"
    for name, (_, auto, maximum, needs_manual) in written.items():
        assert maximum > 0 and needs_manual and auto is None, f"{module} {name}"


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("student", ["full", "untouched", "slipped"])
def test_feedback_holds_no_hidden_test_expected_value_or_mark_scheme(graded, module, student):
    page = graded["feedback"][module, student]
    text = page_text(page)
    secrets = secret_lines(module)
    assert secrets, f"{module} has no hidden tests or mark scheme to look for"
    leaked = [line for line in secrets if " ".join(html.unescape(line).split()) in text]
    assert not leaked, f"{module} feedback for {student} shows: {leaked[:3]}"
    for marker in ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "BEGIN MARK SCHEME", "END MARK SCHEME"):
        assert marker not in text, f"{module} feedback for {student} shows {marker!r}"


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("student", ["full", "untouched", "slipped"])
def test_feedback_gives_points_per_question(graded, module, student):
    page = graded["feedback"][module, student]
    for name in graded["results"][module, student]:
        assert f'href="#{name}"' in page, f"{module} feedback for {student} has no entry for {name}"
    assert len(re.findall(r"\(Score: [0-9.]+ / [0-9.]+\)", page)) >= len(graded["results"][module, student]) + 1


@pytest.mark.parametrize("module", MODULES)
def test_feedback_fetches_nothing_from_the_internet(graded, module):
    page = graded["feedback"][module, "slipped"]
    # links to sources are fine (a trainee follows them by choice); nothing may be loaded from elsewhere
    loads = (r"""<(?:script|img|iframe|video|audio|source)\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//"""
             r"""|<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//"""
             r"""|@import\s+(?:url\()?["']?(?:https?:)?//""")
    assert not re.search(loads, page), "the page loads something from another machine"


@pytest.mark.parametrize("module", [m for m in MODULES if slips(m)])
def test_slipped_answers_lose_points_and_their_feedback_says_why_in_one_line(graded, module):
    full = graded["results"][module, "full"]
    slipped = graded["results"][module, "slipped"]
    lost = [name for name, row in slipped.items() if row[0] == "code" and (row[1] or 0) < full[name][1]]
    assert lost, f"{module}: no slip cost a point"
    text = page_text(graded["feedback"][module, "slipped"])
    assert "✗ Not yet:" in text
