"""The package's one Jinja2 environment, over course/templates/ (HTML and XML autoescaped).

Everything the package writes as a page or a document (the trainee README of a student
edition, the cohort report, the feedback note of a submission that could not be graded) is a
template there, rendered by :func:`render`. Markdown templates are not escaped; ``.html.j2``
and ``.xml.j2`` ones are, so text from a trainee or a roster (a name, an id, a grading
reason) can never become markup.
"""

from __future__ import annotations

import functools

import jinja2


@functools.cache
def templates() -> jinja2.Environment:
    """The package's Jinja2 templates (course/templates/); HTML and XML templates are autoescaped."""
    return jinja2.Environment(loader=jinja2.PackageLoader("course", "templates"),
                              autoescape=jinja2.select_autoescape(["html", "html.j2", "htm", "xml", "xml.j2"]),
                              undefined=jinja2.StrictUndefined, trim_blocks=True, keep_trailing_newline=True)


def render(template: str, /, **context: object) -> str:
    """The ``template`` (a path under course/templates/) filled with ``context``."""
    return templates().get_template(template).render(**context)
