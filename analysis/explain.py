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
from analysis.tagging import Match


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
        for match in matches:
            if theme.id in match.themes and match.phrase not in found.get(match.field, []):
                found.setdefault(match.field, []).append(match.phrase)
        blocked = sorted({m.phrase for m in matches if not m.themes and m.phrase in theme.exclude})
        if found:
            parts = []
            for field, phrases in found.items():
                weight = codebook.field_weights[field]
                parts.append(
                    f"{field} ({number(weight)} each): " + ", ".join(f"“{p}”" for p in phrases)
                )
            evidence = "; ".join(parts)
            verdict = "reaches" if given else "is below"
            reason = (
                f"Score {number(score)} {verdict} the threshold of "
                f"{number(codebook.min_score)}. Matched in {evidence}."
            )
        else:
            reason = "No term of this theme appears in the title, summary or text."
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
    out, position = [], 0
    for match in sorted(
        (m for m in matches if m.field == field and m.themes), key=lambda m: m.start
    ):
        if match.start < position:
            continue
        theme_id = match.themes[0]
        names = ", ".join(labels[t] for t in match.themes)
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
