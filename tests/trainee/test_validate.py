"""The Validate button, as a trainee presses it: nbgrader's own Validator on each module's release.

Answered with the solutions' code, every module of both editions (English, Bahasa Indonesia) must
say "Success!" with no warning about outputs nbgrader cannot read (a test cell that leaves a value is
taken for partial credit); left untouched, it must list the failing questions, never stop with a fatal
error. An Indonesian notebook is validated in Indonesian even where the lab runs in English: Validate's
kernel has no notebook path, and takes the edition of its working folder (course.i18n).
"""

from __future__ import annotations

import io
import logging
import shutil
from pathlib import Path

import pytest
from nbgrader.validator import Validator
from trainee_kernel import ROOT, answered_release, modules

from course.edition import FOLDERS
from course.i18n import LANGUAGE_ENV, SESSION_ENV, message

pytestmark = pytest.mark.slow


def validate(path: Path, caplog: pytest.LogCaptureFixture) -> tuple[str, list[str]]:
    """What the Validate dialog says, and nbgrader's warnings while it ran."""
    stream = io.StringIO()
    logger = logging.getLogger(f"validate-{path.stem}")
    with caplog.at_level(logging.WARNING, logger=logger.name):
        validator = Validator(log=logger)
        validator.stream = stream  # a plain attribute of Validator, not a trait
        validator.validate_and_print(str(path))
    return stream.getvalue(), [record.getMessage() for record in caplog.records]


EDITIONS = ["en", "id"]


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("module", modules())
def test_correct_work_validates(module, lang, tmp_path, caplog):
    said, warnings = validate(answered_release(module, tmp_path, lang=lang), caplog)
    assert said.startswith("Success! Your notebook passes all the tests."), said[:2000]
    assert not warnings, warnings[:5]


@pytest.mark.parametrize("lang", EDITIONS)
@pytest.mark.parametrize("module", modules())
def test_untouched_release_lists_failures_without_a_fatal_error(module, lang, tmp_path, caplog):
    work = tmp_path / module
    shutil.copytree(ROOT / FOLDERS[lang][1] / module, work)
    said, warnings = validate(work / f"{module}.ipynb", caplog)
    assert "VALIDATION FAILED ON" in said, said[:2000]
    assert not warnings, warnings[:5]


@pytest.mark.parametrize("course_lang", [None, "en"])
def test_an_indonesian_notebook_is_validated_in_indonesian_in_an_english_lab(course_lang, tmp_path, monkeypatch):
    """A trainee's Indonesian m00 with a slip (Q2's comparison made strict), validated where COURSE_LANG is unset
    or English and no notebook path is given (as Validate's kernel starts): the check speaks Indonesian."""
    import nbformat

    module = "m00-orientation"
    path = answered_release(module, tmp_path, lang="id")
    notebook = nbformat.read(path, as_version=4)
    [answer] = [cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == "m00-q2-enough"]
    answer.source = "stock_is_enough = papatonk_stock > units_required\n"
    nbformat.write(notebook, path)
    monkeypatch.delenv(SESSION_ENV, raising=False)
    if course_lang:
        monkeypatch.setenv(LANGUAGE_ENV, course_lang)
    else:
        monkeypatch.delenv(LANGUAGE_ENV, raising=False)
    found = Validator(log=logging.getLogger("validate-id")).validate(str(path))  # what the Validate dialog shows
    assert list(found) == ["failed"] and len(found["failed"]) == 1, found
    error = " ".join(found["failed"][0]["raw_error"].split())
    expected = {lang: message("m00.q2_rule", lang=lang, stock=500, required=500, actual=False, expected=True)
                for lang in ("id", "en")}
    assert " ".join(message("check.failed_prefix", lang="id").split()) in error, error
    assert " ".join(expected["id"].split()) in error, error
    assert " ".join(expected["en"].split()) not in error
