"""Score article cleaning on L3S-GN1 with the shingle metric of ../shared/evaldata/README.md.

    OPENBLAS_NUM_THREADS=1 python bench/bench_clean.py [--text | --html] [--evaldata PATH]
                                                       [--limit N]

Both paths run by default. Text path: each page's `page_text` is cleaned as a plain-text page.
HTML path: each page's original HTML (`html_path`, gzipped) is written to a temporary `.html`
file and read by `digest.readers.html.read_html`, then cleaned; trafilatura alone (its default
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
from pathlib import Path

import trafilatura

from digest.articles import document_articles
from digest.models import Article, Document
from digest.readers.html import read_html

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


def cleaned_text(page_text: str, name: str) -> str:
    """Title and body of every article digest finds in a plain-text page."""
    articles, _ = document_articles(Document(source_file=name, text=page_text, kind="page"))
    return _titled(articles)


def html_bytes(folder: Path, page: dict) -> bytes:
    """The original HTML of a page, decompressed if stored gzipped."""
    path = folder / page["html_path"]
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


def cleaned_html(path: Path) -> str:
    """Title and body of every article digest finds in an HTML file, read as `digest build` does."""
    documents, _ = read_html(path, path.name)
    return "\n".join(_titled(document_articles(doc)[0]) for doc in documents)


def trafilatura_alone(data: bytes) -> str:
    """trafilatura's own default extraction of the raw bytes: title plus text."""
    result = trafilatura.bare_extraction(data, with_metadata=True)
    return f"{result.title or ''}\n{result.text or ''}" if result is not None else ""


def measure(pages: list[dict], extract: Callable[[dict], str]) -> tuple[float, float, float, float]:
    """Mean precision, recall, F1 of the means, and seconds for one extraction method."""
    started = time.perf_counter()
    rows = [score(extract(page), page["gold_text"]) for page in pages]
    seconds = time.perf_counter() - started
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
    if not args.html:
        report(
            "plain-text path (page_text cleaned as a .txt page)",
            {
                "digest": measure(pages, lambda pg: cleaned_text(pg["page_text"], pg["id"])),
                "keep everything": measure(pages, lambda pg: pg["page_text"]),
            },
        )
    if not args.text:
        with tempfile.TemporaryDirectory() as tmp:
            # Decompress first so the timings cover reading and extraction, not gunzip.
            files = {}
            for page in pages:
                files[page["id"]] = Path(tmp) / f"{page['id']}.html"
                files[page["id"]].write_bytes(html_bytes(folder, page))
            report(
                "HTML path (html file read as a .html page)",
                {
                    "digest": measure(pages, lambda pg: cleaned_html(files[pg["id"]])),
                    "trafilatura alone (title + text)": measure(
                        pages, lambda pg: trafilatura_alone(files[pg["id"]].read_bytes())
                    ),
                },
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
