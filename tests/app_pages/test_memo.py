"""Per-view caching (issue 12): a rerun that changes only the period rebuilds only the
coverage chart; what is shown from the cache is what a fresh build shows; and the key
that names a view changes with anything the charts are drawn from."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import plotly.graph_objects as go
import pytest
import streamlit as st

from analysis.corpus import open_corpus
from app_pages import memo, sections
from tests.app_pages.conftest import ok


@pytest.fixture
def built(monkeypatch):
    """How many times each figure was built, from a cleared cache on."""
    st.cache_resource.clear()
    counts = {"coverage": 0, "totals": 0, "cooccurrence": 0}
    for name, attr in (
        ("coverage", "coverage_figure"),
        ("totals", "totals_figure"),
        ("cooccurrence", "cooccurrence_figure"),
    ):
        real = getattr(sections, attr)

        def counted(*args, _real=real, _name=name, **kwargs):
            counts[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(sections, attr, counted)
    yield counts
    st.cache_resource.clear()


def test_a_period_change_rebuilds_only_the_coverage_chart(app, built):
    at = app()
    assert built == {"coverage": 1, "totals": 1, "cooccurrence": 0}  # not chosen
    ok(at.button_group(key="granularity").set_value("year").run())
    assert built == {"coverage": 2, "totals": 1, "cooccurrence": 0}
    ok(at.button_group(key="granularity").set_value("quarter").run())  # seen before
    assert built == {"coverage": 2, "totals": 1, "cooccurrence": 0}
    ok(at.sidebar.text_input(key="search").set_value("health").run())  # another view
    assert built == {"coverage": 3, "totals": 2, "cooccurrence": 0}
    at.session_state[sections.THEME_CHART] = "together"
    ok(at.run())  # chosen: built then, once
    assert built == {"coverage": 3, "totals": 2, "cooccurrence": 1}
    ok(at.button_group(key="granularity").set_value("year").run())
    assert built == {"coverage": 4, "totals": 2, "cooccurrence": 1}


def test_a_chart_from_the_cache_is_the_chart_built_afresh(app, built):
    at = app()
    ok(at.button_group(key="granularity").set_value("year").run())
    ok(at.button_group(key="granularity").set_value("quarter").run())
    cached = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert built["coverage"] == 2  # the quarter chart came from the cache
    st.cache_resource.clear()
    fresh = [json.loads(c.proto.spec) for c in app().get("plotly_chart")]
    assert cached == fresh


class Named:
    """Something with attributes, as a view or corpus is (weakly referable, as they are)."""

    def __init__(self, **attributes):
        self.__dict__.update(attributes)


@pytest.fixture(scope="module")
def corpus():
    return open_corpus()


def key(corpus, tags, visible=None):
    visible = pd.Series(True, index=tags.index) if visible is None else visible
    return memo.view_key(Named(corpus=corpus, tags=tags[visible]))


def test_the_view_key_follows_rows_tags_and_posts(corpus):
    tags = corpus.tags.copy()
    first = key(corpus, tags)
    assert key(corpus, tags.copy()) == first  # the same content, another object
    flipped = tags.copy()
    flipped.iloc[0, 0] = not flipped.iloc[0, 0]  # one tag of one post (a review decision)
    assert key(corpus, flipped) != first
    fewer = pd.Series(True, index=tags.index)
    fewer.iloc[-1] = False  # one post fewer in view
    assert key(corpus, tags, fewer) != first
    other = Named(
        posts=corpus.posts.assign(title=corpus.posts["title"] + "!"), codebook=corpus.codebook
    )
    assert key(other, tags)[0] != first[0]  # other posts with the same tags
    relabelled = dataclasses.replace(corpus.codebook, version="other")
    assert key(Named(posts=corpus.posts, codebook=relabelled), tags)[2] != first[2]


def test_a_screen_copy_is_made_once_per_figure_and_adaptation():
    figure, made = go.Figure(), []

    def make(label):
        made.append(label)
        return label

    assert memo.screen_copy(figure, ("light",), lambda: make("a")) == "a"
    assert memo.screen_copy(figure, ("light",), lambda: make("b")) == "a"
    assert memo.screen_copy(figure, ("dark",), lambda: make("c")) == "c"
    assert memo.screen_copy(go.Figure(), ("light",), lambda: make("d")) == "d"
    assert made == ["a", "c", "d"]


def test_the_posts_are_named_without_reading_every_value(corpus, monkeypatch):
    """A million posts took seconds to hash: the posts frame is named by identity (never
    changed in place), so another codebook's corpus over the same posts shares the name."""
    real = pd.util.hash_pandas_object

    def hashed(obj, *args, **kwargs):
        assert not isinstance(obj, pd.DataFrame) or "title" not in obj, "every post hashed"
        return real(obj, *args, **kwargs)

    monkeypatch.setattr(pd.util, "hash_pandas_object", hashed)
    first = key(corpus, corpus.tags)
    assert key(Named(posts=corpus.posts, codebook=corpus.codebook), corpus.tags)[0] == first[0]


def test_the_codebook_key_follows_what_the_charts_draw_from(corpus):
    codebook = corpus.codebook
    first = memo.codebook_key(codebook)
    assert memo.codebook_key(dataclasses.replace(codebook)) == first  # same content
    workforce = codebook.themes[0]
    for changed in (
        dataclasses.replace(workforce, label="Staff"),
        dataclasses.replace(workforce, colour="#000000"),
        dataclasses.replace(workforce, terms=(*workforce.terms, "rota")),
    ):
        other = dataclasses.replace(codebook, themes=(changed, *codebook.themes[1:]))
        assert memo.codebook_key(other) != first, changed
