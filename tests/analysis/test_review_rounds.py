"""analysis.review_rounds: which decision counts, within review rounds and outside them."""

from __future__ import annotations

import pytest

from analysis.review_rounds import blind_decisions, resolve
from analysis.review_store import ReviewStore
from analysis.review_tables import CURRENT_COLUMNS
from tests.analysis.test_review_log_record import record


@pytest.fixture
def store(tmp_path):
    store = ReviewStore(f"sqlite:///{tmp_path / 'reviews.sqlite'}")
    yield store
    store.engine.dispose()


def test_current_counts_agreement_ignores_a_disagreement_until_it_is_settled(store):
    record(store, "p", "workforce", "confirmed", reviewer="Ops")  # before the round: True
    store.set_round("pilot", False, "Lead")  # not blind: its decisions count at once
    for reviewer in ("Asha", "Ben"):  # agree on q
        record(store, "q", "workforce", "rejected", reviewer=reviewer, round="pilot")
    record(store, "p", "workforce", "rejected", reviewer="Asha", round="pilot")
    record(store, "p", "workforce", "confirmed", reviewer="Ben", round="pilot")
    # Asha changes her mind on q: her latest vote counts, so q is now a disagreement too.
    record(store, "q", "workforce", "added", reviewer="Asha", round="pilot")

    current = store.current().set_index("post_id")
    assert list(store.current().columns) == list(CURRENT_COLUMNS)
    assert current.loc["p", "reviewer"] == "Ops"  # unsettled: the value from before stands
    assert "q" not in current.index  # unsettled, and nothing before

    record(store, "p", "workforce", "rejected", reviewer="Lead", round="pilot", settles=True,
           comment="Mentions staff only in passing")  # fmt: skip
    record(store, "q", "workforce", "added", reviewer="Ben", round="pilot")  # now they agree
    current = store.current().set_index("post_id")
    assert current.loc["p", ["value", "reviewer", "comment"]].tolist() == [
        False, "Lead", "Mentions staff only in passing"
    ]  # fmt: skip
    assert current.loc["q", ["value", "reviewer"]].tolist() == [True, "Ben"]
    # A later vote does not undo a settlement within the round.
    record(store, "p", "workforce", "confirmed", reviewer="Ben", round="pilot")
    assert store.current().set_index("post_id").loc["p", "reviewer"] == "Lead"
    # A decision outside a round, made later, counts as it always did.
    record(store, "p", "workforce", "confirmed", reviewer="Ops")
    assert store.current().set_index("post_id").loc["p", "reviewer"] == "Ops"


def test_resolve_without_rounds_is_the_latest_decision(store):
    record(store, "a", "workforce", "confirmed")
    record(store, "a", "workforce", "rejected", reviewer="Ben")
    record(store, "b", "living_wage", "added")
    assert resolve(store.history())[["post_id", "reviewer"]].values.tolist() == [
        ["a", "Ben"], ["b", "Asha"]
    ]  # fmt: skip
    assert resolve(store.history().iloc[:0]).columns.tolist() == list(CURRENT_COLUMNS)


# --- blind rounds: nothing counts for everyone until blindness is lifted ----------------------


def test_a_lone_vote_in_a_blind_round_does_not_count_until_blindness_is_lifted(store):
    record(store, "p", "workforce", "confirmed", reviewer="Ops")  # outside any round: True
    store.set_round("pilot", True, "Lead")
    record(store, "p", "workforce", "rejected", reviewer="Asha", round="pilot")
    record(store, "q", "workforce", "added", reviewer="Asha", round="pilot")
    record(store, "r", "workforce", "added", reviewer="Ops")  # outside the round, during it

    current = store.current().set_index("post_id")
    assert current.loc["p", ["value", "reviewer"]].tolist() == [True, "Ops"]
    assert "q" not in current.index  # Asha's lone blind vote is nobody else's business yet
    assert current.loc["r", ["value", "reviewer"]].tolist() == [True, "Ops"]

    store.set_round("pilot", False, "Lead")  # lifted: the lone vote is every reviewer's vote
    current = store.current().set_index("post_id")
    assert current.loc["p", ["value", "reviewer"]].tolist() == [False, "Asha"]
    assert current.loc["q", ["value", "reviewer"]].tolist() == [True, "Asha"]
    assert current.loc["r", ["value", "reviewer"]].tolist() == [True, "Ops"]

    store.set_round("pilot", True, "Lead")  # blind again: its decisions stop counting again
    assert store.current().set_index("post_id").loc["p", "reviewer"] == "Ops"


def test_settling_counts_in_a_lifted_round_and_not_while_it_is_blind_again(store):
    store.set_round("pilot", True, "Lead")
    record(store, "p", "workforce", "rejected", reviewer="Asha", round="pilot")
    record(store, "p", "workforce", "confirmed", reviewer="Ben", round="pilot")
    assert store.current().empty  # blind: neither vote counts
    store.set_round("pilot", False, "Lead")
    assert store.current().empty  # lifted: an unsettled disagreement, nothing before
    record(store, "p", "workforce", "rejected", reviewer="Lead", round="pilot", settles=True)
    current = store.current()
    assert current[["post_id", "value", "reviewer"]].values.tolist() == [["p", False, "Lead"]]
    store.set_round("pilot", True, "Lead")
    assert store.current().empty


def test_resolve_without_rounds_counts_a_reviewers_own_blind_votes(store):
    """A reviewer's own view (visible_history) passes no rounds: their own blind votes count."""
    store.set_round("pilot", True, "Lead")
    record(store, "q", "workforce", "added", reviewer="Asha", round="pilot")
    assert resolve(store.history())["reviewer"].tolist() == ["Asha"]
    assert resolve(store.history(), store.rounds()).empty
    assert blind_decisions(store.history(), store.rounds()).tolist() == [True]


def test_a_round_missing_from_the_rounds_counts_as_blind(store):
    store.set_round("pilot", False, "Lead")
    record(store, "q", "workforce", "added", reviewer="Asha", round="pilot")
    record(store, "r", "workforce", "added", reviewer="Asha")
    history = store.history()
    assert blind_decisions(history, store.rounds().iloc[:0]).tolist() == [True, False]
    assert resolve(history, store.rounds().iloc[:0])["post_id"].tolist() == ["r"]
    assert resolve(history, store.rounds())["post_id"].tolist() == ["q", "r"]
