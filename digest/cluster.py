"""The Dask engine (`--engine dask`): batches run as tasks on a Dask distributed cluster, the
scheduler's at an address or one started on this machine. Dask is an optional extra, imported
only when this engine is asked for."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .engine import BATCHES_PER_WORKER, BatchFunction, Engine, R, batches, chunks
from .errors import ConfigError, EngineError

# How long to try to reach a Dask scheduler before giving up.
CONNECT_SECONDS = 10


class DaskEngine(Engine):
    """Batches run as tasks on a Dask distributed cluster: every worker must be able to import
    the same version of digest and read the input folder at the same path."""

    name = "dask"

    def __init__(self, client: Any) -> None:
        self.client = client
        self.workers = max(1, sum(client.nthreads().values()))

    def submit(
        self, fn: BatchFunction[R], items: Sequence[Any], *shared: Any
    ) -> Callable[[], list[R]]:
        """fn over batches of items as cluster tasks, sent now; data is scattered, not put in
        the graph."""
        parts = batches(items, self.workers * BATCHES_PER_WORKER)
        tasks = self._start(fn, parts, shared)
        return lambda: [result for batch in self._gather(tasks) for result in batch]

    def release(self) -> None:
        """Nothing to free: a cluster's workers keep no data between maps."""

    def stream(
        self, fn: BatchFunction[R], items: Sequence[Any], *shared: Any, size: int
    ) -> Iterator[list[R]]:
        """fn over batches of `size` items as cluster tasks, each batch's results gathered in
        turn and then released on the cluster."""
        yield from self._gather(self._start(fn, chunks(items, size), shared))

    def _start(
        self, fn: BatchFunction[R], parts: Sequence[Sequence[Any]], shared: tuple[Any, ...]
    ) -> tuple[list[Any], list[Any], list[Any]]:
        """The tasks of fn over parts, their scattered parts and shared values."""
        if not parts:
            return [], [], []
        # Not keyed by content (hash=False): two maps under way over the same items would
        # share the data, and the first to finish would cancel it under the other.
        data = self.client.scatter([list(p) for p in parts], hash=False)
        # Each shared value goes once to every worker; in a list, or a dict would be scattered
        # key by key.
        common = [self.client.scatter([value], broadcast=True, hash=False)[0] for value in shared]
        futures = self.client.map(fn, data, *[[c] * len(data) for c in common], pure=False)
        return futures, data, common

    def _gather(self, tasks: tuple[list[Any], list[Any], list[Any]]) -> Iterator[Any]:
        futures, data, common = tasks
        try:
            for future, part in zip(futures, data, strict=True):
                yield future.result()
                self.client.cancel([future, part])
        finally:
            self.client.cancel(futures + data + common)


def dask_client(scheduler: str, workers: int) -> tuple[Any, Callable[[], None]]:
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
