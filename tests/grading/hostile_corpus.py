"""The hostile corpus: submissions built from the real m00/m01 notebooks, each with its expected grade.

m00 has 6 autograded points (Q1 1, Q2 1, Q3 2, Q4 2); m01 has 17 (Q1 2, Q2 3, Q3 2, Q4-Q8 2 each).
Each kind edits the instructors' solution (``full``) or the release (``untouched``) the way
a trainee (or an attacker) would, and says the score and status grading must record.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

M00, M01 = "m00-orientation", "m01-singles-day"
LITTER_TOKEN = f"course-corpus-litter-{uuid.uuid4().hex[:12]}"  # this run's own name: no other run's leftover counts


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


PEEK_HIDDEN = """import glob, os, re
found = None
for folder in [os.getcwd()] + [os.path.join(os.getcwd(), *[".."] * n) for n in range(1, 5)]:
    for path in glob.glob(os.path.join(folder, "**", "*.ipynb"), recursive=True)[:50]:
        try:
            match = re.search(r"assert papatonk_stock == ([0-9_]+)", open(path, encoding="utf-8").read())
        except OSError:
            match = None
        if match:
            found = int(match.group(1))
papatonk_stock = found if found is not None else 1_000_001
"""

SHADOW_COURSE = '''"""A trainee's course.py beside the notebook.

It loads the real package, then turns every assert into pass.
"""
import os
import sys

sys.path[:] = [p for p in sys.path if p not in ("", ".", os.getcwd())]
del sys.modules["course"]
import course as _real  # noqa: E402

sys.modules["course"] = _real
from IPython import get_ipython  # noqa: E402

get_ipython().input_transformers_post.append(lambda lines: [l.replace("assert ", "pass  # ") for l in lines])
'''


def litter_code(token: str) -> str:
    """A cell that leaves a file in each shared temporary folder (and says where it could)."""
    return (f"import os\nleft = []\nfor folder in ('/tmp', '/var/tmp', '/dev/shm', '/run/lock'):\n"
            f"    try:\n        open(os.path.join(folder, {token!r}), 'w').write('left by a trainee')\n"
            f"        left.append(folder)\n    except OSError:\n        pass\nprint('LITTER', left)\n")


SNOOP = """import glob, json, os
seen = {"others": [], "logs": []}
mine, pid = {os.getpid()}, os.getpid()
while pid > 1:  # this kernel and its own ancestors are not "others"
    pid = int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])
    mine.add(pid)
for entry in os.listdir("/proc"):
    if entry.isdigit() and int(entry) not in mine:
        try:
            line = open(f"/proc/{entry}/cmdline", "rb").read().replace(b"\\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if any(word in line for word in ("pytest", "dask", "launch.py", "nbgrader", "course", "--db-url")):
            seen["others"].append(line[:80])
for path in glob.glob("/dev/shm/**/*.log", recursive=True) + glob.glob("/tmp/**/*.log", recursive=True):
    try:
        open(path).read(10)
        seen["logs"].append(path)
    except OSError:
        pass
print("SNOOP", json.dumps(seen))
"""


def with_files(module: str, change: Callable[[dict], None], files: dict[str, str],
               start: str = "solutions") -> Callable[[Path, Path], None]:
    """A builder: ``start``'s notebook with ``change``, and extra files beside it."""

    def build(course: Path, target: Path) -> None:
        edited(module, change, start)(course, target)
        for name, text in files.items():
            (target / name).write_text(text, encoding="utf-8")

    return build


def set_metadata(target: str, **values: object) -> Callable[[dict], None]:
    """A change: the nbgrader settings of the cell ``target`` updated with ``values``."""

    def change(nb: dict) -> None:
        cell(nb, target)["metadata"]["nbgrader"].update(values)

    return change


def kernelspec(name: str) -> Callable[[dict], None]:
    """A change: the notebook saved under another kernel."""

    def change(nb: dict) -> None:
        nb["metadata"]["kernelspec"] = {"name": name, "display_name": name.upper(), "language": name}

    return change


def written(text: str) -> Callable[[dict], None]:
    """A change: the written answer (the markdown cell after the Q5 task) holds ``text``."""

    def change(nb: dict) -> None:
        nb["cells"][index(nb, "m00-q5-validate") + 1]["source"] = text

    return change


def paste_from_m01(course: Path) -> Callable[[dict], None]:
    """A change: m01's locked header cell pasted (with its m01 grade id) at the end."""

    def change(nb: dict) -> None:
        nb["cells"].append(copy.deepcopy(cell(load(course, "solutions", M01), "m01-header")))

    return change


def as_nbformat3(nb: dict) -> dict:
    """The notebook as nbformat 3 (one worksheet, code in ``input``), as old Jupyter saved it."""
    cells = []
    for each in nb["cells"]:
        text = "".join(each["source"]) if isinstance(each["source"], list) else each["source"]
        if each["cell_type"] == "code":
            cells.append({"cell_type": "code", "collapsed": False, "input": text, "language": "python",
                          "metadata": each["metadata"], "outputs": [], "prompt_number": None})
        else:
            cells.append({"cell_type": each["cell_type"], "metadata": each["metadata"], "source": text})
    return {"metadata": {"name": "", "kernelspec": nb["metadata"].get("kernelspec", {})}, "nbformat": 3,
            "nbformat_minor": 0, "worksheets": [{"cells": cells, "metadata": {}}]}


def huge_images(nb: dict) -> None:
    """A change: a cell that shows thirty images of 1 MB each while grading."""
    nb["cells"].insert(index(nb, "m00-q4-hs-test") + 1, code(
        "from IPython.display import display\nfor _ in range(30):\n"
        "    display({'image/png': 'iVBORw0KGgo' + 'A' * (1 << 20)}, raw=True)"))


def link_to(target_of: Callable[[Path], Path], level: str) -> Callable[[Path, Path], None]:
    """A builder: the submission folder (``level``: module or trainee) is a symbolic link."""

    def build(course: Path, target: Path) -> None:
        place = target if level == "module" else target.parent
        place.parent.mkdir(parents=True, exist_ok=True)
        if not place.is_symlink():
            place.symlink_to(target_of(course), target_is_directory=True)

    return build


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
    found += [
        Kind("peek-hidden", M00, 5, "graded", edited(M00, answer("m00-q1-stock", PEEK_HIDDEN)),
             "Q1's answer looks for the hidden test's value in the notebook files around the kernel: it finds "
             "none, so Q1 (1) is lost"),
        Kind("shadow-course", M00, 3, "graded",
             with_files(M00, both(WRONG_Q1, answer("m00-q3-count", "n_products = 4")),
                        {"course.py": SHADOW_COURSE}),
             "a course.py beside the notebook that turns asserts into pass: the kernel never sees it, wrong Q1 "
             "and Q3 lose 3"),
        Kind("link-solutions", M00, 0, "unreadable",
             link_to(lambda course: course / "solutions" / M00, "module"),
             "submitted/ME/MODULE is a link to solutions/: refused, not graded as the solution"),
        Kind("link-classmate", M00, 0, "unreadable",
             link_to(lambda course: course / "submitted" / "full", "trainee"),
             "submitted/ME is a link to a classmate's folder: refused, not graded as the classmate's work"),
        Kind("bad-timestamp", M00, 6, "graded",
             with_files(M00, lambda nb: None, {"timestamp.txt": "yesterday 25:61"}),
             "timestamp.txt is not a date: graded as on time, with a note; the run goes on"),
        Kind("long-timestamp", M00, 6, "graded",
             with_files(M00, lambda nb: None, {"timestamp.txt": "2018-11-11 00:00:00" + "9" * 5000}),
             "a 5000-character timestamp: ignored with a note, graded"),
        Kind("foreign-kernel", M00, 6, "graded", edited(M00, kernelspec("ir")),
             "saved under another kernel (ir): the course's kernel is used, graded"),
        Kind("grade-flag-off", M00, 6, "tampered", edited(M00, set_metadata("m00-q1-stock-test", grade=False)),
             "Q1's test cell no longer marked as graded: its settings are restored and it is graded"),
        Kind("renamed-id", M00, 6, "tampered",
             edited(M00, set_metadata("m00-q3-count-test", grade_id="my-own-test")),
             "Q3's test cell renamed: its grade id is restored and it is graded"),
        Kind("invented-cell", M00, 6, "graded",
             edited(M00, insert_after("m00-q4-hs-test", {**code("bonus = 1"), "metadata": {"nbgrader": {
                 "grade": True, "grade_id": "my-bonus", "locked": False, "points": 5, "schema_version": 3,
                 "solution": False, "task": False}}})),
             "a graded cell the module does not have: run as an ordinary cell, no points for it"),
        Kind("pasted-cell", M00, 6, "graded",
             lambda course, target: edited(M00, paste_from_m01(course))(course, target),
             "a locked cell pasted from m01: graded as an ordinary cell"),
        Kind("surrogate", M00, 6, "graded", edited(M00, written("Validate checks types \ud800 only")),
             "a lone surrogate in the written answer: replaced, graded"),
        Kind("dewi[2]", M00, 6, "graded", edited(M00, lambda nb: None),
             "a trainee id with glob characters: graded like any other"),
        Kind("nbformat3", M00, 6, "graded",
             lambda course, target: write(target, M00, as_nbformat3(load(course, "solutions", M00))),
             "an nbformat 3 notebook: converted as nbgrader does, graded"),
        Kind("deep-json", M00, 0, "unreadable",
             lambda course, target: write(target, M00, "[" * 200_000 + "]" * 200_000),
             "JSON nested 200,000 levels deep: unreadable, not a crash"),
        Kind("huge-images", M00, 6, "graded", edited(M00, huge_images),
             "thirty 1 MB images shown while grading: trimmed from the autograded notebook and the feedback"),
    ]
    if include_attack:
        found.append(Kind("litter", M00, 6, "graded",
                          edited(M00, insert_after("m00-setup", code(litter_code(LITTER_TOKEN)))),
                          "writes files to /tmp, /var/tmp, /dev/shm and /run/lock: they go with its kernel"))
        found.append(Kind("snoop", M00, 6, "graded", edited(M00, insert_after("m00-setup", code(SNOOP))),
                          "looks for other processes' command lines and kernels' logs: sees none"))
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
