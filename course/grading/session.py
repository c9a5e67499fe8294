"""The client's side of one grading run: the only writer of the gradebook, autograded/ and feedback/.

A :class:`GradingSession` is handed every result as it comes back from the engine
(:meth:`GradingSession.finish`). It writes the result to the gradebook in one transaction
(scores, comments, timestamp and status together), then puts the autograded notebooks and
the feedback pages in place, each folder replaced in one rename. A trainee whose
submission folder is gone has the earlier submission removed (:meth:`remove_stale`), so
the gradebook shows exactly what the latest grading of the latest submission gave.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from course.grading.gradebook import Recorder
from course.grading.outcome import Status, SubmissionResult
from course.grading.progress import Progress
from course.grading.submissions import ModuleSpec


def inside(base: Path, *parts: str) -> Path:
    """``base/parts...``, refused when it would leave ``base`` (an id like ``..``) or pass through a link."""
    path = base.joinpath(*parts)
    for part in parts:
        if part in ("", ".", "..") or "/" in part or "\x00" in part:
            raise ValueError(f"{part!r} cannot name a folder under {base}")
    probe = base
    for part in parts:
        probe = probe / part
        if probe.is_symlink():
            raise ValueError(f"{probe} is a symbolic link; not written through")
    return path


def _write_files(target: Path, files: dict[str, bytes]) -> None:
    """Make ``target`` hold exactly ``files``, replacing what was there in one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.incoming")
    old = target.with_name(f".{target.name}.old")
    for leftover in (incoming, old):
        shutil.rmtree(leftover, ignore_errors=True)
    incoming.mkdir()
    for name, data in files.items():
        if os.path.basename(name) != name or name.startswith("."):
            continue
        (incoming / name).write_bytes(data)
    if target.exists() or target.is_symlink():
        target.rename(old)
    incoming.rename(target)
    shutil.rmtree(old, ignore_errors=True)


# nbgrader's exchange files that travel with a submission: release_feedback reads both from feedback/ (the
# secret names the page a trainee's fetch_feedback finds), as stock autograde and generate_feedback copy them.
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")
EXCHANGE_FILE_LIMIT = 4096  # bytes: both are one short line


def exchange_files(folder: Path) -> dict[str, bytes]:
    """The exchange files of a submission folder: regular files only, never through a link, size-bounded."""
    found = {}
    for name in EXCHANGE_FILES:
        try:
            handle = os.open(folder / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:  # absent, a link, or unreadable: nbgrader then has nothing to release for it
            continue
        try:
            status = os.fstat(handle)
            if stat.S_ISREG(status.st_mode) and status.st_size <= EXCHANGE_FILE_LIMIT:
                found[name] = os.read(handle, EXCHANGE_FILE_LIMIT)
        finally:
            os.close(handle)
    return found


def _remove(target: Path) -> None:
    if target.is_symlink() or target.is_file():
        target.unlink()
    else:
        shutil.rmtree(target, ignore_errors=True)


@dataclass
class GradingSession:
    """Records results as they come and keeps the run's tally."""

    root: Path
    recorder: Recorder
    specs: dict[str, ModuleSpec]
    progress: Progress
    results: dict[tuple[str, str], SubmissionResult] = field(default_factory=dict)
    removed: list[tuple[str, str]] = field(default_factory=list)

    def finish(self, result: SubmissionResult) -> None:
        """Record ``result``, then put its autograded notebooks and feedback (or a note) in place."""
        self.recorder.record(result)
        autograded = inside(self.root / "autograded", result.student, result.module)
        feedback = inside(self.root / "feedback", result.student, result.module)
        try:  # a linked submission folder is refused, and nothing is read through it
            exchange = exchange_files(inside(self.root / "submitted", result.student, result.module))
        except ValueError:
            exchange = {}
        if result.autograded:
            _write_files(autograded, {**result.autograded, **exchange})
        else:
            _remove(autograded)
        if result.feedback:
            _write_files(feedback, {**result.feedback, **exchange})
        elif result.status in (Status.MISSING, Status.UNREADABLE):
            _write_files(feedback, {**_note(self.specs[result.module], result), **exchange})
        else:
            _remove(feedback)
        self.results[result.module, result.student] = result
        self.progress.step(f"{result.module} {result.student}: {result.label}")

    def not_submitted(self, module: str, student: str) -> None:
        """Nothing in submitted/: nothing is written (an earlier submission is removed by remove_stale)."""
        self.results[module, student] = SubmissionResult(module, student, Status.NOT_SUBMITTED,
                                                         "nothing in submitted/",
                                                         auto_max=self.specs[module].auto_max)

    def remove_stale(self, module: str, student: str) -> None:
        """The trainee's folder is gone: remove the earlier submission, its autograded notebook and feedback."""
        if self.recorder.remove(module, student):
            self.removed.append((module, student))
        for base in ("autograded", "feedback"):
            _remove(inside(self.root / base, student, module))
        result = self.results.get((module, student))
        if result is not None:
            result.detail = "its folder in submitted/ is gone: the earlier submission was removed"


def _note(spec: ModuleSpec, result: SubmissionResult) -> dict[str, bytes]:
    """Feedback for a submission nbgrader could not grade: what was wrong, in plain words, in every language of the
    course (the submission's own edition first, where it could be read)."""
    from course.i18n import DEFAULT_LANGUAGE, LANGUAGES, message
    from course.templating import render

    first = result.edition.split("+")[0] if result.edition.split("+")[0] in LANGUAGES else DEFAULT_LANGUAGE
    languages = [first, *(lang for lang in LANGUAGES if lang != first)]
    return {f"{name}.html": render("grading/not_graded.html.j2", name=name, module=spec.name, label=result.label,
                                   reason=result.detail or result.label, maximum=f"{result.auto_max:g}",
                                   languages=languages, t=message).encode("utf-8")
            for name in spec.notebooks}
