"""What grading one submission produced: a status, points, the reason, and nbgrader's per-cell grades."""

from __future__ import annotations

from dataclasses import dataclass, field

GRADED = "graded"
TIMED_OUT = "timeout"
KERNEL_DIED = "kernel_died"
MISSING = "missing"
UNREADABLE = "unreadable"
TAMPERED = "tampered"
FAILED = "failed"
NOT_SUBMITTED = "not_submitted"

LABELS = {
    GRADED: "graded",
    TIMED_OUT: "cell timed out",
    KERNEL_DIED: "kernel died",
    MISSING: "notebook missing",
    UNREADABLE: "notebook unreadable",
    TAMPERED: "tampered cells restored",
    FAILED: "grading failed",
    NOT_SUBMITTED: "not submitted",
}

# When several things happened, the status shown is the first of these that applies.
PRIORITY = [FAILED, MISSING, UNREADABLE, KERNEL_DIED, TIMED_OUT, TAMPERED, GRADED]


def worst(statuses: list[str]) -> str:
    """The status that names the most serious of ``statuses`` (graded when empty)."""
    present = set(statuses)
    return next((status for status in PRIORITY if status in present), GRADED)


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
    """The recorded state of one trainee's submission of one module."""

    module: str
    student: str
    status: str
    detail: str = ""
    auto_score: float = 0.0
    auto_max: float = 0.0
    timestamp: str | None = None
    notebooks: dict[str, NotebookOutcome] = field(default_factory=dict)
    autograded_dir: str | None = None
    fingerprint: str = ""
    seconds: float = 0.0

    @property
    def label(self) -> str:
        """The status in words."""
        return LABELS.get(self.status, self.status)

    @property
    def ran_nbgrader(self) -> bool:
        """True when nbgrader graded the notebook (its per-cell results are in ``notebooks``)."""
        return bool(self.notebooks)
