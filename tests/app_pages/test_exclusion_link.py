"""A What if? link carrying an exclusion (as an "exclude" suggestion makes) with AppTest: a fresh
session opened on it tags as the sender's did, says the edit in the banner and keeps it in the
link."""

from __future__ import annotations

from analysis.formatting import plain
from app_pages.data_sources import WHATIF_KEY
from tests.app_pages.test_links import banner, params

VALUE = "workforce:!sector based work academy"


def test_an_exclusion_in_a_link_is_applied_said_and_kept(app):
    plain_session = app("app_pages/overview.py")
    assert {m.label: m.value for m in plain_session.metric}["Workforce"] == "3 posts"
    at = app("app_pages/overview.py", whatif=VALUE)
    assert at.session_state[WHATIF_KEY].theme("workforce").exclude[-1] == (
        "sector based work academy"
    )
    # The academy post's only Workforce terms are inside the excluded phrase: it loses the theme.
    assert {m.label: m.value for m in at.metric}["Workforce"] == "2 posts"
    assert "(" + plain(
        "Workforce: added exclusion \u201csector based work academy\u201d"
    ) + ")" in (banner(at))
    assert params(at)["whatif"] == VALUE
