"""Run a coroutine to its end from plain (synchronous) test code.

``asyncio.run`` refuses to start while another event loop runs in the thread, and one does
while Playwright's synchronous API is open (the browser tests' session-wide Chromium). The
coroutine then runs on its own loop in a short-lived thread instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coroutine)``, in a thread of its own when this thread already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-aio") as pool:
        return pool.submit(asyncio.run, coroutine).result()
