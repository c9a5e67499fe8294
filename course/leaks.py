"""Find solution code, hidden tests and mark schemes where trainees could read them.

The secrets are read from the source notebooks in solutions/: the lines between
nbgrader's BEGIN/END SOLUTION, BEGIN/END HIDDEN TESTS and BEGIN/END MARK SCHEME
markers (and the whole of a solution cell that has no markers). A tree leaks when
any of its text files holds a marker or one of those lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "END MARK SCHEME")
_REGIONS = (("BEGIN SOLUTION", "END SOLUTION"), ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS"),
            ("BEGIN MARK SCHEME", "END MARK SCHEME"))
MIN_SECRET_LENGTH = 12  # shorter lines ("else:", "return x") are too common to call a leak
TEXT_SUFFIXES = {".ipynb", ".py", ".md", ".txt", ".json", ".csv", ".toml", ".cfg", ".yml", ".yaml", ".html", ""}


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


def _secret_and_public_lines(source: str, meta: dict) -> tuple[list[str], list[str]]:
    secret, public, inside = [], [], None
    whole_cell_secret = meta.get("solution") and not any(b in source for b, _ in _REGIONS)
    for line in source.splitlines():
        stripped = line.strip()
        begin = next((pair for pair in _REGIONS if pair[0] in line), None)
        if begin:
            inside = begin
        elif inside and inside[1] in line:
            inside = None
        elif inside or whole_cell_secret:
            secret.append(stripped)
        else:
            public.append(stripped)
    return secret, public


def secrets(solutions: Path) -> dict[str, str]:
    """Every secret line of the course -> the cell it comes from, minus lines that are also public."""
    found: dict[str, str] = {}
    public: set[str] = set()
    for nb in sorted(solutions.glob("*/*.ipynb")):
        for label, source, meta in cell_sources(nb):
            hidden, shown = _secret_and_public_lines(source, meta)
            public.update(shown)
            for line in hidden:
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
