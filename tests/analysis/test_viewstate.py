"""analysis.viewstate: URL parameters to settings and back."""

from __future__ import annotations

from datetime import date

import pytest

from analysis.viewstate import Allowed, link, month_end, month_starts, notice, read, write

ALLOWED = Allowed(
    themes=["workforce", "living_wage", "none"],
    choices={
        "tag_mode": ["machine", "reviewed"],
        "granularity": ["month", "quarter", "year"],
        "measure": ["count", "share"],
    },
    first=date(2021, 9, 1),
    last=date(2024, 3, 1),
)


def test_defaults_write_no_parameters_and_read_nothing():
    defaults = {
        "themes": ["workforce", "living_wage", "none"],
        "dates": (date(2021, 9, 1), date(2024, 3, 1)),
        "tag_mode": "machine",
        "granularity": "quarter",
        "measure": "count",
        "search": "",
        "present": False,
        "include_undated": True,
        "post": None,
    }
    assert write(defaults, ALLOWED) == {}
    assert read({}, ALLOWED) == ({}, [])


def test_every_setting_round_trips():
    settings = {
        "themes": ["living_wage"],
        "dates": (date(2022, 1, 1), date(2023, 6, 1)),
        "tag_mode": "reviewed",
        "granularity": "year",
        "measure": "share",
        "search": "living wage",
        "present": True,
        "include_undated": False,
        "post": "some-post",
    }
    params = write(settings, ALLOWED)
    assert params == {
        "themes": ["living_wage"],
        "dates": ["2022-01-01", "2023-06-01"],
        "tag_mode": "reviewed",
        "granularity": "year",
        "measure": "share",
        "search": "living wage",
        "present": "true",
        "include_undated": "false",
        "post": "some-post",
    }
    as_url = {key: value if isinstance(value, list) else [value] for key, value in params.items()}
    assert read(as_url, ALLOWED) == (settings, [])


def test_no_theme_chosen_survives_the_round_trip():
    params = write({"themes": []}, ALLOWED)
    assert params == {"themes": [""]}
    assert read(params, ALLOWED) == ({"themes": []}, [])


def test_themes_are_written_in_codebook_order():
    assert write({"themes": ["none", "workforce"]}, ALLOWED)["themes"] == ["workforce", "none"]


@pytest.mark.parametrize(
    ("params", "kept", "ignored"),
    [
        ({"themes": ["bogus"]}, {}, "themes: bogus"),
        ({"themes": ["workforce", "bogus"]}, {"themes": ["workforce"]}, "themes: bogus"),
        ({"granularity": ["fortnight"]}, {}, "granularity: fortnight"),
        ({"tag_mode": ["robot"]}, {}, "tag_mode: robot"),
        ({"dates": ["2022-01-01"]}, {}, "dates: 2022-01-01"),
        ({"dates": ["2020-01-01", "2022-01-01"]}, {}, "dates: 2020-01-01, 2022-01-01"),
        ({"dates": ["2023-01-01", "2022-01-01"]}, {}, "dates"),
        ({"dates": ["soon", "later"]}, {}, "dates: soon, later"),
        ({"present": ["maybe"]}, {}, "present: maybe"),
    ],
)
def test_invalid_values_are_ignored_with_a_note(params, kept, ignored):
    settings, notes = read(params, ALLOWED)
    assert settings == kept
    assert len(notes) == 1 and notes[0].startswith(ignored)
    assert notice(notes).startswith("Some settings in the link could not be used")


def test_plain_strings_are_read_like_single_values():
    assert read({"granularity": "month", "present": "1"}, ALLOWED) == (
        {"granularity": "month", "present": True},
        [],
    )


def test_link_appends_the_query():
    assert link("http://host/explore", {}) == "http://host/explore"
    assert (
        link("http://host/", {"themes": ["workforce", "none"], "search": "a b"})
        == "http://host/?themes=workforce&themes=none&search=a+b"
    )
    assert notice([]) == ""


def test_dates_in_a_link_are_read_as_whole_months():
    # The date slider steps by month: an older link's days fall to their month.
    assert read({"dates": ["2022-01-16", "2023-06-30"]}, ALLOWED) == (
        {"dates": (date(2022, 1, 1), date(2023, 6, 1))},
        [],
    )
    # The last month counts whole, though the posts stop before its end.
    assert read({"dates": ["2021-09-30", "2024-03-31"]}, ALLOWED)[0] == {
        "dates": (date(2021, 9, 1), date(2024, 3, 1))
    }


def test_month_starts_and_ends():
    assert month_starts(date(2022, 11, 17), date(2023, 2, 3)) == [
        date(2022, 11, 1), date(2022, 12, 1), date(2023, 1, 1), date(2023, 2, 1)
    ]  # fmt: skip
    assert month_starts(date(2022, 11, 17), date(2022, 11, 30)) == [date(2022, 11, 1)]
    assert month_end(date(2022, 12, 1)) == date(2022, 12, 31)
    assert month_end(date(2024, 2, 10)) == date(2024, 2, 29)


def test_themes_may_come_comma_separated_and_every_unknown_one_is_named():
    assert read({"themes": ["workforce,none"]}, ALLOWED) == ({"themes": ["workforce", "none"]}, [])
    settings, notes = read({"themes": ["workforce,boats,trains"]}, ALLOWED)
    assert settings == {"themes": ["workforce"]}
    assert notes == ["themes: boats, trains (not a theme here)"]


def test_one_month_is_a_range_and_a_link_without_a_span_is_not_read():
    assert read({"dates": ["2023-01-01", "2023-01-20"]}, ALLOWED) == (
        {"dates": (date(2023, 1, 1), date(2023, 1, 1))},
        [],
    )
    no_last = Allowed(themes=ALLOWED.themes, first=date(2021, 9, 1))
    assert read({"dates": ["2022-01-01", "2022-02-01"]}, no_last)[0] == {}
    no_first = Allowed(themes=ALLOWED.themes, last=date(2024, 3, 1))
    assert read({"dates": ["2022-01-01", "2022-02-01"]}, no_first)[0] == {}


def test_month_starts_include_the_last_month():
    assert month_starts(date(2023, 1, 1), date(2023, 3, 1)) == [
        date(2023, 1, 1),
        date(2023, 2, 1),
        date(2023, 3, 1),
    ]


def test_a_parameter_given_no_value_reads_as_empty():
    assert read({"search": [], "present": []}, ALLOWED) == ({"search": "", "present": False}, [])
    assert read({"granularity": []}, ALLOWED) == ({}, ["granularity:  (not an option)"])


def test_without_a_list_of_choices_only_the_default_is_allowed():
    bare = Allowed(themes=ALLOWED.themes)
    assert read({"granularity": ["quarter"]}, bare) == ({"granularity": "quarter"}, [])
    assert read({"granularity": ["month"]}, bare) == ({}, ["granularity: month (not an option)"])


def test_notice_joins_every_note_into_one_sentence():
    assert notice(["themes: x (not a theme here)", "present: maybe (use true or false)"]) == (
        "Some settings in the link could not be used and were ignored: "
        "themes: x (not a theme here); present: maybe (use true or false)."
    )
