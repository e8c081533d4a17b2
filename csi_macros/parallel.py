"""Work spread over the machine's cores, when there is enough of it to pay off.

Workers are forked: they start in milliseconds with everything already imported (spawned
ones would import matplotlib or PyYAML again and re-run the main script). Results come
back in the order of the items, so what a parallel run makes is what a serial one makes.
`fork_map` waits for the work and shares it; `fork_start` leaves it to the workers while
this process goes on (the site build draws its charts beside the rest of the build);
`fork_each` hands out work too large to send to a worker (parts of a whole site): the
workers inherit it, and only its numbers go out.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Callable, Generic, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def fork_map(function: Callable[[Item], Result], items: Sequence[Item], *, least: int,
             per_worker: int) -> tuple[list[Result], int]:
    """`function` applied to every item, and how many processes shared the work (0: this
    one alone).

    The items are cut into one run per core; this process takes the first run while
    forked workers take the others, so it is busy rather than waiting for results to copy
    back. Workers start only for `least` items or more, and no more processes share the
    work than `len(items) // per_worker` or the machine's cores."""
    processes = min(os.cpu_count() or 1, len(items) // max(per_worker, 1))
    if len(items) < least or processes < 2 or not can_fork():
        return [function(item) for item in items], 0
    size = -(-len(items) // processes)
    runs = [items[start:start + size] for start in range(0, len(items), size)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(len(runs) - 1, mp_context=context) as pool:
        others = [pool.submit(_apply, function, run) for run in runs[1:]]
        results = _apply(function, runs[0])
        for other in others:
            results += other.result()
    return results, len(runs)


def _apply(function: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    return [function(item) for item in items]


def can_fork() -> bool:
    """Fork only on Linux, and only from a single-threaded process (`mkdocs serve` runs a
    server thread; a fork could copy a lock another thread holds)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Started(Generic[Result]):
    """Work running in forked workers while this process does something else."""

    def __init__(self, pool: ProcessPoolExecutor, runs: list[Future[list[Result]]]) -> None:
        self._pool, self._runs = pool, runs

    def results(self) -> list[Result]:
        """Every item's result, in the order of the items, once the workers are done."""
        try:
            return [result for run in self._runs for result in run.result()]
        finally:
            self._pool.shutdown()

    def cancel(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def fork_start(function: Callable[[Item], Result], items: Sequence[Item], *, least: int,
               per_worker: int) -> tuple[Started[Result] | None, int]:
    """`function` applied to every item in forked workers, started now while this process
    goes on with other work, and how many workers run; (None, 0) when there are fewer than
    `least` items or this process cannot fork: then the caller does the work itself."""
    processes = min(os.cpu_count() or 1, len(items) // max(per_worker, 1))
    if len(items) < least or processes < 1 or not can_fork():
        return None, 0
    size = -(-len(items) // processes)
    runs = [items[start:start + size] for start in range(0, len(items), size)]
    # With fork, the pool starts every worker at the first submit, before its own thread.
    pool = ProcessPoolExecutor(len(runs), mp_context=multiprocessing.get_context("fork"))
    return Started(pool, [pool.submit(_apply, function, run) for run in runs]), len(runs)


_INHERITED: Callable[[int], Any] | None = None
"""The work of the running `fork_each`, which its workers inherit when they are forked."""


def fork_each(function: Callable[[int], Result], count: int, *, least: int) -> list[Result]:
    """`function(0)` … `function(count - 1)`, in that order, shared among forked workers
    when there are `least` calls or more.

    `function` is never copied to a worker (it may hold a whole register): the workers
    inherit it when forked, receive only numbers, and each takes the next number when it
    is done with one, so that calls of unequal cost keep every core busy."""
    global _INHERITED
    processes = min(os.cpu_count() or 1, count)
    if count < least or processes < 2 or not can_fork() or _INHERITED is not None:
        return [function(index) for index in range(count)]
    _INHERITED = function
    try:
        with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_call_inherited, range(count)))
    finally:
        _INHERITED = None


def _call_inherited(index: int) -> Any:
    assert _INHERITED is not None, "fork_each's workers are forked after it sets its work"
    return _INHERITED(index)
