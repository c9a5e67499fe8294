"""The Validate button, as a trainee presses it: nbgrader's own Validator on each module's release.

Answered with the solutions' code, every module of both editions (English, Bahasa Indonesia) must
say "Success!" with no warning about outputs nbgrader cannot read (a test cell that leaves a value is
taken for partial credit); left untouched, it must list the failing questions, never stop with a fatal
error.
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
