"""Shared fixtures for the engine's tests: the bundled codebook and corpus, and posts from CSV text."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # so a bare `pytest` finds the engine as well as `python -m pytest`
    sys.path.insert(0, str(ROOT))

from analysis.codebook import Codebook, load_codebook  # noqa: E402
from analysis.corpus import Corpus, open_corpus  # noqa: E402
from analysis.crawling import CrawlSettings  # noqa: E402
from analysis.loading import read_posts  # noqa: E402
from analysis.post_checks import PostsFile  # noqa: E402
from analysis.tagging import ThemeTagger  # noqa: E402
from tests.analysis.fixtures.blog import Blog, start_server  # noqa: E402


@pytest.fixture(scope="session")
def codebook() -> Codebook:
    return load_codebook()


@pytest.fixture(scope="session")
def tagger(codebook: Codebook) -> ThemeTagger:
    return ThemeTagger(codebook).fit()


@pytest.fixture(scope="session")
def bundled() -> Corpus:
    """The bundled posts tagged with the bundled codebook (shared: tests must not modify it)."""
    return open_corpus()


@pytest.fixture
def read_csv() -> Callable[..., PostsFile]:
    """Read posts from CSV text (str is encoded UTF-8; bytes are used as they are)."""

    def read(data: str | bytes, name: str = "test.csv") -> PostsFile:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        return read_posts(io.BytesIO(raw), name)

    return read


@pytest.fixture
def bundled_corpus_table():
    """The bundled posts' quarterly coverage figure and the table it draws."""
    from analysis.corpus import open_corpus
    from analysis.coverage import coverage_over_time
    from analysis.figures import coverage_figure

    corpus = open_corpus()
    table = coverage_over_time(corpus.posts, corpus.tags, "quarter")
    return coverage_figure(table, corpus.posts, corpus.codebook, "quarter", "count"), table


# --- the test blog on 127.0.0.1 (test_fetching.py, test_crawling.py) ------------------------


@pytest.fixture(scope="module")
def server():
    server = start_server()
    yield server
    server.stop()


@pytest.fixture
def blog(server) -> Blog:
    server.clear()
    return Blog(server)


@pytest.fixture
def settings(tmp_path) -> CrawlSettings:
    """No waiting, one retry, a cache of the test's own."""
    return CrawlSettings(delay=0, retries=1, backoff=0, timeout=5, cache_dir=tmp_path / "cache")


#: How many posts :func:`many_posts` holds, and its counts (see there).
MANY = 100_000


@pytest.fixture(scope="session")
def many_posts():
    """100,000 posts and their tags, for numbers people read with thousands separators:
    1,000 dated in 2023 Q1 and 99,000 in 2023 Q2; 56,716 carry Health justice (the first
    ones), 71 Workforce (the last ones: a share that rounds to 0%), 43,213 no theme."""
    import numpy as np
    import pandas as pd

    ids = load_codebook().ids
    dates = np.where(np.arange(MANY) < 1_000, "2023-02-01", "2023-05-01")
    posts = pd.DataFrame(
        {
            "id": [f"p{n}" for n in range(MANY)],
            "title": "A post",
            "published": pd.to_datetime(dates),
            "date_status": "published",
            "date_precision": "day",
        }
    )
    tags = pd.DataFrame(False, index=posts.index, columns=ids)
    tags.loc[: 56_716 - 1, "health_justice"] = True
    tags.loc[MANY - 71 :, "workforce"] = True
    return posts, tags
