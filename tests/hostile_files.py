"""A codebook, posts and labels full of Markdown and HTML payloads, as a visitor could upload.

Every payload points at :data:`HOST` (127.0.0.1 port 9, where nothing answers): a page
that renders one as Markdown or HTML would fetch an image from there, or show a link to
it. The files are the bundled ones with payloads written into every field a person
controls, so they still load, tag posts and fill every page.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

from analysis.codebook import load_codebook
from analysis.codebook_file import codebook_toml

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1:9"


def payload(field: str) -> str:
    """Markdown and HTML that would fetch ``http://HOST/<field>.png`` or link to HOST."""
    return (
        f"{field} ![i](http://{HOST}/{field}.png) [a](http://{HOST}/{field}-link) "
        f"http://{HOST}/{field}-bare <img src=http://{HOST}/{field}-img.png> "
        f"**bold** :red[red] :material/home: $x^2$ www.example.org a@example.org "
        f"[j](javascript:alert(1)) <script>alert(1)</script>"
    )


def short_payload(field: str) -> str:
    """The worst of :func:`payload` in at most 100 characters, the most a codebook's label,
    version or no-theme label may have."""
    text = f"{field} ![i](http://{HOST}/{field}.png) [j](javascript:x) :red[r] www.x.org"
    assert len(text) <= 100, text
    return text


#: Raw fragments of the payloads: none may reach a Markdown-rendering element unescaped.
RAW_FRAGMENTS = (
    "![",
    "](",
    "<img",
    "<script",
    "http://",
    "www.",
    "@example",
    "**bold**",
    ":red[",
    ":material/home:",
    "$x",
    "javascript:",
)

#: Names a browser can send (no '/'): a browser reads ``http:\host\x.png`` as
#: ``http://host/x.png`` all the same.
CODEBOOK_NAME = f"codebook ![c](http:\\{HOST}\\codebook-name.png) :red[x].toml"
POSTS_NAME = f"posts ![p](http:\\{HOST}\\posts-name.png) www.example.org.csv"
LABELS_NAME = f"labels ![l](http:\\{HOST}\\labels-name.png).csv"

#: Theme ids of the bundled codebook whose labels and definitions carry payloads.
HOSTILE_THEMES = ("workforce", "living_wage")


def codebook():
    """The bundled codebook with payloads in its version, no-theme label, two labels and
    two definitions (terms stay the bundled ones, so tagging is unchanged)."""
    bundled = load_codebook()
    themes = tuple(
        replace(theme, label=short_payload(f"L-{theme.id}"), definition=payload(f"def-{theme.id}"))
        if theme.id in HOSTILE_THEMES
        else theme
        for theme in bundled.themes
    )
    return replace(
        bundled,
        themes=themes,
        version=short_payload("version"),
        no_theme_label=short_payload("none"),
    )


def codebook_bytes() -> bytes:
    return codebook_toml(codebook()).encode()


#: Post fields with payloads, on the first three (newest) posts; urls that are no http(s)
#: address must never become links.
POST_FIELDS = ("title", "summary", "author", "date_basis")
BAD_URLS = ("javascript:alert(1)", f"data:text/html,<img src=http://{HOST}/data-url.png>", "")


def posts_rows() -> list[dict[str, str]]:
    with open(ROOT / "data" / "posts.csv", encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    for n, (row, url) in enumerate(zip(rows, BAD_URLS, strict=False)):
        for field in POST_FIELDS:
            row[field] = f"{row[field]} {payload(f'{field}{n}')}".strip()
        row["url"] = url
    return rows


def posts_bytes() -> bytes:
    rows = posts_rows()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def labels_bytes() -> bytes:
    """Human labels for the posts: one workforce and one living-wage post each, so both
    hostile labels come up as small samples on the quality page."""
    rows = posts_rows()
    ids = [row["id"] for row in rows]
    themes = [theme.id for theme in load_codebook().themes]
    lines = [",".join(["id", *themes])]
    for n, post_id in enumerate(ids):
        lines.append(",".join([post_id, *("1" if n == k else "0" for k in range(len(themes)))]))
    return ("\n".join(lines) + "\n").encode()


def bad_labels_bytes() -> bytes:
    """A labels file whose error message quotes a payload from a cell."""
    themes = [theme.id for theme in load_codebook().themes]
    cells = [payload("labels-error").replace(",", " ")] + ["0"] * (len(themes) - 1)
    return f"id,{','.join(themes)}\nx,{','.join(cells)}\n".encode()
