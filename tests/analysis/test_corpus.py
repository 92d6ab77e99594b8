"""analysis.corpus: load, tag and check in one call."""

from __future__ import annotations

import io

from analysis.corpus import open_corpus


def test_the_bundled_corpus_is_loaded_tagged_and_checked():
    corpus = open_corpus()
    assert len(corpus.posts) == 18
    assert list(corpus.tags.columns) == corpus.codebook.ids
    assert corpus.tags.sum().tolist() == [3, 1, 1, 4]
    kinds = {finding.kind for finding in corpus.findings}
    assert {"estimated_date", "inferred_date", "duplicate_summary"} <= kinds
    post = corpus.post("tackling-racial-inequalities-as-a-health-anchor")
    assert post["title"] == "Tackling racial inequalities as a health anchor"


def test_an_uploaded_file_keeps_the_name_it_was_given(codebook):
    data = io.BytesIO(b"Title,Body\nApprenticeships for local people,We recruit locally.\n")
    corpus = open_corpus(data, codebook=codebook, name="mine.csv")
    assert corpus.name == "mine.csv"
    assert corpus.tags.iloc[0].tolist() == [True, False, False, False]
    assert corpus.result.evidence.iloc[0]["workforce"].startswith("title: apprentice*")


def test_a_corpus_is_the_bundled_one_only_when_its_opener_says_so(codebook):
    data = b"Title,Body\nApprenticeships for local people,We recruit locally.\n"
    named = open_corpus(
        io.BytesIO(data), codebook=codebook, name="HALN blog posts (data/posts.csv)"
    )
    assert named.bundled is False
    assert open_corpus(bundled=True).bundled is True
