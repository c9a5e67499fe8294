"""A trainee's kernel: run a module's cells one by one in a live kernel and read what each shows.

Used by the trainee-seat tests: the slip corpus (a wrong answer must get a one-line ✗ from the
visible check and fail the hidden tests) and the untouched release (a cell that builds on an
unanswered question must say which question to finish first, not show a traceback).
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[2]
HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[ \t]*$", re.S | re.M)
SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION[ \t]*\n?", re.S | re.M)


@dataclass
class Outcome:
    """What one piece of code did in the kernel: its error (if any) and its text output."""

    ename: str | None = None
    evalue: str = ""
    traceback: list[str] = field(default_factory=list)
    text: str = ""

    @property
    def ok(self) -> bool:
        return self.ename is None


class TraineeKernel:
    """One live python3 kernel in a working folder."""

    def __init__(self, workdir: Path) -> None:
        self.manager, self.client = start_new_kernel(kernel_name="python3", cwd=str(workdir))

    def run(self, code: str, timeout: float = 120) -> Outcome:
        outcome = Outcome()

        def collect(message: dict) -> None:
            kind, content = message["msg_type"], message["content"]
            if kind == "error":
                outcome.ename, outcome.evalue, outcome.traceback = (
                    content["ename"], content["evalue"], content["traceback"])
            elif kind == "stream":
                outcome.text += content["text"]

        reply = self.client.execute_interactive(code, timeout=timeout, output_hook=collect, allow_stdin=False)
        if reply["content"]["status"] == "error" and outcome.ename is None:
            content = reply["content"]
            outcome.ename, outcome.evalue = content.get("ename", "?"), content.get("evalue", "")
        return outcome

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


@contextmanager
def kernel_for(module: str, tmp_path: Path) -> Iterator[TraineeKernel]:
    """A kernel working in a copy of the module's release folder (as a trainee's would)."""
    workdir = tmp_path / module
    shutil.copytree(ROOT / "exercises" / module, workdir)
    kernel = TraineeKernel(workdir)
    try:
        kernel.run("import matplotlib; matplotlib.use('Agg')")
        yield kernel
    finally:
        kernel.close()


def modules() -> list[str]:
    return sorted(path.name for path in (ROOT / "solutions").iterdir() if path.name[:1] == "m")


def solution_cells(module: str) -> list[nbformat.NotebookNode]:
    path = ROOT / "solutions" / module / f"{module}.ipynb"
    return nbformat.read(path, as_version=4).cells


def release_cells(module: str) -> list[nbformat.NotebookNode]:
    path = ROOT / "exercises" / module / f"{module}.ipynb"
    return nbformat.read(path, as_version=4).cells


def nbgrader(cell: nbformat.NotebookNode) -> dict:
    return cell.metadata.get("nbgrader", {})


def is_answer(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and bool(nbgrader(cell).get("solution")) and not nbgrader(cell).get("grade")


def is_test(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and bool(nbgrader(cell).get("grade"))


def answer_code(cell: nbformat.NotebookNode) -> str:
    """An answer cell as a trainee who wrote the model answer would have it (markers removed)."""
    return SOLUTION.sub(lambda found: found.group(1), cell.source)


def visible_part(test_source: str) -> str:
    return HIDDEN.sub("", test_source)


def hidden_part(test_source: str) -> str:
    found = HIDDEN.search(test_source)
    if not found:
        return ""
    lines = found.group(0).splitlines()[1:-1]
    return "\n".join(lines)


def answered_release(module: str, folder: Path, root: Path = ROOT, lang: str = "en") -> Path:
    """``root``'s release of ``module`` in the ``lang`` edition copied into ``folder``, each answer cell
    holding that edition's solution code."""
    from course.edition import FOLDERS

    solutions, exercises = FOLDERS[lang]
    work = folder / module
    shutil.copytree(root / exercises / module, work)
    path = work / f"{module}.ipynb"
    release = nbformat.read(path, as_version=4)
    solution = nbformat.read(root / solutions / module / f"{module}.ipynb", as_version=4)
    answers = {nbgrader(cell)["grade_id"]: answer_code(cell) for cell in solution.cells if is_answer(cell)}
    for cell in release.cells:
        if is_answer(cell):
            cell.source = answers[nbgrader(cell)["grade_id"]]
    nbformat.write(release, path)
    return path


def answer_questions(module: str) -> list[tuple[str, nbformat.NotebookNode, nbformat.NotebookNode]]:
    """(grade id, answer cell, test cell) for every autograded question of a module's solution."""
    cells = solution_cells(module)
    found = []
    for position, cell in enumerate(cells):
        if is_answer(cell):
            test = next((c for c in cells[position + 1:] if is_test(c)), None)
            if test is not None:
                found.append((nbgrader(cell)["grade_id"], cell, test))
    return found


def one_line(outcome: Outcome) -> bool:
    """A check failure as the trainee sees it: CheckFailed with a one-line message."""
    return outcome.ename == "CheckFailed" and bool(outcome.evalue) and "\n" not in outcome.evalue.strip()


if __name__ == "__main__":  # pragma: no cover - a quick look: python tests/trainee/trainee_kernel.py m07-...
    for grade_id, _, test in answer_questions(sys.argv[1]):
        print(grade_id, "->", nbgrader(test)["grade_id"])
