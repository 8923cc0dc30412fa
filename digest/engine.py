"""Where the build's per-item work runs: in this process, in a pool of local worker processes
(`--jobs`), or on a Dask distributed cluster (`--engine dask`).

An engine maps a batch function over items cut into contiguous batches and returns the results
in the items' order, so every engine gives the same output. Batch functions live at module level
(tasks.py): they are pickled to the workers by reference. The Dask engine is in cluster.py.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any, Protocol, TypeVar, cast

from .errors import EngineError

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

# Batches per worker. Equal batches, many of them: the last ones, which decide when every
# worker is done, are short. Stories come biggest first, so the longest batches start first.
# At 8 per worker one core sat idle for seconds at the end of each stage (100,000 documents).
BATCHES_PER_WORKER = 32
# Fewer items than this are worked in this process: starting workers would cost more.
MIN_PARALLEL = 64
DIED = "a worker process died (out of memory?); --jobs 1 builds in one process"

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
                self.workers, mp_context=context, initializer=_ignore_interrupts
            )
        executor = self._executor
        with _interrupts_held():  # the first submit forks the workers
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
        yield from _forked(fn, chunks(items, size), shared, self.workers)

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


def _forked(
    fn: BatchFunction[R], parts: Sequence[Sequence[Any]], shared: tuple[Any, ...], workers: int
) -> Iterator[list[R]]:
    """fn over parts in `workers` forked processes at a time, each taking the next part not
    taken yet; the results in the parts' order. Leaving early stops the processes."""
    context = multiprocessing.get_context("fork")
    # Taken in turn, not dealt out beforehand: parts differ in size (stories come biggest
    # first), and a process dealt the heavier half worked on alone at the end (100k: 8 s).
    taken = context.Value("q", 0)
    children: dict[Connection, multiprocessing.process.BaseProcess] = {}

    def start() -> None:
        with _interrupts_held():
            receive, send = context.Pipe(duplex=False)
            args = (fn, parts, shared, taken, send)
            child = context.Process(target=_take, args=args)
            child.start()
            send.close()  # the child's end: the parent holding it would never see EOF
        children[receive] = child

    # Objects frozen before the fork are left alone by the children's garbage collections, so
    # the memory pages holding them stay shared instead of being copied into each child.
    gc.freeze()
    try:
        for _ in range(min(workers, len(parts))):
            start()
        early: dict[int, list[R]] = {}
        for k in range(len(parts)):
            while k not in early:
                if not children:  # every process has ended, and part k never came
                    raise EngineError(DIED)
                # Read as soon as a process has a result, so that one ahead of the others
                # goes on instead of waiting for this process to want its part.
                for pipe in cast(list[Connection], multiprocessing.connection.wait(children)):
                    try:
                        part, done, result = pipe.recv()
                    except EOFError:
                        _ended(children.pop(pipe), pipe)
                        # Each process does a few parts, then a fresh one takes over: the
                        # memory a process touches is copied into it (100k summaries: 1.7 GB
                        # by the end, in two long-lived processes).
                        if taken.value < len(parts):
                            start()
                        continue
                    if not done:
                        raise result
                    early[part] = result
            yield early.pop(k)
    finally:
        for pipe, process in children.items():
            pipe.close()
            if process.is_alive():
                process.terminate()
            process.join()
        gc.unfreeze()


def _ended(process: multiprocessing.process.BaseProcess, pipe: Connection) -> None:
    """A forked process closed its pipe: it has done its parts, or it died."""
    pipe.close()
    process.join()
    if process.exitcode != 0:
        raise EngineError(DIED)


# The parts a forked process takes before it ends and a fresh one is forked in its place.
PARTS_PER_PROCESS = 4


def _take(
    fn: BatchFunction[R],
    parts: Sequence[Sequence[Any]],
    shared: tuple[Any, ...],
    taken: Any,
    send: Connection,
) -> None:
    """A forked process's work: the results of each part it takes (the next part that no
    process has taken, while there is one, up to PARTS_PER_PROCESS), or the error that
    stopped it."""
    _ignore_interrupts()
    done = 0
    try:
        while True:
            with taken.get_lock():
                part = taken.value
                taken.value += 1
            if part >= len(parts):
                break
            send.send((part, True, fn(parts[part], *shared)))
            done += 1
            if done == PARTS_PER_PROCESS:
                break
    except Exception as err:  # the parent raises it: the build's errors are reported there
        send.send((-1, False, err))
    finally:
        send.close()


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C held back while this process forks, then raised: one that lands in a fork is
    raised inside a fork handler (logging's), where Python prints and drops it, and the build
    went on. Only forks from a process with no other threads: the signal must reach this one."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no fork either
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _ignore_interrupts() -> None:
    """Ctrl-C is for the build to handle: a worker does not print a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # forked while the parent held Ctrl-C back
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


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
