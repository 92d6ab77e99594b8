"""Context terms (issue 14, item 2): a theme's ``context_terms`` count toward its score only in
a post where one of its own ``terms`` is also found, in any field. The codebook's rule, the
tagger's scores and evidence, the explanation and highlight, the method's wording, the file
format and its limits, and What if? edits of them."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from analysis import whatif
from analysis.codebook import (
    MAX_TERMS,
    MAX_THEME_TERMS,
    Codebook,
    CodebookError,
    Theme,
    check_limits,
    load_codebook,
    parse_codebook,
)
from analysis.codebook_file import codebook_toml
from analysis.explain import explain, highlight
from analysis.loading import load_posts
from analysis.tagging import ThemeTagger

#: One theme with specific terms, broad context terms and an exclusion holding a context term
#: (and one holding an own term), and a second theme for which "housing" is an own term.
TOML = """
[tagging]
title_weight = 2.0
min_score = 1.0
text_weight = 0.5

[[themes]]
id = "justice"
label = "Health justice"
colour = "#CC79A7"
definition = "Poverty and its causes."
terms = ["debt advice", "health inequalit*", "benefits"]
context_terms = ["housing", "poverty"]
exclude = ["staff housing", "benefits of"]

[[themes]]
id = "estates"
label = "Estates"
colour = "#0072B2"
definition = "Buildings."
terms = ["housing", "estates"]
"""


@pytest.fixture(scope="module")
def book() -> Codebook:
    return parse_codebook(TOML, "context.toml")


@pytest.fixture(scope="module")
def tagger(book) -> ThemeTagger:
    return ThemeTagger(book).fit()


def posts(*rows: tuple[str, str, str]) -> pd.DataFrame:
    """Posts as (title, summary, text)."""
    return pd.DataFrame(rows, columns=["title", "summary", "text"])


def scores(tagger, *rows, theme="justice") -> list[float]:
    return tagger.tag(posts(*rows)).scores[theme].tolist()


# --- the tagger ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [
        ("Housing and poverty", "", ""),
        ("", "Housing and poverty in procurement", ""),
        ("", "", "Housing, and poverty"),
        ("Housing", "poverty", "housing and poverty"),
    ],
)
def test_a_context_term_alone_gives_no_score_and_no_tag(tagger, row):
    result = tagger.tag(posts(row))
    assert result.scores.at[0, "justice"] == 0
    assert not result.tags.at[0, "justice"]
    assert tagger.transform(posts(row))[0, 0] == 0


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (("", "Debt advice", ""), 1.0),  # the own term alone: 1 in the summary
        (("Housing", "Debt advice", ""), 3.0),  # + housing in the title: 2
        (("", "Debt advice and housing", ""), 2.0),  # + housing in the summary: 1
        (("", "Debt advice", "Housing"), 1.5),  # + housing in the full text: 0.5
        (("Housing", "Debt advice and housing", "housing"), 4.5),  # each field adds its weight
        (("Housing and poverty", "Debt advice", ""), 5.0),  # each distinct context term counts
    ],
)
def test_with_an_own_term_a_context_term_adds_its_fields_weight(tagger, row, expected):
    assert scores(tagger, row) == [expected]


def test_the_own_term_may_be_in_any_field(tagger):
    got = scores(
        tagger,
        ("Housing", "", "Health inequalities"),  # own term in the text, context in the title
        ("Health inequalities", "", "housing"),  # and the other way round
    )
    assert got == [2.0 + 0.5, 2.0 + 0.5]


def test_an_own_term_found_where_it_weighs_nothing_still_lets_context_terms_count(book):
    zero_text = ThemeTagger(replace(book, text_weight=0.0)).fit()
    assert scores(zero_text, ("Housing", "", "Debt advice")) == [2.0]


def test_an_excluded_phrase_stops_a_context_term_counting(tagger):
    # "staff housing" is excluded: the housing inside it counts for nothing, even with an own term.
    assert scores(tagger, ("", "Debt advice for staff housing", "")) == [1.0]
    assert scores(tagger, ("", "Debt advice; housing; staff housing", "")) == [2.0]


def test_an_excluded_own_term_does_not_anchor_context_terms(tagger):
    # "benefits of" is excluded, so "benefits" is not found and housing has nothing to count with.
    result = tagger.tag(posts(("The benefits of housing", "", "")))
    assert result.scores.at[0, "justice"] == 0 and not result.tags.at[0, "justice"]
    assert scores(tagger, ("Benefits and housing", "", "")) == [4.0]


def test_a_phrase_may_be_one_themes_term_and_anothers_context_term(tagger):
    result = tagger.tag(posts(("Housing", "", ""), ("Housing", "debt advice", "")))
    assert result.scores["estates"].tolist() == [2.0, 2.0]  # its own term: counts alone
    assert result.scores["justice"].tolist() == [0.0, 3.0]  # context: only with debt advice
    assert result.tags["estates"].tolist() == [True, True]
    assert result.tags["justice"].tolist() == [False, True]


def test_context_terms_can_lift_a_theme_over_the_threshold(book):
    strict = ThemeTagger(replace(book, min_score=2.0)).fit()
    result = strict.tag(posts(("", "Debt advice", ""), ("", "Debt advice and poverty", "")))
    assert result.tags["justice"].tolist() == [False, True]


def test_a_codebook_without_context_terms_scores_as_before(book):
    plain = replace(book, themes=tuple(replace(t, context_terms=()) for t in book.themes))
    tagger = ThemeTagger(plain).fit()
    assert tagger.context_weights_ is None  # no second product to pay for
    rows = (("Housing", "Debt advice", "housing"), ("Housing", "", ""))
    assert scores(tagger, *rows) == [1.0, 0.0]


def test_evidence_says_which_context_terms_counted_and_which_did_not(tagger):
    evidence = tagger.tag(
        posts(
            ("Housing", "Debt advice", ""),
            ("Housing", "Nothing else", "poverty"),
        )
    ).evidence["justice"]
    assert evidence[0] == "title: housing (counts alongside debt advice); summary: debt advice"
    assert evidence[1] == (
        "title: housing (not counted without a term of this theme); "
        "text: poverty (not counted without a term of this theme)"
    )


def test_matches_say_which_themes_a_phrase_is_a_context_term_of(tagger):
    found = tagger.matches({"title": "Housing", "summary": "poverty"})
    assert [(m.phrase, m.themes, m.context) for m in found] == [
        ("housing", ("estates",), ("justice",)),
        ("poverty", (), ("justice",)),
    ]


def test_scores_are_the_rule_applied_post_by_post_on_the_bundled_posts():
    """The vectorised scores equal the rule worked out from each post's matches, with the
    broad words of the bundled codebook moved to context terms."""
    bundled = load_codebook()
    broad = ("housing", "debt", "poverty", "benefits")
    book = whatif.add_context_terms(bundled, "health_justice", broad)
    frame = load_posts()
    tagger = ThemeTagger(book).fit()
    result = tagger.tag(frame)
    weights = book.field_weights
    for row, (index, post) in enumerate(frame.iterrows()):
        found = tagger.matches(post)
        for theme in book.themes:
            own = {(m.field, m.phrase) for m in found if theme.id in m.themes}
            context = {(m.field, m.phrase) for m in found if theme.id in m.context}
            expected = sum(weights[f] for f, _ in own) + (
                sum(weights[f] for f, _ in context) if own else 0
            )
            assert result.scores.at[index, theme.id] == expected, (row, theme.id)


# --- the codebook: rule, method, limits -----------------------------------------------------------


def test_the_codebook_score_rule():
    got = Codebook.score(np.array([0.0, 1.0, 0.0]), np.array([2.0, 2.0, 0.0]), np.array([0, 1, 1]))
    assert got.tolist() == [0.0, 3.0, 0.0]


def test_phrases_list_context_terms_with_their_themes(book):
    phrases = {phrase.text: phrase for phrase in book.phrases()}
    assert (phrases["housing"].themes, phrases["housing"].context) == (("estates",), ("justice",))
    assert (phrases["poverty"].themes, phrases["poverty"].context) == ((), ("justice",))
    assert (phrases["debt advice"].themes, phrases["debt advice"].context) == (("justice",), ())


def test_the_method_states_the_rule_only_when_a_theme_has_context_terms(book):
    sentence = (
        "A term listed under context_terms counts in the same way, but only in a post where at "
        "least one of that theme's own terms is also found (in any field): on its own it adds "
        "nothing."
    )
    assert sentence in book.method
    assert book.method.index("exclude") < book.method.index(sentence)
    assert book.method.endswith("A post can carry several themes, or none (“No theme”).")
    plain = replace(book, themes=tuple(replace(t, context_terms=()) for t in book.themes))
    assert "context_terms" not in plain.method
    assert "context_terms" not in load_codebook().method or load_codebook().has_context_terms


def test_limits_count_context_terms_per_theme_and_in_all():
    many = tuple(f"w{n}" for n in range(MAX_THEME_TERMS + 1))
    theme = Theme("t", "T", "#112233", "d", ("x",), context_terms=many)
    with pytest.raises(CodebookError) as error:
        check_limits([theme], "big.toml")
    assert str(error.value) == (
        f"big.toml: theme 't': context_terms lists {MAX_THEME_TERMS + 1} terms: at most "
        f"{MAX_THEME_TERMS} per theme"
    )
    check_limits([replace(theme, context_terms=many[:MAX_THEME_TERMS])], "ok.toml")
    themes = [
        Theme(
            f"t{n}",
            f"T{n}",
            "#112233",
            "d",
            tuple(f"t{n}w{m}" for m in range(MAX_THEME_TERMS // 2)),
            context_terms=tuple(f"t{n}c{m}" for m in range(MAX_THEME_TERMS // 2)),
        )
        for n in range(MAX_TERMS // MAX_THEME_TERMS)
    ]
    check_limits(themes, "full.toml")
    extra = replace(themes[0], context_terms=(*themes[0].context_terms, "one more"))
    with pytest.raises(CodebookError, match="2,001 distinct terms, context terms and exclusions"):
        check_limits([extra, *themes[1:]], "full.toml")


# --- the file -----------------------------------------------------------------------------------


def test_the_file_reads_context_terms_normalised(book):
    assert book.theme("justice").context_terms == ("housing", "poverty")
    assert book.theme("estates").context_terms == ()
    typed = TOML.replace('["housing", "poverty"]', '["  Housing ", "POVERTY", "housing"]')
    assert parse_codebook(typed).theme("justice").context_terms == ("housing", "poverty")


def test_the_writer_puts_context_terms_after_terms_and_reads_back(book):
    text = codebook_toml(book)
    assert (
        'terms = ["debt advice", "health inequalit*", "benefits"]\n'
        'context_terms = ["housing", "poverty"]\n'
        'exclude = ["staff housing", "benefits of"]\n'
    ) in text
    estates = text[text.index('id = "estates"') :]
    assert "context_terms" not in estates  # a theme without them is written as before
    assert parse_codebook(text, "context.toml") == book
    assert codebook_toml(parse_codebook(text)) == text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            '["housing", "debt advice"]',
            "context.toml: theme 'justice': context_terms: the term 'debt advice' is also under "
            "terms: list it once",
        ),
        (
            '["staff housing"]',
            "context.toml: theme 'justice': context_terms: the term 'staff housing' is also "
            "under exclude: list it once",
        ),
        (
            '"housing"',
            "context.toml: theme 'justice': context_terms must be a list of strings "
            "(got 'housing')",
        ),
        (
            '["housing", 3]',
            "context.toml: theme 'justice': context_terms must be a list of strings (item 2 is 3)",
        ),
        (
            '["hous*ing"]',
            "context.toml: theme 'justice': context_terms: the term 'hous*ing' has a * inside a "
            "word: a * may only end a word",
        ),
    ],
)
def test_errors_in_context_terms_name_the_file_theme_and_key(change, message):
    with pytest.raises(CodebookError) as error:
        parse_codebook(TOML.replace('["housing", "poverty"]', change), "context.toml")
    assert str(error.value) == message


def test_a_misspelt_context_terms_key_is_refused_with_a_suggestion():
    with pytest.raises(CodebookError) as error:
        parse_codebook(TOML.replace("context_terms =", "context_term ="), "context.toml")
    assert str(error.value) == (
        "context.toml: theme 'justice': unknown key 'context_term' (did you mean 'context_terms'?)"
    )


def test_too_many_context_terms_in_a_file_name_the_key():
    many = ", ".join(f'"w{n}"' for n in range(MAX_THEME_TERMS + 1))
    with pytest.raises(CodebookError) as error:
        parse_codebook(TOML.replace('["housing", "poverty"]', f"[{many}]"), "context.toml")
    assert str(error.value) == (
        f"context.toml: theme 'justice': context_terms lists {MAX_THEME_TERMS + 1} terms: at "
        f"most {MAX_THEME_TERMS} per theme"
    )


# --- explaining a tag ----------------------------------------------------------------------------


def explained(tagger, book, row) -> str:
    post = posts(row).iloc[0]
    result = tagger.tag(posts(row))
    return {e.theme: e for e in explain(tagger.matches(post), result.scores.iloc[0], book)}[
        "justice"
    ]


def test_explain_says_a_context_term_counted_alongside_a_term(tagger, book):
    why = explained(tagger, book, ("Housing", "Debt advice", ""))
    assert why.given and why.score == 3.0
    assert why.reason == (
        "Score 3 reaches the threshold of 1. Matched in title (2 each): “housing” (counts "
        "alongside “debt advice”); summary (1 each): “debt advice”."
    )


def test_explain_says_a_context_term_alone_did_not_count(tagger, book):
    why = explained(tagger, book, ("Housing", "", "poverty"))
    assert not why.given and why.score == 0
    assert why.reason == (
        "No term of this theme appears in the title, summary or text. Not counted, as context "
        "terms count only alongside a term of the theme: “housing”, “poverty”."
    )


def test_explain_keeps_naming_exclusions_beside_context_terms(tagger, book):
    why = explained(tagger, book, ("Staff housing", "Debt advice and poverty", ""))
    assert why.reason == (
        "Score 2 reaches the threshold of 1. Matched in summary (1 each): “debt advice”, "
        "“poverty” (counts alongside “debt advice”). Not counted, as the codebook excludes "
        "them: “staff housing”."
    )


def test_highlight_marks_a_context_term_only_where_it_counted(tagger, book):
    counted = tagger.matches({"title": "Poverty", "summary": "debt advice"})
    alone = tagger.matches({"title": "Poverty", "summary": ""})
    marked = highlight("Poverty", counted, "title", book)
    assert marked.startswith('<mark title="Health justice: poverty"')
    assert marked.endswith(">Poverty</mark>")
    assert highlight("Poverty", alone, "title", book) == "Poverty"


# --- What if? -----------------------------------------------------------------------------------


def test_add_context_terms_moves_an_own_term_and_appends_new_ones(book):
    edited = whatif.add_context_terms(book, "justice", ["Benefits", "rent arrears", "housing"])
    theme = edited.theme("justice")
    assert theme.terms == ("debt advice", "health inequalit*")
    assert theme.context_terms == ("housing", "poverty", "benefits", "rent arrears")
    assert edited.version.endswith("+what-if")
    assert book.theme("justice").terms == ("debt advice", "health inequalit*", "benefits")
    tags = (
        ThemeTagger(edited).fit().tag(posts(("Benefits", "", ""), ("Benefits", "debt advice", "")))
    )
    assert tags.tags["justice"].tolist() == [False, True]


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ([], "Health justice: type at least one context term to add"),
        (["hous*ing"], "Health justice: the term “hous*ing” has a * inside a word"),
        (["staff housing"], "Health justice: “staff housing” is excluded, so cannot be"),
        (
            ["debt advice", "health inequalit*", "benefits"],
            "Health justice: cannot make every term a context term",
        ),
    ],
)
def test_add_context_terms_refuses(book, terms, message):
    with pytest.raises(CodebookError) as error:
        whatif.add_context_terms(book, "justice", terms)
    assert str(error.value).startswith(message)


def test_remove_context_terms(book):
    edited = whatif.remove_context_terms(book, "justice", ["POVERTY"])
    assert edited.theme("justice").context_terms == ("housing",)
    assert edited.theme("justice").terms == book.theme("justice").terms
    with pytest.raises(CodebookError) as error:
        whatif.remove_context_terms(book, "justice", ["rent"])
    assert str(error.value) == "Health justice: there is no context term “rent” to remove"
    with pytest.raises(CodebookError, match="choose at least one context term to remove"):
        whatif.remove_context_terms(book, "justice", [])


def test_adding_a_context_term_as_a_term_makes_it_count_on_its_own(book):
    edited = whatif.add_terms(book, "justice", ["housing"])
    assert edited.theme("justice").terms[-1] == "housing"
    assert edited.theme("justice").context_terms == ("poverty",)
    relinked = whatif.set_terms(book, "justice", ["debt advice", "poverty"])
    assert relinked.theme("justice").context_terms == ("housing",)


def test_edits_describe_context_term_changes(book):
    edited = whatif.add_context_terms(book, "justice", ["benefits", "rent", "arrears"])
    edited = whatif.remove_context_terms(edited, "justice", ["poverty"])
    assert whatif.edits(book, edited) == [
        "Health justice: “benefits” now counts only alongside a term",
        "Health justice: added context terms “rent”, “arrears”",
        "Health justice: removed context term “poverty”",
    ]
    back = whatif.add_terms(book, "justice", ["housing", "poverty"])
    assert whatif.edits(book, back) == [
        "Health justice: “housing”, “poverty” now count on their own",
    ]
    assert whatif.edits(book, whatif.remove_context_terms(book, "justice", ["housing"])) == [
        "Health justice: removed context term “housing”"
    ]
    assert whatif.edits(book, book) == []


def test_edits_name_a_new_themes_context_terms(book):
    plain = replace(book, themes=book.themes[1:])
    assert whatif.edits(plain, book) == [
        "New theme Health justice: “debt advice”, “health inequalit*”, “benefits”; "
        "context “housing”, “poverty”; excludes “staff housing”, “benefits of”"
    ]
