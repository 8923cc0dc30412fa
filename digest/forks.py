"""Processes forked from the build's main process: they inherit what it holds instead of
being sent a copy. Used by the local engine (engine.py) for its streams, and for holding
Ctrl-C back while its pool forks."""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.connection
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any, TypeVar, cast

from .errors import EngineError

R = TypeVar("R")
# A unit of work: a function of a batch of items (and values every batch shares).
BatchFunction = Callable[..., list[R]]
DIED = "a worker process died (out of memory?); --jobs 1 builds in one process"


def forked(
    fn: BatchFunction[R], parts: Sequence[Sequence[Any]], shared: tuple[Any, ...], workers: int
) -> Iterator[list[R]]:
    """fn over parts in `workers` forked processes at a time, each taking the next part not
    taken yet; the results in the parts' order. Leaving early stops the processes."""
    context = multiprocessing.get_context("fork")
    # Taken in turn, not dealt out beforehand: parts differ in size (stories come biggest
    # first), and a process dealt the heavier half worked on alone at the end (100k: 8 s).
    taken = context.Value("q", 0)
    children: dict[Connection, multiprocessing.process.BaseProcess] = {}
    per_process = parts_per_process(max(map(len, parts), default=1))

    def start() -> None:
        with interrupts_held():
            receive, send = context.Pipe(duplex=False)
            args = (fn, parts, shared, taken, send, per_process)
            child = context.Process(target=_take, args=args)
            child.start()
            send.close()  # the child's end: the parent holding it would never see EOF
            children[receive] = child  # in the block: a child not in it would be left running

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


# The parts a forked process takes before it ends and a fresh one is forked in its place, and
# the fewest items it takes: small parts (10,000 articles' stories come 36 to a part) would
# fork a process for every 150 stories, each copying anew the pages it touches.
PARTS_PER_PROCESS = 4
ITEMS_PER_PROCESS = 800


def parts_per_process(part_size: int) -> int:
    """How many parts of part_size items a forked process takes before a fresh one takes over
    (100,000 articles: 4 parts of 444 stories, as for every part of 200 items or more)."""
    return max(PARTS_PER_PROCESS, -(-ITEMS_PER_PROCESS // max(1, part_size)))


def _take(
    fn: BatchFunction[R],
    parts: Sequence[Sequence[Any]],
    shared: tuple[Any, ...],
    taken: Any,
    send: Connection,
    per_process: int,
) -> None:
    """A forked process's work: the results of each part it takes (the next part that no
    process has taken, while there is one, up to per_process), or the error that stopped it."""
    ignore_interrupts()
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
            if done == per_process:
                break
    except Exception as err:  # the parent raises it: the build's errors are reported there
        send.send((-1, False, err))
    finally:
        send.close()


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C held back while this process forks, then raised.

    One that lands in a fork is raised inside a fork handler (logging's), where Python prints
    and drops it, and the build went on; one raised just after a worker is forked, before the
    pool records it, leaves that worker running after the build exits. Blocking the signal
    is not enough: Python runs the handler of a signal that arrived just before at its next
    chance, inside the block. So a handler that only notes it stands in meanwhile.
    """
    outside = signal.getsignal(signal.SIGINT) is None  # set outside Python: not ours to swap
    if outside or threading.current_thread() is not threading.main_thread():
        # Only the main thread may set handlers (and only it runs them).
        yield
        return
    noted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: noted.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if noted:
            signal.raise_signal(signal.SIGINT)  # the build's own handling, now it can run


def ignore_interrupts() -> None:
    """Ctrl-C is for the build to handle: a worker does not print a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
