"""This folder is an nbgrader course: lessons are authored in solutions/, released to exercises/.

Instructors run nbgrader (or the `course` command, which drives nbgrader's Python API)
from this folder. Local grading state (gradebook.db, submitted/, autograded/,
feedback/) is git-ignored.
"""

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "double-eleven"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", ".nbgrader.log", "*.bak"]

# Grading: a cell gets 60 s on a fresh kernel (lessons need well under 5 s in all),
# and a submission whose trainee deleted a test cell still has it graded.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
c.OverwriteCells.add_missing_cells = True

# What an answer cell holds in the release: it fails until the trainee answers.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Feedback: the trainee's work and points per question, never the hidden tests, their expected values or the
# mark schemes (course/grading/feedback.py); its template folder comes first so no page fetches MathJax from a CDN,
# and its template (nbgrader's, with the page's own words in the trainee's edition) is used for feedback only:
# formgrader's own HTMLExporter ('formgrade' template) reads this file too.
from pathlib import Path as _Path  # noqa: E402

import nbgrader as _nbgrader  # noqa: E402

import course.grading.feedback as _feedback  # noqa: E402

c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "course.grading.feedback.HideAnswers",
]
_FORMGRADER_TEMPLATES = _Path(_nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"
c.HTMLExporter.extra_template_basedirs = [str(_feedback.TEMPLATES), str(_FORMGRADER_TEMPLATES)]
c.GenerateFeedback.HTMLExporter.template_file = _feedback.TEMPLATE_FILE
c.GenerateFeedback.HTMLExporter.filters = {"points": "course.grading.feedback.points"}
