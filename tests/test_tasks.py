"""The engine's units of work: a story summarized from its articles' analyses, worked out
ahead on the workers, is the story summarized from scratch."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.build import make_briefing
from digest.cache import Cache
from digest.config import load_config
from digest.models import Briefing
from digest.quotes import article_quotes
from digest.tasks import analysis_batch, extras_batch, story_batch
from digest.text import sentences

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def briefing(tmp_path_factory: pytest.TempPathFactory) -> Briefing:
    folder = tmp_path_factory.mktemp("tasks")
    config = load_config(None, {"input": str(SEEDS), "output": str(folder / "site")})
    made, _ = make_briefing(config, Cache())
    return made


def test_an_analysis_holds_each_paragraphs_sentences_and_the_quotes(briefing: Briefing) -> None:
    articles = list(briefing.articles)
    analyses = analysis_batch(articles)
    assert len(analyses) == len(articles)
    quoted = 0
    for article, analysis in zip(articles, analyses, strict=True):
        assert len(analysis.spans) == len(article.paragraphs)
        for paragraph, spans in zip(article.paragraphs, analysis.spans, strict=True):
            assert sentences(paragraph, spans) == sentences(paragraph)
        assert list(analysis.quotes) == article_quotes(article)
        quoted += bool(analysis.quotes)
    assert quoted >= 3  # the seeds quote people: the check above saw quotations


def test_stories_from_analyses_are_the_stories_from_scratch(briefing: Briefing) -> None:
    by_id = briefing.articles_by_id
    analyses = dict(zip(by_id, analysis_batch(list(briefing.articles)), strict=True))
    ahead, fresh = [], []
    for story in briefing.stories:
        members = tuple(by_id[i] for i in story.article_ids)
        ahead.append((story, members, tuple(analyses[i] for i in story.article_ids)))
        fresh.append((story, members, ()))
    done = story_batch(ahead, 120, "coverage")
    assert done == story_batch(fresh, 120, "coverage")
    summaries = [summary for summary, _ in done]
    assert any(extras.quotes for _, extras in done)
    assert extras_batch(list(zip(ahead, summaries, strict=True))) == [e for _, e in done]
    assert extras_batch(list(zip(fresh, summaries, strict=True))) == [e for _, e in done]
