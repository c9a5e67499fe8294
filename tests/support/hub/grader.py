"""An instructor's nbgrader step in a course folder, printed as one line of JSON (for HubSite.grader).

    python -m tests.support.hub.grader ACTION MODULE EXCHANGE [STUDENT ...]

Run as the grader account, in the course folder, through course.nbgrader_api. ACTION is one of ACTIONS.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from course.nbgrader_api import api, check, load_config

ACTIONS = ("release", "collect", "autograde", "scores", "feedback", "release_feedback")


def scores(db_url: str, module: str, students: list[str]) -> dict[str, dict[str, float]]:
    """Each student's autograded code score, the code maximum, and how many grades need a person."""
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(db_url) as gradebook:
        for student in students:
            grades = [g for nb in gradebook.find_submission(module, student).notebooks for g in nb.grades]
            out[student] = {"code_score": sum(g.auto_score or 0 for g in grades if g.cell_type == "code"),
                            "max_code": sum(g.max_score for g in grades if g.cell_type == "code"),
                            "needs_manual": sum(1 for g in grades if g.needs_manual_grade)}
    return out


def run(action: str, module: str, exchange: str, students: list[str], root: Path) -> dict:
    """Do ``action`` on ``module`` for the course in ``root``; return what the caller reads."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; the actions are {', '.join(ACTIONS)}")
    config = load_config(root, db_url=f"sqlite:///{root / 'gradebook.db'}")
    config.Exchange.root = exchange
    grader = api(root, config)
    out: dict = {}
    if action == "release":
        check(grader.generate_assignment(module), "generate_assignment")
        check(grader.release_assignment(module), "release_assignment")
    elif action == "collect":
        check(grader.collect(module), "collect")
        out["submitted"] = sorted(grader.get_submitted_students(module))
    elif action in ("autograde", "scores"):
        if action == "autograde":
            for student in students:
                check(grader.autograde(module, student), f"autograde {student}")
        out = scores(config.CourseDirectory.db_url, module, students)
    elif action == "feedback":
        check(grader.generate_feedback(module), "generate_feedback")
        check(grader.release_feedback(module), "release_feedback")
    else:  # release_feedback
        check(grader.release_feedback(module), "release_feedback")
    return out


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    action, module, exchange, *students = argv
    print(json.dumps(run(action, module, exchange, students, Path.cwd())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
