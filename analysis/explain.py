"""Why a post has, or has not, each theme: evidence in plain words and highlighted text.

In reviewed mode a reviewer's decision is part of the answer: :func:`review_notes` says who
added, removed or confirmed a theme ("added by Asha"), :func:`explain` puts that first in the
reason, and :func:`reviewed_evidence` puts it in the evidence column a table of reviewed tags
shows, so a theme a reviewer added never reads as "no term matched".

Post text is untrusted: :func:`highlight` escapes every character of it and
adds only its own ``<mark>`` elements, so the result is safe to show as HTML.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from analysis.codebook import Codebook
from analysis.figure_style import lighten
from analysis.formatting import number
from analysis.tagging import Match, context_note


@dataclass(frozen=True)
class Explanation:
    """Why one post has or has not one theme.

    ``given`` is the tag shown: the machine's, or, with a reviewer's decision passed to
    :func:`explain`, the reviewer's; ``review`` is then that decision in words
    (:attr:`ReviewNote.text`), else None.
    """

    theme: str
    label: str
    given: bool
    score: float
    reason: str
    review: str | None = None


@dataclass(frozen=True)
class ReviewNote:
    """A reviewer's decision on one theme of one post, against the machine's tag."""

    theme: str
    applies: bool
    machine: bool
    reviewer: str

    @property
    def text(self) -> str:
        """``added by Asha`` (applies, the machine did not tag it), ``removed by Asha`` (does
        not apply, the machine tagged it), else ``confirmed by Asha``."""
        if self.applies and not self.machine:
            verb = "added"
        elif self.machine and not self.applies:
            verb = "removed"
        else:
            verb = "confirmed"
        return f"{verb} by {self.reviewer}"


def review_notes(post_id: str, machine_tags: pd.Series, current: pd.DataFrame) -> dict:
    """The reviewers' decisions on one post, theme id -> :class:`ReviewNote`.

    ``machine_tags`` is the post's row of machine tags (booleans by theme id); ``current``
    the decisions that count, as from :meth:`ReviewStore.current` (the latest per pair, a
    round's settled or agreed value). Themes nobody decided on, or not among the tags, are
    left out.
    """
    mine = current[current["post_id"] == post_id].drop_duplicates("theme", keep="last")
    return {
        row.theme: ReviewNote(row.theme, bool(row.value), bool(machine_tags[row.theme]),
                              str(row.reviewer))
        for row in mine.itertuples()
        if row.theme in machine_tags.index
    }  # fmt: skip


def reviewed_evidence(
    posts: pd.DataFrame, machine_tags: pd.DataFrame, evidence: pd.DataFrame, current: pd.DataFrame
) -> pd.DataFrame:
    """The machine's evidence with each reviewer's change of a tag said first.

    Indexed like ``evidence`` (and ``posts``, with an ``id`` column). A cell whose decision
    (``current``, as from :meth:`ReviewStore.current`) differs from the machine tag reads
    ``added by Asha`` or ``removed by Asha; matched: <the machine's evidence>``; every
    other cell is the machine's evidence as it was.
    """
    out = evidence.copy()
    where = dict(zip(posts["id"], posts.index, strict=True))
    latest = current.drop_duplicates(["post_id", "theme"], keep="last")
    for row in latest.itertuples():
        index = where.get(row.post_id)
        if index is None or row.theme not in out.columns:
            continue
        machine = bool(machine_tags.at[index, row.theme])
        if bool(row.value) == machine:
            continue
        note = ReviewNote(row.theme, bool(row.value), machine, str(row.reviewer)).text
        found = out.at[index, row.theme]
        out.at[index, row.theme] = f"{note}; matched: {found}" if found else note
    return out


def explain(
    matches: list[Match],
    scores: pd.Series,
    codebook: Codebook,
    reviews: dict | None = None,
) -> list[Explanation]:
    """One explanation per theme, in codebook order, from a post's matches and scores.

    With ``reviews`` (:func:`review_notes` of the post: reviewed mode), a theme a reviewer
    decided on is ``given`` as they decided, and its reason starts with what they did
    ("Added by Asha.") before the machine's evidence.
    """
    reviews = reviews or {}
    explanations = []
    for theme in codebook.themes:
        score = float(scores[theme.id])
        given = bool(codebook.applies(score))
        found: dict[str, list[str]] = {}
        context: dict[str, list[str]] = {}  # context terms, which count only alongside a term
        for match in matches:
            for listed, themes in ((found, match.themes), (context, match.context)):
                if theme.id in themes and match.phrase not in listed.get(match.field, []):
                    listed.setdefault(match.field, []).append(match.phrase)
        blocked = sorted({m.phrase for m in matches if not m.themes and m.phrase in theme.exclude})
        alongside = next((f"“{terms[0]}”" for terms in found.values()), None)
        if found:
            parts = []
            for field in (f for f in codebook.field_weights if f in found or f in context):
                weight = codebook.field_weights[field]
                shown = [f"“{p}”" for p in found.get(field, [])]
                shown += [f"“{p}” ({context_note(alongside)})" for p in context.get(field, [])]
                parts.append(f"{field} ({number(weight)} each): " + ", ".join(shown))
            evidence = "; ".join(parts)
            verdict = "reaches" if given else "is below"
            reason = (
                f"Score {number(score)} {verdict} the threshold of "
                f"{number(codebook.min_score)}. Matched in {evidence}."
            )
        else:
            reason = "No term of this theme appears in the title, summary or text."
            if context:
                unique = dict.fromkeys(p for phrases in context.values() for p in phrases)
                reason += (
                    " Not counted, as context terms count only alongside a term of the theme: "
                    + ", ".join(f"“{p}”" for p in unique)
                    + "."
                )
        if blocked:
            reason += (
                " Not counted, as the codebook excludes them: "
                + ", ".join(f"“{p}”" for p in blocked)
                + "."
            )
        note = reviews.get(theme.id)
        if note is not None:
            machine = "The machine gave it" if given else "The machine did not give it"
            reason = (
                f"{note.text[0].upper()}{note.text[1:]}. {machine}: {reason[0].lower()}{reason[1:]}"
            )
            given = note.applies
        explanations.append(
            Explanation(theme.id, theme.label, given, score, reason, note.text if note else None)
        )
    return explanations


def highlight(text: str, matches: list[Match], field: str, codebook: Codebook) -> str:
    """``text`` as escaped HTML with each theme term in ``field`` wrapped in a coloured ``<mark>``.

    The mark's background is a light tint of the theme's colour, its title
    attribute names the theme and the codebook term; the colour never carries
    the meaning alone (the mark is also underlined).
    """
    colours = codebook.colours
    labels = codebook.labels
    anchored = {theme for m in matches for theme in m.themes}  # context terms count here
    out, position = [], 0
    for match in sorted(
        (m for m in matches if m.field == field and _counted(m, anchored)), key=lambda m: m.start
    ):
        if match.start < position:
            continue
        counted = _counted(match, anchored)
        theme_id = counted[0]
        names = ", ".join(labels[t] for t in counted)
        out.append(html.escape(text[position : match.start]))
        out.append(
            f'<mark title="{html.escape(names)}: {html.escape(match.phrase)}" '
            f'style="background:{lighten(colours[theme_id], 0.6)};'
            f'border-bottom:3px solid {colours[theme_id]};padding:0 2px;color:inherit">'
            f"{html.escape(text[match.start : match.end])}</mark>"
        )
        position = match.end
    out.append(html.escape(text[position:]))
    return "".join(out)


def _counted(match: Match, anchored: set[str]) -> tuple[str, ...]:
    """The themes ``match`` counts for: its own, then those it is a context term of that have
    a term of their own in the post (``anchored``)."""
    return (*match.themes, *(t for t in match.context if t in anchored))
