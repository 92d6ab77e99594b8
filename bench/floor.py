"""The floor for ``python -m analysis tag``: read a posts CSV, scan each post's text once with
the codebook's single regular expression, and write every input row back out with the
matches, streaming, in plain Python. Nothing the tagger does could cost less than this.

    python bench/floor.py posts.csv out.csv [--pattern PATTERN.txt] [--arrow]

With ``--pattern``, the regular expression's source is read from a file (bench/cli.py writes
the codebook's there once, before timing) and compiled here: the floor then imports nothing
but the standard library. Without it the codebook is loaded, which imports pandas (through
``analysis.formatting``): about half a second of processor time that reading, scanning and
writing do not need, and that would flatter the tagger at small sizes.

With ``--arrow``, the CSV is read and written by pyarrow (as the CLI does: a block of
4 MB at a time, every cell text) instead of Python's csv module, and only the scan is
Python: a stricter floor, since pyarrow reads and writes much faster than the csv module.

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


def main_arrow(source: str, target: str, pattern_file: str | None = None) -> None:
    import pyarrow
    import pyarrow.csv

    pattern = load_pattern(pattern_file)
    reader = pyarrow.csv.open_csv(
        source,
        read_options=pyarrow.csv.ReadOptions(block_size=4 << 20, use_threads=False),
        parse_options=pyarrow.csv.ParseOptions(newlines_in_values=True),
        convert_options=pyarrow.csv.ConvertOptions(
            default_column_type=pyarrow.string(), strings_can_be_null=False
        ),
    )
    names = reader.schema.names
    scanned = [n for n, name in enumerate(names) if name.lower() in FIELDS]
    schema = pyarrow.schema([*reader.schema, pyarrow.field("matches", pyarrow.string())])
    with pyarrow.csv.CSVWriter(target, schema) as writer:
        for batch in reader:
            columns = [batch.column(n).to_pylist() for n in scanned]
            matches = []
            for texts in zip(*columns, strict=True):
                found = []
                for text in texts:
                    found += pattern.findall(text.lower())
                matches.append(";".join(found))
            arrays = [*batch.columns, pyarrow.array(matches, pyarrow.string())]
            writer.write_batch(pyarrow.RecordBatch.from_arrays(arrays, schema=schema))


if __name__ == "__main__":
    args = sys.argv[1:]
    pattern_file = None
    if "--pattern" in args:
        at = args.index("--pattern")
        pattern_file = args[at + 1]
        del args[at : at + 2]
    arrow = "--arrow" in args
    if arrow:
        args.remove("--arrow")
    (main_arrow if arrow else main)(args[0], args[1], pattern_file)
