"""analysis.discovery: groups of posts sharing vocabulary, found on a planted corpus, honest on
the bundled posts, and turned into What if? themes that tag the group's posts."""

from __future__ import annotations

import random
import string
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.codebook import CodebookError, load_codebook
from analysis.discovery import Group, discover, min_posts, why_none
from analysis.loading import load_posts
from analysis.tagging import ThemeTagger

#: Three planted topics: each post of a topic uses three or four of its words.
TOPICS = {
    "procurement": ["procurement", "suppliers", "tender", "contracts", "invoices"],
    "zero": ["carbon", "emissions", "solar", "boilers", "insulation"],
    "refugees": ["refugee", "asylum", "interpreters", "resettlement", "sanctuary"],
}
POSTS_PER_TOPIC = 10
NOISE = 12


def _filler() -> list[str]:
    """The words of the bundled posts' summaries: what any post of the field says."""
    summaries = " ".join(load_posts()["summary"]).lower()
    words = {w.strip(string.punctuation + "’‘“”") for w in summaries.split()}
    planted = {w for words in TOPICS.values() for w in words}
    return sorted(w for w in words if w.isalpha() and w not in planted)


FILLER = _filler()


def planted() -> pd.DataFrame:
    """3 topics x 10 posts, plus 12 posts of filler alone, shuffled. Each topic post has 25 words
    of filler drawn from the bundled posts' summaries; a topic's post adds 3 or 4 of the
    topic's words."""
    rng = random.Random(0)
    rows = []
    for topic, words in TOPICS.items():
        for n in range(POSTS_PER_TOPIC):
            chosen = rng.sample(words, rng.choice([3, 4]))
            text = rng.sample(FILLER, 25) + chosen
            rng.shuffle(text)
            rows.append(
                {
                    "id": f"{topic}-{n}",
                    "title": f"{chosen[0].title()} at the trust, part {n}",
                    "summary": " ".join(text) + ".",
                }
            )
    for n in range(NOISE):
        rows.append(
            {
                "id": f"noise-{n}",
                "title": " ".join(rng.sample(FILLER, 4)).capitalize(),
                "summary": " ".join(rng.sample(FILLER, 28)) + ".",
            }
        )
    rng.shuffle(rows)
    return pd.DataFrame(rows).assign(text="")


@pytest.fixture(scope="module")
def posts() -> pd.DataFrame:
    return planted()


@pytest.fixture(scope="module")
def groups(posts) -> list[Group]:
    return discover(posts)


def _group_of(groups: list[Group], topic: str) -> Group:
    """The group holding most of the topic's planted posts."""
    return max(groups, key=lambda g: sum(i.startswith(topic + "-") for i in g.post_ids))


def test_the_planted_topics_are_recovered_with_their_posts_and_words(groups):
    assert len(groups) == 3
    for topic, words in TOPICS.items():
        group = _group_of(groups, topic)
        planted_ids = {f"{topic}-{n}" for n in range(POSTS_PER_TOPIC)}
        # every planted post of the topic, and nothing else
        assert set(group.post_ids) == planted_ids
        assert group.size == POSTS_PER_TOPIC == len(group.post_ids)
        # named by the topic's own words, not by the filler every post shares
        assert set(group.terms[:3]) <= set(words)
        assert not set(group.terms) & set(FILLER)
        assert group.label.lower().startswith(group.terms[0])
        assert group.label == ", ".join(group.terms[:3]).capitalize()
    assert len({g.label for g in groups}) == 3


def test_topics_that_share_no_word_are_not_merged_into_one_group():
    """Every post of a topic uses its first two words and two others; the filler is a few
    words every post uses. Two topics put in one group would cover as many posts, so the
    number of topics is chosen by the posts that use their group's name."""
    words = {
        "procurement": ["procurement", "suppliers", "tender", "contracts", "purchasing"],
        "climate": ["carbon", "solar", "emissions", "retrofit", "insulation"],
        "estates": ["estates", "premises", "buildings", "land", "surplus"],
    }
    filler = ["the", "trust", "hospital", "partners", "local", "network", "anchor", "our"]
    rng = random.Random(7)
    rows = []
    for topic, own in words.items():
        for n in range(30):
            chosen = [*own[:2], *rng.sample(own[2:], 2), *rng.sample(filler, 4)]
            rng.shuffle(chosen)
            rows.append(
                {"id": f"{topic}-{n}", "title": " ".join(chosen[:5]), "summary": " ".join(chosen)}
            )
    posts = pd.DataFrame(rows).assign(text="")
    found = discover(posts)
    assert sorted(g.size for g in found) == [30, 30, 30]
    for group in found:
        assert len({post_id.split("-")[0] for post_id in group.post_ids}) == 1, group.label


def test_examples_are_the_titles_of_the_groups_first_posts(groups, posts):
    titles = posts.set_index("id")["title"]
    for group in groups:
        assert group.examples == tuple(titles[list(group.post_ids[:3])])


def test_groups_come_largest_first_and_no_post_is_in_two(posts):
    found = discover(posts, min_size=2)
    assert [g.size for g in found] == sorted((g.size for g in found), reverse=True)
    every = [i for g in found for i in g.post_ids]
    assert len(every) == len(set(every))


def test_min_size_is_respected(posts):
    # a group of 10 planted posts cannot pass a minimum of 11
    assert discover(posts, min_size=11) == []
    assert why_none(posts, min_size=11).startswith("No group of at least 11 posts")
    for min_size in (1, 3, 10):
        assert all(g.size >= min_size for g in discover(posts, min_size=min_size))
    assert len(discover(posts, min_size=10)) == 3


def test_max_groups_caps_the_list(posts):
    assert len(discover(posts, max_groups=2)) <= 2
    assert discover(posts, max_groups=0) == []


def test_the_mask_limits_the_search_to_the_posts_it_picks(posts):
    picked = ~posts["id"].str.startswith("procurement-")
    found = discover(posts, mask=picked)
    ids = {i for g in found for i in g.post_ids}
    assert ids and not any(i.startswith("procurement-") for i in ids)
    assert {_group_of(found, t).post_ids[0].split("-")[0] for t in ("zero", "refugees")} == {
        "zero",
        "refugees",
    }
    # a boolean Series is matched to the posts by index, whatever its order
    assert discover(posts, mask=picked.iloc[::-1]) == found
    with pytest.raises(ValueError, match="mask has 3 values"):
        discover(posts, mask=[True, False, True])


def test_the_result_depends_only_on_the_posts_and_arguments(posts, groups):
    assert discover(posts.copy()) == groups


def test_too_few_posts_give_no_group_and_say_why(posts):
    few = posts.head(min_posts(3) - 1)
    assert discover(few) == []
    assert why_none(few) == (
        "Only 9 posts to search: discovery needs at least 10 to tell vocabulary a group "
        "shares from chance."
    )
    assert min_posts(5) == 15  # three groups' worth
    assert why_none(posts) == ""  # groups were found: nothing to explain


def test_the_bundled_untagged_posts_give_an_honest_answer(bundled):
    untagged = ~bundled.tags.any(axis=1)
    assert untagged.sum() == 9
    assert discover(bundled.posts, mask=untagged) == []
    assert why_none(bundled.posts, mask=untagged).startswith("Only 9 posts to search")


def test_on_all_bundled_posts_each_group_says_how_many_posts_support_it(bundled):
    found = discover(bundled.posts)
    text = _post_text(bundled.posts)
    for group in found:
        assert group.size >= 3
        assert group.text.startswith(f"{group.label}: {group.size} posts share ")
        # each top term is used by at least two of the group's posts
        for term in group.terms:
            users = [i for i in group.post_ids if term in text[i]]
            assert len(users) >= 2, (group.label, term)


def _post_text(posts: pd.DataFrame) -> dict[str, str]:
    joined = posts["title"] + " " + posts["summary"].fillna("") + " " + posts["text"].fillna("")
    return dict(zip(posts["id"], joined.str.lower(), strict=True))


def _tagged_by_new_theme(posts, codebook) -> set[str]:
    tags = ThemeTagger(codebook).fit().tag(posts).tags
    return set(posts.loc[tags[codebook.ids[-1]].to_numpy(), "id"])


def test_as_theme_adds_a_theme_that_tags_the_groups_posts(groups, posts):
    codebook = load_codebook()
    for group in groups:
        edited = group.as_theme(codebook)
        theme = edited.themes[-1]
        assert edited.ids[:-1] == codebook.ids
        assert theme.label == group.label
        assert theme.terms == group.theme_terms
        assert edited.version.endswith("+what-if")
        tagged = _tagged_by_new_theme(posts, edited)
        # the tagger finds the theme in every post of the group, and in nothing else here
        assert tagged == set(group.post_ids)
        assert group.matched == group.size and group.elsewhere == 0


def test_as_theme_on_real_posts_tags_most_of_the_group(bench_posts):
    """On the 68 benchmark posts, each group's theme tags most of its posts, with the codebook's
    own terms shared where they would take the words (see the next test)."""
    codebook = load_codebook()
    found = discover(bench_posts)
    assert len(found) >= 4
    for group in found:
        tagged = _tagged_by_new_theme(bench_posts, group.as_theme(codebook))
        inside = tagged & set(group.post_ids)
        assert len(inside) >= group.matched >= 0.6 * group.size, group.label
    # without a codebook's other terms in the way, the counts are exact
    bare = replace(codebook, themes=())
    for group in found:
        tagged = _tagged_by_new_theme(bench_posts, group.as_theme(bare))
        assert len(tagged & set(group.post_ids)) == group.matched, group.label
        assert len(tagged - set(group.post_ids)) == group.elsewhere, group.label


def test_theme_terms_are_in_the_term_language_and_merge_plurals(bench_posts):
    found = discover(bench_posts)
    terms = [t for g in found for t in g.theme_terms]
    assert all((t == t.lower() and " " not in t.strip()) or " " in t for t in terms)
    starred = [t for t in terms if t.endswith("*")]
    assert starred  # a singular and plural pair, both used, is one term with *
    text = " ".join(_post_text(bench_posts).values())
    for term in starred:
        assert f" {term[:-1]} " in text or f" {term[:-1]}s " in text


@pytest.fixture(scope="module")
def bench_posts() -> pd.DataFrame:
    from pathlib import Path

    # the first 68 rows, the posts these tests were written on (bench/data has grown since)
    return load_posts(Path(__file__).resolve().parents[2] / "bench" / "data" / "posts.csv").head(68)


def test_a_group_named_like_a_theme_gets_its_own_label_and_adding_it_twice_is_refused(groups):
    group = groups[0]
    codebook = load_codebook()
    once = group.as_theme(codebook)
    with pytest.raises(CodebookError, match="is a theme already, with the same terms"):
        group.as_theme(once)
    # the same name with other terms (as an existing theme of the codebook may have)
    other = replace(group, theme_terms=("something else",))
    assert other.as_theme(once).themes[-1].label == f"{group.label} (found)"
    twice = other.as_theme(once)
    assert replace(group, theme_terms=("third",)).as_theme(twice).themes[-1].label == (
        f"{group.label} (found 2)"
    )


# --- odd text never breaks it -------------------------------------------------------------------

ODD_TEXT = st.one_of(
    st.just(""),
    st.sampled_from(["a", "word", "the", "and and and", "‮evil‬", "\x00", "ǅ ǈ ẞ ß İ", "🙂 🙂"]),
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from(list("ab -'*\n\tİßﬁ🙂\u200b\u0301")), max_size=30),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    titles=st.lists(ODD_TEXT, min_size=0, max_size=25),
    summaries=st.lists(ODD_TEXT, min_size=25, max_size=25),
    min_size=st.integers(1, 4),
    max_groups=st.integers(0, 5),
)
def test_odd_text_never_breaks_discovery(titles, summaries, min_size, max_groups):
    posts = pd.DataFrame(
        {
            "id": [f"p{n}" for n in range(len(titles))],
            "title": titles,
            "summary": summaries[: len(titles)],
            "text": "",
        }
    )
    found = discover(posts, min_size=min_size, max_groups=max_groups)
    ids = [i for g in found for i in g.post_ids]
    assert set(ids) <= set(posts["id"]) and len(ids) == len(set(ids))
    assert len(found) <= max_groups
    for group in found:
        assert group.size == len(group.post_ids) >= min_size
        assert group.terms and group.label
        group.as_theme(load_codebook())  # its terms are always usable
    if not found:
        assert why_none(posts, min_size=min_size, max_groups=max_groups)


def test_a_term_the_codebook_has_is_shared_in_the_codebooks_spelling():
    codebook = load_codebook()
    group = Group(
        terms=("living wage", "accredited"),
        post_ids=("a", "b"),
        examples=("A", "B"),
        size=2,
        theme_terms=("living wage", "accredited"),
    )
    theme = group.as_theme(codebook).themes[-1]
    # the codebook's "living wage*" would win the words from "living wage": it is shared,
    # as are the longer terms that hold it
    assert theme.label == "Living wage, accredited"
    assert theme.terms == (
        "living wage*",
        "london living wage*",
        "real living wage*",
        "accredited",
    )
    titles = ["What the Living Wage means", "Paying the real Living Wage", "Accredited"]
    posts = pd.DataFrame({"id": ["a", "b", "c"], "title": titles, "summary": "", "text": ""})
    assert _tagged_by_new_theme(posts, group.as_theme(codebook)) == {"a", "b", "c"}


def test_a_context_term_holding_a_groups_term_is_shared_too():
    codebook = load_codebook()
    justice = replace(codebook.theme("health_justice"), context_terms=("affordable housing",))
    codebook = replace(
        codebook, themes=tuple(justice if t.id == justice.id else t for t in codebook.themes)
    )
    group = Group(terms=("housing",), post_ids=("a",), examples=("A",), size=1)
    edited = group.as_theme(codebook)
    assert edited.themes[-1].terms == ("housing", "affordable housing")
    posts = pd.DataFrame(
        {"id": ["a"], "title": ["Affordable housing on NHS land"], "summary": "", "text": ""}
    )
    assert _tagged_by_new_theme(posts, edited) == {"a"}
