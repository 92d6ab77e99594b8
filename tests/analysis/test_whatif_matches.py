"""analysis.whatif.term_matches: does a typed term match any post? And the README's example.

Kept apart from test_whatif.py, whose edits' validation changes separately.
"""

from __future__ import annotations

import pytest

from analysis.codebook import CodebookError
from analysis.coverage import cooccurrence, coverage_over_time, theme_totals
from analysis.tagging import ThemeTagger
from analysis.whatif import add_terms, compare, term_matches, typed_note, unmatched_note

LIVING_WAGE_POST = "health-anchors-in-london-and-the-london-living-wage"


def test_procure_matches_no_bundled_post_and_says_so(bundled):
    matches = term_matches(bundled.posts, bundled.codebook, "workforce", "procure*")
    assert matches == {"procure*": 0}
    assert unmatched_note(matches) == (
        "“procure*” matches no post, so the charts do not change for it."
    )


def test_typed_terms_are_parsed_and_an_invalid_one_says_nothing_here(bundled):
    posts, codebook = bundled.posts, bundled.codebook
    assert typed_note(posts, codebook, "workforce", "procure*; Employ*, tender*") == (
        "“procure*” and “tender*” match no post, so the charts do not change for them."
    )
    assert typed_note(posts, codebook, "workforce", "employ*") == ""
    assert typed_note(posts, codebook, "workforce", " , ") == ""
    assert typed_note(posts, codebook, "workforce", "*") == ""  # Add terms says what is wrong


def test_counts_follow_the_taggers_rules(bundled):
    matches = term_matches(
        bundled.posts, bundled.codebook, "workforce", ["Employ*", "employment", "tender*"]
    )
    # "employment" appears only inside longer Workforce terms ("routes into employment"),
    # which win, so on its own it adds nothing.
    assert matches == {"employ*": 1, "employment": 0, "tender*": 0}
    assert unmatched_note(matches) == (
        "“employment” and “tender*” match no post, so the charts do not change for them."
    )
    assert term_matches(bundled.posts, bundled.codebook, "health_justice", "communit*") == {
        "communit*": 4
    }
    # a term the theme already lists counts its own posts
    assert term_matches(bundled.posts, bundled.codebook, "workforce", "workforce") == {
        "workforce": 2
    }
    assert unmatched_note({"workforce": 2}) == ""


def test_unusable_terms_raise_as_the_edit_would(bundled):
    with pytest.raises(CodebookError, match="must start with a letter or digit"):
        term_matches(bundled.posts, bundled.codebook, "workforce", "*x")
    with pytest.raises(CodebookError, match="no theme with the id"):
        term_matches(bundled.posts, bundled.codebook, "bogus", "x")


def test_the_proposed_readme_example_visibly_changes_the_charts(bundled):
    """Adding employ* to Workforce: the London Living Wage post gains Workforce, a Workforce
    bar appears in 2022 Q4, Workforce's total goes from 3 to 4 and the co-occurrence matrix
    gets its first cell off the diagonal (Workforce and Living wage: 1)."""
    codebook = bundled.codebook
    assert term_matches(bundled.posts, codebook, "workforce", "employ*") == {"employ*": 1}
    edited = add_terms(codebook, "workforce", ["employ*"])
    after = ThemeTagger(edited).fit().tag(bundled.posts).tags
    (change,) = [
        c for c in compare(bundled.posts, bundled.tags, after, codebook, edited) if c.changed
    ]
    assert change.summary == "Workforce: +1 post"
    assert change.gained == (LIVING_WAGE_POST,)

    def bar(tags):
        table = coverage_over_time(bundled.posts, tags, "quarter", ["workforce"])
        return int(table.loc[table["period_label"] == "2022 Q4", "posts"].iloc[0])

    assert (bar(bundled.tags), bar(after)) == (0, 1)
    totals = [theme_totals(t, codebook).set_index("series").loc["workforce", "posts"]
              for t in (bundled.tags, after)]  # fmt: skip
    assert totals == [3, 4]
    cells = [cooccurrence(t).loc["workforce", "living_wage"] for t in (bundled.tags, after)]
    assert cells == [0, 1]
