"""Explore and Review with AppTest: in reviewed mode a theme's reason says what a reviewer did
("Added by Asha.") before the machine's evidence; in machine mode it does not."""

from __future__ import annotations

from analysis.review_store import ReviewStore
from tests.markdown_oracle import as_read

POST = "engaging-the-private-sector-in-anchor-networks"  # the machine does not tag Living wage
ADDED = "Added by Asha. The machine did not give it: no term of this theme appears"


def reasons(at) -> list[str]:
    return [as_read(c.value) for c in at.caption]


def verdicts(at) -> list[str]:
    return [as_read(m.value) for m in at.markdown]


def test_explore_says_who_added_a_theme_in_reviewed_mode(app, review_database):
    ReviewStore(review_database).record(POST, "living_wage", "added", "Asha", "2026.11.1", False)
    at = app("app_pages/explore.py", tag_mode="reviewed", post=POST)
    assert [r for r in reasons(at) if r.startswith(ADDED)] == [
        ADDED + " in the title, summary or text."
    ]
    assert any(v.endswith("**Living wage**: given") for v in verdicts(at))

    machine = app("app_pages/explore.py", tag_mode="machine", post=POST)
    assert not [r for r in reasons(machine) if "Asha" in r]
    assert any(v.endswith("**Living wage**: not given") for v in verdicts(machine))


def test_explore_says_nothing_of_a_blind_vote(app, review_database):
    store = ReviewStore(review_database)
    store.set_round("pilot", True, "Lead")
    store.record(POST, "living_wage", "added", "Asha", "2026.11.1", False, round="pilot")
    at = app("app_pages/explore.py", tag_mode="reviewed", post=POST)
    assert not [r for r in reasons(at) if "Asha" in r]
    store.set_round("pilot", False, "Lead")
    at = app("app_pages/explore.py", tag_mode="reviewed", post=POST)
    assert [r for r in reasons(at) if r.startswith(ADDED)]


def test_review_cards_say_who_added_a_theme_in_reviewed_mode(app, review_database):
    ReviewStore(review_database).record(POST, "living_wage", "added", "Asha", "2026.11.1", False)
    at = app("app_pages/review.py", tag_mode="reviewed")
    at.selectbox(key="review_post").set_value(POST).run()
    assert [r for r in reasons(at) if r.startswith(ADDED)] == [
        ADDED + " in the title, summary or text."
    ]
    machine = app("app_pages/review.py", tag_mode="machine")
    machine.selectbox(key="review_post").set_value(POST).run()
    assert not [r for r in reasons(machine) if "Asha" in r]
