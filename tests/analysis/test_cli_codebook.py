"""analysis.cli with a bad ``--codebook``: one line on stderr naming the file and key, exit 2.

Each malformed codebook runs through the real command line in its own process (all
started together, once per module), so a RecursionError from the TOML parser or a
traceback of any kind would show on stderr and fail the test.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POSTS = "title,summary\nApprentices wanted,Local jobs\n"
THEME = (
    '[[themes]]\nid = "alpha"\nlabel = "Alpha"\ncolour = "#112233"\n'
    'definition = "About alpha."\nterms = ["alpha"]\n'
)

#: name -> (command, codebook file name, its text or None for /dev/zero, the message)
CASES = {
    "tagging not a table": (
        "tag",
        "tagging.toml",
        "tagging = 3\n" + THEME,
        "tagging.toml: [tagging] must be a table (got 3)",
    ),
    "no_theme not a table": (
        "tag",
        "none.toml",
        'no_theme = "x"\n' + THEME,
        "none.toml: [no_theme] must be a table (got 'x')",
    ),
    "nested arrays": (
        "tag",
        "nested.toml",
        "x = " + "[" * 20_000 + "]" * 20_000 + "\n" + THEME,
        "nested.toml: not valid TOML (nested too deeply)",
    ),
    "star term": (
        "tag",
        "stars.toml",
        THEME.replace('["alpha"]', '["alpha", "a********************q"]'),
        "stars.toml: theme 'alpha': terms: the term 'a********************q' has two * "
        "in a row: one * at the end of a word matches any ending",
    ),
    "misspelt key": (
        "tag",
        "typo.toml",
        THEME.replace("terms =", 'term = ["x"]\nterms ='),
        "typo.toml: theme 'alpha': unknown key 'term' (did you mean 'terms'?)",
    ),
    "huge file": (
        "tag",
        "huge.toml",
        THEME + "# " + "x" * 1_000_000 + "\n",
        "huge.toml: too large for a codebook (at most 1,000,000 bytes)",
    ),
    "endless file": (
        "tag",
        "/dev/zero",
        None,
        "zero: too large for a codebook (at most 1,000,000 bytes)",
    ),
    "report with a bad version": (
        "report",
        "version.toml",
        "version = [1]\n" + THEME,
        "version.toml: version must be text or a number (got an array)",
    ),
}


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    output: Path


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    started = {}
    for name, (command, book, text, _) in CASES.items():
        folder = tmp_path_factory.mktemp(name.replace(" ", "-"))
        (folder / "in.csv").write_text(POSTS, encoding="utf-8")
        if text is not None:
            (folder / book).write_text(text, encoding="utf-8")
        output = folder / ("out.csv" if command == "tag" else "out.html")
        args = [command, str(folder / "in.csv"), "--codebook", str(folder / book)]
        started[name] = (
            output,
            subprocess.Popen(
                [sys.executable, "-m", "analysis", *args, "-o", str(output)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            ),
        )
    done = {}
    for name, (output, process) in started.items():
        stdout, stderr = process.communicate(timeout=180)
        done[name] = Run(process.returncode, stdout, stderr, output)
    return done


@pytest.mark.subprocess
@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_codebook_is_one_line_on_stderr_and_exit_2(runs, name):
    run = runs[name]
    assert run.stderr == f"python -m analysis: error: {CASES[name][3]}\n"
    assert run.returncode == 2
    assert run.stdout == ""
    assert not run.output.exists()
