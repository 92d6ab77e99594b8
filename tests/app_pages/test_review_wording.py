"""app_pages.review_wording: what the Review page says, from the engine's keys and numbers."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.review import REVIEW_FILTERS, NextDecision
from analysis.review_passcode import PasscodeAttempts, configured_passcode
from app_pages.review_wording import (
    FILTER_LABELS,
    READ_ONLY,
    action_label,
    locked_message,
    passcode_message,
    summary,
    tally,
)

WHEN = pd.Timestamp("2024-03-01 09:30", tz="UTC")


def step(machine: bool, decision: str | None = None, reviewer: str | None = None, when=None):
    current = machine if decision is None else decision != "rejected"
    return NextDecision("workforce", machine, current, decision, reviewer, when, ())


def test_every_choice_of_the_engine_has_a_label_in_order():
    assert tuple(FILTER_LABELS) == REVIEW_FILTERS
    labels = list(FILTER_LABELS.values())
    assert len(set(labels)) == len(labels)  # a reviewer can tell the choices apart
    # Each narrowing choice speaks the tally's words ("2 of 3 reviewed · 1 where machine and
    # reviewer disagree"), so the count under the choice reads as what it lists.
    status = pd.DataFrame({"reviewed": [True], "disagrees": [True]})
    said = tally(1, status)
    assert "not yet reviewed" in FILTER_LABELS["unreviewed"].lower() and "reviewed" in said
    assert "machine" in FILTER_LABELS["disagree"].lower() and "disagree" in said
    assert "disagree" in FILTER_LABELS["disagree"].lower()


def test_action_labels_say_what_the_click_means():
    assert action_label("confirmed", True) == "Confirm it applies"
    assert action_label("rejected", True) == "Reject: it does not apply"
    assert action_label("added", False) == "Add: it applies"
    assert action_label("rejected", False) == "Confirm it does not apply"
    with pytest.raises(KeyError):
        action_label("added", True)  # adding a theme that already applies is not offered


def test_summary_says_the_machine_tag_and_the_latest_decision():
    assert summary(step(True)) == "Machine: tagged · not yet reviewed"
    assert summary(step(False)) == "Machine: not tagged · not yet reviewed"
    assert summary(step(True, "rejected", "Ben", WHEN)) == (
        "Machine: tagged · rejected by Ben, 1 Mar 2024"
    )
    assert summary(step(False, "added", "Asha", WHEN)) == (
        "Machine: not tagged · added by Asha, 1 Mar 2024"
    )
    assert summary(step(False, "added")) == "Machine: not tagged · added"


def test_summary_of_steps_from_the_engine():
    from analysis.review import next_decisions

    current = pd.DataFrame(
        {"post_id": ["b"], "theme": ["living_wage"], "value": [False], "decision": ["rejected"]}
        | {"reviewer": ["Ben"], "decided_at": [WHEN]}
    )
    tags = pd.Series({"workforce": False, "living_wage": True})
    assert [summary(s) for s in next_decisions("b", tags, current)] == [
        "Machine: not tagged · not yet reviewed",
        "Machine: tagged · rejected by Ben, 1 Mar 2024",
    ]


def test_tally_counts_listed_reviewed_and_disagreeing_posts():
    status = pd.DataFrame({"reviewed": [True, True, False], "disagrees": [False, True, False]})
    assert tally(1, status) == "1 post · 2 of 3 reviewed · 1 where machine and reviewer disagree"
    assert tally(3, status) == "3 posts · 2 of 3 reviewed · 1 where machine and reviewer disagree"


def test_locked_message_says_second_or_seconds():
    assert locked_message(1) == "Too many attempts: try again in 1 second."
    assert locked_message(45) == "Too many attempts: try again in 45 seconds."


def test_passcode_messages_follow_the_attempts():
    tries, said = PasscodeAttempts(), []
    for now in range(6):
        result = tries.attempt("guess", "secret", now=now)
        tries = result.attempts
        said.append(passcode_message(result))
    assert said == ["That passcode is not right."] * 4 + [
        "Too many attempts: try again in 30 seconds.",
        "Too many attempts: try again in 29 seconds.",  # refused while locked
    ]
    assert passcode_message(PasscodeAttempts().attempt("secret", "secret", now=0)) is None


def test_read_only_note_names_where_to_set_the_passcode():
    # Doing what the note says is what makes the dashboard find a passcode.
    where = re.search(r"set (\S+) in the environment, or (\S+) in (\S+), and restart", READ_ONLY)
    assert where, READ_ONLY
    variable, key, file = where.groups()
    assert configured_passcode(environ={variable: "horse"}) == "horse"
    assert configured_passcode(environ={}, secrets={key: "battery"}) == "battery"
    assert file == ".streamlit/secrets.toml"
    assert READ_ONLY.startswith("Read-only")


def test_the_round_state_says_whether_it_is_blind_and_who_can_lift_it():
    from app_pages.review_wording import round_state

    assert round_state("pilot", True, "Ada", "Ada") == (
        "Round pilot is blind: you see only your own decisions in it; the other reviewers' "
        "stay hidden until you lift blindness."
    )
    assert round_state("pilot", True, "Ada", "Ben") == (
        "Round pilot is blind: you see only your own decisions in it; the other reviewers' "
        "stay hidden until Ada lifts blindness."
    )
    assert round_state("pilot", False, "Ada", "Ben") == (
        "Round pilot is not blind: everyone sees every decision in it."
    )


def test_the_log_count_says_how_many_of_how_many_decisions_are_shown():
    from app_pages.review_wording import log_count

    assert log_count(3, 12) == "3 of 12 decisions"
    assert log_count(12, 12) == "12 decisions"
    assert log_count(1, 1) == "1 decision"
    assert log_count(0, 1) == "0 of 1 decision"
    assert log_count(0, 0) == "0 decisions"
    assert log_count(1_200, 43_213) == "1,200 of 43,213 decisions"
    assert log_count(1_000, 1_000) == "1,000 decisions"
