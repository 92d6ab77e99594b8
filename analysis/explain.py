"""Why a post has, or has not, each theme: evidence in plain words and highlighted text.

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
    """Why one post has or has not one theme."""

    theme: str
    label: str
    given: bool
    score: float
    reason: str


def explain(matches: list[Match], scores: pd.Series, codebook: Codebook) -> list[Explanation]:
    """One explanation per theme, in codebook order, from a post's matches and scores."""
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
        explanations.append(Explanation(theme.id, theme.label, given, score, reason))
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
