"""`course grade`, `course export` and `course report` from the command line, on a small SQLite cohort.

One course, graded by the real command: the summary table, the progress lines, the
recorded statuses; a second run leaves the gradebook exactly as it was; ``--student``
regrades one trainee and nobody else; a roster id that names a path (``../solutions``)
is refused with exit status 1 and touches nothing; then the CSV export (a roster id like
``=2+3`` is not a formula there) and the cohort report. A password on the command line
is refused before anything runs.

The cohort is mixed: ``full-id`` hands in the Indonesian edition's solution of m00 (solutions-id/,
marked ``metadata.course.edition = "id"``); it earns the same points as ``full``, the English one, and
the export and the report say which edition each trainee submitted. ``slipped-id`` hands in the
Indonesian release with slips (a visible check fails, a hidden test fails, a test stops on a
NameError); graded by an English grader (``COURSE_LANG=en``), its feedback is all in Indonesian:
the question texts, the checks' messages, the one-line reasons and the page's own words (nbgrader's
"Student's answer", "Score", "Test cell", ... and the cells' prompts).
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from grading_fixtures import COURSE_ID, course_copy
from hostile_corpus import M00, Kind, build, edited, kinds, write
from trainee_kernel import answered_release

from course.grading import gradebook
from course.i18n import message
from tests.support.feedback_page import NBGRADER_WORDS, page_text, remote_loads

ROOT_COURSE = Path(__file__).resolve().parents[2]

COHORT = {kind.student: kind for kind in kinds(include_attack=False)
          if kind.student in {"full", "untouched", "os-exit", "not-submitted"}}
COHORT["too-new"] = Kind(
    "too-new", M00, 6, "graded",
    edited(M00, lambda nb: nb["cells"][0]["metadata"]["nbgrader"].update(schema_version=99)),
    "a locked cell claims a newer nbgrader metadata format: its settings are restored from the release, graded")


def indonesian_answers(course: Path, target: Path, slips: dict[str, str] | None = None) -> None:
    """The Indonesian release (exercises-id/), each answer holding the solution's code (or the slip given
    for its grade id), as a trainee hands it in."""
    import tempfile

    import nbformat

    with tempfile.TemporaryDirectory(prefix="course-id-work-") as folder:
        notebook = nbformat.read(answered_release(M00, Path(folder), lang="id"), as_version=4)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in (slips or {}):
            cell.source = slips[grade_id]
    write(target, M00, nbformat.writes(notebook))


# Q1 right (1 point); Q2's comparison turned strict (a visible check fails), Q3 a typed wrong count (the visible
# checks pass, a hidden test fails), Q4 a name that does not exist (the test cell stops on a NameError)
SLIPS = {"m00-q2-enough": "stock_is_enough = papatonk_stock > units_required\n",
         "m00-q3-count": "n_products = 4\n",
         "m00-q4-hs": "coffee_hs = kapal_api_heading\n"}
COHORT["full-id"] = Kind("full-id", M00, 6, "graded", indonesian_answers,
                         "the Indonesian release answered: graded with the same hidden tests as the English one")
COHORT["slipped-id"] = Kind("slipped-id", M00, 1, "graded", lambda course, target: indonesian_answers(
    course, target, SLIPS), "the Indonesian release with slips: feedback in Indonesian, Q1's point only")
ROSTER_ONLY = ["../solutions", "=2+3"]


def course_command(*args: str, cwd: Path, lang: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COURSE_LANG": lang} if lang else None  # lang: the instructor's own language
    return subprocess.run([sys.executable, "-m", "course", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, check=False, env=env)


def dump(db_url: str) -> dict:
    """Every row of nbgrader's grade tables and of the status table (what 'the same gradebook' means)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    tables = ["student", "submitted_assignment", "submitted_notebook", "grade", "comment",
              gradebook.STATUS_TABLE, gradebook.EDITION_TABLE]
    with engine.connect() as connection:
        found = {table: sorted(tuple(map(str, row)) for row in connection.execute(text(f"SELECT * FROM {table}")))
                 for table in tables}
    engine.dispose()
    return found


def submit_to_exchange(course: Path, student: str) -> None:
    """Hand in the solution through nbgrader's exchange, as `nbgrader submit` leaves it for `collect`."""
    exchange = course / "exchange"
    inbound = exchange / COURSE_ID / "inbound" / f"{student}+{M00}+2018-11-11 00:00:00.000000 UTC+x1"
    inbound.mkdir(parents=True)
    (inbound / f"{M00}.ipynb").write_text((course / "solutions" / M00 / f"{M00}.ipynb").read_text())
    (inbound / "timestamp.txt").write_text("2018-11-11 00:00:00.000000 UTC")
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")


@pytest.fixture(scope="module")
def graded(released_course):
    """The cohort graded once by `course grade m00-orientation --collect` (one trainee came by the exchange)."""
    course, db_url, clean = course_copy(released_course, "sqlite")
    # the Indonesian release beside the English one, as in the course: its cells are translations, not edits
    shutil.copytree(ROOT_COURSE / "exercises-id" / M00, course / "exercises-id" / M00)
    build(course, list(COHORT.values()), db_url)
    from nbgrader.api import Gradebook

    with Gradebook(db_url, COURSE_ID) as book:
        for student in ROSTER_ONLY:
            book.update_or_create_student(student, first_name="Roster", last_name="Only")
    submit_to_exchange(course, "via-exchange")
    # the course's own cell timeout (60 s): no case here is about timeouts, and on a loaded machine a 10 s
    # limit can time out ordinary cells of a cold kernel (timeouts are tested in tests/grading/test_hostile_corpus.py)
    first = course_command("grade", M00, "--collect", "--jobs", "2", "--timeout", "60", "--memory", "1024",
                           cwd=course, lang="en")  # an English grader: the trainee's edition decides the feedback's
    yield {"course": course, "db_url": db_url, "first": first, "dump": dump(db_url)}
    clean()


def test_grade_prints_one_row_per_trainee_and_exits_1_for_the_refused_id(graded):
    result = graded["first"]
    assert result.returncode == 1, result.stderr
    assert "not graded: trainee id '../solutions' refused" in result.stdout
    assert (graded["course"] / "solutions" / M00 / f"{M00}.ipynb").is_file(), "solutions/ untouched"
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.split()
            and line.split()[0] in {*COHORT, "via-exchange"}}
    assert set(rows) == {*COHORT, "via-exchange"}
    assert rows["full"].split()[1:4] == ["6", "8", "graded"]
    assert rows["via-exchange"].split()[1:4] == ["6", "8", "graded"], "collected from the exchange, then graded"
    assert rows["untouched"].split()[1:4] == ["0", "8", "graded"]
    assert rows["os-exit"].split()[1:5] == ["5", "8", "kernel", "died"]
    assert rows["not-submitted"].split()[1:5] == ["-", "8", "not", "submitted"]
    assert rows["too-new"].split()[1:4] == ["6", "8", "graded"]
    assert rows["full-id"].split()[1:4] == ["6", "8", "graded"], \
        gradebook.statuses(graded["db_url"], COURSE_ID)[M00, "full-id"]["detail"]
    assert rows["slipped-id"].split()[1:4] == ["1", "8", "graded"], \
        gradebook.statuses(graded["db_url"], COURSE_ID)[M00, "slipped-id"]["detail"]
    assert "grading 1/" in result.stderr and "m00-orientation full: graded" in result.stderr, \
        "progress is shown on stderr"


def test_every_submission_has_its_status_recorded(graded):
    statuses = gradebook.statuses(graded["db_url"], COURSE_ID)
    expected = {kind.student: kind.status for kind in COHORT.values() if kind.score is not None}
    assert {student: row["status"] for (_, student), row in statuses.items()} == {**expected, "via-exchange": "graded"}
    assert {student: row["auto_score"] for (_, student), row in statuses.items()} == \
        {**{kind.student: kind.score for kind in COHORT.values() if kind.score is not None}, "via-exchange": 6.0}
    with gradebook.open_gradebook(graded["db_url"], COURSE_ID) as book:
        assert book.find_submission(M00, "via-exchange").timestamp.year == 2018, "nbgrader's timestamp.txt kept"


def test_the_edition_of_each_submission_is_recorded(graded):
    assert gradebook.editions(graded["db_url"], COURSE_ID) == {
        (M00, student): ("id" if student.endswith("-id") else "en")
        for student in [*(kind.student for kind in COHORT.values() if kind.score is not None), "via-exchange"]}
    autograded = json.loads((graded["course"] / "autograded" / "full-id" / M00 / f"{M00}.ipynb").read_text())
    assert autograded["metadata"]["course"]["edition"] == "id", "nbgrader's autograde keeps the notebook's mark"


def test_edition_of_reads_the_mark_the_build_puts_in_the_metadata():
    from course.grading.repair import repair
    from course.grading.worker import edition_of

    def edition(metadata: dict) -> str:  # read once, where the submitted notebook is read and repaired
        data = json.dumps({"cells": [], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}).encode()
        return repair(data, {}, None, 100).edition

    assert edition({}) == "en", "the English release carries no mark"
    assert edition({"course": {"edition": "id", "source": "solutions/m00"}}) == "id"
    assert edition({"course": {"edition": "xx"}}) == "unknown"
    assert edition({"course": "id"}) == "en", "a mark that is not the build's is ignored"
    assert edition({"course": {"edition": ["id"]}}) == "unknown"
    assert edition_of([edition({}), edition({"course": {"edition": "id"}})]) == "en+id"
    assert edition_of(["id", "id"]) == "id"


def test_same_points_per_question_in_either_edition(graded):
    with gradebook.open_gradebook(graded["db_url"], COURSE_ID) as book:
        points = {student: {grade.name: (grade.auto_score, grade.max_score)
                            for grade in book.find_submission_notebook(M00, M00, student).grades}
                  for student in ("full", "full-id")}
    assert points["full"] == points["full-id"] and len(points["full"]) >= 4


def test_grading_twice_gives_the_same_gradebook(graded):
    again = course_command("grade", "--jobs", "2", "--timeout", "60", "--memory", "1024", "--quiet",
                           cwd=graded["course"])
    assert again.returncode == 1, again.stderr
    assert dump(graded["db_url"]) == graded["dump"]


def test_student_option_regrades_one_trainee_only(graded):
    course, db_url = graded["course"], graded["db_url"]
    before = dump(db_url)
    target = course / "submitted" / "os-exit" / M00 / f"{M00}.ipynb"
    fixed = json.loads((course / "solutions" / M00 / f"{M00}.ipynb").read_text())
    target.write_text(json.dumps(fixed))
    result = course_command("grade", M00, "--student", "os-exit", "--timeout", "60", "--quiet", cwd=course)
    assert result.returncode == 0, result.stderr
    names = {*COHORT, "via-exchange"}
    lines = [line for line in result.stdout.splitlines() if line.split() and line.split()[0] in names]
    assert [line.split()[:4] for line in lines] == [["os-exit", "6", "8", "graded"]]
    after = dump(db_url)
    row = gradebook.statuses(db_url, COURSE_ID)[M00, "os-exit"]
    assert (row["status"], row["auto_score"]) == ("graded", 6.0)
    changed = {table for table in after if after[table] != before[table]}
    assert changed <= {"grade", "comment", gradebook.STATUS_TABLE}
    others = [row for row in after["grade"] if row not in before["grade"]]
    assert len(others) == 1, "only os-exit's Q2 test cell changed its score"


def test_export_writes_one_lms_row_per_trainee(graded):
    course = graded["course"]
    result = course_command("export", "--output", "lms/grades.csv", cwd=course)
    assert result.returncode == 0, result.stderr
    with open(course / "lms" / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = {row["trainee_id"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {*COHORT, "via-exchange", "../solutions", "'=2+3"}
    header = list(next(iter(rows.values())))
    assert header[:6] == ["trainee_id", "first_name", "last_name", "email", "lms_user_id", "edition"]
    assert header[-2:] == ["total score", "total max"]
    assert header[6:9] == [f"{M00} score", f"{M00} max", f"{M00} edition"]
    assert rows["full"][f"{M00} score"] == "6" and rows["full"][f"{M00} max"] == "8"
    assert rows["full"]["email"] == "full@example.org"
    assert rows["not-submitted"][f"{M00} score"] == "" and rows["not-submitted"]["total score"] == "0"
    assert rows["untouched"]["total max"] == rows["full"]["total max"]
    assert (rows["full"][f"{M00} edition"], rows["full"]["edition"]) == ("en", "en")
    assert (rows["full-id"][f"{M00} edition"], rows["full-id"]["edition"]) == ("id", "id")
    assert rows["full-id"][f"{M00} score"] == rows["full"][f"{M00} score"] == "6"
    assert rows["not-submitted"][f"{M00} edition"] == rows["not-submitted"]["edition"] == ""
    assert "'=2+3" in rows and "=2+3" not in rows, "a roster id is never a spreadsheet formula"
    assert "../solutions" in rows and rows["../solutions"][f"{M00} score"] == ""


def test_report_is_one_offline_html_file(graded):
    course = graded["course"]
    result = course_command("report", "--output", "cohort.html", cwd=course)
    assert result.returncode == 0, result.stderr
    page = (course / "cohort.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") >= 2
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert "hardest questions" in page and "m00-q1-stock-test" in page
    missing = page.split("Not submitted (3)")[1].split("</p>")[0]
    assert "not-submitted" in missing and "=2+3" in missing
    statuses = page.split("<th>status</th>")[1].split("</table>")[0]
    assert "<td>graded</td><td class=num>7</td>" in statuses, "os-exit was regraded above"
    editions = page.split("<th>edition</th>")[1].split("</table>")[0]
    assert "<td>English (en)</td><td class=num>5</td>" in editions, editions
    assert "<td>Bahasa Indonesia (id)</td><td class=num>2</td>" in editions, editions


def test_a_password_on_the_command_line_is_refused(tmp_path):
    result = course_command("grade", "--db-url", "postgresql+psycopg://grader:s3cret@127.0.0.1:1/none",
                            cwd=ROOT_COURSE)
    assert result.returncode == 2
    assert "COURSE_DB_URL" in result.stderr and "s3cret" not in result.stderr


def test_feedback_from_course_grade_hides_the_hidden_tests_and_loads_nothing_remotely(graded):
    """The engine makes feedback with the course's nbgrader_config.py, so the trainee's page has no answers:
    in either edition (the Indonesian pages show the Indonesian release's cells, never its source's)."""
    import nbformat

    secret = []
    for source_dir in (graded["course"] / "solutions", ROOT_COURSE / "solutions-id"):
        source = nbformat.read(source_dir / M00 / f"{M00}.ipynb", as_version=4)
        blocks = [block for cell in source.cells for block in re.findall(
            r"BEGIN (?:HIDDEN TESTS|MARK SCHEME)(.*?)END (?:HIDDEN TESTS|MARK SCHEME)", cell.source, re.S)]
        found = [line.strip() for block in blocks for line in block.splitlines()[1:-1] if len(line.strip()) >= 12]
        assert len(found) >= 5, (source_dir, found)  # hidden tests and the mark scheme of Q5
        secret += found
    for student, score in (("full", "Score"), ("untouched", "Score"), ("full-id", "Nilai"), ("slipped-id", "Nilai")):
        page = (graded["course"] / "feedback" / student / M00 / f"{M00}.html").read_text()
        text = page_text(page)
        assert f"{M00} ({score}:" in text, student
        assert not [line for line in secret if " ".join(html.unescape(line).split()) in text], student
        assert not re.search(r"(BEGIN|END) (HIDDEN TESTS|MARK SCHEME)", text), student
        assert remote_loads(page) == [], student


PLAIN_WORD = re.compile(r"^[^\W\d_]+[,;:.?!]?$")  # letters, perhaps a trailing mark: no code, no markup


def question_phrases(release: str, words: int = 6) -> dict[str, str]:
    """Grade id -> the first ``words`` plain words in a row of each question in ``release`` (as a page shows them)."""
    notebook = json.loads((ROOT_COURSE / release / M00 / f"{M00}.ipynb").read_text(encoding="utf-8"))
    found = {}
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if cell["cell_type"] == "markdown" and grade_id.endswith("-text"):
            run: list[str] = []
            for word in "".join(cell["source"]).split():
                run = [*run, word] if PLAIN_WORD.match(word) else []
                if len(run) == words:
                    found[grade_id] = " ".join(run)
                    break
    return found


def feedback_page(graded: dict, student: str) -> str:
    return page_text((graded["course"] / "feedback" / student / M00 / f"{M00}.html").read_text(encoding="utf-8"))


def test_an_indonesian_trainee_reads_all_their_feedback_in_indonesian(graded):
    """Graded by an English grader: the questions, the checks' messages and the one-line reasons are Indonesian."""
    text = feedback_page(graded, "slipped-id")
    indonesian, english = question_phrases("exercises-id"), question_phrases("exercises")
    assert len(indonesian) == len(english) >= 4, (indonesian, english)
    assert [phrase for phrase in indonesian.values() if phrase not in text] == [], "the Indonesian questions"
    assert [phrase for phrase in english.values() if phrase in text] == [], "no English question text"
    reasons = {lang: [message("feedback.hidden_test_failed", lang=lang),  # Q3: a hidden test failed
                      message("feedback.cell_stopped", lang=lang, error="NameError"),  # Q4: the test stopped
                      # Q2: the visible check's own message, made by the grading kernel
                      message("check.failed_prefix", lang=lang) + " " + message(
                          "m00.q2_rule", lang=lang, stock=500, required=500, actual=False, expected=True),
                      message("check.passed", lang=lang, name="papatonk_stock")]  # Q1: a check passed
               for lang in ("id", "en")}
    for line in reasons["id"]:
        assert " ".join(line.split()) in text, line
    for line in reasons["en"]:
        assert " ".join(line.split()) not in text, line
    assert "Not yet" not in text and "Belum tepat" in text


def test_an_english_trainee_reads_english_feedback_in_the_same_run(graded):
    english, indonesian = question_phrases("exercises"), question_phrases("exercises-id")
    for student in ("full", "untouched"):
        text = feedback_page(graded, student)
        assert [phrase for phrase in english.values() if phrase not in text] == [], student
        assert [phrase for phrase in indonesian.values() if phrase in text] == [], student
    untouched = feedback_page(graded, "untouched")
    assert message("feedback.cell_stopped", lang="en", error="NameError") in untouched
    assert message("feedback.cell_stopped", lang="id", error="NameError") not in untouched
    assert message("check.passed", lang="en", name="papatonk_stock") in feedback_page(graded, "full")


# nbgrader's words on m00's page: its answer cells, test cells and a written task, with their points and prompts
M00_WORDS = ["Student's answer", "Student's task", "Grade cell:", "Score:", "Test cell", "Task", "(Top)", "In ["]


def test_the_feedback_page_writes_its_own_words_in_the_trainees_edition(graded):
    """nbgrader's template words (and nbconvert's prompts) are Indonesian on an Indonesian trainee's page, as
    nbgrader writes them on an English trainee's page of the same run; so are the points (1,0 / 1,0)."""
    assert set(M00_WORDS) <= set(NBGRADER_WORDS)
    for student in ("full", "untouched"):
        text = feedback_page(graded, student)
        assert [word for word in M00_WORDS if word not in text] == [], student
        assert "Nilai:" not in text and "Sel tes" not in text, student
    for student in ("full-id", "slipped-id"):
        text = feedback_page(graded, student)
        assert [word for word in NBGRADER_WORDS if word in text] == [], student
        for key in ("student_answer", "student_task", "grade_cell", "score", "test_cell", "task", "top", "in_prompt"):
            assert message(f"feedback.page.{key}", lang="id") in text, (student, key)
    assert f"{M00} (Nilai: 6,0 / 8,0)" in feedback_page(graded, "full-id")  # 6 autograded points, 2 written
    assert "Sel tes (Nilai: 1,0 / 1,0)" in feedback_page(graded, "slipped-id")
