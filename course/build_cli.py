"""`course exercises` and `course verify`: the instructors' commands that build and check the course.

    course exercises [MODULE ...]   regenerate exercises/ (and the Indonesian edition) from solutions/
    course verify                   check the course: clean notebooks, grade ids, points, fresh and leak-free release

Instructors only: the student edition does not carry this module (see course.edition.TRAINEE_RUNTIME).
"""

from __future__ import annotations

import argparse
import sys

from course.folders import find_root


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


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add `exercises` and `verify` to the `course` command's subparsers."""
    ex = subparsers.add_parser("exercises", help="regenerate exercises/ (and the Indonesian edition) from solutions/")
    ex.add_argument("modules", nargs="*", metavar="MODULE", help="module names, e.g. m01-singles-day (default: all)")
    ex.set_defaults(run=_exercises)
    ve = subparsers.add_parser("verify", help="check that the course is clean, consistent and leak-free")
    ve.set_defaults(run=_verify)
