"""The `course` command: exercises are generated deterministically; verify catches what it promises."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from course.build import generate
from course.verify import verify


def run_course(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def edit_notebook(path: Path, change) -> None:
    nb = json.loads(path.read_text())
    change(nb)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")


def cell(nb: dict, grade_id: str) -> dict:
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def test_verify_passes_on_the_committed_course(root):
    result = run_course("verify", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all checks passed" in result.stdout


def test_exercises_is_deterministic_and_matches_the_committed_release(course_copy, root):
    result = run_course("exercises", cwd=course_copy)
    assert result.returncode == 0, result.stderr
    first = {p: p.read_bytes() for p in sorted((course_copy / "exercises").rglob("*.ipynb"))}
    assert run_course("exercises", cwd=course_copy).returncode == 0
    second = {p: p.read_bytes() for p in sorted((course_copy / "exercises").rglob("*.ipynb"))}
    assert first == second
    committed = {p.relative_to(root / "exercises"): p.read_bytes() for p in (root / "exercises").rglob("*.ipynb")}
    assert {p.relative_to(course_copy / "exercises"): b for p, b in first.items()} == committed


def test_exercises_refuses_an_unknown_module(course_copy):
    result = run_course("exercises", "m99-nothing", cwd=course_copy)
    assert result.returncode == 2
    assert "unknown module(s) m99-nothing" in result.stderr


def test_outside_a_course_the_command_says_where_to_run_it(tmp_path):
    result = run_course("verify", cwd=tmp_path)
    assert result.returncode == 2 and "nbgrader_config.py" in result.stderr


def test_verify_catches_a_planted_solution_leak(course_copy):
    source = json.loads((course_copy / "solutions/m01-singles-day/m01-singles-day.ipynb").read_text())
    solution_line = cell(source, "m01-q1-growth")["source"]
    solution_line = next(ln for ln in "".join(solution_line).splitlines() if ln.startswith("growth_2018 ="))
    edit_notebook(course_copy / "exercises/m01-singles-day/m01-singles-day.ipynb",
                  lambda nb: cell(nb, "m01-q1-growth").update(source=f"# growth_2018 = ...\n{solution_line}\n"))
    result = run_course("verify", cwd=course_copy)
    assert result.returncode == 1
    assert "[leak]" in result.stdout and "m01-q1-growth" in result.stdout
    assert "[stale]" in result.stdout  # an edited release also differs from a fresh generation


def test_verify_catches_a_hidden_test_left_in_a_plain_file(course_copy):
    source = json.loads((course_copy / "solutions/m00-orientation/m00-orientation.ipynb").read_text())
    hidden = "".join(cell(source, "m00-q4-hs-test")["source"]).split("### BEGIN HIDDEN TESTS")[1]
    hidden_line = next(ln for ln in hidden.splitlines() if ln.startswith("assert "))
    (course_copy / "exercises/m00-orientation/notes.md").write_text(hidden_line + "\n")
    findings = [str(f) for f in verify(course_copy)]
    assert any("[leak]" in f and "notes.md" in f and "m00-q4-hs-test" in f for f in findings), findings
    assert any("[stale]" in f and "notes.md" in f for f in findings), findings


def test_verify_catches_a_stale_release(course_copy):
    edit_notebook(course_copy / "solutions/m00-orientation/m00-orientation.ipynb",
                  lambda nb: cell(nb, "m00-q3-text").update(source="### Q3 (2 points)\nCount the products."))
    findings = [str(f) for f in verify(course_copy)]
    english = ("[stale] exercises/m00-orientation/m00-orientation.ipynb: differs from a fresh generation "
               "(edited by hand, or solutions/ changed); run `course exercises`")
    assert english in findings
    # the rest is the Indonesian edition of m00: its translation and generated notebooks are now behind too
    others = [f for f in findings if f != english]
    assert others, findings
    assert all("translations/id/m00-orientation.po" in f or "-id/m00-orientation" in f for f in others), others


def test_verify_catches_outputs_bad_grade_ids_missing_points_and_a_wrong_points_claim(course_copy):
    def damage(nb):
        nb["cells"][3]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hi"}]
        nb["cells"][3]["execution_count"] = 4
        cell(nb, "m00-q3-count")["metadata"]["nbgrader"]["grade_id"] = "question3"
        cell(nb, "m00-q4-hs-test")["metadata"]["nbgrader"]["grade_id"] = "m00-q1-stock-test"
        cell(nb, "m00-q1-stock-test")["metadata"]["nbgrader"]["points"] = 0
    edit_notebook(course_copy / "solutions/m00-orientation/m00-orientation.ipynb", damage)
    findings = "\n".join(str(f) for f in verify(course_copy) if "[stale]" not in str(f))
    assert "has outputs" in findings and "has an execution count" in findings
    assert "'question3' does not follow mNN-qK-slug" in findings
    assert "'m00-q1-stock-test' is used again" in findings
    assert "[generate] solutions/m00-orientation: nbgrader cannot generate its release: " \
           "ValidationError: Duplicate grade id: m00-q1-stock-test" in findings
    assert "'m00-q1-stock-test' has no points" in findings
    assert "the header says 8 points, the cells add up to 7" in findings


def test_verify_catches_a_misnamed_module(course_copy):
    folder = course_copy / "solutions/m00-orientation"
    (folder / "m00-orientation.ipynb").rename(folder / "orientation.ipynb")
    findings = [str(f) for f in verify(course_copy)]
    assert any("should hold exactly m00-orientation.ipynb" in f for f in findings), findings


def test_generate_into_another_folder_leaves_exercises_alone(course_copy, tmp_path):
    before = (course_copy / "exercises/m01-singles-day/m01-singles-day.ipynb").read_bytes()
    generate(course_copy, ["m01-singles-day"], release_dir=tmp_path / "out",
             db_url=f"sqlite:///{tmp_path / 'gb.db'}")
    assert (tmp_path / "out/m01-singles-day/m01-singles-day.ipynb").is_file()
    assert (course_copy / "exercises/m01-singles-day/m01-singles-day.ipynb").read_bytes() == before
    with pytest.raises(ValueError, match="unknown module"):
        generate(course_copy, ["m42-nope"])


def test_verify_catches_a_thin_header_and_a_figure_without_alt_text(course_copy):
    def damage(nb):
        header = cell(nb, "m01-header")
        text = "".join(header["source"]).replace("**Time:**", "Time:")
        text = "\n".join(line for line in text.splitlines() if not line.startswith("| O4"))
        text = text.replace("| Q1 |", "| (none) |")
        header["source"] = text
        chart = cell(nb, "m01-gmv-chart")
        after = nb["cells"][nb["cells"].index(chart) + 1]
        after["source"] = "".join(after["source"]).replace("*Alt text:", "*Description:")
    edit_notebook(course_copy / "solutions/m01-singles-day/m01-singles-day.ipynb", damage)
    findings = "\n".join(str(f) for f in verify(course_copy))
    assert "the header cell does not state **Time:**" in findings
    assert "objective 'compute year-on-year growth from a sourced time series' is checked by no graded" in findings
    assert "[alt-text] solutions/m01-singles-day cell 6: draws a figure" in findings
    edit_notebook(course_copy / "solutions/m00-orientation/m00-orientation.ipynb",
                  lambda nb: cell(nb, "m00-header").update(source="".join(cell(nb, "m00-header")["source"]).replace(
                      "| O3 |", "| x |").replace("| O4 |", "| y |")))
    assert "the header maps 2 learning objectives" in "\n".join(str(f) for f in verify(course_copy))
