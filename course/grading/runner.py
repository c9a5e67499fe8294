"""`course grade`: autograde a cohort in parallel with nbgrader, record every submission, give feedback.

The parent process finds the submissions, writes one gradebook template per module,
checks the sandbox, and hands each submission to a pool of spawned worker processes
(``--jobs``, default: the number of cores). As each comes back it is written to the
course's gradebook in one transaction (scores and status together), its autograded
notebook is put in autograded/, and a feedback job is queued for the pool. A worker that
crashes is replaced and its submission tried again (three times in all), then recorded as failed.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TextIO

from course.grading import gradebook, outcome, sandbox, submissions, worker
from course.grading.outcome import SubmissionResult
from course.grading.progress import Progress
from course.nbgrader_api import CourseError, api, check, load_config
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


@dataclass
class GradeRun:
    """The outcome of one ``course grade``."""

    results: list[SubmissionResult]
    db_url: str
    course_id: str
    workers: int
    seconds: float
    feedback_errors: dict[tuple[str, str], str] = field(default_factory=dict)
    kept_dir: str | None = None

    @property
    def ok(self) -> bool:
        """True when every submission was graded to a recorded state without a grading failure."""
        return not any(result.status == outcome.FAILED for result in self.results)


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _course_settings(root: Path, options: GradeOptions) -> tuple[Path, str, str, int]:
    from nbgrader.coursedir import CourseDirectory

    config = load_config(root)
    folders = CourseDirectory(config=config)
    db_url = gradebook.resolve_db_url(root, options.db_url or folders.db_url)
    timeout = options.timeout or config.get("Execute", {}).get("timeout") or 60
    return root / folders.release_directory, db_url, folders.course_id, int(timeout)


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


def grade(root: Path, modules: list[str] | None = None, students: list[str] | None = None,
          options: GradeOptions | None = None, stream: TextIO | None = None) -> GradeRun:
    """Autograde ``modules`` (default: every module in the gradebook) for ``students`` (default: everyone)."""
    started = time.monotonic()
    options = options or GradeOptions()
    root = Path(root).resolve()
    release_dir, db_url, course_id, timeout = _course_settings(root, options)
    gradebook.prepare(db_url, course_id)
    modules = _select_modules(root, db_url, course_id, modules)
    if options.collect:
        grader = api(root, load_config(root, db_url=db_url))
        for module in modules:
            check(grader.collect(module), f"collecting {module} from the exchange")
    specs = {module: gradebook.module_spec(db_url, course_id, module, release_dir) for module in modules}
    roster = sorted(set(students) if students else
                    set(gradebook.students(db_url, course_id)) | submissions.submitted_students(root, modules))
    found = submissions.find(root, modules, roster)

    run_dir = Path(tempfile.mkdtemp(prefix="course-grade-", dir=_scratch()))
    os.chmod(run_dir, 0o711)  # kernels pass through to their own folder; they cannot list the others
    limits = sandbox.Limits(timeout=timeout, memory_mb=options.memory_mb, cpu_seconds=options.cpu_seconds,
                            processes=options.processes)
    try:
        box = sandbox.prepare(limits, options.kernel_user, str(run_dir), str(root))
    except sandbox.SandboxError as error:
        shutil.rmtree(run_dir, ignore_errors=True)
        raise CourseError(str(error)) from None
    templates = {}
    for module in modules:
        templates[module] = run_dir / f"{module}.template.db"
        gradebook.write_template(db_url, course_id, module, templates[module])
        os.chmod(templates[module], 0o600)  # it holds the solutions and hidden tests

    granted = gradebook.extensions(db_url, course_id, modules)
    results: dict[tuple[str, str], SubmissionResult] = {}
    jobs = []
    for item in found:
        if item.folder is None:
            results[item.module, item.student] = SubmissionResult(
                item.module, item.student, outcome.NOT_SUBMITTED, "nothing in submitted/",
                auto_max=specs[item.module].auto_max)
            continue
        jobs.append(worker.Job(
            str(root), item.module, item.student, str(item.folder), specs[item.module], str(templates[item.module]),
            course_id, timeout, granted.get((item.module, item.student)),
            options.max_notebook_mb, options.submission_timeout))

    jobs.sort(key=_size, reverse=True)  # big notebooks first: the run ends sooner
    workers = max(1, min(options.jobs or default_jobs(), len(jobs) or 1))
    run = GradeRun([], db_url, course_id, workers, 0.0)
    progress = Progress(len(jobs) * (2 if options.feedback else 1), stream=stream, enabled=options.progress)
    try:
        with gradebook.Recorder(db_url, course_id) as recorder:
            _run_pool(jobs, root, run_dir, box, options, recorder, specs, results, run, progress, workers)
    except BaseException:  # interrupted or the gradebook failed: what was recorded stays recorded
        shutil.rmtree(run_dir, ignore_errors=True)
        raise
    finally:
        progress.close()
    run.results = [results[item.module, item.student] for item in found if (item.module, item.student) in results]
    run.seconds = round(time.monotonic() - started, 1)
    if run.ok:
        shutil.rmtree(run_dir, ignore_errors=True)
    else:
        run.kept_dir = str(run_dir)
    return run


def _scratch() -> str:
    """Where working copies go: memory (/dev/shm) when it has room, as nbgrader commits to its private
    gradebooks after every cell and a disk makes each commit wait; else the usual temporary folder."""
    shm = Path("/dev/shm")
    try:
        if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 2 << 30:
            return str(shm)
    except OSError:
        pass
    return tempfile.gettempdir()


def _size(job: worker.Job) -> int:
    return sum(path.stat().st_size for path in Path(job.folder).glob("*.ipynb") if path.is_file())


def _run_pool(jobs: list[worker.Job], root: Path, run_dir: Path, box: sandbox.Sandbox, options: GradeOptions,
              recorder: gradebook.Recorder, specs: dict[str, submissions.ModuleSpec],
              results: dict[tuple[str, str], SubmissionResult], run: GradeRun, progress: Progress,
              workers: int) -> None:
    """Grade ``jobs`` in a process pool; rebuild the pool if a worker dies (a task gets three tries)."""
    queue: list[tuple[str, Any]] = [("grade", job) for job in jobs]
    tries: Counter = Counter()
    context = get_context("spawn")
    prefix = options.kernel_user if box.account is not None else None
    while queue:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=worker.init,
                                 initargs=(box.to_dict(), str(run_dir), prefix)) as pool:
            futures: dict[Future, tuple[str, Any]] = {}
            pending, queue[:] = list(queue), []
            for task in pending:
                _submit(pool, futures, queue, task, root, run.db_url)
            while futures:
                done, _ = wait(futures, return_when=FIRST_COMPLETED)
                for future in done:
                    kind, payload = task = futures.pop(future)
                    key = (payload.module, payload.student) if kind == "grade" else payload
                    try:
                        value = future.result()
                    except Exception as error:  # noqa: BLE001 - a worker process died
                        tries[kind, key] += 1  # every task in a broken pool fails, not just the culprit
                        if tries[kind, key] < 3:
                            queue.append(task)
                            continue
                        if kind == "feedback":
                            run.feedback_errors[key] = f"the feedback worker crashed: {error!r}"
                            progress.step(f"{key[0]} {key[1]}: feedback failed")
                            continue
                        value = SubmissionResult(payload.module, payload.student, outcome.FAILED,
                                                 f"the grading worker crashed three times: {error!r}",
                                                 auto_max=payload.spec.auto_max)
                    if kind == "grade":
                        _finish(value, root, recorder, specs[value.module], results)
                        progress.step(f"{value.module} {value.student}: {value.label}")
                        if options.feedback:
                            if value.ran_nbgrader and value.autograded_dir:
                                _submit(pool, futures, queue, ("feedback", key), root, run.db_url)
                            else:
                                progress.step(f"{value.module} {value.student}: no feedback to make")
                    else:
                        if value:
                            run.feedback_errors[key] = value
                        progress.step(f"{key[0]} {key[1]}: feedback")


def _submit(pool: ProcessPoolExecutor, futures: dict[Future, tuple[str, Any]], queue: list[tuple[str, Any]],
            task: tuple[str, Any], root: Path, db_url: str) -> None:
    """Hand ``task`` to the pool; keep it for the next pool when this one is broken."""
    kind, payload = task
    try:
        if kind == "grade":
            futures[pool.submit(worker.autograde, payload)] = task
        else:
            futures[pool.submit(worker.feedback, str(root), db_url, *payload)] = task
    except BrokenProcessPool:
        queue.append(task)


def _finish(result: SubmissionResult, root: Path, recorder: gradebook.Recorder, spec: submissions.ModuleSpec,
            results: dict[tuple[str, str], SubmissionResult]) -> None:
    """Record ``result`` in the gradebook, then put its autograded notebook (or nothing) in place."""
    recorder.record(result)
    autograded = root / "autograded" / result.student / result.module
    feedback = root / "feedback" / result.student / result.module
    if result.autograded_dir and Path(result.autograded_dir).is_dir():
        produced = Path(result.autograded_dir)
        _replace_dir(produced, autograded)
        result.autograded_dir = str(autograded)
        shutil.rmtree(produced.parents[3], ignore_errors=True)  # the worker's private course folder
    else:
        shutil.rmtree(autograded, ignore_errors=True)
        result.autograded_dir = None
    shutil.rmtree(feedback, ignore_errors=True)
    if result.status in (outcome.MISSING, outcome.UNREADABLE):
        _write_note(feedback, spec, result)
    results[result.module, result.student] = result


def _replace_dir(source: Path, target: Path) -> None:
    """Put a copy of ``source`` at ``target``, replacing what was there in one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.incoming")
    old = target.with_name(f".{target.name}.old")
    for leftover in (incoming, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(source, incoming, symlinks=True)
    if target.exists():
        target.rename(old)
    incoming.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _write_note(folder: Path, spec: submissions.ModuleSpec, result: SubmissionResult) -> None:
    """Feedback for a submission nbgrader could not grade: what was wrong, in plain words."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in spec.notebooks:
        text = (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(name)}"
                f"</title></head><body><h1>{html.escape(spec.name)}: {html.escape(result.label)}</h1>"
                f"<p>Your submission could not be graded: {html.escape(result.detail or result.label)}.</p>"
                f"<p>Score: 0 of {result.auto_max:g} autograded points. Save the notebook from JupyterLab as "
                f"<code>{html.escape(name)}.ipynb</code> and submit it again, or ask your instructor.</p>"
                "</body></html>\n")
        (folder / f"{name}.html").write_text(text, encoding="utf-8")


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
                notes = [result.detail] if result.detail and result.status != outcome.NOT_SUBMITTED else []
                points = "-"
                if result.status != outcome.NOT_SUBMITTED:
                    submission = book.find_submission(module, result.student)
                    points = f"{submission.score:g}"
                    waiting = sum(1 for nb in submission.notebooks for grade in nb.grades
                                  if grade.needs_manual_grade)
                    if waiting and result.status != outcome.FAILED:
                        notes.append(f"{waiting} cell(s) to grade by hand")
                if (module, result.student) in run.feedback_errors:
                    notes.append("feedback failed: " + run.feedback_errors[module, result.student])
                table.append((result.student, points, f"{maximum:g}", result.label, "; ".join(notes)))
            widths = [max(len(row[i]) for row in table) for i in range(4)]
            lines.append(f"\n{module}")
            for row in table:
                lines.append("  ".join(cell.ljust(widths[i]) if i in (0, 3) else cell.rjust(widths[i])
                                       for i, cell in enumerate(row[:4])) + ("  " + row[4] if row[4] else ""))
    counts = Counter(result.label for result in run.results)
    graded = sum(1 for result in run.results if result.status != outcome.NOT_SUBMITTED)
    lines.append(f"\n{graded} submission(s) recorded in {run.seconds:g} s with {run.workers} worker(s): "
                 + ", ".join(f"{count} {label}" for label, count in counts.most_common()))
    if run.kept_dir:
        lines.append(f"grading failures: logs and working copies kept in {run.kept_dir}")
    return "\n".join(lines)

