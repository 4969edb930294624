"""Several sync-API flows at once in one thread, on one Playwright driver and one browser.

Playwright's sync API runs its asyncio loop in a greenlet of its own, the dispatcher fiber. A sync
call hands its request to the loop and switches to the dispatcher; when the answer comes, a
callback switches back to the greenlet that made the call, whichever it is (Playwright's own event
and route handlers run this way, each in a greenlet). So flows that each run in a greenlet of their
own wait for the portal together: while one waits for a page, the others go on. The page objects
and flows stay exactly as they are, with one driver and one browser per process instead of one per
worker (see bench/bench_keepalive.py for what that saves).

What blocks the thread outside Playwright blocks every flow of it, so the few waits of the toolkit
that are not Playwright calls (retry backoff, a new one-time-password window, the grace a failure
gives a signal) go through `sleep` and `wait_event` here, which yield to the other flows.

This leans on two attributes of the sync API's objects, `_loop` and `_dispatcher_fiber`, unchanged
since the sync API's first release; `supports()` checks them, and without them flows run one after
another (correct, only slower) rather than failing.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import greenlet

from automation.log import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class _Dispatcher:
    loop: asyncio.AbstractEventLoop
    fiber: greenlet.greenlet

    def wait(self, future: asyncio.Future[Any]) -> None:
        """Let the loop (and the other flows) run until `future` is done; as a sync call waits."""
        waiter = greenlet.getcurrent()
        waiting = True

        def resume(_: asyncio.Future[Any]) -> None:
            if waiting:  # a wait given up (an error) must not be resumed later
                waiter.switch()

        future.add_done_callback(resume)
        try:
            while not future.done():
                if self.fiber.dead:
                    raise RuntimeError("Playwright's connection closed while a flow waited")
                self.fiber.switch()
        finally:
            waiting = False
            future.remove_done_callback(resume)


# Set in each flow's greenlet: the dispatcher its waits yield to.
_CURRENT: ContextVar[_Dispatcher | None] = ContextVar("tracesctl_cooperative", default=None)


def _dispatcher_of(playwright: object) -> _Dispatcher | None:
    loop, fiber = getattr(playwright, "_loop", None), getattr(playwright, "_dispatcher_fiber", None)
    if isinstance(loop, asyncio.AbstractEventLoop) and isinstance(fiber, greenlet.greenlet):
        return _Dispatcher(loop, fiber)
    return None


def supports(playwright: object) -> bool:
    """Whether this Playwright's sync API lets flows share its thread."""
    return _dispatcher_of(playwright) is not None


def run_together(playwright: object, jobs: Sequence[Callable[[], None]]) -> None:
    """Run `jobs` at once in this thread, each in a greenlet of its own, on `playwright` (a sync
    Playwright started in this thread); return when all have ended. A job's exception is raised
    here once every job has ended (the first one, if several raised): no job is abandoned midway."""
    dispatcher = _dispatcher_of(playwright)
    if dispatcher is None or len(jobs) <= 1:
        if dispatcher is None and len(jobs) > 1:
            log.warning("this Playwright's sync API cannot share its thread: the flows run one after another")
        for job in jobs:
            job()
        return
    remaining = len(jobs)
    all_ended: asyncio.Future[None] = dispatcher.loop.create_future()
    errors: list[BaseException] = []

    def body(job: Callable[[], None]) -> None:
        nonlocal remaining
        _CURRENT.set(dispatcher)
        try:
            job()
        except BaseException as error:  # noqa: BLE001 - raised in the caller once all jobs ended
            errors.append(error)
        finally:
            remaining -= 1
            if remaining == 0:
                all_ended.set_result(None)

    for job in jobs:
        # The dispatcher is each job's parent: a job that ends hands control back to the loop.
        flow = greenlet.greenlet(body, parent=dispatcher.fiber)
        flow.gr_context = contextvars.copy_context()  # the caller's log context, and no other job's
        dispatcher.loop.call_soon(flow.switch, job)
    dispatcher.wait(all_ended)
    if errors:
        raise errors[0]


def sleep(seconds: float) -> None:
    """time.sleep, except that in a flow of `run_together` the other flows go on meanwhile."""
    dispatcher = _CURRENT.get()
    if dispatcher is None:
        # Not a condition wait, and not meant to be: its callers are the fixed waits that remain by
        # design (tenacity's retry backoff, the next one-time-password window, the mail poll's interval).
        time.sleep(seconds)
        return
    dispatcher.wait(asyncio.ensure_future(asyncio.sleep(seconds), loop=dispatcher.loop))


def wait_event(event: threading.Event, timeout: float) -> bool:
    """threading.Event.wait, except that in a flow of `run_together` the other flows go on meanwhile
    (the event is looked at every 50 ms then)."""
    if _CURRENT.get() is None:
        return event.wait(timeout)
    deadline = time.monotonic() + timeout
    while not event.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        sleep(min(0.05, left))
    return True
