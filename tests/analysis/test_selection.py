"""analysis.selection: clicked bars and heatmap cells to the posts behind them."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.selection import posts_behind

IDS = ["workforce", "living_wage", "racial_equity", "health_justice"]


@pytest.fixture
def tags() -> pd.DataFrame:
    return pd.DataFrame(
        [[True, True, False, False], [True, False, False, False], [False, False, False, False]],
        columns=IDS,
    )


@pytest.fixture
def posts() -> pd.DataFrame:
    return pd.DataFrame({"id": ["a", "b", "c"]})


def test_a_bar_gives_the_posts_it_counts(tags, posts, codebook):
    points = [{"x": "2023 Q2", "customdata": ["workforce", "a;b"]}]
    picked = posts_behind(points, tags, posts, codebook)
    assert picked.ids == ("a", "b")
    assert picked.description == "Workforce, 2023 Q2"


def test_the_no_theme_bar_and_an_empty_bar(tags, posts, codebook):
    assert posts_behind(
        [{"x": "2021", "customdata": ["none", "c"]}], tags, posts, codebook
    ).ids == ("c",)
    empty = posts_behind([{"x": "2022", "customdata": ["living_wage", ""]}], tags, posts, codebook)
    assert empty.ids == () and empty.description == "Living wage, 2022"


def test_a_heatmap_cell_gives_posts_with_both_themes(tags, posts, codebook):
    picked = posts_behind([{"customdata": ["workforce", "living_wage"]}], tags, posts, codebook)
    assert picked.ids == ("a",)
    assert picked.description == "Workforce and Living wage"
    diagonal = posts_behind([{"customdata": ["workforce", "workforce"]}], tags, posts, codebook)
    assert diagonal.ids == ("a", "b") and diagonal.description == "Workforce"


def test_several_points_are_combined_without_repeats(tags, posts, codebook):
    points = [
        {"x": "2023 Q2", "customdata": ["workforce", "a"]},
        {"x": "2023 Q2", "customdata": ["workforce", "a;b"]},  # the hatched part of the bar
    ]
    picked = posts_behind(points, tags, posts, codebook)
    assert picked.ids == ("a", "b")
    assert picked.description == "Workforce, 2023 Q2"


def test_nothing_clicked_or_unknown_data_is_none(tags, posts, codebook):
    assert posts_behind([], tags, posts, codebook) is None
    assert posts_behind([{"customdata": ["bogus", "x"]}], tags, posts, codebook) is None
    assert posts_behind([{"x": 1}], tags, posts, codebook) is None
