"""Benchmark: discovery on thousands of posts, against fitting the TF-IDF vectoriser alone.

Builds a synthetic corpus (``--posts``, default 5,000): each post is about 60 words drawn
from the 68 benchmark posts' summaries (``bench/data/posts.csv``), and half the posts also
carry three or four words of one of eight planted topics, so there are groups to find. It
then times, interleaved so drift hits both alike, :func:`analysis.discovery.discover` on
all of them and a yardstick measured in the same run on the same texts: scikit-learn's
``TfidfVectorizer`` with discovery's settings, fitted alone (the least any TF-IDF method
must do). Prints the medians, the runs, their ratio, and how many planted posts the groups
recovered. Wall and CPU time are both shown: on a shared machine the CPU time is the
steadier. Goal (issue 14): seconds on thousands of posts.

    python bench/discover.py [--posts 5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from analysis.discovery import _texts, _vectoriser, discover  # noqa: E402
from analysis.loading import load_posts  # noqa: E402

BENCH_POSTS = ROOT / "bench" / "data" / "posts.csv"

#: Eight topics of five made-up but word-like terms each (none is in the benchmark posts).
TOPICS = {
    f"topic{n}": [
        "".join(random.Random(n * 10 + k).choices(string.ascii_lowercase, k=8)) for k in range(5)
    ]
    for n in range(8)
}


def make_posts(count: int, seed: int = 0) -> pd.DataFrame:
    """``count`` synthetic posts: words of the benchmark posts, half with a planted topic."""
    words = " ".join(load_posts(BENCH_POSTS)["summary"]).lower().split()
    rng = random.Random(seed)
    topics = list(TOPICS)
    rows = []
    for n in range(count):
        text = rng.choices(words, k=60)
        topic = topics[(n // 2) % len(topics)] if n % 2 == 0 else ""
        if topic:
            text += rng.sample(TOPICS[topic], rng.choice([3, 4]))
            rng.shuffle(text)
        rows.append(
            {
                "id": f"{topic or 'post'}-{n}",
                "title": " ".join(text[:8]).capitalize(),
                "summary": " ".join(text[8:]),
                "text": "",
            }
        )
    return pd.DataFrame(rows)


def yardstick(posts: pd.DataFrame) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    _vectoriser(TfidfVectorizer).fit_transform(_texts(posts))


def timed(work, *args) -> tuple[float, float, object]:
    """Wall and CPU seconds of ``work(*args)``, and its result."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def measure(posts: pd.DataFrame, repeat: int):
    """Interleaved runs: (wall, cpu) lists for discover and the yardstick, and the groups."""
    engine, stick, groups = ([], []), ([], []), []
    for _ in range(repeat):
        wall, cpu, groups = timed(discover, posts)
        engine[0].append(wall)
        engine[1].append(cpu)
        wall, cpu, _ = timed(yardstick, posts)
        stick[0].append(wall)
        stick[1].append(cpu)
    return engine, stick, groups


def recovered(groups) -> str:
    """How many planted posts landed in a group whose posts are mostly of their topic."""
    hits = 0
    for group in groups:
        topics = [post_id.split("-")[0] for post_id in group.post_ids]
        main = max(set(topics), key=topics.count)
        if main != "post":
            hits += topics.count(main)
    return f"{len(groups)} groups; {hits:,} planted posts in their topic's group"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    posts = make_posts(args.posts)
    discover(posts.head(50))  # imports and first-call costs out of the timings
    engine, stick, groups = measure(posts, args.repeat)
    for n, kind in enumerate(("wall", "CPU")):
        e, y = statistics.median(engine[n]), statistics.median(stick[n])
        print(
            f"discover on {len(posts):,} posts, {kind}: {e:.2f} s, TF-IDF fit alone {y:.2f} s, "
            f"ratio {e / y:.1f}  (discover runs {', '.join(f'{t:.2f}' for t in engine[n])}; "
            f"yardstick runs {', '.join(f'{t:.2f}' for t in stick[n])})"
        )
    print(f"found: {recovered(groups)} (of {len(TOPICS)} topics, {len(posts) // 2:,} posts)")


if __name__ == "__main__":
    main()
