"""checks.rerun: a trainee's answer cell run again with changed inputs, in a real IPython shell."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell

from course import checks


@pytest.fixture
def shell(tmp_path, monkeypatch):
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    shell = InteractiveShell.instance()
    checks._remember_cells()
    shell.run_cell("from course import checks\nstock = 1_000_000\nneeded = 1_000_000", store_history=False)
    yield shell
    checks._RUN_CELLS.clear()
    InteractiveShell.clear_instance()


def value_of(shell, code):
    result = shell.run_cell(code, store_history=False)
    if result.error_in_exec is not None:
        raise result.error_in_exec
    return result.result


def test_a_comparison_follows_the_changed_inputs_and_the_trainees_variables_stay(shell):
    shell.run_cell("# enough = ...\nenough = stock >= needed", store_history=False)  # no history: the hook finds it
    assert value_of(shell, "checks.rerun('enough', stock=999_999)") is False
    assert value_of(shell, "checks.rerun('enough', stock=2, needed=2)") is True
    assert value_of(shell, "stock, enough") == (1_000_000, True)


def test_a_typed_constant_does_not_follow_them(shell):
    shell.run_cell("enough = True", store_history=False)
    assert value_of(shell, "checks.rerun('enough', stock=999_999)") is True


def test_the_latest_cell_that_sets_the_name_counts_and_its_printing_is_swallowed(shell, capsys):
    shell.run_cell("enough = True", store_history=False)
    shell.run_cell("print('checking')\nenough = stock > needed", store_history=False)
    capsys.readouterr()
    assert value_of(shell, "checks.rerun('enough', stock=5, needed=5)") is False
    assert "checking" not in capsys.readouterr().out


def test_no_cell_and_a_failing_cell_are_one_line_check_failures(shell):
    with pytest.raises(checks.CheckFailed, match="No cell that sets missing"):
        value_of(shell, "checks.rerun('missing', stock=1)")
    shell.run_cell("enough = stock / needed >= 1", store_history=False)
    with pytest.raises(checks.CheckFailed, match=r"needed = 0.*ZeroDivisionError"):
        value_of(shell, "checks.rerun('enough', needed=0)")
