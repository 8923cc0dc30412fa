"""Engines: the same site, byte for byte, from one process, a local pool and a Dask cluster."""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import end_session, start_interruptible

from digest.build import make_briefing, render
from digest.cli import main
from digest.cluster import DaskEngine
from digest.config import load_config
from digest.engine import (
    BATCHES_PER_WORKER,
    LocalPool,
    Serial,
    batches,
    cores,
    open_engine,
)
from digest.errors import ConfigError, EngineError
from digest.features import featurize_batch, unbatched
from digest.forks import ITEMS_PER_PROCESS, PARTS_PER_PROCESS, parts_per_process
from digest.site import render_site
from digest.sources import Limits, read_files

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PLACES = ["Norvik", "Tallberg", "Oskaro", "Veldmar", "Kestrel Bay", "Amsford", "Lindqvist"]
EVENTS = [
    ("bridge", "A bridge over the {place} river closed after engineers found cracks in a pier"),
    ("fire", "A fire destroyed a warehouse in the {place} port district overnight"),
    ("strike", "Bus drivers in {place} walked out over pay, halting most routes"),
    ("flood", "Heavy rain flooded streets in central {place}, closing schools"),
    ("vote", "The {place} council voted to build a new hospital on the old airfield"),
    ("quake", "A moderate earthquake shook {place} early on Tuesday, damaging old houses"),
    ("museum", "The {place} museum reopened after a renovation that took four years"),
    ("ferry", "A ferry ran aground near {place} with two hundred passengers aboard"),
    ("match", "{place} United won the cup final after a late goal in extra time"),
    ("power", "A power cut left forty thousand homes in {place} without electricity"),
]
DETAILS = [
    "Officials said {n} people were affected and that crews worked through the night.",
    '"We are doing everything we can to restore normal life," the mayor of {place} said.',
    "Residents described scenes of confusion as police closed several roads near the centre.",
    "The regional government promised an inquiry and said a report would follow within weeks.",
    "Local businesses said the disruption would cost them {n} thousand euros in lost trade.",
    "Witnesses told reporters they had warned the authorities about the risk months ago.",
    "Emergency services set up a help line and asked people to avoid the area on Wednesday.",
]


def event_corpus(folder: Path, per_event: int = 8, seed: int = 7) -> int:
    """Text pages of ten made-up events, several outlets each, some carried word for word."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for e, (name, lead) in enumerate(EVENTS):
        place = PLACES[e % len(PLACES)]
        pages: list[str] = []
        for k in range(per_event):
            if pages and rng.random() < 0.25:  # a wire copy of an earlier page
                text = rng.choice(pages)
            else:
                n = rng.randint(2, 90)
                body = [lead.format(place=place) + "."]
                body += [d.format(place=place, n=n) for d in rng.sample(DETAILS, 5)]
                title = lead.format(place=place).split(",")[0]
                day = f"2026-0{e % 9 + 1}-{10 + k % 9}"
                text = f"{title}\nOutlet {k}\n{day}\n\n" + "\n\n".join(body) + "\n"
                pages.append(text)
            (folder / f"{name}-{k}.txt").write_text(text, encoding="utf-8")
            count += 1
    return count


def site_bytes(folder: Path) -> dict[str, bytes]:
    """Every file of a site, by path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and the made-up events: enough documents for the pool to be used."""
    folder = tmp_path_factory.mktemp("engine") / "input"
    shutil.copytree(SEEDS, folder)
    assert event_corpus(folder / "events") == 80
    return folder


def test_batches_cover_the_items_in_order() -> None:
    items = list(range(10))
    parts = batches(items, 4)
    assert [list(p) for p in parts] == [[0, 1, 2], [3, 4, 5], [6, 7], [8, 9]]
    assert batches(items[:2], 8) == [[0], [1]]
    assert batches([], 3) == []


def _square_batch(items: list[int], offset: int) -> list[int]:
    return [i * i + offset for i in items]


def test_pool_gives_what_one_process_gives() -> None:
    items = list(range(500))
    pool = LocalPool(2, min_parallel=1)
    try:
        assert pool.map(_square_batch, items, 3) == Serial().map(_square_batch, items, 3)
        assert pool._executor is not None  # it did use worker processes
    finally:
        pool.close()


def test_stream_gives_batches_of_size_in_order() -> None:
    items = list(range(500))
    serial = list(Serial().stream(_square_batch, items, 1, size=64))
    assert [len(b) for b in serial] == [64] * 7 + [52]
    assert [x for batch in serial for x in batch] == [i * i + 1 for i in items]
    pool = LocalPool(2, min_parallel=1)
    try:
        assert list(pool.stream(_square_batch, items, 1, size=64)) == serial
        # A caller that stops early cancels what is not started and can use the pool again.
        first = next(pool.stream(_square_batch, items, 1, size=10))
        assert first == serial[0][:10]
        assert pool.map(_square_batch, items[:5], 0) == [0, 1, 4, 9, 16]
    finally:
        pool.close()


def _uneven_batch(items: list[int]) -> list[tuple[int, int]]:
    if items[0] == 0:
        time.sleep(1)  # the first part: the other processes take the rest meanwhile
    return [(os.getpid(), i) for i in items]


def test_a_process_takes_at_most_four_big_parts_and_enough_small_ones() -> None:
    assert parts_per_process(444) == parts_per_process(200) == PARTS_PER_PROCESS == 4
    assert parts_per_process(36) == 23  # 828 items: about as many as four parts of 200
    assert parts_per_process(1) == ITEMS_PER_PROCESS
    assert parts_per_process(0) == ITEMS_PER_PROCESS


def _pid_batch(items: list[int]) -> list[int]:
    return [os.getpid() for _ in items]


def test_small_parts_are_not_each_given_a_fresh_process() -> None:
    pool = LocalPool(2, min_parallel=1)
    try:
        pids = [pid for part in pool.stream(_pid_batch, list(range(60)), size=2) for pid in part]
    finally:
        pool.close()
    # 30 parts of 2: a process takes up to 400 of them, so the two first forked do them all.
    assert len(pids) == 60 and len(set(pids)) <= 2


def test_stream_keeps_the_order_when_one_process_runs_ahead(monkeypatch) -> None:
    monkeypatch.setattr("digest.forks.ITEMS_PER_PROCESS", 1)  # four parts a process, even small
    pool = LocalPool(3, min_parallel=1)
    try:
        parts = list(pool.stream(_uneven_batch, list(range(40)), size=4))
    finally:
        pool.close()
    assert [i for part in parts for _, i in part] == list(range(40))
    # Each process takes the next part no one has: the one slow on the first took no other.
    # None takes more than PARTS_PER_PROCESS: a fresh one is forked to go on.
    pids = [part[0][0] for part in parts]
    assert pids.count(pids[0]) == 1 and len(set(pids)) >= len(parts) / PARTS_PER_PROCESS
    assert max(map(pids.count, pids)) <= PARTS_PER_PROCESS


def _dying_part(items: list[int]) -> list[int]:
    if 7 in items:
        os._exit(9)  # as the kernel's out-of-memory killer would end it
    return items


def test_stream_whose_process_dies_is_an_engine_error() -> None:
    pool = LocalPool(2, min_parallel=1)
    with pytest.raises(EngineError, match="a worker process died"):
        list(pool.stream(_dying_part, list(range(20)), size=2))
    assert multiprocessing.active_children() == []


def _call_batch(items: list[int], fn: object) -> list[object]:
    return [fn(i) for i in items]  # type: ignore[operator]


def test_stream_workers_inherit_what_they_are_given() -> None:
    # A lambda cannot be pickled: it reaches the workers only because they are forked with it.
    pool = LocalPool(2, min_parallel=1)
    found = list(pool.stream(_call_batch, list(range(100)), lambda i: (i, os.getpid()), size=10))
    pairs = [pair for batch in found for pair in batch]
    assert [i for i, _ in pairs] == list(range(100))
    pids = {pid for _, pid in pairs}  # forked processes, a few parts each
    assert pids and os.getpid() not in pids
    assert multiprocessing.active_children() == []  # each stream's processes are gone after it


def _failing_batch(items: list[int]) -> list[int]:
    if 42 in items:
        raise ValueError("no 42 here")
    return items


def _slow_after_first(items: list[int]) -> list[int]:
    if items[0]:
        time.sleep(60)
    return items


def test_stream_raises_a_workers_error_and_stops_early() -> None:
    pool = LocalPool(2, min_parallel=1)
    with pytest.raises(ValueError, match="no 42 here"):
        list(pool.stream(_failing_batch, list(range(100)), size=10))
    started = time.monotonic()
    stream = pool.stream(_slow_after_first, list(range(100)), size=10)
    assert next(stream) == list(range(10))
    stream.close()  # the caller wants no more: the worker still sleeping is stopped
    assert multiprocessing.active_children() == []
    assert time.monotonic() - started < 20
    with pytest.raises(EngineError, match="a worker process died"):
        list(pool.stream(_dying_batch, list(range(100)), size=10))


def _marking_batch(items: list[int], folder: str) -> list[int]:
    Path(folder, str(items[0])).touch()
    return items


def test_submit_starts_the_work_before_its_results_are_asked(tmp_path: Path) -> None:
    pool = LocalPool(2, min_parallel=1)
    try:
        results = pool.submit(_marking_batch, list(range(100)), str(tmp_path))
        count = len(batches(list(range(100)), 2 * BATCHES_PER_WORKER))
        deadline = time.monotonic() + 30
        while len(list(tmp_path.iterdir())) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(list(tmp_path.iterdir())) == count  # every batch ran before results()
        assert results() == list(range(100))
    finally:
        pool.close()


def test_serial_submit_works_only_once_asked() -> None:
    results = Serial().submit(_failing_batch, [42])  # nothing runs yet: no error
    with pytest.raises(ValueError, match="no 42 here"):
        results()


def test_pool_keeps_small_work_in_this_process() -> None:
    pool = LocalPool(2)
    assert pool.map(_square_batch, [1, 2, 3], 0) == [1, 4, 9]
    assert pool._executor is None


def _sleepy_batch(items: list[int], seconds: float) -> list[int]:
    time.sleep(seconds)
    return items


def test_ctrl_c_stops_the_workers_at_once() -> None:
    started = time.monotonic()
    interrupt = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT))
    with pytest.raises(KeyboardInterrupt), open_engine("local", 2) as engine:
        interrupt.start()
        engine.map(_sleepy_batch, list(range(200)), 60)
    assert time.monotonic() - started < 20  # not the minute the batches would sleep


# A Ctrl-C sent from a fork handler lands while the pool forks its workers: Python raises it
# inside a fork handler (logging has one), prints it and drops it, and the build went on.
CTRL_C_IN_A_FORK = """
import os, signal, sys
from digest.engine import LocalPool
os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGINT))
pool = LocalPool(2, min_parallel=1)
try:
    list(pool.stream(list, list(range(10)), size=2)) if sys.argv[1] == "stream" else (
        pool.map(list, list(range(10)))
    )
except KeyboardInterrupt:
    pool.close(abort=True)
    sys.exit(130)
pool.close()
"""


# A Ctrl-C that arrived just before the fork: Python raises it at its next chance, as fork()
# returns in the parent, before the pool has recorded the worker, which was left running after
# the build exited (and held its stderr open). interrupt_main() trips the handler as the signal
# would, past any signal mask.
CTRL_C_AS_A_WORKER_IS_FORKED = CTRL_C_IN_A_FORK.replace(
    "os.kill(os.getpid(), signal.SIGINT)", "_thread.interrupt_main()"
).replace("import os,", "import _thread, os,")


@pytest.mark.parametrize(
    "script", [CTRL_C_IN_A_FORK, CTRL_C_AS_A_WORKER_IS_FORKED], ids=["in-fork", "after-fork"]
)
@pytest.mark.parametrize("way", ["map", "stream"])
def test_ctrl_c_while_the_workers_are_forked_stops_the_work(way: str, script: str) -> None:
    process = start_interruptible([sys.executable, "-c", script, way], stdout=subprocess.PIPE)
    try:
        # The pipes close once every process holding them has ended, workers included.
        _, err = process.communicate(timeout=60)
    finally:
        left = end_session(process)
    assert process.returncode == 130, err
    assert left == "", "worker processes left running after the interrupt"


def _dying_batch(items: list[int]) -> list[int]:
    os._exit(9)  # as the kernel's out-of-memory killer would end it


def test_a_worker_that_dies_is_an_engine_error() -> None:
    with pytest.raises(EngineError, match="a worker process died"), open_engine("local", 2) as e:
        e.map(_dying_batch, list(range(100)))


def test_open_engine_default_is_every_core() -> None:
    with open_engine("local", 0) as engine:
        assert engine.workers == cores()
    with open_engine("local", 1) as engine:
        assert isinstance(engine, Serial)


def test_briefing_and_pages_equal_with_a_pool(corpus: Path, tmp_path: Path) -> None:
    config = load_config(overrides={"input": corpus, "cache": ""}, cwd=tmp_path)
    serial, _ = make_briefing(config, engine=Serial())
    pool = LocalPool(2, min_parallel=1)
    try:
        parallel, _ = make_briefing(config, engine=pool)
        assert parallel == serial
        assert render(parallel, config, pool) == render(serial, config, Serial())
        # Pages rendered in processes forked for them are the pages rendered here.
        assert render_site(parallel, config, pool) == render_site(serial, config, Serial())
    finally:
        pool.close()
    assert len(serial.stories) >= 10  # the ten events, and the seeds' stories


def test_cli_jobs_give_identical_sites(corpus: Path, tmp_path: Path) -> None:
    sites = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"site-{jobs}"
        argv = ["build", "-q", "--input", str(corpus), "--output", str(out), "--jobs", jobs]
        assert main([*argv, "--no-search", "--no-cache"]) == 0
        sites[jobs] = site_bytes(out)
    assert sites["1"] == sites["2"]
    assert sum(p.startswith("articles/") for p in sites["1"]) > 80


def test_negative_jobs_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="jobs must be 0"):
        load_config(overrides={"jobs": -1}, cwd=tmp_path)
    with pytest.raises(ConfigError, match="engine must be one of"):
        load_config(overrides={"engine": "spark"}, cwd=tmp_path)


distributed = pytest.importorskip("distributed", reason="Dask: pip install 'digest[dask]'")


@pytest.fixture(scope="module")
def cluster() -> object:
    """A Dask cluster of two worker processes on loopback."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as local:
        yield local


def test_dask_build_is_byte_identical(corpus: Path, tmp_path: Path, cluster: object) -> None:
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    local, dask = tmp_path / "local", tmp_path / "dask"
    common = ["build", "-q", "--input", str(corpus), "--no-search", "--no-cache"]
    assert main([*common, "--output", str(local), "--jobs", "1"]) == 0
    assert main([*common, "--output", str(dask), "--engine", "dask", "--scheduler", address]) == 0
    assert site_bytes(local) == site_bytes(dask)


def test_dask_engine_keeps_the_order_of_items(corpus: Path, cluster: object) -> None:
    paths = sorted(f"events/{p.name}" for p in (corpus / "events").iterdir())
    limits = Limits()
    with distributed.Client(cluster) as client:
        engine = DaskEngine(client)
        assert engine.workers == 2
        assert engine.map(read_files, paths, corpus, limits) == read_files(paths, corpus, limits)
        streamed = list(engine.stream(read_files, paths, corpus, limits, size=3))
        assert [len(b) for b in streamed[:-1]] == [3] * (len(streamed) - 1)
        assert [d for batch in streamed for d in batch] == read_files(paths, corpus, limits)


def test_dask_maps_under_way_together_over_the_same_items(cluster: object) -> None:
    # The build features and analyses the same articles at once: the first map to finish
    # must not cancel data the other still reads.
    items = list(range(200))
    with distributed.Client(cluster) as client:
        engine = DaskEngine(client)
        first = engine.submit(_square_batch, items, 0)
        second = engine.submit(_square_batch, items, 0)
        assert first() == second() == [i * i for i in items]


def test_dask_features_share_one_vocabulary_per_batch(corpus: Path, cluster: object) -> None:
    # Dask sends lists holding numpy arrays item by item: the vocabulary must not arrive once
    # per article (at 10,000 articles that was 24 GB).
    config = load_config(overrides={"input": corpus, "cache": ""}, cwd=corpus)
    briefing, _ = make_briefing(config, engine=Serial())
    articles = list(briefing.articles)
    with distributed.Client(cluster) as client:
        batches = DaskEngine(client).map(featurize_batch, articles)
    features = unbatched(batches)
    assert len(batches) > 1 and len(features) == len(articles)
    assert len({id(f.vocabulary) for f in features}) == len(batches)
    serial = unbatched(featurize_batch(articles))
    for here, there in zip(serial, features, strict=True):
        words = [here.vocabulary[i] for i in here.words[0]]
        assert words == [there.vocabulary[i] for i in there.words[0]]


def test_unreachable_scheduler_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("digest.cluster.CONNECT_SECONDS", 1)
    with (
        pytest.raises(EngineError, match="cannot reach the Dask scheduler"),
        open_engine("dask", 0, "tcp://127.0.0.1:9"),
    ):
        pass
