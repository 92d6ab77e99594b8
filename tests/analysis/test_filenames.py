"""analysis.filenames: the one slug, download names and the report's name."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from analysis.filenames import STEM_LIMIT, filename, report_filename, slug
from analysis.post_checks import slugify
from analysis.whatif import new_theme_id

GENERATED = datetime(2026, 11, 24, 14, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("parts", "ext", "expected"),
    [
        (("posts", "2021-09 to 2024-03"), "csv", "anchor-themes-posts-2021-09-to-2024-03.csv"),
        (
            ("posts", "2021-09", "to", "2024-03"),
            ".CSV",
            "anchor-themes-posts-2021-09-to-2024-03.csv",
        ),
        (("Coverage series", "Quarter"), "xlsx", "anchor-themes-coverage-series-quarter.xlsx"),
        (("Anchor Themes", "codebook"), "toml", "anchor-themes-codebook.toml"),
        (("anchor-themesque",), "csv", "anchor-themes-anchor-themesque.csv"),
        (("Guy’s & St Thomas’", "Café"), "csv", "anchor-themes-guys-st-thomas-cafe.csv"),
        (("../../etc/passwd",), "csv", "anchor-themes-etc-passwd.csv"),
        (("C:\\Users\\me", "a.b"), "csv", "anchor-themes-c-users-me-a-b.csv"),
        (("", "  ", "—"), "csv", "anchor-themes.csv"),
        ((), "xlsx", "anchor-themes.xlsx"),
    ],
)
def test_filename(parts, ext, expected):
    assert filename(*parts, ext=ext) == expected


def test_filename_is_short_and_needs_an_extension():
    long = filename("word " * 100, ext="csv")
    assert len(long) <= 124 and long.endswith(".csv") and "-." not in long
    with pytest.raises(ValueError, match="extension"):
        filename("posts", ext="..")


@pytest.mark.parametrize(
    ("text", "sep", "max_length", "expected"),
    [
        ("Guy’s & St Thomas’ Café", "-", None, "guys-st-thomas-cafe"),
        ("Guy's place", "_", None, "guys_place"),
        ("  ../..  ", "-", None, ""),
        ("alpha beta gamma delta", "-", 12, "alpha-beta"),  # whole words within the limit
        ("alphabetagamma", "-", 5, ""),
        ("ÆØ Zoë", "-", None, "zoe"),  # what has no ASCII form is left out
    ],
)
def test_slug(text, sep, max_length, expected):
    assert slug(text, sep, max_length) == expected


def test_post_ids_and_theme_ids_are_slugs():
    # Post ids keep splitting at a straight apostrophe, as ids always have (stable ids).
    assert slugify("Guy's & St Thomas’ Café") == "guy-s-st-thomas-cafe"
    assert slugify("alpha beta gamma delta", max_length=12) == "alpha-beta"
    assert new_theme_id("Supply chain & procurement") == "supply_chain_procurement"
    assert new_theme_id("Guy’s 2030 goals") == "guys_2030_goals"
    assert new_theme_id("2030 goals") == "theme_2030_goals"


def test_report_filename():
    assert report_filename("", GENERATED) == "anchor-themes-report-2026-11-24.html"
    assert (
        report_filename("My Posts.csv", GENERATED)
        == "anchor-themes-report-my-posts-2026-11-24.html"
    )
    assert report_filename("<script>", GENERATED) == "anchor-themes-report-script-2026-11-24.html"
    assert report_filename("", None).startswith("anchor-themes-report-20")


def test_report_filename_is_short_and_dated_in_utc():
    name = report_filename("word " * 30 + ".csv", GENERATED)
    assert name == "anchor-themes-report-" + "-".join(["word"] * 8) + "-2026-11-24.html"
    late_in_new_zealand = datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=13)))
    assert report_filename("", late_in_new_zealand).endswith("-2026-11-24.html")
    assert (
        report_filename("../posts.CSV", GENERATED) == "anchor-themes-report-posts-2026-11-24.html"
    )


# --- view_filename: names that name the view ----------------------------------------------------


def _view(period="quarter", measure="count", tag_mode="machine", **filters):
    from analysis.filters import Filters
    from analysis.provenance import View

    return View(Filters(**filters), period=period, measure=measure, tag_mode=tag_mode)


def test_view_filename_names_themes_period_and_months():
    from datetime import date

    from analysis.filenames import view_filename

    view = _view("month", themes=("workforce",), start=date(2023, 1, 1), end=date(2024, 6, 30))
    assert view_filename("coverage", view, "xlsx") == (
        "anchor-themes-coverage-workforce-month-2023-01-to-2024-06.xlsx"
    )
    assert view_filename("coverage", _view(), "xlsx") == "anchor-themes-coverage-quarter.xlsx"
    assert view_filename(
        "posts", _view("year", "share", "reviewed", include_undated=False), "csv"
    ) == ("anchor-themes-posts-year-share-reviewed-dated-only.csv")
    assert view_filename("posts", _view(search="pay rise"), "csv") == (
        "anchor-themes-posts-quarter-search-pay-rise.csv"
    )


def test_different_views_get_different_names():
    from datetime import date

    from analysis.filenames import view_filename

    views = [
        _view(),
        _view(themes=("workforce",)),
        _view(themes=()),
        _view(themes=("a", "b", "c", "d")),
        _view(themes=("a", "b", "c", "e")),
        _view(search="pay rise"),
        _view(search="pay-rise"),
        _view(search="PAY rise"),
        _view(search="日本"),
        _view(search="x " * 300),
        _view(search="x " * 301),
        _view(include_undated=False),
        _view(start=date(2023, 1, 1)),
        _view(end=date(2023, 1, 31)),
        _view(tag_mode="reviewed"),
        _view(measure="share"),
        _view("month"),
    ]
    names = [view_filename("posts", view, "csv") for view in views]
    assert len(set(names)) == len(names)
    for name in names:
        assert name.startswith("anchor-themes-posts-") and name.endswith(".csv")
        assert len(name) <= STEM_LIMIT + len(".csv")
        assert re.fullmatch(r"[a-z0-9-]+\.csv", name)
