"""The message catalog: every text a trainee reads, in English and Bahasa Indonesia.

Messages live in ``course/messages/*.toml``, one table per key with an ``en`` and an
``id`` string (``str.format`` placeholders allowed; a literal brace is doubled, ``{{``)::

    [check.wrong_type]
    en = "{name} should be {expected}, but it is {actual}."
    id = "{name} seharusnya {expected}, tetapi nilainya {actual}."

The language is, in order: the ``lang`` argument, :func:`set_language`, the edition of the
notebook whose kernel this is (an Indonesian notebook is marked so; Jupyter tells its kernel
the notebook's path in ``JPY_SESSION_NAME``), the environment variable ``COURSE_LANG``, and
English. So the Indonesian edition speaks Indonesian however it is opened.

nbgrader's Validate button starts its kernel outside Jupyter's sessions, with no notebook path:
nbgrader's ``Validator`` runs the notebook through its ``Execute`` preprocessor in the notebook's
own folder (it changes into it first), with ``NBGRADER_EXECUTION=validate`` in the environment.
Neither nbgrader nor nbclient lets configuration hand that kernel the notebook's path: the
Validator's preprocessor list is fixed, ``Execute`` forces its kernel manager class, and the
preprocessors get empty resources. So a kernel that nbgrader says is validating takes the
edition its working folder holds, when every course notebook there (one with nbgrader cells)
carries the same mark, in the notebook's place in the order above (:func:`_folder_edition`).
That is the validated notebook's own mark: the notebook is in that folder, and a module folder
of a release, a student edition or a trainee's working copy holds one edition. Where the
folder's notebooks disagree, nothing is guessed and ``COURSE_LANG`` decides, as before. No
other kernel looks at its folder: not Jupyter's (they have ``JPY_SESSION_NAME``), not the
grading kernels (``NBGRADER_EXECUTION=autograde`` or none, and ``COURSE_LANG`` set from the
submission's edition).
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "id")
DEFAULT_LANGUAGE = "en"
LANGUAGE_ENV = "COURSE_LANG"
SESSION_ENV = "JPY_SESSION_NAME"  # Jupyter server: the path of the notebook a kernel was started for
EXECUTION_ENV = "NBGRADER_EXECUTION"  # nbgrader: "validate" while Validate runs a notebook, "autograde" in grading
_MESSAGES_DIR = Path(__file__).with_name("messages")
_chosen: str | None = None


def _normalise(lang: str) -> str:
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    if code == "in":  # the old ISO code for Indonesian, still used by some systems
        code = "id"
    if code not in LANGUAGES:
        raise ValueError(f"language: {lang!r} is not supported; use one of {', '.join(LANGUAGES)}")
    return code


def set_language(lang: str | None) -> None:
    """Choose the language for this session (``None`` goes back to ``COURSE_LANG``)."""
    global _chosen
    _chosen = None if lang is None else _normalise(lang)


def language(lang: str | None = None) -> str:
    """The language in force: ``lang`` if given, else the session's (:func:`set_language`), else the
    edition marked in this kernel's notebook, else ``COURSE_LANG``, else English."""
    if lang:
        return _normalise(lang)
    if _chosen:
        return _chosen
    marked = _session_notebook_edition(os.environ.get(SESSION_ENV, ""))
    if not marked and os.environ.get(EXECUTION_ENV) == "validate":  # nbgrader's Validate: no notebook path
        marked = _folder_edition(os.getcwd())
    if marked:
        return marked
    env = os.environ.get(LANGUAGE_ENV, "").strip()
    if env:
        try:
            return _normalise(env)
        except ValueError:
            return DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def label(text: str) -> str:
    """Mark a string literal in a lesson's code as text the trainee reads; returns ``text`` unchanged.

    ``course translations extract`` takes ``label("ordinary day")`` into the module's PO file, and the
    Indonesian edition has the translation in its place (``label("hari biasa")``). Use it where a label
    is not already an argument the extractor knows (``print``, ``set_title``, ``label=``, ...): a name in
    a tuple, a list of bar labels. Code stays the same in both editions apart from the text.
    """
    return text


def notebook_language(metadata: Mapping, unknown: str = DEFAULT_LANGUAGE) -> str:
    """The language of a course notebook from its metadata: the edition course.translate marks in it
    (``metadata.course.edition = "id"``); English for a notebook without a mark, ``unknown`` (English
    unless given) for a mark that is no language."""
    course = metadata.get("course") if isinstance(metadata, Mapping) else None
    mark = course.get("edition", DEFAULT_LANGUAGE) if isinstance(course, Mapping) else DEFAULT_LANGUAGE
    return mark if mark in LANGUAGES else unknown


@cache
def _session_notebook_edition(path: str) -> str | None:
    """The edition marked in the notebook at ``path`` (the kernel's own notebook), None for an unmarked
    (English) notebook, another file or one that cannot be read: then ``COURSE_LANG`` decides."""
    if not path.endswith(".ipynb"):
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            metadata = json.load(handle).get("metadata")
    except (OSError, ValueError, AttributeError):
        return None
    lang = notebook_language(metadata or {})
    return lang if lang != DEFAULT_LANGUAGE else None


@cache
def _folder_edition(folder: str) -> str | None:
    """The edition every course notebook in ``folder`` is marked with (a Validate kernel's working folder, which
    holds the notebook it runs), None if they are English, disagree or there are none: then ``COURSE_LANG``
    decides. A notebook without nbgrader cells (a trainee's scratch notebook) or one that cannot be read has
    no say."""
    editions = set()
    for path in sorted(Path(folder).glob("*.ipynb")):
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
            cells, metadata = notebook.get("cells") or [], notebook.get("metadata") or {}
            graded = any("nbgrader" in (cell.get("metadata") or {}) for cell in cells)
        except (OSError, ValueError, AttributeError):
            continue
        if graded:
            editions.add(notebook_language(metadata, unknown="unknown"))
    lang = editions.pop() if len(editions) == 1 else DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES and lang != DEFAULT_LANGUAGE else None


@cache
def catalog() -> dict[str, dict[str, str]]:
    """All messages, ``{key: {"en": ..., "id": ...}}``, merged from every catalog file."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(_MESSAGES_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            table = tomllib.load(handle)
        for key, texts in _flatten(table):
            if key in merged:
                raise ValueError(f"message {key!r} is defined twice (again in {path.name})")
            merged[key] = texts
    return merged


def _flatten(table: dict, prefix: str = "") -> list[tuple[str, dict[str, str]]]:
    """Turn nested TOML tables into dotted keys: the strings of a table are one message, and
    each sub-table is another (so ``[a.x]`` and ``[a.x.unit]`` are both kept)."""
    found = []
    texts = {k: v for k, v in table.items() if isinstance(v, str)}
    if texts:
        found.append((prefix, texts))
    for name, value in table.items():
        if isinstance(value, dict):
            found.extend(_flatten(value, f"{prefix}.{name}" if prefix else name))
    return found


def message(key: str, lang: str | None = None, **fields: object) -> str:
    """The text of ``key`` in the language in force, with ``fields`` filled in."""
    try:
        texts = catalog()[key]
    except KeyError:
        raise KeyError(f"no message {key!r} in the catalog (course/messages/*.toml)") from None
    text = texts.get(language(lang)) or texts[DEFAULT_LANGUAGE]
    return text.format(**fields)  # always formatted, so a literal brace is written {{ in every message
