"""The sidebar's "Refresh from the blog" with AppTest, against the test blog on 127.0.0.1:
locked without the passcode, a refresh that shows its summary and the merged posts (full
text on Explore), and offline, one line and nothing changed."""

from __future__ import annotations

import socket

import pytest
from streamlit.testing.v1 import AppTest

from tests.analysis.fixtures.blog import Blog, start_server

UNLOCKED = {"review_unlocked": True}


@pytest.fixture(scope="module")
def blog():
    server = start_server()
    yield Blog(server)
    server.stop()


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ANCHOR_THEMES_CACHE_DIR", str(tmp_path / "cache"))


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.sidebar.caption]


def test_refresh_needs_a_passcode(app, monkeypatch):
    at = app(session=UNLOCKED, timeout=120)  # unlocked means nothing without a passcode configured
    assert "Needs a review passcode (see the README, Human review)." in captions(at)
    assert not [b for b in at.button if b.key == "refresh_button"]
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", "sesame")
    at = app(timeout=120)
    assert any(
        c.startswith("For reviewers: unlock editing on the Review page") for c in captions(at)
    )
    assert not [b for b in at.button if b.key == "refresh_button"]


def test_refresh_shows_the_summary_and_uses_the_merged_posts(app, blog, monkeypatch):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", "sesame")
    at = app(session=UNLOCKED, timeout=120)
    assert at.text_input(key="refresh_url").value == "https://haln.org.uk/blog"
    at.text_input(key="refresh_url").set_value(blog.index)
    at.button(key="refresh_button").click().run()
    assert not at.exception, [e.message for e in at.exception]
    # Plain text (st.text), so no address or title from the blog can form a link.
    [summary] = [t.value for t in at.sidebar.text if t.value.startswith("• Read ")]
    lines = summary.split("\n")
    assert lines[0].startswith(f"• Read 14 pages of {blog.index} (")
    assert lines[1] == (
        "• Added 8; dates confirmed 0, corrected 0, added to undated posts 0; "
        "fields filled in 0; unchanged 0; kept, not found on the blog 18."
    )
    assert f"• Not read: {blog.base}/blog/broken-post: HTTP 500 Internal Server Error" in lines
    assert not [m for m in at.sidebar.markdown if blog.base in m.value]
    assert {m.label: m.value for m in at.metric}["Posts"] == "26"
    assert "Stop using the refreshed posts" in [b.label for b in at.button]
    at.session_state["post"] = "apprenticeships-in-east-london"  # as a click on its row
    at.switch_page("app_pages/explore.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.subheader[0].value == "Apprenticeships in east London"
    [full] = [e for e in at.expander if e.label == "Full text"]
    [text] = [h.proto.body for h in full.get("html")]
    assert text.startswith("<p style='white-space:pre-line'>Barts Health opened forty <mark")
    assert "serves. Each <mark" in text  # the apprentice in the text is marked
    assert "vacancies</mark> first.</p>" in text


def test_offline_says_so_in_one_line_and_changes_nothing(app, monkeypatch):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", "sesame")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    at = app(session=UNLOCKED, timeout=120)
    at.text_input(key="refresh_url").set_value(f"http://127.0.0.1:{port}/blog")
    at.button(key="refresh_button").click().run()
    assert [w.value for w in at.sidebar.warning] == [
        "Offline: the blog could not be reached, so nothing was changed."
    ]
    assert {m.label: m.value for m in at.metric}["Posts"] == "18"
    assert not [t for t in at.sidebar.text if t.value.startswith("• ")]
