"""The floor for ``python -m analysis tag``: read a posts CSV, scan each post's text once with
the codebook's single regular expression, and write every input row back out with the
matches, streaming, in plain Python. Nothing the tagger does could cost less than this.

    python bench/floor.py posts.csv out.csv [--pattern PATTERN.txt]

With ``--pattern``, the regular expression's source is read from a file (bench/cli.py writes
the codebook's there once, before timing) and compiled here: the floor then imports nothing
but the standard library. Without it the codebook is loaded, which imports pandas (through
``analysis.formatting``): about half a second of processor time that reading, scanning and
writing do not need, and that would flatter the tagger at small sizes.

bench/cli.py times the CLI against it.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

FIELDS = ("title", "summary", "text")


def load_pattern(pattern_file: str | None) -> re.Pattern[str]:
    if pattern_file:
        return re.compile(Path(pattern_file).read_text(encoding="utf-8"))
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from analysis.codebook import load_codebook

    return load_codebook().pattern()


def main(source: str, target: str, pattern_file: str | None = None) -> None:
    pattern = load_pattern(pattern_file)
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
    args = sys.argv[1:]
    pattern_file = None
    if "--pattern" in args:
        at = args.index("--pattern")
        pattern_file = args[at + 1]
        del args[at : at + 2]
    main(args[0], args[1], pattern_file)
