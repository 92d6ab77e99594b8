"""Build ``data/posts.csv`` from the seed listing and the researched dates.

The seed folder (``../shared/seed`` beside the repository) holds the HALN blog
listing, newest first, as title and summary lines, and ``post-dates.csv`` with
what is known about each post's date, matched by listing position.  Titles and
summaries are copied exactly as listed (typographic apostrophes kept); the one
summary that repeats another post's is kept too, for the data-quality checks to
find.  Run once; the CSV it writes is the bundled corpus.

    python scripts/build_posts.py ../shared/seed data/posts.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.post_checks import HEADER_ALIASES, slugify

SOURCE = "Health Anchors Learning Network blog"
COLUMNS = [column for column in HEADER_ALIASES if column != "text"]  # no full text here


def read_listing(path: Path) -> list[tuple[str, str]]:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line][1:]  # drop the "Blog posts" heading
    if len(lines) % 2:
        raise SystemExit(f"{path}: expected title and summary lines in pairs")
    return list(zip(lines[::2], lines[1::2], strict=True))


def main(seed: Path, out: Path) -> None:
    listing = read_listing(seed / "haln-blog-listing.txt")
    with (seed / "post-dates.csv").open(encoding="utf-8", newline="") as f:
        dates = {int(row["listing_position"]): row for row in csv.DictReader(f)}
    rows = []
    for position, (title, summary) in enumerate(listing, start=1):
        known = dates[position]
        rows.append(
            {
                "id": slugify(title),
                "title": title,
                "summary": summary,
                "published": known["published"],
                "date_status": known["date_status"],
                "date_precision": known["date_precision"],
                "date_basis": known["date_basis"],
                "url": known["url"],
                "author": known["author"],
                "source": SOURCE,
            }
        )
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} posts to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
