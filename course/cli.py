"""The `course` command for instructors and workshop hosts: `course --help` lists its commands.

Every command is registered in :data:`COMMANDS` below, with the module that defines its arguments and
handler (an ``add_commands(subparsers)`` function setting ``run=handler``); `course COMMAND --help` tells
more. This module defines the course-building ones itself:

    course exercises [MODULE ...]   regenerate exercises/ (and the Indonesian edition) from solutions/
    course verify                   check the course: clean notebooks, grade ids, points, fresh and leak-free release
    course lab [--lang id]          the trainee's view: JupyterLab on a working copy of the release (my-work/;
                                    in Indonesian my-work-id/ from exercises-id/, JupyterLab in Indonesian)
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from course import __version__
from course.nbgrader_api import CourseError, find_root

# Every `course` command, in the order `course --help` lists them, and the module that adds it.
COMMANDS: dict[str, str] = {
    "exercises": "course.cli",
    "verify": "course.cli",
    "lab": "course.cli",
    "grade": "course.grading.cli",
    "export": "course.grading.cli",
    "report": "course.grading.cli",
    "apps": "course.apps_cli",
    "student-edition": "course.hub",
    "hub-link": "course.hub",
    "translations": "course.translate_cli",
}


def _exercises(args: argparse.Namespace) -> int:
    from course.build import EDITION_FOLDERS, generate, generate_edition
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


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add `exercises`, `verify` and `lab` to the `course` command's subparsers."""
    ex = subparsers.add_parser("exercises", help="regenerate exercises/ (and the Indonesian edition) from solutions/")
    ex.add_argument("modules", nargs="*", metavar="MODULE", help="module names, e.g. m01-singles-day (default: all)")
    ex.set_defaults(run=_exercises)
    ve = subparsers.add_parser("verify", help="check that the course is clean, consistent and leak-free")
    ve.set_defaults(run=_verify)
    lab = subparsers.add_parser("lab", help="open JupyterLab on the trainee's working copy of the release (my-work/)")
    lab.add_argument("--dir", type=Path, default=None,
                     help="the working copy (default: my-work/ in the course, my-work-id/ for --lang id)")
    lab.add_argument("--lang", choices=("en", "id"), default=None,
                     help="the edition: en (exercises/) or id (exercises-id/, JupyterLab and checks in Indonesian); "
                          "default: COURSE_LANG, else en")
    lab.add_argument("lab_args", nargs=argparse.REMAINDER, metavar="-- ...",
                     help="more options for jupyter lab, after --, e.g. course lab -- --port 8890")
    lab.set_defaults(run=_lab)


def parser() -> argparse.ArgumentParser:
    """The argument parser of the `course` command, with every command of :data:`COMMANDS`."""
    top = argparse.ArgumentParser(prog="course", description="Tools for the Double Eleven course.")
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in dict.fromkeys(COMMANDS.values()):
        importlib.import_module(module).add_commands(sub)
    added = list(sub.choices)
    if added != list(COMMANDS):
        raise RuntimeError(f"the modules of course.cli.COMMANDS add the commands {added}, not {list(COMMANDS)}: "
                           "register each command in COMMANDS, in the order its module adds it")
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
