"""Review rounds and comments on the Review page (issue 13).

A decision made on the page carries its card's comment, the reviewer's name and the chosen
round into the log; a round is opened on the page with a blind setting its opener may change;
while the chosen round is blind a reviewer sees only their own decisions of it (the tally,
the decision buttons, the post's history), and everyone's once it is not blind.
What each reviewer should see is worked out here from the log, not from the page's code.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from analysis.review_store import ReviewStore
from app_pages.review_decisions import comment_key
from app_pages.review_rounds import NEW, PICKER
from tests.app_pages.conftest import ok
from tests.markdown_oracle import as_read

PASSCODE = "right horse battery"
POST = "health-anchors-in-london-and-the-london-living-wage"  # the machine tags Living wage
THEME = "living_wage"
COMMENT = "No pay figures: the post only *mentions* [the wage](http://x.invalid)"


@pytest.fixture(autouse=True)
def passcode(monkeypatch):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", PASSCODE)


@pytest.fixture
def reviewer(app):
    """``reviewer(name)``: a session of its own on the Review page, unlocked as ``name``."""

    def start(name: str) -> AppTest:
        at = app("app_pages/review.py")
        next(t for t in at.text_input if t.label == "Review passcode").set_value(PASSCODE)
        next(t for t in at.text_input if t.label == "Your name").set_value(name)
        ok(next(b for b in at.button if b.label == "Unlock editing").click().run())
        assert at.session_state["reviewer"] == name
        return at

    return start


def choose(at: AppTest, round: str | None, post: str = POST) -> AppTest:
    ok(at.selectbox(key=PICKER).set_value(round).run())
    return ok(at.selectbox(key="review_post").set_value(post).run())


def decide(at: AppTest, decision: str, comment: str | None = None) -> AppTest:
    if comment is not None:
        at.text_input(key=comment_key(POST, THEME)).set_value(comment)
    return ok(at.button(key=f"{decision}-{POST}-{THEME}").click().run())


def reviewed(at: AppTest) -> int:
    """How many posts the tally above the post picker says are reviewed."""
    (tally,) = [as_read(c.value) for c in at.caption if " reviewed · " in c.value]
    return int(re.search(r"(\d+) of \d+ reviewed", tally)[1])


def offered(at: AppTest) -> set[str]:
    """The decisions the Living wage card offers next."""
    return {b.key.split("-")[0] for b in at.button if b.key and b.key.endswith(f"-{POST}-{THEME}")}


def card(at: AppTest) -> str:
    """The Living wage card's line: the theme and where it stands."""
    lines = [as_read(m.value) for m in at.markdown]
    (line,) = [line for line in lines if line.startswith("**Living wage**")]
    return line.replace("**", "", 2)


def history(at: AppTest) -> list[list[str]]:
    """The post's history table: reviewer, decision, comment and round of each row."""
    tables = [d.value for d in at.dataframe if "Reviewer" in d.value.columns]
    if not tables:
        return []
    (table,) = tables
    return table[["Reviewer", "Decision", "Comment", "Round"]].values.tolist()


def infos(at: AppTest) -> list[str]:
    return [as_read(i.value) for i in at.info]


def open_round(at: AppTest, name: str, blind: bool) -> AppTest:
    ok(at.selectbox(key=PICKER).set_value(NEW).run())
    at.text_input(key="new_round_name").set_value(name)
    at.checkbox(key="new_round_blind").set_value(blind)
    return ok(next(b for b in at.button if b.label == "Open round").click().run())


def test_a_decision_carries_its_comment_the_reviewer_and_the_round_opened_on_the_page(
    reviewer, review_database
):
    ada = reviewer("Ada")
    open_round(ada, "pilot", blind=True)
    rounds = ReviewStore(review_database).rounds()
    assert rounds[["round", "blind", "set_by"]].values.tolist() == [["pilot", True, "Ada"]]
    assert ada.selectbox(key=PICKER).value == "pilot"  # the new round is the one chosen
    ok(ada.selectbox(key="review_post").set_value(POST).run())
    decide(ada, "rejected", COMMENT)
    log = ReviewStore(review_database).history()
    assert log[
        ["post_id", "theme", "decision", "reviewer", "comment", "round"]
    ].values.tolist() == [[POST, THEME, "rejected", "Ada", COMMENT, "pilot"]]
    assert ada.text_input(key=comment_key(POST, THEME)).value == ""  # ready for the next one
    assert history(ada) == [["Ada", "Rejected", COMMENT, "pilot"]]
    decide(ada, "added")  # no comment this time, and still in the round
    log = ReviewStore(review_database).history()
    assert log["comment"].tolist() == [COMMENT, None]
    assert log["round"].tolist() == ["pilot", "pilot"]


def test_without_a_round_a_decision_belongs_to_none(reviewer, review_database):
    ada = choose(reviewer("Ada"), None)
    decide(ada, "rejected", "  ")
    log = ReviewStore(review_database).history()
    assert log[["reviewer", "comment", "round"]].values.tolist() == [["Ada", None, None]]


def test_a_round_needs_a_new_name(reviewer, review_database):
    ada = reviewer("Ada")
    open_round(ada, "   ", blind=True)
    assert [as_read(e.value) for e in ada.error] == ["Give the round a name."]
    open_round(ada, "pilot", blind=False)
    open_round(ada, "pilot", blind=True)
    assert [as_read(e.value) for e in ada.error] == [
        "There is already a round called pilot: choose it above."
    ]
    rounds = ReviewStore(review_database).rounds()
    assert rounds[["round", "blind"]].values.tolist() == [["pilot", False]]


def test_in_a_blind_round_a_reviewer_sees_only_their_own_decisions_until_it_is_lifted(
    reviewer, review_database
):
    ada = reviewer("Ada")
    open_round(ada, "pilot", blind=True)
    choose(ada, "pilot")
    decide(ada, "rejected", COMMENT)
    assert reviewed(ada) == 1
    assert re.fullmatch(
        r"Living wage · Machine: tagged · rejected by Ada, \d+ \w+ \d{4}", card(ada)
    )
    assert offered(ada) == {"added"}  # Ada's own rejection counts for her

    ben = choose(reviewer("Ben"), "pilot")
    assert any(
        line.startswith("Round pilot is blind: you see only your own") for line in infos(ben)
    )
    assert reviewed(ben) == 0
    assert card(ben) == "Living wage · Machine: tagged · not yet reviewed"
    assert offered(ben) == {"confirmed", "rejected"}  # as if nobody had decided
    assert history(ben) == []
    assert not [b for b in ben.button if b.key == "round_blind_switch"]  # only Ada may lift it

    decide(ben, "confirmed", "Names the London Living Wage")
    ok(ada.run())
    assert history(ada) == [["Ada", "Rejected", COMMENT, "pilot"]]  # Ben's stays hidden from Ada
    assert offered(ada) == {"added"}

    ok(ada.button(key="round_blind_switch").click().run())  # Ada lifts blindness
    assert ReviewStore(review_database).rounds()["blind"].tolist() == [False]
    ok(ben.run())
    assert not any("is blind" in line for line in infos(ben))
    assert history(ben) == [
        ["Ada", "Rejected", COMMENT, "pilot"],
        ["Ben", "Confirmed", "Names the London Living Wage", "pilot"],
    ]
    assert reviewed(ben) == 0  # they disagree, nobody has settled: nothing counts yet
    assert card(ben) == "Living wage · Machine: tagged · not yet reviewed"


def test_a_blind_round_hides_others_decisions_whichever_round_is_chosen(reviewer, review_database):
    store = ReviewStore(review_database)
    store.set_round("pilot", True, "Ada")
    store.record(POST, THEME, "rejected", "Ada", "test", True, comment=COMMENT, round="pilot")
    ben = reviewer("Ben")
    for chosen in [None, "pilot"]:
        choose(ben, chosen)
        assert reviewed(ben) == 0
        assert offered(ben) == {"confirmed", "rejected"}
        assert history(ben) == []
    store.set_round("pilot", False, "Ada")
    for chosen in [None, "pilot"]:
        choose(ben, chosen)
        assert reviewed(ben) == 1  # Ada's is the only vote, so it counts
        assert offered(ben) == {"added"}
        assert history(ben) == [["Ada", "Rejected", COMMENT, "pilot"]]


def test_the_opener_can_make_a_round_blind_again(reviewer, review_database):
    ada = reviewer("Ada")
    open_round(ada, "pilot", blind=False)
    choose(ada, "pilot")
    assert not any("is blind" in line for line in infos(ada))
    ok(ada.button(key="round_blind_switch").click().run())
    assert ReviewStore(review_database).rounds()[["blind", "set_by"]].values.tolist() == [
        [True, "Ada"]
    ]
    assert any(line.startswith("Round pilot is blind") for line in infos(ada))


def test_names_round_names_and_comments_reach_the_screen_only_escaped(reviewer, review_database):
    from tests import hostile_files as hostile
    from tests.app_pages.test_hostile_text import assert_nothing_raw

    name, round = hostile.short_payload("reviewer")[:80], hostile.short_payload("round")[:80]
    at = reviewer(name)
    open_round(at, round, blind=True)
    choose(at, round)
    decide(at, "rejected", hostile.payload("comment"))
    at.session_state["review_log_open"] = True
    ok(at.run())
    log = ReviewStore(review_database).history()
    assert log[["reviewer", "round", "comment"]].values.tolist() == [
        [name, round, hostile.payload("comment")]
    ]
    texts = " ".join(text for _, text in assert_nothing_raw(at))
    assert "round" in texts and "reviewer" in texts  # they are shown, escaped
