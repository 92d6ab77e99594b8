"""Merging fetched posts into a posts file, never losing anything a person wrote.

The rules, each tested:

1. **Same post**: a fetched post is the file's post with the same address (scheme,
   ``www.``, a trailing ``/`` and ``#fragment`` ignored) or, failing that, the same title
   (case, punctuation, typographic apostrophes and spacing ignored). Fetched duplicates
   (one page reached by a redirect and by a link, or listed twice) are folded into one.
2. **Ids stay**: a post of the file keeps its id; a new post gets a slug of its title,
   made unique.
3. **What a person wrote stays**: a field of the file is never overwritten, only filled
   where it is empty (the full text, the address, the author...).
4. **Dates**: a date the blog states replaces an *estimated* or *inferred* one. Both were
   worked out by a person from indirect evidence; the blog's own statement is better
   evidence, and the basis keeps the old date and its reason, so nothing is lost. A date
   the file calls *published* is kept; where the blog states another, the post is listed
   as differing. An undated post takes the blog's date.
5. **Nothing is deleted**: posts of the file not found on the blog are kept as they are;
   every column of the file is kept, and the posts format's missing columns are added.

:func:`merge_posts` returns the merged table (every cell text, the file's own headers)
and a :class:`MergeSummary` of what changed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import pandas as pd

from analysis.dates import parse_date
from analysis.formatting import format_date
from analysis.post_checks import HEADER_ALIASES, PostsFile, slugify

#: The posts format the loader reads, in its column order (every value text): the columns
#: it knows headers for (:data:`analysis.post_checks.HEADER_ALIASES`).
POSTS_FORMAT = tuple(HEADER_ALIASES)

#: Fields filled from the blog where the file leaves them empty.
FILLABLE = ("title", "summary", "text", "url", "author", "source")

#: Date statuses a date stated by the blog replaces.
REPLACEABLE = ("estimated", "inferred")

_DATE_FIELDS = ("published", "date_status", "date_precision", "date_basis")
_RANK = {"day": 0, "month": 1, "year": 2}


@dataclass(frozen=True)
class Change:
    """One post in the summary: its id, its title and what happened to it."""

    id: str
    title: str
    detail: str = ""


@dataclass
class MergeSummary:
    """What a merge did, post by post."""

    added: list[Change] = field(default_factory=list)
    confirmed: list[Change] = field(default_factory=list)  # the blog's date agrees
    corrected: list[Change] = field(default_factory=list)  # an estimate or inference replaced
    dated: list[Change] = field(default_factory=list)  # an undated post now dated
    differs: list[Change] = field(default_factory=list)  # a published date kept, blog differs
    filled: list[Change] = field(default_factory=list)  # empty fields filled in
    unchanged: list[Change] = field(default_factory=list)
    not_fetched: list[Change] = field(default_factory=list)  # kept, not found on the blog
    folded: list[Change] = field(default_factory=list)  # fetched duplicates folded

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in self.__dataclass_fields__}


def url_key(url: object) -> str:
    """An address to compare: no scheme, ``www.``, default port, trailing ``/`` or fragment."""
    text = str(url or "").strip()
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").removeprefix("www.")
        port = parts.port
    except ValueError:
        return ""
    if not host or parts.scheme.lower() not in ("http", "https"):
        return ""
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    return f"{netloc}{path}" + (f"?{parts.query}" if parts.query else "")


def title_key(title: object) -> str:
    """A title to compare: case, punctuation, apostrophes and spacing ignored."""
    text = unicodedata.normalize("NFKC", str(title or "")).casefold()
    text = re.sub(r"[^\w\s]", "", text.replace("’", "'"))
    return " ".join(text.split())


def _agree(first: date, first_precision: str, second: date, second_precision: str) -> bool:
    """Whether two dates agree to the coarser of their precisions."""
    coarser = max(first_precision, second_precision, key=lambda p: _RANK.get(p, 0))
    same = first.year == second.year
    if coarser in ("month", "day"):
        same &= first.month == second.month
    if coarser == "day":
        same &= first.day == second.day
    return same


def _shown(value, precision) -> str:
    return format_date(value, precision)


def fold_duplicates(posts: pd.DataFrame) -> tuple[pd.DataFrame, list[Change]]:
    """Fetched posts with duplicates folded: a later post with the address or title of an
    earlier one only fills the earlier one's empty fields (its date too, if it had none)."""
    kept: list[dict] = []
    by_url: dict[str, int] = {}
    by_title: dict[str, int] = {}
    folded: list[Change] = []
    for post in posts.to_dict("records"):
        post = {column: str(post.get(column, "") or "") for column in POSTS_FORMAT}
        ukey, tkey = url_key(post["url"]), title_key(post["title"])
        index = by_url.get(ukey) if ukey else None
        how = "address"
        if index is None and tkey:
            index, how = by_title.get(tkey), "title"
        if index is None:
            if ukey:
                by_url[ukey] = len(kept)
            if tkey:
                by_title[tkey] = len(kept)
            kept.append(post)
            continue
        first = kept[index]
        for column in FILLABLE:
            if not first[column] and post[column]:
                first[column] = post[column]
        if not first["published"] and post["published"]:
            for column in _DATE_FIELDS:
                first[column] = post[column]
        folded.append(Change(first["id"], first["title"], f"same {how} as {post['url']}"))
    table = pd.DataFrame(kept, columns=list(POSTS_FORMAT), dtype=object)
    return table.fillna(""), folded


def unique_ids(posts: pd.DataFrame, taken: set[str] = frozenset()) -> pd.Series:
    """Each post's id, or a slug of its title where it has none, unique among ``taken``."""
    taken = set(taken)
    ids = []
    for post_id, title in zip(posts["id"], posts["title"], strict=True):
        base = str(post_id or "") or slugify(str(title)) or "post"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        ids.append(candidate)
    return pd.Series(ids, index=posts.index, dtype=object)


def merge_posts(
    existing: PostsFile | None, fetched: pd.DataFrame
) -> tuple[pd.DataFrame, MergeSummary]:
    """``fetched`` (the posts format) merged into ``existing`` by the rules above.

    Without ``existing`` the result is the fetched posts, duplicates folded, every one added.
    New posts come first, in the order they were fetched (a blog's newest first), then
    every post of the file in its own order.
    """
    fetched, folded = fold_duplicates(fetched)
    summary = MergeSummary(folded=folded)
    if existing is None:
        fetched["id"] = unique_ids(fetched)
        summary.added = [Change(p["id"], p["title"]) for p in fetched.to_dict("records")]
        return fetched[list(POSTS_FORMAT)].reset_index(drop=True), summary

    table, headers = _with_every_column(existing)
    posts = existing.posts
    by_url: dict[str, int] = {}
    by_title: dict[str, int] = {}
    for n, (url, title) in enumerate(zip(posts["url"], posts["title"], strict=True)):
        if key := url_key(url):
            by_url.setdefault(key, n)
        if key := title_key(title):
            by_title.setdefault(key, n)

    matched: dict[int, dict] = {}
    new: list[dict] = []
    for post in fetched.to_dict("records"):
        row = by_url.get(url_key(post["url"]))
        if row is None:
            row = by_title.get(title_key(post["title"]))
        if row is None:
            new.append(post)
        elif row in matched:
            summary.folded.append(
                Change(posts.at[row, "id"], posts.at[row, "title"], f"same post as {post['url']}")
            )
        else:
            matched[row] = post

    for row in range(len(table)):
        change = Change(posts.at[row, "id"], posts.at[row, "title"])
        if row not in matched:
            summary.not_fetched.append(change)
            continue
        _merge_row(table, headers, posts.iloc[row], row, matched[row], summary)

    added = pd.DataFrame(new, columns=list(POSTS_FORMAT), dtype=object).fillna("")
    added["id"] = unique_ids(added, set(posts["id"]))
    summary.added = [Change(p["id"], p["title"]) for p in added.to_dict("records")]
    rows = pd.DataFrame(
        {headers[c]: added[c] for c in POSTS_FORMAT if c in headers}, index=added.index
    )
    rows = rows.reindex(columns=table.columns, fill_value="")
    merged = pd.concat([rows, table], ignore_index=True).fillna("")
    return merged.astype(str), summary


def _with_every_column(existing: PostsFile) -> tuple[pd.DataFrame, dict[str, str]]:
    """The file's table (every cell text) with the posts format's missing columns added,
    each after the nearest earlier one present; and each format column's header."""
    table = existing.raw.reset_index(drop=True).astype(str).copy()
    headers = dict(existing.columns)
    names = list(table.columns)
    for n, column in enumerate(POSTS_FORMAT):
        if column in headers:
            continue
        if column == "summary" and "text" in headers:
            continue  # a file with text but no summary: the loader reads its text as both
        previous = next((headers[c] for c in reversed(POSTS_FORMAT[:n]) if c in headers), None)
        position = names.index(previous) + 1 if previous else len(names)
        name = column
        while name in names:
            name = f"{name}_"
        names.insert(position, name)
        table[name] = ""
        headers[column] = name
    table = table[names]
    # Ids the loader made up for rows without one are written down, so they stay.
    table[headers["id"]] = existing.posts["id"].astype(str).to_numpy()
    return table, headers


def _merge_row(
    table: pd.DataFrame,
    headers: dict[str, str],
    post: pd.Series,
    row: int,
    fetched: dict,
    summary: MergeSummary,
) -> None:
    """Fill ``row`` of ``table`` from a fetched post by the rules; record what happened."""
    change = Change(post["id"], post["title"])
    filled = []
    for column in FILLABLE:
        header = headers.get(column)
        if header and not table.at[row, header].strip() and fetched[column]:
            table.at[row, header] = fetched[column]
            filled.append(column)

    date_change = None
    new_date, parsed_precision = parse_date(fetched["published"])
    if new_date is not None:
        new_precision = max(
            fetched["date_precision"] or parsed_precision,
            parsed_precision,
            key=lambda p: _RANK.get(p, 0),
        )
        new = _shown(new_date, new_precision)
        status = post["date_status"] if isinstance(post["date_status"], str) else ""
        if pd.isna(post["published"]):
            _write_date(table, headers, row, fetched, fetched["date_basis"])
            date_change = ("dated", f"now {new} ({fetched['date_basis']})")
        else:
            old_date, old_precision = post["published"].date(), post["date_precision"]
            old = _shown(old_date, old_precision)
            agree = _agree(old_date, old_precision, new_date, new_precision)
            if status in REPLACEABLE:
                written = table.at[row, headers["published"]]
                old_basis = post["date_basis"] or "no reason given"
                basis = (
                    f"{fetched['date_basis']}; replaces the {status} date {written} ({old_basis})"
                )
                _write_date(table, headers, row, fetched, basis)
                if agree:
                    date_change = ("confirmed", f"{old} ({status}) confirmed: {new}")
                else:
                    date_change = ("corrected", f"{old} ({status}) → {new}")
            elif agree:
                date_change = ("confirmed", f"{old} confirmed")
            else:
                date_change = ("differs", f"the file says {old}, the blog {new}; kept {old}")
    if date_change:
        kind, detail = date_change
        getattr(summary, kind).append(Change(change.id, change.title, detail))
    if filled:
        summary.filled.append(Change(change.id, change.title, ", ".join(filled)))
    if not date_change and not filled:
        summary.unchanged.append(change)


def _write_date(table, headers, row: int, fetched: dict, basis: str) -> None:
    table.at[row, headers["published"]] = fetched["published"]
    table.at[row, headers["date_status"]] = "published"
    table.at[row, headers["date_precision"]] = fetched["date_precision"]
    table.at[row, headers["date_basis"]] = basis
