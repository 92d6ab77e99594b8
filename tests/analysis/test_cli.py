"""analysis.cli: ``python -m analysis`` help, tagging to a file or stdout, and bad input.

The real command line runs in subprocesses. Each one loads pandas and scikit-learn
(a second or two), so they are started together once per module; more error cases
are checked by calling :func:`analysis.cli.main` in this process.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis.cli import main

INPUT = (
    "Title,Summary,Notes,Code\n"
    'Apprentices wanted,"Local jobs, and careers",keep me,007\n'
    "Nothing here,Just a walk in the park,,2\n"
    "Living Wage and racism,“Legal advice” for homeless café staff,ünïcode,\n"
)
PREVIOUS = "previous results\n"
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    folder: Path


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    """Every command line the tests check, keyed by name, run side by side."""
    commands: dict[str, tuple[Path, list[str]]] = {}
    for name, args in {
        "help": ["--help"],
        "to file": ["tag", "in.csv", "-o", "out.csv"],
        "to stdout": ["tag", "in.csv"],
        "bad input": ["tag", "bad.csv", "-o", "out.csv"],
    }.items():
        folder = tmp_path_factory.mktemp(name.replace(" ", "-"))
        (folder / "in.csv").write_text(INPUT, encoding="utf-8")
        (folder / "bad.csv").write_bytes(b"Caption,Summary\nA,b\n")  # no title column
        if name == "bad input":
            (folder / "out.csv").write_text(PREVIOUS, encoding="utf-8")
        absolute = [str(folder / arg) if arg.endswith(".csv") else arg for arg in args]
        commands[name] = (folder, absolute)

    started = {
        name: (
            folder,
            subprocess.Popen(
                [sys.executable, "-m", "analysis", *args],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            ),
        )
        for name, (folder, args) in commands.items()
    }
    done = {}
    for name, (folder, process) in started.items():
        stdout, stderr = process.communicate(timeout=120)
        done[name] = Run(process.returncode, stdout, stderr, folder)
    return done


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def check_tagged(rows: list[list[str]], theme_ids: list[str]) -> None:
    """The input's rows, each with the themes, then a score and evidence per theme, added."""
    header, *body = rows
    expected_input = parse(INPUT)
    added = ["themes", *(f"score_{i}" for i in theme_ids), *(f"evidence_{i}" for i in theme_ids)]
    assert header == [*expected_input[0], *added]
    assert len(body) == len(expected_input) - 1
    for written, given in zip(body, expected_input[1:], strict=True):
        assert written[: len(given)] == given  # every input cell as written
    tagged = [dict(zip(header, row, strict=True)) for row in body]
    assert [row["themes"] for row in tagged] == [
        "workforce",
        "",
        "living_wage;racial_equity;health_justice",
    ]
    assert [float(row["score_workforce"]) for row in tagged] == [4.0, 0.0, 0.0]
    assert [float(row["score_health_justice"]) for row in tagged] == [0.0, 0.0, 2.0]
    assert tagged[0]["evidence_workforce"] == "title: apprentice*; summary: local jobs, career*"
    assert tagged[2]["evidence_racial_equity"] == "title: racis*"
    assert tagged[1]["evidence_workforce"] == ""


# --- the real command line --------------------------------------------------------------------


@pytest.mark.subprocess
def test_help_documents_tag(runs):
    run = runs["help"]
    assert run.returncode == 0
    assert run.stdout.startswith("usage: python -m analysis")
    assert "tag" in run.stdout


@pytest.mark.subprocess
def test_tag_writes_every_row_and_column_to_the_output_file(theme_ids, runs):
    run = runs["to file"]
    assert run.returncode == 0, run.stderr
    assert (run.stdout, run.stderr) == ("", "")
    check_tagged(parse((run.folder / "out.csv").read_text(encoding="utf-8")), theme_ids)
    # written through a temporary file that is gone once the output is complete
    assert sorted(p.name for p in run.folder.iterdir()) == ["bad.csv", "in.csv", "out.csv"]


@pytest.mark.subprocess
def test_tag_writes_to_stdout_without_an_output(theme_ids, runs):
    run = runs["to stdout"]
    assert run.returncode == 0, run.stderr
    check_tagged(parse(run.stdout), theme_ids)
    assert not (run.folder / "out.csv").exists()


@pytest.mark.subprocess
def test_bad_input_is_one_line_on_stderr_and_exit_2(runs):
    run = runs["bad input"]
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("python -m analysis: error: ")
    assert str(run.folder / "bad.csv") in lines[0]
    assert "has no title column" in lines[0]
    assert (run.folder / "out.csv").read_text(encoding="utf-8") == PREVIOUS  # untouched


# --- in this process: more bad input, the tag command's help and options ----------------------


def test_tag_help_documents_the_output_columns(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["tag", "--help"])
    assert exited.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert text.startswith("usage: python -m analysis tag")
    for fragment in ["IN.csv", "-o OUT.csv", "themes", "score_<id>", "evidence_<id>", "--codebook"]:
        assert fragment in text


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"title,summary\nA,b\nB,c,d\n", "row 3 has 3 cells"),
        (b"", "is empty"),
        (b"title,summary,date_status\nA,b,maybe\n", "row 2, column 'date_status'"),
        (None, "cannot be read"),
    ],
    ids=["wrong number of cells", "empty file", "bad date_status", "missing file"],
)
def test_main_reports_bad_input_in_one_line(tmp_path, capsys, content, fragment):
    source = tmp_path / "bad.csv"
    if content is not None:
        source.write_bytes(content)
    output = tmp_path / "out.csv"
    output.write_text(PREVIOUS, encoding="utf-8")

    assert main(["tag", str(source), "-o", str(output)]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert str(source) in line
    assert fragment in line
    assert output.read_text(encoding="utf-8") == PREVIOUS


def test_main_reports_a_bad_codebook(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text(INPUT, encoding="utf-8")
    book = tmp_path / "book.toml"
    book.write_text("[[themes]]\nid = 'x'\n", encoding="utf-8")

    assert main(["tag", str(source), "--codebook", str(book), "-o", str(tmp_path / "o.csv")]) == 2

    (line,) = capsys.readouterr().err.splitlines()
    assert "book.toml: theme 'x'" in line
    assert not (tmp_path / "o.csv").exists()


def test_main_reports_an_output_folder_that_does_not_exist(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text(INPUT, encoding="utf-8")
    output = tmp_path / "no-such-folder" / "out.csv"

    assert main(["tag", str(source), "-o", str(output)]) == 2

    (line,) = capsys.readouterr().err.splitlines()
    assert str(output) in line
    assert "cannot write" in line


def test_main_with_a_codebook_option(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("title,summary\nApples,pears\nNothing,at all\n", encoding="utf-8")
    book = tmp_path / "book.toml"
    book.write_text(
        '[[themes]]\nid = "fruit"\nlabel = "Fruit"\ncolour = "#112233"\n'
        'definition = "Fruit."\nterms = ["apple*", "pear*"]\n',
        encoding="utf-8",
    )
    output = tmp_path / "out.csv"

    assert main(["tag", str(source), "--codebook", str(book), "-o", str(output)]) == 0

    header, *rows = parse(output.read_text(encoding="utf-8"))
    assert header == ["title", "summary", "themes", "score_fruit", "evidence_fruit"]
    assert rows == [
        ["Apples", "pears", "fruit", "3", "title: apple*; summary: pear*"],
        ["Nothing", "at all", "", "0", ""],
    ]
