"""Data checks: findings about a set of posts, for the app to show and the user to fix.

Nothing here changes the data: each finding names the rows (as a spreadsheet
numbers them) and ids it is about, so the user can find and correct them.

Messages stay short whatever the file holds: at most :data:`LISTED` rows and
titles are named (then "and N more"), quoted text is cut to :data:`QUOTED`
characters, and past :data:`MAX_GROUPS` groups of duplicates of one kind the
rest are gathered into one finding. Every finding still carries all its rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.dates import outside_range, range_text
from analysis.formatting import agree, clip, count, number

#: How many rows (and titles) a message names before "and N more".
LISTED = 10

#: How many characters of a title or date a message quotes before "…".
QUOTED = 80

#: Groups of duplicate titles (or summaries) reported one by one; the rest share one finding.
MAX_GROUPS = 20


@dataclass(frozen=True)
class Finding:
    """One data-quality finding: what kind, a sentence for people, and the posts it is about."""

    kind: str
    message: str
    rows: tuple[int, ...]
    ids: tuple[str, ...]
    titles: tuple[str, ...]


def _finding(kind: str, message: str, posts: pd.DataFrame) -> Finding:
    return Finding(
        kind=kind,
        message=message,
        rows=tuple(int(row) for row in posts["row"]),
        ids=tuple(posts["id"]),
        titles=tuple(posts["title"]),
    )


def _listed(items: list[str], total: int, separator: str = ", ") -> str:
    """The first :data:`LISTED` of ``items`` joined, then "and N more" to make ``total``."""
    shown = separator.join(items[:LISTED])
    return shown + (f" and {number(total - LISTED)} more" if total > LISTED else "")


def _rows(posts: pd.DataFrame) -> str:
    return _listed([str(row) for row in posts["row"][:LISTED]], len(posts))


def _posts_have(n: int) -> str:
    return f"{count(n)} {agree(n, 'has', 'have')}"


def _dates_finding(kind: str, posts: pd.DataFrame, what: str, then: str) -> Finding:
    """Posts whose written date was not used: their rows and the first one as written."""
    example = clip(posts["date_text"].iloc[0], QUOTED)
    text = f"{_posts_have(len(posts))} {what} (rows {_rows(posts)}, e.g. '{example}'); {then}"
    return _finding(kind, text, posts)


def find_issues(posts: pd.DataFrame) -> list[Finding]:
    """Undated, unreadable and out-of-range dates, estimated and inferred dates, duplicate
    titles and summaries, empty summaries."""
    findings: list[Finding] = []

    undated = posts[posts["published"].isna()]
    written = undated["date_text"].str.strip() != ""
    missing = undated[~written]
    beyond = outside_range(undated.loc[written, "date_text"])
    out_of_range = undated[written][beyond.to_numpy()]
    unreadable = undated[written][~beyond.to_numpy()]
    if not missing.empty:
        findings.append(
            _finding(
                "undated",
                f"{_posts_have(len(missing))} no date (rows {_rows(missing)}); they count "
                "everywhere except the charts over time.",
                missing,
            )
        )
    if not unreadable.empty:
        findings.append(
            _dates_finding(
                "unreadable_date",
                unreadable,
                "a date that could not be read",
                "they count everywhere except the charts over time.",
            )
        )
    if not out_of_range.empty:
        findings.append(
            _dates_finding(
                "date_out_of_range",
                out_of_range,
                f"a date outside {range_text()}",
                "they are treated as undated: they count everywhere except the charts over time.",
            )
        )

    for status in ("estimated", "inferred"):
        chosen = posts[posts["date_status"] == status]
        if not chosen.empty:
            how = (
                "estimated from the order of the listing"
                if status == "estimated"
                else "inferred from what the post says"
            )
            findings.append(
                _finding(
                    f"{status}_date",
                    f"{_posts_have(len(chosen))} a date {how}, not a published date.",
                    chosen,
                )
            )

    for column in ("title", "summary"):
        findings += _duplicates(posts, column)

    empty = posts[(posts["summary"].str.strip() == "") & (posts["text"].str.strip() == "")]
    if not empty.empty:
        findings.append(
            _finding(
                "empty_summary",
                f"{_posts_have(len(empty))} no summary or text (rows {_rows(empty)}); "
                "only the title can be tagged.",
                empty,
            )
        )
    return findings


def _duplicates(posts: pd.DataFrame, column: str) -> list[Finding]:
    """One finding per group of posts sharing ``column`` (case and outer space ignored), in
    order of first appearance; past :data:`MAX_GROUPS` groups, one finding for the rest.

    Grouped in one pass (factorize and a stable sort), so a file of many duplicates costs
    about as much as reading it.
    """
    kind = f"duplicate_{column}"
    text = posts[column].str.strip()
    filled = np.flatnonzero((text != "").to_numpy())
    key = _folded(text.iloc[filled])
    repeated = key.duplicated(keep=False).to_numpy()
    if not repeated.any():
        return []
    # Only the columns a finding names, and only the repeated posts' rows, are copied.
    chosen = posts[["row", "id", "title"]].iloc[filled[repeated]]
    codes, _ = pd.factorize(key[repeated])  # group numbers in order of first appearance
    order = np.argsort(codes, kind="stable")
    starts = np.flatnonzero(np.diff(codes[order], prepend=-1))
    groups = np.split(order, starts[1:])
    findings = []
    for positions in groups[:MAX_GROUPS]:
        group = chosen.iloc[positions]
        if column == "title":  # one title, so name it once
            named = f"“{clip(group['title'].iloc[0], QUOTED)}”"
        else:
            titles = [f"“{clip(title, QUOTED)}”" for title in group["title"][:LISTED]]
            named = _listed(titles, len(group), "; ")
        findings.append(
            _finding(
                kind,
                f"{count(len(group))} share the same {column} (rows {_rows(group)}): {named}",
                group,
            )
        )
    rest = groups[MAX_GROUPS:]
    if rest:
        group = chosen.iloc[np.sort(np.concatenate(rest))]
        findings.append(
            _finding(
                kind,
                f"{number(len(rest))} more groups of posts share a {column} ({count(len(group))}, "
                f"rows {_rows(group)}).",
                group,
            )
        )
    return findings


#: Characters with no case (a text of only these and ASCII folds as it lowers): general
#: punctuation (curly quotes, dashes, ellipsis) and currency signs.
_CASELESS = "\u2000-\u206f\u20a0-\u20cf"


def _folded(text: pd.Series) -> pd.Series:
    """``text.str.casefold()``, the same values, quickly: the case folding of a text of ASCII
    and caseless punctuation is its lower case, which pyarrow works out for a whole column
    at once; only other texts (accented or non-Latin letters) are folded one by one."""
    key = text.str.lower()
    other = text.str.contains(f"[^\\x00-\\x7f{_CASELESS}]", regex=True).to_numpy(dtype=bool)
    if other.any():
        at = np.flatnonzero(other)
        key = key.copy()
        key.iloc[at] = text.iloc[at].str.casefold()
    return key
