"""Fixtures of the browser tests: one Chromium and one `course apps` server per session.

Every page is opened in a browser context that lets only 127.0.0.1 through: any other request
is aborted and recorded, and each test checks that none was made (the pages work offline).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from tests.support import browser as servers

LOCAL_HOSTS = {"127.0.0.1"}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    reason = servers.missing_browser()
    if reason:
        print(f"browser tests skipped: {reason}")
        pytest.skip(reason)
    with servers.chromium() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def voila(tmp_path_factory, browser) -> Iterator[tuple[int, str]]:
    """`course apps`'s server, as `course apps` starts it (template, preheated kernels)."""
    with servers.voila(tmp_path_factory.mktemp("voila")) as (port, token):
        yield port, token


class Offline:
    """A browser context in which nothing but 127.0.0.1 answers; ``outside`` lists what was tried."""

    def __init__(self, browser, width: int, height: int) -> None:
        self.outside: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        self.context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if urlparse(url).scheme in ("data", "blob") or urlparse(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort("internetdisconnected")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def offline(browser) -> Iterator[Offline]:
    """A fresh offline browser context at laptop size (1366 x 768); no stored language."""
    context = Offline(browser, 1366, 768)
    try:
        yield context
    finally:
        context.close()
