"""Sorting out what a submission folder holds (client side) and repairing a notebook (worker side), no kernels."""

from __future__ import annotations

import json
import os
from pathlib import Path

from hostile_corpus import M00, as_nbformat3, load

from course.grading import repair
from course.grading.submissions import (
    FileState,
    ModuleSpec,
    classify,
    find,
    fingerprint,
    read_timestamp,
    submitted_students,
    unsafe_id,
)

ROOT = Path(__file__).resolve().parents[2]
SOLUTION = json.dumps(load(ROOT, "solutions", M00))
RELEASE_CELLS = {c["metadata"]["nbgrader"]["grade_id"]: {"cell_type": c["cell_type"],
                                                        "nbgrader": c["metadata"]["nbgrader"]}
                 for c in load(ROOT, "exercises", M00)["cells"] if "nbgrader" in c["metadata"]}


def spec() -> ModuleSpec:
    nb = load(ROOT, "solutions", M00)
    ids = sorted(c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"] if "nbgrader" in c["metadata"])
    return ModuleSpec(M00, {M00: ids}, 6.0)


def folder_with(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    folder = tmp_path / "submitted" / "trainee" / M00
    folder.mkdir(parents=True)
    for name, content in files.items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    return folder


def test_the_expected_notebook_is_ok_and_read(tmp_path):
    found = classify(folder_with(tmp_path, {f"{M00}.ipynb": SOLUTION}), spec())[M00]
    assert (found.state, found.detail, found.data) == (FileState.OK, "", SOLUTION.encode())


def test_empty_invalid_deep_and_non_notebook_files_are_unreadable_with_a_reason():
    for content, reason in ((b"", "empty"), (SOLUTION[:300].encode(), "not valid JSON"),
                            (b"[1, 2]", "not a Jupyter notebook"), (b"\xff\xfe{}", "not UTF-8"),
                            (b"[" * 100_000 + b"]" * 100_000, "nested")):
        fixed = repair.repair(content, RELEASE_CELLS, None, 100)
        assert fixed.text is None and reason in fixed.unreadable, (reason, fixed)


def test_a_notebook_over_the_size_limit_is_unreadable(tmp_path):
    folder = folder_with(tmp_path, {f"{M00}.ipynb": SOLUTION})
    found = classify(folder, spec(), max_mb=0)[M00]
    assert found.state == FileState.UNREADABLE and found.detail.startswith("the file is")


def test_a_renamed_copy_carrying_the_module_cells_is_graded_in_its_place(tmp_path):
    folder = folder_with(tmp_path, {"Copy of m00.ipynb": SOLUTION, "scratch.ipynb": json.dumps(
        {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})})
    found = classify(folder, spec())[M00]
    assert found.state == FileState.RENAMED and found.source == "Copy of m00.ipynb"


def test_a_folder_without_the_notebook_is_missing(tmp_path):
    found = classify(folder_with(tmp_path, {"notes.txt": "nothing"}), spec())[M00]
    assert found.state == FileState.MISSING


def test_a_symbolic_link_is_not_followed(tmp_path):
    folder = folder_with(tmp_path, {})
    (folder / f"{M00}.ipynb").symlink_to(ROOT / "solutions" / M00 / f"{M00}.ipynb")
    found = classify(folder, spec())[M00]
    assert found.state == FileState.UNREADABLE and not found.data


def test_linked_submission_folders_are_refused(tmp_path):
    classmate = folder_with(tmp_path, {f"{M00}.ipynb": SOLUTION}).parent
    (tmp_path / "submitted" / "copycat").symlink_to(classmate, target_is_directory=True)
    (tmp_path / "submitted" / "cheat").mkdir()
    (tmp_path / "submitted" / "cheat" / M00).symlink_to(ROOT / "solutions" / M00, target_is_directory=True)
    found = {item.student: item for item in find(tmp_path, [M00], ["copycat", "cheat", "trainee", "absent"])}
    assert found["copycat"].folder is None and "symbolic link" in found["copycat"].refused
    assert found["cheat"].folder is None and "symbolic link" in found["cheat"].refused
    assert found["trainee"].folder is not None and not found["trainee"].refused
    assert found["absent"].folder is None and not found["absent"].refused


def test_trainee_ids_that_name_paths_are_refused():
    for bad in ("../solutions", "..", ".hidden", "a/b", "a\\b", "x\x00", ""):
        assert unsafe_id(bad), bad
    for good in ("dewi[2]", "=2+3", "ayu", "budi.s", "ñandú"):
        assert unsafe_id(good) == "", good


def test_timestamps_that_are_not_dates_are_ignored_with_a_note(tmp_path):
    folder = folder_with(tmp_path, {"timestamp.txt": "2018-11-11 00:00:00.000000 UTC"})
    assert read_timestamp(folder)[0].startswith("2018-11-11 00:00:00")
    for text in ("yesterday 25:61", "2018-11-11" + "9" * 5000):
        (folder / "timestamp.txt").write_text(text)
        stamp, note = read_timestamp(folder)
        assert stamp is None and "ignored" in note


def test_repair_restores_settings_names_and_kernel(tmp_path):
    nb = load(ROOT, "solutions", M00)
    for cell in nb["cells"]:
        entry = cell["metadata"].get("nbgrader", {})
        if entry.get("grade_id") == "m00-q1-stock-test":
            entry["grade"] = False
        if entry.get("grade_id") == "m00-q3-count-test":
            entry["grade_id"] = "renamed-by-trainee"
    nb["metadata"]["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    nb["cells"].append({"cell_type": "markdown", "metadata": {"nbgrader": {"grade": True, "grade_id": "invented"}},
                        "source": "lone \ud800 surrogate"})
    fixed = repair.repair(json.dumps(nb).encode(), RELEASE_CELLS, {"name": "python3", "display_name": "Python 3",
                                                                  "language": "python"}, 100)
    repaired = json.loads(fixed.text)
    by_id = {c["metadata"]["nbgrader"]["grade_id"]: c for c in repaired["cells"] if "nbgrader" in c["metadata"]}
    assert by_id["m00-q1-stock-test"]["metadata"]["nbgrader"]["grade"] is True
    assert "m00-q3-count-test" in by_id and "renamed-by-trainee" not in by_id and "invented" not in by_id
    assert repaired["metadata"]["kernelspec"]["name"] == "python3"
    assert "\ufffd" in repaired["cells"][-1]["source"]
    assert len(fixed.tampered) == 2 and any("renamed" in note for note in fixed.tampered)
    assert any("'ir' replaced" in note for note in fixed.notes)


def test_an_nbformat3_notebook_is_converted_with_its_cells():
    fixed = repair.repair(json.dumps(as_nbformat3(load(ROOT, "solutions", M00))).encode(), RELEASE_CELLS, None, 100)
    repaired = json.loads(fixed.text)
    assert repaired["nbformat"] == 4 and "nbformat 3" in fixed.notes[0]
    assert {c["metadata"]["nbgrader"]["grade_id"] for c in repaired["cells"] if "nbgrader" in c["metadata"]} \
        == set(RELEASE_CELLS)


def test_students_and_fingerprints(tmp_path):
    folder = folder_with(tmp_path, {f"{M00}.ipynb": SOLUTION})
    assert submitted_students(tmp_path, [M00]) == {"trainee"}
    first = fingerprint(classify(folder, spec()))
    (folder / f"{M00}.ipynb").write_text(SOLUTION + " ")
    assert fingerprint(classify(folder, spec())) != first and first
    os.remove(folder / f"{M00}.ipynb")
    assert fingerprint(classify(folder, spec())) == ""
