"""Reviewed mode and blind review rounds with AppTest: a vote in a blind round does not change
the tags Overview and Explore show in reviewed mode until blindness is lifted."""

from __future__ import annotations

from analysis.review_store import ReviewStore

POST = "engaging-the-private-sector-in-anchor-networks"  # the machine does not tag Living wage
TITLE = "Engaging the private sector in anchor networks"
MACHINE_LIVING_WAGE = ["Health Anchors in London and the London Living Wage"]


def living_wage_count(at) -> str:
    return {m.label: m.value for m in at.metric}["Living wage"]


def listed(at) -> list[str]:
    return list(at.dataframe[0].value["Title"])


def test_a_blind_vote_changes_no_reviewed_tags_until_blindness_is_lifted(app, review_database):
    store = ReviewStore(review_database)
    store.set_round("pilot", True, "Lead")
    store.record(POST, "living_wage", "added", "Asha", "2026.11.1", False, round="pilot")

    overview = app(tag_mode="reviewed")
    assert overview.button_group(key="tag_mode").value == "reviewed"
    assert living_wage_count(overview) == "1 post"  # Asha's blind vote is not counted
    explore = app("app_pages/explore.py", tag_mode="reviewed", themes="living_wage")
    assert listed(explore) == MACHINE_LIVING_WAGE

    store.set_round("pilot", False, "Lead")  # lifted: her vote is every reviewer's vote
    assert living_wage_count(app(tag_mode="reviewed")) == "2 posts"
    explore = app("app_pages/explore.py", tag_mode="reviewed", themes="living_wage")
    assert sorted(listed(explore)) == sorted([*MACHINE_LIVING_WAGE, TITLE])
    assert living_wage_count(app(tag_mode="machine")) == "1 post"  # machine mode never counts it
