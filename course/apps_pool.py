"""Preheated calculator pages, warmed in turns, the page someone asks for first.

With ``preheat_kernel``, Voila starts and warms one kernel per page at launch, all at once. A
warm-up costs about 3 core-seconds (the kernel, ipywidgets, the first form with matplotlib,
Voila's client), so on a 2-core machine the first page someone opens waits for all five (16 s
measured, against 7 s with no preheating at all).

:class:`PagePoolKernelManager` is the base class Voila builds its pool on
(``VoilaConfiguration.multi_kernel_manager_class``). It queues the pool's warm-ups:

- in the order of ``page_order`` (the index's order); a page asked for before it is warm goes
  first; a page just used refills in its index place (in a workshop, the next person often asks
  for the same page);
- one at a time until a first page has been rendered for a request, then ``warm_at_once``;
- none while a page is being rendered for a request, nor for ``request_quiet`` seconds after
  (the browser draws it), except a page asked for.

A warm-up ends when the page's kernel waits for its request (it has opened Voila's request
socket), when its rendering ends, or after ``warm_timeout`` seconds, whichever comes first.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
from collections.abc import Awaitable, Callable
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float, Integer, List, Unicode, default

SETTLE_SECONDS = 0.02  # wait this long before a grant, so the pages queued in one burst are ranked together
POLL_SECONDS = 0.05


class WarmupQueue:
    """At most ``slots`` warm-ups at once; the next turn goes to a page asked for, else by rank."""

    def __init__(self, slots: int, order: list[str], first_alone: bool = False) -> None:
        self.later = max(slots, 1) - 1 if first_alone else 0  # slots held back until a first page is rendered
        self.free = max(slots, 1) - self.later
        self.rank = {name: i for i, name in enumerate(order)}
        self.asked: set[str] = set()
        self.rendering = 0  # pages being rendered for a request now
        self.quiet_until = 0.0  # loop time before which only asked-for pages start warming
        self.waiting: list[tuple[int, str, asyncio.Future[None]]] = []
        self.arrivals = 0
        self._grant_pending = False

    async def turn(self, name: str) -> None:
        """Wait until ``name`` may warm up; the caller must call :meth:`done` afterwards."""
        loop = asyncio.get_running_loop()
        ticket: asyncio.Future[None] = loop.create_future()
        self.arrivals += 1
        self.waiting.append((self.arrivals, name, ticket))
        self._schedule(loop)
        try:
            await ticket
        except asyncio.CancelledError:
            if ticket.done() and not ticket.cancelled():  # granted, then cancelled: give the slot back
                self.done()
            self.waiting = [entry for entry in self.waiting if entry[2] is not ticket]
            raise

    def ask(self, name: str) -> None:
        """Someone asked for page ``name``: its warm-up goes first among those waiting."""
        self.asked.add(name)

    def serving(self, name: str, render: asyncio.Future[Any], quiet: float) -> None:
        """Page ``name`` got its kernel and is rendered by ``render``: start no other warm-up until
        ``quiet`` seconds after it ends (asked-for pages excepted)."""
        self.asked.discard(name)
        self.rendering += 1

        def ended(_: object) -> None:
            self.rendering -= 1
            self.free, self.later = self.free + self.later, 0  # a first page is out: all slots from now on
            loop = asyncio.get_running_loop()
            self.quiet_until = max(self.quiet_until, loop.time() + quiet)
            loop.call_later(quiet, self._schedule, loop)

        render.add_done_callback(ended)

    def done(self) -> None:
        """A warm-up ended: its slot is free for the next one."""
        self.free += 1
        with contextlib.suppress(RuntimeError):  # no loop any more (shutting down): nothing waits
            self._schedule(asyncio.get_running_loop())

    def order_key(self, entry: tuple[int, str, asyncio.Future[None]]) -> tuple[bool, int, int]:
        """Asked-for pages first, then the index's order, then arrival."""
        arrival, name, _ = entry
        return (name not in self.asked, self.rank.get(name, len(self.rank)), arrival)

    def _schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        if not self._grant_pending:
            self._grant_pending = True
            loop.call_later(SETTLE_SECONDS, self._grant)

    def _grant(self) -> None:
        self._grant_pending = False
        self.waiting = [entry for entry in self.waiting if not entry[2].done()]
        self.waiting.sort(key=self.order_key)
        quiet = self.rendering > 0 or asyncio.get_running_loop().time() < self.quiet_until
        while self.free > 0 and self.waiting and not (quiet and self.waiting[0][1] not in self.asked):
            _, name, ticket = self.waiting.pop(0)
            self.asked.discard(name)
            self.free -= 1
            ticket.set_result(None)


def _waiting_for_request(kernel_id: str) -> bool:
    """True when the kernel has opened Voila's request socket: warmed up, it waits for its page."""
    from voila.request_info_handler import RequestInfoSocketHandler

    return kernel_id in getattr(RequestInfoSocketHandler, "_waiters", {})


class PagePoolKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager, with Voila's preheated pool warmed in turns (see the module)."""

    # what Voila's pool class (built on this one) defines: used by announce()
    notebook_data: dict[str, dict[str, Any]]
    _notebook_renderer_factory: Callable[[str], Any]

    page_order = List(Unicode(), config=True, help="notebooks in the order their kernels warm up")
    warm_at_once = Integer(2, config=True, help="how many kernels warm up at the same time")
    warm_timeout = Float(60.0, config=True, help="seconds after which a warm-up counts as ended anyway")
    request_quiet = Float(3.0, config=True, help="seconds without a new warm-up after a page is rendered")

    @default("page_order")
    def _page_order(self) -> list[str]:
        from course.apps_cli import PAGES

        return [f"{page}.ipynb" for page in PAGES]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.warmups = WarmupQueue(self.warm_at_once, self.page_order, first_alone=True)
        self.watchers: set[asyncio.Task[None]] = set()  # release_when_warm tasks (the loop keeps weak references)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Voila's pool class (made around this one) gets its warm-ups queued and its requests heard."""
        super().__init_subclass__(**kwargs)
        own = vars(cls)
        if "_initialize" in own:
            cls._initialize = _queued(own["_initialize"])  # type: ignore[attr-defined]
        if "get_rendered_notebook" in own:
            cls.get_rendered_notebook = _heard(own["get_rendered_notebook"])  # type: ignore[attr-defined]

    async def announce(self, notebook_path: str) -> None:
        """Make a page's pool usable by requests before its turn to warm comes.

        Voila's handler serves a page from the pool only once the page is in ``notebook_data``,
        which Voila fills when the page's kernel starts; a page asked for while it waits its turn
        would otherwise get a kernel of its own, beside the queue. The entry is what Voila's
        ``_initialize`` writes, without a kernel yet (it adds the kernel's id itself)."""
        if notebook_path in self.notebook_data:
            return
        renderer = self._notebook_renderer_factory(notebook_path)
        await renderer.initialize()
        self.notebook_data.setdefault(renderer.notebook_path, {
            "notebook": renderer.notebook, "template": renderer.template_name, "theme": renderer.theme,
            "kernel_name": renderer.notebook.metadata.kernelspec.name, "kernel_ids": set()})

    async def release_when_warm(self, content: dict[str, Any]) -> None:
        """Free the warm-up slot once the kernel waits for its request or its rendering ended."""
        start = time.monotonic()
        deadline = start + self.warm_timeout
        try:
            while time.monotonic() < deadline:
                if content["task"].done() or _waiting_for_request(content["kernel_id"]):
                    self.log.info("Kernel %s warm after %.1f s", content["kernel_id"], time.monotonic() - start)
                    return
                await asyncio.sleep(POLL_SECONDS)
            self.log.warning("page kernel %s not warm after %.0f s; warming the next one", content["kernel_id"],
                             self.warm_timeout)
        finally:
            self.warmups.done()


def _queued(initialize: Callable[..., Awaitable[dict[str, Any]]]) -> Callable[..., Awaitable[dict[str, Any]]]:
    """Voila's ``_initialize`` (start a pool kernel and its rendering), run in the page's turn."""

    @functools.wraps(initialize)
    async def in_turn(self: PagePoolKernelManager, notebook_path: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        await self.announce(notebook_path)
        await self.warmups.turn(notebook_path)
        self.log.info("Warming up a kernel for %s", notebook_path)
        try:
            content = await initialize(self, notebook_path, *args, **kwargs)
        except BaseException:
            self.warmups.done()
            raise
        watcher = asyncio.ensure_future(self.release_when_warm(content))
        self.watchers.add(watcher)
        watcher.add_done_callback(self.watchers.discard)
        return content

    return in_turn


def _heard(get_rendered: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Voila's ``get_rendered_notebook`` (a request takes a pool kernel), telling the queue first."""

    @functools.wraps(get_rendered)
    async def asked(self: PagePoolKernelManager, notebook_name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        if notebook_name is not None:
            self.warmups.ask(notebook_name)
        handed_over = await get_rendered(self, notebook_name, *args, **kwargs)
        if notebook_name is not None:
            self.warmups.serving(notebook_name, handed_over[0], self.request_quiet)
        return handed_over

    return asked
