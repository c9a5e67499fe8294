"""The message catalog: every text a trainee reads, in English and Bahasa Indonesia.

Messages live in ``course/messages/*.toml``, one table per key with an ``en`` and an
``id`` string (``str.format`` placeholders allowed; a literal brace is doubled, ``{{``)::

    [check.wrong_type]
    en = "{name} should be {expected}, but it is {actual}."
    id = "{name} seharusnya {expected}, tetapi nilainya {actual}."

The language is, in order: the ``lang`` argument, :func:`set_language`, the
environment variable ``COURSE_LANG``, and English.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "id")
DEFAULT_LANGUAGE = "en"
LANGUAGE_ENV = "COURSE_LANG"
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
    """The language in force: ``lang`` if given, else the session's, else ``COURSE_LANG``, else English."""
    if lang:
        return _normalise(lang)
    if _chosen:
        return _chosen
    env = os.environ.get(LANGUAGE_ENV, "").strip()
    if env:
        try:
            return _normalise(env)
        except ValueError:
            return DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def notebook_language(metadata: Mapping) -> str:
    """The language of a course notebook from its metadata: the edition course.translate marks in it
    (``metadata.course.edition = "id"``); English for a notebook without a mark or with one that is no language."""
    course = metadata.get("course") if isinstance(metadata, Mapping) else None
    mark = course.get("edition") if isinstance(course, Mapping) else None
    return mark if mark in LANGUAGES else DEFAULT_LANGUAGE


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
