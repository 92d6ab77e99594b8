"""Themes the codebook misses, with AppTest: on an uploaded corpus with planted groups the panel
lists them as the engine finds them, and "Make it a theme" adds a theme whose posts are the
group's; on the 18 bundled posts it says honestly how little it can find."""

from __future__ import annotations

import random

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analysis import discovery as engine
from analysis.codebook import Codebook
from analysis.formatting import count
from app_pages import discovery as panel
from app_pages.data_sources import WHATIF_KEY
from app_pages.text import md
from app_pages.view import KEY as VIEW_KEY
from tests.app_pages.conftest import ok, uploader

WHATIF = "app_pages/whatif.py"

#: Words of each planted group: none is a codebook term, so their posts carry no theme.
PLANTED = {
    "procurement": ["procurement", "suppliers", "tender", "contracts", "purchasing", "spend"],
    "climate": ["carbon", "solar", "emissions", "climate", "retrofit", "insulation"],
    "estates": ["estates", "surplus land", "buildings", "premises", "land", "community spaces"],
}
#: Posts the codebook tags (Workforce): the untagged-only search leaves them out.
TAGGED = ["apprenticeships", "recruitment", "work experience", "careers", "traineeships"]
FILLER = ["the", "trust", "hospital", "partners", "local", "network", "anchor", "our", "new"]


def planted_posts(per_group: int = 80, tagged: int = 90, seed: int = 7) -> pd.DataFrame:
    """A few hundred posts: ``per_group`` for each planted group, ``tagged`` about workforce."""
    rng = random.Random(seed)
    rows = []

    def post(kind: str, words: list[str], number: int) -> None:
        # Each post uses its group's first two words and two more of its own, among others.
        chosen = [*words[:2], *rng.sample(words[2:], 2), *rng.sample(FILLER, 4)]
        rng.shuffle(chosen)
        rows.append(
            {
                "id": f"{kind}-{number}",
                # Markdown and HTML in titles must show as written (through md()).
                "title": "*" + " ".join(chosen[:5]).capitalize() + " <b>[x](#)",
                "summary": " ".join(chosen) + ".",
                "published": f"202{number % 4}-0{1 + number % 9}-01",
            }
        )

    for kind, words in PLANTED.items():
        for number in range(per_group):
            post(kind, words, number)
    for number in range(tagged):
        post("workforce", TAGGED, number)
    return pd.DataFrame(rows)


def opened(at: AppTest, key: str = "discovery-open") -> AppTest:
    at.session_state[key] = True
    return ok(at.run())


def uploaded(app, posts: pd.DataFrame) -> AppTest:
    at = app(WHATIF)
    data = posts.to_csv(index=False).encode()
    uploader(at, "upload").set_value(("planted.csv", data, "text/csv"))
    return ok(at.run())


def make_buttons(at: AppTest) -> list:
    return [b for b in at.button if (b.key or "").startswith("discovery-make-")]


def group_lines(at: AppTest) -> list[str]:
    return [m.value for m in at.main.markdown if " · " in m.value]


@pytest.fixture(scope="module")
def planted() -> pd.DataFrame:
    return planted_posts()


def test_the_panel_lists_the_planted_groups_the_engine_finds(app, planted):
    at = opened(uploaded(app, planted))
    view = at.session_state[VIEW_KEY]
    mask = Codebook.untagged(view.all_tags)
    assert int(mask.sum()) == 3 * 80  # the workforce posts are tagged
    groups = engine.discover(view.corpus.posts, mask=mask)
    assert group_lines(at) == [md("**{}** · {}", g.label, count(g.size)) for g in groups]
    text = "\n".join(c.value for c in at.main.caption)
    for group in groups:
        terms = ", ".join(group.theme_terms or group.terms)
        assert md("Top terms: {}  \nAs a theme: {} (", ", ".join(group.terms), terms) in text
        assert md("For example: {}", "; ".join(group.examples)) in text
    # Each planted group is listed: groups made only of its posts hold nearly all of them.
    for kind in PLANTED:
        ids = set(planted["id"][planted["id"].str.startswith(kind + "-")])
        pure = [g for g in groups if set(g.post_ids) <= ids]
        assert pure and sum(g.size for g in pure) >= 0.8 * len(ids), kind
        assert any(word in pure[0].terms for word in PLANTED[kind]), (kind, pure[0].terms)
    assert not any(p.startswith("workforce-") for g in groups for p in g.post_ids)
    assert [b.label for b in make_buttons(at)] == [panel.MAKE] * len(groups)
    assert md("{} among the {} posts with no theme.", count(len(groups), "group"), 240) in text
    assert "are few" not in text  # 240 posts: no warning


def test_groups_among_few_posts_are_said_to_be_weak(app):
    at = opened(uploaded(app, planted_posts(per_group=20, tagged=10)))
    assert make_buttons(at), "the engine finds no group among 60 planted posts"
    text = "\n".join(c.value for c in at.main.caption)
    assert "60 posts are few: a group of a handful of posts may share its words by chance" in text


def test_make_it_a_theme_adds_a_theme_whose_posts_are_the_groups(app, planted):
    at = opened(uploaded(app, planted))
    view = at.session_state[VIEW_KEY]
    groups = engine.discover(view.corpus.posts, mask=Codebook.untagged(view.all_tags))
    first = groups[0]
    make_buttons(at)[0].click().run()
    ok(at)
    codebook = at.session_state[WHATIF_KEY]
    assert codebook == first.as_theme(view.corpus.codebook)
    theme = codebook.themes[-1]
    assert theme.label == first.label
    tags = at.session_state[VIEW_KEY].corpus.tags
    posts = at.session_state[VIEW_KEY].corpus.posts
    tagged = set(posts["id"][tags[theme.id]])
    # Its posts are the group's: as many of them as the engine said, and as few others.
    assert len(tagged & set(first.post_ids)) == first.matched >= 0.9 * first.size
    assert len(tagged - set(first.post_ids)) == first.elsewhere
    # Its posts now carry a theme: the group is no longer among the untagged posts.
    assert md("**{}** · {}", first.label, count(first.size)) not in group_lines(at)
    # Over all posts the group is found again, and its button says it is a theme already.
    ok(at.toggle(key="discovery_all").set_value(True).run())
    everything = engine.discover(posts)
    states = {
        g.label: (b.label, b.proto.disabled)
        for g, b in zip(everything, make_buttons(at), strict=True)
    }
    assert states[first.label] == (panel.MADE, True)
    assert all(
        state == (panel.MAKE, False) for label, state in states.items() if label != first.label
    )


def test_all_posts_searches_the_tagged_posts_too(app, planted, monkeypatch):
    seen = []
    real = engine.discover

    def spied(posts, **kwargs):
        seen.append(kwargs.get("mask"))
        return real(posts, **kwargs)

    monkeypatch.setattr(engine, "discover", spied)
    st.cache_resource.clear()
    at = opened(uploaded(app, planted))
    assert len(seen) == 1 and int(seen[0].sum()) == 240
    ok(at.toggle(key="discovery_all").set_value(True).run())
    assert len(seen) == 2 and seen[1] is None
    ok(at.run())
    ok(at.toggle(key="discovery_all").set_value(False).run())
    assert len(seen) == 2  # each search is made once
    st.cache_resource.clear()


def test_the_panel_finds_nothing_until_opened(app, monkeypatch):
    calls = []
    monkeypatch.setattr(engine, "discover", lambda *a, **k: calls.append(k) or [])
    st.cache_resource.clear()
    at = app(WHATIF)
    assert "Themes the codebook misses" in [s.value for s in at.main.subheader]
    assert calls == []
    opened(at)
    assert len(calls) == 1
    st.cache_resource.clear()


def test_a_small_corpus_is_told_honestly(app):
    at = opened(app(WHATIF))
    view = at.session_state[VIEW_KEY]
    mask = Codebook.untagged(view.all_tags)
    assert engine.discover(view.corpus.posts, mask=mask) == []  # 9 posts: too few
    reason = engine.why_none(view.corpus.posts, mask=mask)
    assert "Only 9 posts to search" in reason
    said = md("No group found among the {} posts with no theme. {}", 9, reason)
    assert [i.value for i in at.main.info if "No group" in i.value] == [said]
    assert make_buttons(at) == []
