"""The words the Review page shows: its choices, buttons, one-line summaries and messages.

Kept apart from the engine (:mod:`analysis.review`, :mod:`analysis.review_passcode`), which
deals in keys, values and seconds; and apart from the page, so each sentence is tested here
without running Streamlit. Untrusted parts (a reviewer's name) still reach the screen only
through ``app_pages.text``.
"""

from __future__ import annotations

import pandas as pd

from analysis.formatting import count, format_date, number
from analysis.review import NextDecision
from analysis.review_passcode import PASSCODE_ENV, PASSCODE_SECRET, Attempt

INTRO = (
    "Confirm, reject or add themes post by post. Every decision is kept with who made it and "
    "when; nothing is overwritten. Reviewed tags (sidebar → Tags) use the latest decisions."
)
READ_ONLY = (
    "Read-only: no review passcode is configured. To enable editing, set "
    f"{PASSCODE_ENV} in the environment, or {PASSCODE_SECRET} in "
    ".streamlit/secrets.toml, and restart the dashboard."
)
WRONG_PASSCODE = "That passcode is not right."

#: The labels of the engine's choices (:data:`analysis.review.REVIEW_FILTERS`), by key.
FILTER_LABELS = {
    "all": "All posts",
    "unreviewed": "Not yet reviewed",
    "disagree": "Machine and human disagree",
}

#: What a decision button says, by decision and by whether the theme applies now.
ACTIONS = {
    ("confirmed", True): "Confirm it applies",
    ("rejected", True): "Reject: it does not apply",
    ("added", False): "Add: it applies",
    ("rejected", False): "Confirm it does not apply",
}


def action_label(decision: str, applies_now: bool) -> str:
    """The words on the button that records ``decision`` for a theme that applies now or not."""
    return ACTIONS[(decision, bool(applies_now))]


def tally(listed: int, status: pd.DataFrame) -> str:
    """``3 posts · 5 of 18 reviewed · 2 where machine and reviewer disagree``: the posts
    listed, then of all posts (``status`` from :func:`analysis.review.review_status`)."""
    reviewed, disagree = int(status["reviewed"].sum()), int(status["disagrees"].sum())
    return (
        f"{count(listed)} · {reviewed} of {len(status)} reviewed · "
        f"{disagree} where machine and reviewer disagree"
    )


def summary(step: NextDecision) -> str:
    """One line on a theme of a post: ``Machine: tagged · rejected by Asha, 1 Mar 2024``."""
    said = f"Machine: {'tagged' if step.machine else 'not tagged'}"
    if step.decision is None:
        return f"{said} · not yet reviewed"
    by = f" by {step.reviewer}" if step.reviewer else ""
    when = f", {format_date(step.decided_at, 'day')}" if step.decided_at is not None else ""
    return f"{said} · {step.decision}{by}{when}"


def locked_message(seconds: int) -> str:
    """``Too many attempts: try again in 30 seconds.``"""
    return f"Too many attempts: try again in {count(seconds, 'second')}."


def passcode_message(attempt: Attempt) -> str | None:
    """What to say after a try at the passcode: nothing when it unlocked editing."""
    if attempt.unlocked:
        return None
    return locked_message(attempt.wait) if attempt.wait else WRONG_PASSCODE


# --- who is reviewing ----------------------------------------------------------------------------

NAME_LABEL = "Your name"
NAME_HELP = "Recorded with each decision you make, and shown in the review log."
NAME_NEEDED = "Give your name: it is recorded with each decision."
#: The longest name the page accepts, in characters.
NAME_LIMIT = 80


def reviewing_as(name: str) -> str:
    """``Reviewing as Asha.`` (plain text: the page escapes it)."""
    return f"Reviewing as {name}."


# --- comments ------------------------------------------------------------------------------------

COMMENT_LABEL = "Comment (optional)"
COMMENT_HELP = (
    "Why you decide as you do, in a sentence. It is kept with the decision you record next on "
    "this theme and shown in the post's history and the review log."
)

# --- review rounds -------------------------------------------------------------------------------

ROUND_LABEL = "Review round"
ROUND_HELP = (
    "Two or more people can code the same posts in a round; Tagging quality then shows how "
    "far they agree. Decisions you make while a round is chosen belong to it."
)
NO_ROUND = "No round: decisions stand on their own"
NEW_ROUND = "Open a new round…"
NEW_ROUND_NAME = "Name of the new round"
BLIND_LABEL = "Blind: each reviewer sees only their own decisions in this round"
OPEN_ROUND = "Open round"
ROUND_NAME_NEEDED = "Give the round a name."
LIFT_BLIND = "Lift blindness: show everyone's decisions"
MAKE_BLIND = "Make the round blind"


def round_taken(name: str) -> str:
    """``There is already a round called pilot: choose it above.``"""
    return f"There is already a round called {name}: choose it above."


def round_state(name: str, blind: bool, set_by: str, you: str) -> str:
    """What the page says about the chosen round: whether it is blind, and who can change that."""
    lifts = "you lift" if set_by == you else f"{set_by} lifts"
    if blind:
        return (
            f"Round {name} is blind: you see only your own decisions in it; the other "
            f"reviewers' stay hidden until {lifts} blindness."
        )
    return f"Round {name} is not blind: everyone sees every decision in it."


# --- the review log ------------------------------------------------------------------------------

LOG_LABEL = "Review log: every decision, to filter and download"
LOG_SEARCH = "Search comments, posts and names"
LOG_HIDDEN = "Decisions other reviewers made in a blind round are left out until it is lifted."


def log_count(shown: int, total: int) -> str:
    """``3 of 12 decisions`` (or ``12 decisions`` when nothing is filtered out)."""
    return (
        f"{number(shown)} of {count(total, 'decision')}"
        if shown != total
        else count(total, "decision")
    )
