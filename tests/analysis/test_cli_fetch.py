"""``python -m analysis fetch``: the real command line, in subprocesses, against the test blog
on 127.0.0.1 (tests/analysis/fixtures/blog.py): exit codes, the summary, the CSV written
atomically, and --merge into the very file it reads."""

from __future__ import annotations

import csv
import io
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.loading import read_posts
from tests.analysis.fixtures.blog import EXPECTED, ORDER, Blog, start_server

ROOT = Path(__file__).resolve().parents[2]
QUICK = ["--delay", "0", "--retries", "1"]

EXISTING = (
    "id,title,summary,published,date_status,date_precision,date_basis,url,author,source\n"
    "porters,Living Wage for Porters,Our own summary,2023-07-01,estimated,month,"
    "Listing order,,,HALN blog\n"
    "evaluation,Insights from the evaluation,Kept as it is,2023-10-01,inferred,year,"
    "Reported the evaluation,,,HALN blog\n"
)
PREVIOUS = "previous contents\n"


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    folder: Path


@pytest.fixture(scope="module")
def blog():
    server = start_server()
    yield Blog(server)
    server.stop()


@pytest.fixture(scope="module")
def runs(blog, tmp_path_factory) -> dict[str, Run]:
    """Every command line the tests check, run side by side (each with its own cache)."""
    with socket.socket() as s:  # a port on 127.0.0.1 that nothing listens on
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/blog"
    commands = {
        "fetch": [blog.index, "-o", "out.csv", *QUICK],
        "merge": [blog.index, "--merge", "posts.csv", "-o", "posts.csv", *QUICK],
        "stdout": [blog.base + "/blog/feed.xml", "-o", "-", *QUICK],
        "offline": [closed, "-o", "out.csv", "--retries", "0"],
    }
    started = {}
    for name, args in commands.items():
        folder = tmp_path_factory.mktemp(name.replace(" ", "-"))
        (folder / "posts.csv").write_text(EXISTING, encoding="utf-8")
        if name == "offline":
            (folder / "out.csv").write_text(PREVIOUS, encoding="utf-8")
        cache = ["--cache-dir", str(folder / "cache")]
        absolute = [str(folder / a) if a.endswith(".csv") else a for a in args]
        started[name] = (
            folder,
            subprocess.Popen(
                [sys.executable, "-m", "analysis", "fetch", *absolute, *cache],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            ),
        )
    done = {}
    for name, (folder, process) in started.items():
        stdout, stderr = process.communicate(timeout=180)
        done[name] = Run(process.returncode, stdout, stderr, folder)
    return done


@pytest.mark.subprocess
def test_fetch_writes_the_posts_csv_and_prints_the_summary(runs, blog):
    run = runs["fetch"]
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith(f"Read 14 pages of {blog.index} (")
    assert lines[0].endswith("): 8 posts found, 1 undated, 2 pages not read.")
    assert lines[1] == "Added 8."
    assert f"Not read: {blog.base}/blog/broken-post: HTTP 500 Internal Server Error" in lines
    assert run.stderr == ""
    data = (run.folder / "out.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the project's CSV writer: Excel reads it right
    posts = read_posts(run.folder / "out.csv").posts
    assert list(posts["url"]) == [blog.base + path for path in ORDER]
    assert list(posts["title"]) == [EXPECTED[path]["title"] for path in ORDER]
    assert list(posts["text"]) == [EXPECTED[path]["text"] for path in ORDER]
    assert list(posts["date_basis"]) == [EXPECTED[path]["date_basis"] for path in ORDER]
    assert posts["published"].isna().sum() == 1
    assert [p.name for p in run.folder.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.subprocess
def test_merge_into_the_file_it_reads(runs, blog):
    run = runs["merge"]
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[1] == (
        "Added 7; dates confirmed 1, corrected 0, added to undated posts 0; "
        "fields filled in 1; unchanged 0; kept, not found on the blog 1."
    )
    assert (
        "Dates confirmed: Living Wage for Porters: Jul 2023 (estimated) confirmed: 5 Jul 2023"
        in run.stdout.splitlines()
    )
    posts = read_posts(run.folder / "posts.csv").posts.set_index("id")
    assert len(posts) == 9
    porters = posts.loc["porters"]
    assert porters["title"] == "Living Wage for Porters"  # the file's, not the blog's
    assert porters["summary"] == "Our own summary"
    assert porters["published"] == pd.Timestamp("2023-07-05")
    assert porters["date_status"] == "published"
    assert porters["date_basis"] == (
        "article:published_time meta tag; replaces the estimated date 2023-07-01 (Listing order)"
    )
    assert porters["url"] == blog.base + "/blog/living-wage-for-porters"
    assert porters["author"] == "Jo Bloggs"
    assert porters["text"] == EXPECTED["/blog/living-wage-for-porters"]["text"]
    kept = posts.loc["evaluation"]
    assert (kept["summary"], kept["date_status"]) == ("Kept as it is", "inferred")
    assert list(posts.index[:2]) == ["apprenticeships-in-east-london", "housing-advice-on-the-ward"]


@pytest.mark.subprocess
def test_csv_to_standard_output_and_the_summary_to_standard_error(runs, blog):
    run = runs["stdout"]
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("\ufeff")  # for Excel, like every CSV we write
    rows = list(csv.DictReader(io.StringIO(run.stdout.removeprefix("\ufeff"))))
    assert list(rows[0])[:5] == ["id", "title", "summary", "text", "published"]
    assert "Only in the feed" in [row["title"] for row in rows]
    assert run.stderr.splitlines()[1] == "Added 2."


@pytest.mark.subprocess
def test_offline_is_exit_1_with_one_line_and_the_output_untouched(runs):
    run = runs["offline"]
    assert run.returncode == 1
    assert run.stdout == ""
    assert len(run.stderr.splitlines()) == 1
    assert run.stderr.startswith("python -m analysis: error: cannot reach http://127.0.0.1:")
    assert run.stderr.rstrip().endswith("; nothing was written")
    assert (run.folder / "out.csv").read_text(encoding="utf-8") == PREVIOUS
    assert sorted(p.name for p in run.folder.iterdir()) == ["cache", "out.csv", "posts.csv"]


# --- in this process: what needs no fetch -------------------------------------------------------


def test_bad_input_is_exit_2_with_one_line(blog, tmp_path, capsys):
    out = tmp_path / "out.csv"
    missing = str(tmp_path / "missing.csv")
    before = len(blog.hits)
    assert main(["fetch", blog.index, "--merge", missing, "-o", str(out), *QUICK]) == 2
    err = capsys.readouterr().err
    assert err.startswith("python -m analysis: error: ")
    assert "missing.csv: cannot be read" in err
    assert len(err.splitlines()) == 1
    assert not out.exists()
    assert len(blog.hits) == before  # the merge file is read before the blog is asked
    with pytest.raises(SystemExit) as exit:
        main(["fetch", blog.index, "-o", str(out), "--delay", "-1"])
    assert exit.value.code == 2
    assert "argument --delay: must be more than 0 or 0" in capsys.readouterr().err


def test_help_documents_fetch(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["fetch", "--help"])
    assert exit.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for option in ("--merge", "--max-pages", "--delay", "--cache-dir", "https://haln.org.uk/blog"):
        assert option in text
