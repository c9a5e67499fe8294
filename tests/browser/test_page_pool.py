"""`course apps` warms its pages' kernels in turns, the page someone asks for first (real Voila server).

No browser is needed: the page is asked for over HTTP, as a browser's first request would.
"""

from __future__ import annotations

import re
import time
import urllib.request

from course.apps_cli import PAGES, page_url
from tests.support import browser as servers

STARTED = re.compile(r"Warming up a kernel for (\S+)")
WARM = re.compile(r"Kernel \S+ warm after")


def _events(log: str) -> list[tuple[str, str]]:
    """("start", page) and ("warm", "") in the order the server logged them."""
    events = []
    for line in log.splitlines():
        if match := STARTED.search(line):
            events.append(("start", match.group(1)))
        elif WARM.search(line):
            events.append(("warm", ""))
    return events


def test_pages_warm_in_turns_and_a_page_asked_for_at_launch_jumps_the_queue(tmp_path):
    asked = "peak_day"  # fourth in the index: without the queue it would warm beside the other four
    with servers.voila(tmp_path) as (port, token):
        with urllib.request.urlopen(page_url(port, token, asked), timeout=180) as answer:
            body = answer.read().decode()
        assert answer.status == 200 and "application/vnd.jupyter.widget-view+json" in body
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:  # the five first warm-ups and the asked page's refill
            events = _events((tmp_path / "voila.log").read_text())
            if sum(kind == "warm" for kind, _ in events) >= len(PAGES) + 1:
                break
            time.sleep(0.5)
    kinds = [kind for kind, _ in events]
    assert kinds[:4] == ["start", "warm", "start", "warm"], events  # alone until the asked page is out
    assert kinds.count("warm") >= len(PAGES) + 1, events
    started = [page for kind, page in events if kind == "start"]
    first_turns = started[:2]
    assert f"{asked}.ipynb" in first_turns, started  # next after the one warming when the request came
    never_asked = [page for page in started[: len(PAGES) + 1] if page != f"{asked}.ipynb"]
    assert never_asked[: len(PAGES) - 1] == [f"{page}.ipynb" for page in PAGES if page != asked], started
