"""Score text-page cleaning on L3S-GN1 with the shingle metric of ../shared/evaldata/README.md.

    OPENBLAS_NUM_THREADS=1 python bench/bench_clean.py [--evaldata PATH] [--limit N]

Each page's `page_text` is cleaned as a plain-text page; the cleaned bodies (title plus body
of every article found) are scored against `gold_text`: 4-token shingles of \\w+ tokens as
multisets, per-page precision and recall, averaged over pages, F1 from the two means.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from digest.articles import document_articles
from digest.models import Document

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


def cleaned_text(page_text: str, name: str) -> str:
    """Title and body of every article digest finds in a plain-text page."""
    articles, _ = document_articles(Document(source_file=name, text=page_text, kind="page"))
    return "\n".join(f"{a.title}\n{a.body}" for a in articles)


def main() -> int:
    """Run the benchmark and print precision, recall and F1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaldata", type=Path, default=DEFAULT)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    pages_file = args.evaldata / "boilerplate" / "l3s_gn1" / "pages.jsonl"
    if not pages_file.exists():
        print(f"SKIP: {pages_file} not found (the evaluation data is not on this machine)")
        return 0
    pages = [json.loads(line) for line in pages_file.open(encoding="utf-8")]
    if args.limit:
        pages = pages[: args.limit]
    started = time.perf_counter()
    results = {"digest": [], "keep everything": []}
    for page in pages:
        results["digest"].append(score(cleaned_text(page["page_text"], page["id"]), page["gold_text"]))
        results["keep everything"].append(score(page["page_text"], page["gold_text"]))
    seconds = time.perf_counter() - started
    print(f"L3S-GN1 plain-text cleaning, {len(pages)} pages, {seconds:.1f} s")
    print(f"{'method':<18} {'P':>6} {'R':>6} {'F1':>6}")
    for name, rows in results.items():
        p = sum(r[0] for r in rows) / len(rows)
        r = sum(r[1] for r in rows) / len(rows)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{name:<18} {p:6.3f} {r:6.3f} {f1:6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
