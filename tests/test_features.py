"""What grouping reads of each article, and the TF-IDF vectors made of it."""

from __future__ import annotations

from test_stories import ELECTION, QUAKE_A, QUAKE_B

from digest.features import featurize_batch, unbatched


def test_tfidf_is_scikit_learns_whatever_the_batches():
    """Grouping weighs terms as scikit-learn's TfidfVectorizer(sublinear_tf=True) does,
    without importing it at build time, and the matrix does not depend on how the articles
    were cut into batches (each batch numbers its own terms)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from digest.features import _tfidf

    texts = [" ".join(QUAKE_A), " ".join(QUAKE_B), " ".join(ELECTION), "", "valparo valparo"]
    vectorizer = TfidfVectorizer(sublinear_tf=True, lowercase=False, token_pattern=r"\S+")
    expected = vectorizer.fit_transform(texts)

    def batch(part: list[str]) -> tuple[list, list]:
        numbers: dict[str, int] = {}
        rows = []
        for text in part:
            seen: dict[str, int] = {}
            for word in text.split():
                seen[word] = seen.get(word, 0) + 1
            ids = [numbers.setdefault(w, len(numbers)) for w in seen]
            rows.append((np.array(ids, dtype=np.int32), np.array(list(seen.values()))))
        vocabulary = tuple(numbers)
        return rows, [vocabulary] * len(rows)

    whole = _tfidf(*batch(texts))
    first, second = batch(texts[:2]), batch(texts[2:])
    split = _tfidf(first[0] + second[0], first[1] + second[1])
    for matrix, names in (whole, split):
        assert names == list(vectorizer.get_feature_names_out())
        assert abs(matrix - expected).max() < 1e-15  # the same weights, to rounding
        assert matrix[3].nnz == 0  # an empty article stays a zero row
    assert (whole[0] != split[0]).nnz == 0  # bit for bit, entry for entry
    assert (whole[0].indices == split[0].indices).all()


def test_a_batch_numbers_its_terms_once_and_shares_its_vocabulary(tmp_path):
    from conftest import make_article

    articles = [
        make_article("a", *QUAKE_A, outlet="Daily Planet"),
        make_article("b", *QUAKE_B, outlet="Morning Star"),
    ]
    (batch,) = featurize_batch(articles)
    first, second = unbatched([batch])
    assert first.vocabulary is second.vocabulary is batch.vocabulary
    words = [first.vocabulary[i] for i in first.words[0]]
    assert "valparo" in words and "the" not in words  # content words only
    names = [first.vocabulary[i] for i in first.names[0]]
    assert "valparo" in names and "6.1" in names
    assert len(set(batch.vocabulary)) == len(batch.vocabulary)  # each term numbered once
