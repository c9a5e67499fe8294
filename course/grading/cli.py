"""The instructors' grading commands of `course`: grade, export, report.

    course grade [MODULE ...]   autograde submitted/ in parallel, record every submission, make feedback
    course export               the gradebook as a CSV for an LMS (nbgrader export plugins: wide, Moodle, Canvas)
    course report               a cohort report (one HTML file, viewable offline)
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from course.nbgrader_api import CourseError, find_root


def _limit(text: str) -> int | None:
    """A positive number, or 0/none for no limit."""
    if text.lower() in {"0", "none", "off"}:
        return None
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


DB_URL_ENV = "COURSE_DB_URL"


def db_url_option(given: str | None) -> str | None:
    """The gradebook URL: ``--db-url`` (refused when it holds a password) or ``COURSE_DB_URL``.

    A password on a command line is readable by every process on the machine (ps,
    /proc/PID/cmdline), so it travels in the environment (or nbgrader_config.py) instead.
    """
    if given:
        from sqlalchemy.engine import make_url

        try:
            password = make_url(given).password
        except Exception:  # noqa: BLE001 - not a URL sqlalchemy reads: leave it to nbgrader's error
            password = None
        if password:
            raise CourseError(f"--db-url holds a password, which any process on this machine could read from "
                              f"the command line; set {DB_URL_ENV} (or c.CourseDirectory.db_url in "
                              "nbgrader_config.py) instead")
        return given
    return os.environ.get(DB_URL_ENV) or None


def _settings(root: Path, db_url: str | None) -> tuple[str, str]:
    from course.grading.runner import course_settings

    course = course_settings(root, db_url_option(db_url))
    return course.db_url, course.course_id


def _grade(args: argparse.Namespace) -> int:
    from course.grading.runner import GradeOptions, grade, summary

    options = GradeOptions(jobs=args.jobs, timeout=args.timeout, memory_mb=args.memory, cpu_seconds=args.cpu_time,
                           processes=args.processes,
                           kernel_user=None if args.kernel_user.lower() == "none" else args.kernel_user,
                           feedback=not args.no_feedback, collect=args.collect, db_url=db_url_option(args.db_url),
                           submission_timeout=args.submission_timeout, progress=not args.quiet,
                           scheduler=args.scheduler)
    run = grade(find_root(), args.modules or None, args.student or None, options)
    print(summary(run))
    return 0 if run.ok else 1


def _export(args: argparse.Namespace) -> int:
    from course.grading.export import write_csv

    root = find_root()
    db_url, course_id = _settings(root, args.db_url)
    output = Path(args.output)
    count = write_csv(db_url, course_id, output, args.modules or None, args.format)
    print(f"wrote {output} ({args.format}): {count} trainee(s)")
    return 0


def _report(args: argparse.Namespace) -> int:
    from course.grading.report import write_report

    root = find_root()
    db_url, course_id = _settings(root, args.db_url)
    output = write_report(db_url, course_id, Path(args.output), args.modules or None)
    print(f"wrote {output}")
    return 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add `grade`, `export` and `report` to the `course` command's subparsers."""
    modules_help = "module names, e.g. m01-singles-day (default: every module in the gradebook)"
    db_help = ("the gradebook, e.g. sqlite:///other.db (default: COURSE_DB_URL, else the course's db_url); "
               "a URL with a password is refused here: set COURSE_DB_URL instead")

    grade = subparsers.add_parser(
        "grade", help="autograde submissions in parallel with nbgrader, record every one, make feedback",
        description="Autograde nbgrader's submitted/ folder in parallel, write every submission's score and "
                    "status to the gradebook (a failure is recorded, never skipped), and generate feedback.")
    grade.add_argument("modules", nargs="*", metavar="MODULE", help=modules_help)
    grade.add_argument("--student", action="append", metavar="ID", help="(re)grade only this trainee; repeatable")
    grade.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                       help="workers of the local cluster, one submission each at a time (default: the number "
                            "of cores)")
    grade.add_argument("--timeout", type=int, default=None, metavar="S",
                       help="seconds a cell may run (default: the course's Execute.timeout)")
    grade.add_argument("--memory", type=_limit, default=2048, metavar="MB",
                       help="address-space limit of each kernel, 0 for none (default: 2048)")
    grade.add_argument("--cpu-time", type=_limit, default=600, metavar="S",
                       help="CPU seconds of each kernel process, 0 for none (default: 600)")
    grade.add_argument("--processes", type=_limit, default=64, metavar="N",
                       help="processes and threads of a kernel's account, 0 for none (default: 64)")
    grade.add_argument("--kernel-user", default="course-grader", metavar="PREFIX",
                       help="as root, run kernels as accounts PREFIX-0, PREFIX-1... (created if missing); "
                            "'none' keeps root rights for student code (default: course-grader)")
    grade.add_argument("--submission-timeout", type=int, default=1800, metavar="S",
                       help="seconds one submission may take in all (default: 1800)")
    grade.add_argument("--collect", action="store_true", help="first run nbgrader collect from the exchange")
    grade.add_argument("--no-feedback", action="store_true", help="skip generating feedback")
    grade.add_argument("--db-url", default=None, metavar="URL", help=db_help)
    grade.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="grade on an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (default: "
                            "DASK_SCHEDULER_ADDRESS, else a local cluster of --jobs workers)")
    grade.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    grade.set_defaults(run=_grade)

    export = subparsers.add_parser(
        "export", help="write the grades as a CSV for an LMS (wide, Moodle or Canvas)",
        description="Write the gradebook as a CSV for an LMS with the course's nbgrader export plugin; "
                    "`nbgrader export --exporter course.grading.export.WideCsvExport` (MoodleCsvExport, "
                    "CanvasCsvExport) writes the same file. Scores are empty where nothing was submitted.")
    export.add_argument("modules", nargs="*", metavar="MODULE", help=modules_help)
    export.add_argument("--output", "-o", default="grades.csv", help="the CSV file (default: grades.csv)")
    export.add_argument("--format", "-f", choices=["wide", "moodle", "canvas"], default="wide",
                        help="wide: every field, one row per trainee (default); moodle: for Moodle's 'Import "
                             "grades from CSV'; canvas: for the Canvas Gradebook import (see docs/grading.md)")
    export.add_argument("--db-url", default=None, metavar="URL", help=db_help)
    export.set_defaults(run=_export)

    report = subparsers.add_parser("report", help="write a cohort report (HTML, viewable offline)")
    report.add_argument("modules", nargs="*", metavar="MODULE", help=modules_help)
    report.add_argument("--output", "-o", default="cohort-report.html",
                        help="the HTML file (default: cohort-report.html)")
    report.add_argument("--db-url", default=None, metavar="URL", help=db_help)
    report.set_defaults(run=_report)

