"""Files named on the command line (``streamlit run dashboard.py -- --posts FILE ...``),
with AppTest.

Streamlit gives the script ``sys.argv = ["dashboard.py", *words after --]``; AppTest runs the
script in this process, so each test sets ``sys.argv`` the same way.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given as given_examples
from hypothesis import settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from analysis.filenames import report_filename
from app_pages import reporting
from app_pages.sources import USAGE, Given, given, parse
from tests.app_pages.conftest import uploader
from tests.markdown_oracle import as_read

ROOT = Path(__file__).resolve().parents[2]
TITLES = ["Orchards on hospital land", "Kelp farming and local food", "Ferry timetables for GPs"]
POSTS = """id,title,summary,published
ferry-1,Ferry timetables for GPs,Boats and ferries carry doctors to island surgeries.,15/01/2024
kelp-2,Kelp farming and local food,Seaweed harvests supply hospital kitchens.,10/02/2024
orchard-3,Orchards on hospital land,Apple trees planted where car parks were.,05/03/2024
"""
CODEBOOK = """version = "test-1"

[[themes]]
id = "boats"
label = "Boats"
colour = "#0072B2"
definition = "Getting about by water."
terms = ["ferry", "ferries", "boat*"]

[[themes]]
id = "food"
label = "Food"
colour = "#D55E00"
definition = "Growing and cooking food."
terms = ["kelp", "seaweed", "food", "kitchen*"]
"""
# Boats agrees with the machine; food has a false positive (kelp-2) and a miss (orchard-3).
LABELS = "id,boats,food\nferry-1,1,0\nkelp-2,0,0\norchard-3,0,1\n"
BUNDLED_FIRST_TITLE = "Engaging the private sector in anchor networks"


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    paths = {
        "posts": tmp_path / "island posts.csv",
        "codebook": tmp_path / "island.toml",
        "labels": tmp_path / "island labels.csv",
        "bad posts": tmp_path / "no titles.csv",
        "bad codebook": tmp_path / "broken.toml",
        "bad labels": tmp_path / "bad labels.csv",
    }
    paths["posts"].write_text(POSTS)
    paths["codebook"].write_text(CODEBOOK)
    paths["labels"].write_text(LABELS)
    paths["bad posts"].write_text("heading,words\nA,b\n")
    paths["bad codebook"].write_text("version = \n")
    paths["bad labels"].write_text("id,boats,food\nferry-1,yes,0\n")
    return paths


@pytest.fixture
def run(app):
    """``run(*words, page=None)``: the dashboard as
    ``streamlit run dashboard.py -- *words`` opens it."""

    def run(*words: str | Path, page: str | None = None) -> AppTest:
        return app(page, argv=words)

    return run


def explore_titles(at: AppTest) -> list[str]:
    at.switch_page("app_pages/explore.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at.dataframe[0].value["Title"].tolist()


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


# --- the arguments ---------------------------------------------------------------------------


def test_parse_reads_each_file_option():
    assert parse([]) == Given()
    assert parse(["--posts", "p.csv", "--codebook", "c.toml", "--labels", "l.csv"]) == Given(
        posts="p.csv", codebook="c.toml", labels="l.csv"
    )
    assert parse(["--codebook=c.toml"]) == Given(codebook="c.toml")


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (["--post", "p.csv"], "unrecognized arguments: --post p.csv"),  # no abbreviations
        (["p.csv"], "unrecognized arguments: p.csv"),
        (["--posts"], "argument --posts: expected one argument"),
        (["--help"], "unrecognized arguments: --help"),  # never exits the server
    ],
)
def test_parse_turns_what_it_does_not_understand_into_one_line(words, said):
    result = parse(words)
    assert result.posts is result.codebook is result.labels is None
    assert result.problem == f"Command line not understood ({said}). Use: {USAGE}"


def test_labels_without_their_posts_are_not_used():
    result = parse(["--labels", "l.csv", "--codebook", "c.toml"])
    assert result == Given(
        codebook="c.toml",
        problem="Command line: --labels l.csv is not used without --posts "
        "(labels code the posts they come with).",
    )


def test_arguments_count_only_when_the_process_runs_the_dashboard(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["/usr/bin/pytest", "--posts", "p.csv"])
    assert given() == Given()  # a test runner's own arguments
    monkeypatch.setattr(sys, "argv", ["/srv/anchor/dashboard.py", "--posts", "p.csv"])
    assert given() == Given(posts="p.csv")


# --- the dashboard on them -------------------------------------------------------------------


def test_the_dashboard_opens_on_the_posts_and_codebook_given(run, files):
    at = run("--posts", files["posts"], "--codebook", files["codebook"])
    assert errors(at) == []
    assert at.sidebar.multiselect(key="themes").options == ["Boats", "Food", "No theme"]
    assert any(f"Showing 3 posts from {files['posts']}" in as_read(c.value) for c in at.caption)
    table = (at.switch_page("app_pages/explore.py").run()).dataframe[0].value
    assert table["Title"].tolist() == TITLES  # newest first, and nothing else
    assert table["Themes"].tolist() == ["", "Food", "Boats"]


def test_a_bad_posts_file_is_one_line_naming_it_and_the_bundled_posts_stay(run, files):
    at = run("--posts", files["bad posts"], "--codebook", files["codebook"])
    (message,) = errors(at)
    assert "\n" not in message
    message = as_read(message)
    assert message.startswith(f"{files['bad posts']}: ")
    assert message.endswith("Showing the bundled HALN posts instead.")
    titles = explore_titles(at)
    assert len(titles) == 18 and BUNDLED_FIRST_TITLE in titles
    # The codebook given still tags them.
    assert at.sidebar.multiselect(key="themes").options == ["Boats", "Food", "No theme"]


def test_a_missing_posts_file_is_named(run, tmp_path):
    missing = tmp_path / "nowhere.csv"
    at = run("--posts", missing)
    (message,) = map(as_read, errors(at))
    assert message == (
        f"{missing}: cannot be read (No such file or directory). "
        "Showing the bundled HALN posts instead."
    )
    assert len(explore_titles(at)) == 18


def test_a_file_name_with_a_line_break_is_still_one_line(run, tmp_path):
    odd = tmp_path / "two\nlines.toml"
    odd.write_text("version = \n")
    at = run("--codebook", odd)
    (message,) = map(as_read, errors(at))
    assert "\n" not in message
    assert message.startswith("two\\nlines.toml: ")  # the break shown as \n, on one line


def test_a_bad_codebook_is_named_and_the_bundled_codebook_tags_the_posts(run, files):
    at = run("--posts", files["posts"], "--codebook", files["bad codebook"])
    (message,) = map(as_read, errors(at))
    assert message.startswith("broken.toml: ")
    assert message.endswith("Using the bundled codebook instead.")
    assert at.sidebar.multiselect(key="themes").options[:2] == ["Workforce", "Living wage"]
    assert sorted(explore_titles(at)) == sorted(TITLES)


def test_arguments_not_understood_are_said_on_the_page(run, files):
    at = run("--post", files["posts"])
    (message,) = map(as_read, errors(at))
    assert message.startswith("Command line not understood (unrecognized arguments: --post ")
    assert len(explore_titles(at)) == 18


def test_labels_given_with_the_posts_measure_tagging_quality(run, files):
    at = run(
        *("--posts", files["posts"], "--codebook", files["codebook"]),
        *("--labels", files["labels"]),
        page="app_pages/tagging_quality.py",
    )
    assert errors(at) == []
    metrics = {m.label: m.value for m in at.metric}
    assert as_read(metrics["Micro F1"]) == "0.500"  # tp 1 (boats), fp 1 and fn 1 (food)
    assert as_read(metrics["Macro F1"]) == "0.500"  # boats 1.00, food 0.00
    assert at.subheader[0].value == "Machine tags against 3 labelled posts"
    # The one-click report measures with the same labels (the sidebar button calls this).
    report = reporting.tagging_quality(at.session_state["_view"], machine=True)
    assert (report.posts_compared, round(report.micro["f1"], 2)) == (3, 0.5)

    # Labels belong to their posts: with other posts uploaded, there are none to compare.
    at.switch_page("app_pages/overview.py").run()
    uploader(at, "upload").set_value(("other.csv", POSTS.encode(), "text/csv"))
    at.run()
    at.switch_page("app_pages/tagging_quality.py").run()
    assert not at.exception
    assert [m.label for m in at.metric] == []
    assert any("Upload a labels file" in i.value for i in at.info)


def test_a_bad_labels_file_is_named_and_quality_has_no_labels(run, files):
    at = run(
        *("--posts", files["posts"], "--codebook", files["codebook"]),
        *("--labels", files["bad labels"]),
        page="app_pages/tagging_quality.py",
    )
    (message,) = map(as_read, errors(at))
    assert message == (
        f"{files['bad labels']}: row 2, column 'boats': 'yes' is not 0 or 1. "
        "Tagging quality has no labels for these posts."
    )
    assert any("Upload a labels file" in i.value for i in at.info)


def test_the_bundled_labels_stay_with_the_bundled_posts(run, files):
    at = run("--labels", files["labels"], page="app_pages/tagging_quality.py")
    assert [as_read(e) for e in errors(at)] == [
        f"Command line: --labels {files['labels']} is not used without --posts "
        "(labels code the posts they come with)."
    ]
    assert as_read({m.label: m.value for m in at.metric}["Micro F1"]) == "1.000"


def test_a_bad_upload_falls_back_to_the_command_lines_posts(run, files):
    at = run("--posts", files["posts"], "--codebook", files["codebook"])
    uploader(at, "upload").set_value(("wrong.csv", b"a,b\n1,2\n", "text/csv"))
    at.run()
    (message,) = map(as_read, (e.value for e in at.sidebar.error))
    assert message.startswith("wrong.csv: ")
    assert message.endswith(f"Showing {files['posts']} instead.")
    assert explore_titles(at) == TITLES


def test_a_what_if_codebook_retags_the_command_lines_posts(run, files):
    from analysis.codebook import parse_codebook

    at = run("--posts", files["posts"], "--codebook", files["codebook"])
    only_boats = CODEBOOK.split('[[themes]]\nid = "food"')[0]
    at.session_state["whatif_codebook"] = parse_codebook(only_boats, "what-if")
    at.run()
    table = (at.switch_page("app_pages/explore.py").run()).dataframe[0].value
    assert table["Title"].tolist() == TITLES
    assert table["Themes"].tolist() == ["", "", "Boats"]


#: The environment of a make run on its own: under ``make test`` the parent's MAKEFLAGS and
#: MAKELEVEL would make it print "Leaving directory" lines after the command.
MAKE_ALONE = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}


def test_make_run_passes_the_files_after_the_double_dash(tmp_path):
    """``make run POSTS=... CODEBOOK=... LABELS=...`` starts Streamlit with those words."""
    command = subprocess.run(
        ["make", "-n", "run", f"VENV={tmp_path / 'venv'}", "POSTS=my posts.csv", "LABELS=l.csv"],
        cwd=ROOT, capture_output=True, text=True, check=True, env=MAKE_ALONE,
    ).stdout.splitlines()[-1]  # fmt: skip
    words = shlex.split(command)
    assert words[1:3] == ["-m", "app_pages.serve"]  # streamlit run dashboard.py, preloaded
    after = words[words.index("--") + 1 :]
    assert after == ["--posts", "my posts.csv", "--labels", "l.csv"]
    assert parse(after) == Given(posts="my posts.csv", labels="l.csv")

    plain = subprocess.run(
        ["make", "-n", "run", f"VENV={tmp_path / 'venv'}"],
        cwd=ROOT, capture_output=True, text=True, check=True, env=MAKE_ALONE,
    ).stdout.splitlines()[-1]  # fmt: skip
    assert "--" not in shlex.split(plain)


WORDS = st.lists(
    st.one_of(
        st.sampled_from(["--posts", "--codebook", "--labels", "--", "-p", "--posts=", "--help"]),
        st.text(max_size=12),
    ),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given_examples(WORDS)
def test_parse_never_raises_and_names_only_files_it_was_given(words):
    result = parse(words)
    named = [result.posts, result.codebook, result.labels]
    if result.problem is None:
        for name in filter(None, named):
            assert name in words or any(word.endswith(f"={name}") for word in words)
    else:
        assert "\n" not in result.problem and result.labels is None
    assert result.labels is None or result.posts is not None  # labels only with their posts


def test_posts_named_like_the_bundled_file_are_not_scored_against_the_bundled_labels(
    run, monkeypatch, tmp_path, download
):
    """Which file is the bundled one is a flag the opener sets, not the name it goes by: the
    bundled posts themselves (so every id has a bundled label row), at a path spelt as the
    bundled file's display name, are the command line's posts, with no labels of their own."""
    name = "HALN blog posts (data/posts.csv)"
    (tmp_path / "HALN blog posts (data").mkdir()
    (tmp_path / name).write_bytes((ROOT / "data" / "posts.csv").read_bytes())
    monkeypatch.chdir(tmp_path)
    at = run("--posts", name, page="app_pages/tagging_quality.py")
    assert errors(at) == []
    assert [as_read(c.value) for c in at.sidebar.caption if "Showing" in c.value] == [
        f"Showing 18 posts from {name}."
    ]
    assert [m.label for m in at.metric] == []
    assert any("Upload a labels file" in i.value for i in at.info)
    assert download(report_button(at)).filename == report_filename(name)
    # The bundled file itself is scored against its labels.
    monkeypatch.chdir(ROOT)
    at = run(page="app_pages/tagging_quality.py")
    assert [m.label for m in at.metric][:2] == ["Micro F1", "Macro F1"]
    assert download(report_button(at)).filename == report_filename("")


def report_button(at: AppTest):
    (found,) = [b for b in at.sidebar.get("download_button") if b.proto.label == "Download report"]
    return found
