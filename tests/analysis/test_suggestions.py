"""analysis.suggestions: on small hand-made labelled corpora where the right suggestion is known."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import suggestions as S
from analysis.codebook import Codebook, Theme, check_terms, term_problem, term_regex
from analysis.suggestions import improved, labels_from_reviews, suggest, term_for
from analysis.tagging import ThemeTagger


def theme(theme_id: str, terms, exclude=()) -> Theme:
    return Theme(
        id=theme_id,
        label=theme_id.replace("_", " ").capitalize(),
        colour="#123456",
        definition="About " + theme_id,
        terms=tuple(terms),
        exclude=tuple(exclude),
    )


def corpus(rows):
    """posts and labels from (id, title, summary, {theme: 0/1})."""
    posts = pd.DataFrame(
        {"id": [r[0] for r in rows], "title": [r[1] for r in rows], "summary": [r[2] for r in rows]}
    )
    themes = sorted({t for r in rows for t in r[3]})
    labels = pd.DataFrame({"id": posts["id"]})
    for t in themes:
        labels[t] = [bool(r[3].get(t, 0)) for r in rows]
    labels["note"] = ""
    return posts, labels


# Housing: four posts about eviction the codebook (only "housing") misses.
HOUSING = corpus(
    [
        (
            "h1",
            "Eviction crisis",
            "Families face eviction after rent rises",
            {"housing": 1, "other": 0},
        ),
        ("h2", "Stopping evictions", "Legal help stops evictions in the borough", {"housing": 1}),
        ("h3", "Eviction support", "Tenants get advice before an eviction", {"housing": 1}),
        ("h4", "After an eviction", "What happens to children after eviction", {"housing": 1}),
        ("h5", "Housing for all", "Social housing waiting lists grow", {"housing": 1}),
        ("n1", "Park opening", "A new park opens for families", {"housing": 0}),
        ("n2", "Library hours", "The library opens late on Thursdays", {"housing": 0}),
        ("n3", "Choir concert", "Staff choir sings for patients", {"housing": 0}),
        ("n4", "Cycling to work", "More staff cycle to the hospital", {"housing": 0}),
        ("n5", "Annual report", "Our year in numbers for families", {"housing": 0}),
        ("n6", "New canteen", "The canteen serves local food", {"housing": 0}),
    ]
)
HOUSING_BOOK = Codebook(themes=(theme("housing", ["housing"]), theme("other", ["banana"])))

# Justice: "benefits" fires on "the benefits of ..." posts; "grant*" only on negatives.
JUSTICE = corpus(
    [
        ("j1", "Claiming benefits", "Help to claim what people are owed", {"justice": 1}),
        ("j2", "Benefits checks", "Welfare rights checks in GP surgeries", {"justice": 1}),
        ("j3", "Legal advice in hospitals", "Lawyers on the ward", {"justice": 1}),
        ("j4", "Legal advice for tenants", "A clinic in the outpatients hall", {"justice": 1}),
        ("k1", "Why networks", "We set out the benefits of working together", {"justice": 0}),
        ("k2", "Green space", "The benefits of parks for wellbeing", {"justice": 0}),
        ("k3", "Why join", "Members describe the benefits of joining", {"justice": 0}),
        ("k4", "Research news", "New grants for researchers this year", {"justice": 0}),
        ("k5", "Student news", "More grants for students in nursing", {"justice": 0}),
        ("k6", "Annual report", "Our year in numbers", {"justice": 0}),
        ("k7", "Grants awarded", "Grants for new clinics", {"justice": 0}),
    ]
)
JUSTICE_BOOK = Codebook(themes=(theme("justice", ["benefits", "legal advice", "grant*"]),))


def of(found, theme_id):
    return [s for s in found if s.theme == theme_id]


def test_a_missing_term_the_positives_share_is_suggested_with_the_posts_it_gains():
    posts, labels = HOUSING
    found = suggest(posts, labels, HOUSING_BOOK)
    best = of(found, "housing")[0]
    assert (best.action, best.term) == ("add", "eviction*")
    assert best.gained == ("h1", "h2", "h3", "h4")
    assert best.lost == ()
    assert best.support == 4
    assert best.before == pytest.approx({"precision": 1.0, "recall": 0.2, "f1": 1 / 3})
    assert best.after["f1"] > best.before["f1"]
    assert best.text.startswith(
        "Add “eviction*” to Housing: 4 posts gain it (cross-validated F1 0.333 → "
    )
    assert best.text.endswith("; learned from 4 labelled posts).")
    assert "eviction*" in improved(HOUSING_BOOK, found).theme("housing").terms


def test_a_phrase_that_fires_on_negatives_is_excluded_where_dropping_the_term_would_lose_positives():
    posts, labels = JUSTICE
    found = of(suggest(posts, labels, JUSTICE_BOOK), "justice")
    exclude = [s for s in found if s.action == "exclude" and s.guards == "benefits"]
    assert [(s.term, s.guards, s.lost, s.gained) for s in exclude] == [
        ("benefits of", "benefits", ("k1", "k2", "k3"), ())
    ]
    # Dropping "benefits" would lose j1 and j2 too: not suggested.
    assert ("drop", "benefits") not in {(s.action, s.term) for s in found}
    assert exclude[0].after["f1"] > exclude[0].before["f1"]
    assert "“benefits” does not count inside it" in exclude[0].text
    book = improved(JUSTICE_BOOK, found)
    assert book.theme("justice").exclude == ("benefits of",)


def test_a_term_that_fires_only_on_negatives_is_suggested_to_drop():
    posts, labels = JUSTICE
    found = of(suggest(posts, labels, JUSTICE_BOOK), "justice")
    drops = [s for s in found if s.action == "drop"]
    assert [(s.term, s.lost, s.gained, s.support) for s in drops] == [
        ("grant*", ("k4", "k5", "k7"), (), 3)
    ]
    assert drops[0].text.startswith("Drop “grant*” from Justice: 3 posts lose it")
    assert "grant*" not in improved(JUSTICE_BOOK, found).theme("justice").terms


def test_suggestions_are_ranked_by_the_rise_in_cross_validated_f1():
    posts, labels = JUSTICE
    found = suggest(posts, labels, JUSTICE_BOOK)
    rises = [s.f1_change for s in found]
    assert len(found) >= 2 and rises == sorted(rises, reverse=True)


def test_a_term_found_in_one_post_only_cannot_raise_held_out_f1(monkeypatch):
    """Even when a single post is enough to learn a term, cross-validation gives it no rise:
    whenever that post is held out, the term is not learned."""
    monkeypatch.setattr(S, "MIN_SUPPORT", 1)
    monkeypatch.setattr(S, "MIN_DF", 1)
    posts, labels = HOUSING
    posts = pd.concat(
        [posts, pd.DataFrame({"id": ["q1"], "title": ["Quokka"], "summary": ["Quokka."]})],
        ignore_index=True,
    )
    labels = pd.concat(
        [labels, pd.DataFrame({"id": ["q1"], "housing": [True], "other": [False], "note": [""]})],
        ignore_index=True,
    )
    found = suggest(posts, labels, HOUSING_BOOK, per_theme=20)
    quokka = [s for s in found if s.term == "quokka"]
    assert len(quokka) == 1
    assert quokka[0].gained == ("q1",)
    assert quokka[0].after == quokka[0].before
    assert "quokka" not in improved(HOUSING_BOOK, found).theme("housing").terms


def test_a_suggestion_never_changes_another_themes_tags():
    """Adding "wage campaign" to Campaigns would hide Pay's "wage" inside it: not suggested."""
    posts, labels = corpus(
        [
            ("c1", "Wage campaign launched", "The wage campaign grows", {"camp": 1, "pay": 1}),
            ("c2", "Wage campaign wins", "A wage campaign success", {"camp": 1, "pay": 1}),
            ("c3", "A wage campaign", "Staff join the wage campaign", {"camp": 1, "pay": 1}),
            ("e1", "Election campaign", "On the campaign trail", {"camp": 0, "pay": 0}),
            ("e2", "Campaign season", "Another campaign begins", {"camp": 0, "pay": 0}),
            ("e3", "Campaign news", "A campaign for votes", {"camp": 0, "pay": 0}),
            ("p1", "Wage rises", "A wage rise for porters", {"camp": 0, "pay": 1}),
            ("z1", "Annual report", "Our year in numbers", {"camp": 0, "pay": 0}),
        ]
    )
    book = Codebook(themes=(theme("camp", ["rally"]), theme("pay", ["wage"])))
    found = suggest(posts, labels, book, per_theme=20)
    assert "wage campaign" not in {s.term for s in found}
    tags = ThemeTagger(book).fit().tag(posts).tags
    for s in found:
        after = ThemeTagger(s.apply(book)).fit().tag(posts).tags
        others = [t for t in book.ids if t != s.theme]
        assert after[others].equals(tags[others]), s


@pytest.mark.parametrize("name", ["HOUSING", "JUSTICE"])
def test_every_suggested_term_parses_and_does_what_it_claims(name):
    (posts, labels), book = {
        "HOUSING": (HOUSING, HOUSING_BOOK),
        "JUSTICE": (JUSTICE, JUSTICE_BOOK),
    }[name]
    found = suggest(posts, labels, book, per_theme=20)
    assert found
    before = ThemeTagger(book).fit().tag(posts).tags
    for s in found:
        assert check_terms([s.term], "x") == (s.term,)
        edited = s.apply(book)
        assert edited.version.endswith("+what-if")
        tagger = ThemeTagger(edited).fit()
        after = tagger.tag(posts).tags[s.theme]
        ids = posts["id"]
        assert tuple(ids[after & ~before[s.theme]]) == s.gained, s
        assert tuple(ids[before[s.theme] & ~after]) == s.lost, s
        truth = labels.set_index("id")[s.theme]
        if s.action == "add":  # posts labelled with the theme that hold the term
            holding = posts[
                [s.term in {m.phrase for m in tagger.matches(p)} for _, p in posts.iterrows()]
            ]
            assert s.support == int(truth[holding["id"]].sum()), s
        else:  # the posts not labelled with the theme that it untags
            assert s.support == sum(not truth[post] for post in s.lost), s
        if s.action == "add":
            for post_id in s.gained:
                post = posts[ids == post_id].iloc[0]
                assert s.term in {m.phrase for m in tagger.matches(post)}, (s, post_id)


def test_forms_of_a_word_become_one_stem_with_a_star():
    assert term_for(["evictions", "eviction"]) == "eviction*"
    assert term_for(["house", "housing", "houses"]) == "hous*"
    assert term_for(["recruit"]) == "recruit"
    assert term_for(["car", "cat"]) is None  # a stem of fewer than four letters is too broad
    assert S.stem("houses") == S.stem("housing") == S.stem("house")


LETTERS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü", min_size=0, max_size=6)


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü", min_size=1, max_size=10),
    st.lists(LETTERS, min_size=1, max_size=4),
)
def test_a_term_made_from_forms_parses_and_matches_each_form_as_a_whole_word(head, tails):
    forms = [head + tail for tail in tails]
    term = term_for(forms)
    if len(set(forms)) == 1:
        assert term == forms[0]
    elif len(head) >= S.MIN_STEM:
        assert term is not None and term.endswith("*")
    if term is None:
        return
    assert term_problem(term) is None
    pattern = re.compile(term_regex(term))
    for form in forms:
        match = pattern.search(f"see {form}, then")
        assert match is not None and match.group(0) == form


def test_labels_from_reviews_take_the_reviewers_latest_decisions():
    posts, _ = HOUSING
    current = pd.DataFrame(
        {
            "post_id": ["n1", "h1", "h1", "gone", "h5"],
            "theme": ["housing", "housing", "other", "housing", "nope"],
            "value": [True, True, False, True, False],
        }
    )
    labels = labels_from_reviews(posts, current, HOUSING_BOOK)
    assert labels["id"].tolist() == ["h1", "n1"]  # the posts' order; unknown ids and themes ignored
    assert labels["housing"].tolist() == [True, True]
    assert labels["other"].tolist() == [False, False]
    assert list(labels.columns) == ["id", "housing", "other", "note"]


def test_labels_from_reviews_keep_the_codebook_tag_where_no_decision_was_made():
    posts, _ = HOUSING
    current = pd.DataFrame({"post_id": ["h5"], "theme": ["other"], "value": [True]})
    labels = labels_from_reviews(posts, current, HOUSING_BOOK)
    assert labels.to_dict("list") == {
        "id": ["h5"],
        "housing": [True],  # tagged by "housing", not decided on: it stands
        "other": [True],
        "note": ["from reviews"],
    }


def test_reviews_turned_into_labels_drive_suggestions():
    posts, labels = HOUSING
    current = pd.DataFrame(
        {"post_id": labels["id"], "theme": "housing", "value": labels["housing"]}
    )
    found = suggest(posts, labels_from_reviews(posts, current, HOUSING_BOOK), HOUSING_BOOK)
    assert ("add", "eviction*") in {(s.action, s.term) for s in found}


def test_too_few_labelled_posts_give_no_suggestions():
    posts, labels = HOUSING
    assert suggest(posts, labels.head(1), HOUSING_BOOK) == []
    assert suggest(posts, labels.iloc[0:0], HOUSING_BOOK) == []


def test_improved_passes_over_a_term_an_added_one_already_matches():
    posts, labels = HOUSING
    found = suggest(posts, labels, HOUSING_BOOK, per_theme=20)
    best = of(found, "housing")[0]
    assert best.term == "eviction*"
    redundant = [
        S.Suggestion("housing", "add", term, ("h1",), (), best.before, best.after, 2)
        for term in ("evictions", "eviction notices")
    ]
    book = improved(HOUSING_BOOK, [best, *redundant])
    assert book.theme("housing").terms == ("housing", "eviction*")
    # the suggest command's "N suggestions applied" counts these: the ones passed over are not
    assert S.improvements(HOUSING_BOOK, [best, *redundant]) == (book, (best,))
    alone = improved(HOUSING_BOOK, redundant)
    assert alone.theme("housing").terms == ("housing", "evictions", "eviction notices")


def test_improved_passes_over_a_stem_that_only_widens_a_word_already_listed():
    # python -m analysis suggest on bench/data wrote "patients" and then "patient*": the stem
    # matches the word applied before it, so listing both says one thing twice
    posts, labels = HOUSING
    best = of(suggest(posts, labels, HOUSING_BOOK, per_theme=20), "housing")[0]

    def add(term, less=0.0):
        after = {**best.after, "f1": best.after["f1"] - less}
        return S.Suggestion("housing", "add", term, ("h1",), (), best.before, after, 2)

    # best first: "evictions" raises F1 most, so it is applied before the stem that covers it
    found = [add("eviction*", less=0.01), add("evicted", less=0.02), add("evictions")]
    book = improved(HOUSING_BOOK, found)
    assert book.theme("housing").terms == ("housing", "evictions", "evicted")
    # an existing term of the theme counts as much as one applied before (the theme's name too)
    assert improved(HOUSING_BOOK, [add("housing*")]).theme("housing").terms == ("housing",)
    # a stem that reaches further than one listed word (into a phrase's words) is still added
    listed = improved(HOUSING_BOOK, [add("eviction notices"), add("eviction*", less=0.01)])
    assert listed.theme("housing").terms == ("housing", "eviction notices", "eviction*")


def test_suggestions_are_hashable_and_equal_by_content():
    posts, labels = HOUSING
    first, again = suggest(posts, labels, HOUSING_BOOK), suggest(posts, labels, HOUSING_BOOK)
    assert first == again
    assert {s: s.term for s in first}[again[0]] == "eviction*"


@pytest.mark.skipif(not S._CONTEXT, reason="needs context terms (helper signals) on main")
def test_a_broad_term_found_beside_the_themes_others_is_made_a_context_term():
    posts, labels = corpus(
        [
            ("p1", "Legal advice on housing", "Housing cases at the clinic", {"justice": 1}),
            ("p2", "Housing and legal advice", "Tenants get legal advice", {"justice": 1}),
            ("p3", "Legal advice in wards", "Lawyers on the ward", {"justice": 1}),
            ("p4", "Legal advice for carers", "Housing help too", {"justice": 1}),
            ("n1", "Housing market news", "Prices rise again", {"justice": 0}),
            ("n2", "New housing estate", "Homes near the hospital", {"justice": 0}),
            ("n3", "Staff housing", "Rooms for nurses", {"justice": 0}),
            ("n4", "Annual report", "Our year in numbers", {"justice": 0}),
        ]
    )
    book = Codebook(themes=(theme("justice", ["housing", "legal advice"]),))
    found = suggest(posts, labels, book)
    best = found[0]
    assert (best.action, best.term, best.lost, best.gained) == (
        "context",
        "housing",
        ("n1", "n2", "n3"),
        (),
    )
    assert ("drop", "housing") not in {(s.action, s.term) for s in found}  # same effect
    assert best.text.startswith("Make “housing” a context term of Justice: 3 posts lose it")
    edited = best.apply(book).theme("justice")
    assert (edited.terms, edited.context_terms) == (("legal advice",), ("housing",))
    assert improved(book, found).theme("justice").context_terms == ("housing",)


def test_a_missing_label_counts_as_no_and_a_repeated_id_as_its_first_row():
    posts, labels = HOUSING
    gaps = labels.astype({"housing": object})
    gaps.loc[gaps["id"] == "n1", "housing"] = float("nan")
    repeated = pd.concat([gaps, gaps[gaps["id"] == "h1"].assign(housing=False)], ignore_index=True)
    found = suggest(posts, repeated, HOUSING_BOOK)
    assert found == suggest(posts, labels, HOUSING_BOOK)


def test_posts_are_vectorised_once_however_many_folds(monkeypatch):
    """Words and phrases are read once (two vectorisers); the folds only count rows."""
    from sklearn.feature_extraction.text import CountVectorizer

    calls = []
    original = CountVectorizer.fit_transform

    def counted(self, raw, y=None):
        calls.append(len(raw))
        return original(self, raw, y)

    monkeypatch.setattr(CountVectorizer, "fit_transform", counted)
    posts, labels = HOUSING
    for folds in (2, 5, 11):
        calls.clear()
        suggest(posts, labels, HOUSING_BOOK, folds=folds)
        assert calls == [11, 11]


def test_an_exclusion_is_checked_as_a_term_is():
    book = S.add_exclusions(JUSTICE_BOOK, "justice", ["Benefits  OF", "benefits of"])
    assert book.theme("justice").exclude == ("benefits of",)
    assert book.version.endswith("+what-if")
    again = S.add_exclusions(book, "justice", ["benefits of", "grants for"])
    assert again.theme("justice").exclude == ("benefits of", "grants for")
    with pytest.raises(S.CodebookError, match="no theme with the id “nope”"):
        S.add_exclusions(JUSTICE_BOOK, "nope", ["x"])
    with pytest.raises(S.CodebookError, match="Justice: the term 'a\\*\\*' has two \\*"):
        S.add_exclusions(JUSTICE_BOOK, "justice", ["a**"])


# Race: "black" is found in two posts labelled Race and in no other: too few for
# cross-validation to judge (whenever one is held out, it is learned from one post only).
# "nurses" is found in two posts labelled Race and in one that is not (n4).
RACE = corpus(
    [
        ("r1", "Race in the NHS", "Race equality data published", {"race": 1}),
        ("r2", "Black staff network", "The network meets the board", {"race": 1}),
        ("r3", "Black leaders", "Leaders speak at the conference", {"race": 1}),
        ("r4", "Race at work", "A report on race at work", {"race": 1}),
        ("r5", "Nurses speak out", "Minority nurses describe their careers", {"race": 1}),
        ("r6", "Overseas nurses", "Recruited nurses face barriers", {"race": 1}),
        ("n1", "Park opening", "A new park opens for families", {"race": 0}),
        ("n2", "Library hours", "The library opens late on Thursdays", {"race": 0}),
        ("n3", "Choir concert", "Staff choir sings for patients", {"race": 0}),
        ("n4", "Nurses' pay", "Nurses get a pay rise", {"race": 0}),
        ("n5", "Annual report", "Our year in numbers", {"race": 0}),
        ("n6", "New canteen", "The canteen serves local food", {"race": 0}),
    ]
)
RACE_BOOK = Codebook(themes=(theme("race", ["race"]),))


def test_given_the_labels_improved_adds_a_specific_term_cross_validation_cannot_judge():
    posts, labels = RACE
    found = suggest(posts, labels, RACE_BOOK, per_theme=20)
    black = next(s for s in found if (s.action, s.term) == ("add", "black"))
    # the premise: cross-validation cannot judge it; it gains only posts labelled Race
    assert black.after == black.before and black.gained == ("r2", "r3") and black.support == 2
    assert "black" not in improved(RACE_BOOK, found).theme("race").terms
    assert "black" in improved(RACE_BOOK, found, labels).theme("race").terms
    # not when a post it gains is not labelled Race (nurses: n4), nor learned from one post,
    # nor when a post it gains has no label row
    nurses = S.Suggestion(
        "race", "add", "nurses", ("r5", "r6", "n4"), (), black.before, black.after, 2
    )
    one = S.Suggestion("race", "add", "leaders", ("r3",), (), black.before, black.after, 1)
    assert improved(RACE_BOOK, [nurses, one], labels).theme("race").terms == ("race",)
    assert improved(RACE_BOOK, [black], labels[labels["id"] != "r3"]).theme("race").terms == (
        "race",
    )
