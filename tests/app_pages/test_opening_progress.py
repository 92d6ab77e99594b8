"""Opening a large file shows a progress bar (app_pages.sources.ProgressBar, loaded), with
AppTest: what the bar says at each step, that quick work shows none, and that the bar is gone
once the file is open, which is opened once for every session."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app_pages import sources
from tests.markdown_oracle import as_read


def _bar_script():
    import streamlit as st

    from app_pages import sources

    where = st.empty()
    bar = sources.ProgressBar(where, "big <posts>.csv", large=st.session_state.get("large", True))
    for call in st.session_state["calls"]:
        bar(*call)


def _bar(calls, large=True) -> list[tuple[float, str]]:
    at = AppTest.from_function(_bar_script)
    at.session_state["calls"] = calls
    at.session_state["large"] = large
    at.run()
    assert not at.exception
    return [(e.proto.value, as_read(e.proto.text)) for e in at.get("progress")]


def test_the_bar_says_the_step_and_how_many_posts_of_how_many():
    assert _bar([("reading", 0, 0)]) == [(0, "Reading big <posts>.csv…")]
    assert _bar([("reading", 0, 0), ("tagging", 40_000, 100_000)]) == [
        (39, "Tagging posts: 40,000 of 100,000…")
    ]
    assert _bar([("checking", 0, 100_000)]) == [(90, "Checking 100,000 posts…")]
    assert _bar([("checking", 100_000, 100_000)]) == [(100, "Checking 100,000 posts…")]


def test_quick_work_shows_no_bar_and_slow_work_does(monkeypatch):
    assert _bar([("tagging", 18, 18)], large=False) == []
    monkeypatch.setattr(sources, "SHOW_AFTER", 0.0)  # as if a second had passed
    assert _bar([("tagging", 18, 18)], large=False) == [(90, "Tagging posts: 18 of 18…")]


def _loading_script():
    import streamlit as st

    from app_pages import sources

    slot = st.session_state["slot"]

    def load(progress):
        st.session_state["loads"] = st.session_state.get("loads", 0) + 1
        progress("tagging", 20_000, 40_000)
        return "opened"

    st.session_state["value"] = sources.loaded(slot, load, st.empty(), "x.csv", large=True)
    st.write("page")


def test_the_bar_is_gone_once_the_file_is_open_and_the_file_is_opened_once():
    slot = sources.Slot()
    at = AppTest.from_function(_loading_script)
    at.session_state["slot"] = slot
    at.run()
    assert not at.exception
    assert at.session_state["value"] == "opened" and at.session_state["loads"] == 1
    assert at.get("progress") == []
    assert [m.value for m in at.markdown] == ["page"]
    at.run()  # another run, or another session: the slot is filled
    assert at.session_state["loads"] == 1 and slot.value == "opened"


def _sources_script():
    import streamlit as st

    from analysis import whatif
    from app_pages import data_sources

    current, corpus, _ = data_sources.data_sources()
    if data_sources.WHATIF_KEY not in st.session_state:  # first run: edit the codebook
        edited = whatif.add_terms(corpus.codebook, corpus.codebook.ids[0], ["kelp farming"])
        st.session_state[data_sources.WHATIF_KEY] = edited
    else:
        st.session_state["shared"] = current.posts is corpus.posts
        st.session_state["retagged"] = (
            current.codebook == st.session_state[data_sources.WHATIF_KEY]
            and current.codebook != corpus.codebook
        )


def test_a_what_if_codebook_tags_the_posts_already_read(app):
    """A codebook edited on What if? tags the same posts frame again (no second copy)."""
    at = AppTest.from_function(_sources_script)
    at.run()
    at.run()
    assert not at.exception
    assert at.session_state["retagged"] and at.session_state["shared"]
