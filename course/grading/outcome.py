"""What grading one submission produced: the one status type, points, the reason, nbgrader's per-cell grades.

:class:`Status` is the only vocabulary of grading statuses: the worker, the preprocessors,
the gradebook's status table, the summary and the report all use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """How the grading of one submission ended (stored as its value in ``course_grading_status``)."""

    GRADED = "graded"
    TIMED_OUT = "timeout"
    KERNEL_DIED = "kernel_died"
    MISSING = "missing"
    UNREADABLE = "unreadable"
    TAMPERED = "tampered"
    FAILED = "failed"
    NOT_SUBMITTED = "not_submitted"

    @property
    def label(self) -> str:
        """The status in words."""
        return LABELS[self]


LABELS = {
    Status.GRADED: "graded",
    Status.TIMED_OUT: "cell timed out",
    Status.KERNEL_DIED: "kernel died",
    Status.MISSING: "notebook missing",
    Status.UNREADABLE: "notebook unreadable",
    Status.TAMPERED: "tampered cells restored",
    Status.FAILED: "grading failed",
    Status.NOT_SUBMITTED: "not submitted",
}

# When several things happened, the status shown is the first of these that applies.
PRIORITY = [Status.FAILED, Status.MISSING, Status.UNREADABLE, Status.KERNEL_DIED, Status.TIMED_OUT,
            Status.TAMPERED, Status.GRADED]


def label(value: str) -> str:
    """The words for a stored status value (the value itself when unknown)."""
    try:
        return Status(value).label
    except ValueError:
        return value


def worst(statuses: list[Status]) -> Status:
    """The status that names the most serious of ``statuses`` (graded when empty)."""
    present = set(statuses)
    return next((status for status in PRIORITY if status in present), Status.GRADED)


@dataclass
class CellGrade:
    """One graded cell of a submitted notebook, as nbgrader's SaveAutoGrades left it."""

    auto_score: float | None
    needs_manual_grade: bool


@dataclass
class NotebookOutcome:
    """nbgrader's results for one notebook of a submission."""

    grades: dict[str, CellGrade] = field(default_factory=dict)
    comments: dict[str, str | None] = field(default_factory=dict)
    late_penalty: float | None = None


@dataclass
class SubmissionResult:
    """The recorded state of one trainee's submission of one module, and the files grading made.

    ``autograded`` and ``feedback`` map file names to their bytes: the worker sends them
    back as data and only the client writes them into autograded/ and feedback/.
    """

    module: str
    student: str
    status: Status
    detail: str = ""
    auto_score: float = 0.0
    auto_max: float = 0.0
    timestamp: str | None = None
    notebooks: dict[str, NotebookOutcome] = field(default_factory=dict)
    autograded: dict[str, bytes] = field(default_factory=dict)
    feedback: dict[str, bytes] = field(default_factory=dict)
    feedback_error: str = ""
    fingerprint: str = ""
    seconds: float = 0.0
    edition: str = ""   # the language of the submitted notebooks (en, id); "" when none could be read

    @property
    def label(self) -> str:
        """The status in words."""
        return label(self.status)

    @property
    def ran_nbgrader(self) -> bool:
        """True when nbgrader graded the notebook (its per-cell results are in ``notebooks``)."""
        return bool(self.notebooks)
