"""`course verify`: is the course consistent, clean and safe to hand to trainees?

Checks, each with a readable finding:
- every committed notebook is clean (no outputs, no execution counts);
- grade ids are unique and follow ``mNN-qK-slug``; graded cells have points;
- each module's header states its time, prerequisites and total points (matching the cells), and
  maps 3-5 learning objectives to graded questions;
- every figure a cell draws is followed by alt text;
- exercises/ equals a fresh generation from solutions/ (nothing stale, missing or extra);
- exercises/ holds no solution code, hidden test or mark scheme;
- the Indonesian edition: every module has its translation file, every unit is translated, none is fuzzy or
  stale (its English changed), translations keep their {placeholders} and `code`, solutions-id/ and exercises-id/
  equal a fresh generation, and their code, answers and tests are those of the English edition.
"""

from __future__ import annotations

import fnmatch
import json
import re
import tempfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from course import leaks
from course.build import generate
from course.nbgrader_api import MODULE_PATTERN, CourseError, modules

GRADED_ID = re.compile(r"^m(\d{2})-q\d+-[a-z0-9]+(?:-[a-z0-9]+)*$")
OTHER_ID = re.compile(r"^m(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")
POINTS_CLAIM = re.compile(r"\*\*Points:?\*\*:?\s*(\d+)", re.IGNORECASE)
OBJECTIVE_ROW = re.compile(r"^\|\s*O\d+\s*\|(.+)\|(.+)\|\s*$", re.MULTILINE)
IGNORED = (".ipynb_checkpoints", "__pycache__", "*.pyc", ".nbgrader.log", "*.bak")  # as c.CourseDirectory.ignore
DRAWS = re.compile(r"plt\.show\(|\.subplots\(|plt\.(?:plot|bar|hist|scatter)\(")


@dataclass(frozen=True)
class Finding:
    check: str
    where: str
    what: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.where}: {self.what}"


def _notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source_notebooks(root: Path) -> Iterator[tuple[str, str, list[dict]]]:
    """(module, 'solutions/module', cells) of every module whose source notebook exists."""
    for module in modules(root):
        path = root / "solutions" / module / f"{module}.ipynb"
        if path.is_file():
            yield module, f"solutions/{module}", _notebook(path)["cells"]


def clean_notebooks(root: Path) -> list[Finding]:
    """Committed notebooks carry no outputs and no execution counts."""
    found = []
    for folder in ("solutions", "exercises"):
        for path in sorted((root / folder).rglob("*.ipynb")):
            if ".ipynb_checkpoints" in path.parts:
                continue
            for number, cell in enumerate(_notebook(path)["cells"], start=1):
                if cell.get("outputs"):
                    found.append(Finding("clean", f"{path.relative_to(root)} cell {number}", "has outputs"))
                if cell.get("execution_count") is not None:
                    found.append(Finding("clean", f"{path.relative_to(root)} cell {number}", "has an execution count"))
    return found


def module_layout(root: Path) -> list[Finding]:
    """Each module is a folder mNN-slug holding exactly the notebook mNN-slug.ipynb."""
    found = []
    for folder in sorted(p for p in (root / "solutions").iterdir() if p.is_dir()):
        if not MODULE_PATTERN.match(folder.name):
            found.append(Finding("layout", f"solutions/{folder.name}", "is not named mNN-slug"))
            continue
        notebooks = sorted(p.name for p in folder.glob("*.ipynb"))
        if notebooks != [f"{folder.name}.ipynb"]:
            found.append(Finding("layout", f"solutions/{folder.name}",
                                 f"should hold exactly {folder.name}.ipynb, holds {notebooks}"))
    return found


def grade_cells(root: Path) -> list[Finding]:
    """Grade ids are unique, follow the naming rule, and graded cells have points matching the header."""
    found: list[Finding] = []
    seen: dict[str, str] = {}
    for module, where, cells in _source_notebooks(root):
        number = module[1:3]
        total = 0.0
        for cell in cells:
            meta = cell.get("metadata", {}).get("nbgrader")
            if not meta:
                continue
            grade_id = meta.get("grade_id", "")
            graded = meta.get("grade") or meta.get("task")
            rule = GRADED_ID if graded or meta.get("solution") else OTHER_ID
            match = rule.match(grade_id)
            if not match:
                shape = "mNN-qK-slug" if rule is GRADED_ID else "mNN-slug"
                found.append(Finding("grade-id", where, f"grade id {grade_id!r} does not follow {shape}"))
            elif match.group(1) != number:
                found.append(Finding("grade-id", where, f"grade id {grade_id!r} does not start with m{number}"))
            if grade_id in seen:
                found.append(Finding("grade-id", where,
                                     f"grade id {grade_id!r} is used again (first in {seen[grade_id]})"))
            seen.setdefault(grade_id, where)
            if graded:
                points = meta.get("points") or 0
                if points <= 0:
                    found.append(Finding("points", where, f"graded cell {grade_id!r} has no points"))
                total += points
        header = "".join(cells[0].get("source", "")) if cells else ""
        claim = POINTS_CLAIM.search(header)
        if not claim:
            found.append(Finding("points", where, "the header cell does not state the module's **Points:**"))
        elif float(claim.group(1)) != total:
            found.append(Finding("points", where,
                                 f"the header says {claim.group(1)} points, the cells add up to {total:g}"))
    return found


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def module_header(root: Path) -> list[Finding]:
    """The header states time and prerequisites and maps 3-5 objectives to graded questions."""
    found = []
    for _module, where, cells in _source_notebooks(root):
        header = _source(cells[0]) if cells else ""
        for label in ("Time:", "Prerequisites:"):
            if f"**{label}**" not in header:
                found.append(Finding("header", where, f"the header cell does not state **{label}**"))
        graded = {int(m.group(1)) for c in cells
                  if (meta := c.get("metadata", {}).get("nbgrader", {})).get("grade") or meta.get("task")
                  if (m := re.match(r"m\d{2}-q(\d+)-", meta.get("grade_id", "")))}
        objectives = OBJECTIVE_ROW.findall(header)
        if not 3 <= len(objectives) <= 5:
            found.append(Finding("header", where, f"the header maps {len(objectives)} learning objectives "
                                 "(| O1 | ... | Q1 |), the standard is 3 to 5"))
        for text, checked_by in objectives:
            questions = {int(q) for q in re.findall(r"Q(\d+)", checked_by)}
            if not questions & graded:
                found.append(Finding("header", where, f"objective '{text.strip()[:70]}' is checked by no graded "
                                     f"question (it names {sorted(questions) or 'none'})"))
    return found


def alt_text(root: Path) -> list[Finding]:
    """A code cell that draws a figure is followed by a markdown cell starting with '*Alt text:'."""
    found = []
    for _module, where, cells in _source_notebooks(root):
        for number, cell in enumerate(cells, start=1):
            if cell["cell_type"] == "code" and DRAWS.search(_source(cell)):
                following = _source(cells[number]) if number < len(cells) else ""
                if not following.lstrip().startswith("*Alt text:"):
                    found.append(Finding("alt-text", f"{where} cell {number}",
                                         "draws a figure but the next cell does not start with '*Alt text:'"))
    return found


def _comparable(path: Path) -> object:
    return _notebook(path) if path.suffix == ".ipynb" else path.read_bytes()


def fresh_release(root: Path, into: Path) -> tuple[list[str], list[Finding]]:
    """Generate every module into ``into`` with a throw-away gradebook; return the failed modules and why."""
    failed, found = [], []
    for module in modules(root):
        try:
            generate(root, [module], release_dir=into, db_url=f"sqlite:///{into.parent / 'gradebook.db'}")
        except CourseError as error:
            reasons = dict.fromkeys(m.group(0) for m in re.finditer(r"\b\w*Error: .+", str(error))
                                    if "Please see" not in m.group(0) and "failed to validate" not in m.group(0))
            failed.append(module)
            found.append(Finding("generate", f"solutions/{module}",
                                 "nbgrader cannot generate its release: " + ("; ".join(reasons) or str(error)[-300:])))
    return failed, found


def _ignored(rel: Path) -> bool:
    """Editor and tool leftovers that are not part of a release (nbgrader's own ignore list)."""
    return any(fnmatch.fnmatch(part, pattern) for part in rel.parts for pattern in IGNORED)


def stale_tree(current: Path, fresh: Path, label: str, sources: str,
               skip: Collection[str] = ()) -> list[Finding]:
    """A generated tree must equal a fresh generation: same files, same content.

    ``current`` is the committed tree (named ``label`` in findings, e.g. exercises), ``fresh`` the fresh
    generation from ``sources`` (e.g. solutions/). Modules in ``skip`` are left out of both: they could
    not be generated, for a reason another finding gives.
    """
    def files(tree: Path) -> set[Path]:
        found = {p.relative_to(tree) for p in tree.rglob("*") if p.is_file()} if tree.is_dir() else set()
        return {p for p in found if p.parts[0] not in skip and not _ignored(p)}

    found = []
    have, want = files(current), files(fresh)
    for rel in sorted(want - have):
        found.append(Finding("stale", f"{label}/{rel}", "is missing; run `course exercises`"))
    for rel in sorted(have - want):
        found.append(Finding("stale", f"{label}/{rel}",
                             f"is not generated from {sources}; remove it or add its source"))
    for rel in sorted(have & want):
        if _comparable(current / rel) != _comparable(fresh / rel):
            found.append(Finding("stale", f"{label}/{rel}",
                                 f"differs from a fresh generation (edited by hand, or {sources} changed); "
                                 "run `course exercises`"))
    return found


def leaked(root: Path) -> list[Finding]:
    """No solution, hidden test or mark scheme in exercises/."""
    return [Finding("leak", str(leak.path.relative_to(root)), f"{leak.where} {leak.what}")
            for leak in leaks.scan(root / "exercises", root / "solutions")]


def translation_files(root: Path, lang: str = "id") -> tuple[list[str], list[Finding]]:
    """Each module's PO file exists, is valid, current, reviewed, and keeps placeholders; return the usable modules."""
    from course.translate import TranslationError, placeholders, po_path, read_catalog, units

    usable, found = [], []
    for module, where, cells in _source_notebooks(root):
        path = po_path(root, module, lang)
        rel = str(path.relative_to(root))
        if not path.is_file():
            found.append(Finding("translation", rel, f"is missing: {module} has no {lang} translation file; "
                                 "run `course translations extract`"))
            continue
        try:
            catalog = read_catalog(path, lang)
            current = {u.key: u for u in units({"cells": cells})}
        except TranslationError as error:
            found.append(Finding("translation", rel, str(error)))
            continue
        usable.append(module)
        entries = {(m.context, m.id): m for m in catalog if m.id}
        missing = [key for key in current if key not in entries]
        if missing:
            found.append(Finding("translation", rel, f"lacks {len(missing)} unit(s) of {where} (first: "
                                 f"[{missing[0][0]}] {missing[0][1][:60]!r}); run `course translations extract`"))
        for (context, msgid), message in entries.items():
            unit = current.get((context, msgid)) if isinstance(context, str) and isinstance(msgid, str) else None
            if unit is None:
                if message.string:
                    found.append(Finding("translation", f"{rel} [{context}]",
                                         f"stale: its English changed or went after it was translated "
                                         f"({msgid[:60]!r}); run `course translations extract` and review"))
                continue
            if message.fuzzy:
                found.append(Finding("translation", f"{rel} [{context}]",
                                     f"fuzzy: the English changed after it was translated ({msgid[:60]!r}); "
                                     "review the translation and remove the fuzzy flag"))
            elif not message.string:
                found.append(Finding("translation", f"{rel} [{context}]",
                                     f"untranslated: the edition shows this in English ({msgid[:60]!r}); "
                                     "translate it (`course translations status` lists what is left)"))
            elif not isinstance(message.string, str):
                found.append(Finding("translation", f"{rel} [{context}]",
                                     f"has plural forms (msgstr[n]) but the course's text has none ({msgid[:60]!r}); "
                                     "write one msgstr"))
            else:
                want, have = placeholders(unit.msgid, unit.kind), placeholders(message.string, unit.kind)
                if want != have:
                    found.append(Finding("translation", f"{rel} [{context}]",
                                         f"the translation's placeholders {have} differ from the English {want}"))
    return usable, found


def _same_code(root: Path, english: Path, translated: Path, label: str) -> list[Finding]:
    from course.translate import code_differences

    if not translated.is_file() or not english.is_file():
        return []
    return [Finding("edition", label, what) for what in code_differences(_notebook(english), _notebook(translated))]


def edition(root: Path, lang: str = "id") -> list[Finding]:
    """The generated edition in ``lang`` is clean, current, leak-free and runs the English code and tests."""
    from course.build import EDITION_FOLDERS, generate_edition

    source_name, release_name = EDITION_FOLDERS[lang]
    usable, found = translation_files(root, lang)
    for folder in (source_name, release_name):
        for path in sorted((root / folder).rglob("*.ipynb")) if (root / folder).is_dir() else []:
            if _ignored(path.relative_to(root)):
                continue
            for number, cell in enumerate(_notebook(path)["cells"], start=1):
                if cell.get("outputs") or cell.get("execution_count") is not None:
                    found.append(Finding("clean", f"{path.relative_to(root)} cell {number}",
                                         "has outputs or an execution count"))
    for module in usable:
        notebook = f"{module}/{module}.ipynb"
        for english, translated in (("solutions", source_name), ("exercises", release_name)):
            found += _same_code(root, root / english / notebook, root / translated / notebook, f"{translated}/{module}")
    # the Indonesian solutions hold the hidden tests (the same as the English) and the translated mark schemes
    secrets = root / source_name if (root / source_name).is_dir() else root / "solutions"
    if (root / release_name).is_dir():
        found += [Finding("leak", str(leak.path.relative_to(root)), f"{leak.where} {leak.what}")
                  for leak in leaks.scan(root / release_name, secrets)]
    with tempfile.TemporaryDirectory(prefix="course-verify-edition-") as tmp:
        fresh = Path(tmp)
        try:
            generate_edition(root, lang, usable, solutions_dir=fresh / source_name,
                             release_dir=fresh / release_name, db_url=f"sqlite:///{fresh / 'gradebook.db'}")
        except CourseError as error:
            return [*found, Finding("generate", source_name, f"nbgrader cannot generate the {lang} release: "
                                    f"{str(error)[-300:]}")]
        if not usable:
            return found
        skip = [module for module in modules(root) if module not in usable]  # their PO file is the finding
        for folder in (source_name, release_name):
            found += stale_tree(root / folder, fresh / folder, folder, "solutions/ or translations/", skip)
    return found


def verify(root: Path) -> list[Finding]:
    """Run every check on the course at ``root``; an empty list means all is well."""
    found = (clean_notebooks(root) + module_layout(root) + grade_cells(root) + module_header(root)
             + alt_text(root) + leaked(root))
    with tempfile.TemporaryDirectory(prefix="course-verify-") as tmp:
        release = Path(tmp) / "exercises"
        failed, problems = fresh_release(root, release)
        found += problems + stale_tree(root / "exercises", release, "exercises", "solutions/", skip=failed)
    return found + edition(root)
