"""Sorting out what a submission folder holds, before any kernel starts."""

from __future__ import annotations

import json
from pathlib import Path

from hostile_corpus import M00, load

from course.grading.submissions import ModuleSpec, classify, fingerprint, read_notebook, submitted_students

ROOT = Path(__file__).resolve().parents[2]


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


SOLUTION = json.dumps(load(ROOT, "solutions", M00))


def test_the_expected_notebook_is_ok(tmp_path):
    found = classify(folder_with(tmp_path, {f"{M00}.ipynb": SOLUTION}), spec())[M00]
    assert (found.state, found.detail) == ("ok", "")


def test_empty_invalid_and_non_notebook_files_are_unreadable_with_a_reason(tmp_path):
    for content, reason in ((b"", "empty"), (SOLUTION[:300], "not valid JSON"), ("[1, 2]", "not a Jupyter notebook"),
                            (b"\xff\xfe{}", "not UTF-8")):
        folder = folder_with(tmp_path / reason.replace(" ", "-"), {f"{M00}.ipynb": content})
        found = classify(folder, spec())[M00]
        assert found.state == "unreadable" and reason in found.detail, (reason, found)


def test_a_notebook_over_the_size_limit_is_unreadable(tmp_path):
    folder = folder_with(tmp_path, {f"{M00}.ipynb": SOLUTION})
    assert read_notebook(folder / f"{M00}.ipynb", max_mb=0)[1].startswith("the file is")
    assert classify(folder, spec(), max_mb=0)[M00].state == "unreadable"


def test_a_renamed_copy_carrying_the_module_cells_is_graded_in_its_place(tmp_path):
    folder = folder_with(tmp_path, {"Copy of m00.ipynb": SOLUTION, "scratch.ipynb": json.dumps(
        {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})})
    found = classify(folder, spec())[M00]
    assert found.state == "renamed" and found.path.name == "Copy of m00.ipynb"


def test_a_folder_without_the_notebook_is_missing(tmp_path):
    found = classify(folder_with(tmp_path, {"notes.txt": "nothing"}), spec())[M00]
    assert found.state == "missing"


def test_a_symbolic_link_is_not_followed(tmp_path):
    folder = folder_with(tmp_path, {})
    (folder / f"{M00}.ipynb").symlink_to(ROOT / "solutions" / M00 / f"{M00}.ipynb")
    assert classify(folder, spec())[M00].state == "unreadable"


def test_students_and_fingerprints(tmp_path):
    folder = folder_with(tmp_path, {f"{M00}.ipynb": SOLUTION})
    assert submitted_students(tmp_path, [M00]) == {"trainee"}
    first = fingerprint(folder)
    (folder / f"{M00}.ipynb").write_text(SOLUTION + " ")
    assert fingerprint(folder) != first and fingerprint(None) == ""
