"""analysis.corpus: load, tag and check in one call."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import corpus as corpus_module
from analysis.corpus import open_corpus, tag_posts
from analysis.tagging import ThemeTagger


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


def _steps(calls):
    return [step for step, _, _ in calls]


def test_opening_tells_progress_each_step_with_counts_that_only_go_up(monkeypatch, codebook):
    monkeypatch.setattr(corpus_module, "TAG_CHUNK", 5)
    calls = []
    corpus = open_corpus(codebook=codebook, progress=lambda *call: calls.append(call))
    assert len(corpus.posts) == 18
    assert calls[0] == (corpus_module.READING, 0, 0)
    tagging = [(done, total) for step, done, total in calls if step == corpus_module.TAGGING]
    assert tagging == [(0, 18), (5, 18), (10, 18), (15, 18), (18, 18)]
    assert calls[-2:] == [(corpus_module.CHECKING, 0, 18), (corpus_module.CHECKING, 18, 18)]
    steps = _steps(calls)
    assert steps == sorted(steps, key=[corpus_module.READING, "tagging", "checking"].index)
    done = [done for _, done, _ in calls]
    for step in ("tagging", "checking"):
        counts = [d for (s, d, _) in calls if s == step]
        assert counts == sorted(counts)
    assert max(done) == 18


def test_tagging_in_chunks_gives_what_tagging_every_post_at_once_gives(codebook):
    posts = open_corpus(codebook=codebook).posts
    tagger = ThemeTagger(codebook).fit()
    whole = tagger.tag(posts)
    chunked = tag_posts(tagger, posts, chunk=4)
    pd.testing.assert_frame_equal(chunked.scores, whole.scores)
    pd.testing.assert_frame_equal(chunked.tags, whole.tags)
    pd.testing.assert_frame_equal(chunked.evidence, whole.evidence)
    assert chunked.hits.keys() == whole.hits.keys()
    for field in whole.hits:
        assert (chunked.hits[field] != whole.hits[field]).nnz == 0
        assert chunked.hits[field].shape == whole.hits[field].shape
    assert chunked.term_counts(("apprentice*",)).equals(whole.term_counts(("apprentice*",)))


def test_a_chunk_without_text_still_joins_with_one_that_has_it(codebook):
    posts = pd.DataFrame(
        {
            "title": ["Apprentices", "Nothing here"],
            "summary": ["", ""],
            "text": ["", "the living wage for staff"],
        }
    )
    tagger = ThemeTagger(codebook).fit()
    chunked = tag_posts(tagger, posts, chunk=1)
    whole = tagger.tag(posts)
    pd.testing.assert_frame_equal(chunked.tags, whole.tags)
    assert (chunked.hits["text"] != whole.hits["text"]).nnz == 0


def test_retagging_shares_the_posts_and_findings(codebook):
    corpus = open_corpus()
    other = corpus.retagged(codebook)
    assert other.posts is corpus.posts and other.findings is corpus.findings
    assert other.codebook is codebook
    fresh = open_corpus(codebook=codebook)
    pd.testing.assert_frame_equal(other.tags, fresh.tags)


MEMORY_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
sys.path.insert(0, {bench!r})
from pathlib import Path
from tagging import make_corpus
import analysis.corpus as corpus
path = Path({path!r})
make_corpus(path, 40_000)
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * 4096
corpus.open_corpus()  # the imports and compiled codebook, as a server has them
before = rss()
opened = corpus.open_corpus(path)
grew = rss() - before
kept = sum(
    frame.memory_usage(deep=True).sum()
    for frame in (opened.posts, opened.result.scores, opened.result.tags, opened.result.evidence)
)
print(grew / kept)
"""


def test_memory_is_handed_back_after_opening_a_large_file_only(monkeypatch, codebook):
    released = []
    monkeypatch.setattr(corpus_module, "release_memory", lambda: released.append(True))
    open_corpus(codebook=codebook)  # the bundled 18 posts
    assert released == []
    monkeypatch.setattr(corpus_module, "RELEASE_FROM", 18)
    open_corpus(codebook=codebook)
    assert released == [True]


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc")
def test_opening_a_large_file_leaves_the_server_little_more_than_the_corpus_it_keeps(tmp_path):
    """Without handing back what reading and tagging dropped, the process grows by about 8
    times what the corpus keeps at 40,000 posts (the allocators hold the rest); with it, 3."""
    root = Path(__file__).resolve().parents[2]
    script = MEMORY_SCRIPT.format(
        root=str(root), bench=str(root / "bench"), path=str(tmp_path / "posts.csv")
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert float(out.split()[-1]) < 4.5, out
