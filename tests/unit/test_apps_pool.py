"""The order in which `course apps` warms its pages' kernels (course.apps_pool.WarmupQueue)."""

from __future__ import annotations

import asyncio

import pytest

from course.apps_cli import PAGES
from course.apps_pool import SETTLE_SECONDS, PagePoolKernelManager, WarmupQueue
from tests.support import aio

ORDER = [f"{page}.ipynb" for page in PAGES]


async def _warm(queue: WarmupQueue, name: str, log: list[str], seconds: float = 0.01) -> None:
    await queue.turn(name)
    log.append(f"start {name}")
    await asyncio.sleep(seconds)
    log.append(f"end {name}")
    queue.done()


def test_pages_warm_one_at_a_time_in_the_index_order_whatever_order_they_arrive():
    async def scenario() -> list[str]:
        queue, log = WarmupQueue(1, ORDER), []
        await asyncio.gather(*(_warm(queue, name, log) for name in reversed(ORDER)))
        return log

    log = aio.run(scenario())
    assert log == [f"{event} {name}" for name in ORDER for event in ("start", "end")]


def test_two_slots_let_two_warm_at_once():
    async def scenario() -> list[str]:
        queue, log = WarmupQueue(2, ORDER), []
        await asyncio.gather(*(_warm(queue, name, log, 0.05) for name in ORDER[:3]))
        return log

    log = aio.run(scenario())
    assert log[:2] == [f"start {ORDER[0]}", f"start {ORDER[1]}"]
    assert log.index(f"start {ORDER[2]}") > log.index(f"end {ORDER[0]}")


def test_a_page_asked_for_goes_next_and_a_refill_takes_its_index_place():
    async def scenario() -> list[str]:
        queue, log = WarmupQueue(1, ORDER), []
        tasks = [asyncio.ensure_future(_warm(queue, name, log, 0.05)) for name in ORDER]
        await asyncio.sleep(SETTLE_SECONDS + 0.01)  # the first page is warming now
        queue.ask(ORDER[3])
        tasks.append(asyncio.ensure_future(_warm(queue, ORDER[0], log)))  # a refill of the first page
        await asyncio.gather(*tasks)
        return [entry.split()[1] for entry in log if entry.startswith("start")]

    started = aio.run(scenario())
    assert started == [ORDER[0], ORDER[3], ORDER[0], ORDER[1], ORDER[2], ORDER[4]]


def test_no_other_warm_up_starts_while_a_page_renders_and_for_the_quiet_time_after():
    async def scenario() -> tuple[list[str], float, float]:
        queue, log = WarmupQueue(1, ORDER), []
        loop = asyncio.get_running_loop()
        render: asyncio.Future[None] = loop.create_future()
        queue.serving(ORDER[0], render, quiet=0.2)
        waiting = asyncio.ensure_future(_warm(queue, ORDER[1], log))
        await asyncio.sleep(0.1)
        assert log == []  # the page still renders
        rendered_at = loop.time()
        render.set_result(None)
        await waiting
        return log, rendered_at, loop.time()

    log, rendered_at, finished_at = aio.run(scenario())
    assert log == [f"start {ORDER[1]}", f"end {ORDER[1]}"]
    assert finished_at - rendered_at >= 0.2


def test_an_asked_page_warms_even_while_another_renders():
    async def scenario() -> list[str]:
        queue, log = WarmupQueue(1, ORDER), []
        queue.serving(ORDER[0], asyncio.get_running_loop().create_future(), quiet=10)  # never ends here
        queue.ask(ORDER[2])
        await asyncio.wait_for(_warm(queue, ORDER[2], log), timeout=5)
        return log

    assert aio.run(scenario()) == [f"start {ORDER[2]}", f"end {ORDER[2]}"]


def test_a_warm_up_cancelled_after_its_turn_gives_its_slot_back():
    async def scenario() -> list[str]:
        queue, log = WarmupQueue(1, ORDER), []
        first = asyncio.ensure_future(queue.turn(ORDER[0]))
        await asyncio.sleep(SETTLE_SECONDS + 0.01)
        assert first.done()  # granted
        cancelled = asyncio.ensure_future(queue.turn(ORDER[1]))
        await asyncio.sleep(SETTLE_SECONDS + 0.01)
        cancelled.cancel()  # waiting, never granted: leaves the queue
        with pytest.raises(asyncio.CancelledError):
            await cancelled
        queue.done()  # the first one's warm-up ended
        await asyncio.wait_for(_warm(queue, ORDER[2], log), timeout=5)
        return log

    assert aio.run(scenario()) == [f"start {ORDER[2]}", f"end {ORDER[2]}"]


def test_voila_pool_class_built_on_it_gets_its_warm_ups_queued():
    """Voila builds its pool class around the configured base; the hooks land on that class."""
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    pool_class = voila_kernel_manager_factory(PagePoolKernelManager, True, 1)
    assert pool_class._initialize.__wrapped__.__qualname__.endswith("VoilaKernelManager._initialize")
    assert pool_class.get_rendered_notebook.__wrapped__.__qualname__.endswith("get_rendered_notebook")
    plain = voila_kernel_manager_factory(PagePoolKernelManager, False, 1)  # --no-preheat: nothing to queue
    assert not hasattr(plain, "_initialize")


def test_one_warm_up_at_a_time_until_a_first_page_is_rendered_then_all_slots():
    async def scenario() -> list[str]:
        queue, log = WarmupQueue(2, ORDER, first_alone=True), []
        loop = asyncio.get_running_loop()
        tasks = [asyncio.ensure_future(_warm(queue, name, log, 0.05)) for name in ORDER[:3]]
        await asyncio.sleep(SETTLE_SECONDS + 0.01)
        assert log == [f"start {ORDER[0]}"]  # alone, though two slots are configured
        render: asyncio.Future[None] = loop.create_future()
        queue.serving(ORDER[0], render, quiet=0.05)
        render.set_result(None)  # the first page is out
        await asyncio.gather(*tasks)
        return log

    log = aio.run(scenario())
    second, third = log.index(f"start {ORDER[1]}"), log.index(f"start {ORDER[2]}")
    assert abs(second - third) == 1, log  # then two at once
