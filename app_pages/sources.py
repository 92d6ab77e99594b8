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

A large file takes a while to open (a million posts: a minute or more), so the work is done
outside the cached function, with a progress bar (:class:`ProgressBar`) that the person
waiting sees: the cache holds a :class:`Slot` per file, which the first session to need it
fills (:func:`loaded`) while any other waits for it. Posts are read once per file: another
codebook (one named on the command line, or a What if? edit) tags the same posts, sharing
them (:meth:`analysis.corpus.Corpus.retagged`), instead of reading the file again.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from analysis.codebook import Codebook, CodebookError, load_codebook
from analysis.corpus import READING, TAGGING, Corpus, Progress, open_corpus
from analysis.formatting import count, number
from analysis.metrics import load_labels
from analysis.post_checks import LoadError
from app_pages.text import md

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


#: Work expected to take longer than this (seconds) shows a progress bar.
SHOW_AFTER = 1.0
#: A file at least this large (bytes; about 10,000 posts) shows its progress from the start:
#: reading it is one step that takes over a second, with nothing to tell until it is done.
LARGE_FILE = 5_000_000
#: A corpus at least this long (posts) shows its tagging's progress from the start.
LARGE_POSTS = 10_000


class ProgressBar:
    """A :data:`analysis.corpus.Progress` callback drawing a bar in ``where`` (an ``st.empty``)
    once the work has taken :data:`SHOW_AFTER` seconds, or at once for ``large`` work; the
    bar's text says the step and how many posts of how many are done."""

    def __init__(self, where, name: str, large: bool = False):
        self.where, self.name, self.large = where, name, large
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, step: str, done: int, total: int) -> None:
        if not (self.large or time.monotonic() - self.start >= SHOW_AFTER):
            return
        if step == READING:
            fraction, text = 0.0, md("Reading {}…", self.name)
        elif step == TAGGING:
            fraction = 0.05 + 0.85 * done / max(total, 1)
            text = md("Tagging posts: {} of {}…", number(done), number(total))
        else:
            fraction = 0.9 + 0.1 * done / max(total, 1)
            text = md("Checking {}…", count(total))
        self.where.progress(min(fraction, 1.0), text=text)
        self.shown = True

    def done(self) -> None:
        if self.shown:
            self.where.empty()


class Slot:
    """What opening one file (with one codebook) came to, shared by every session: filled
    by the first session to need it (see :func:`loaded`)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.value: Any = None


def loaded(slot: Slot, load: Callable[[Progress], Any], where, name: str, large: bool = False):
    """``slot``'s value, made by ``load(progress)`` if no session has made it yet, with a
    :class:`ProgressBar` in ``where`` (None: no bar). What ``load`` raises is not kept."""
    if slot.value is None:
        with slot.lock:
            if slot.value is None:
                bar = ProgressBar(where, name, large) if where is not None else None
                try:
                    slot.value = load(bar or (lambda *_: None))
                finally:
                    if bar is not None:
                        bar.done()
    return slot.value


@st.cache_resource(show_spinner=False, max_entries=8)
def _slot(*key: Hashable) -> Slot:
    """One slot per key (the file, and the codebook): the cache keeps at most 8."""
    return Slot()


def opened(key: tuple, read, codebook: Codebook, where, name: str, large: bool):
    """The corpus ``read(progress)`` opens (or what it returns instead, such as why the file
    cannot be used), once per ``key`` for every session, tagged with ``codebook``: the file
    is read once, with the first codebook asked for, and the same posts are tagged again
    (:meth:`~analysis.corpus.Corpus.retagged`) for any other. ``where``, ``name`` and
    ``large`` are the progress bar's (:func:`loaded`)."""
    first = loaded(_slot(*key), read, where, name, large)
    if isinstance(first, str) or first.codebook == codebook:
        return first
    return loaded(
        _slot(*key, codebook),
        lambda progress: first.retagged(codebook, progress),
        where,
        name,
        len(first.posts) >= LARGE_POSTS,
    )


def _posts(path: str, codebook: Codebook, where=None) -> Corpus | str:
    """The posts at ``path`` tagged with ``codebook``, or why they cannot be (see
    :func:`opened`)."""

    def read(progress: Progress) -> Corpus | str:
        try:
            return open_corpus(Path(path), codebook=codebook, name=path, progress=progress)
        except LoadError as error:
            return str(error)

    return opened(("posts", path), read, codebook, where, path, _size(path) >= LARGE_FILE)


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


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


def posts(given: Given, codebook: Codebook, problems: list[str], where=None) -> Corpus | None:
    """The posts named on the command line, tagged with ``codebook``; None when none are
    named or they do not load (saying why in ``problems``). While the file is opened, a
    progress bar shows in ``where`` (an ``st.empty``; None: none)."""
    if given.posts is None:
        return None
    loaded = _posts(given.posts, codebook, where)
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
