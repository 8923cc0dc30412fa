"""End-to-end `digest build` at scale (issue 8): wall time, CPU time, peak memory, and where the
time goes, stage by stage, for each corpus size, number of jobs and engine.

    OPENBLAS_NUM_THREADS=1 python bench/bench_build.py [--sizes 1000,10000,100000]
        [--jobs 0,1] [--dask] [--no-search] [--profile] [--keep DIR] [--seed 0]
        [--evaldata PATH]

bench/make_corpus.py generates each corpus (not timed; see BENCHMARKS.md for what it holds),
written as one scraped text page (title, outlet and date lines, then paragraphs) per `.txt`
file. Each build is `python -m digest build -v` in a fresh process and a new folder for its
working folder and site (bench/folders.py says where and why), so it starts cold (an empty build
cache) and no build gains from another's imports. The input
files are read once just before (not timed; `--cold-disk` skips that), so the build reads
them from the page cache: this machine's disk reads 100,000 small files at about 10 MB/s once
the page cache has let them go, which would make reading time a measure of the disk:

- wall: seconds from start to exit (Python start-up and imports included);
- CPU: user + system seconds of the build and every worker process it waited for;
- peak MB: the most memory the build's processes held together (the sum of their proportional
  set sizes, so pages forked workers share with the build count once), sampled every 0.2 s,
  with the stage it happened in;
- stages: seconds from each stage's start line to the next one's (`-v` prints them).

`--jobs 0,1` builds each size with one worker per core (0, the default) and in one process (1),
the baseline the speed-up is a ratio against; `--dask` adds a build on a local Dask cluster
of one worker process per core (`--engine dask`), to find where a cluster pays. The sites of all
builds of one size must be byte-identical: the run fails otherwise. `--profile` adds a build
with `--jobs 1` under pyinstrument at each size and writes its report next to the corpus.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench_incremental import THREAD_VARS, compare, write_page
from evaldata import DEFAULT, missing
from folders import file_microseconds, fresh, remove_except, unslowed
from make_corpus import DATASETS, generate

ROOT = Path(__file__).resolve().parent.parent
# A stage's start line ("digest: cleaning 10000 documents") -> the stage's name.
STAGES = {
    "reading": "read",
    "cleaning": "clean",
    "grouping": "group",
    "summarizing": "summarize",
    "rendering": "render",
    "writing": "write",
    "indexing": "search",
}
PROBLEM = re.compile(r"^digest: \S+: ")


@dataclass
class Run:
    """One timed build."""

    label: str
    wall: float = 0.0
    cpu: float = 0.0
    peak_mb: float = 0.0
    peak_stage: str = ""
    stages: dict[str, float] = field(default_factory=dict)
    busy: dict[str, float] = field(default_factory=dict)  # cores in use per stage, on average


def _tree_memory(pid: int) -> int:
    """Bytes of memory a process and all its descendants hold: the sum of their proportional
    set sizes (a page that forked workers share with their parent counts once in all), or of
    their resident sizes where PSS cannot be read. 0 once the process is gone."""
    import psutil

    try:
        processes = [psutil.Process(pid)]
        processes += processes[0].children(recursive=True)
    except psutil.Error:
        return 0
    total = 0
    for process in processes:
        try:
            info = process.memory_full_info()
            total += getattr(info, "pss", info.rss)
        except psutil.AccessDenied:
            total += process.memory_info().rss
        except psutil.Error:
            continue
    return total


def busy_seconds() -> float | None:
    """CPU seconds the whole machine has run so far (user, nice, system, interrupts; not idle,
    I/O wait or time stolen by the host), from /proc/stat; None where there is none."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            ticks = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return None
    return sum(ticks[i] for i in (0, 1, 2, 5, 6)) / os.sysconf("SC_CLK_TCK")


def cores_busy(samples: list[tuple[float, float]], seconds: dict[str, float]) -> dict[str, float]:
    """Cores in use on average in each stage, from (time, busy_seconds) samples: where a
    stage leaves one core idle (one process working while the others wait)."""
    busy: dict[str, float] = {}
    start = 0.0
    for name, length in seconds.items():
        inside = [(t, b) for t, b in samples if start <= t <= start + length]
        if len(inside) >= 2 and inside[-1][0] > inside[0][0]:
            busy[name] = (inside[-1][1] - inside[0][1]) / (inside[-1][0] - inside[0][0])
        start += length
    return busy


def stage_seconds(lines: list[tuple[float, str]], wall: float) -> dict[str, float]:
    """Seconds of start-up and of each stage, from the arrival times of its progress lines."""
    marks: list[tuple[str, float]] = [("start-up", 0.0)]
    for at, text in lines:
        if not text.startswith("digest: ") or PROBLEM.match(text):
            continue
        first = text[8:].split(" ", 1)[0]
        if first in STAGES:
            marks.append((STAGES[first], at))
    ends = [at for _, at in marks[1:]] + [wall]
    return {name: end - at for (name, at), end in zip(marks, ends, strict=True)}


def run_build(label: str, cwd: Path, input_dir: Path, output: Path, options: list[str]) -> Run:
    """One cold `digest build` in a fresh process, measured."""
    cwd.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "digest", "build", "-v", "--input", str(input_dir)]
    command += ["--output", str(output), *options]
    env = dict(os.environ, **{v: "1" for v in THREAD_VARS})
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines: list[tuple[float, str]] = []
    machine: list[tuple[float, float]] = []  # (time, busy_seconds())
    peak, peak_at = 0, 0.0
    started = time.perf_counter()
    with subprocess.Popen(
        command, cwd=cwd, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    ) as process:
        assert process.stderr is not None
        done = threading.Event()

        def sample() -> None:
            nonlocal peak, peak_at
            while not done.is_set():
                if (busy := busy_seconds()) is not None:
                    machine.append((time.perf_counter() - started, busy))
                memory = _tree_memory(process.pid)
                if memory > peak:
                    peak, peak_at = memory, time.perf_counter() - started
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        for line in process.stderr:
            lines.append((time.perf_counter() - started, line.rstrip("\n")))
        process.wait()
        done.set()
        sampler.join()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        tail = "\n".join(text for _, text in lines[-10:])
        raise SystemExit(f"{label}: build failed with exit code {process.returncode}:\n{tail}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    seconds = stage_seconds(lines, wall)
    elapsed, peak_stage = 0.0, ""
    for name, length in seconds.items():  # the stage under way when the peak was sampled
        if elapsed <= peak_at:
            peak_stage = name
        elapsed += length
    return Run(label, wall, cpu, peak / 1e6, peak_stage, seconds, cores_busy(machine, seconds))


def warm(folder: Path) -> float:
    """Read every input file once, so that the files are in the page cache when a build
    starts; returns the seconds it took (the disk's share of a first read)."""
    started = time.perf_counter()
    for path in folder.rglob("*"):
        if path.is_file():
            path.read_bytes()
    return time.perf_counter() - started


def profile_build(cwd: Path, input_dir: Path, output: Path, options: list[str]) -> Path:
    """A `--jobs 1` build under pyinstrument; the path of its text report."""
    cwd.mkdir(parents=True, exist_ok=True)
    report = cwd / "profile.txt"
    command = [sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(report)]
    command += ["-m", "digest", "build", "-q", "--input", str(input_dir), "--output", str(output)]
    env = dict(os.environ, **{v: "1" for v in THREAD_VARS}, PYTHONPATH=str(ROOT))
    subprocess.run([*command, *options, "--jobs", "1"], cwd=cwd, env=env, check=True)
    return report


def table(runs: list[Run], n: int) -> list[str]:
    """The runs of one size as Markdown rows."""
    names = ["start-up", *STAGES.values()]
    shown = [s for s in names if any(s in r.stages for r in runs)]
    head = ["n", "build", "wall s", "CPU s", "peak MB (stage)", *shown]
    rows = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for r in runs:
        peak = f"{r.peak_mb:,.0f} ({r.peak_stage})"
        cells = [f"{n:,}", r.label, f"{r.wall:.1f}", f"{r.cpu:.1f}", peak]
        cells += [f"{r.stages[s]:.1f}" if s in r.stages else "" for s in shown]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def loop_seconds() -> float:
    """Seconds of a fixed pure-Python loop, best of three: the shared vCPUs' speed varies from
    hour to hour, and this says how fast they were when the builds ran."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return best


def memory_seconds() -> float:
    """Seconds to touch 1 GB of newly allocated memory, page by page: the page faults a build's
    processes take as they grow, which this machine's host makes slower at some hours."""
    started = time.perf_counter()
    block = bytearray(1 << 30)
    for at in range(0, len(block), 4096):
        block[at] = 1
    del block
    return time.perf_counter() - started


def main() -> int:
    """Generate each corpus, build it each way, print the figures; exit 1 if sites differ."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--jobs", default="0,1", help="comma-separated --jobs values to build")
    parser.add_argument("--dask", action="store_true", help="also build with --engine dask")
    parser.add_argument("--no-search", dest="search", action="store_false")
    parser.add_argument(
        "--cold-disk", dest="warm", action="store_false", help="do not read the input beforehand"
    )
    parser.add_argument("--profile", action="store_true", help="also a profiled --jobs 1 build")
    parser.add_argument("--keep", type=Path, help="keep corpora and sites here (reused)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--evaldata", type=Path, default=DEFAULT)
    args = parser.parse_args()
    if any(missing(args.evaldata / rel) for _, rel in DATASETS):
        return 0
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-build-"))
    options = [] if args.search else ["--no-search"]
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; search {args.search}")
    print(f"  machine speed: a fixed pure-Python loop takes {loop_seconds():.2f} s (best of 3)")
    work.mkdir(parents=True, exist_ok=True)
    files = file_microseconds(fresh(work / "runs", "probe"))
    print(f"  file speed: an empty file takes {files:.0f} us to create (in a fresh folder)")
    print(f"  memory speed: 1 GB of new memory takes {memory_seconds():.2f} s to touch")
    failed = False
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            folder = work / f"n{n}"
            input_dir = folder / "input"
            if not (input_dir.is_dir() and sum(1 for _ in input_dir.iterdir()) == n):
                shutil.rmtree(input_dir, ignore_errors=True)
                input_dir.mkdir(parents=True)
                corpus = generate(n, args.seed, args.evaldata)
                if corpus is None:
                    return 0
                for article in corpus.articles:
                    write_page(input_dir, article)
            runs: list[Run] = []
            places: list[Path] = []  # each build's folder: its working folder and site
            builds = [(f"--jobs {j}", ["--jobs", j]) for j in args.jobs.split(",")]
            if args.dask:
                builds.append(("--engine dask", ["--engine", "dask"]))
            for label, extra in builds:
                name = label.replace("--", "").replace(" ", "")
                # A new folder for each build (bench/folders.py: removing an earlier run's
                # pages where the next are written slows their writing 10-20 fold here).
                place, files = unslowed(folder / "runs", name)
                if args.warm:
                    print(f"  input read once beforehand in {warm(input_dir):.1f} s", flush=True)
                run = run_build(label, place / "cwd", input_dir, place / "site", [*options, *extra])
                places.append(place)
                print(
                    f"n={n:,} {label}: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, "
                    f"{run.peak_mb:,.0f} MB peak ({run.peak_stage}); "
                    f"an empty file took {files:.0f} us to create in its folder",
                    flush=True,
                )
                if run.busy:
                    shares = ", ".join(f"{k} {v:.1f}" for k, v in run.busy.items())
                    print(f"  cores busy on average: {shares}", flush=True)
                runs.append(run)
            print("\n".join(table(runs, n)))
            baseline = next((r for r in runs if r.label == "--jobs 1"), None)
            for r in runs:
                if baseline and r is not baseline:
                    print(f"  {r.label}: {baseline.wall / r.wall:.2f}x the --jobs 1 wall time")
            sites = [place / "site" for place in places]
            for other in sites[1:]:
                differ = compare(sites[0], other)
                if differ:
                    failed = True
                    print(
                        f"  {other.parent.name} DIFFERS from {sites[0].parent.name} in "
                        f"{len(differ)} files: {', '.join(differ[:5])}"
                    )
            if len(sites) > 1 and not failed:
                files = sum(1 for p in sites[0].rglob("*") if p.is_file())
                print(f"  all {len(sites)} sites byte-identical ({files:,} files)")
            if args.profile:
                place = fresh(folder / "runs", "profile")
                report = profile_build(place / "cwd", input_dir, place / "site", options)
                places.append(place)
                print(f"  profile (--jobs 1, pyinstrument): {report}")
            # Earlier runs' folders go now that this size's builds are timed, not before.
            remove_except(folder / "runs", set(places))
            print(flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
