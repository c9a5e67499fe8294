"""Find solution code, hidden tests and mark schemes where trainees could read them.

The secrets are read from the source notebooks in solutions/: the lines between
nbgrader's BEGIN/END SOLUTION, BEGIN/END HIDDEN TESTS and BEGIN/END MARK SCHEME
markers (and the whole of a solution cell that has no markers). A tree leaks when
any of its text files holds a marker or one of those lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# The kinds of region nbgrader marks in a source cell, each with its begin and end marker.
REGIONS = {"solution": ("BEGIN SOLUTION", "END SOLUTION"),
           "hidden tests": ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS"),
           "mark scheme": ("BEGIN MARK SCHEME", "END MARK SCHEME")}
MARKERS = tuple(marker for pair in REGIONS.values() for marker in pair)
SECRET_KINDS = tuple(REGIONS)
PUBLIC = "public"
MIN_SECRET_LENGTH = 12  # shorter lines ("else:", "return x") are too common to call a leak
TEXT_SUFFIXES = {".ipynb", ".py", ".md", ".txt", ".json", ".csv", ".toml", ".cfg", ".yml", ".yaml", ".html", ".j2", ""}


@dataclass(frozen=True)
class Leak:
    path: Path
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.path} ({self.where}): {self.what}"


def cell_sources(path: Path) -> list[tuple[str, str, dict]]:
    """(label, source, nbgrader metadata) of each cell of a notebook; label names the cell for reports."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for number, cell in enumerate(nb.get("cells", []), start=1):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        label = f"cell {number}" + (f" ({meta['grade_id']})" if meta.get("grade_id") else "")
        found.append((label, source, meta))
    return found


def regions(source: str, meta: dict) -> Iterator[tuple[str, str]]:
    """(kind, stripped line) for each line of a cell's source, marker lines left out.

    The kind is a key of REGIONS for a line inside that region, or PUBLIC. A solution cell (nbgrader metadata
    ``solution``) without markers is a secret as a whole: each of its lines is of kind "solution".
    """
    whole_cell = bool(meta.get("solution")) and not any(begin in source for begin, _ in REGIONS.values())
    inside: str | None = None
    for line in source.splitlines():
        begin = next((kind for kind, (start, _) in REGIONS.items() if start in line), None)
        if begin:
            inside = begin
        elif inside and REGIONS[inside][1] in line:
            inside = None
        else:
            yield (inside or ("solution" if whole_cell else PUBLIC)), line.strip()


def secrets(solutions: Path, kinds: Iterable[str] = SECRET_KINDS) -> dict[str, str]:
    """Every secret line of the given kinds in the course -> the cell it comes from, minus lines that are also public.

    Lines shorter than MIN_SECRET_LENGTH, or made only of punctuation, are too common to count.
    """
    wanted = set(kinds)
    unknown = wanted - set(REGIONS)
    if unknown:
        raise ValueError(f"unknown region kind(s) {sorted(unknown)}; the kinds are {list(REGIONS)}")
    found: dict[str, str] = {}
    public: set[str] = set()
    for nb in sorted(solutions.glob("*/*.ipynb")):
        for label, source, meta in cell_sources(nb):
            for kind, line in regions(source, meta):
                if kind == PUBLIC:
                    public.add(line)
                elif kind in wanted:
                    found.setdefault(line, f"{nb.parent.name} {label}")
    return {line: origin for line, origin in found.items()
            if len(line) >= MIN_SECRET_LENGTH and line not in public and not re.fullmatch(r"[#\W_]*", line)}


def scan(tree: Path, solutions: Path) -> list[Leak]:
    """All leaks of the course's secrets into the text files of ``tree``."""
    hidden = secrets(solutions)
    leaks: list[Leak] = []
    for path in sorted(p for p in tree.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        try:
            parts = cell_sources(path) if path.suffix == ".ipynb" else [("file", text, {})]
        except ValueError:  # a broken notebook is still scanned as text
            parts = [("file", text, {})]
        for label, source, _ in parts:
            for marker in MARKERS:
                if marker in source:
                    leaks.append(Leak(path, label, f"holds the nbgrader marker {marker!r}"))
            for line in source.splitlines():
                origin = hidden.get(line.strip())
                if origin:
                    leaks.append(Leak(path, label, f"holds a hidden line from {origin}: {line.strip()[:70]!r}"))
    return leaks
