"""`course grade`: autograde a cohort on a Dask cluster, record every submission, give feedback.

The client (this process) finds the submissions, refuses trainee ids that would name a
path, reads each submission's notebooks (size-bounded, links never followed) and builds
one :class:`~course.grading.tasks.GradeTask` per submission. The engine
(:mod:`course.grading.engine`: an embedded local cluster, or ``--scheduler ADDRESS``) grades
them on its workers; each result comes back as data and the client's
:class:`~course.grading.session.GradingSession` writes it: the gradebook (one transaction per
submission), autograded/ and feedback/. An interrupted run keeps what was recorded; a
rerun grades everything again and ends in the same gradebook.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from course.build import EDITION_FOLDERS
from course.grading import gradebook, sandbox, submissions
from course.grading.engine import Engine
from course.grading.feedback import read_only_texts
from course.grading.outcome import Status, SubmissionResult
from course.grading.progress import Progress
from course.grading.session import GradingSession
from course.grading.tasks import GradeTask, ModuleFiles, WorkerSettings
from course.nbgrader_api import CONFIG_FILE, CourseError, api, check, load_config
from course.nbgrader_api import modules as course_modules


@dataclass
class GradeOptions:
    """How to grade. ``None`` for a limit leaves it off; ``timeout=None`` takes the course's Execute.timeout."""

    jobs: int | None = None
    timeout: int | None = None
    memory_mb: int | None = 2048
    cpu_seconds: int | None = 600
    processes: int | None = 64
    kernel_user: str | None = sandbox.ACCOUNT_PREFIX
    feedback: bool = True
    collect: bool = False
    db_url: str | None = None
    submission_timeout: int = 1800
    max_notebook_mb: int = submissions.MAX_NOTEBOOK_MB
    progress: bool = True
    scheduler: str | None = None


@dataclass
class GradeRun:
    """The outcome of one ``course grade``."""

    results: list[SubmissionResult]
    db_url: str
    course_id: str
    workers: int
    seconds: float
    refused: dict[str, str] = field(default_factory=dict)
    removed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every submission was graded to a recorded state without a grading failure or refused id."""
        return not self.refused and not any(result.status == Status.FAILED for result in self.results)

    @property
    def feedback_errors(self) -> dict[tuple[str, str], str]:
        """Feedback that could not be made, keyed by (module, trainee)."""
        return {(r.module, r.student): r.feedback_error for r in self.results if r.feedback_error}


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class CourseSettings:
    """What ``course grade`` takes from the course's nbgrader config."""

    release_dir: Path
    db_url: str
    course_id: str
    timeout: int


def course_settings(root: Path, db_url: str | None = None) -> CourseSettings:
    """The release folder, gradebook URL, course id and cell timeout of the course at ``root``."""
    from nbgrader.coursedir import CourseDirectory

    config = load_config(root)
    folders = CourseDirectory(config=config)
    resolved = gradebook.resolve_db_url(root, db_url or folders.db_url)
    timeout = config.get("Execute", {}).get("timeout") or 60
    return CourseSettings(root / folders.release_directory, resolved, folders.course_id, int(timeout))


def _select_modules(root: Path, db_url: str, course_id: str, wanted: list[str] | None) -> list[str]:
    known = course_modules(root)
    with gradebook.open_gradebook(db_url, course_id) as book:
        released = {assignment.name for assignment in book.assignments}
    if wanted:
        unknown = sorted(set(wanted) - set(known) - released)
        if unknown:
            raise ValueError(f"unknown module(s) {', '.join(unknown)}; the course has {', '.join(known)}")
        return list(dict.fromkeys(wanted))
    chosen = [name for name in known if name in released]
    if not chosen:
        raise CourseError(f"no module of the course is in the gradebook {db_url}: run `course exercises` first")
    return chosen


def build_task(item: submissions.Submission, spec: submissions.ModuleSpec, course_id: str, timeout: int,
               options: GradeOptions, extension: float | None, manual: dict) -> GradeTask:
    """Read one submission folder into a task (only its notebooks and timestamp travel)."""
    assert item.folder is not None
    files = submissions.classify(item.folder, spec, options.max_notebook_mb)
    timestamp, timestamp_note = submissions.read_timestamp(item.folder)
    notes = [found.detail for found in files.values() if found.state == submissions.FileState.RENAMED]
    if timestamp_note:
        notes.append(timestamp_note)
    problems = {name: (Status.MISSING if found.state == submissions.FileState.MISSING else Status.UNREADABLE,
                       found.detail) for name, found in files.items()
                if found.state in (submissions.FileState.MISSING, submissions.FileState.UNREADABLE)}
    return GradeTask(item.module, item.student, course_id, spec,
                     {name: found.data for name, found in files.items()
                      if found.state in (submissions.FileState.OK, submissions.FileState.RENAMED)},
                     problems, tuple(notes), timestamp, submissions.fingerprint(files), timeout, extension,
                     options.max_notebook_mb, manual, options.feedback)


def grade(root: Path, modules: list[str] | None = None, students: list[str] | None = None,
          options: GradeOptions | None = None, stream: TextIO | None = None) -> GradeRun:
    """Autograde ``modules`` (default: every module in the gradebook) for ``students`` (default: everyone)."""
    started = time.monotonic()
    options = options or GradeOptions()
    root = Path(root).resolve()
    course = course_settings(root, options.db_url)
    if options.timeout:
        course = CourseSettings(course.release_dir, course.db_url, course.course_id, options.timeout)
    limits = sandbox.Limits(timeout=course.timeout, memory_mb=options.memory_mb, cpu_seconds=options.cpu_seconds,
                            processes=options.processes)
    settings = WorkerSettings(dict(limits.__dict__), options.kernel_user, str(root))
    engine = Engine(settings, jobs=options.jobs or default_jobs(), scheduler=options.scheduler,
                    deadline=float(options.submission_timeout))
    engine.start()  # first: an unreachable scheduler or a sandbox that cannot run stops here, nothing written
    try:
        run = _grade(root, modules, students, options, stream, engine, course)
    finally:
        engine.close()
    run.seconds = round(time.monotonic() - started, 1)
    return run


def _grade(root: Path, modules: list[str] | None, students: list[str] | None, options: GradeOptions,
           stream: TextIO | None, engine: Engine, course: CourseSettings) -> GradeRun:
    release_dir, db_url, course_id, timeout = course.release_dir, course.db_url, course.course_id, course.timeout
    gradebook.prepare(db_url, course_id)
    modules = _select_modules(root, db_url, course_id, modules)
    if options.collect:
        grader = api(root, load_config(root, db_url=db_url))
        for module in modules:
            check(grader.collect(module), f"collecting {module} from the exchange")
    editions = [root / release for _, release in EDITION_FOLDERS.values()]  # exercises-id/: a mixed cohort
    specs = {module: gradebook.module_spec(db_url, course_id, module, release_dir, editions) for module in modules}
    candidates = set(students) if students else \
        set(gradebook.students(db_url, course_id)) | submissions.submitted_students(root, modules)
    refused = {student: why for student in candidates if (why := submissions.unsafe_id(student))}
    roster = sorted(candidates - set(refused))
    found = submissions.find(root, modules, roster)
    config_text = (root / CONFIG_FILE).read_text(encoding="utf-8")
    releases = {lang: root / release for lang, (_, release) in EDITION_FOLDERS.items()}
    files = {module: ModuleFiles(gradebook.template_bytes(db_url, course_id, module), config_text,
                                 read_only_texts(releases, module, specs[module].notebooks))
             for module in modules}
    manual = {module: gradebook.manual_grades(db_url, course_id, module) for module in modules} \
        if options.feedback else {}
    granted = gradebook.extensions(db_url, course_id, modules)
    earlier = gradebook.submitted_pairs(db_url, course_id, modules)
    to_grade = [item for item in found if item.folder is not None]
    to_grade.sort(key=_size, reverse=True)  # big notebooks first: the run ends sooner
    progress = Progress(len(to_grade) + sum(1 for item in found if item.refused), stream=stream,
                        enabled=options.progress)

    def tasks() -> Iterator[GradeTask]:
        for item in to_grade:
            yield build_task(item, specs[item.module], course_id, timeout, options,
                             granted.get((item.module, item.student)),
                             manual.get(item.module, {}).get(item.student, {}))

    run = GradeRun([], db_url, course_id, engine.workers, 0.0, refused)
    try:
        with gradebook.Recorder(db_url, course_id) as recorder:
            session = GradingSession(root, recorder, specs, progress)
            for item in found:
                if item.refused:
                    session.finish(SubmissionResult(item.module, item.student, Status.UNREADABLE, item.refused,
                                                    auto_max=specs[item.module].auto_max))
                elif item.folder is None:
                    session.not_submitted(item.module, item.student)
                    if (item.module, item.student) in earlier:
                        session.remove_stale(item.module, item.student)
            engine.run(tasks(), files, session.finish)
    finally:  # interrupted or failed: what was recorded stays recorded
        progress.close()
    run.results = [session.results[item.module, item.student] for item in found
                   if (item.module, item.student) in session.results]
    run.removed = session.removed
    return run


def _size(item: submissions.Submission) -> int:
    try:
        return sum(path.stat().st_size for path in item.folder.glob("*.ipynb") if path.is_file()) \
            if item.folder else 0
    except OSError:
        return 0


def summary(run: GradeRun) -> str:
    """The table printed after grading: one row per trainee and module (points, maximum, status, notes)."""
    lines = []
    with gradebook.open_gradebook(run.db_url, run.course_id) as book:
        by_module: dict[str, list[SubmissionResult]] = {}
        for result in run.results:
            by_module.setdefault(result.module, []).append(result)
        for module, rows in by_module.items():
            maximum = book.find_assignment(module).max_score
            table = [("trainee", "points", "max", "status", "notes")]
            for result in rows:
                notes = [result.detail] if result.detail and result.status != Status.NOT_SUBMITTED else []
                points = "-"
                if result.status != Status.NOT_SUBMITTED:
                    submission = book.find_submission(module, result.student)
                    points = f"{submission.score:g}"
                    waiting = sum(1 for nb in submission.notebooks for grade in nb.grades
                                  if grade.needs_manual_grade)
                    if waiting and result.status != Status.FAILED:
                        notes.append(f"{waiting} cell(s) to grade by hand")
                if result.feedback_error:
                    notes.append("feedback failed: " + result.feedback_error)
                table.append((result.student, points, f"{maximum:g}", result.label, "; ".join(notes)))
            widths = [max(len(row[i]) for row in table) for i in range(4)]
            lines.append(f"\n{module}")
            for row in table:
                lines.append("  ".join(cell.ljust(widths[i]) if i in (0, 3) else cell.rjust(widths[i])
                                       for i, cell in enumerate(row[:4])) + ("  " + row[4] if row[4] else ""))
    counts = Counter(result.label for result in run.results)
    graded = sum(1 for result in run.results if result.status != Status.NOT_SUBMITTED)
    lines.append(f"\n{graded} submission(s) recorded in {run.seconds:g} s with {run.workers} worker(s): "
                 + ", ".join(f"{count} {label}" for label, count in counts.most_common()))
    for _student, why in sorted(run.refused.items()):
        lines.append(f"not graded: {why}")
    for module, student in run.removed:
        lines.append(f"removed: {student}'s earlier submission of {module} (its folder in submitted/ is gone)")
    return "\n".join(lines)

