"""The engine made fast (issue 12), with output unchanged: the coverage table as the
per-series groupby gave it, the same hover text with titles only for what a bar shows, the
house template built once, no needless copy for the screen."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.coverage import coverage_over_time, is_approximate
from analysis.figure_style import escape, for_screen, style
from analysis.figures import coverage_figure
from analysis.formatting import format_date
from analysis.hover import post_lines

OLD = Path(__file__).parent / "fixtures" / "coverage_before_issue_12.py"

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


def many_posts_csv(n: int = 40) -> str:
    """``n`` posts about apprentices in 2023 Q1 and Q2: every third one's date estimated, so
    both parts of a bar hold more than a hover's 12 titles; a few untagged ones as well."""
    rows = ["id,title,summary,date,date_status,date_precision"]
    for k in range(n):
        status = "estimated" if k % 3 == 0 else "published"
        rows.append(f"p{k:03d},Apprentices & co {k},s,2023-0{1 + k % 6}-1{k % 9},{status},day")
    rows += ["u1,Nothing here,s,2023-02-02,published,day", "u2,Nor here,s,2023,published,year"]
    return "\n".join(rows) + "\n"


def old_hovers(table, posts, codebook, granularity):
    """Every trace's hover text as the implementation before issue 12 built it."""
    from analysis.figure_style import series_style
    from analysis.figures import _PERIOD_WORD
    from analysis.hover import _coverage_hover

    lines = old_post_lines(posts, granularity)
    approximate = dict(zip(posts["id"], is_approximate(posts, granularity), strict=True))
    word = _PERIOD_WORD[granularity]
    hovers = []
    for series_id in table["series"].unique():
        label = series_style(codebook)[series_id][0]
        rows = table[table["series"] == series_id]
        for kind, keep in (
            ("with published dates", False),
            ("with estimated or inferred dates", True),
        ):
            hovers.append(
                [
                    _coverage_hover(
                        label, p, word, len(part), int(bar), int(total), part, lines, kind
                    )
                    for p, ids, bar, total in zip(
                        rows["period_label"],
                        rows["post_ids"],
                        rows["posts"],
                        rows["total"],
                        strict=True,
                    )
                    for part in [tuple(i for i in ids if approximate[i] == keep)]
                ]
            )
    return hovers


@pytest.mark.parametrize("granularity", ["month", "quarter", "year"])
def test_coverage_hover_identical_to_the_old_one(read_csv, tagger, codebook, granularity):
    posts = read_csv(many_posts_csv() + MIXED_CSV.split("\n", 1)[1]).posts
    tags = tagger.tag(posts).tags
    table = coverage_over_time(posts, tags, granularity)
    fig = coverage_figure(table, posts, codebook, granularity)
    assert [list(trace.hovertext) for trace in fig.data[:-1]] == old_hovers(
        table, posts, codebook, granularity
    )


def test_a_bar_with_more_than_12_posts_shows_12_titles_and_how_many_more(
    read_csv, tagger, codebook
):
    posts = read_csv(many_posts_csv()).posts
    tags = tagger.tag(posts).tags
    table = coverage_over_time(posts, tags, "year")
    fig = coverage_figure(table, posts, codebook, "year")
    solid, hatched = fig.data[0], fig.data[1]  # workforce, 2023: 26 published, 14 estimated
    assert list(solid.customdata[0]) == ["coverage", "workforce", "2023", "exact"]
    assert list(hatched.customdata[0]) == ["coverage", "workforce", "2023", "approximate"]
    exact = [k for k in range(40) if k % 3]
    approx = [k for k in range(40) if not k % 3]
    for trace, ks in ((solid, exact), (hatched, approx)):
        rows = trace.hovertext[0].split("<br>")
        titles = [row for row in rows if row.startswith("• ")]
        assert [t.split(" (")[0] for t in titles] == [
            f"• Apprentices &amp; co {k}" for k in ks[:12]
        ]
        assert rows[-1] == f"… and {len(ks) - 12} more"
        assert rows[1].startswith(f"{len(ks)} posts with")


def test_style_gives_the_plotly_white_template_without_building_one(monkeypatch):
    import plotly.graph_objects as go
    import plotly.io as pio
    from plotly.graph_objs.layout import Template

    style(go.Figure(), "warm-up")  # the template is validated once per process
    built = []
    original = Template.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    fig = go.Figure()
    monkeypatch.setattr(Template, "__init__", counting)
    style(fig, "Title", subtitle="A subtitle")
    after = len(built)
    monkeypatch.undo()
    expected = pio.templates["plotly_white"].to_plotly_json()
    assert fig.to_dict()["layout"]["template"] == expected
    assert fig.layout.template.layout.plot_bgcolor == "white"
    assert after == 0


def test_styled_figures_do_not_share_their_template():
    import plotly.graph_objects as go
    import plotly.io as pio

    first, second = style(go.Figure(), "One"), style(go.Figure(), "Two")
    first.update_layout(template_layout_plot_bgcolor="black")
    assert second.layout.template.layout.plot_bgcolor == "white"
    assert pio.templates["plotly_white"].layout.plot_bgcolor == "white"
    assert style(go.Figure(), "Three").layout.template.layout.plot_bgcolor == "white"


def plain(fig) -> dict:
    """A figure as the JSON a browser gets, read back: arrays compare as lists."""
    return json.loads(fig.to_json())


def old_for_screen_copy(fig):
    import plotly.graph_objects as go

    return go.Figure(fig)


@pytest.mark.parametrize(("dark", "presenting"), [(True, False), (False, True), (True, True)])
def test_for_screen_copy_is_what_the_old_copy_gave(bundled_corpus_table, dark, presenting):
    figure, _ = bundled_corpus_table
    before = plain(figure)
    adapted = for_screen(figure, dark=dark, presenting=presenting)
    assert adapted is not figure
    assert plain(figure) == before  # the original is untouched
    expected = for_screen(old_for_screen_copy(figure), dark, presenting, copy=False)
    assert plain(adapted) == plain(expected)
    assert plain(adapted)["layout"]["template"] == plain(figure)["layout"]["template"]


def test_for_screen_with_nothing_to_adapt_returns_the_figure_itself(bundled_corpus_table):
    figure, _ = bundled_corpus_table
    before = plain(figure)
    assert for_screen(figure) is figure
    assert plain(figure) == before


def test_for_screen_in_place(bundled_corpus_table):
    figure, _ = bundled_corpus_table
    copy = old_for_screen_copy(figure)
    assert for_screen(copy, dark=True, copy=False) is copy
    assert copy.layout.paper_bgcolor == "rgba(0,0,0,0)"
    assert figure.layout.paper_bgcolor != "rgba(0,0,0,0)"


def old_coverage_over_time():
    spec = importlib.util.spec_from_file_location("coverage_before_issue_12", OLD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.coverage_over_time


@pytest.mark.parametrize("granularity", ["month", "quarter", "year"])
@pytest.mark.parametrize("series", [None, ["none"], ["workforce", "none"], ["health_justice"]])
def test_coverage_table_identical_to_the_old_one(read_csv, tagger, granularity, series):
    posts = read_csv(many_posts_csv() + MIXED_CSV.split("\n", 1)[1]).posts
    tags = tagger.tag(posts).tags
    new = coverage_over_time(posts, tags, granularity, series)
    old = old_coverage_over_time()(posts, tags, granularity, series)
    pd.testing.assert_frame_equal(new, old)


@pytest.mark.parametrize("granularity", ["month", "quarter", "year"])
def test_coverage_table_identical_on_the_bundled_posts(bundled, granularity):
    new = coverage_over_time(bundled.posts, bundled.tags, granularity)
    old = old_coverage_over_time()(bundled.posts, bundled.tags, granularity)
    pd.testing.assert_frame_equal(new, old)


def test_coverage_table_identical_on_a_slice(bundled):
    posts, tags = bundled.posts.iloc[3:15:2], bundled.tags.iloc[3:15:2]
    new = coverage_over_time(posts, tags, "quarter")
    old = old_coverage_over_time()(posts, tags, "quarter")
    pd.testing.assert_frame_equal(new, old)
