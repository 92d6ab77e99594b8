"""The words the Review page shows: its choices, buttons, one-line summaries and messages.

Kept apart from the engine (:mod:`analysis.review`, :mod:`analysis.review_passcode`), which
deals in keys, values and seconds; and apart from the page, so each sentence is tested here
without running Streamlit. Untrusted parts (a reviewer's name) still reach the screen only
through ``app_pages.text``.
"""

from __future__ import annotations

import pandas as pd

from analysis.formatting import count, format_date
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
