"""The adapter to nbgrader's applications: load the course's config and run nbgrader's steps.

Every nbgrader step the course runs (generate_assignment, collect, autograde,
generate_feedback) goes through this module: :func:`api` for an
:class:`nbgrader.apps.NbGraderAPI`, :class:`Grader` for a grading worker's reusable
autograde and feedback converters, so that the course's settings (nbgrader_config.py, with
any preprocessors it configures) are always the ones in force. Two other places touch
nbgrader on purpose: course/grading/gradebook.py reads and writes nbgrader's gradebook
model (``nbgrader.api``), and course/grading/execute.py subclasses nbgrader's
preprocessors.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

# The course folder's names are defined in course.folders (the trainee's `course lab` needs them without nbgrader's
# adapter) and re-exported here, where the instructors' tools find them.
from course.folders import CONFIG_FILE as CONFIG_FILE
from course.folders import MODULE_PATTERN as MODULE_PATTERN
from course.folders import ROOT_ENV as ROOT_ENV
from course.folders import CourseError as CourseError
from course.folders import find_root as find_root
from course.folders import modules as modules

if TYPE_CHECKING:
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config


def load_config(root: Path, **overrides: Any) -> Config:
    """The course's nbgrader config, with ``CourseDirectory`` settings overridden by keyword."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    for name, value in overrides.items():
        setattr(config.CourseDirectory, name, value)
    return config if isinstance(config, Config) else Config(config)


def _tools_on_path() -> None:
    """nbgrader runs helper programs (alembic) by name: find them beside this Python, venv or not."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def api(root: Path, config: Config | None = None) -> NbGraderAPI:
    """An nbgrader API object for the course at ``root``."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    _tools_on_path()
    config = config or load_config(root)
    return NbGraderAPI(CourseDirectory(config=config), config=config)


def config_from_text(text: str, folder: Path) -> Config:
    """A course's nbgrader config from the text of its nbgrader_config.py (a worker has no course folder)."""
    import hashlib

    place = folder / f"config-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
    place.mkdir(mode=0o700, exist_ok=True)
    (place / CONFIG_FILE).write_text(text, encoding="utf-8")
    return load_config(place)


class Grader:
    """nbgrader's ``autograde`` and ``generate_feedback`` for one course folder, set up once and reused.

    :class:`nbgrader.apps.NbGraderAPI` builds a new converter (exporter, templates, preprocessor
    configuration) on every call; a grading worker grades many submissions in the same private
    course folder, so it keeps one :class:`~nbgrader.converters.Autograde` and one
    :class:`~nbgrader.converters.GenerateFeedback` (with the course's configured preprocessors
    and nbgrader's feedback template) and runs them once per submission, as NbGraderAPI does.
    """

    def __init__(self, config: Config) -> None:
        from nbgrader.apps import NbGraderAPI
        from nbgrader.converters import Autograde
        from nbgrader.coursedir import CourseDirectory
        from traitlets.config import Config as TraitletsConfig

        _tools_on_path()
        self.coursedir = CourseDirectory(config=config)
        self.api = NbGraderAPI(self.coursedir, config=config)
        self.autograder = Autograde(coursedir=self.coursedir, parent=self.api)
        self.autograder.force, self.autograder.create_student = True, True
        self.feedback = _kept_exporter_feedback()(coursedir=self.coursedir, parent=self.api)
        feedback_template = TraitletsConfig()
        feedback_template.HTMLExporter.template_name = "feedback"  # as NbGraderAPI.generate_feedback sets it
        self.feedback.update_config(feedback_template)
        self.feedback.force = True

    def _run(self, app: Any, module: str, student: str) -> tuple[bool, str]:
        from nbgrader.utils import capture_log, temp_attrs

        with temp_attrs(self.coursedir, assignment_id=module, student_id=student):
            outcome = capture_log(app)
        return bool(outcome.get("success")), (outcome.get("error") or "") + (outcome.get("log") or "")

    def autograde(self, module: str, student: str) -> tuple[bool, str]:
        """nbgrader's autograde of one submission: (success, nbgrader's log)."""
        return self._run(self.autograder, module, student)

    def generate_feedback(self, module: str, student: str) -> tuple[bool, str]:
        """nbgrader's generate_feedback for one submission (the course's GenerateFeedback preprocessors apply)."""
        return self._run(self.feedback, module, student)


def _kept_exporter_feedback() -> type:
    """nbgrader's GenerateFeedback, except that its HTML exporter is made on the first run and kept.

    nbgrader's ``BaseConverter.start`` (0.9) makes a new exporter on every run, and a new HTML
    exporter compiles the feedback templates again: about half a core-second per submission
    when a worker runs it once per submission (stock nbgrader runs it once per module). The
    kept exporter is the one stock nbgrader uses for every trainee of a run; what differs per
    notebook (its resources, HideAnswers' language) is set on each call.
    """
    from nbconvert.writers import FilesWriter
    from nbgrader.converters import GenerateFeedback

    class KeptExporterFeedback(GenerateFeedback):
        kept: Any = None

        def start(self) -> None:
            self.init_notebooks()
            self.writer = FilesWriter(parent=self, config=self.config)
            if self.kept is None:
                self.kept = self.exporter_class(parent=self, config=self.config)
                for preprocessor in self.preprocessors:
                    self.kept.register_preprocessor(preprocessor)
            self.exporter = self.kept
            folder = os.getcwd()
            os.chdir(self.coursedir.root)
            try:
                self.convert_notebooks()
            finally:
                os.chdir(folder)

    return KeptExporterFeedback


def check(result: dict[str, Any], what: str) -> None:
    """Raise CourseError with nbgrader's own log when an API call did not succeed."""
    if not result.get("success"):
        detail = (result.get("error") or "") + (result.get("log") or "")
        raise CourseError(f"{what} failed:\n{detail.strip()}")
