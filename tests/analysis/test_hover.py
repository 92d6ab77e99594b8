"""analysis.hover: one escaped hover line per post, with its date and status."""

from __future__ import annotations

import pytest

from analysis.hover import post_lines
from tests.analysis.test_figures import POSTS_CSV


@pytest.fixture
def corpus(read_csv, tagger):
    posts = read_csv(POSTS_CSV).posts
    return posts, tagger.tag(posts).tags


def test_post_lines(corpus):
    posts, _ = corpus
    lines = post_lines(posts, "quarter")
    assert lines["a"] == "• Apprentices start &lt;script&gt;alert(1)&lt;/script&gt; (15 Jan 2023)"
    assert lines["c"] == "• Racism (5 Jul 2023, estimated)"
    assert lines["d"] == "• Nothing (2023, date imprecise)"
    assert lines["f"] == "• Undated apprentices (No date, date imprecise)"
    assert post_lines(posts)["d"] == "• Nothing (2023)"
