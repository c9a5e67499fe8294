"""From the trainee's seat: typical wrong answers get a ✗ in one line, and the hidden tests agree.

For each module, one live kernel walks the solution notebook as a trainee who answered
correctly; at each question with slips in ``slip_corpus``, each slip is typed into the answer
cell instead: the visible check must fail with a one-line CheckFailed (never a traceback, never a
✓), and the hidden tests must fail too (so the slip really costs points). A slip that stops the
answer cell itself (``^`` for a power on floats) must come with course.explain's plain line under
Python's error; it leaves no answer behind, so the hidden tests cannot pass. Then the correct
answer is run again and the walk goes on.
"""

from __future__ import annotations

import pytest
from slip_corpus import slips
from trainee_kernel import (
    answer_code,
    answer_questions,
    hidden_part,
    is_answer,
    is_test,
    kernel_for,
    modules,
    nbgrader,
    one_line,
    solution_cells,
    visible_part,
)

PLAIN = "In plain words:"  # the start of course.explain's line beneath Python's error (English kernel)


def explained(outcome) -> bool:
    """Python's error in the answer cell comes with course.explain's plain line beneath it."""
    return any(PLAIN in line for line in outcome.traceback) or PLAIN in outcome.evalue


def answer_names(cell) -> list[str]:
    """The names an answer cell assigns or defines (so a failed slip leaves none of them behind)."""
    import ast

    tree = ast.parse(answer_code(cell))
    names = [node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)]
    return names + [node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]

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
                if not typed.ok:  # the slip stops the answer cell itself (a `^` for a power, a bad name)
                    if not explained(typed):
                        problems.append(f"{slip.question} ({slip.mistake}): the answer cell stops with "
                                        f"{typed.ename} and no plain explanation")
                    kernel.run(f"for _name in {answer_names(cell)!r}: globals().pop(_name, None)")
                    continue
                seen = kernel.run(visible_part(tests[grade_id].source))
                if not one_line(seen):
                    problems.append(f"{slip.question} ({slip.mistake}): visible check gave "
                                    f"{seen.ename or '✓ (no failure)'}: {seen.evalue[:200]}")
                if typed.ok and kernel.run(hidden_part(tests[grade_id].source)).ok:
                    problems.append(f"{slip.question} ({slip.mistake}): the hidden tests accept it")
            done = kernel.run(source)
            assert done.ok, f"{module}: the model answer's cell {grade_id or source[:60]!r} failed: " \
                            f"{done.ename}: {done.evalue}"
    assert not problems, "\n".join(problems)


def test_the_birds_nest_firm_scored_without_its_product_group_is_caught(tmp_path):
    """m09 Q2 for the bird's-nest firm: leaving out product_group misses the 2012 protocol's registration.

    The solution chooses the crackers (no registration in 2018, so the group changes nothing); here a trainee
    chooses the bird's nest, types Q2 as the slip, and then as the model answer.
    """
    module = "m09-capstone"
    tests = {grade_id: test for grade_id, _, test in answer_questions(module)}
    slip = '''
card = scorecard.compute(scorecard.ScorecardInputs(
    as_of_year=2018, channel="cbec", units_in_stock=p["units_in_stock"],
    working_capital_months=p["working_capital_months"],
    **{k: p[k] for k in ("platform_registered", "bpom_md_registered", "halal_certified", "chinese_e_label",
                         "logistics_partner", "bonded_warehouse_access", "cross_border_payment",
                         "chinese_storefront", "after_sales_service")}))
score = card.score
'''
    with kernel_for(module, tmp_path) as kernel:
        for cell in solution_cells(module):
            grade_id = nbgrader(cell).get("grade_id")
            if cell.cell_type != "code" or is_test(cell):
                continue
            if grade_id == "m09-q2-score":
                break
            source = 'chosen_product = "birds_nest"' if grade_id == "m09-q1-choice" else cell.source
            assert kernel.run(source).ok, grade_id
        assert kernel.run(slip).ok
        seen = kernel.run(visible_part(tests["m09-q2-score"].source))
        assert one_line(seen) and "product_group" in seen.evalue, seen.evalue
        assert not kernel.run(hidden_part(tests["m09-q2-score"].source)).ok
        assert kernel.run(answer_code(cell)).ok
        assert kernel.run(tests["m09-q2-score"].source).ok
        assert kernel.run("print(card.facility_rule)").text.strip() == "birds_nest_protocol_2012"
