"""analysis.review_rounds: which decision counts, within review rounds and outside them."""

from __future__ import annotations

import pytest

from analysis.review_rounds import resolve
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
    store.set_round("pilot", True, "Lead")
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
