"""Click-through with AppTest: a clicked mark, or a selected row of a chart's data table,
lists exactly the posts behind it, says what was clicked and how many, and in presentation
mode opens in a dialog. Also the Overview's findings in words and the charts' honest notes.

A click is simulated as the browser reports it: the chart widget's state gets the points
Plotly sends, each with the ``customdata`` read from the figure the page drew. The posts
expected are worked out here from the loaded posts and their tags with plain pandas, not
with :mod:`analysis.selection`.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.codebook import load_codebook
from analysis.corpus import open_corpus
from analysis.figures import filters_in_force
from analysis.filters import Filters
from analysis.findings import findings
from analysis.loading import BUNDLED_POSTS
from app_pages.sections import THEME_CHART, data_key
from app_pages.text import md, safe
from tests.app_pages.conftest import ok
from tests.markdown_oracle import as_read

THEMES = "app_pages/themes.py"
EMPTY = {"point_indices": [], "box": [], "lasso": []}


@pytest.fixture(scope="module")
def corpus():
    return open_corpus(BUNDLED_POSTS, codebook=load_codebook(), name="bundled")


def titles(corpus, mask) -> list[str]:
    return sorted(corpus.posts.loc[mask, "title"])


def chart_of(at: AppTest, key: str):
    """The plotly chart widget drawn for chart ``key`` (its key gains a round number)."""
    (found,) = [c for c in at.get("plotly_chart") if re.fullmatch(rf"{key}-\d+", c.key or "")]
    return found


def together(at: AppTest) -> AppTest:
    """``at`` after a click on the Overview's "Themes together" button: its chart is drawn only
    once chosen."""
    at.session_state[THEME_CHART] = "together"
    return ok(at.run())


def figure_of(at: AppTest, key: str) -> dict:
    return json.loads(chart_of(at, key).proto.spec)


def click(at: AppTest, key: str, *points: dict) -> AppTest:
    """Send chart ``key`` the points of a click, as the browser does, and rerun."""
    at.session_state[chart_of(at, key).key] = {"selection": {"points": list(points), **EMPTY}}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def opened_table(at: AppTest, key: str):
    """Chart ``key``'s data table, its expander opened first as a reader opens it (on
    Overview the table is drawn only once opened)."""
    tables = [d for d in at.dataframe if re.fullmatch(rf"{key}-rows-\d+", d.key or "")]
    if not tables:
        at.session_state[data_key(key)] = True
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        tables = [d for d in at.dataframe if re.fullmatch(rf"{key}-rows-\d+", d.key or "")]
    (table,) = tables
    return table


def select_rows(at: AppTest, key: str, *rows: int) -> AppTest:
    """Select rows of chart ``key``'s data table (a click or the keyboard), and rerun."""
    table = opened_table(at, key)
    at.session_state[table.key] = {"selection": {"rows": list(rows), "columns": [], "cells": []}}
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def table_of(at: AppTest, key: str) -> pd.DataFrame:
    return opened_table(at, key).value


def point(figure: dict, where) -> dict:
    """The point Plotly reports for the one mark whose customdata satisfies ``where``."""
    found = [
        {"curve_number": n, "point_index": i, "customdata": data}
        for n, trace in enumerate(figure["data"])
        for i, data in enumerate(trace.get("customdata") or [])
        if where(data)
    ]
    assert len(found) == 1, found
    return found[0]


def listing(at_or_block) -> list:
    """The blocks that list clicked posts: each holds a "Posts behind" line and the posts."""
    return [
        node
        for node in at_or_block
        if hasattr(node, "children")
        and any(
            getattr(child, "type", None) == "markdown" and "Posts behind" in child.value
            for child in node.children.values()
        )
    ]


def listed(at_or_block, key: str = "") -> list[str]:
    """Titles in the one list of clicked posts shown (sorted)."""
    (block,) = listing(at_or_block)
    (table,) = block.get("dataframe")
    return sorted(table.value["Title"])


def said(at_or_block) -> list[str]:
    return [m.value for m in at_or_block.get("markdown") if "Posts behind" in m.value]


def heading(description: str, n: int) -> str:
    return md("**Posts behind {}**: {}", description, f"{n} post" if n == 1 else f"{n} posts")


def in_quarter(corpus, quarter: str) -> pd.Series:
    return corpus.posts["published"].dt.to_period("Q").astype(str).eq(quarter)


# Coverage bars ------------------------------------------------------------------------------


def test_clicking_a_hatched_coverage_bar_lists_its_posts(app, corpus):
    at = app()
    data = ["coverage", "health_justice", "2023Q2", "approximate"]
    click(at, "coverage", point(figure_of(at, "coverage"), lambda d: d == data))
    approximate = corpus.posts["date_status"].ne("published")
    expected = titles(
        corpus, in_quarter(corpus, "2023Q2") & corpus.tags["health_justice"] & approximate
    )
    assert len(expected) == 3
    assert listed(at, "coverage") == expected
    assert said(at) == [heading("Health justice, 2023 Q2, approximate dates", 3)]


def test_clicking_a_solid_coverage_bar_lists_only_its_published_posts(app, corpus):
    at = app()
    data = ["coverage", "living_wage", "2022Q4", "exact"]
    click(at, "coverage", point(figure_of(at, "coverage"), lambda d: d == data))
    published = corpus.posts["date_status"].eq("published")
    expected = titles(corpus, in_quarter(corpus, "2022Q4") & corpus.tags["living_wage"] & published)
    assert expected == ["Health Anchors in London and the London Living Wage"]
    assert listed(at, "coverage") == expected
    assert said(at) == [heading("Living wage, 2022 Q4, published dates", 1)]


def test_a_click_lists_only_posts_in_view(app, corpus):
    """With a search in force, a bar's list holds only the posts the search keeps."""
    at = app(search="partnership")
    data = ["totals", "health_justice", "", ""]
    click(at, "totals", point(figure_of(at, "totals"), lambda d: d == data))
    words = corpus.posts["title"].str.cat(corpus.posts["summary"].fillna(""), sep=" ")
    expected = titles(
        corpus, words.str.contains("partnership", case=False) & corpus.tags["health_justice"]
    )
    assert 0 < len(expected) < int(corpus.tags["health_justice"].sum())
    assert listed(at, "totals") == expected


def test_back_to_all_posts_clears_the_list(app):
    at = app()
    click(at, "totals", point(figure_of(at, "totals"), lambda d: d[1] == "workforce"))
    assert said(at)
    at.button(key="back-totals").click().run()
    assert said(at) == []
    assert chart_of(at, "totals").key == "totals-1"  # drawn afresh, nothing selected


# Totals, co-occurrence and term bars ---------------------------------------------------------


def test_clicking_a_totals_bar_lists_the_themes_posts(app, corpus):
    at = app()
    click(at, "totals", point(figure_of(at, "totals"), lambda d: d[:2] == ["totals", "workforce"]))
    expected = titles(corpus, corpus.tags["workforce"])
    assert len(expected) == 3
    assert listed(at, "totals") == expected
    assert said(at) == [heading("Workforce", 3)]


def test_clicking_the_no_theme_bar_lists_posts_with_no_theme(app, corpus):
    at = app()
    click(at, "totals", point(figure_of(at, "totals"), lambda d: d[:2] == ["totals", "none"]))
    expected = titles(corpus, ~corpus.tags.any(axis=1))
    assert len(expected) == 9
    assert listed(at, "totals") == expected
    assert said(at) == [heading("No theme", 9)]


def test_clicking_a_cooccurrence_cell_lists_posts_with_both_themes(app, corpus):
    at = together(app())
    cell = ["cooccurrence", "health_justice", "health_justice", ""]
    click(at, "cooccurrence", point(figure_of(at, "cooccurrence"), lambda d: d == cell))
    expected = titles(corpus, corpus.tags["health_justice"])
    assert len(expected) == 4
    assert listed(at, "cooccurrence") == expected
    assert said(at) == [heading("Health justice", 4)]


def test_an_empty_cooccurrence_cell_says_so_and_lists_nothing(app):
    at = together(app())
    cell = ["cooccurrence", "workforce", "living_wage", ""]
    click(at, "cooccurrence", point(figure_of(at, "cooccurrence"), lambda d: d == cell))
    assert listed(at, "cooccurrence") == []
    assert said(at) == [heading("Workforce and Living wage", 0)]


def test_clicking_an_off_diagonal_cell_lists_posts_carrying_both(app, tmp_path):
    posts = tmp_path / "posts.csv"
    posts.write_text(
        "id,title,summary,published\n"
        "a,Apprentices on the living wage,Workforce and pay,2024-01-15\n"
        "b,Workforce planning,Recruitment of staff,2024-02-15\n"
        "c,London living wage,Pay for porters,2024-03-15\n"
    )
    at = together(app(argv=["--posts", posts]))
    cell = ["cooccurrence", "workforce", "living_wage", ""]
    click(at, "cooccurrence", point(figure_of(at, "cooccurrence"), lambda d: d == cell))
    assert listed(at, "cooccurrence") == ["Apprentices on the living wage"]
    assert said(at) == [heading("Workforce and Living wage", 1)]


def evidence_holds(corpus, pattern: str) -> pd.Series:
    text = (
        corpus.posts["title"].fillna("")
        + " \n "
        + corpus.posts["summary"].fillna("")
        + " \n "
        + corpus.posts.get("text", pd.Series("", index=corpus.posts.index)).fillna("")
    )
    return text.str.contains(pattern, case=False, regex=True)


def test_clicking_a_term_bar_lists_posts_whose_evidence_holds_it(app, corpus):
    at = app(THEMES)
    data = ["terms", "health_justice", "health justice", ""]
    click(at, "terms_health_justice", point(figure_of(at, "terms_health_justice"), data.__eq__))
    expected = titles(corpus, evidence_holds(corpus, r"\bhealth justice\b"))
    assert len(expected) == 3
    assert listed(at, "terms_health_justice") == expected
    assert said(at) == [heading("term “health justice” in Health justice", 3)]


def test_clicking_a_wildcard_term_bar(app, corpus):
    at = app(THEMES)
    data = ["terms", "workforce", "apprentice*", ""]
    click(at, "terms_workforce", point(figure_of(at, "terms_workforce"), data.__eq__))
    expected = titles(corpus, evidence_holds(corpus, r"\bapprentice"))
    assert len(expected) == 1
    assert listed(at, "terms_workforce") == expected
    assert said(at) == [heading("term “apprentice*” in Workforce", 1)]


# Rows of a chart's data table, for keyboard users --------------------------------------------


def test_selecting_a_coverage_table_row_lists_the_whole_bar(app, corpus):
    at = app()
    table = table_of(at, "coverage")
    row = table.index[(table["Period"] == "2023 Q2") & (table["Theme"] == "Health justice")]
    select_rows(at, "coverage", int(row[0]))
    expected = titles(corpus, in_quarter(corpus, "2023Q2") & corpus.tags["health_justice"])
    assert listed(at, "coverage") == expected
    assert said(at) == [heading("Health justice, 2023 Q2", len(expected))]


def test_selecting_totals_rows_lists_the_posts_of_every_theme_chosen(app, corpus):
    at = app()
    table = table_of(at, "totals")
    rows = [int(table.index[table["Theme"] == label][0]) for label in ("Workforce", "Living wage")]
    select_rows(at, "totals", *rows)
    expected = titles(corpus, corpus.tags["workforce"] | corpus.tags["living_wage"])
    assert len(expected) == 4
    assert listed(at, "totals") == expected
    assert said(at) == [heading("Workforce; Living wage", 4)]


def test_selecting_a_cooccurrence_table_row(app, corpus):
    at = together(app())
    table = table_of(at, "cooccurrence")
    assert table.columns.tolist() == ["Themes", "Posts"]
    select_rows(at, "cooccurrence", int(table.index[table["Themes"] == "Racial equity"][0]))
    assert listed(at, "cooccurrence") == titles(corpus, corpus.tags["racial_equity"])
    assert said(at) == [heading("Racial equity", 1)]


def test_selecting_a_terms_table_row(app, corpus):
    at = app(THEMES)
    table = table_of(at, "terms_health_justice")
    select_rows(
        at, "terms_health_justice", int(table.index[table["Codebook term"] == "poverty"][0])
    )
    expected = titles(corpus, evidence_holds(corpus, r"\bpoverty\b"))
    assert len(expected) == 1
    assert listed(at, "terms_health_justice") == expected
    assert said(at) == [heading("term “poverty” in Health justice", 1)]


# Presentation mode ---------------------------------------------------------------------------


def dialogs(at: AppTest) -> list:
    return [node for node in at._tree if getattr(node, "type", None) == "dialog"]


def test_presentation_mode_lists_clicked_posts_in_a_dialog(app, corpus):
    at = app(present="true")
    assert dialogs(at) == []
    data = ["coverage", "health_justice", "2023Q2", "approximate"]
    click(at, "coverage", point(figure_of(at, "coverage"), lambda d: d == data))
    (dialog,) = dialogs(at)
    assert listed(dialog, "coverage") == titles(
        corpus, in_quarter(corpus, "2023Q2") & corpus.tags["health_justice"]
    )
    assert said(dialog) == [heading("Health justice, 2023 Q2, approximate dates", 3)]


def test_outside_presentation_mode_the_list_is_inline_not_a_dialog(app):
    at = app()
    click(at, "totals", point(figure_of(at, "totals"), lambda d: d[1] == "workforce"))
    assert dialogs(at) == []
    assert listed(at, "totals")


# Findings and honest charts ------------------------------------------------------------------


def test_overview_opens_with_the_findings_in_words(app, corpus):
    at = app()
    sentences = findings(corpus.posts, corpus.tags, corpus.codebook, "quarter")
    assert len(sentences) >= 2
    shown = [m.value for m in at.markdown]
    assert safe(" ".join(sentences)) in shown
    assert "9 of the 18 posts carry no theme" in " ".join(sentences)


def test_findings_follow_the_filters_and_period(app, corpus):
    at = app(themes="workforce", granularity="year")
    sentences = findings(corpus.posts, corpus.tags, corpus.codebook, "year", ["workforce"])
    assert safe(" ".join(sentences)) in [m.value for m in at.markdown]


def test_findings_are_shown_in_presentation_mode(app, corpus):
    at = app(present="true")
    sentences = findings(corpus.posts, corpus.tags, corpus.codebook, "quarter")
    assert safe(" ".join(sentences)) in [m.value for m in at.markdown]


def subtitle(figure: dict) -> str:
    return figure["layout"]["title"]["subtitle"]["text"]


def test_chart_subtitles_state_the_filters_in_force(app, corpus):
    at = app()
    at.sidebar.select_slider(key="dates").set_value(
        (dt.date(2023, 1, 1), dt.date(2023, 12, 1))
    ).run()
    filters = Filters(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    book = corpus.codebook
    assert subtitle(figure_of(at, "coverage")) == filters_in_force(filters, book)
    assert subtitle(figure_of(at, "totals")) == filters_in_force(filters, book, themes=False)
    assert subtitle(figure_of(at, "coverage")) == "All themes · Jan 2023 – Dec 2023 · machine tags"
    together(at)
    assert subtitle(figure_of(at, "cooccurrence")).startswith("Jan 2023 – Dec 2023 · machine tags")


def test_the_themes_heading_follows_the_date_filter(app):
    at = app()
    assert "Themes across all dates" in [h.value for h in at.header]
    at.sidebar.select_slider(key="dates").set_value(
        (dt.date(2023, 1, 1), dt.date(2023, 12, 1))
    ).run()
    headers = [h.value for h in at.header]
    assert "Themes across all dates" not in headers
    assert safe("Themes, Jan 2023 – Dec 2023") in headers


def test_share_of_posts_flags_periods_with_few_posts(app):
    at = app(measure="share")
    captions = " ".join(c.value for c in at.caption)
    assert safe("Lighter bars: 11 of 11 quarters have fewer than 5 posts") in captions
    at = app()
    assert "Lighter bars" not in " ".join(c.value for c in at.caption)


def test_an_empty_cooccurrence_says_so_in_words(app):
    at = together(app())
    note = (
        "No post in view carries two themes, so every cell off the diagonal is 0; "
        "the diagonal counts each theme's own posts."
    )
    assert any(as_read(c.value).startswith(note + " Click a cell") for c in at.caption)
    at = together(app(themes="workforce"))  # the matrix counts every theme, whatever is chosen
    assert any(as_read(c.value).startswith(note) for c in at.caption)


def test_themes_page_counts_exclusions_and_posts_in_words(app, corpus):
    at = app(THEMES)
    labels = [as_read(e.label) for e in at.expander if as_read(e.label).startswith("All ")]
    workforce = corpus.codebook.theme("workforce")
    assert len(workforce.exclude) == 1
    assert f"All {len(workforce.terms)} terms and 1 exclusion" in labels
    assert all(re.fullmatch(r"All \d+ terms? and \d+ exclusions?", label) for label in labels)
    assert not any(re.search(r"\b1 (terms|exclusions)\b", label) for label in labels)
    captions = [as_read(c.value) for c in at.caption]
    assert "No theme: 9 of 18 posts in view carry no theme." in captions


def test_one_post_without_a_theme_carries_it_in_the_singular(app):
    at = app(THEMES, search="private sector")
    captions = [as_read(c.value) for c in at.caption]
    assert "No theme: 1 of 1 post in view carries no theme." in captions
