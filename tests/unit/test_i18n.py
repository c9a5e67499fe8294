"""The message catalog: complete in both languages, and the language setting works."""

import re
import string

import pytest

from course import i18n


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_every_message_has_both_languages_with_the_same_placeholders():
    catalog = i18n.catalog()
    assert len(catalog) > 20
    for key, texts in catalog.items():
        assert set(texts) == set(i18n.LANGUAGES), f"{key} has languages {sorted(texts)}"
        assert all(t.strip() for t in texts.values()), f"{key} has an empty text"
        assert placeholders(texts["en"]) == placeholders(texts["id"]), key


def test_indonesian_texts_are_not_copies_of_english():
    same = [k for k, t in i18n.catalog().items() if t["en"] == t["id"] and re.search(r"[a-z]{4}", t["en"])]
    # a few words are the same in both languages (e.g. "Rupiah per yuan"); whole sentences are not
    assert all(len(i18n.catalog()[k]["en"].split()) <= 3 for k in same), same


def test_language_follows_argument_then_session_then_environment(monkeypatch):
    monkeypatch.delenv(i18n.LANGUAGE_ENV, raising=False)
    assert i18n.language() == "en"
    monkeypatch.setenv(i18n.LANGUAGE_ENV, "id_ID.UTF-8")
    assert i18n.language() == "id"
    i18n.set_language("en")
    try:
        assert i18n.language() == "en"
        assert i18n.language("id") == "id"
    finally:
        i18n.set_language(None)
    assert i18n.language() == "id"


def test_unknown_language_in_environment_falls_back_to_english(monkeypatch):
    monkeypatch.setenv(i18n.LANGUAGE_ENV, "klingon")
    assert i18n.language() == "en"


def test_unknown_language_argument_is_a_clear_error():
    with pytest.raises(ValueError, match="'fr' is not supported"):
        i18n.set_language("fr")


def test_message_fills_fields_and_unknown_key_says_where_to_look():
    assert "growth" in i18n.message("check.passed", "en", name="growth")
    assert i18n.message("check.passed", "id", name="x").startswith("✓ x sudah")
    with pytest.raises(KeyError, match="course/messages"):
        i18n.message("no.such.key")


def test_a_message_and_its_sub_messages_are_both_kept():
    table = {"supply": {"x": {"en": "X", "id": "X", "unit": {"en": "days", "id": "hari"}}}}
    assert dict(i18n._flatten(table)) == {"supply.x": {"en": "X", "id": "X"},
                                         "supply.x.unit": {"en": "days", "id": "hari"}}


def test_a_kernel_of_an_indonesian_notebook_speaks_indonesian_without_course_lang(monkeypatch, tmp_path):
    """Jupyter tells a kernel its notebook's path (JPY_SESSION_NAME); a notebook marked as the Indonesian
    edition decides the language when nothing chose one, so the edition speaks Indonesian however it is opened."""
    from course.folders import find_root

    root = find_root()
    monkeypatch.delenv(i18n.LANGUAGE_ENV, raising=False)
    indonesian = root / "exercises-id" / "m01-singles-day" / "m01-singles-day.ipynb"
    english = root / "exercises" / "m01-singles-day" / "m01-singles-day.ipynb"
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    cases = [(indonesian, None, "id"), (english, None, "en"), (english, "id", "id"), (indonesian, "en", "id"),
             (broken, None, "en"), (tmp_path / "gone.ipynb", "id", "id"), (root / "README.md", None, "en")]
    for path, course_lang, expected in cases:
        monkeypatch.setenv(i18n.SESSION_ENV, str(path))
        if course_lang:
            monkeypatch.setenv(i18n.LANGUAGE_ENV, course_lang)
        else:
            monkeypatch.delenv(i18n.LANGUAGE_ENV, raising=False)
        assert i18n.language() == expected, (path.name, course_lang)
    monkeypatch.setenv(i18n.SESSION_ENV, str(indonesian))
    i18n.set_language("en")  # what the trainee chose in the notebook still wins
    try:
        assert i18n.language() == "en"
    finally:
        i18n.set_language(None)


def test_a_check_in_the_indonesian_notebooks_kernel_fails_in_indonesian(tmp_path):
    import os
    import subprocess
    import sys

    from course.folders import find_root

    notebook = find_root() / "exercises-id" / "m00-orientation" / "m00-orientation.ipynb"
    env = {k: v for k, v in os.environ.items() if k != i18n.LANGUAGE_ENV}
    env.update({i18n.SESSION_ENV: str(notebook), "HOME": str(tmp_path)})
    code = ("from course import checks\ntry:\n    checks.is_fraction('share', 25)\n"
            "except AssertionError as e:\n    print(e)")
    said = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert said.stdout.strip() == i18n.message("check.percent_not_fraction", "id", name="share", value=25), \
        said.stdout + said.stderr[-2000:]
    english = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                             env={**env, i18n.SESSION_ENV: str(notebook).replace("exercises-id", "exercises")})
    assert english.stdout.strip() == i18n.message("check.percent_not_fraction", "en", name="share", value=25)


def test_a_validate_kernel_speaks_the_edition_its_working_folder_holds(monkeypatch, tmp_path):
    """nbgrader's Validate gives its kernel no notebook path, only the notebook's folder as its working folder and
    NBGRADER_EXECUTION=validate: the edition the folder's course notebooks agree on counts as the notebook's own;
    when they disagree, or for any kernel that is not validating, COURSE_LANG decides as before."""
    import shutil

    from course.folders import find_root

    root = find_root()
    module = "m01-singles-day"
    folders = {}
    for name, releases in {"id": ["exercises-id"], "en": ["exercises"], "mixed": ["exercises-id", "exercises"]}.items():
        folders[name] = tmp_path / name
        folders[name].mkdir()
        for number, release in enumerate(releases):
            shutil.copy(root / release / module / f"{module}.ipynb", folders[name] / f"{module}-{number}.ipynb")
    (folders["id"] / "Untitled.ipynb").write_text('{"cells": [], "metadata": {}}')  # no say: no nbgrader cells
    (folders["id"] / "broken.ipynb").write_text("{not json")
    monkeypatch.delenv(i18n.SESSION_ENV, raising=False)
    cases = [("id", "validate", None, "id"), ("id", "validate", "en", "id"), ("en", "validate", "id", "id"),
             ("en", "validate", None, "en"), ("mixed", "validate", None, "en"), ("mixed", "validate", "id", "id"),
             ("id", "autograde", "en", "en"), ("id", None, "en", "en"), ("id", None, None, "en")]
    for folder, execution, course_lang, expected in cases:
        monkeypatch.chdir(folders[folder])
        for name, value in ((i18n.EXECUTION_ENV, execution), (i18n.LANGUAGE_ENV, course_lang)):
            if value:
                monkeypatch.setenv(name, value)
            else:
                monkeypatch.delenv(name, raising=False)
        assert i18n.language() == expected, (folder, execution, course_lang)
    monkeypatch.chdir(folders["id"])
    monkeypatch.setenv(i18n.EXECUTION_ENV, "validate")
    i18n.set_language("en")  # what the notebook chose still wins
    try:
        assert i18n.language() == "en"
    finally:
        i18n.set_language(None)
