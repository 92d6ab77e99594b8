"""What review decisions mean for the tags: the machine tags combined with the latest
human decisions.

The decisions themselves are kept in an append-only log (:mod:`analysis.review_store`);
here they are read as a frame like :meth:`ReviewStore.current` gives. :func:`reviewed_tags`
are the tags after review; :func:`review_status` says which posts a human has reviewed and
where they disagree with the machine, and :func:`review_filter` turns that into the posts
each of the Review page's choices (:data:`REVIEW_FILTERS`) lists; :func:`next_decisions`
says where each theme of one post stands and what a reviewer can record next;
:func:`agreement` scores reviewers against the machine, theme by theme.

Examples
--------
>>> posts = pd.DataFrame({"id": ["a", "b"]})
>>> machine = pd.DataFrame({"workforce": [True, False]})
>>> current = pd.DataFrame({"post_id": ["a"], "theme": ["workforce"], "value": [False]})
>>> reviewed_tags(posts, machine, current)["workforce"].tolist()
[False, False]
>>> review_filter(review_status(posts, machine, current), "unreviewed").tolist()
[False, True]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.codebook import Codebook
from analysis.metrics import kappa

#: The Review page's choices of posts to list, in the page's order; see :func:`review_filter`.
REVIEW_FILTERS = ("all", "unreviewed", "disagree")


def reviewed_tags(
    posts: pd.DataFrame, machine_tags: pd.DataFrame, current: pd.DataFrame
) -> pd.DataFrame:
    """The tags after review: the machine tag unless a human decided otherwise.

    Parameters
    ----------
    posts : pandas.DataFrame
        The posts, with an ``id`` column.
    machine_tags : pandas.DataFrame
        One boolean column per theme id, indexed like ``posts``.
    current : pandas.DataFrame
        The latest decisions, as from :meth:`ReviewStore.current` (at least
        ``post_id``, ``theme`` and ``value``).

    Returns
    -------
    pandas.DataFrame
        Booleans with the index and columns of ``machine_tags``. A cell with a
        decision takes the human value. Decisions for a post id not in ``posts``
        or a theme not among the columns are ignored.
    """
    decided, human = _decision_grid(posts, machine_tags, current)
    machine = machine_tags.to_numpy(dtype=bool)
    return pd.DataFrame(
        np.where(decided, human, machine), index=machine_tags.index, columns=machine_tags.columns
    )


def review_status(
    posts: pd.DataFrame, machine_tags: pd.DataFrame, current: pd.DataFrame
) -> pd.DataFrame:
    """Which posts a human has reviewed, and where they disagree with the machine.

    Parameters are as for :func:`reviewed_tags`; decisions for unknown post ids
    or themes are ignored here too.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``posts``, with boolean columns ``reviewed`` (a decision on
        at least one theme of the post) and ``disagrees`` (at least one theme
        whose latest human value differs from the machine tag). :func:`review_filter`
        makes the Review page's choices of them.
    """
    decided, human = _decision_grid(posts, machine_tags, current)
    machine = machine_tags.to_numpy(dtype=bool)
    return pd.DataFrame(
        {
            "reviewed": decided.any(axis=1),
            "disagrees": (decided & (human != machine)).any(axis=1),
        },
        index=posts.index,
    )


def review_filter(status: pd.DataFrame, show: str) -> pd.Series:
    """The posts the Review page's choice ``show`` lists.

    Parameters
    ----------
    status : pandas.DataFrame
        As from :func:`review_status`.
    show : {"all", "unreviewed", "disagree"}
        One of :data:`REVIEW_FILTERS`: every post; the posts nobody has decided on for
        any theme; the posts where a latest human value differs from the machine tag.

    Returns
    -------
    pandas.Series
        Booleans indexed like ``status``: True for a post the choice lists.

    Raises
    ------
    ValueError
        For a choice not in :data:`REVIEW_FILTERS`.
    """
    if show == "all":
        return pd.Series(True, index=status.index)
    if show == "unreviewed":
        return ~status["reviewed"]
    if show == "disagree":
        return status["disagrees"]
    raise ValueError(f"show must be one of {', '.join(REVIEW_FILTERS)} (got {show!r})")


def agreement(
    posts: pd.DataFrame, machine_tags: pd.DataFrame, current: pd.DataFrame, codebook: Codebook
) -> pd.DataFrame:
    """How often reviewers agree with the machine, theme by theme.

    Each theme is scored over the posts a human has decided on for that theme.

    Parameters
    ----------
    posts, machine_tags, current
        As for :func:`reviewed_tags`.
    codebook : Codebook
        Gives the themes (in display order) and their labels.

    Returns
    -------
    pandas.DataFrame
        One row per theme with columns ``theme`` (id), ``label``, ``decisions``
        (posts decided on), ``agree`` (of those, where the human value equals
        the machine tag) and ``kappa`` (Cohen's kappa of human against machine,
        from :func:`analysis.metrics.kappa`; NaN when there are no decisions).
    """
    decided, human = _decision_grid(posts, machine_tags, current)
    machine = machine_tags.to_numpy(dtype=bool)
    position = {theme_id: n for n, theme_id in enumerate(machine_tags.columns)}
    rows = []
    for theme in codebook.themes:
        n = position[theme.id]
        mask = decided[:, n]
        people, tagger = human[mask, n], machine[mask, n]
        rows.append(
            {
                "theme": theme.id,
                "label": theme.label,
                "decisions": int(mask.sum()),
                "agree": int((people == tagger).sum()),
                "kappa": kappa(people, tagger) if mask.any() else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=["theme", "label", "decisions", "agree", "kappa"])


@dataclass(frozen=True)
class NextDecision:
    """Where one theme of one post stands, and the decisions a reviewer can record next.

    Attributes
    ----------
    theme : str
        The theme id.
    machine : bool
        The machine tag.
    current : bool
        The value now: the latest human value, else the machine tag. Pass it as
        ``previous`` when recording the next decision.
    decision, reviewer : str or None
        The latest human decision and who made it; None when nobody has decided.
    decided_at : pandas.Timestamp or None
        When the latest decision was made (UTC).
    options : tuple of str
        Decisions that would say something new, in button order: ``confirmed``
        and ``rejected`` for a theme that applies now, ``added`` and ``rejected``
        for one that does not (rejecting an untagged theme confirms the machine
        left it out, which :func:`agreement` needs). The latest decision itself
        is left out, so one click cannot record it twice.
    """

    theme: str
    machine: bool
    current: bool
    decision: str | None
    reviewer: str | None
    decided_at: pd.Timestamp | None
    options: tuple[str, ...]


def next_decisions(
    post_id: str, machine_tags: pd.Series, current: pd.DataFrame
) -> list[NextDecision]:
    """Each theme of one post: where it stands, and the decisions a reviewer can record next.

    Parameters
    ----------
    post_id : str
        The post's ``id``.
    machine_tags : pandas.Series
        The post's machine tags: booleans indexed by theme id (a row of the tags).
    current : pandas.DataFrame
        The latest decisions, as from :meth:`ReviewStore.current`.

    Returns
    -------
    list of NextDecision
        One per theme, in the order of ``machine_tags``.
    """
    mine = current[current["post_id"] == post_id].drop_duplicates("theme", keep="last")
    latest = {row["theme"]: row for _, row in mine.iterrows()}
    steps = []
    for theme, tagged in machine_tags.items():
        machine = bool(tagged)
        row = latest.get(theme)
        if row is None:
            value, decision, reviewer, decided_at = machine, None, None, None
        else:
            value, decision = bool(row["value"]), str(row["decision"])
            reviewer, decided_at = row.get("reviewer"), row.get("decided_at")
        choices = ("confirmed", "rejected") if value else ("added", "rejected")
        steps.append(
            NextDecision(
                theme=str(theme),
                machine=machine,
                current=value,
                decision=decision,
                reviewer=reviewer,
                decided_at=decided_at,
                options=tuple(choice for choice in choices if choice != decision),
            )
        )
    return steps


def _decision_grid(
    posts: pd.DataFrame, machine_tags: pd.DataFrame, current: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Two boolean arrays shaped like ``machine_tags``: where a human decided, and the value."""
    if not machine_tags.index.equals(posts.index):
        raise ValueError("machine_tags must be indexed like posts")
    shape = machine_tags.shape
    known = current[
        current["post_id"].isin(posts["id"]) & current["theme"].isin(machine_tags.columns)
    ]
    if known.empty:
        return np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool)
    latest = known.drop_duplicates(["post_id", "theme"], keep="last")
    grid = latest.pivot(index="post_id", columns="theme", values="value").reindex(
        index=posts["id"].to_numpy(), columns=machine_tags.columns
    )
    return grid.notna().to_numpy(), grid.eq(True).to_numpy()
