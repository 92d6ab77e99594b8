"""analysis.figures made fast (issue 12): the same hover text, titles only for what a bar
shows, the house template built once, no needless copy for the screen."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.coverage import is_approximate
from analysis.figures import (
    escape,
    post_lines,
)
from analysis.formatting import format_date

MIXED_CSV = """id,title,summary,date,date_status,date_precision
a,Apprentices start <script>alert(1)</script>,s,2023-01-15,published,day
b,Work academy & more,s,2023-03,published,month
c,Racism,s,05/07/2023,estimated,day
d,Nothing,s,2023,published,year
e,Legal advice,s,2023-12-01,inferred,day
f,Undated apprentices,s,,,
g,Year estimated,s,2022,estimated,year
h,Month inferred,s,2021-06,inferred,month
i,Plain day,s,2020-02-29,,
j,Ampersand &amp; entity,s,2024-11-30,published,day
"""


def old_post_lines(posts: pd.DataFrame, granularity: str = "day") -> dict[str, str]:
    """The implementation before issue 12, row by row: the reference for the new one."""
    approximate = is_approximate(posts, granularity) if granularity != "day" else None
    lines = {}
    for n, post in enumerate(posts.itertuples(index=False)):
        when = format_date(post.published, post.date_precision)
        status = post.date_status if isinstance(post.date_status, str) else ""
        note = f", {status}" if status and status != "published" else ""
        if approximate is not None and not note and approximate.iloc[n]:
            note = ", date imprecise"
        lines[post.id] = f"• {escape(post.title)} ({when}{note})"
    return lines


@pytest.fixture
def mixed(read_csv, tagger):
    posts = read_csv(MIXED_CSV).posts
    return posts, tagger.tag(posts).tags


@pytest.mark.parametrize("granularity", ["day", "month", "quarter", "year"])
def test_post_lines_identical_to_the_row_by_row_version(mixed, granularity):
    posts, _ = mixed
    assert post_lines(posts, granularity) == old_post_lines(posts, granularity)
    part = posts.iloc[[5, 2, 8]]  # a slice keeps its own index: lines must not misalign
    assert post_lines(part, granularity) == old_post_lines(part, granularity)


def test_post_lines_identical_on_the_bundled_posts(bundled):
    for granularity in ("day", "month", "quarter", "year"):
        assert post_lines(bundled.posts, granularity) == old_post_lines(bundled.posts, granularity)


def test_post_lines_of_no_posts(mixed):
    posts, _ = mixed
    assert post_lines(posts.iloc[:0]) == {}
