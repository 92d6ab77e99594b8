"""bench/discover.py on a small input: its corpus plants eight topics and discovery finds them."""

from __future__ import annotations

from analysis.discovery import discover
from bench.discover import TOPICS, make_posts, measure, recovered


def test_the_synthetic_corpus_plants_eight_topics_in_half_the_posts():
    posts = make_posts(800)
    kinds = posts["id"].str.split("-").str[0]
    assert kinds.value_counts().to_dict() == {"post": 400, **dict.fromkeys(TOPICS, 50)}
    words = posts.loc[kinds == "topic3", "summary"] + " " + posts.loc[kinds == "topic3", "title"]
    assert words.str.lower().map(lambda text: sum(w in text for w in TOPICS["topic3"]) >= 3).all()


def test_discovery_recovers_the_planted_topics_and_the_bench_reports_it():
    posts = make_posts(800)
    groups = discover(posts)
    pure = [g for g in groups if len({i.split("-")[0] for i in g.post_ids}) == 1]
    # at 50 posts a topic, most topics are found whole (groups of posts sharing a hyphenated
    # word of the benchmark posts compete for the 8 places); at 5,000 posts all 8 are
    assert len({g.post_ids[0].split("-")[0] for g in pure} - {"post"}) >= 6
    pure = [g for g in pure if not g.post_ids[0].startswith("post-")]
    engine, stick, found = measure(posts, 1)
    assert found == groups and all(len(times) == 1 for times in (*engine, *stick))
    hits = sum(g.size for g in pure)
    assert recovered(groups).startswith(f"{len(groups)} groups; {hits:,} planted posts")
