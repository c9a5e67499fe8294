"""From the trainee's seat: a release run before any answer is written fails only in words.

A trainee who runs the whole release before answering (or skips a question) must see, in each
cell that builds on an unanswered question, a one-line message naming the question to finish
first; never a traceback from a cell the trainee did not write.
"""

from __future__ import annotations

import pytest
from trainee_kernel import is_answer, is_test, kernel_for, modules, nbgrader, one_line, release_cells

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("module", modules())
def test_cells_after_unanswered_questions_say_which_question_to_finish(module, tmp_path):
    problems = []
    with kernel_for(module, tmp_path) as kernel:
        for cell in release_cells(module):
            if cell.cell_type != "code":
                continue
            outcome = kernel.run(cell.source)
            if is_answer(cell):
                # a value stub raises at once; a function stub (def ...: raise NotImplementedError) is defined
                assert outcome.ok or outcome.ename == "NotImplementedError", f"{nbgrader(cell)['grade_id']}: {outcome}"
                continue
            if outcome.ok or is_test(cell):  # a test cell may fail: its question is unanswered
                continue
            if not (one_line(outcome) and "finish" in outcome.evalue.lower()):
                where = nbgrader(cell).get("grade_id") or cell.source.strip().splitlines()[0][:60]
                problems.append(f"{where}: {outcome.ename}: {outcome.evalue[:160]}")
    assert not problems, "cells that fail with a traceback on the untouched release:\n" + "\n".join(problems)
