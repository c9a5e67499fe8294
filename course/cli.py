"""The `course` command for trainees, instructors and workshop hosts: `course --help` lists its commands.

Every command is registered in :data:`COMMANDS` below, with the module that defines its arguments and
handler (an ``add_commands(subparsers)`` function setting ``run=handler``); `course COMMAND --help` tells
more. This module defines the trainee's one itself:

    course lab [--lang id]          the trainee's view: JupyterLab on a working copy of the release (my-work/;
                                    in Indonesian my-work-id/ from exercises-id/, JupyterLab in Indonesian)

The student edition carries only the trainee's part of the package (course.edition.TRAINEE_RUNTIME): there
the command has only :data:`TRAINEE_COMMANDS`, and an instructor's command says that it is not part of it.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from pathlib import Path

from course import __version__
from course.folders import CourseError, find_root

# Every `course` command, in the order `course --help` lists them, and the module that adds it.
COMMANDS: dict[str, str] = {
    "exercises": "course.build_cli",
    "verify": "course.build_cli",
    "lab": "course.cli",
    "grade": "course.grading.cli",
    "export": "course.grading.cli",
    "report": "course.grading.cli",
    "apps": "course.apps_cli",
    "student-edition": "course.hub",
    "hub-link": "course.hub",
    "translations": "course.translate_cli",
}
# The commands trainees use, the only ones in the student edition; the others are the instructors' and hosts'.
TRAINEE_COMMANDS = ("lab", "apps")


def present(module: str) -> bool:
    """True if ``module`` is part of this installation (the student edition lacks the instructors' modules)."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # its package (course.grading) is absent
        return False


def _lab(args: argparse.Namespace) -> int:
    from course.i18n import language
    from course.workspace import edition_language, run_lab

    extra = args.lab_args[1:] if args.lab_args[:1] == ["--"] else args.lab_args
    root = find_root(edition=True)
    return run_lab(root, args.dir, extra, lang=args.lang or edition_language(root) or language())


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add `lab` to the `course` command's subparsers."""
    lab = subparsers.add_parser("lab", help="open JupyterLab on the trainee's working copy of the release (my-work/)")
    lab.add_argument("--dir", type=Path, default=None,
                     help="the working copy (default: my-work/ in the course, my-work-id/ for --lang id)")
    lab.add_argument("--lang", choices=("en", "id"), default=None,
                     help="the edition: en (exercises/) or id (exercises-id/, JupyterLab and checks in Indonesian); "
                          "default: the release the folder holds if it holds one only, else COURSE_LANG, else en")
    lab.add_argument("lab_args", nargs=argparse.REMAINDER, metavar="-- ...",
                     help="more options for jupyter lab, after --, e.g. course lab -- --port 8890")
    lab.set_defaults(run=_lab)


def parser() -> argparse.ArgumentParser:
    """The argument parser of the `course` command, with every command of :data:`COMMANDS` that is present."""
    top = argparse.ArgumentParser(prog="course", description="Tools for the Double Eleven course.")
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in dict.fromkeys(COMMANDS.values()):
        if present(module):
            importlib.import_module(module).add_commands(sub)
    added, expected = list(sub.choices), [name for name, module in COMMANDS.items() if present(module)]
    if added != expected:
        raise RuntimeError(f"the modules of course.cli.COMMANDS add the commands {added}, not {expected}: "
                           "register each command in COMMANDS, in the order its module adds it")
    return top


def _absent(argv: list[str]) -> str | None:
    """The command named in ``argv`` if it is registered but its module is not part of this installation."""
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    return command if command in COMMANDS and not present(COMMANDS[command]) else None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `course` command; returns the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    absent = _absent(argv)
    if absent:
        from course.i18n import message

        available = ", ".join(name for name, module in COMMANDS.items() if present(module))
        print(message("cli.instructors_only", command=absent, commands=available), file=sys.stderr)
        return 2
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (CourseError, ValueError) as error:  # TranslationError is a ValueError
        print(f"course {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
