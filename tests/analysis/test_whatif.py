"""analysis.whatif: editing a codebook in memory, and saying which posts and terms changed."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from analysis.codebook import (
    MAX_TERMS,
    MAX_THEME_TERMS,
    MAX_THEMES,
    Codebook,
    CodebookError,
    Theme,
    parse_codebook,
)
from analysis.codebook_file import codebook_toml, toml_string
from analysis.corpus import open_corpus
from analysis.whatif import (
    DEFINITION_PREFIX,
    FALLBACK_COLOURS,
    MAX_LABEL,
    SPARE_COLOURS,
    VERSION_SUFFIX,
    ThemeChange,
    add_terms,
    add_theme,
    change_table,
    compare,
    edits,
    new_colour,
    new_theme_id,
    parse_terms,
    remove_terms,
    whatif_version,
)

MINUS = "\u2212"
ENGAGING = "engaging-the-private-sector-in-anchor-networks"


def small_codebook(**settings) -> Codebook:
    return Codebook(
        themes=(
            Theme("work", "Work", "#0072B2", "Jobs.", ("job*", "skills")),
            Theme("pay", "Pay", "#E69F00", "Pay.", ("wages",)),
        ),
        version="1.0",
        **settings,
    )


# --- parse_terms --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("procure*, supply chain*", ["procure*", "supply chain*"]),
        ("a; b\nc\r\nd,,e", ["a", "b", "c", "d", "e"]),
        ("  local economies  ", ["local economies"]),
        ("", []),
        (" ,; \n ", []),
    ],
)
def test_parse_terms_splits_on_commas_semicolons_and_new_lines(text, terms):
    assert parse_terms(text) == terms


# --- add_terms and remove_terms -----------------------------------------------------------------


def test_add_terms_normalises_appends_and_ignores_duplicates():
    before = small_codebook()
    after = add_terms(
        before, "work", ["Procurement", "  LOCAL   economies", "skills", "procurement"]
    )
    assert after.theme("work").terms == ("job*", "skills", "procurement", "local economies")
    assert after.theme("pay") == before.theme("pay")
    assert before.theme("work").terms == ("job*", "skills")  # the original is untouched


def test_add_terms_takes_a_single_string_as_one_term():
    after = add_terms(small_codebook(), "pay", "Low pay")
    assert after.theme("pay").terms == ("wages", "low pay")


@pytest.mark.parametrize("bad", ["*procure", "-x", "'quoted'", "", "   "])
def test_add_terms_refuses_a_term_not_starting_with_a_letter_or_digit(bad):
    with pytest.raises(CodebookError, match="must start with a letter or digit") as error:
        add_terms(small_codebook(), "work", ["fine", bad])
    assert f"\u201c{bad.strip()}\u201d" in str(error.value)  # names the term
    assert str(error.value).startswith("Work: ")  # and the theme


def test_add_terms_needs_at_least_one_term_and_a_known_theme():
    with pytest.raises(CodebookError, match="at least one term"):
        add_terms(small_codebook(), "work", parse_terms(" , "))
    with pytest.raises(CodebookError, match="no theme with the id \u201cnope\u201d"):
        add_terms(small_codebook(), "nope", ["x"])


def test_remove_terms_drops_the_terms():
    after = remove_terms(small_codebook(), "work", ["SKILLS", "skills"])
    assert after.theme("work").terms == ("job*",)


def test_remove_terms_refuses_to_leave_a_theme_without_terms():
    with pytest.raises(CodebookError, match="a theme needs at least one term"):
        remove_terms(small_codebook(), "pay", ["wages"])
    with pytest.raises(CodebookError, match="a theme needs at least one term"):
        remove_terms(small_codebook(), "work", ["job*", "skills"])


def test_remove_terms_refuses_unknown_terms_and_nothing_chosen():
    with pytest.raises(CodebookError, match="no term \u201cpay rise\u201d to remove"):
        remove_terms(small_codebook(), "pay", ["pay rise"])
    with pytest.raises(CodebookError, match="at least one term to remove"):
        remove_terms(small_codebook(), "pay", [])
    with pytest.raises(CodebookError, match="must start with a letter or digit"):
        remove_terms(small_codebook(), "pay", ["*wages"])


# --- the version and the settings every edit keeps ----------------------------------------------


def test_every_edit_marks_the_version_once_and_keeps_the_settings():
    before = small_codebook(
        title_weight=3.0,
        min_score=2.0,
        no_theme_label="Untagged",
        no_theme_colour="#777777",
        source="mine.toml",
    )
    once = add_terms(before, "work", ["procurement"])
    twice = remove_terms(add_theme(once, "Procurement", ["procure*"]), "work", ["skills"])
    for edited in (once, twice):
        assert edited.version == "1.0+what-if"
        assert (edited.title_weight, edited.min_score) == (3.0, 2.0)
        assert (edited.no_theme_label, edited.no_theme_colour) == ("Untagged", "#777777")
        assert edited.source == "mine.toml"


def test_whatif_version_is_idempotent():
    assert whatif_version("2026.11.1") == "2026.11.1" + VERSION_SUFFIX
    assert whatif_version("2026.11.1+what-if") == "2026.11.1+what-if"


# --- add_theme ----------------------------------------------------------------------------------


def test_add_theme_appends_a_theme_with_id_colour_and_definition():
    after = add_theme(
        small_codebook(), "  Supply chain &  procurement ", ["Procure*", "supply chain*"]
    )
    assert after.ids == ["work", "pay", "supply_chain_procurement"]
    theme = after.themes[-1]
    assert theme.label == "Supply chain & procurement"
    assert theme.terms == ("procure*", "supply chain*")
    assert theme.colour == "#56B4E9"
    assert theme.definition == DEFINITION_PREFIX + "procure*, supply chain*"
    assert theme.definition == "Added in a workshop: procure*, supply chain*"
    assert theme.exclude == ()


def test_add_theme_keeps_a_given_definition():
    after = add_theme(
        small_codebook(), "Procurement", ["procure*"], definition=" Buying  locally. "
    )
    assert after.theme("procurement").definition == "Buying locally."


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Procurement", "procurement"),
        ("Guy's & St Thomas'", "guys_st_thomas"),
        ("Égalité raciale", "egalite_raciale"),
        ("2030 goals", "theme_2030_goals"),
        ("!!!", ""),
        ("日本", ""),
    ],
)
def test_new_theme_id_is_a_slug_the_codebook_file_accepts(label, expected):
    assert new_theme_id(label) == expected


def test_an_added_theme_survives_a_round_trip_through_toml(codebook):
    after = add_theme(codebook, "2030 goals", ["net zero", "anchor*"])
    again = parse_codebook(codebook_toml(after), "again.toml")
    assert again.themes == after.themes
    assert again.version == "2026.11.1+what-if"


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("", "needs a label"),
        ("   ", "needs a label"),
        ("?!", "at least one letter"),
        ("Work", "already in use"),
        ("WORK", "already in use"),
        ("No theme", "already in use"),
        ("Theme", "already in use"),
        ("Work!", "which the theme \u201cWork\u201d already has"),
        ("None", "kept for posts with no theme"),
        ("x" * (MAX_LABEL + 1), "too long"),
    ],
)
def test_add_theme_refuses_unusable_or_clashing_labels(label, message):
    with pytest.raises(CodebookError, match=message):
        add_theme(small_codebook(), label, ["term"])


def test_add_theme_checks_its_terms():
    with pytest.raises(CodebookError, match="at least one term"):
        add_theme(small_codebook(), "Procurement", parse_terms(";"))
    with pytest.raises(CodebookError, match="\u201c\\*x\u201d must start with a letter or digit"):
        add_theme(small_codebook(), "Procurement", ["*x"])


# --- colours ------------------------------------------------------------------------------------


#: Okabe and Ito's colour-blind-safe palette (2008), which the bundled codebook draws from.
OKABE_ITO = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")


def test_new_themes_take_okabe_ito_colours_no_other_series_shows(codebook):
    book = codebook
    for label in ("One", "Two", "Three", "Four"):
        book = add_theme(book, label, ["term"])
    new = [theme.colour for theme in book.themes[4:]]
    taken = {*codebook.colours.values(), codebook.no_theme_colour}
    assert len(set(new)) == 4  # four new series, four colours
    assert not set(new) & taken  # none shared with a bundled theme or "No theme"
    assert set(new) <= set(OKABE_ITO)  # the four the bundled themes leave free


def test_a_colour_already_used_is_skipped_whatever_its_case():
    book = replace(
        small_codebook(),
        themes=(Theme("sky", "Sky", "#56b4e9", "Sky.", ("sky",)),),
        no_theme_colour="#D55E00",
    )
    assert new_colour(book) == "#F0E442"


def test_after_the_spare_colours_come_the_fallback_ones_then_reuse():
    book = small_codebook()
    for n in range(len(SPARE_COLOURS) + len(FALLBACK_COLOURS)):
        book = add_theme(book, f"Theme {n}", ["term"])
    added = [theme.colour for theme in book.themes[2:]]
    assert added == [*SPARE_COLOURS, *FALLBACK_COLOURS]
    assert len(set(added)) == len(added)
    palette = (*SPARE_COLOURS, *FALLBACK_COLOURS)
    assert new_colour(book) == palette[len(book.themes) % len(palette)]  # reused, no crash
    assert add_theme(book, "One more", ["term"]).themes[-1].colour in palette


# --- compare and ThemeChange --------------------------------------------------------------------


def tags(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns, index=[10, 11, 12])


POSTS = pd.DataFrame(
    {
        "id": ["a", "b", "c"],
        "title": ["Post A", "Post B", "=Post C"],
        "url": ["https://example.org/a", "https://example.org/b", "javascript:alert(1)"],
    },
    index=[10, 11, 12],
)


def test_compare_lists_gains_and_losses_per_theme_in_codebook_order():
    before_book = small_codebook()
    after_book = add_theme(before_book, "Procurement", ["procure*"])
    before = tags(work=[True, False, False], pay=[True, True, False])
    after = tags(
        work=[True, True, True], pay=[False, True, False], procurement=[False, False, True]
    )
    changes = compare(POSTS, before, after, before_book, after_book)
    assert [c.id for c in changes] == ["work", "pay", "procurement"]
    work, pay, procurement = changes
    assert (work.gained, work.lost, work.new_theme) == (("b", "c"), (), False)
    assert (pay.gained, pay.lost) == ((), ("a",))
    assert (procurement.gained, procurement.new_theme, procurement.removed_theme) == (
        ("c",),
        True,
        False,
    )


def test_compare_puts_removed_themes_last():
    before_book = add_theme(small_codebook(), "Procurement", ["procure*"])
    after_book = small_codebook()
    before = tags(work=[False] * 3, pay=[False] * 3, procurement=[True, False, True])
    after = tags(work=[False] * 3, pay=[False] * 3)
    changes = compare(POSTS, before, after, before_book, after_book)
    assert [c.id for c in changes] == ["work", "pay", "procurement"]
    assert changes[-1] == ThemeChange("procurement", "Procurement", (), ("a", "c"), False, True)
    assert changes[-1].summary == f"Procurement (removed): {MINUS}2 posts"


@pytest.mark.parametrize(
    ("gained", "lost", "summary"),
    [
        (("a",), (), "Workforce: +1 post"),
        (("a", "b", "c"), ("d",), f"Workforce: +3 posts, {MINUS}1 post"),
        ((), ("a", "b"), f"Workforce: {MINUS}2 posts"),
        ((), (), "Workforce: no change"),
    ],
)
def test_summary_says_plus_and_typographic_minus_with_the_right_plural(gained, lost, summary):
    change = ThemeChange("workforce", "Workforce", gained, lost)
    assert change.summary == summary
    assert change.changed == bool(gained or lost)
    assert "-" not in change.summary  # a typographic minus, never a hyphen


def test_summary_of_a_new_theme():
    assert ThemeChange("p", "Procurement", ("a", "b"), new_theme=True).summary == (
        "Procurement (new theme): +2 posts"
    )
    assert ThemeChange("p", "Procurement", new_theme=True).summary == (
        "Procurement (new theme): no posts"
    )


def test_compare_on_the_bundled_posts_finds_the_local_economies_post(bundled):
    after_book = add_terms(bundled.codebook, "workforce", ["local economies"])
    after = open_corpus(codebook=after_book)
    changes = compare(bundled.posts, bundled.tags, after.tags, bundled.codebook, after_book)
    assert [c.id for c in changes] == bundled.codebook.ids
    workforce = changes[0]
    assert workforce.gained == (ENGAGING,)
    assert workforce.summary == "Workforce: +1 post"
    assert all(c.summary.endswith("no change") for c in changes[1:])


def test_compare_with_no_edit_finds_no_change(bundled):
    changes = compare(bundled.posts, bundled.tags, bundled.tags, bundled.codebook, bundled.codebook)
    assert not any(c.changed for c in changes)


def test_change_table_lists_gained_then_lost_posts_by_title():
    change = ThemeChange("work", "Work", gained=("c", "a"), lost=("b",))
    table = change_table(POSTS, change)
    assert list(table.columns) == ["Change", "Title", "Link"]
    assert table.fillna("").values.tolist() == [
        ["Gained", "Post A", "https://example.org/a"],
        ["Gained", "=Post C", ""],  # only http(s) addresses become links
        ["Lost", "Post B", "https://example.org/b"],
    ]
    empty = change_table(POSTS[["id", "title"]], ThemeChange("work", "Work"))
    assert list(empty.columns) == ["Change", "Title"] and empty.empty


# --- edits --------------------------------------------------------------------------------------


def test_edits_describe_added_and_removed_terms_and_new_themes(codebook):
    after = add_terms(codebook, "workforce", ["procurement"])
    after = remove_terms(after, "workforce", ["skills"])
    after = add_terms(after, "living_wage", ["fair work", "good work"])
    after = add_theme(after, "Procurement", parse_terms("procure*, supply chain*"))
    assert edits(codebook, after) == [
        "Workforce: added \u201cprocurement\u201d",
        "Workforce: removed \u201cskills\u201d",
        "Living wage: added \u201cfair work\u201d, \u201cgood work\u201d",
        "New theme Procurement: \u201cprocure*\u201d, \u201csupply chain*\u201d",
    ]


def test_edits_name_a_removed_theme_and_nothing_for_no_edit(codebook):
    after = add_theme(codebook, "Procurement", ["procure*"])
    assert edits(after, codebook) == ["Removed theme Procurement"]
    assert edits(codebook, codebook) == []
    assert edits(codebook, add_terms(codebook, "workforce", ["skills"])) == []


# --- the term language and the limits, checked as a file is checked -----------------------------


@pytest.mark.parametrize(
    "term",
    [
        "a********************q",
        "job*seeker*",
        "a - b",
        "a-",
        "a\x00b",
        "x" * 61,
        "a b c d e f g h i",
    ],
)
def test_typed_terms_are_checked_by_the_codebook_s_one_term_check(term):
    """What if? refuses exactly the terms a codebook file refuses, with the same reason."""
    with pytest.raises(CodebookError) as from_file:
        parse_codebook(
            codebook_toml(small_codebook()).replace('"wages"', toml_string(term)), "f.toml"
        )
    with pytest.raises(CodebookError) as typed:
        add_terms(small_codebook(), "work", ["fine", term])
    problem = str(from_file.value).split("' ", 1)[1]
    assert str(typed.value).startswith("Work: the term \u201c")
    assert str(typed.value).endswith("\u201d " + problem)
    assert "\n" not in str(typed.value)


def test_a_star_term_that_used_to_freeze_the_server_is_refused_where_it_was_typed():
    with pytest.raises(CodebookError) as error:
        add_theme(small_codebook(), "Stars", parse_terms("fine, a********************q"))
    assert str(error.value) == (
        "Stars: the term \u201ca********************q\u201d has two * in a row: "
        "one * at the end of a word matches any ending"
    )


def test_edits_cannot_take_a_theme_past_its_limit_of_terms():
    book = add_terms(small_codebook(), "work", [f"t{n}" for n in range(MAX_THEME_TERMS - 2)])
    assert len(book.theme("work").terms) == MAX_THEME_TERMS
    with pytest.raises(CodebookError) as error:
        add_terms(book, "work", ["one more"])
    assert str(error.value) == "Work: terms lists 201 terms: at most 200 per theme"


def test_edits_cannot_take_the_codebook_past_its_limits():
    full = Codebook(
        themes=tuple(Theme(f"t{n}", f"T{n}", "#112233", "d", (f"t{n}",)) for n in range(MAX_THEMES))
    )
    with pytest.raises(CodebookError) as error:
        add_theme(full, "One more", ["x"])
    assert str(error.value) == "51 themes: a codebook has at most 50"

    many = Codebook(
        themes=tuple(
            Theme(f"t{n}", f"T{n}", "#112233", "d", tuple(f"t{n}w{m}" for m in range(200)))
            for n in range(MAX_TERMS // 200)
        )
    )
    with pytest.raises(CodebookError) as error:
        add_theme(many, "One more", ["x"])
    assert str(error.value) == (
        "2,001 distinct terms, context terms and exclusions: a codebook has at most 2,000 in all"
    )


# --- exclusions ---------------------------------------------------------------------------------


def test_exclusions_are_added_and_removed_as_terms_are_and_edits_say_so(codebook):
    from analysis.whatif import add_exclusions, remove_exclusions

    before = codebook.theme("workforce").exclude
    after = add_exclusions(codebook, "workforce", ["Staff  ROOM", "staff room", "rota*"])
    assert after.theme("workforce").exclude == (*before, "staff room", "rota*")
    assert after.version == whatif_version(codebook.version)
    assert add_exclusions(after, "workforce", ["rota*"]).theme("workforce").exclude == (
        after.theme("workforce").exclude
    )
    after = remove_exclusions(after, "workforce", [before[0]])
    assert after.theme("workforce").exclude == ("staff room", "rota*")
    assert edits(codebook, after) == [
        "Workforce: added exclusions \u201cstaff room\u201d, \u201crota*\u201d",
        f"Workforce: removed exclusion \u201c{before[0]}\u201d",
    ]
    assert edits(after, after) == []
    new = add_exclusions(add_theme(codebook, "Estates", ["estates"]), "estates", ["real estate"])
    assert (
        edits(codebook, new)[-1]
        == "New theme Estates: \u201cestates\u201d; excludes \u201creal estate\u201d"
    )
    with pytest.raises(CodebookError, match="no exclusion \u201cnope\u201d to remove"):
        remove_exclusions(codebook, "workforce", ["nope"])
    with pytest.raises(CodebookError, match="no theme with the id"):
        add_exclusions(codebook, "nope", ["x"])
    with pytest.raises(CodebookError, match="two \\*"):
        add_exclusions(codebook, "workforce", ["a**"])


def test_an_exclusion_stops_the_phrase_counting_for_the_theme(codebook):
    from analysis.tagging import ThemeTagger
    from analysis.whatif import add_exclusions

    posts = pd.DataFrame(
        {"id": ["a"], "title": ["An apprentice day out"], "summary": [""], "text": [""]}
    )
    assert ThemeTagger(codebook).tag(posts).tags.loc[0, "workforce"]
    edited = add_exclusions(codebook, "workforce", ["apprentice day out"])
    assert not ThemeTagger(edited).tag(posts).tags.loc[0, "workforce"]
