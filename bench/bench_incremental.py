"""Incremental builds (issue 7): a rebuild after adding one article to 10,000, with the cache.

    OPENBLAS_NUM_THREADS=1 python bench/bench_incremental.py [-n 10000] [--seed 0]
        [--no-search] [--keep DIR] [--evaldata PATH]

bench/make_corpus.py generates n + 1 articles (not timed); each is written as a scraped text
page (title, outlet and date lines, then the paragraphs) in its own `.txt` file, n of them into
the input folder. Then, each build a `python -m digest build -v` of its own (so no build gains
from another's warm imports or memory), timed from start to exit:

1. cold: the n articles, with an empty cache;
2. warm: the (n + 1)th article added, the cache as the cold build left it;
3. reference: the same n + 1 articles again, with another empty cache.

It prints the three times, the ratio reference / warm (the target is 10 or more), what each
stage of each build took (from the time each progress line arrived), and whether the warm
build's site is byte-identical to the reference's, file by file (it must be). Both sites'
build reports name the same settings: the builds run in sibling working folders, each with its
cache at the default `.digest-cache`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evaldata import DEFAULT, missing
from make_corpus import DATASETS, generate

from digest.models import Article

ROOT = Path(__file__).resolve().parent.parent
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
PROBLEM = re.compile(r"^digest: \S+: ")


def page_text(article: Article) -> str:
    """A generated article as a scraped page: title, outlet and date lines, then paragraphs."""
    head = [article.title, article.outlet or "", article.published or ""]
    return "\n".join(head) + "\n\n" + "\n\n".join(article.paragraphs) + "\n"


def write_page(folder: Path, article: Article) -> None:
    """Write one article as its own text page."""
    (folder / article.source_file).write_text(page_text(article), encoding="utf-8")


def snapshot(code: Path) -> Path:
    """Copy digest (and its templates, as the wheel holds them) to code/digest: every build
    runs the same code even while the working tree is edited (an edit would, rightly, make the
    cache miss: digest's own source is part of every key)."""
    package = code / "digest"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "digest", package, ignore=ignore)
    shutil.copytree(ROOT / "templates", package / "templates", ignore=ignore)
    return code


def run_build(
    code: Path, cwd: Path, input_dir: Path, output: Path, search: bool
) -> tuple[float, list[tuple[float, str]]]:
    """One `digest build` in a fresh process: its seconds and each stderr line's arrival time."""
    cwd.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "digest", "build", "-v"]
    command += ["--input", str(input_dir), "--output", str(output)]
    if not search:
        command.append("--no-search")
    env = dict(os.environ, PYTHONPATH=str(code), **{v: "1" for v in THREAD_VARS})
    started = time.perf_counter()
    lines: list[tuple[float, str]] = []
    with subprocess.Popen(
        command, cwd=cwd, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    ) as process:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append((time.perf_counter() - started, line.rstrip("\n")))
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        tail = "\n".join(text for _, text in lines[-10:])
        raise SystemExit(f"build failed with exit code {process.returncode}:\n{tail}")
    return seconds, lines


def stages(lines: list[tuple[float, str]]) -> list[str]:
    """The build's progress lines with the seconds since the line before."""
    shown = []
    previous = 0.0
    warnings = 0
    for at, text in lines:
        if PROBLEM.match(text):  # "digest: file.txt: no article text found"
            warnings += 1
        elif text.startswith("digest: ") and not text.startswith("digest: search index written"):
            shown.append(f"  {at:7.1f} s (+{at - previous:6.1f})  {text[8:]}")
            previous = at
    return [*shown, f"  ({warnings} warning lines left out)"] if warnings else shown


def compare(one: Path, other: Path) -> list[str]:
    """Files that differ between two sites (missing on one side, or other bytes)."""

    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}

    a, b = files(one), files(other)
    differ = sorted(set(a) ^ set(b))
    differ += sorted(k for k in set(a) & set(b) if a[k].read_bytes() != b[k].read_bytes())
    return differ


def main() -> int:
    """Generate the corpus, run the three builds, print times, ratio and the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="articles in the first build")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-search", dest="search", action="store_false")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--evaldata", type=Path, default=DEFAULT)
    args = parser.parse_args()
    if any(missing(args.evaldata / rel) for _, rel in DATASETS):
        return 0
    corpus = generate(args.n + 1, args.seed, args.evaldata)
    if corpus is None:
        return 0
    *articles, added = corpus.articles
    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep}: the folder is not empty")
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    try:
        input_dir = work / "input"
        input_dir.mkdir(parents=True)
        for article in articles:
            write_page(input_dir, article)
        print(
            f"{len(articles)} articles in {input_dir}, search {'on' if args.search else 'off'}; "
            f"load average {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        code = snapshot(work / "code")
        sources = sorted((code / "digest").rglob("*.py"))
        tree = hashlib.sha1(b"".join(p.read_bytes() for p in sources)).hexdigest()[:10]
        print(f"code: {ROOT / 'digest'} copied to {code} (sha1 of its sources {tree})")
        runs: dict[str, tuple[float, list[tuple[float, str]]]] = {}
        runs["cold"] = run_build(code, work / "warm", input_dir, work / "site-cold", args.search)
        print(f"cold build, {len(articles)} articles, empty cache: {runs['cold'][0]:.1f} s")
        write_page(input_dir, added)
        runs["warm"] = run_build(code, work / "warm", input_dir, work / "site-warm", args.search)
        print(f"warm rebuild, {len(articles) + 1} articles: {runs['warm'][0]:.1f} s", flush=True)
        size = sum(p.stat().st_size for p in (work / "warm" / ".digest-cache").rglob("*"))
        print(f"cache folder: {size / 1e6:.1f} MB")
        runs["reference"] = run_build(
            code, work / "cold", input_dir, work / "site-ref", args.search
        )
        seconds = runs["reference"][0]
        print(f"cold build, {len(articles) + 1} articles, empty cache: {seconds:.1f} s")
        for name, (_, lines) in runs.items():
            print(f"\n{name}:")
            print("\n".join(stages(lines)))
        ratio = runs["reference"][0] / runs["warm"][0]
        print(f"\nratio cold / warm (same {len(articles) + 1} articles): {ratio:.1f}x")
        differ = compare(work / "site-warm", work / "site-ref")
        if differ:
            print(f"warm and cold sites DIFFER in {len(differ)} files: {', '.join(differ[:10])}")
            return 1
        pages = sum(1 for p in (work / "site-warm").rglob("*") if p.is_file())
        print(f"warm and cold sites byte-identical ({pages} files)")
        return 0
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
