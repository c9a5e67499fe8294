"""From the trainee's seat: typical wrong answers get a ✗ in one line, and the hidden tests agree.

For each module, one live kernel walks the solution notebook as a trainee who answered
correctly; at each question with slips in ``slip_corpus``, each slip is typed into the answer
cell instead: the visible check must fail with a one-line CheckFailed (never a traceback, never a
✓), and the hidden tests must fail too (so the slip really costs points). Then the correct
answer is run again and the walk goes on.
"""

from __future__ import annotations

import pytest
from slip_corpus import slips
from trainee_kernel import (answer_code, answer_questions, hidden_part, is_answer, is_test, kernel_for, modules,
                            nbgrader, one_line, solution_cells, visible_part)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("module", modules())
def test_every_autograded_question_has_a_typical_slip(module):
    covered = {slip.question for slip in slips(module)}
    questions = [grade_id for grade_id, _, _ in answer_questions(module)]
    missing = [grade_id for grade_id in questions if grade_id not in covered]
    assert not missing, f"no typical wrong answer in tests/trainee/slip_corpus/{module[:3]}.py for {missing}"
    unknown = covered - set(questions)
    assert not unknown, f"slips name questions that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("module", modules())
def test_visible_checks_catch_each_slip_and_hidden_tests_penalise_it(module, tmp_path):
    corpus = slips(module)
    if not corpus:
        pytest.fail(f"no slips for {module}")
    by_question: dict[str, list] = {}
    for slip in corpus:
        by_question.setdefault(slip.question, []).append(slip)
    tests = {grade_id: test for grade_id, _, test in answer_questions(module)}
    problems = []
    with kernel_for(module, tmp_path) as kernel:
        for cell in solution_cells(module):
            if cell.cell_type != "code":
                continue
            if is_test(cell):
                source = cell.source
            elif is_answer(cell):
                source = answer_code(cell)
            else:
                source = cell.source
            grade_id = nbgrader(cell).get("grade_id")
            for slip in by_question.get(grade_id, []) if is_answer(cell) else []:
                typed = kernel.run(slip.code)
                seen = kernel.run(visible_part(tests[grade_id].source)) if typed.ok else typed
                if not one_line(seen):
                    problems.append(f"{slip.question} ({slip.mistake}): visible check gave "
                                    f"{seen.ename or '✓ (no failure)'}: {seen.evalue[:200]}")
                if typed.ok and kernel.run(hidden_part(tests[grade_id].source)).ok:
                    problems.append(f"{slip.question} ({slip.mistake}): the hidden tests accept it")
            done = kernel.run(source)
            assert done.ok, f"{module}: the model answer's cell {grade_id or source[:60]!r} failed: " \
                            f"{done.ename}: {done.evalue}"
    assert not problems, "\n".join(problems)
