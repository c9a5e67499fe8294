"""The grade export: one nbgrader export plugin per format, the same file from `nbgrader export` and `course export`.

The gradebook is made with nbgrader's own API (grading_fixtures.small_gradebook: no kernel
runs). Each LMS format is checked against the columns its LMS documents (the sources are in
course/grading/export.py and docs/grading.md), written out here rather than imported, so that
a change of the module's constants cannot pass unnoticed.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from grading_fixtures import COURSE_ID, ROOT, SMALL_MODULES, small_gradebook

from course.grading import export
from course.nbgrader_api import CourseError

M00, M01 = SMALL_MODULES
# Moodle, "Grade import" (https://docs.moodle.org/en/Grade_import): a column to map to a user field
# (useremail, useridnumber, username), then one column per grade item.
MOODLE_HEADER = ["First name", "Last name", "Email address", "ID number", "Username"]
# Canvas, "How do I import grades in the Gradebook?" and its importer: these five, in this order, then assignments,
# and a "Points Possible" row.
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course folder (the course's nbgrader_config.py) with the small gradebook."""
    folder = tmp_path_factory.mktemp("export-course")
    (folder / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text(encoding="utf-8"))
    small_gradebook(folder)
    return folder


def rows_of(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def written(course: Path, fmt: str, tmp_path: Path, modules: list[str] | None = None) -> list[list[str]]:
    output = tmp_path / f"{fmt}.csv"
    count = export.write_csv(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID, output, modules, fmt)
    table = rows_of(output)
    assert count == 4 and len(table) == 1 + (fmt == "canvas") + count
    return table


def by_first(table: list[list[str]], column: int) -> dict[str, list[str]]:
    return {row[column]: row for row in table}


def test_wide_format_keeps_every_column_and_leaves_missing_work_empty(course, tmp_path):
    table = written(course, "wide", tmp_path)
    assert table[0] == ["trainee_id", "first_name", "last_name", "email", "lms_user_id", "edition",
                        f"{M00} score", f"{M00} max", f"{M00} edition", f"{M01} score", f"{M01} max", f"{M01} edition",
                        "total score", "total max"]
    rows = by_first(table[1:], 0)
    assert rows["ana"] == ["ana", "Ana", "Putri", "ana@example.org", "101", "en+id", "3.5", "5", "en",
                           "3", "4", "id", "6.5", "9"], "m01: 4 points minus the late penalty of 1"
    assert rows["budi"][6:] == ["3", "5", "id", "", "4", "", "3", "9"], "no m01 submission: an empty score"
    assert "'=2+3" in rows and "=2+3" not in rows, "a roster id is never a spreadsheet formula"
    assert rows["<b>x</b>"][-2:] == ["0", "9"]


def test_moodle_format_has_the_user_fields_moodle_maps_then_one_column_per_module(course, tmp_path):
    table = written(course, "moodle", tmp_path)
    assert table[0] == [*MOODLE_HEADER, M00, M01]
    rows = by_first(table[1:], MOODLE_HEADER.index("Username"))
    assert rows["ana"] == ["Ana", "Putri", "ana@example.org", "101", "ana", "3.5", "3"]
    assert rows["budi"] == ["Budi", "", "", "", "budi", "3", ""], "nothing submitted: empty, not zero"
    assert rows["'=2+3"][:2] == ["Roster", "Only"]


def test_canvas_format_has_canvas_columns_and_a_points_possible_row(course, tmp_path):
    table = written(course, "canvas", tmp_path, [M01, M00])
    assert table[0] == [*CANVAS_HEADER, M00, M01]
    assert table[1] == ["Points Possible", "", "", "", "", "5", "4"]
    rows = by_first(table[2:], CANVAS_HEADER.index("SIS Login ID"))
    assert rows["ana"] == ["Putri, Ana", "101", "", "ana", "", "3.5", "3"], "Canvas's sortable name, its user id"
    assert rows["budi"] == ["Budi", "", "", "budi", "", "3", ""]
    assert rows["<b>x</b>"][0] == "<b>x</b>", "no name in the roster: the trainee id"
    assert rows["'=2+3"][0] == "Only, Roster"


def test_one_module_only_and_unknown_names_are_refused(course, tmp_path):
    table = written(course, "moodle", tmp_path, [M01])
    assert table[0] == [*MOODLE_HEADER, M01]
    with pytest.raises(CourseError, match="m09-nothing not in the gradebook; it has: m00-orientation"):
        export.write_csv(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID, tmp_path / "x.csv", ["m09-nothing"])
    assert not (tmp_path / "x.csv").exists()


def test_the_command_offers_every_format_of_the_module_and_no_other(capsys):
    from course.cli import parser

    assert [parser().parse_args(["export", "--format", fmt]).format for fmt in export.FORMATS] == list(export.FORMATS)
    with pytest.raises(SystemExit):
        parser().parse_args(["export", "--format", "blackboard"])
    assert "invalid choice: 'blackboard' (choose from 'wide', 'moodle', 'canvas')" in capsys.readouterr().err


def isolated_env(home: Path) -> dict[str, str]:
    """The environment of a command run in the course folder: this checkout's `course`, Jupyter dirs under ``home``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("JUPYTER")}
    env |= {"HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_DATA_DIR": str(home / "data"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    return env


@pytest.mark.parametrize(("fmt", "plugin", "modules"), [
    ("wide", "WideCsvExport", []), ("moodle", "MoodleCsvExport", []), ("canvas", "CanvasCsvExport", [M01])])
def test_nbgrader_export_with_the_plugin_writes_the_same_file_as_course_export(course, tmp_path, fmt, plugin,
                                                                               modules):
    env = isolated_env(tmp_path / "home")
    ours = subprocess.run([sys.executable, "-m", "course", "export", *modules, "--format", fmt,
                           "--output", f"out/{fmt}-course.csv"], cwd=course, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert ours.returncode == 0, ours.stderr
    flags = [f"--assignment={name}" for name in modules]
    theirs = subprocess.run([sys.executable, "-m", "nbgrader", "export", f"--exporter=course.grading.export.{plugin}",
                             f"--to=out/{fmt}-nbgrader.csv", *flags], cwd=course, env=env,
                            capture_output=True, text=True, timeout=300, check=False)
    assert theirs.returncode == 0, theirs.stderr
    assert f"Using exporter: {plugin}" in theirs.stderr
    made = (course / "out" / f"{fmt}-course.csv").read_bytes()
    assert made == (course / "out" / f"{fmt}-nbgrader.csv").read_bytes()
    assert made.count(b"\r\n") == 5 + (fmt == "canvas") and b"ana" in made
