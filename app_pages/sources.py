"""Files named on the command line: ``streamlit run dashboard.py -- --posts FILE
[--codebook FILE] [--labels FILE]`` (or ``make run POSTS=... CODEBOOK=... LABELS=...``).

Streamlit hands the script the words after ``--`` as ``sys.argv[1:]``, the same for every
session of the server. So each file is read once per server, through the same loaders as an
upload, and what came of it is cached: the loaded file, or the one-line message saying why
not, so a bad file is not read again on every rerun either. Restart the server to read a
changed file. A file that does not load leaves the bundled one in its place, and the
message is shown at the top of every page.

Labels code the posts they come with: ``--labels`` needs ``--posts``, and the labels are
used (on Tagging quality and in the report) only while those posts are shown.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.codebook import Codebook, CodebookError, load_codebook
from analysis.corpus import Corpus, open_corpus
from analysis.metrics import load_labels
from analysis.post_checks import LoadError

#: The entry point whose arguments these are (see :func:`given`).
ENTRY = "dashboard.py"
USAGE = "streamlit run dashboard.py -- [--posts FILE] [--codebook FILE] [--labels FILE]"


@dataclass(frozen=True)
class Given:
    """The files named on the command line (None: not named), and what was wrong with it."""

    posts: str | None = None
    codebook: str | None = None
    labels: str | None = None
    problem: str | None = None


class _NotUnderstood(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would print and exit the whole server
        raise _NotUnderstood(message)


def parse(args: Sequence[str]) -> Given:
    """The files named by the words after ``--``; never raises (a problem is in ``problem``)."""
    parser = _Parser(prog="dashboard.py", add_help=False, allow_abbrev=False)
    for option in ("--posts", "--codebook", "--labels"):
        parser.add_argument(option, metavar="FILE")
    try:
        options = parser.parse_args(list(args))
    except _NotUnderstood as error:
        return Given(problem=_one_line(f"Command line not understood ({error}). Use: {USAGE}"))
    if options.labels and not options.posts:
        return Given(
            codebook=options.codebook,
            problem=_one_line(
                f"Command line: --labels {options.labels} is not used without --posts "
                "(labels code the posts they come with)."
            ),
        )
    return Given(options.posts or None, options.codebook or None, options.labels or None)


def _one_line(message: str) -> str:
    return " ".join(message.split())  # a file name may hold a line break


def given() -> Given:
    """What this server's command line names.

    Nothing unless the process runs ``dashboard.py`` (Streamlit sets ``sys.argv[0]`` to the
    script), so a test runner's own arguments are never read as the dashboard's.
    """
    if not sys.argv or Path(sys.argv[0]).name != ENTRY:
        return Given()
    return parse(sys.argv[1:])


@st.cache_resource(show_spinner=False, max_entries=4)
def _codebook(path: str) -> Codebook | str:
    try:
        return load_codebook(path)
    except CodebookError as error:
        return str(error)


@st.cache_resource(show_spinner="Tagging posts…", max_entries=8)
def _posts(path: str, codebook: Codebook) -> Corpus | str:
    try:
        return open_corpus(Path(path), codebook=codebook, name=path)
    except LoadError as error:
        return str(error)


@st.cache_resource(show_spinner=False, max_entries=8)
def _labels(path: str, codebook: Codebook) -> pd.DataFrame | str:
    try:
        return load_labels(Path(path), codebook, name=path)
    except LoadError as error:
        return str(error)


def codebook(given: Given, bundled: Codebook, problems: list[str]) -> Codebook:
    """The codebook named on the command line, else ``bundled`` (saying why in ``problems``)."""
    if given.codebook is None:
        return bundled
    loaded = _codebook(given.codebook)
    if isinstance(loaded, str):
        problems.append(_one_line(f"{loaded}. Using the bundled codebook instead."))
        return bundled
    return loaded


def posts(given: Given, codebook: Codebook, problems: list[str]) -> Corpus | None:
    """The posts named on the command line, tagged with ``codebook``; None when none are
    named or they do not load (saying why in ``problems``)."""
    if given.posts is None:
        return None
    loaded = _posts(given.posts, codebook)
    if isinstance(loaded, str):
        problems.append(_one_line(f"{loaded}. Showing the bundled HALN posts instead."))
        return None
    return loaded


def labels(given: Given, codebook: Codebook, problems: list[str]) -> pd.DataFrame | None:
    """The labels named on the command line, for the posts named with them; None when none
    are named or they do not load (saying why in ``problems``)."""
    if given.labels is None:
        return None
    loaded = _labels(given.labels, codebook)
    if isinstance(loaded, str):
        problems.append(_one_line(f"{loaded}. Tagging quality has no labels for these posts."))
        return None
    return loaded
