"""Data-quality findings about a set of posts, for the app to show and the user to fix.

Nothing here changes the data: each finding names the rows (as a spreadsheet
numbers them) and ids it is about, so the user can find and correct them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


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


def _rows(posts: pd.DataFrame) -> str:
    rows = [str(row) for row in posts["row"]]
    return ", ".join(rows[:10]) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")


def _posts_have(n: int) -> str:
    return "1 post has" if n == 1 else f"{n} posts have"


def find_issues(posts: pd.DataFrame) -> list[Finding]:
    """Undated and unreadable dates, estimated dates, duplicate titles and summaries, empty summaries."""
    findings: list[Finding] = []

    undated = posts[posts["published"].isna()]
    unreadable = undated[undated["date_text"].str.strip() != ""]
    missing = undated[undated["date_text"].str.strip() == ""]
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
        example = unreadable["date_text"].iloc[0]
        findings.append(
            _finding(
                "unreadable_date",
                f"{_posts_have(len(unreadable))} a date that could not be read "
                f"(rows {_rows(unreadable)}, e.g. '{example}'); they count everywhere except the "
                "charts over time.",
                unreadable,
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

    for column, kind in (("title", "duplicate_title"), ("summary", "duplicate_summary")):
        filled = posts[posts[column].str.strip() != ""]
        key = filled[column].str.strip().str.casefold()
        for _, group in filled[key.duplicated(keep=False)].groupby(key, sort=False):
            findings.append(
                _finding(
                    kind,
                    f"{len(group)} posts share the same {column} (rows {_rows(group)}): "
                    + "; ".join(f"“{title}”" for title in group["title"]),
                    group,
                )
            )

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
