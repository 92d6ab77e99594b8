"""Review rounds: which decision counts for each (post, theme) when several people code it.

A round is opened with :meth:`analysis.review_store.ReviewStore.set_round` and has a
``blind`` setting (kept in the append-only ``review_round`` table: a later row for the same
round changes its setting, e.g. lifting blindness once everyone has coded). Within a round,
each reviewer's latest decision is their vote; the pair's value is the reviewers' common
value, or, where they disagree, the value of a *settling* decision (``settles`` True,
:func:`analysis.agreement.settle`). An unsettled disagreement changes nothing: the value
from before the round stands. While a round is blind none of its decisions (votes or
settling) counts for everyone: a lone reviewer's vote would otherwise be every reviewer's
latest, "agreeing", and show the others that vote through the reviewed tags. Once
blindness is lifted they count by the rule above. :func:`resolve` states the rule (given
the rounds, it leaves out blind rounds); :meth:`analysis.review_store.ReviewStore.current`
applies it with the store's rounds.
"""

from __future__ import annotations

import pandas as pd

from analysis.review_tables import CURRENT_COLUMNS


def resolve(history: pd.DataFrame, rounds: pd.DataFrame | None = None) -> pd.DataFrame:
    """The decision that counts for each (post, theme), from the whole log.

    Parameters
    ----------
    history : pandas.DataFrame
        As from :meth:`ReviewStore.history` (or a part of it, such as what one reviewer
        may see), in ``entry`` order.
    rounds : pandas.DataFrame, optional
        As from :meth:`ReviewStore.rounds`. When given, the decisions of every round
        that is blind (its latest setting; a round missing from it counts as blind) are
        left out first: :func:`blind_decisions`. This is what everyone's view
        (:meth:`ReviewStore.current`, the reviewed tags) uses. None counts every row of
        ``history``: a reviewer's own view, whose history
        (:func:`analysis.agreement.visible_history`) already holds only their own
        decisions of a blind round.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CURRENT_COLUMNS`, one row per decided (post, theme), in the order
        the counting decisions were recorded.

    Notes
    -----
    Each of these is a candidate, and the candidate recorded last counts:

    - every decision outside a round;
    - nothing from a blind round, when ``rounds`` is given;
    - in each round, for each (post, theme): the latest settling decision if there is
      one; else, when every reviewer's latest decision has the same value, the latest of
      those; else (an unsettled disagreement) nothing, so the value from before stands.

    Without rounds this is the latest decision, as before rounds existed.
    """
    keys = ["post_id", "theme"]
    if rounds is not None:
        history = history[~blind_decisions(history, rounds)]
    if history.empty:
        return _empty_like(history, CURRENT_COLUMNS)
    in_round = history["round"].notna() if "round" in history else pd.Series(False, history.index)
    candidates = [history[~in_round]]
    if in_round.any():
        candidates.append(round_outcomes(history[in_round]).drop(columns="how"))
    counting = pd.concat(candidates).sort_values("entry", kind="stable")
    latest = counting.drop_duplicates(keys, keep="last")
    for name in CURRENT_COLUMNS:
        if name not in latest:
            latest = latest.assign(**{name: None})
    return latest[list(CURRENT_COLUMNS)].reset_index(drop=True)


def round_outcomes(history: pd.DataFrame) -> pd.DataFrame:
    """What each (round, post, theme) of ``history``'s rounds comes to: the latest settling
    decision if there is one; else, when every reviewer's latest vote has the same value,
    the latest of those votes; a pair still in dispute comes to nothing and is left out.

    Returns those rows of ``history`` in ``entry`` order, with a ``how`` column:
    ``"settled"`` or ``"agreed"``. Decisions outside any round are ignored.
    """
    pair = ["round", "post_id", "theme"]
    rounds = history[history["round"].notna()] if "round" in history else history.iloc[0:0]
    settles = settling(rounds)
    settled = rounds[settles].drop_duplicates(pair, keep="last")
    votes = rounds[~settles].drop_duplicates([*pair, "reviewer"], keep="last")
    unanimous = votes.groupby(pair, sort=False)["value"].transform("nunique") == 1
    agreed = votes[unanimous].drop_duplicates(pair, keep="last")
    agreed = agreed[~pd.MultiIndex.from_frame(agreed[pair]).isin(
        pd.MultiIndex.from_frame(settled[pair])
    )]  # fmt: skip
    outcomes = pd.concat([settled.assign(how="settled"), agreed.assign(how="agreed")])
    return outcomes.sort_values("entry", kind="stable")


def settling(history: pd.DataFrame) -> pd.Series:
    """Which rows of ``history`` settle a disagreement (a boolean Series; all False for a
    log from before rounds, which has no ``settles`` column)."""
    if "settles" not in history:
        return pd.Series(False, history.index)
    return history["settles"].fillna(False).astype(bool)


def blind_decisions(history: pd.DataFrame, rounds: pd.DataFrame) -> pd.Series:
    """Which rows of ``history`` belong to a round that is blind now (a boolean Series).

    ``rounds`` is as from :meth:`ReviewStore.rounds` (its ``blind`` is the latest
    setting); a round missing from it counts as blind. Rows outside any round are False.
    """
    if "round" not in history:
        return pd.Series(False, index=history.index)
    blind = dict(zip(rounds["round"], rounds["blind"].astype(bool), strict=True))
    return history["round"].map(lambda name: pd.notna(name) and blind.get(name, True)).astype(bool)


def _empty_like(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        {name: frame[name] if name in frame else pd.Series(dtype=object) for name in columns}
    )
