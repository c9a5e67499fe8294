"""Notebooks for the hub runs: a released notebook answered from the solutions, and the points it should earn."""

from __future__ import annotations

import copy
import json
from pathlib import Path

WRITTEN_ANSWER = ("One day of 11.11 in 2018 was about a fifth of Indonesia's planned state spending; "
                  "a festival's gross sales and a budget measure different things.")


def notebook(path: Path) -> dict:
    """A notebook file as plain JSON (a dict), the shape the contents API sends and takes."""
    return json.loads(path.read_text(encoding="utf-8"))


def _nbgrader(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def answered(release: dict, solution: dict, count: int | None = None) -> tuple[dict, list[str]]:
    """The released notebook with its first ``count`` code answers (all if None) taken from the solution.

    Returns the notebook and the grade ids of the answers filled in. Written (markdown) answers are filled
    too when every code answer is.
    """
    source = {_nbgrader(c)["grade_id"]: c for c in solution["cells"] if _nbgrader(c).get("grade_id")}
    nb = copy.deepcopy(release)
    code_answers = [c for c in nb["cells"] if c["cell_type"] == "code" and _nbgrader(c).get("solution")]
    chosen = code_answers if count is None else code_answers[:count]
    filled = []
    for cell in chosen:
        grade_id = _nbgrader(cell)["grade_id"]
        text = "".join(source[grade_id]["source"])
        lines = [line for line in text.splitlines() if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
        cell["source"] = "\n".join(lines)
        filled.append(grade_id)
    if count is None:
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown" and "Write your answer" in "".join(cell["source"]):
                cell["source"] = WRITTEN_ANSWER
    return nb, filled


def expected_points(release: dict, filled: list[str]) -> float:
    """Autograded points earned when exactly the answers ``filled`` (a prefix) are right: their test cells' points."""
    total = 0.0
    for cell in release["cells"]:
        meta = _nbgrader(cell)
        answer = meta.get("grade_id", "").removesuffix("-test")
        if meta.get("grade") and cell["cell_type"] == "code" and answer in filled:
            total += meta.get("points", 0)
    return total
