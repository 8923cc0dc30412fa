"""Score article cleaning on L3S-GN1 with the shingle metric of ../shared/evaldata/README.md.

    OPENBLAS_NUM_THREADS=1 python bench/bench_clean.py [--text | --html] [--evaldata PATH]
                                                       [--limit N]

Both paths run by default, each as `digest build` reads a folder: every page is one file of a
temporary input folder, read and cleaned together (lines many pages of one site share count
as furniture). Text path: each page's `page_text` as a `.txt` file. HTML path: each page's
original HTML (`html_path`, gzipped) as a `.html` file; trafilatura alone (its default
extraction, title plus text) is measured in the same run as a baseline. The title plus body of
every article found is scored against `gold_text` (headline plus full-text lines): 4-token
shingles of \\w+ tokens as multisets, per-page precision and recall, averaged over pages, F1
from the two means.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import TypeVar

import trafilatura

from digest.articles import clean_documents
from digest.models import Article
from digest.sources import read_folder

T = TypeVar("T")
DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "evaldata"


def shingles(text: str, k: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of k-token shingles of the \\w+ tokens of text."""
    tokens = re.findall(r"\w+", text.lower())
    if len(tokens) < k:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + k]) for i in range(len(tokens) - k + 1))


def score(extracted: str, gold: str) -> tuple[float, float]:
    """Per-page precision and recall of extracted against gold shingles."""
    got, want = shingles(extracted), shingles(gold)
    tp = sum((got & want).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    precision = tp / (tp + fp) if tp + fp else (1.0 if not want else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def _titled(articles: list[Article]) -> str:
    return "\n".join(f"{a.title}\n{a.body}" for a in articles)


def html_bytes(folder: Path, page: dict) -> bytes:
    """The original HTML of a page, decompressed if stored gzipped."""
    path = folder / page["html_path"]
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


def built_folder(folder: Path) -> dict[str, str]:
    """Title and body of every article found per input file, read and cleaned as `digest build`
    reads and cleans a folder (so lines shared by many pages of one site count as furniture)."""
    documents, _ = read_folder(folder)
    articles, _ = clean_documents(documents)
    found: dict[str, list[Article]] = {}
    for article in articles:
        found.setdefault(PurePath(article.source_file).stem, []).append(article)
    return {stem: _titled(group) for stem, group in found.items()}


def trafilatura_alone(data: bytes) -> str:
    """trafilatura's own default extraction of the raw bytes: title plus text."""
    result = trafilatura.bare_extraction(data, with_metadata=True)
    return f"{result.title or ''}\n{result.text or ''}" if result is not None else ""


def timed(run: Callable[[], T]) -> tuple[T, float]:
    """The result of run and the seconds it took."""
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


def measure(
    pages: list[dict], extracted: Callable[[dict], str], seconds: float
) -> tuple[float, float, float, float]:
    """Mean precision, recall, F1 of the means, and the seconds the extraction took."""
    rows = [score(extracted(page), page["gold_text"]) for page in pages]
    p = sum(r[0] for r in rows) / len(rows)
    r = sum(r[1] for r in rows) / len(rows)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0, seconds


def report(title: str, results: dict[str, tuple[float, float, float, float]]) -> None:
    """Print one table of results."""
    print(title)
    print(f"  {'method':<34} {'P':>6} {'R':>6} {'F1':>6} {'s':>6}")
    for name, (p, r, f1, seconds) in results.items():
        print(f"  {name:<34} {p:6.3f} {r:6.3f} {f1:6.3f} {seconds:6.1f}")


def main() -> int:
    """Run the benchmark and print precision, recall, F1 and seconds per method."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--text", action="store_true", help="only the plain-text path")
    only.add_argument("--html", action="store_true", help="only the HTML path")
    parser.add_argument("--evaldata", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    folder = args.evaldata / "boilerplate" / "l3s_gn1"
    pages_file = folder / "pages.jsonl"
    if not pages_file.exists():
        print(f"SKIP: {pages_file} not found (the evaluation data is not on this machine)")
        return 0
    pages = [json.loads(line) for line in pages_file.open(encoding="utf-8")]
    if args.limit:
        pages = pages[: args.limit]
    print(f"L3S-GN1, {len(pages)} pages")
    with tempfile.TemporaryDirectory() as tmp:
        text_dir, html_dir = Path(tmp) / "text", Path(tmp) / "html"
        text_dir.mkdir()
        html_dir.mkdir()
        for page in pages:
            (text_dir / f"{page['id']}.txt").write_text(page["page_text"], encoding="utf-8")
            # Decompressed first so the timings cover reading and extraction, not gunzip.
            (html_dir / f"{page['id']}.html").write_bytes(html_bytes(folder, page))
        if not args.html:
            text = timed(lambda: built_folder(text_dir))
            report(
                "plain-text path (each page_text a .txt file of one input folder)",
                {
                    "digest": measure(pages, lambda pg: text[0].get(pg["id"], ""), text[1]),
                    "keep everything": measure(pages, lambda pg: pg["page_text"], 0.0),
                },
            )
        if not args.text:
            html = timed(lambda: built_folder(html_dir))
            alone = timed(
                lambda: {
                    pg["id"]: trafilatura_alone((html_dir / f"{pg['id']}.html").read_bytes())
                    for pg in pages
                }
            )
            report(
                "HTML path (each page a .html file of one input folder)",
                {
                    "digest": measure(pages, lambda pg: html[0].get(pg["id"], ""), html[1]),
                    "trafilatura alone (title + text)": measure(
                        pages, lambda pg: alone[0][pg["id"]], alone[1]
                    ),
                },
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
