"""analysis.review: the latest human decisions combined with the machine tags."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.codebook import Codebook, Theme
from analysis.review import (
    REVIEW_FILTERS,
    agreement,
    next_decisions,
    review_filter,
    review_status,
    reviewed_tags,
)
from analysis.review_store import ReviewStore
from tests.analysis.test_review_store import WHEN, record

THEMES = ["workforce", "living_wage", "racial_equity"]


@pytest.fixture
def store():
    store = ReviewStore("sqlite://")  # in memory: one connection per thread keeps it
    yield store
    store.engine.dispose()


def decisions(*rows: tuple[str, str, bool]) -> pd.DataFrame:
    """A hand-made ``current`` frame from (post_id, theme, value) rows."""
    frame = pd.DataFrame(rows, columns=["post_id", "theme", "value"])
    frame["decision"] = np.where(frame["value"], "confirmed", "rejected")
    return frame


@pytest.fixture
def posts() -> pd.DataFrame:
    # A non-default index, so results must follow the posts' index, not positions.
    return pd.DataFrame({"id": ["a", "b", "c", "d"], "title": list("ABCD")}, index=[10, 11, 12, 13])


@pytest.fixture
def machine(posts: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "workforce": [True, True, False, False],
            "living_wage": [False, True, False, False],
            "racial_equity": [False, False, True, False],
        },
        index=posts.index,
    )


# --- reviewed tags and status ----------------------------------------------------------------


def test_reviewed_tags_override_only_decided_cells(posts, machine):
    current = decisions(
        ("a", "workforce", False),  # machine True -> rejected
        ("b", "workforce", True),  # machine True -> confirmed, no change
        ("d", "racial_equity", True),  # machine False -> added
        ("ghost", "workforce", False),  # unknown post: ignored
        ("c", "astrology", True),  # unknown theme: ignored
    )
    reviewed = reviewed_tags(posts, machine, current)
    expected = machine.copy()
    expected.loc[10, "workforce"] = False
    expected.loc[13, "racial_equity"] = True
    pd.testing.assert_frame_equal(reviewed, expected)
    assert reviewed.dtypes.eq(bool).all()
    assert machine.loc[10, "workforce"]  # the machine tags are not changed


def test_reviewed_tags_without_decisions_are_the_machine_tags(posts, machine, store):
    pd.testing.assert_frame_equal(reviewed_tags(posts, machine, store.current()), machine)
    only_unknown = decisions(("ghost", "workforce", True), ("a", "astrology", True))
    pd.testing.assert_frame_equal(reviewed_tags(posts, machine, only_unknown), machine)


def test_reviewed_tags_from_the_store(posts, machine, store):
    record(store, "c", "living_wage", "added", previous=False)
    record(store, "c", "living_wage", "rejected", previous=True)
    record(store, "c", "workforce", "added", previous=False)
    reviewed = reviewed_tags(posts, machine, store.current())
    assert reviewed.loc[12].to_dict() == {
        "workforce": True,
        "living_wage": False,
        "racial_equity": True,
    }
    assert reviewed.drop(index=12).equals(machine.drop(index=12))


def test_reviewed_tags_need_tags_indexed_like_posts(posts, machine):
    with pytest.raises(ValueError, match="indexed like posts"):
        reviewed_tags(posts, machine.reset_index(drop=True), decisions())


def test_review_status(posts, machine):
    current = decisions(
        ("a", "workforce", True),  # reviewed, agrees
        ("b", "workforce", True),  # reviewed, agrees ...
        ("b", "living_wage", False),  # ... and disagrees on another theme
        ("ghost", "workforce", False),  # ignored
        ("d", "astrology", True),  # ignored: d stays unreviewed
    )
    status = review_status(posts, machine, current)
    assert list(status.columns) == ["reviewed", "disagrees"]
    assert status.index.equals(posts.index)
    assert status["reviewed"].tolist() == [True, True, False, False]
    assert status["disagrees"].tolist() == [False, True, False, False]


def test_review_status_before_any_decision(posts, machine, store):
    status = review_status(posts, machine, store.current())
    assert not status.to_numpy().any()
    assert status.shape == (4, 2)


def test_each_filter_lists_exactly_its_posts(posts, machine):
    current = decisions(
        ("a", "workforce", True),  # reviewed, agrees
        ("b", "living_wage", False),  # reviewed, disagrees (machine True)
        ("c", "workforce", True),  # reviewed, disagrees (machine False)
        ("d", "astrology", True),  # ignored: d stays unreviewed
    )
    status = review_status(posts, machine, current)
    listed = {show: posts["id"][review_filter(status, show)].tolist() for show in REVIEW_FILTERS}
    assert listed == {"all": ["a", "b", "c", "d"], "unreviewed": ["d"], "disagree": ["b", "c"]}
    for show in REVIEW_FILTERS:
        mask = review_filter(status, show)
        assert mask.index.equals(posts.index) and mask.dtype == bool


def test_filters_before_any_decision(posts, machine, store):
    status = review_status(posts, machine, store.current())
    assert review_filter(status, "unreviewed").all()
    assert not review_filter(status, "disagree").any()


def test_unknown_filter_is_refused(posts, machine):
    status = review_status(posts, machine, decisions())
    with pytest.raises(ValueError, match="all, unreviewed, disagree"):
        review_filter(status, "mine")


def test_next_decisions_for_one_post(machine, store):
    record(store, "b", "workforce", "rejected", previous=True, reviewer="Ben")
    record(store, "b", "racial_equity", "rejected", previous=False)
    record(store, "b", "racial_equity", "added", previous=False)
    record(store, "a", "living_wage", "added", previous=False)  # another post: not shown
    steps = next_decisions("b", machine.loc[11], store.current())

    assert [step.theme for step in steps] == THEMES
    workforce, living_wage, racial_equity = steps
    assert (workforce.machine, workforce.current) == (True, False)
    assert (workforce.decision, workforce.reviewer) == ("rejected", "Ben")
    assert workforce.decided_at == pd.Timestamp(WHEN)
    assert workforce.options == ("added",)

    assert (living_wage.machine, living_wage.current, living_wage.decision) == (True, True, None)
    assert living_wage.reviewer is living_wage.decided_at is None
    assert living_wage.options == ("confirmed", "rejected")

    assert (racial_equity.machine, racial_equity.current) == (False, True)
    assert racial_equity.decision == "added"
    assert racial_equity.options == ("confirmed", "rejected")


def test_next_decisions_before_any_review(machine, store):
    steps = next_decisions("d", machine.loc[13], store.current())
    assert [(step.current, step.options) for step in steps] == [(False, ("added", "rejected"))] * 3
    assert {(step.machine, step.decision) for step in steps} == {(False, None)}
    confirmed = next_decisions("a", machine.loc[10], decisions(("a", "workforce", True)))[0]
    assert (confirmed.decision, confirmed.options) == ("confirmed", ("rejected",))


# --- agreement -------------------------------------------------------------------------------


def test_agreement_on_a_small_example(posts, machine):
    codebook = Codebook(
        themes=tuple(
            Theme(id=theme_id, label=label, colour="#000000", definition="d", terms=("t",))
            for theme_id, label in zip(
                THEMES, ["Workforce", "Living wage", "Racial equity"], strict=True
            )
        )
    )
    current = decisions(
        # workforce, machine a..c = T, T, F; human T, F, F: 2 of 3 agree.
        ("a", "workforce", True),
        ("b", "workforce", False),
        ("c", "workforce", False),
        ("ghost", "workforce", True),  # ignored
        # racial_equity, machine a, b = F, F; human F, F: all agree, both constant.
        ("a", "racial_equity", False),
        ("b", "racial_equity", False),
        # living_wage: no decisions.
    )
    table = agreement(posts, machine, current, codebook)
    assert list(table.columns) == ["theme", "label", "decisions", "agree", "kappa"]
    assert table["theme"].tolist() == THEMES
    assert table["label"].tolist() == ["Workforce", "Living wage", "Racial equity"]
    assert table["decisions"].tolist() == [3, 0, 2]
    assert table["agree"].tolist() == [2, 0, 2]
    # workforce: observed 2/3; expected 1/3 * 2/3 + 2/3 * 1/3 = 4/9; kappa (2/9) / (5/9) = 0.4.
    assert table.at[0, "kappa"] == pytest.approx(0.4)
    assert math.isnan(table.at[1, "kappa"])
    assert table.at[2, "kappa"] == 1.0
