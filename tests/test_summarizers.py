"""The named summarizers: digest's coverage default, the centroid option and sumy's."""

from __future__ import annotations

from sumy.models.dom import ObjectDocumentModel, Paragraph

from digest.summarizers import SUMMARIZERS, CoverageSummarizer, PlacedSentence, fast_stemmer
from digest.text import SumyTokenizer

TOKENIZER = SumyTokenizer()


def document(*articles: list[str]) -> ObjectDocumentModel:
    """A sumy document: one paragraph per article, sentences placed in their article."""
    return ObjectDocumentModel(
        [
            Paragraph([PlacedSentence(s, TOKENIZER, i) for i, s in enumerate(sentences)])
            for sentences in articles
        ]
    )


class Budget:
    """The word budget object summarize() passes (see summaries.WordBudget)."""

    def __init__(self, budget: int) -> None:
        self.budget, self.overshoot = budget, budget // 20


def coverage() -> CoverageSummarizer:
    return SUMMARIZERS["default"]()


STORY = document(
    [
        "Floods in the Ostria valley forced ten thousand people from their homes on Tuesday.",
        "The governor of Ostria said rebuilding the valley schools would take two years.",
        "The local football team won its match against a visiting side on Saturday.",
    ],
    [
        "Ten thousand people fled their homes on Tuesday as floods hit the Ostria valley.",
        "Rebuilding the valley schools would take two years, the governor of Ostria said.",
    ],
    [
        "Floods in the Ostria valley drove ten thousand people from their homes on Tuesday.",
        "A bakery in the capital opened a second shop near the old market square.",
    ],
)


def test_default_is_the_coverage_summarizer():
    assert isinstance(coverage(), CoverageSummarizer)
    assert {"coverage", "centroid", "lexrank", "textrank", "lsa", "luhn", "kl"} <= set(SUMMARIZERS)


def test_coverage_picks_what_several_articles_state_and_skips_the_rest():
    picked = [str(s) for s in coverage()(STORY, Budget(30))]
    assert any("ten thousand" in s.lower() for s in picked)
    assert any("two years" in s for s in picked)
    assert not any("football" in s or "bakery" in s for s in picked)


def test_coverage_says_each_thing_once():
    picked = [str(s) for s in coverage()(STORY, Budget(60))]
    assert sum("ten thousand" in s.lower() for s in picked) == 1
    assert sum("two years" in s for s in picked) == 1


def test_coverage_prefers_reporting_to_quoted_speech():
    quoted = document(
        ["“Rebuilding the valley schools will take two years,” the governor of Ostria said."],
        ["The governor of Ostria said rebuilding the valley schools will take two years."],
        ["Rebuilding the valley schools will take two years, Ostria's governor said."],
    )
    picked = [str(s) for s in coverage()(quoted, Budget(14))]
    assert picked == [
        "The governor of Ostria said rebuilding the valley schools will take two years."
    ]


def test_coverage_takes_a_sentence_count_like_any_sumy_summarizer():
    assert len(coverage()(STORY, 2)) == 2


def test_coverage_of_an_empty_document_is_empty():
    assert coverage()(document([]), Budget(100)) == ()


def test_fast_stemmer_stems_like_snowball():
    stem = fast_stemmer()
    assert [stem(w) for w in ("floods", "rebuilding", "schools", "governor")] == [
        "flood",
        "rebuild",
        "school",
        "governor",
    ]
