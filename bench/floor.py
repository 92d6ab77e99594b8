"""The floor for ``python -m analysis tag``: read a posts CSV, scan each post's text once with
the codebook's single regular expression, and write every input row back out with the
matches, streaming, in plain Python. Nothing the tagger does could cost less than this.

    python bench/floor.py posts.csv out.csv

bench/cli.py times the CLI against it.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.codebook import load_codebook

FIELDS = ("title", "summary", "text")


def main(source: str, target: str) -> None:
    pattern = load_codebook().pattern()
    with (
        open(source, encoding="utf-8", newline="") as f_in,
        open(target, "w", encoding="utf-8", newline="") as f_out,
    ):
        reader = csv.reader(f_in)
        writer = csv.writer(f_out)
        header = next(reader)
        writer.writerow([*header, "matches"])
        scanned = [n for n, name in enumerate(header) if name.lower() in FIELDS]
        for row in reader:
            found = []
            for n in scanned:
                found += pattern.findall(row[n].lower())
            writer.writerow([*row, ";".join(found)])


if __name__ == "__main__":
    main(*sys.argv[1:3])
