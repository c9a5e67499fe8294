"""`course verify`'s comparison of a committed generated tree with a fresh generation (no nbgrader needed)."""

from __future__ import annotations

import json
from pathlib import Path

from course.verify import stale_tree


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def notebook(source: str, indent: int = 1) -> str:
    return json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": source}]}, indent=indent)


def test_a_tree_equal_to_its_fresh_generation_has_no_finding(tmp_path):
    for tree in ("have", "fresh"):
        write(tmp_path / tree / "m01-a" / "m01-a.ipynb", notebook("hello"))
        write(tmp_path / tree / "m01-a" / "data.csv", "a,b\n1,2\n")
    write(tmp_path / "have" / "m01-a" / ".ipynb_checkpoints" / "m01-a-checkpoint.ipynb", notebook("old"))
    assert stale_tree(tmp_path / "have", tmp_path / "fresh", "exercises", "solutions/") == []


def test_missing_extra_and_changed_files_are_each_named_with_what_to_do(tmp_path):
    write(tmp_path / "fresh" / "m01-a" / "m01-a.ipynb", notebook("new text"))
    write(tmp_path / "fresh" / "m01-a" / "data.csv", "a\n")
    write(tmp_path / "have" / "m01-a" / "m01-a.ipynb", notebook("old text"))
    write(tmp_path / "have" / "m01-a" / "notes.md", "mine\n")
    found = [str(f) for f in stale_tree(tmp_path / "have", tmp_path / "fresh", "exercises-id",
                                        "solutions/ or translations/")]
    assert found == [
        "[stale] exercises-id/m01-a/data.csv: is missing; run `course exercises`",
        "[stale] exercises-id/m01-a/notes.md: is not generated from solutions/ or translations/; "
        "remove it or add its source",
        "[stale] exercises-id/m01-a/m01-a.ipynb: differs from a fresh generation (edited by hand, or "
        "solutions/ or translations/ changed); run `course exercises`",
    ]


def test_notebooks_are_compared_as_json_and_other_files_byte_for_byte(tmp_path):
    write(tmp_path / "fresh" / "m01-a" / "m01-a.ipynb", notebook("same", indent=1))
    write(tmp_path / "have" / "m01-a" / "m01-a.ipynb", notebook("same", indent=2))
    write(tmp_path / "fresh" / "m01-a" / "data.csv", "a\n")
    write(tmp_path / "have" / "m01-a" / "data.csv", "a\r\n")
    found = [str(f) for f in stale_tree(tmp_path / "have", tmp_path / "fresh", "exercises", "solutions/")]
    assert found == ["[stale] exercises/m01-a/data.csv: differs from a fresh generation (edited by hand, or "
                     "solutions/ changed); run `course exercises`"]


def test_skipped_modules_are_left_out_of_both_trees_and_a_missing_tree_is_all_missing(tmp_path):
    write(tmp_path / "fresh" / "m01-a" / "m01-a.ipynb", notebook("a"))
    write(tmp_path / "fresh" / "m02-b" / "m02-b.ipynb", notebook("half written before it failed"))
    write(tmp_path / "have" / "m02-b" / "m02-b.ipynb", notebook("b"))
    found = [str(f) for f in stale_tree(tmp_path / "have", tmp_path / "fresh", "exercises", "solutions/",
                                        skip=["m02-b"])]
    assert found == ["[stale] exercises/m01-a/m01-a.ipynb: is missing; run `course exercises`"]
    found = stale_tree(tmp_path / "absent", tmp_path / "fresh", "exercises", "solutions/")
    assert [f.where for f in found] == ["exercises/m01-a/m01-a.ipynb", "exercises/m02-b/m02-b.ipynb"]
