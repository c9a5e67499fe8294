"""The hostile corpus: submissions built from the real m00/m01 notebooks, each with its expected grade.

m00 has 6 autograded points (Q1 1, Q2 1, Q3 2, Q4 2); m01 has 17 (Q1 2, Q2 3, Q3 2, Q4-Q8 2 each).
Each kind edits the instructors' solution (``full``) or the release (``untouched``) the way
a trainee (or an attacker) would, and says the score and status grading must record.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

M00, M01 = "m00-orientation", "m01-singles-day"


@dataclass(frozen=True)
class Kind:
    """One kind of submission and what grading must make of it."""

    student: str
    module: str
    score: float | None          # autograded points expected (None: no submission)
    status: str
    build: Callable[[Path, Path], None]   # build(course, target folder)
    why: str


def load(course: Path, folder: str, module: str) -> dict:
    """A notebook of the course as JSON (folder: solutions or exercises)."""
    return json.loads((course / folder / module / f"{module}.ipynb").read_text(encoding="utf-8"))


def cell(nb: dict, grade_id: str) -> dict:
    """The cell with ``grade_id``."""
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def index(nb: dict, grade_id: str) -> int:
    """The position of the cell with ``grade_id``."""
    return nb["cells"].index(cell(nb, grade_id))


def code(source: str) -> dict:
    """A plain code cell a trainee added."""
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


def write(target: Path, module: str, nb: dict | str | bytes, name: str | None = None) -> None:
    """Save a submission into ``target`` (created)."""
    target.mkdir(parents=True, exist_ok=True)
    path = target / (name or f"{module}.ipynb")
    if isinstance(nb, bytes):
        path.write_bytes(nb)
    elif isinstance(nb, str):
        path.write_text(nb, encoding="utf-8")
    else:
        path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def edited(module: str, change: Callable[[dict], None], start: str = "solutions",
           name: str | None = None) -> Callable[[Path, Path], None]:
    """A builder: ``start``'s notebook with ``change`` applied."""

    def build(course: Path, target: Path) -> None:
        nb = copy.deepcopy(load(course, start, module))
        change(nb)
        write(target, module, nb, name)

    return build


def answer(grade_id: str, source: str) -> Callable[[dict], None]:
    """A change: the answer cell ``grade_id`` now holds ``source``."""

    def change(nb: dict) -> None:
        cell(nb, grade_id)["source"] = source

    return change


def both(*changes: Callable[[dict], None]) -> Callable[[dict], None]:
    """A change made of several."""

    def change(nb: dict) -> None:
        for each in changes:
            each(nb)

    return change


def insert_after(grade_id: str, new: dict) -> Callable[[dict], None]:
    """A change: ``new`` inserted right after the cell ``grade_id``."""

    def change(nb: dict) -> None:
        nb["cells"].insert(index(nb, grade_id) + 1, new)

    return change


def delete(grade_id: str) -> Callable[[dict], None]:
    """A change: the cell ``grade_id`` removed."""

    def change(nb: dict) -> None:
        nb["cells"].pop(index(nb, grade_id))

    return change


def duplicate_edited(grade_id: str, source: str) -> Callable[[dict], None]:
    """A change: a copy of ``grade_id`` (same grade id) with ``source``, right after it."""

    def change(nb: dict) -> None:
        twin = copy.deepcopy(cell(nb, grade_id))
        twin["source"] = source
        nb["cells"].insert(index(nb, grade_id) + 1, twin)

    return change


def huge_output(nb: dict) -> None:
    """A change: 20 MB of stored output on one cell, and an answer cell that prints 3 MB when run."""
    cell(nb, "m00-setup")["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x" * (20 << 20)}]
    cell(nb, "m00-q1-stock")["source"] += "\nprint('y' * 3_000_000)"


WRONG_Q1 = answer("m00-q1-stock", "papatonk_stock = 1_000_001  # passes the visible check, not the hidden one")

MONKEY_PATCH = """import builtins
checks.number = lambda *args, **kwargs: None
checks.one_of = lambda *args, **kwargs: None
checks.function = lambda *args, **kwargs: None
builtins.AssertionError = Warning
"""

FORK_LOOP = """import os
while True:
    try:
        os.fork()
    except OSError:
        pass
coffee_hs = "0901"
"""

MEMORY_BOMB = """hog = [bytearray(64 * 2**20) for _ in range(100_000)]
coffee_hs = "0901"
"""


def attack(course: Path, victim: Path) -> str:
    """An answer cell that tries to overwrite the gradebook and another trainee's submission.

    It also tries to read the grading worker's private gradebook (solutions, hidden tests),
    four folders above the kernel's working folder.
    """
    targets = [str(course / "gradebook.db"), str(victim)]
    return (f"""import json, os
outcome = {{}}
try:
    open(os.path.join(os.getcwd(), "..", "..", "..", "..", "gradebook.db"), "rb").read(100)
    outcome["private gradebook"] = "read"
except OSError as error:
    outcome["private gradebook"] = type(error).__name__
for path in {targets!r}:
    try:
        with open(path, "r+b") as handle:
            handle.write(b"overwritten by a trainee")
        outcome[path] = "written"
    except OSError as error:
        outcome[path] = type(error).__name__
try:
    os.remove({targets[1]!r})
    outcome["remove"] = "removed"
except OSError as error:
    outcome["remove"] = type(error).__name__
secrets = sorted(key for key in os.environ if "POSTGRES" in key or "DB_URL" in key)
print("ATTACK", json.dumps(outcome), "SECRETS", secrets)
papatonk_stock = 1_000_000
""")


def kinds(include_attack: bool = True) -> list[Kind]:
    """Every kind of the corpus. ``include_attack`` only where kernels run as their own account (root)."""
    found = [
        Kind("untouched", M00, 0, "graded", edited(M00, lambda nb: None, start="exercises"),
             "the release as it came: every answer cell raises NotImplementedError"),
        Kind("full", M00, 6, "graded", edited(M00, lambda nb: None), "the instructors' solution"),
        Kind("full-m01", M01, 17, "graded", edited(M01, lambda nb: None), "the instructors' solution of m01"),
        Kind("loop-after-answer", M00, 6, "timeout",
             edited(M00, insert_after("m00-q2-enough-test", code("while True:\n    pass"))),
             "right answers, then a trainee's cell that never ends: only that cell is lost"),
        Kind("loop-in-function", M01, 12, "timeout",
             edited(M01, answer("m01-q2-cagr", "def cagr(start, end, years):\n    while True:\n        pass")),
             "cagr() never returns: its test (3) and Q3, which calls it (2), are lost"),
        Kind("os-exit", M00, 5, "kernel_died", edited(M00, answer("m00-q2-enough", "import os\nos._exit(3)")),
             "os._exit kills the kernel in Q2's answer: Q2 (1) is lost, the rest is graded"),
        Kind("sys-exit", M00, 5, "graded", edited(M00, answer("m00-q2-enough", "import sys\nsys.exit('bye')")),
             "IPython turns sys.exit into an error in that cell: Q2 (1) is lost"),
        Kind("memory-bomb", M00, 4, "graded", edited(M00, answer("m00-q4-hs", MEMORY_BOMB)),
             "allocates without end: MemoryError at the address-space limit, Q4 (2) is lost"),
        Kind("fork-loop", M00, 4, "timeout", edited(M00, answer("m00-q4-hs", FORK_LOOP)),
             "forks without end, ignoring failures: the process limit caps it, the cell is stopped, "
             "Q4 (2) is lost"),
        Kind("syntax-error", M00, 4, "graded", edited(M00, answer("m00-q3-count", "n_products = len(products")),
             "a syntax error in Q3's answer: Q3 (2) is lost"),
        Kind("deleted-test", M00, 5, "tampered", edited(M00, both(WRONG_Q1, delete("m00-q1-stock-test"))),
             "Q1's test cell deleted and a wrong Q1: nbgrader puts the test back and it fails"),
        Kind("edited-test", M00, 5, "tampered",
             edited(M00, both(WRONG_Q1, answer("m00-q1-stock-test", "pass"))),
             "Q1's test edited to `pass` and a wrong Q1: the test is restored and fails"),
        Kind("monkey-patch", M00, 2, "graded",
             edited(M00, both(insert_after("m00-setup", code(MONKEY_PATCH)),
                              answer("m00-q3-count", "n_products = 'five'"),
                              answer("m00-q4-hs", "coffee_hs = 901"))),
             "course.checks and builtins.AssertionError replaced, wrong Q3 and Q4: hidden asserts still fail"),
        Kind("renamed", M00, 6, "graded", edited(M00, lambda nb: None, name=f"{M00} (1).ipynb"),
             "the solution saved as 'm00-orientation (1).ipynb': graded in place of the expected name"),
        Kind("empty-file", M00, 0, "unreadable", lambda course, target: write(target, M00, b""),
             "a zero-byte notebook"),
        Kind("invalid-json", M00, 0, "unreadable",
             lambda course, target: write(target, M00, json.dumps(load(course, "solutions", M00))[:5000]),
             "a notebook cut off halfway (invalid JSON)"),
        Kind("huge-output", M00, 6, "graded", edited(M00, huge_output),
             "20 MB of stored output and 3 MB printed while grading: cleared and limited, full marks"),
        Kind("duplicate-id", M00, 5, "tampered",
             edited(M00, both(WRONG_Q1, duplicate_edited("m00-q1-stock-test", "pass"))),
             "a second cell with Q1's test grade id (edited to pass): the restored test fails Q1"),
        Kind("missing-notebook", M00, 0, "missing",
             lambda course, target: write(target, M00, "my answers are in my head\n", name="README.txt"),
             "a submission folder without the notebook"),
        Kind("not-submitted", M00, None, "not_submitted", lambda course, target: None,
             "on the roster, nothing submitted"),
    ]
    if include_attack:
        found.append(Kind(
            "attack-files", M00, 6, "graded",
            lambda course, target: edited(M00, answer("m00-q1-stock", attack(
                course, course / "submitted" / "full" / M00 / f"{M00}.ipynb")))(course, target),
            "tries to overwrite the gradebook and another trainee's submission: refused, full marks"))
    return found


def build(course: Path, selected: list[Kind], db_url: str, course_id: str = "double-eleven") -> None:
    """Write every kind's submission into ``course``/submitted and put everyone on the gradebook's roster."""
    from nbgrader.api import Gradebook

    for kind in selected:
        kind.build(course, course / "submitted" / kind.student / kind.module)
    with Gradebook(db_url, course_id) as gradebook:
        for kind in selected:
            gradebook.update_or_create_student(kind.student, first_name=kind.student.split("-")[0].title(),
                                               last_name="Trainee", email=f"{kind.student}@example.org")
