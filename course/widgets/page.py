"""A calculator as a stand-alone web page (`course apps`, Voila): one language, chosen on the page.

The page reads its language from the address (``?lang=id``), else ``COURSE_LANG``, else English.
A language switch on the page rebuilds the calculator in the other language and keeps the
inputs; the page template (course/apps/voila/templates/course) writes the choice into the
address and the browser's storage, so a reload, a bookmark and the index keep it.

Under Voila's preheated kernels the work before the request (imports, a first form with its
chart, which loads matplotlib) is done while no one waits; :func:`requested_language` then
waits for the request and reads its address.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from urllib.parse import parse_qs

import ipywidgets as w

from course.i18n import LANGUAGES, language, message
from course.widgets.form import CalculatorForm

LANGUAGE_NAMES = {"en": "English", "id": "Bahasa Indonesia"}  # each in its own language


def _factories() -> dict[str, Callable[..., CalculatorForm]]:
    from course.widgets.country import country_readiness
    from course.widgets.landed_cost import landed_cost
    from course.widgets.peak_day import peak_day
    from course.widgets.scorecard import export_scorecard
    from course.widgets.supply import supply_readiness

    return {"supply": supply_readiness, "landed_cost": landed_cost, "scorecard": export_scorecard,
            "peak_day": peak_day, "country": country_readiness}


PAGES = ("supply", "landed_cost", "scorecard", "peak_day", "country")  # as course.apps_cli.PAGES
TITLES = {page: f"{page}.title" for page in PAGES}  # each page's title key


def language_from_query(query: str | None) -> str | None:
    """The ``lang`` of a query string if it names a supported language, else None."""
    values = parse_qs(query or "").get("lang", [])
    code = values[0].strip().lower() if values else ""
    return code if code in LANGUAGES else None


def requested_language() -> str:
    """The page's language: ``?lang=`` of the request (waited for under preheated kernels), else
    the course setting (``COURSE_LANG``, else English). Outside Voila: the course setting."""
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        # a kernel started for its request (or no page at all): Voila put the query string in the
        # environment before the kernel started, so there is nothing to wait for, and importing voila
        # (its server and JupyterLab's, 1-4 s) would only delay the page
        return language_from_query(os.environ.get("QUERY_STRING")) or language()
    try:
        from voila.utils import get_query_string  # a preheated kernel: waits for the request
    except ImportError:  # Voila is not installed: not a page
        return language()
    return language_from_query(get_query_string()) or language()


class CalculatorPage(w.VBox):
    """A language switch, the calculator (title as the page's h1), and a link to the index."""

    form: CalculatorForm  # the calculator in the page's language, built by show() (first in __init__)

    def __init__(self, name: str, lang: str | None = None) -> None:
        if name not in PAGES:
            raise KeyError(f"no calculator page {name!r}; pages: {', '.join(PAGES)}")
        self.name = name
        self.switch = w.ToggleButtons(options=[(LANGUAGE_NAMES[code], code) for code in LANGUAGES])
        self.switch.add_class("course-language")
        self.nav = w.HTML()
        self.nav.add_class("course-nav")
        super().__init__()
        self.add_class("course-page")
        self.show(language(lang))
        self.switch.observe(self._switched, names="value")

    def show(self, lang: str, start: dict | None = None) -> None:
        """Build the calculator in ``lang`` (on ``start`` values, e.g. the ones typed so far)."""
        self.form = _factories()[self.name](lang, heading=1, **(start or {}))
        self.switch.value = lang
        self.switch.description = message("widget.language", lang)
        self.switch.tooltips = [LANGUAGE_NAMES[code] for code in LANGUAGES]
        back = html.escape(message("widget.all_calculators", lang))
        self.nav.value = f'<nav><a href="../../?lang={lang}">&larr; {back}</a></nav>'
        for code in LANGUAGES:
            self.remove_class(f"course-lang-{code}")
        self.add_class(f"course-lang-{lang}")
        self.children = [self.nav, self.switch, self.form]

    def _switched(self, change: dict) -> None:
        if change["new"] == self.form.lang:
            return
        kept = self.form.values() if self.form.last_result is not None else None
        self.show(change["new"], kept)


def calculator_page(name: str) -> CalculatorPage:
    """The page of calculator ``name`` (see :data:`PAGES`) in the requested language.

    A first form is built in the course's default language before the request is waited for,
    so that a preheated kernel has loaded everything (matplotlib included) by then.
    """
    page = CalculatorPage(name)
    wanted = requested_language()
    if wanted != page.form.lang:
        page.show(wanted)
    return page
