"""analysis.explain: safe highlighting of matched terms and a reason per theme."""

from __future__ import annotations

import re

import pandas as pd

from analysis.codebook import parse_codebook
from analysis.explain import Explanation, explain, highlight, review_notes, reviewed_evidence
from analysis.figure_style import lighten
from analysis.tagging import Match, ThemeTagger


def post(title: str, summary: str) -> dict[str, str]:
    return {"title": title, "summary": summary}


def test_highlight_escapes_everything(tagger, codebook):
    summary = 'Apprentices <img src=x onerror=alert(1)> & "quotes" for <b>homeless</b> people'
    matches = tagger.matches(post("", summary))
    html = highlight(summary, matches, "summary", codebook)
    assert "<img" not in html
    assert "<b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&amp; &quot;quotes&quot;" in html
    assert "&lt;b&gt;<mark" in html  # the term inside the tag is marked, the tag is text
    # the only tags are the highlighter's own marks
    assert set(re.findall(r"</?([a-zA-Z]+)", html)) == {"mark"}


def test_highlight_marks_terms_in_the_theme_colour(tagger, codebook):
    summary = "New apprentices and legal advice."
    html = highlight(summary, tagger.matches(post("", summary)), "summary", codebook)
    marks = re.findall(r'<mark title="([^"]*)" style="([^"]*)">([^<]*)</mark>', html)
    assert [(title, text) for title, _, text in marks] == [
        ("Workforce: apprentice*", "apprentices"),
        ("Health justice: legal advice", "legal advice"),
    ]
    workforce_style = marks[0][1]
    assert f"background:{lighten(codebook.colours['workforce'], 0.6)}" in workforce_style
    assert f"border-bottom:3px solid {codebook.colours['workforce']}" in workforce_style
    assert re.sub(r"<[^>]+>", "", html) == summary  # the text is otherwise unchanged


def test_highlight_only_marks_the_given_field_and_not_exclusions(tagger, codebook):
    item = post("Apprentices", "The benefits of walking")
    matches = tagger.matches(item)
    assert highlight(item["summary"], matches, "summary", codebook) == "The benefits of walking"
    assert "<mark" in highlight(item["title"], matches, "title", codebook)


def test_highlight_skips_overlapping_matches(codebook):
    text = "living wage"
    matches = [
        Match("summary", 0, 11, "living wage*", ("living_wage",)),
        Match("summary", 7, 11, "wages", ("living_wage",)),
    ]
    html = highlight(text, matches, "summary", codebook)
    assert html.count("<mark") == 1
    assert html.endswith(">living wage</mark>")


def test_highlight_mark_title_names_every_theme_of_a_shared_term(codebook):
    matches = [Match("title", 0, 4, "both", ("workforce", "racial_equity"))]
    html = highlight("Both sides", matches, "title", codebook)
    assert 'title="Workforce, Racial equity: both"' in html
    assert html.endswith("</mark> sides")


def test_explain_gives_one_explanation_per_theme_in_codebook_order(tagger, codebook):
    item = post("Apprentices", "Recruiting apprentices; the benefits of walking")
    scores = pd.Series(tagger.transform(pd.DataFrame([item]))[0], index=codebook.ids)
    explanations = explain(tagger.matches(item), scores, codebook)

    assert [e.theme for e in explanations] == codebook.ids
    assert all(isinstance(e, Explanation) for e in explanations)
    workforce, living_wage, _, health_justice = explanations
    assert (workforce.label, workforce.given, workforce.score) == ("Workforce", True, 4.0)
    assert workforce.reason == (
        "Score 4 reaches the threshold of 1. Matched in title (2 each): “apprentice*”; "
        "summary (1 each): “recruit*”, “apprentice*”."
    )
    assert (living_wage.given, living_wage.score) == (False, 0.0)
    assert living_wage.reason == "No term of this theme appears in the title, summary or text."
    assert health_justice.given is False
    assert health_justice.reason.endswith(
        "Not counted, as the codebook excludes them: “benefits of”."
    )


def test_explain_below_the_threshold():
    book = parse_codebook(
        "[tagging]\nmin_score = 2\n[[themes]]\n"
        'id = "alpha"\nlabel = "Alpha"\ncolour = "#112233"\ndefinition = "A."\nterms = ["apple"]\n'
    )
    tagger = ThemeTagger(book).fit()
    item = post("Nothing", "An apple")
    scores = pd.Series(tagger.transform(pd.DataFrame([item]))[0], index=book.ids)
    (only,) = explain(tagger.matches(item), scores, book)
    assert only.given is False
    assert only.reason == (
        "Score 1 is below the threshold of 2. Matched in summary (1 each): “apple”."
    )


def test_explain_agrees_with_the_tags_of_every_bundled_post(bundled):
    for row in bundled.posts.index:
        matches = bundled.tagger.matches(bundled.posts.loc[row])
        explanations = explain(matches, bundled.result.scores.loc[row], bundled.codebook)
        assert [e.given for e in explanations] == bundled.tags.loc[row].tolist()
        assert [e.score for e in explanations] == bundled.result.scores.loc[row].tolist()


# --- reviewed mode: what a reviewer did, in words --------------------------------------------


def decisions(*rows) -> pd.DataFrame:
    """A ``ReviewStore.current()``-like frame of (post_id, theme, value, reviewer) rows."""
    return pd.DataFrame(rows, columns=["post_id", "theme", "value", "reviewer"])


def test_review_notes_name_who_added_removed_or_confirmed_a_theme():
    machine = pd.Series({"workforce": False, "living_wage": True, "racial_equity": True})
    current = decisions(
        ("p1", "workforce", True, "Asha"),
        ("p1", "living_wage", False, "Ben"),
        ("p1", "racial_equity", True, "Chidi"),
        ("p2", "workforce", False, "Dee"),  # another post
        ("p1", "no_such_theme", True, "Eve"),  # not among the tags
    )
    notes = review_notes("p1", machine, current)
    assert {theme: note.text for theme, note in notes.items()} == {
        "workforce": "added by Asha",
        "living_wage": "removed by Ben",
        "racial_equity": "confirmed by Chidi",
    }


def test_explain_in_reviewed_mode_says_added_by_not_no_term(tagger, codebook):
    item = {"title": "Nothing to see", "summary": "A post about gardens."}
    scores = pd.Series(tagger.transform(pd.DataFrame([item]))[0], index=codebook.ids)
    machine = pd.Series(False, index=codebook.ids)
    notes = review_notes("p1", machine, decisions(("p1", "workforce", True, "Asha")))
    reasons = {e.theme: e for e in explain(tagger.matches(item), scores, codebook, notes)}
    added = reasons["workforce"]
    assert added.given is True
    assert added.review == "added by Asha"
    assert added.reason == (
        "Added by Asha. The machine did not give it: no term of this theme appears in the "
        "title, summary or text."
    )
    untouched = reasons["living_wage"]
    assert (untouched.given, untouched.review) == (False, None)
    assert untouched.reason.startswith("No term of this theme appears")


def test_reviewed_evidence_says_who_changed_a_tag_and_keeps_the_rest():
    posts = pd.DataFrame({"id": ["p1", "p2", "p3"]}, index=[10, 11, 12])
    machine = pd.DataFrame({"workforce": [False, True, True]}, index=posts.index)
    evidence = pd.DataFrame({"workforce": ["", "summary: “apprentice”", "title: “jobs”"]},
                            index=posts.index)  # fmt: skip
    current = decisions(
        ("p1", "workforce", True, "Asha"),  # added
        ("p2", "workforce", False, "<b>Ben</b>"),  # removed: the name is kept as written
        ("p3", "workforce", True, "Chidi"),  # confirmed: the machine's evidence stands
        ("elsewhere", "workforce", True, "Dee"),  # a post not among these
    )
    out = reviewed_evidence(posts, machine, evidence, current)
    assert out["workforce"].tolist() == [
        "added by Asha",
        "removed by <b>Ben</b>; matched: summary: “apprentice”",
        "title: “jobs”",
    ]
    assert evidence["workforce"].iloc[0] == ""  # the machine's evidence is not changed
