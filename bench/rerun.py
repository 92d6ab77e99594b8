"""Benchmark: the engine work of one Overview rerun, against a minimal app's rerun.

On a period change the Overview page recomputes its findings, headline figures,
coverage table, the three figures (coverage, totals, co-occurrence) adapted to the
screen, and the tables behind them. This times that work (everything ``analysis``
does for the page, no Streamlit) at 18 posts (the bundled ones) and at 100,000
synthetic posts (``bench/tagging.py``'s corpus), beside a yardstick measured in the
same run over the same posts: what ``bench/minimal_app.py`` does per rerun, one pandas
groupby of boolean theme columns by period and one ``go.Figure`` of bars.

Runs are interleaved (engine, yardstick, engine, ...) so drift hits both alike;
prints the median of each, the runs, and their ratio. Goal (issue 12): the whole
page rerun within 1.2x the minimal app's; the engine's share of it should be small.

    python bench/rerun.py [--posts 100000] [--repeat 7] [--profile]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
import plotly.graph_objects as go  # noqa: E402

from analysis.codebook import NO_THEME  # noqa: E402
from analysis.corpus import Corpus, open_corpus  # noqa: E402
from analysis.coverage import (  # noqa: E402
    cooccurrence,
    cooccurrence_pairs,
    coverage_over_time,
    date_note,
    headline,
    theme_totals,
)
from analysis.figure_style import for_screen  # noqa: E402
from analysis.figures import (  # noqa: E402
    cooccurrence_figure,
    coverage_figure,
    few_posts_note,
    filters_in_force,
    totals_figure,
)
from analysis.filters import Filters, chosen_series  # noqa: E402
from analysis.findings import cooccurrence_note, findings  # noqa: E402
from analysis.loading import BUNDLED_POSTS  # noqa: E402
from analysis.post_checks import LIMITS, Limits  # noqa: E402
from analysis.tables import (  # noqa: E402
    cooccurrence_pairs_table,
    coverage_table,
    totals_table,
)

_PERIODS = {"month": "M", "quarter": "Q", "year": "Y"}


def overview_rerun(corpus: Corpus, granularity: str, measure: str = "count") -> list:
    """What ``analysis`` does for one Overview rerun (app_pages/overview.py, all sections)."""
    posts, tags, codebook = corpus.posts, corpus.tags, corpus.codebook
    filters = Filters()
    out: list = [
        findings(posts, tags, codebook, granularity, filters.themes),
        headline(posts, tags),
    ]
    # coverage section
    series = chosen_series(tags, filters.themes)
    table = coverage_over_time(posts, tags, granularity, series)
    subtitle = filters_in_force(filters, codebook, "machine")
    figure = coverage_figure(table, posts, codebook, granularity, measure, subtitle=subtitle)
    out.append(for_screen(figure))
    out.append(few_posts_note(table, granularity) if measure == "share" else "")
    out.append(date_note(posts, granularity))
    out.append(coverage_table(table, codebook))
    # totals section
    totals = theme_totals(tags, codebook)
    subtitle = filters_in_force(filters, codebook, "machine", themes=False)
    figure = totals_figure(totals, subtitle=subtitle, total=len(posts))
    out.append(for_screen(figure))
    out.append(totals_table(totals, total=len(posts)))
    # co-occurrence section
    matrix = cooccurrence(tags)
    figure = cooccurrence_figure(matrix, codebook, subtitle=subtitle)
    out.append(for_screen(figure))
    out.append(cooccurrence_note(matrix))
    out.append(cooccurrence_pairs_table(cooccurrence_pairs(matrix), codebook))
    return out


def yardstick_data(corpus: Corpus) -> tuple[pd.DataFrame, dict[str, str], dict[str, str]]:
    """The minimal app's cached frame over the same posts: boolean theme columns, one
    column per period, labels and colours (built once, as its ``st.cache_data`` does)."""
    codebook = corpus.codebook
    frame = corpus.tags.copy()
    frame[NO_THEME] = ~frame.any(axis=1)
    published = corpus.posts["published"]
    for period, code in _PERIODS.items():
        frame[period] = published.dt.to_period(code).astype(str)
    frame = frame[frame["quarter"] != "NaT"]
    return frame, codebook.series_labels, codebook.series_colours


def yardstick_rerun(data, granularity: str) -> go.Figure:
    """What bench/minimal_app.py does per rerun: one groupby, one figure of bars."""
    frame, labels, colours = data
    themes = list(labels)
    counts = frame.groupby(granularity)[themes].sum().sort_index()
    return go.Figure(
        [
            go.Bar(x=counts.index, y=counts[t], name=labels[t], marker_color=colours[t])
            for t in themes
        ],
        layout={"barmode": "stack", "legend_title_text": "Theme"},
    )


def _time(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def measure(corpus: Corpus, repeat: int) -> tuple[list[float], list[float]]:
    data = yardstick_data(corpus)
    engine, yardstick = [], []
    granularities = ["month", "quarter", "year"]
    overview_rerun(corpus, "quarter")  # warm both up (imports, templates)
    yardstick_rerun(data, "quarter")
    for n in range(repeat):
        granularity = granularities[n % 3]  # a period change each rerun, the same for both
        engine.append(_time(lambda g=granularity: overview_rerun(corpus, g)))
        yardstick.append(_time(lambda g=granularity: yardstick_rerun(data, g)))
    return engine, yardstick


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one rerun at --posts, top 25 by cumtime"
    )
    args = parser.parse_args()
    from bench.tagging import make_corpus

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "corpus.csv"
        make_corpus(big, args.posts)
        corpora = {
            "bundled": open_corpus(BUNDLED_POSTS),
            f"{args.posts:,}": open_corpus(big, limits=_no_limits(args.posts)),
        }
    for name, corpus in corpora.items():
        engine, yardstick = measure(corpus, args.repeat)
        e, y = statistics.median(engine), statistics.median(yardstick)
        print(
            f"{name:>9} posts ({len(corpus.posts):,}): engine {e * 1000:7.1f} ms, "
            f"yardstick {y * 1000:6.1f} ms, ratio {e / y:5.2f}  "
            f"(engine runs {', '.join(f'{t * 1000:.0f}' for t in engine)}; "
            f"yardstick runs {', '.join(f'{t * 1000:.0f}' for t in yardstick)})"
        )
    if args.profile:
        import cProfile
        import pstats

        corpus = corpora[f"{args.posts:,}"]
        profiler = cProfile.Profile()
        profiler.runcall(overview_rerun, corpus, "month")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def _no_limits(posts: int) -> Limits:
    """The command line's limits, widened if ``posts`` is above them."""
    return Limits(bytes=max(LIMITS.bytes, posts * 2_000), rows=max(LIMITS.rows, posts))


if __name__ == "__main__":
    main()
