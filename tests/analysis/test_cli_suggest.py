"""``python -m analysis suggest``: the table of suggestions, the improved codebook, bad input."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import EXIT_PIPE, main
from analysis.codebook_file import codebook_toml, parse_codebook
from analysis.formatting import SCORE_PLACES, decimal
from analysis.suggestions import improved, suggest
from tests.analysis.test_suggestions import HOUSING, HOUSING_BOOK, JUSTICE, JUSTICE_BOOK

ROOT = Path(__file__).resolve().parents[2]


def write(folder: Path, corpus, book) -> tuple[Path, Path, Path]:
    posts, labels = corpus
    posts_csv, labels_csv, book_toml = (
        folder / "posts.csv",
        folder / "labels.csv",
        folder / "in.toml",
    )
    posts.to_csv(posts_csv, index=False)
    out = labels.copy()
    for column in out.columns:
        if out[column].dtype == bool:
            out[column] = out[column].astype(int)
    out.to_csv(labels_csv, index=False)
    book_toml.write_text(codebook_toml(book), encoding="utf-8")
    return posts_csv, labels_csv, book_toml


def rows(output: str) -> list[list[str]]:
    """The table's rows (after the header and its rule), cells split on runs of 2+ spaces."""
    lines = output.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("#  Theme"))
    table = []
    for line in lines[start + 2 :]:
        if not line.strip():
            break
        table.append(re.split(r"\s{2,}", line.strip()))
    return table


def test_the_real_command_prints_the_table_and_writes_the_improved_codebook(tmp_path):
    posts_csv, labels_csv, book_toml = write(tmp_path, JUSTICE, JUSTICE_BOOK)
    out_toml = tmp_path / "out.toml"
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "suggest", str(posts_csv), "--labels", str(labels_csv),
         "--codebook", str(book_toml), "-o", str(out_toml)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    posts, labels = JUSTICE
    found = suggest(posts, labels, JUSTICE_BOOK)
    table = rows(done.stdout)
    assert len(table) == len(found)
    for n, (row, s) in enumerate(zip(table, found, strict=True), start=1):
        term = f"{s.term} (guards {s.guards})" if s.guards else s.term
        assert row == [
            str(n), "Justice", s.action, term, f"+{len(s.gained)}", f"-{len(s.lost)}",
            str(s.support), *(f"{decimal(s.before[k])} -> {decimal(s.after[k])}" for k in ("precision", "recall", "f1")),
        ]  # fmt: skip
    assert ["2", "Justice", "exclude", "benefits of (guards benefits)", "+0", "-3"] in [
        r[:6] for r in table
    ]
    assert "3-fold" not in done.stdout and "5-fold cross-validation over the 11 labelled" in (
        " ".join(done.stdout.split())
    )
    written = parse_codebook(out_toml.read_text(encoding="utf-8"))
    theme = written.theme("justice")
    assert "grant*" not in theme.terms and theme.exclude == ("benefits of",)
    assert written.themes == improved(JUSTICE_BOOK, found).themes
    assert written.version.endswith("+what-if")
    # three raise F1, but once grant* is dropped one of them no longer applies: two are made
    assert sum(1 for s in found if s.f1_change > 0) == 3
    assert f"Wrote {out_toml}: the codebook with 2 suggestions applied" in done.stdout


def test_suggest_prints_the_gained_terms_row(tmp_path, capsys):
    posts_csv, labels_csv, book_toml = write(tmp_path, HOUSING, HOUSING_BOOK)
    assert (
        main(["suggest", str(posts_csv), "--labels", str(labels_csv), "--codebook", str(book_toml)])
        == 0
    )
    first = rows(capsys.readouterr().out)[0]
    assert first[:7] == ["1", "Housing", "add", "eviction*", "+4", "-0", "4"]
    # scores at the project's places (analysis.formatting.SCORE_PLACES), as every table shows them
    assert SCORE_PLACES == 3
    assert first[7].startswith("1.000 -> ") and first[9].startswith("0.333 -> ")
    after = first[9].split(" -> ")[1]
    assert after == decimal(float(after)) and len(after.split(".")[1]) == SCORE_PLACES


def test_without_suggestions_the_command_says_so(tmp_path, capsys):
    posts, labels = HOUSING
    perfect = labels.copy()
    perfect["housing"] = posts["title"].str.contains("Housing").to_numpy()
    posts_csv, labels_csv, book_toml = write(tmp_path, (posts, perfect), HOUSING_BOOK)
    assert (
        main(["suggest", str(posts_csv), "--labels", str(labels_csv), "--codebook", str(book_toml)])
        == 0
    )
    assert capsys.readouterr().out.startswith("No suggestions: ")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda p, lab, b: lab.write_text("id,housing\nh1,1\n"),
            "labels.csv: has no column for theme other",
        ),
        (
            lambda p, lab, b: lab.write_text("id,housing,other\nh1,1,0\nh2,yes,0\n"),
            "labels.csv: row 3, column 'housing': 'yes' is not 0 or 1",
        ),
        (
            lambda p, lab, b: lab.write_text("id,housing,other\nzz,1,0\n"),
            "labels.csv: 0 of its ids match a post of",
        ),
        (lambda p, lab, b: b.write_text("version = 3\n"), "in.toml: "),
        (lambda p, lab, b: p.write_text("nothing,here\n1,2\n"), "posts.csv: "),
    ],
    ids=["missing theme column", "bad value", "no matching ids", "bad codebook", "bad posts"],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, change, message):
    posts_csv, labels_csv, book_toml = write(tmp_path, HOUSING, HOUSING_BOOK)
    change(posts_csv, labels_csv, book_toml)
    out = tmp_path / "out.toml"
    code = main(
        [
            "suggest",
            str(posts_csv),
            "--labels",
            str(labels_csv),
            "--codebook",
            str(book_toml),
            "-o",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("python -m analysis: error: ") and message in err
    assert err.count("\n") == 1
    assert not out.exists()


def test_help_names_the_command(capsys):
    with pytest.raises(SystemExit):
        main(["suggest", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--labels LABELS.csv" in text and "-o OUT.toml" in text
    assert "raises cross-validated F1" in text


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path):
    """``python -m analysis suggest ... | head``: the reader closes the pipe before the table
    is written; the command stops with the status of a tool killed by SIGPIPE and no
    traceback."""
    posts_csv, labels_csv, book_toml = write(tmp_path, HOUSING, HOUSING_BOOK)
    command = [sys.executable, "-m", "analysis", "suggest", str(posts_csv), "--labels",
               str(labels_csv), "--codebook", str(book_toml)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    process.stdout.close()  # as head does once it has its lines
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == EXIT_PIPE == 141
    assert err == ""


class _GoneReader:
    """A standard output whose reader has gone: every write and flush fails."""

    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_stdout_is_not_an_error_in_process(tmp_path, monkeypatch, capsys):
    posts_csv, labels_csv, book_toml = write(tmp_path, HOUSING, HOUSING_BOOK)
    monkeypatch.setattr(sys, "stdout", _GoneReader())
    code = main(["suggest", str(posts_csv), "--labels", str(labels_csv), "--codebook",
                 str(book_toml)])  # fmt: skip
    assert code == EXIT_PIPE
    assert capsys.readouterr().err == ""
