"""The unit of work, as data: what a worker needs to grade one submission (:class:`GradeTask`).

A task holds the submission's notebooks as bytes (size-bounded by the client), the
module's definition, the limits and the hand-given grades needed for feedback. The
module's grading template (an SQLite gradebook with the solutions and hidden tests), the
course's nbgrader_config.py and the read-only cells of the other editions' releases (for
feedback in the trainee's language) travel beside it, once per module and run
(:class:`ModuleFiles`). The answer is a :class:`course.grading.outcome.SubmissionResult`
holding scores, statuses, the autograded notebooks and the feedback pages. No filesystem
is shared between the client and the workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from course.grading.outcome import Status
from course.grading.submissions import ModuleSpec


@dataclass(frozen=True)
class ModuleFiles:
    """What every task of one module needs: the grading template, the course's nbgrader config and, per
    language of another edition, the read-only cells' text of its release (language -> notebook -> grade id
    -> source, :func:`course.grading.feedback.read_only_texts`: no hidden test, no mark scheme)."""

    template: bytes
    config_text: str
    editions: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class GradeTask:
    """One submission to autograde (and make feedback for)."""

    module: str
    student: str
    course_id: str
    spec: ModuleSpec
    notebooks: dict[str, bytes]                       # expected name -> bytes to grade
    problems: dict[str, tuple[Status, str]] = field(default_factory=dict)  # name -> missing/unreadable, why
    notes: tuple[str, ...] = ()                       # what the client noticed (renamed file, odd timestamp)
    timestamp: str | None = None
    fingerprint: str = ""
    timeout: int = 60
    extension_seconds: float | None = None
    max_notebook_mb: int = 100
    manual: dict[str, Any] = field(default_factory=dict)
    feedback: bool = True

    @property
    def key(self) -> tuple[str, str]:
        """(module, trainee)."""
        return self.module, self.student

    @property
    def size(self) -> int:
        """Bytes of notebooks carried (big ones are sent first: the run ends sooner)."""
        return sum(len(data) for data in self.notebooks.values())


@dataclass(frozen=True)
class WorkerSettings:
    """How a worker sandboxes kernels: the limits and, as root, the prefix of the kernel accounts."""

    limits: dict[str, Any]
    kernel_user: str | None
    course_root: str | None = None   # the client's course folder: hidden from kernels where it exists

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.limits.items())), self.kernel_user, self.course_root))
