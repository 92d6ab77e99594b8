"""analysis.agreement: agreement between reviewers against textbook values, and a two-reviewer
round, blind, with a disagreement settled, end to end on a SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from analysis.agreement import (
    ALPHA,
    KAPPA,
    MIN_UNITS,
    cohen_kappa,
    consensus,
    disagreements,
    krippendorff_alpha,
    machine_agreement,
    reviewer_agreement,
    settle,
    visible_history,
)
from analysis.review import reviewed_tags
from analysis.review_rounds import resolve
from analysis.review_store import ReviewStore

WHEN = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
nan = np.nan


# --- the statistics against hand and textbook values ----------------------------------------


def test_krippendorff_alpha_matches_krippendorffs_own_worked_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
    # observers, twelve units, values 1-5, missing data; nominal alpha = 0.743.
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ]
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=0.0005)


# Three reviewers, yes (1) / no (0), one post coded by only two:
#   u1: 1 1 1   u2: 0 0 0   u3: 1 1 0   u4: 0 0 -
# Coincidences (each ordered pair within a unit weighs 1/(m_u - 1)):
#   o11 = 3 (u1) + 1 (u3) = 4;  o00 = 3 (u2) + 2 (u4) = 5;  o10 = o01 = 1 (u3)
#   n1 = 5, n0 = 6, n = 11
#   nominal alpha = 1 - (n - 1) * (o10 + o01) / (2 * n1 * n0) = 1 - 10 * 2 / 60 = 2/3
THREE_REVIEWERS = {
    "Asha": [1, 0, 1, 0],
    "Ben": [1, 0, 1, 0],
    "Chidi": [1, 0, 0, None],
}


def test_krippendorff_alpha_of_a_yes_no_coding_computed_by_hand():
    data = [[nan if v is None else v for v in codes] for codes in THREE_REVIEWERS.values()]
    assert krippendorff_alpha(data) == pytest.approx(2 / 3)


# Two reviewers, ten posts:        Ben yes  Ben no
#                        Asha yes     6        2
#                        Asha no      1        1
#   observed p_o = 7/10 = 0.7
#   chance   p_e = P(A yes)P(B yes) + P(A no)P(B no) = 0.8 * 0.7 + 0.2 * 0.3 = 0.62
#   kappa = (0.7 - 0.62) / (1 - 0.62) = 0.08 / 0.38 = 0.210526...
ASHA = [True] * 6 + [True, True] + [False] + [False]
BEN = [True] * 6 + [False, False] + [True] + [False]


def test_cohen_kappa_of_a_two_by_two_table_computed_by_hand():
    assert cohen_kappa(ASHA, BEN) == pytest.approx(0.08 / 0.38)


def test_undefined_figures_are_nan_not_a_made_up_number():
    assert np.isnan(cohen_kappa([], []))
    assert np.isnan(cohen_kappa([True, True], [True, True]))  # no variation: 0/0
    assert np.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))
    assert np.isnan(krippendorff_alpha([[1, 0, 1]]))  # one reviewer


# --- a round on a store ----------------------------------------------------------------------


@pytest.fixture
def store(tmp_path):
    store = ReviewStore(f"sqlite:///{tmp_path / 'reviews.sqlite'}")
    yield store
    store.engine.dispose()


def vote(store, post_id, theme, applies, reviewer, round="pilot", minutes=0, **kwargs):
    store.record(
        post_id, theme, "confirmed" if applies else "rejected", reviewer, "2024.1", None,
        round=round, now=WHEN + timedelta(minutes=minutes), **kwargs,
    )  # fmt: skip


POSTS = pd.DataFrame({"id": [f"p{n}" for n in range(10)]})


def two_reviewer_round(store):
    store.set_round("pilot", True, "Lead", now=WHEN)
    for n, (asha, ben) in enumerate(zip(ASHA, BEN, strict=True)):
        vote(store, f"p{n}", "workforce", asha, "Asha", minutes=n)
        vote(store, f"p{n}", "workforce", ben, "Ben", minutes=20 + n,
             comment="only a passing mention" if n == 8 else None)  # fmt: skip


def test_reviewer_agreement_per_theme_with_n_and_a_small_sample_flag(store, codebook):
    two_reviewer_round(store)
    for n, (name, codes) in enumerate(THREE_REVIEWERS.items()):
        for unit, code in enumerate(codes):
            if code is not None:
                vote(store, f"p{unit}", "living_wage", bool(code), name, minutes=40 + n)
    table = reviewer_agreement(store.history(), "pilot", codebook).set_index("theme")
    assert table.loc["workforce", ["reviewers", "n", "measure"]].tolist() == [2, 10, KAPPA]
    assert table.loc["workforce", "value"] == pytest.approx(0.08 / 0.38)
    assert table.loc["workforce", "agreement"] == pytest.approx(0.7)
    assert table.loc["living_wage", ["reviewers", "n", "measure"]].tolist() == [3, 4, ALPHA]
    assert table.loc["living_wage", "value"] == pytest.approx(2 / 3)
    assert table.loc["living_wage", "agreement"] == pytest.approx(3 / 4)
    assert table.loc["racial_equity", ["reviewers", "n", "measure"]].tolist() == [0, 0, ""]
    assert np.isnan(table.loc["racial_equity", "value"])
    assert table["small_sample"].tolist() == [True] * 4  # all below MIN_UNITS
    assert MIN_UNITS == 30
    relaxed = reviewer_agreement(store.history(), "pilot", codebook, minimum=10)
    assert relaxed.set_index("theme")["small_sample"].to_dict() == {
        "workforce": False, "living_wage": True, "racial_equity": True, "health_justice": True
    }  # fmt: skip
    assert table.index.tolist() == [theme.id for theme in codebook.themes]


def test_a_reviewers_latest_vote_counts_and_other_rounds_do_not(store, codebook):
    two_reviewer_round(store)
    store.set_round("other", False, "Lead")
    vote(store, "p6", "workforce", False, "Asha", round="other")  # another round
    vote(store, "p6", "workforce", True, "Carol", round="other")
    vote(store, "p7", "workforce", False, "Asha", minutes=90)  # Asha changes her mind on p7
    table = reviewer_agreement(store.history(), "pilot", codebook).set_index("theme")
    assert table.loc["workforce", "agreement"] == pytest.approx(0.8)


def test_a_two_reviewer_blind_round_with_a_disagreement_settled_end_to_end(store, codebook):
    machine = pd.DataFrame(False, index=POSTS.index, columns=[t.id for t in codebook.themes])
    machine["workforce"] = [True] * 5 + [False] * 5  # p0-p4 tagged; p5-p9 not
    two_reviewer_round(store)

    # Blind: each reviewer sees only their own decisions of the round.
    rounds = store.rounds()
    for reviewer, codes in (("Asha", ASHA), ("Ben", BEN)):
        seen = visible_history(store.history(), rounds, f" {reviewer} ")
        assert set(seen["reviewer"]) == {reviewer}
        assert resolve(seen)["value"].tolist() == codes
    with pytest.raises(ValueError, match="blind"):
        settle(store, "pilot", "p6", "workforce", True, "Lead", "2024.1", machine=False)

    # Lift blindness: everyone sees everything, and the queue shows the three disputes.
    store.set_round("pilot", False, "Lead", now=WHEN + timedelta(hours=1))
    assert len(visible_history(store.history(), store.rounds(), "Asha")) == 20
    queue = disagreements(store.history(), "pilot")
    assert queue["post_id"].tolist() == ["p6", "p7", "p8"]
    assert queue.loc[2, ["applies", "does_not_apply"]].tolist() == [("Ben",), ("Asha",)]
    assert queue.loc[2, "comments"] == ("Ben: only a passing mention",)
    # Before settling, reviewed mode keeps the machine tag where the reviewers disagree.
    before = reviewed_tags(POSTS, machine, store.current())["workforce"].tolist()
    assert before == [True] * 6 + [False, False, False, False]  # p5 agreed yes; p9 agreed no

    settle(store, "pilot", "p6", "workforce", True, "Lead", "2024.1", machine=False,
           comment="Staffing is the subject", now=WHEN + timedelta(hours=2))  # fmt: skip
    settled = store.history().iloc[-1]
    assert settled[["decision", "previous", "settles", "round", "reviewer"]].tolist() == [
        "added", False, True, "pilot", "Lead"
    ]  # fmt: skip
    assert disagreements(store.history(), "pilot")["post_id"].tolist() == ["p7", "p8"]
    after = reviewed_tags(POSTS, machine, store.current())["workforce"].tolist()
    assert after == [True] * 7 + [False, False, False]  # p6 now as settled

    agreed = consensus(store.history(), "pilot").set_index("post_id")
    assert agreed.loc["p6", ["value", "how", "reviewer"]].tolist() == [True, "settled", "Lead"]
    assert agreed.loc["p0", "how"] == "agreed"
    assert sorted(agreed.index) == ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p9"]

    # Machine against the consensus, over those 8 posts:
    #   consensus yes on p0-p6, no on p9; machine yes on p0-p4 only: agree on 6 of 8.
    #   p_o = 6/8; p_e = (7/8)(5/8) + (1/8)(3/8) = 38/64; kappa = (48/64 - 38/64) / (26/64) = 5/13
    quality = machine_agreement(POSTS, machine, store.history(), "pilot", codebook)
    row = quality.set_index("theme").loc["workforce"]
    assert row[["n", "agree", "small_sample"]].tolist() == [8, 6, True]
    assert row["kappa"] == pytest.approx(5 / 13)
    assert quality.set_index("theme").loc["living_wage", "n"] == 0


def test_settling_needs_an_opened_round(store):
    with pytest.raises(ValueError, match="not been opened"):
        settle(store, "nope", "p0", "workforce", True, "Lead", "2024.1", machine=True)
