"""The Review page with AppTest: in reviewed mode a card's reason says what a reviewer did from
the decisions this reviewer may see, so in a blind round Asha reads her own vote there and Ben
does not, until blindness is lifted."""

from __future__ import annotations

from analysis.review_store import ReviewStore
from tests.app_pages.conftest import ok
from tests.app_pages.test_review_rounds import POST, THEME, choose, passcode, reviewer
from tests.markdown_oracle import as_read

__all__ = ["passcode", "reviewer"]  # fixtures, used by name

REMOVED = "Removed by Asha. The machine gave it: score"


def reasons(at) -> list[str]:
    return [as_read(c.value) for c in at.caption if as_read(c.value).startswith(REMOVED)]


def reviewed_mode(at):
    return ok(at.sidebar.button_group(key="tag_mode").set_value("reviewed").run())


def test_a_blind_vote_is_in_its_reviewers_reasons_only_until_lifted(reviewer, review_database):
    store = ReviewStore(review_database)
    store.set_round("pilot", True, "Asha")
    store.record(POST, THEME, "rejected", "Asha", "2026.11.1", True, round="pilot")
    asha, ben = reviewed_mode(reviewer("Asha")), reviewed_mode(reviewer("Ben"))
    assert len(reasons(choose(asha, "pilot"))) == 1
    assert reasons(choose(ben, "pilot")) == []
    store.set_round("pilot", False, "Asha")
    assert len(reasons(choose(ben.run(), "pilot"))) == 1
