"""Agreement between reviewers in a review round, the queue of their disagreements, and settling.

Two or more reviewers code the same posts in a review round (:meth:`ReviewStore.set_round`);
each reviewer's latest decision on a (post, theme) in the round is their *vote*. Here:

- :func:`reviewer_agreement`: per theme, how far the reviewers agree beyond chance: Cohen's
  kappa for two reviewers (scikit-learn's ``cohen_kappa_score``), Krippendorff's alpha for
  more (the ``krippendorff`` package, nominal level, which allows a reviewer to skip a post),
  each with its n and a small-sample flag below :data:`MIN_UNITS`;
- :func:`consensus` and :func:`machine_agreement`: the round's settled value of each pair
  (the reviewers' common vote, or the settling decision) and how far the machine agrees with it;
- :func:`disagreements`: the pairs on which the reviewers' votes differ and nobody has settled,
  the queue to settle; :func:`settle` records the settling decision, which
  :meth:`ReviewStore.current` (and so :func:`analysis.review.reviewed_tags`) then counts;
- :func:`visible_history`: what a reviewer may see of the log while a round is blind (their
  own decisions of that round only).

Everything reads a log frame as from :meth:`ReviewStore.history`; nothing here writes but
:func:`settle`.

Examples
--------
>>> cohen_kappa([True, True, False, False], [True, False, False, False])
0.5
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import datetime

import krippendorff
import numpy as np
import pandas as pd
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import cohen_kappa_score

from analysis.codebook import Codebook
from analysis.review_rounds import round_outcomes, settling
from analysis.review_store import ReviewStore

#: Below this many posts coded by at least two reviewers (or, for the machine, with a consensus),
#: an agreement figure is flagged as a small sample: kappa or alpha from a handful of posts swings
#: widely on one post (from two posts it can be -1). 30 is a common rule of thumb for a first
#: reading; Krippendorff (2011) ties the size needed to the smallest alpha to be accepted.
MIN_UNITS = 30

#: Columns of :func:`reviewer_agreement`.
REVIEWER_AGREEMENT_COLUMNS = (
    "theme",
    "label",
    "reviewers",
    "n",
    "measure",
    "value",
    "agreement",
    "small_sample",
)
#: Columns of :func:`machine_agreement`.
MACHINE_AGREEMENT_COLUMNS = ("theme", "label", "n", "agree", "kappa", "small_sample")
#: Columns of :func:`disagreements`.
QUEUE_COLUMNS = ("post_id", "theme", "applies", "does_not_apply", "comments", "last_vote_at")
#: Columns of :func:`consensus`.
CONSENSUS_COLUMNS = ("post_id", "theme", "value", "how", "reviewer")

KAPPA = "Cohen's kappa"
ALPHA = "Krippendorff's alpha"


# --- the statistics ------------------------------------------------------------------------------


def cohen_kappa(first: Sequence[bool], second: Sequence[bool]) -> float:
    """Cohen's kappa of two yes/no codings of the same posts (scikit-learn's).

    NaN when there is nothing to compare or kappa is undefined (both codings constant:
    chance agreement is then 1, and kappa 0/0).
    """
    first, second = np.asarray(first, dtype=bool), np.asarray(second, dtype=bool)
    if len(first) == 0:
        return float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UndefinedMetricWarning)  # undefined is NaN, said above
        value = cohen_kappa_score(first, second, labels=[False, True])
    return float(value)


def krippendorff_alpha(reliability_data) -> float:
    """Krippendorff's alpha, nominal level, from the ``krippendorff`` package.

    ``reliability_data`` has one row per reviewer and one column per post, NaN where a
    reviewer did not code the post. NaN when alpha is undefined: fewer than two codings of
    any post, or every coding the same value (no variation to agree on).
    """
    data = np.asarray(reliability_data, dtype=float)
    if data.ndim != 2 or data.shape[0] < 2:
        return float("nan")
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    values = data[:, pairable]
    if np.unique(values[~np.isnan(values)]).size < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


# --- votes in a round ----------------------------------------------------------------------------


def votes(history: pd.DataFrame, round: str) -> pd.DataFrame:
    """Each reviewer's latest (not settling) decision on each (post, theme) of ``round``.

    Returns the rows of ``history`` that are votes, in ``entry`` order.
    """
    mine = history[(history["round"] == round) & ~settling(history)]
    return mine.drop_duplicates(["post_id", "theme", "reviewer"], keep="last")


def reviewer_agreement(
    history: pd.DataFrame, round: str, codebook: Codebook, *, minimum: int = MIN_UNITS
) -> pd.DataFrame:
    """How far the reviewers of ``round`` agree, theme by theme.

    Parameters
    ----------
    history : pandas.DataFrame
        The log, as from :meth:`ReviewStore.history`.
    round : str
        The review round.
    codebook : Codebook
        The themes, in display order, and their labels.
    minimum : int, default :data:`MIN_UNITS`
        Fewer posts than this (``n``) sets ``small_sample``.

    Returns
    -------
    pandas.DataFrame
        One row per theme (:data:`REVIEWER_AGREEMENT_COLUMNS`): ``reviewers`` (how many coded
        the theme in the round); ``n`` (posts coded by at least two of them; for two reviewers,
        by both); ``measure`` (:data:`KAPPA` for two reviewers, :data:`ALPHA` for more, empty
        for fewer); ``value`` (NaN when undefined: see :func:`cohen_kappa`,
        :func:`krippendorff_alpha`); ``agreement`` (share of the n posts on which all who coded
        it agree, NaN when n is 0); ``small_sample`` (n below ``minimum``).
    """
    mine = votes(history, round)
    rows = []
    for theme in codebook.themes:
        grid = mine[mine["theme"] == theme.id].pivot(
            index="reviewer", columns="post_id", values="value"
        )
        data = grid.astype(float).to_numpy() if not grid.empty else np.empty((0, 0))
        coded = (~np.isnan(data)).sum(axis=0) if data.size else np.zeros(0, dtype=int)
        reviewers = int(grid.shape[0])
        if reviewers == 2:
            both = coded == 2
            n = int(both.sum())
            measure, value = KAPPA, cohen_kappa(data[0, both] == 1, data[1, both] == 1)
        elif reviewers > 2:
            n = int((coded >= 2).sum())
            measure, value = ALPHA, krippendorff_alpha(data)
        else:
            n, measure, value = 0, "", float("nan")
        pairable = data[:, coded >= 2] if data.size else data
        unanimous = [np.unique(column[~np.isnan(column)]).size == 1 for column in pairable.T]
        rows.append(
            {
                "theme": theme.id,
                "label": theme.label,
                "reviewers": reviewers,
                "n": n,
                "measure": measure,
                "value": value,
                "agreement": float(np.mean(unanimous)) if n else float("nan"),
                "small_sample": n < minimum,
            }
        )
    return pd.DataFrame(rows, columns=list(REVIEWER_AGREEMENT_COLUMNS))


def consensus(history: pd.DataFrame, round: str) -> pd.DataFrame:
    """The value of each (post, theme) of ``round`` the reviewers agree on or that was settled.

    Returns
    -------
    pandas.DataFrame
        :data:`CONSENSUS_COLUMNS`: ``value`` (bool), ``how`` ("settled" for a settling
        decision, which wins, else "agreed": every reviewer's vote has that value) and
        ``reviewer`` (who settled; empty when agreed). Pairs in dispute are left out.
    """
    outcomes = round_outcomes(history[history["round"] == round])
    frame = pd.DataFrame(
        {
            "post_id": outcomes["post_id"],
            "theme": outcomes["theme"],
            "value": outcomes["value"],
            "how": outcomes["how"],
            "reviewer": outcomes["reviewer"].where(outcomes["how"] == "settled", ""),
        },
        columns=list(CONSENSUS_COLUMNS),
    ).reset_index(drop=True)
    frame["value"] = frame["value"].astype(bool)
    return frame


def machine_agreement(
    posts: pd.DataFrame,
    machine_tags: pd.DataFrame,
    history: pd.DataFrame,
    round: str,
    codebook: Codebook,
    *,
    minimum: int = MIN_UNITS,
) -> pd.DataFrame:
    """How far the machine agrees with the round's consensus (:func:`consensus`), per theme.

    Parameters
    ----------
    posts, machine_tags
        The posts (an ``id`` column) and their machine tags, indexed alike.
    history, round, codebook, minimum
        As for :func:`reviewer_agreement`.

    Returns
    -------
    pandas.DataFrame
        :data:`MACHINE_AGREEMENT_COLUMNS`: ``n`` (posts of ``posts`` with a consensus on the
        theme), ``agree`` (of those, where the machine tag equals it), ``kappa`` (Cohen's,
        :func:`cohen_kappa`) and ``small_sample`` (n below ``minimum``).
    """
    machine = pd.DataFrame(machine_tags.to_numpy(dtype=bool), columns=machine_tags.columns)
    machine.index = posts["id"].to_numpy()
    agreed = consensus(history, round)
    rows = []
    for theme in codebook.themes:
        mine = agreed[(agreed["theme"] == theme.id) & agreed["post_id"].isin(machine.index)]
        people = mine["value"].to_numpy(dtype=bool)
        tagger = machine.loc[mine["post_id"], theme.id].to_numpy(dtype=bool)
        n = len(mine)
        rows.append(
            {
                "theme": theme.id,
                "label": theme.label,
                "n": n,
                "agree": int((people == tagger).sum()),
                "kappa": cohen_kappa(people, tagger),
                "small_sample": n < minimum,
            }
        )
    return pd.DataFrame(rows, columns=list(MACHINE_AGREEMENT_COLUMNS))


def disagreements(history: pd.DataFrame, round: str) -> pd.DataFrame:
    """The queue to settle: pairs of ``round`` whose reviewers' votes differ, not yet settled.

    Returns
    -------
    pandas.DataFrame
        :data:`QUEUE_COLUMNS`, oldest dispute first (by the latest vote): ``applies`` and
        ``does_not_apply`` (the reviewers on each side, in the order they voted, as tuples),
        ``comments`` (``reviewer: comment`` of each vote that has one, as a tuple; the text as
        stored, for the page to escape), ``last_vote_at``.
    """
    mine = votes(history, round)
    settled = history[(history["round"] == round) & settling(history)]
    done = set(zip(settled["post_id"], settled["theme"], strict=True))
    rows = []
    for (post_id, theme), pair in mine.groupby(["post_id", "theme"], sort=False):
        if pair["value"].nunique() < 2 or (post_id, theme) in done:
            continue
        rows.append(
            {
                "post_id": post_id,
                "theme": theme,
                "applies": tuple(pair.loc[pair["value"], "reviewer"]),
                "does_not_apply": tuple(pair.loc[~pair["value"], "reviewer"]),
                "comments": tuple(
                    f"{row.reviewer}: {row.comment}"
                    for row in pair.itertuples()
                    if isinstance(row.comment, str)
                ),
                "last_vote_at": pair["decided_at"].max(),
            }
        )
    frame = pd.DataFrame(rows, columns=list(QUEUE_COLUMNS))
    return frame.sort_values("last_vote_at", kind="stable").reset_index(drop=True)


def settle(
    store: ReviewStore,
    round: str,
    post_id: str,
    theme: str,
    applies: bool,
    reviewer: str,
    codebook_version: str,
    *,
    machine: bool,
    comment: str | None = None,
    now: datetime | None = None,
) -> None:
    """Record the decision that settles a disagreement of ``round`` on (post, theme).

    The decision is ``rejected`` when the theme does not apply, else ``confirmed`` when the
    machine tagged it and ``added`` when it did not. ``previous`` is the value that counted
    before (:meth:`ReviewStore.current`, else the machine tag).

    Raises
    ------
    ValueError
        When the round is unknown or still blind: settling shows every reviewer's vote, so
        lift blindness first (``store.set_round(round, False, ...)``).
    """
    rounds = store.rounds().set_index("round")
    if round not in rounds.index:
        raise ValueError(f"round {round!r} has not been opened")
    if rounds.at[round, "blind"]:
        raise ValueError(f"round {round!r} is blind: lift blindness before settling")
    current = store.current()
    before = current[(current["post_id"] == post_id) & (current["theme"] == theme)]
    previous = bool(before["value"].iloc[-1]) if len(before) else bool(machine)
    decision = "rejected" if not applies else ("confirmed" if machine else "added")
    store.record(
        post_id, theme, decision, reviewer, codebook_version, previous,
        comment=comment, round=round, settles=True, now=now,
    )  # fmt: skip


# --- blind rounds --------------------------------------------------------------------------------


def visible_history(history: pd.DataFrame, rounds: pd.DataFrame, reviewer: str) -> pd.DataFrame:
    """The decisions ``reviewer`` may see: in a blind round, only their own.

    Parameters
    ----------
    history : pandas.DataFrame
        The log, as from :meth:`ReviewStore.history`.
    rounds : pandas.DataFrame
        As from :meth:`ReviewStore.rounds`. A round missing from it is treated as blind.
    reviewer : str
        The reviewer's name, as they record it (surrounding white space is ignored).

    Returns
    -------
    pandas.DataFrame
        The rows of ``history`` outside any round, in rounds that are not blind, and the
        reviewer's own rows in blind rounds. :func:`analysis.review_rounds.resolve` of it is
        what the reviewer's screens should treat as current.
    """
    blind = dict(zip(rounds["round"], rounds["blind"].astype(bool), strict=True))
    in_round = history["round"].notna()
    hidden = history["round"].map(lambda name: blind.get(name, True) if pd.notna(name) else False)
    own = history["reviewer"] == reviewer.strip()
    return history[~in_round | ~hidden.astype(bool) | own]
