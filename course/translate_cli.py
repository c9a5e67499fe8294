"""`course translations`: keep each module's PO file in step with the English source.

    course translations extract [MODULE ...]   create or update translations/id/MODULE.po from solutions/
    course translations status [MODULE ...]    per module: translated, fuzzy and untranslated units, and which
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from course.nbgrader_api import find_root, modules


def _english(root: Path, module: str) -> dict:
    return json.loads((root / "solutions" / module / f"{module}.ipynb").read_text(encoding="utf-8"))


def _names(root: Path, given: list[str]) -> list[str]:
    unknown = sorted(set(given) - set(modules(root)))
    if unknown:
        raise ValueError(f"unknown module(s) {', '.join(unknown)}; the course has {', '.join(modules(root))}")
    return given or modules(root)


def extract(root: Path, names: list[str], lang: str = "id") -> list[str]:
    """Create or update the PO file of each module; return one line per module for the user."""
    from course.translate import po_path, update

    lines = []
    for module in names:
        path = po_path(root, module, lang)
        changed, fuzzy = update(_english(root, module), module, path, lang)
        state = "updated" if changed else "unchanged"
        lines.append(f"{state} {path.relative_to(root)}" + (f" ({fuzzy} fuzzy: review them)" if fuzzy else ""))
    return lines


def fallback_lines(module: str, applied, limit: int | None = None) -> list[str]:
    """Say which units of a generated notebook fell back to English (fuzzy ones always listed)."""
    total = len(applied.translated) + len(applied.fuzzy) + len(applied.untranslated)
    lines = [f"{module}: {len(applied.translated)} of {total} units in Indonesian"
             + (f", {len(applied.fuzzy)} fuzzy and {len(applied.untranslated)} untranslated left in English"
                if applied.fuzzy or applied.untranslated else "")]
    for unit in applied.fuzzy:
        lines.append(f"  fuzzy (English shown): [{unit.context}] {unit.msgid[:70]!r}")
    shown = applied.untranslated if limit is None else applied.untranslated[:limit]
    for unit in shown:
        lines.append(f"  untranslated (English shown): [{unit.context}] {unit.msgid[:70]!r}")
    if len(shown) < len(applied.untranslated):
        lines.append(f"  ... and {len(applied.untranslated) - len(shown)} more: "
                     f"course translations status {module}")
    return lines


def _extract(args: argparse.Namespace) -> int:
    root = find_root()
    for line in extract(root, _names(root, args.modules)):
        print(line)
    return 0


def _status(args: argparse.Namespace) -> int:
    from course.build import translate_module

    root = find_root()
    for module in _names(root, args.modules):
        for line in fallback_lines(module, translate_module(root, module)):
            print(line)
    return 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add `translations extract|update|status` to the `course` command's subparsers."""
    top = subparsers.add_parser("translations", help="Indonesian edition: update the PO files, show what is translated")
    inner = top.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, run, text in (("extract", _extract, "create or update translations/id/MODULE.po from solutions/ "
                                                   "(a changed English unit becomes fuzzy)"),
                            ("update", _extract, "the same as extract"),
                            ("status", _status, "list, per module, what is still in English and why")):
        command = inner.add_parser(name, help=text)
        command.add_argument("modules", nargs="*", metavar="MODULE", help="module names (default: all)")
        command.set_defaults(run=run)
