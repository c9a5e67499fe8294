"""What a trainee gets back: their work and points per question, without the answers.

nbgrader's feedback is the autograded notebook as HTML, and the autograded notebook holds
every hidden test (``assert work_days == 20``), the traceback of each failed one, and the
mark scheme with its model answer. Feedback travels beyond the trainee (to the next cohort),
so :class:`HideAnswers`, run by nbgrader's GenerateFeedback after GetGrades (see
nbgrader_config.py), keeps the trainee's own cells and the points, and replaces:

- the hidden-test region of every test cell (the visible check stays, it is public);
- each test cell's error output by one line: the visible check's own ✗ message, or, for a
  hidden test, that the value is not the expected one, never the test's source or values;
- any value a test cell displayed;
- the mark scheme of every written task.

Instructors still see everything in formgrader, which reads the autograded notebook itself.
The template folder beside this file replaces the MathJax macro, which fetches a script from
a CDN, so the feedback page fetches nothing (formulas show as their TeX source).
"""

from __future__ import annotations

import re
from pathlib import Path

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode, from_dict
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor

from course.i18n import message

TEMPLATES = Path(__file__).with_name("templates")
_HIDDEN = re.compile(r"^[^\n]*BEGIN HIDDEN TESTS.*?END HIDDEN TESTS[^\n]*(\n|$)", re.S | re.M)
_MARK_SCHEME = re.compile(r"^[^\n]*BEGIN MARK SCHEME.*?END MARK SCHEME[^\n]*(\n|$)", re.S | re.M)
_UNCLOSED = re.compile(r"^[^\n]*BEGIN (HIDDEN TESTS|MARK SCHEME).*", re.S | re.M)


def without_region(source: str, region: re.Pattern[str]) -> str:
    """``source`` without ``region``; an unclosed BEGIN marker drops everything after it."""
    return _UNCLOSED.sub("", region.sub("", source)).rstrip()


def _line(text: str) -> NotebookNode:
    return from_dict({"output_type": "stream", "name": "stdout", "text": text + "\n"})


def test_outputs(outputs: list[NotebookNode]) -> list[NotebookNode]:
    """A test cell's outputs as the trainee may see them: printed lines and one-line reasons."""
    kept = []
    for output in outputs:
        if output.get("output_type") == "stream":
            kept.append(output)
        elif output.get("output_type") == "error":
            if output.get("ename") == "CheckFailed":
                reason = " ".join(str(output.get("evalue", "")).split())
                kept.append(_line(f"{message('check.failed_prefix')} {reason}"))
            elif output.get("ename") == "AssertionError":
                kept.append(_line(message("feedback.hidden_test_failed")))
            else:
                kept.append(_line(message("feedback.cell_stopped", error=output.get("ename", "?"))))
    return kept


class HideAnswers(NbGraderPreprocessor):
    """Remove hidden tests, their failures' details and mark schemes from a trainee's feedback."""

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict,
                        index: int) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell):
            cell.source = without_region(cell.source, _HIDDEN)
            cell.outputs = test_outputs(cell.get("outputs", []))
        elif cell.cell_type == "code":
            cell.source = without_region(cell.source, _HIDDEN)
        else:
            cell.source = without_region(without_region(cell.source, _MARK_SCHEME), _HIDDEN)
        return cell, resources
