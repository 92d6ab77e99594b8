"""analysis.selection: every chart mark, and every row of a chart's table, to its posts."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.coverage import (
    cooccurrence,
    cooccurrence_pairs,
    coverage_over_time,
    theme_totals,
)
from analysis.figures import cooccurrence_figure, coverage_figure, terms_figure, totals_figure
from analysis.selection import (
    COOCCURRENCE,
    COVERAGE,
    TERMS,
    TOTALS,
    Drawn,
    Picked,
    mark,
    posts_behind,
    resolve,
    resolve_rows,
    row_marks,
)
from tests.conftest import THEME_IDS

IDS = THEME_IDS

# The bundled posts behind marks, as the data file says (see data/posts.csv).
HJ_PARTNERSHIPS = (
    "health-justice-partnership-blog-3-3-hertfordshire-money",
    "health-justice-partnership-blog-2-3-southwark-law-centre",
    "health-justice-partnerships-and-anchor-action-blog-1-3",
)
MOST_EXCLUDED = "how-can-the-nhs-support-the-needs-of-those-most-excluded"
NHS_WORKFORCE = "the-nhss-future-workforce-and-levelling-up"
VENN = "workforce-gaps-and-community-needs-where-the-venn-diagram"
ACADEMY = "introducing-and-implementing-sector-based-work-academy"
LIVING_WAGE = "health-anchors-in-london-and-the-london-living-wage"
RACIAL = "tackling-racial-inequalities-as-a-health-anchor"


@pytest.fixture
def small(codebook) -> Drawn:
    """Four hand-made posts: a and b workforce (b also living wage), c none, d undated."""
    posts = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "published": pd.to_datetime(["2023-04-10", "2023-05-01", "2023-07-01", None]),
            "date_status": ["published", "estimated", "published", None],
            "date_precision": ["day", "month", "day", None],
        }
    )
    tags = pd.DataFrame(
        [
            [True, False, False, False],
            [True, True, False, False],
            [False, False, False, False],
            [True, False, False, False],
        ],
        columns=IDS,
    )
    return Drawn(posts, tags, codebook)


@pytest.fixture
def drawn(bundled) -> Drawn:
    return Drawn(bundled.posts, bundled.tags, bundled.codebook, bundled.result)


def click(drawn: Drawn, *data: list[str]) -> Picked | None:
    return resolve([{"customdata": d} for d in data], drawn)


# --- coverage bars -------------------------------------------------------------------------------


def test_a_coverage_bar_part_gives_exactly_its_posts(small):
    assert click(small, mark(COVERAGE, "workforce", "2023Q2", "exact")) == Picked(
        ("a",), "Workforce, 2023 Q2, published dates"
    )
    assert click(small, mark(COVERAGE, "workforce", "2023Q2", "approximate")) == Picked(
        ("b",), "Workforce, 2023 Q2, approximate dates"
    )
    assert click(small, mark(COVERAGE, "workforce", "2023Q2", "all")) == Picked(
        ("a", "b"), "Workforce, 2023 Q2"
    )
    assert click(small, mark(COVERAGE, "none", "2023Q3", "all")).ids == ("c",)
    # a month-precision date is approximate by month only when less precise than the period
    assert click(small, mark(COVERAGE, "workforce", "2023-05", "exact")).ids == ()
    assert click(small, mark(COVERAGE, "living_wage", "2023", "all")) == Picked(
        ("b",), "Living wage, 2023"
    )


def test_an_empty_bar_lists_no_post_and_an_undated_post_is_on_no_bar(small):
    empty = click(small, mark(COVERAGE, "living_wage", "2023Q3", "all"))
    assert empty == Picked((), "Living wage, 2023 Q3")
    every_bar = [mark(COVERAGE, s, "2023", "all") for s in (*IDS, "none")]
    assert "d" not in click(small, *every_bar).ids


@pytest.mark.parametrize("granularity", ["month", "quarter", "year"])
def test_every_bundled_coverage_bar_resolves_to_the_posts_it_counts(drawn, granularity):
    table = coverage_over_time(drawn.posts, drawn.tags, granularity)
    figure = coverage_figure(table, drawn.posts, drawn.codebook, granularity)
    for trace in figure.data:
        if trace.customdata is None:
            continue
        for height, data in zip(trace.y, trace.customdata, strict=True):
            picked = click(drawn, list(data))
            assert len(picked.ids) == height  # count measure: a bar part's height is its posts
    for row in table.itertuples():
        picked = click(drawn, mark(COVERAGE, row.series, str(row.period), "all"))
        assert picked.ids == row.post_ids


def test_bundled_health_justice_2023_q2(drawn):
    picked = click(drawn, mark(COVERAGE, "health_justice", "2023Q2", "approximate"))
    assert picked == Picked(HJ_PARTNERSHIPS, "Health justice, 2023 Q2, approximate dates")
    assert click(drawn, mark(COVERAGE, "health_justice", "2023Q2", "exact")).ids == ()
    assert click(drawn, mark(COVERAGE, "living_wage", "2022Q4", "exact")).ids == (LIVING_WAGE,)


def test_a_bar_lists_only_the_posts_in_view(bundled):
    """Posts outside the date range or search are not behind any bar, even in its period."""
    posts = bundled.posts[bundled.posts["id"] != HJ_PARTNERSHIPS[0]]
    drawn = Drawn(posts, bundled.tags.loc[posts.index], bundled.codebook)
    picked = click(drawn, mark(COVERAGE, "health_justice", "2023Q2", "all"))
    assert picked.ids == HJ_PARTNERSHIPS[1:]


# --- posts per theme ----------------------------------------------------------------------------


def test_a_totals_bar_gives_the_posts_with_its_theme(drawn, small):
    assert click(drawn, mark(TOTALS, "health_justice")) == Picked(
        (*HJ_PARTNERSHIPS, MOST_EXCLUDED), "Health justice"
    )
    assert click(drawn, mark(TOTALS, "workforce")).ids == (NHS_WORKFORCE, VENN, ACADEMY)
    assert len(click(drawn, mark(TOTALS, "none")).ids) == 9
    assert click(small, mark(TOTALS, "none")) == Picked(("c",), "No theme")
    assert click(small, mark(TOTALS, "workforce")).ids == ("a", "b", "d")  # undated too


def test_every_totals_bar_resolves_to_its_count(drawn):
    figure = totals_figure(theme_totals(drawn.tags, drawn.codebook))
    (bar,) = figure.data
    for n, data in zip(bar.x, bar.customdata, strict=True):
        assert len(click(drawn, list(data)).ids) == n


# --- co-occurrence cells ------------------------------------------------------------------------


def test_a_matrix_cell_gives_posts_with_both_themes(small, drawn):
    assert click(small, mark(COOCCURRENCE, "workforce", "living_wage")) == Picked(
        ("b",), "Workforce and Living wage"
    )
    assert click(small, mark(COOCCURRENCE, "living_wage", "workforce")).ids == ("b",)
    assert click(small, mark(COOCCURRENCE, "workforce", "workforce")) == Picked(
        ("a", "b", "d"), "Workforce"
    )
    # the bundled posts never carry two themes: every off-diagonal cell is empty
    assert click(drawn, mark(COOCCURRENCE, "workforce", "health_justice")) == Picked(
        (), "Workforce and Health justice"
    )
    assert click(drawn, mark(COOCCURRENCE, "racial_equity", "racial_equity")).ids == (RACIAL,)


def test_every_matrix_cell_resolves_to_its_count(drawn, small):
    for source in (drawn, small):
        matrix = cooccurrence(source.tags)
        (cells,) = cooccurrence_figure(matrix, source.codebook).data
        for text, data in zip(cells.text, cells.customdata, strict=True):
            assert len(click(source, list(data)).ids) == int(text)


# --- term bars ----------------------------------------------------------------------------------


def test_a_term_bar_gives_the_posts_whose_evidence_holds_the_term(drawn):
    assert click(drawn, mark(TERMS, "health_justice", "health justice")) == Picked(
        HJ_PARTNERSHIPS, "term “health justice” in Health justice"
    )
    assert click(drawn, mark(TERMS, "workforce", "workforce")).ids == (NHS_WORKFORCE, VENN)
    assert click(drawn, mark(TERMS, "workforce", "work academ*")).ids == (ACADEMY,)
    assert click(drawn, mark(TERMS, "workforce", "apprentice*")).ids == (NHS_WORKFORCE,)
    evidence = drawn.tags.index[drawn.result.evidence["health_justice"].str.contains("poverty")]
    poverty = click(drawn, mark(TERMS, "health_justice", "poverty")).ids
    assert poverty == tuple(drawn.posts.loc[evidence, "id"]) and len(poverty) == 1


def test_term_bars_follow_the_posts_in_view(bundled):
    posts = bundled.posts.iloc[7:]  # the newest seven posts are out of view
    drawn = Drawn(posts, bundled.tags.loc[posts.index], bundled.codebook, bundled.result)
    assert click(drawn, mark(TERMS, "health_justice", "health justice")).ids == HJ_PARTNERSHIPS[1:]
    assert click(drawn, mark(TERMS, "workforce", "workforce")).ids == (VENN,)


def test_every_bundled_term_bar_resolves_to_its_count(drawn):
    for theme in drawn.codebook.themes:
        counts = drawn.result.term_counts(theme.terms)
        (bar,) = terms_figure(counts, theme.colour, theme.label, theme_id=theme.id).data
        for n, data in zip(bar.x, bar.customdata, strict=True):
            assert len(click(drawn, list(data)).ids) == n


def test_a_term_needs_its_theme_and_the_tagging(drawn, small):
    assert click(drawn, mark(TERMS, "living_wage", "workforce")) is None  # not its term
    assert click(drawn, mark(TERMS, "bogus", "workforce")) is None
    assert click(drawn, mark(TERMS, "", "workforce")) is None  # a figure drawn without an id
    assert click(small, mark(TERMS, "workforce", "workforce")) is None  # no tagging result


# --- several points, odd points -----------------------------------------------------------------


def test_several_points_are_combined_once_each_in_the_posts_order(small):
    picked = click(
        small,
        mark(COVERAGE, "workforce", "2023Q2", "approximate"),
        mark(COVERAGE, "workforce", "2023Q2", "exact"),
        mark(COVERAGE, "workforce", "2023Q2", "exact"),
        mark(TOTALS, "none"),
    )
    assert picked.ids == ("a", "b", "c")
    assert picked.description == (
        "Workforce, 2023 Q2, approximate dates; Workforce, 2023 Q2, published dates; No theme"
    )


@pytest.mark.parametrize(
    "points",
    [
        [],
        [{"x": 1}],
        [{"customdata": None}],
        [{"customdata": ["workforce", "a;b"]}],  # the old form, carrying ids: not trusted
        [{"customdata": ["bogus", "workforce", "", ""]}],
        [{"customdata": [COVERAGE, "bogus", "2023Q2", "all"]}],
        [{"customdata": [COVERAGE, "workforce", "not a period", "all"]}],
        [{"customdata": [COVERAGE, "workforce", "2023-05-01", "all"]}],  # a day, not a period
        [{"customdata": [COVERAGE, "workforce", "2023Q2", "some"]}],
        [{"customdata": [COOCCURRENCE, "workforce", "none", ""]}],
        [{"customdata": [TOTALS, 3, "", ""]}],
        ["not a point"],
    ],
)
def test_nothing_or_unknown_marks_are_none(small, points):
    assert resolve(points, small) is None
    # ... and are skipped among points that are marks: the marks after them still count
    good = {"customdata": mark(TOTALS, "none")}
    assert resolve([*points, good], small) == Picked(("c",), "No theme")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(max_size=8),
            st.fixed_dictionaries(
                {
                    "customdata": st.one_of(
                        st.none(),
                        st.lists(
                            st.one_of(
                                st.sampled_from(
                                    [COVERAGE, TOTALS, COOCCURRENCE, TERMS, *IDS, "none"]
                                ),
                                st.sampled_from(["2023Q2", "2023-05", "2023", "exact", "all"]),
                                st.text(max_size=12),
                                st.integers(),
                            ),
                            max_size=5,
                        ),
                    )
                }
            ),
        ),
        max_size=4,
    )
)
def test_any_points_a_browser_sends_give_none_or_posts_in_view(bundled_drawn, points):
    picked = resolve(points, bundled_drawn)
    assert picked is None or set(picked.ids) <= set(bundled_drawn.posts["id"])


@pytest.fixture(scope="module")
def bundled_drawn():
    from analysis.corpus import open_corpus

    corpus = open_corpus()
    return Drawn(corpus.posts, corpus.tags, corpus.codebook, corpus.result)


# --- rows of the charts' data tables ------------------------------------------------------------


def test_a_coverage_table_row_gives_its_whole_bar(drawn):
    table = coverage_over_time(drawn.posts, drawn.tags, "quarter")
    row = int(
        table.index[(table["series"] == "health_justice") & (table["period_label"] == "2023 Q2")][0]
    )
    assert resolve_rows(COVERAGE, table, [row], drawn) == Picked(
        HJ_PARTNERSHIPS, "Health justice, 2023 Q2"
    )
    for n, ids in enumerate(table["post_ids"]):
        assert resolve_rows(COVERAGE, table, [n], drawn).ids == ids


def test_totals_matrix_and_term_rows_match_their_marks(drawn):
    totals = theme_totals(drawn.tags, drawn.codebook)
    assert resolve_rows(TOTALS, totals, [3], drawn) == click(drawn, mark(TOTALS, "health_justice"))
    pairs = cooccurrence_pairs(cooccurrence(drawn.tags))
    for n, pair in enumerate(pairs.itertuples()):
        picked = resolve_rows(COOCCURRENCE, pairs, [n], drawn)
        assert picked == click(drawn, mark(COOCCURRENCE, pair.first, pair.second))
        assert len(picked.ids) == pair.posts
    counts = drawn.result.term_counts(drawn.codebook.theme("workforce").terms)
    assert resolve_rows(TERMS, counts, [0], drawn, theme_id="workforce") == Picked(
        (NHS_WORKFORCE, VENN), "term “workforce” in Workforce"
    )


def test_rows_out_of_range_are_skipped(drawn):
    totals = theme_totals(drawn.tags, drawn.codebook)
    assert row_marks(TOTALS, totals, [-1, 5, 99]) == []
    assert resolve_rows(TOTALS, totals, [], drawn) is None
    with pytest.raises(ValueError, match="chart must be one of"):
        row_marks("pie", totals, [0])


def test_posts_behind_is_resolve_with_its_parts_given_one_by_one(small):
    points = [{"customdata": mark(TOTALS, "workforce")}]
    assert posts_behind(points, small.tags, small.posts, small.codebook) == resolve(points, small)


def test_posts_behind_passes_the_tagging_result_on_for_term_bars(drawn):
    points = [{"customdata": mark(TERMS, "workforce", "workforce")}]
    picked = posts_behind(points, drawn.tags, drawn.posts, drawn.codebook, drawn.result)
    assert picked == Picked((NHS_WORKFORCE, VENN), "term “workforce” in Workforce")


def test_tags_are_matched_to_the_posts_by_index_not_by_position(small):
    """Tags in another order, or with posts the chart does not show, still give each post its
    own tags; a post with no row of tags is behind no totals bar or matrix cell."""
    shuffled = Drawn(small.posts, small.tags.iloc[::-1], small.codebook)
    assert click(shuffled, mark(TOTALS, "living_wage")).ids == ("b",)
    assert click(shuffled, mark(COOCCURRENCE, "workforce", "living_wage")).ids == ("b",)
    wider = small.tags.copy()
    wider.loc[9] = [True, True, True, True]  # a post out of view
    assert click(Drawn(small.posts, wider, small.codebook), mark(TOTALS, "racial_equity")).ids == ()
    fewer = Drawn(small.posts, small.tags.loc[[0, 1]], small.codebook)  # c and d untagged
    assert click(fewer, mark(TOTALS, "workforce")).ids == ("a", "b")
    assert click(fewer, mark(COOCCURRENCE, "workforce", "workforce")).ids == ("a", "b")
    # and the same for coverage bars
    assert click(shuffled, mark(COVERAGE, "living_wage", "2023Q2", "all")).ids == ("b",)
    wide = Drawn(small.posts, wider, small.codebook)
    assert click(wide, mark(COVERAGE, "racial_equity", "2023", "all")).ids == ()
    fewer_bar = click(
        Drawn(small.posts.iloc[:3], small.tags.loc[[0]], small.codebook),
        mark(COVERAGE, "workforce", "2023", "all"),
    )
    assert fewer_bar == Picked(("a",), "Workforce, 2023")


def test_a_bad_row_is_skipped_and_the_rows_after_it_still_count(drawn):
    totals = theme_totals(drawn.tags, drawn.codebook)
    assert row_marks(TOTALS, totals, [99, 3]) == [{"customdata": mark(TOTALS, "health_justice")}]
    counts = drawn.result.term_counts(drawn.codebook.theme("workforce").terms)
    # without a theme id, a term row's mark names none (and resolves to nothing)
    assert row_marks(TERMS, counts, [0]) == [{"customdata": [TERMS, "", "workforce", ""]}]
    assert resolve_rows(TERMS, counts, [0], drawn) is None
    with pytest.raises(
        ValueError, match=r"^chart must be one of coverage, totals, cooccurrence, terms$"
    ):
        row_marks("pie", totals, [0])
