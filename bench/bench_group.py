"""Score story grouping with B-cubed P/R/F1 on ECB+ and DUC 2004 (see ../shared/evaldata).

    OPENBLAS_NUM_THREADS=1 python bench/bench_group.py [--evaldata PATH]

Each document is written as one .txt input file and read, cleaned and grouped exactly as
`digest build` does; no number of stories is given. The naive reference (TF-IDF, cosine,
average link, told the true number of stories) runs on the same cleaned articles.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from evaldata import DEFAULT, missing, rows
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from digest.articles import clean_documents
from digest.config import load_config
from digest.sources import read_folder
from digest.stories import group_stories


def b_cubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of predicted labels against gold labels, per item."""
    pred_sets, gold_sets = defaultdict(set), defaultdict(set)
    for item, label in predicted.items():
        pred_sets[label].add(item)
    for item, label in gold.items():
        gold_sets[label].add(item)
    p = r = 0.0
    for item in gold:
        mine, true = pred_sets[predicted[item]], gold_sets[gold[item]]
        both = len(mine & true)
        p += both / len(mine)
        r += both / len(true)
    p, r = p / len(gold), r / len(gold)
    return p, r, 2 * p * r / (p + r)


def naive_true_k(articles: list, gold_k: int) -> list[int]:
    """The reference baseline: TF-IDF, cosine, average link, told the true number of stories."""
    texts = [f"{a.title}\n{a.body}" for a in articles]
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    model = AgglomerativeClustering(n_clusters=gold_k, metric="cosine", linkage="average")
    return [int(label) for label in model.fit_predict(matrix.toarray())]


def group_docs(docs: list[dict]) -> tuple[list, list, float]:
    """Articles and stories of docs read as one folder of .txt files, as digest build would."""
    config = load_config(cwd=Path.cwd())
    with tempfile.TemporaryDirectory() as tmp:
        for doc in docs:
            (Path(tmp) / f"{doc['doc_id']}.txt").write_text(doc["text"], encoding="utf-8")
        started = time.perf_counter()
        documents, _ = read_folder(Path(tmp))
        articles, _ = clean_documents(documents)
        stories = group_stories(articles, config.story_threshold, config.copy_threshold)
        seconds = time.perf_counter() - started
    return articles, stories, seconds


def digest_b_cubed(docs: list[dict], articles: list, stories: list) -> tuple[float, float, float]:
    """B3 precision, recall and F1 of digest's stories against the docs' gold clusters."""
    source = {a.id: a.source_file.removesuffix(".txt") for a in articles}
    predicted: dict[str, str] = {}
    for story in stories:
        for article_id in story.article_ids:
            predicted.setdefault(source[article_id], story.id)
    gold = {d["doc_id"]: d["cluster_id"] for d in docs}
    for doc_id in gold:
        predicted.setdefault(doc_id, f"lost-{doc_id}")  # a doc the cleaner dropped stands alone
    return b_cubed(predicted, gold)


def run(name: str, docs: list[dict]) -> None:
    """Group one data set as digest build would and print its scores."""
    articles, stories, seconds = group_docs(docs)
    p, r, f1 = digest_b_cubed(docs, articles, stories)
    gold = {d["doc_id"]: d["cluster_id"] for d in docs}
    n_gold = len(set(gold.values()))
    print(
        f"{name:<10} digest   docs {len(docs):>4}  stories {len(stories):>3} (gold {n_gold:>3})  "
        f"B3 P {p:.3f} R {r:.3f} F1 {f1:.3f}  read+clean+group {seconds:.1f} s"
    )
    baseline = {
        f"{a.source_file.removesuffix('.txt')}": f"k{label}"
        for a, label in zip(articles, naive_true_k(articles, n_gold), strict=True)
    }
    for doc_id in gold:
        baseline.setdefault(doc_id, f"lost-{doc_id}")
    p, r, f1 = b_cubed(baseline, gold)
    print(
        f"{name:<10} naive TF-IDF average link told the true k ({n_gold:>3})        "
        f"B3 P {p:.3f} R {r:.3f} F1 {f1:.3f}"
    )


def main() -> int:
    """Run the grouping benchmark on both data sets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaldata", type=Path, default=DEFAULT)
    args = parser.parse_args()
    for name, path in (("ecbplus", "ecbplus/docs.jsonl"), ("duc2004", "duc2004/docs.jsonl")):
        if not missing(args.evaldata / path):
            run(name, list(rows(args.evaldata / path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
