"""Restore what can be restored in a submitted notebook before nbgrader sees it; say what was done.

A fair grader grades what a trainee wrote even when the notebook file is odd. Before
nbgrader runs, a submitted notebook is read (size-bounded, any nbformat nbgrader reads,
too-deep JSON refused as unreadable) and repaired against the module's release:

- lone surrogates (text no file can hold) become U+FFFD;
- the notebook's kernelspec is the course's (a notebook saved under another kernel);
- every cell carrying a grade id of the module gets the release's nbgrader settings back
  (a grade flag switched off, points or the lock changed): noted as tampering;
- a cell whose grade id was renamed gets its id back when exactly one cell of that kind
  is missing; any other unknown or malformed nbgrader entry (an invented graded cell, a
  locked cell pasted from another module) is dropped and the cell graded as an ordinary
  one.

nbgrader itself then restores the sources of locked and test cells and re-adds deleted ones.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

FLAGS = ("grade", "solution", "locked", "task")
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_DEPTH = 64  # far deeper than any notebook; deeper JSON is refused, not parsed


@dataclass
class Repaired:
    """The notebook as nbgrader will grade it, or why it cannot be read."""

    text: str | None
    notes: list[str] = field(default_factory=list)
    tampered: list[str] = field(default_factory=list)
    unreadable: str = ""
    edition: str = ""   # the notebook's edition (see notebook_edition); "" when it cannot be read


def _depth_ok(text: str, limit: int = MAX_DEPTH) -> bool:
    """True when brackets outside strings nest at most ``limit`` deep (checked before json.loads recurses)."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return False
        elif char in "]}":
            depth -= 1
    return True


def _clean_strings(value: Any, counter: list[int]) -> Any:
    if isinstance(value, str):
        cleaned, count = _SURROGATE.subn("\ufffd", value)
        counter[0] += count
        return cleaned
    if isinstance(value, list):
        return [_clean_strings(item, counter) for item in value]
    if isinstance(value, dict):
        return {_clean_strings(key, counter): _clean_strings(item, counter) for key, item in value.items()}
    return value


def read(data: bytes, max_mb: int) -> tuple[dict | None, str]:
    """The notebook in ``data`` as nbformat 4 JSON, or None and why it cannot be read."""
    import nbformat

    if not data:
        return None, "the file is empty"
    if len(data) > max_mb << 20:
        return None, f"the file is {len(data) / 2**20:.0f} MB, over the {max_mb} MB limit"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, "the file is not UTF-8 text"
    if not _depth_ok(text):
        return None, f"the file is not a Jupyter notebook (JSON nested over {MAX_DEPTH} levels deep)"
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        return None, f"the file is not valid JSON ({error.msg} at line {error.lineno})"
    except RecursionError:
        return None, "the file is not a Jupyter notebook (JSON nested too deep)"
    if not isinstance(raw, dict) or not isinstance(raw.get("nbformat"), int):
        return None, "the file is not a Jupyter notebook (no nbformat version)"
    try:
        node = nbformat.reads(text, as_version=4)  # nbformat 3 (worksheets) is converted, as nbgrader does
    except RecursionError:
        return None, "the file is not a Jupyter notebook (JSON nested too deep)"
    except Exception as error:  # noqa: BLE001 - nbformat raises many kinds
        return None, f"the file is not a Jupyter notebook ({type(error).__name__})"
    converted = _plain(node)
    if not isinstance(converted.get("cells"), list):
        return None, "the file is not a Jupyter notebook (no cells)"
    if raw.get("nbformat", 4) < 4:
        converted.setdefault("metadata", {})["course_converted_from"] = raw["nbformat"]
    return converted, ""


def _plain(node: Any) -> Any:
    """An nbformat NotebookNode as plain dicts and lists."""
    if isinstance(node, dict):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    return node


def _nbgrader(cell: dict) -> Any:
    metadata = cell.get("metadata")
    return metadata.get("nbgrader") if isinstance(metadata, dict) else None


def notebook_edition(metadata: Any) -> str:
    """The edition (language) of a submitted notebook (course.i18n.notebook_language: en without a mark),
    "unknown" for a mark that is no edition, so the report shows it."""
    from course.i18n import notebook_language

    return notebook_language(metadata, unknown="unknown")


def repair(data: bytes, release_cells: dict[str, dict], kernelspec: dict | None, max_mb: int) -> Repaired:
    """Read ``data`` and repair it against the release's cells (``grade_id -> {cell_type, nbgrader}``)."""
    notebook, why = read(data, max_mb)
    if notebook is None:
        return Repaired(None, unreadable=why)
    result = Repaired(None)
    if notebook.get("metadata", {}).pop("course_converted_from", None) is not None:
        result.notes.append("an nbformat 3 notebook, converted to nbformat 4")
    counter = [0]
    notebook = _clean_strings(notebook, counter)
    if counter[0]:
        result.notes.append(f"{counter[0]} character(s) no file can hold (lone surrogates) replaced by U+FFFD")
    metadata = notebook.setdefault("metadata", {})
    result.edition = notebook_edition(metadata)
    if kernelspec and metadata.get("kernelspec") != kernelspec:
        old = (metadata.get("kernelspec") or {}).get("name") if isinstance(metadata.get("kernelspec"), dict) else None
        if old != kernelspec.get("name"):
            result.notes.append(f"kernel {old or 'none'!r} replaced by the course's {kernelspec.get('name')!r}")
        metadata["kernelspec"] = kernelspec
    cells = [cell for cell in notebook["cells"] if isinstance(cell, dict)]
    notebook["cells"] = cells
    present = {entry.get("grade_id") for cell in cells if isinstance(entry := _nbgrader(cell), dict)}
    missing = [grade_id for grade_id in release_cells if grade_id not in present]
    for cell in cells:
        entry = _nbgrader(cell)
        if entry is None:
            continue
        grade_id = entry.get("grade_id") if isinstance(entry, dict) else None
        if isinstance(grade_id, str) and grade_id in release_cells:
            _restore_flags(cell, entry, release_cells[grade_id], grade_id, result)
            continue
        if isinstance(entry, dict) and entry:
            kind = tuple(bool(entry.get(flag)) for flag in FLAGS)
            same = [gid for gid in missing
                    if tuple(bool(release_cells[gid]["nbgrader"].get(flag)) for flag in FLAGS) == kind]
            if len(same) == 1 and any(kind):
                missing.remove(same[0])
                entry["grade_id"] = same[0]
                result.tampered.append(f"{same[0]} renamed to {grade_id!r}, its grade id restored")
                _restore_flags(cell, entry, release_cells[same[0]], same[0], result)
                continue
        del cell["metadata"]["nbgrader"]
        if isinstance(entry, dict) and any(entry.get(flag) for flag in FLAGS):
            result.notes.append(f"a cell marked {str(grade_id)[:60]!r}, not a cell of this module, was graded "
                                "as an ordinary cell")
    result.text = json.dumps(notebook, ensure_ascii=False, indent=1)
    return result


def _restore_flags(cell: dict, entry: dict, released: dict, grade_id: str, result: Repaired) -> None:
    """Give ``cell`` the release's nbgrader settings; note a change of a graded or locked cell."""
    wanted = released["nbgrader"]
    changed = sorted(key for key in (*FLAGS, "points") if key in wanted or key in entry
                     if _norm(entry.get(key)) != _norm(wanted.get(key)))
    for key in list(entry):
        if key not in ("grade_id", "checksum"):
            del entry[key]
    entry.update({key: value for key, value in wanted.items() if key != "checksum"})
    if changed:
        result.tampered.append(f"{grade_id}: {', '.join(changed)} changed, restored")


def _norm(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return bool(value)
    if isinstance(value, int | float):
        return float(value)
    return value
