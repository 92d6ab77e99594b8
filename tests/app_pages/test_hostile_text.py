"""Uploaded files full of Markdown and HTML payloads reach every page escaped (AppTest).

The codebook, posts and labels are uploaded through the sidebar's and the quality page's
file uploaders, as a visitor would. Every element whose text Streamlit renders as Markdown
(bodies, labels, help, tab and expander labels, metric values, options of button groups)
is read from the page: none may hold a payload unescaped, and the places that show a
label, a version, a title or a file name show exactly ``safe()`` of it.
tests/browser/test_hostile_text.py checks the same pages in Chromium.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from analysis.formatting import plain
from tests import hostile_files as hostile
from tests.app_pages.conftest import uploader

PAGES = [
    "app_pages/overview.py",
    "app_pages/explore.py",
    "app_pages/themes.py",
    "app_pages/whatif.py",
    "app_pages/tagging_quality.py",
    "app_pages/review.py",
]
#: Element types whose text shows as it is (escaping them would show backslashes).
AS_IT_IS = {"plotly_chart", "dataframe", "code", "html", "text"}
#: Widgets whose options show as they are (their labels and help still render Markdown).
PLAIN_OPTIONS = {"multiselect", "selectbox"}
CODEBOOK = hostile.codebook()
TITLE = hostile.posts_rows()[0]["title"]


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture
def uploaded(app):
    """``uploaded(page, **query)``: the dashboard with the hostile codebook and posts uploaded
    in the sidebar."""

    def uploaded(page: str | None = None, **query) -> AppTest:
        """The dashboard with the hostile codebook and posts uploaded in the sidebar."""
        at = app(timeout=90, **query)
        uploader(at, "codebook_upload").upload(
            hostile.CODEBOOK_NAME, hostile.codebook_bytes(), "application/toml"
        )
        uploader(at, "upload").upload(hostile.POSTS_NAME, hostile.posts_bytes(), "text/csv")
        ok(at.run())
        if page:
            ok(at.switch_page(page).run())
        return at

    return uploaded


def nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from nodes(child)


def markdown_texts(at: AppTest) -> list[tuple[str, str]]:
    """(element type, text) for every text on the page that Streamlit renders as Markdown."""
    found = []
    for node in nodes(at._tree):
        kind, proto = getattr(node, "type", None), getattr(node, "proto", None)
        if proto is None or kind in AS_IT_IS or not hasattr(proto, "ListFields"):
            continue
        for field, value in proto.ListFields():
            if field.name in {"body", "label", "help", "delta"} and isinstance(value, str):
                found.append((kind, value))
            elif field.name == "options" and kind not in PLAIN_OPTIONS:
                found += [(kind, option.content) for option in value if hasattr(option, "content")]
    return found


def live(markdown: str) -> str:
    """``markdown`` with each backslash-escaped mark blanked out: what is left is live."""
    return re.sub(r"\\[!-/:-@\[-`{-~]", "\0", markdown)


def assert_nothing_raw(at: AppTest) -> list[tuple[str, str]]:
    texts = markdown_texts(at)
    raw = [
        (kind, text) for kind, text in texts for part in hostile.RAW_FRAGMENTS if part in live(text)
    ]
    assert not raw, raw[:3]
    return texts


def shown(at: AppTest, *kinds: str) -> list[str]:
    return [text for kind, text in markdown_texts(at) if kind in kinds]


def test_the_hostile_files_load_instead_of_the_bundled_ones(uploaded):
    at = uploaded()
    successes = [s.value for s in at.success]
    version = CODEBOOK.version
    assert f"Tagging with {plain(hostile.CODEBOOK_NAME)} (version {plain(version)})." in successes
    assert f"Showing 18 posts from {plain(hostile.POSTS_NAME)}." in successes
    assert not at.error


@pytest.mark.parametrize("page", PAGES)
def test_no_payload_reaches_a_page_unescaped(uploaded, page):
    at = uploaded(page)
    texts = assert_nothing_raw(at)
    assert len(texts) > 10  # the page and the sidebar were read, not an empty tree


def test_overview_shows_version_labels_and_findings_escaped(uploaded):
    at = uploaded()
    captions = shown(at, "caption")
    assert any(plain(CODEBOOK.version) in c and plain(hostile.POSTS_NAME) in c for c in captions)
    labels = [m.label for m in at.metric]
    for theme_id in hostile.HOSTILE_THEMES:
        assert plain(CODEBOOK.labels[theme_id]) in labels


def test_presentation_headline_shows_labels_escaped(uploaded):
    at = uploaded(present="true")
    assert_nothing_raw(at)
    (headline,) = [s.value for s in at.subheader]
    assert "is the most covered theme" in headline


def test_themes_page_shows_labels_definitions_and_no_theme_label_escaped(uploaded):
    at = uploaded("app_pages/themes.py")
    assert [t.label for t in at.tabs] == [plain(label) for label in CODEBOOK.labels.values()]
    subheaders = [s.value for s in at.subheader]
    markdown = [m.value for m in at.markdown]
    for theme_id in hostile.HOSTILE_THEMES:
        theme = CODEBOOK.theme(theme_id)
        assert plain(theme.label) in subheaders
        assert plain(theme.definition) in markdown
    captions = shown(at, "caption")
    assert any(c.startswith(plain(CODEBOOK.no_theme_label) + ": ") for c in captions)
    assert any(plain(CODEBOOK.version) in c and plain(hostile.CODEBOOK_NAME) in c for c in captions)


def test_explore_shows_a_posts_fields_escaped_and_no_bad_link(uploaded):
    post = hostile.posts_rows()[0]
    at = uploaded("app_pages/explore.py", post=post["id"])
    assert_nothing_raw(at)
    assert [s.value for s in at.subheader] == [plain(TITLE)]
    captions = shown(at, "caption")
    assert any(plain(post["author"]) in c for c in captions)
    assert "Why this date: " + plain(post["date_basis"]) in captions
    assert not at.get("link_button")  # javascript: is no address to read the post at
    bodies = " ".join(m.value for m in at.markdown)
    assert plain(CODEBOOK.labels["workforce"]) in bodies  # the reasons name each theme
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "<img" not in html and "&lt;img src=http://127.0.0.1:9/summary0-img.png&gt;" in html


def test_whatif_edits_and_a_typed_theme_show_escaped(uploaded):
    at = uploaded("app_pages/whatif.py")
    typed = hostile.payload("typed").replace(",", " ")
    next(t for t in at.text_input if t.label == "Label").set_value(typed[:60])
    next(t for t in at.text_area if t.label == "Terms").set_value("anchor")
    ok(next(b for b in at.button if b.label == "Add theme").click().run())
    assert_nothing_raw(at)
    expanders = [e.label for e in at.expander]
    assert any(plain(typed[:60].strip()) in label for label in expanders), expanders
    captions = shown(at, "caption")
    assert any(plain(CODEBOOK.version) in c for c in captions)


def test_whatif_error_quoting_a_typed_term_is_escaped(uploaded):
    at = uploaded("app_pages/whatif.py")
    at.text_input(key="whatif_add").set_value("![t](http://127.0.0.1:9/term.png)")
    ok(next(b for b in at.button if b.label == "Add terms").click().run())
    (error,) = [e.value for e in at.error]
    assert plain("![t](http://127.0.0.1:9/term.png)") in error
    assert_nothing_raw(at)


def test_quality_page_shows_labels_file_and_theme_labels_escaped(uploaded):
    at = uploaded("app_pages/tagging_quality.py")
    at.file_uploader(key="labels_upload").upload(
        hostile.LABELS_NAME, hostile.labels_bytes(), "text/csv"
    )
    ok(at.run())
    assert_nothing_raw(at)
    (warning,) = [w.value for w in at.warning]
    for theme_id in hostile.HOSTILE_THEMES:
        assert plain(CODEBOOK.labels[theme_id]) in warning


def test_quality_error_quoting_a_cell_is_escaped(uploaded):
    at = uploaded("app_pages/tagging_quality.py")
    at.file_uploader(key="labels_upload").upload(
        hostile.LABELS_NAME, hostile.bad_labels_bytes(), "text/csv"
    )
    ok(at.run())
    (error,) = [e.value for e in at.error]
    assert error.startswith(plain(hostile.LABELS_NAME))
    assert plain(hostile.payload("labels-error").replace(",", " ")) in error
    assert_nothing_raw(at)


def test_review_shows_post_reasons_buttons_and_toast_escaped(uploaded, monkeypatch):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", "right horse battery")
    at = uploaded("app_pages/review.py")
    next(t for t in at.text_input if t.label == "Review passcode").set_value("right horse battery")
    next(t for t in at.text_input if t.label == "Your name").set_value(
        hostile.payload("reviewer")[:40]
    )
    ok(next(b for b in at.form_submit_button if b.label == "Unlock editing").click().run())
    assert [s.value for s in at.subheader] == [plain(TITLE)]
    assert_nothing_raw(at)
    bodies = " ".join(m.value for m in at.markdown)
    assert plain(CODEBOOK.labels["workforce"]) in bodies
    decision = next(b for b in at.button if b.key and b.key.endswith("-workforce"))
    ok(decision.click().run())
    toasts = [t.value for t in at.toast]
    assert any(t.startswith(plain(CODEBOOK.labels["workforce"]) + ": ") for t in toasts), toasts
    assert_nothing_raw(at)


def test_a_codebook_error_quoting_the_file_is_escaped(app):
    at = app(timeout=90)
    bad = b'version = "1"\n[[themes]]\nid = "![x](http://127.0.0.1:9/id.png)"\n'
    uploader(at, "codebook_upload").upload(hostile.CODEBOOK_NAME, bad, "application/toml")
    ok(at.run())
    (error,) = [e.value for e in at.error]
    assert (
        plain(hostile.CODEBOOK_NAME) in error and plain("![x](http://127.0.0.1:9/id.png)") in error
    )
    assert_nothing_raw(at)


def test_a_link_with_payloads_in_its_settings_gets_an_escaped_notice(app):
    """Links are shared in rooms: the notice about settings it could not use quotes them."""
    link = "![q](http://127.0.0.1:9/query.png) http://127.0.0.1:9/bare"
    at = app(timeout=90, granularity=link)
    (notice,) = [t.value for t in at.toast]
    assert plain(f"granularity: {link}") in notice
    assert_nothing_raw(at)
