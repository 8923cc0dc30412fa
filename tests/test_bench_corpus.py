"""The scale benchmark's corpus generator (bench/make_corpus.py), on small inline documents."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from make_corpus import generate_from, write  # noqa: E402

SOURCE = {
    "quake": [
        [
            "A strong earthquake struck the coastal city of Valparo on Tuesday morning.",
            "Rescue teams in Valparo pulled 12 survivors from collapsed apartment blocks.",
            "The quake damaged the harbour and cut power to 40,000 homes, officials said.",
            "Mayor Ilse Brandt asked residents to stay outdoors as aftershocks continued.",
        ],
        [
            "Survivors of the Valparo earthquake spent the night outdoors in the rain.",
            "Officials said the magnitude 6.1 quake destroyed apartment blocks near the harbour.",
            "Brandt said power would be restored to most homes by Thursday.",
        ],
        [
            "Aftershocks rattled Valparo again as engineers inspected damaged bridges.",
            "The regional government of Kestria sent soldiers and tents to the city.",
            "Hospitals treated 230 people for injuries, the health ministry said.",
        ],
    ],
    "election": [
        [
            "Voters in Norland elected a new parliament on Sunday after a bitter campaign.",
            "The Green Alliance won most seats, ballot counts showed on Monday.",
            "Turnout in the parliamentary election reached 70 percent, the commission said.",
        ],
        [
            "The Green Alliance leader Maren Holt promised lower taxes for small firms.",
            "Holt will need a coalition partner to govern Norland, analysts said.",
            "The ruling party conceded defeat late on Sunday night.",
        ],
    ],
    "strike": [
        [
            "Dock workers at the port of Sundby walked out over pay on Friday.",
            "The union said 3,000 members joined the strike and ships waited offshore.",
            "Talks between the union and the port authority broke down last week.",
        ],
        [
            "Ships queued outside Sundby as the dock strike entered its third day.",
            "Union leader Tomas Reyes said members would not return without a raise.",
            "Exporters warned that perishable goods were rotting in containers.",
        ],
    ],
}
SOURCE_NAMES = {"Valparo", "Brandt", "Ilse", "Kestria", "Norland", "Maren", "Holt", "Sundby"}


def shingles(text: str) -> set[str]:
    tokens = re.findall(r"\w+", text.lower())
    return {" ".join(tokens[i : i + 5]) for i in range(max(1, len(tokens) - 4))}


def test_same_seed_same_corpus_and_another_seed_another():
    first, again = generate_from(SOURCE, 200, seed=7), generate_from(SOURCE, 200, seed=7)
    assert first.articles == again.articles and first.gold == again.gold
    assert generate_from(SOURCE, 200, seed=8).articles != first.articles


def test_gold_labels_cover_every_article_and_copies_share_their_story():
    corpus = generate_from(SOURCE, 200, seed=1)
    ids = [a.id for a in corpus.articles]
    assert len(ids) == len(set(ids)) == 200
    assert set(corpus.gold) == set(ids) == set(corpus.kind)
    sizes = Counter(corpus.gold.values())
    assert max(sizes.values()) >= 5 and Counter(sizes.values())[1] >= 10  # skewed sizes
    assert corpus.copy_of
    assert all(corpus.gold[c] == corpus.gold[o] for c, o in corpus.copy_of.items())
    assert all(corpus.kind[c] == "copy" for c in corpus.copy_of)
    assert len({a.published for a in corpus.articles}) > 20
    assert all(a.paragraphs and a.title and a.outlet for a in corpus.articles)


def test_copies_are_near_identical_and_names_are_replaced():
    corpus = generate_from(SOURCE, 200, seed=2)
    by_id = {a.id: a for a in corpus.articles}
    overlaps = []
    for copy_id, original_id in corpus.copy_of.items():
        a, b = shingles(by_id[copy_id].body), shingles(by_id[original_id].body)
        overlaps.append(len(a & b) / len(b))  # share of the original's 5-grams kept
    assert sorted(overlaps)[len(overlaps) // 2] >= 0.8 and min(overlaps) >= 0.6
    texts = " ".join(a.body for a in corpus.articles)
    assert not SOURCE_NAMES & set(re.findall(r"\w+", texts))


def test_written_records_carry_text_and_gold(tmp_path):
    corpus = generate_from(SOURCE, 30, seed=3)
    write(corpus, tmp_path, per_file=20)
    files = sorted(tmp_path.glob("*.jsonl"))
    records = [json.loads(line) for f in files for line in f.read_text().splitlines()]
    assert len(files) == 2 and len(records) == 30
    assert all(r["story"] == corpus.gold[r["id"]] and r["text"] for r in records)


def test_bench_build_reports_how_many_cores_each_stage_kept_busy():
    from bench_build import cores_busy

    # Two cores busy for the first 2 s (clean), one for the next 2 s (group).
    samples = [(t / 2, 2 * min(t / 2, 2) + max(t / 2 - 2, 0)) for t in range(9)]
    busy = cores_busy(samples, {"clean": 2.0, "group": 2.0, "write": 0.1})
    assert busy == {"clean": 2.0, "group": 1.0}  # too short a stage to measure is left out
