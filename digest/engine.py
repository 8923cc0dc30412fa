"""Where the build's per-item work runs: in this process, in a pool of local worker processes
(`--jobs`), or on a Dask distributed cluster (`--engine dask`).

An engine maps a batch function over items cut into contiguous batches and returns the results
in the items' order, so every engine gives the same output. Batch functions live at module level
(tasks.py): they are pickled to the workers by reference. The Dask engine is in cluster.py.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from .errors import EngineError
from .forks import DIED, forked, ignore_interrupts, interrupts_held
from .forks import BatchFunction as BatchFunction  # the engines' unit of work

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

# Batches per worker. Equal batches, many of them: the last ones, which decide when every
# worker is done, are short. Stories come biggest first, so the longest batches start first.
# At 8 per worker one core sat idle for seconds at the end of each stage (100,000 documents).
BATCHES_PER_WORKER = 32
# Fewer items than this are worked in this process: starting workers would cost more.
MIN_PARALLEL = 64


def cores() -> int:
    """How many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def batches(items: Sequence[T], count: int) -> list[Sequence[T]]:
    """items cut into at most `count` contiguous batches of nearly equal size."""
    count = max(1, min(count, len(items)))
    size, extra = divmod(len(items), count)
    cuts = [0]
    for k in range(count):
        cuts.append(cuts[-1] + size + (1 if k < extra else 0))
    return [items[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """items cut into contiguous batches of `size` (the last may be shorter)."""
    return [items[start : start + size] for start in range(0, len(items), size)]


class Engine(Protocol):
    """Runs batch functions over items; results come back in the items' order."""

    name: str
    workers: int

    def map(self, fn: BatchFunction[R], items: Sequence[Any], *shared: Any) -> list[R]:
        """fn(batch, *shared) over batches of items, BATCHES_PER_WORKER per worker; the
        results of all batches, in order (submit, then wait)."""
        return self.submit(fn, items, *shared)()

    def submit(
        self, fn: BatchFunction[R], items: Sequence[Any], *shared: Any
    ) -> Callable[[], list[R]]:
        """map, started now and waited for later: the workers go on while the caller does
        something else. Call what it returns for the results."""
        ...

    def stream(
        self, fn: BatchFunction[R], items: Sequence[Any], *shared: Any, size: int
    ) -> Iterator[list[R]]:
        """fn(batch, *shared) over batches of `size` items; each batch's results as they come,
        in order, so the caller need not hold them all at once."""
        ...

    def release(self) -> None:
        """No more work is coming: free what the workers hold, if the engine can."""
        ...


class Serial:
    """Every batch in this process, one after another (`--jobs 1`)."""

    name = "local"
    workers = 1

    def map(self, fn: BatchFunction[R], items: Sequence[Any], *shared: Any) -> list[R]:
        """fn over all items at once."""
        return fn(items, *shared) if items else []

    def submit(
        self, fn: BatchFunction[R], items: Sequence[Any], *shared: Any
    ) -> Callable[[], list[R]]:
        """fn over all items, once the results are asked for (never, if they are not)."""
        return lambda: self.map(fn, items, *shared)

    def stream(
        self, fn: BatchFunction[R], items: Sequence[Any], *shared: Any, size: int
    ) -> Iterator[list[R]]:
        """fn over one batch at a time."""
        for part in chunks(items, size):
            yield fn(part, *shared)

    def release(self) -> None:
        """Nothing to free: there are no workers."""


class LocalPool(Engine):
    """Batches spread over worker processes on this machine (`--jobs N`). Workers are started
    on first use, so a small build never starts them."""

    name = "local"

    def __init__(self, workers: int, min_parallel: int = MIN_PARALLEL) -> None:
        self.workers = workers
        self.min_parallel = min_parallel
        self._executor: Executor | None = None

    def submit(
        self, fn: BatchFunction[R], items: Sequence[Any], *shared: Any
    ) -> Callable[[], list[R]]:
        """fn over batches of items, queued for the worker processes now."""
        if len(items) < self.min_parallel:
            return Serial().submit(fn, items, *shared)
        if self._executor is None:
            # fork: a worker starts in milliseconds with digest already imported. "spawn" where
            # there is no fork (Windows, and macOS by default) re-imports digest per worker.
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=ignore_interrupts
            )
        executor = self._executor
        with interrupts_held():  # the first submit forks the workers
            futures = [
                executor.submit(fn, part, *shared)
                for part in batches(items, self.workers * BATCHES_PER_WORKER)
            ]

        def results() -> list[R]:
            try:
                return [result for future in futures for result in future.result()]
            except BrokenProcessPool:
                raise EngineError(DIED) from None
            finally:
                for future in futures:
                    future.cancel()  # a batch failed: the rest is not wanted

        return results

    def stream(
        self, fn: BatchFunction[R], items: Sequence[Any], *shared: Any, size: int
    ) -> Iterator[list[R]]:
        """fn over batches of `size` items in processes forked for it, each batch's results
        given back as soon as it and those before it are done.

        The forked processes inherit items and shared rather than receive a copy: sending a
        briefing's stories to the pool's workers costs what rendering them there saves.
        """
        if len(items) < self.min_parallel or "fork" not in multiprocessing.get_all_start_methods():
            yield from Serial().stream(fn, items, *shared, size=size)
            return
        # The pool's idle workers would only hold memory beside the forked processes (and its
        # threads would be forked too); a later map starts it again.
        self.close()
        yield from forked(fn, chunks(items, size), shared, self.workers)

    def release(self) -> None:
        """Stop the workers (and free their memory); later work starts new ones."""
        self.close()

    def close(self, abort: bool = False) -> None:
        """Stop the workers: once their batches are done, or at once if `abort`."""
        if self._executor is None:
            return
        if abort:  # the build failed or was interrupted: what the workers do now is not wanted
            for process in list(getattr(self._executor, "_processes", {}).values()):
                process.terminate()
        self._executor.shutdown(cancel_futures=True)
        self._executor = None


@contextmanager
def open_engine(engine: str, jobs: int, scheduler: str = "") -> Iterator[Engine]:
    """The engine a build asks for, closed when the build is done. jobs 0 means every core."""
    workers = jobs or cores()
    if engine == "dask":
        from .cluster import DaskEngine, dask_client  # only with the dask extra installed

        client, close = dask_client(scheduler, workers)
        try:
            dask = DaskEngine(client)
            log.info("engine: Dask, %d worker threads (%s)", dask.workers, scheduler or "local")
            yield dask
        finally:
            close()
        return
    if workers == 1:
        yield Serial()
        return
    pool = LocalPool(workers)
    try:
        yield pool
    except BaseException:
        pool.close(abort=True)
        raise
    pool.close()
