"""Where the build's per-item work runs: in this process, in a pool of local worker processes
(`--jobs`), or on a Dask distributed cluster (`--engine dask`).

An engine maps a batch function over items cut into contiguous batches and returns the results
in the items' order, so every engine gives the same output. Batch functions live at module level
(tasks.py): they are pickled to the workers by reference.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from .errors import ConfigError, EngineError

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

# Batches per worker: enough for a slow batch (a big story) not to leave the others idle, few
# enough that sending each batch's shared arguments costs little.
BATCHES_PER_WORKER = 8
# Fewer items than this are worked in this process: starting workers would cost more.
MIN_PARALLEL = 64
# How long to try to reach a Dask scheduler before giving up.
CONNECT_SECONDS = 10

BatchFunction = Callable[..., list[R]]


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

    def map(
        self, fn: BatchFunction[R], items: Sequence[Any], *shared: Any, spread: int = ...
    ) -> list[R]:
        """fn(batch, *shared) over batches of items, `spread` batches per worker; the results
        of all batches, in order."""
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

    def map(
        self, fn: BatchFunction[R], items: Sequence[Any], *shared: Any, spread: int = 1
    ) -> list[R]:
        """fn over all items at once."""
        return fn(items, *shared) if items else []

    def stream(
        self, fn: BatchFunction[R], items: Sequence[Any], *shared: Any, size: int
    ) -> Iterator[list[R]]:
        """fn over one batch at a time."""
        for part in chunks(items, size):
            yield fn(part, *shared)

    def release(self) -> None:
        """Nothing to free: there are no workers."""


class LocalPool:
    """Batches spread over worker processes on this machine (`--jobs N`). Workers are started
    on first use, so a small build never starts them."""

    name = "local"

    def __init__(self, workers: int, min_parallel: int = MIN_PARALLEL) -> None:
        self.workers = workers
        self.min_parallel = min_parallel
        self._executor: Executor | None = None

    def map(
        self,
        fn: BatchFunction[R],
        items: Sequence[Any],
        *shared: Any,
        spread: int = BATCHES_PER_WORKER,
    ) -> list[R]:
        """fn over batches of items in the worker processes."""
        if len(items) < self.min_parallel:
            return Serial().map(fn, items, *shared)
        parts = batches(items, self.workers * spread)
        return [result for batch in self._results(fn, parts, shared) for result in batch]

    def stream(
        self, fn: BatchFunction[R], items: Sequence[Any], *shared: Any, size: int
    ) -> Iterator[list[R]]:
        """fn over batches of `size` items in the worker processes, each batch's results
        given back as soon as it and those before it are done."""
        if len(items) < self.min_parallel:
            yield from Serial().stream(fn, items, *shared, size=size)
            return
        yield from self._results(fn, chunks(items, size), shared)

    def _results(
        self, fn: BatchFunction[R], parts: Sequence[Sequence[Any]], shared: tuple[Any, ...]
    ) -> Iterator[list[R]]:
        if self._executor is None:
            # fork: a worker starts in milliseconds with digest already imported. "spawn" where
            # there is no fork (Windows, and macOS by default) re-imports digest per worker.
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_ignore_interrupts
            )
        futures = [self._executor.submit(fn, part, *shared) for part in parts]
        try:
            for future in futures:
                yield future.result()
        except BrokenProcessPool:
            raise EngineError(
                "a worker process died (out of memory?); --jobs 1 builds in one process"
            ) from None
        finally:
            for future in futures:
                future.cancel()  # the caller stopped early: the rest is not wanted

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


def _ignore_interrupts() -> None:
    """Ctrl-C is for the build to handle: a worker does not print a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class DaskEngine:
    """Batches run as tasks on a Dask distributed cluster: every worker must be able to import
    the same version of digest and read the input folder at the same path."""

    name = "dask"

    def __init__(self, client: Any) -> None:
        self.client = client
        self.workers = max(1, sum(client.nthreads().values()))

    def map(
        self,
        fn: BatchFunction[R],
        items: Sequence[Any],
        *shared: Any,
        spread: int = BATCHES_PER_WORKER,
    ) -> list[R]:
        """fn over batches of items as cluster tasks; data is scattered, not put in the graph."""
        parts = batches(items, self.workers * spread) if items else []
        return [result for batch in self._results(fn, parts, shared) for result in batch]

    def release(self) -> None:
        """Nothing to free: a cluster's workers keep no data between maps."""

    def stream(
        self, fn: BatchFunction[R], items: Sequence[Any], *shared: Any, size: int
    ) -> Iterator[list[R]]:
        """fn over batches of `size` items as cluster tasks, each batch's results gathered in
        turn and then released on the cluster."""
        yield from self._results(fn, chunks(items, size), shared)

    def _results(
        self, fn: BatchFunction[R], parts: Sequence[Sequence[Any]], shared: tuple[Any, ...]
    ) -> Iterator[list[R]]:
        if not parts:
            return
        data = self.client.scatter([list(p) for p in parts])
        # Each shared value goes once to every worker; in a list, or a dict would be scattered
        # key by key.
        common = [self.client.scatter([value], broadcast=True)[0] for value in shared]
        futures = self.client.map(fn, data, *[[c] * len(data) for c in common], pure=False)
        try:
            for future, part in zip(futures, data, strict=True):
                yield future.result()
                self.client.cancel([future, part])
        finally:
            self.client.cancel(futures + data + common)


def _dask_client(scheduler: str, workers: int) -> tuple[Any, Callable[[], None]]:
    """A client of the scheduler at `scheduler`, or of a local cluster of `workers` processes
    when none is given; and what closes it."""
    try:
        import distributed
    except ImportError:
        raise ConfigError(
            ["engine 'dask' needs Dask distributed: pip install 'digest[dask]'"]
        ) from None
    dask: Any = distributed  # untyped: its calls are checked by the tests, not mypy
    if not scheduler:
        cluster = dask.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = dask.Client(cluster)

        def close_local() -> None:
            client.close()
            cluster.close()

        return client, close_local
    try:
        client = dask.Client(scheduler, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError) as err:
        raise EngineError(f"cannot reach the Dask scheduler at {scheduler} ({err})") from None
    return client, client.close


@contextmanager
def open_engine(engine: str, jobs: int, scheduler: str = "") -> Iterator[Engine]:
    """The engine a build asks for, closed when the build is done. jobs 0 means every core."""
    workers = jobs or cores()
    if engine == "dask":
        client, close = _dask_client(scheduler, workers)
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
