"""The `course` command for instructors and workshop hosts.

    course exercises [MODULE ...]   regenerate exercises/ from solutions/ (nbgrader generate_assignment)
    course verify                   check the course: clean notebooks, grade ids, points, fresh and leak-free release
    course lab [--lang id]          the trainee's view: JupyterLab on a working copy of the release (my-work/;
                                    in Indonesian my-work-id/ from exercises-id/, JupyterLab in Indonesian)
    course grade [MODULE ...]       autograde submissions in parallel, sandboxed, every one recorded with a status
    course export / course report   grades for the LMS (CSV) / the cohort report (offline HTML)
    course apps                     open the calculators as web pages (Voila)
    course student-edition DIR      write the trainee-facing tree for a hub (no solutions, no hidden tests)
    course hub-link HUB REPO [M]    print the nbgitpuller link that opens a module on a hub
    course translations extract     create or update the Indonesian PO files (translations/id/) from solutions/
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course.apps_cli import add_commands as add_apps_commands
from course.grading.cli import add_commands as add_grading_commands
from course.hub import add_commands as add_hub_commands
from course.nbgrader_api import CourseError, find_root
from course.translate_cli import add_commands as add_translation_commands


def _exercises(args: argparse.Namespace) -> int:
    from course.build import generate

    from course.build import EDITION_FOLDERS, generate_edition
    from course.translate_cli import fallback_lines

    root = find_root()
    for name in generate(root, args.modules or None):
        print(f"generated exercises/{name}")
    for lang, (source, release) in EDITION_FOLDERS.items():
        for name, applied in generate_edition(root, lang, args.modules or None).items():
            print(f"generated {source}/{name} and {release}/{name}")
            for line in fallback_lines(name, applied, limit=5):
                print("  " + line)
    return 0


def _verify(args: argparse.Namespace) -> int:
    from course.verify import verify

    root = find_root()
    findings = verify(root)
    for finding in findings:
        print(finding)
    if findings:
        print(f"\ncourse verify: {len(findings)} problem(s) in {root}", file=sys.stderr)
        return 1
    print(f"course verify: all checks passed in {root}")
    return 0


def _lab(args: argparse.Namespace) -> int:
    from course.workspace import run_lab

    extra = args.lab_args[1:] if args.lab_args[:1] == ["--"] else args.lab_args
    from course.i18n import language

    return run_lab(find_root(), args.dir, extra, lang=args.lang or language())


def parser() -> argparse.ArgumentParser:
    """The argument parser of the `course` command."""
    top = argparse.ArgumentParser(prog="course", description="Tools for the Double Eleven course.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    ex = sub.add_parser("exercises", help="regenerate exercises/ from solutions/")
    ex.add_argument("modules", nargs="*", metavar="MODULE", help="module names, e.g. m01-singles-day (default: all)")
    ex.set_defaults(run=_exercises)
    ve = sub.add_parser("verify", help="check that the course is clean, consistent and leak-free")
    ve.set_defaults(run=_verify)
    lab = sub.add_parser("lab", help="open JupyterLab on the trainee's working copy of the release (my-work/)")
    lab.add_argument("--dir", type=Path, default=None,
                     help="the working copy (default: my-work/ in the course, my-work-id/ for --lang id)")
    lab.add_argument("--lang", choices=("en", "id"), default=None,
                     help="the edition: en (exercises/) or id (exercises-id/, JupyterLab and checks in Indonesian); "
                          "default: COURSE_LANG, else en")
    lab.add_argument("lab_args", nargs=argparse.REMAINDER, metavar="-- ...",
                     help="more options for jupyter lab, after --, e.g. course lab -- --port 8890")
    lab.set_defaults(run=_lab)
    add_grading_commands(sub)
    add_apps_commands(sub)
    add_hub_commands(sub)
    add_translation_commands(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `course` command; returns the exit code."""
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (CourseError, ValueError) as error:  # TranslationError is a ValueError
        print(f"course {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
