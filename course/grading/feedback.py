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

The trainee's edition decides the feedback's language (``metadata.course.edition``, which the
autograded notebook keeps): the one-line reasons come from the message catalog in that language
(the visible checks' own messages already are, since the grading kernel runs in it, see
course/grading/execute.py), and the read-only cells, which nbgrader restores from the gradebook's
English source, show that edition's release text again (``editions``, built by the client with
:func:`read_only_texts` and carried with the module's files). The swap comes before the removals
above, so they apply to the swapped text too.

The page's own words (nbgrader's "Student's answer", "Score", "Test cell", ..., the cells'
"In"/"Out" prompts) are in that language too: HideAnswers hands the template the words of the
edition (:func:`page_words`, from the catalog's ``feedback.page.*``) in ``resources["course_feedback"]``,
and the course's template (templates/feedback/course_feedback.html.j2, which extends nbgrader's
feedback template and replaces only its blocks that hold words) writes them, with the points
through :func:`points` (``1.0`` in English as nbgrader writes it, ``1,0`` in Indonesian).

Instructors still see everything in formgrader, which reads the autograded notebook itself.
The template folder beside this file replaces the MathJax macro, which fetches a script from
a CDN, so the feedback page fetches nothing (formulas show as their TeX source).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import cast

from nbconvert.exporters.exporter import ResourcesDict
from nbformat import NotebookNode, from_dict
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Dict

from course.formats import number
from course.i18n import DEFAULT_LANGUAGE, catalog, message, notebook_language

TEMPLATES = Path(__file__).with_name("templates")
TEMPLATE_FILE = "course_feedback.html.j2"  # in TEMPLATES/feedback/, nbgrader's template name
PAGE_WORDS = "feedback.page."  # the catalog keys of the page's own words
_HIDDEN = re.compile(r"^[^\n]*BEGIN HIDDEN TESTS.*?END HIDDEN TESTS[^\n]*(\n|$)", re.S | re.M)
_MARK_SCHEME = re.compile(r"^[^\n]*BEGIN MARK SCHEME.*?END MARK SCHEME[^\n]*(\n|$)", re.S | re.M)
_UNCLOSED = re.compile(r"^[^\n]*BEGIN (HIDDEN TESTS|MARK SCHEME).*", re.S | re.M)


def without_region(source: str, region: re.Pattern[str]) -> str:
    """``source`` without ``region``; an unclosed BEGIN marker drops everything after it."""
    return _UNCLOSED.sub("", region.sub("", source)).rstrip()


def _line(text: str) -> NotebookNode:
    return from_dict({"output_type": "stream", "name": "stdout", "text": text + "\n"})


def test_outputs(outputs: list[NotebookNode], lang: str | None = None) -> list[NotebookNode]:
    """A test cell's outputs as the trainee may see them: printed lines and one-line reasons in ``lang``."""
    kept = []
    for output in outputs:
        if output.get("output_type") == "stream":
            kept.append(output)
        elif output.get("output_type") == "error":
            if output.get("ename") == "CheckFailed":
                reason = " ".join(str(output.get("evalue", "")).split())
                kept.append(_line(f"{message('check.failed_prefix', lang=lang)} {reason}"))
            elif output.get("ename") == "AssertionError":
                kept.append(_line(message("feedback.hidden_test_failed", lang=lang)))
            else:
                kept.append(_line(message("feedback.cell_stopped", lang=lang, error=output.get("ename", "?"))))
    return kept


def page_words(lang: str) -> dict[str, str]:
    """The feedback page's own words in ``lang``: ``{"score": "Nilai", "test_cell": "Sel tes", ...}``."""
    return {key[len(PAGE_WORDS):]: message(key, lang=lang) for key in catalog() if key.startswith(PAGE_WORDS)}


def points(value: object, lang: str | None = None) -> str:
    """A score as the feedback page shows it: nbgrader's ``value | float | round(2)`` ("1.0", "0.33"),
    written in ``lang`` ("1,0", "0,33" in Indonesian). A value that is no number counts 0, as Jinja's
    ``float`` filter has it."""
    try:
        rounded = round(float(value), 2)  # type: ignore[arg-type]  # anything Jinja may hand over
    except (TypeError, ValueError):
        rounded = 0.0
    shown = str(rounded)
    if lang in (None, DEFAULT_LANGUAGE) or not math.isfinite(rounded):
        return shown  # English (and inf, nan) exactly as nbgrader's template writes them
    return number(rounded, len(shown.partition(".")[2]), lang=lang, grouping=False)  # the same decimals


def _read_only(cell: NotebookNode | dict) -> str | None:
    """The grade id of a cell the trainee cannot edit (text, setup code, a test, a task), else None."""
    settings = (cell.get("metadata") or {}).get("nbgrader") or {}
    if not isinstance(settings, dict) or settings.get("solution"):
        return None
    read_only = settings.get("locked") or settings.get("grade") or settings.get("task")
    grade_id = settings.get("grade_id")
    return grade_id if read_only and isinstance(grade_id, str) else None


def read_only_texts(releases: dict[str, Path], module: str,
                    notebooks: Iterable[str]) -> dict[str, dict[str, dict[str, str]]]:
    """language -> notebook -> grade id -> source of each read-only cell in that language's release.

    ``releases`` maps a language to its release folder (e.g. ``{"id": course/"exercises-id"}``); a
    notebook missing there is left out (its feedback keeps nbgrader's text). A release holds no hidden
    test or mark scheme; any region of either is removed here all the same, so none can travel.
    """
    texts: dict[str, dict[str, dict[str, str]]] = {}
    for lang, folder in releases.items():
        for name in notebooks:
            path = Path(folder) / module / f"{name}.ipynb"
            if not path.is_file():
                continue
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            found = {}
            for cell in cells:
                grade_id = _read_only(cell)
                if grade_id is not None:
                    source = cell.get("source", "")
                    source = "".join(source) if isinstance(source, list) else str(source)
                    found[grade_id] = without_region(without_region(source, _MARK_SCHEME), _HIDDEN)
            texts.setdefault(lang, {})[name] = found
    return texts


class HideAnswers(NbGraderPreprocessor):
    """Remove hidden tests, their failures' details and mark schemes from a trainee's feedback,
    in the language of the trainee's edition."""

    editions = Dict(help="language -> notebook -> grade id -> source of the read-only cells in that "
                         "language's release (read_only_texts)").tag(config=True)
    lang: str | None = None  # the language of the notebook in hand, set by preprocess (None: the grader's)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        """Put back the read-only cells of the trainee's edition, then hide the answers cell by cell."""
        self.lang = notebook_language(nb.metadata)
        if resources is not None:  # the page's own words, for the course's feedback template
            resources["course_feedback"] = {"lang": self.lang, "words": page_words(self.lang)}
        if self.lang != DEFAULT_LANGUAGE:
            found = resources.get("nbgrader") if resources else None  # nbgrader puts the notebook's name there
            notebook = str(found.get("notebook", "")) if isinstance(found, dict) else ""
            editions = cast(dict[str, dict[str, dict[str, str]]], self.editions)  # a traitlets Dict: untyped
            texts = editions.get(self.lang, {}).get(notebook, {})
            for cell in nb.cells:
                grade_id = _read_only(cell)
                if grade_id in texts:
                    cell.source = texts[grade_id]
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict,
                        index: int) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell):
            cell.source = without_region(cell.source, _HIDDEN)
            cell.outputs = test_outputs(cell.get("outputs", []), self.lang)
        elif cell.cell_type == "code":
            cell.source = without_region(cell.source, _HIDDEN)
        else:
            cell.source = without_region(without_region(cell.source, _MARK_SCHEME), _HIDDEN)
        return cell, resources
