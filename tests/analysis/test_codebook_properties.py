"""analysis.codebook under random and hostile input, with Hypothesis.

- Any text, any TOML and any codebook-shaped structure: ``parse_codebook`` returns a
  codebook or raises :class:`CodebookError` with one line starting with the file's name;
  nothing else escapes.
- Any string given as a term compiles or raises :class:`CodebookError`.
- The compiled pattern (possessive pieces, a tree of shared beginnings) finds exactly what
  the plain greedy alternation of every term, in order, finds, and says which term matched.
- No term the language accepts, and no codebook within the limits, makes matching slow:
  100 to 500 KB of text built to make a backtracking pattern struggle is scanned within
  a second or two, several times what it takes here (the bound is a wide margin, not a
  speed target: bench/terms.py measures speed). The bound is on CPU time, enforced by a
  timer signal that interrupts a runaway match, so a regression fails, not hangs.
"""

from __future__ import annotations

import contextlib
import datetime
import re
import signal
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis import codebook_terms
from analysis.codebook import (
    MAX_TERMS,
    MAX_THEME_TERMS,
    Codebook,
    CodebookError,
    Theme,
    check_limits,
    normalise_term,
    parse_codebook,
    term_problem,
    term_regex,
)
from analysis.codebook_file import toml_string

SLOW_OK = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextlib.contextmanager
def within(seconds: float):
    """Fail the test if the block uses more than ``seconds`` of CPU time.

    CPU time, not wall time, so a machine busy with other work does not fail the test; the
    timer's signal interrupts a runaway match (the regex engine checks for signals).
    """

    def expire(signum, frame):
        raise TimeoutError(f"took more than {seconds} s of CPU time")

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def greedy_regex(term: str) -> str:
    """The term's regular expression as it was before the language: greedy, backtracking."""
    pieces = {"*": r"\w*", " ": r"[\s\-]+", "-": r"[\s\-]?", "'": "['\u2019]"}
    body = "".join(pieces.get(char) or re.escape(char) for char in term)
    return r"\b" + body + (r"\b" if re.match(r"\w", term[-1]) else "")


# --- strategies ---------------------------------------------------------------------------------

WORD = st.text(alphabet="ab", min_size=1, max_size=3)
STARRED_WORD = st.builds(lambda word, star: word + star, WORD, st.sampled_from(["", "*"]))
BETWEEN = st.sampled_from([" ", "-", ",", ", ", "'", "' ", ".", "&"])


@st.composite
def terms_in_the_language(draw) -> str:
    """Terms the language describes: words over a small alphabet (so terms overlap often),
    each maybe ending in *, joined by a space, a hyphen or punctuation."""
    words = draw(st.lists(STARRED_WORD, min_size=1, max_size=4))
    term = words[0]
    for word in words[1:]:
        between = draw(BETWEEN)
        term += (" " if term.endswith("*") and between == "-" else between) + word
    return term + draw(st.sampled_from(["", "", "'", "."]))


#: Terms the language accepts, whether or not the builder above would make them: pieces
#: strung together at random, kept when :func:`term_problem` finds nothing wrong.
ACCEPTED = st.one_of(
    terms_in_the_language(),
    st.lists(st.sampled_from(["a", "b", "a*", "b*", " ", "-", "'", ","]), min_size=1, max_size=6)
    .map("".join)
    .filter(lambda term: not term_problem(term)),
)

#: Texts over the characters terms are made of, to make matches and near misses likely.
TEXT = st.text(alphabet="ab -'\u2019,.&\n_c", max_size=40)

#: Characters that matter to the term compiler, mixed with anything at all.
TERM_LIKE = st.one_of(
    st.text(),
    st.text(alphabet=" *-'\u2019ab\t\n\x00\u200b,\\()[]|?+{}", max_size=30),
)


# --- the term compiler ------------------------------------------------------------------------


@given(TERM_LIKE)
@example("a********************q")
@example("a - - - - - - - - b")
@example("job*seeker*")
@SLOW_OK
def test_any_string_compiles_or_raises_codebook_error(term):
    try:
        regex = term_regex(term)
    except CodebookError as error:
        assert "\n" not in str(error) and "\r" not in str(error)
        assert term_problem(normalise_term(term)) is not None
    else:
        re.compile(regex)
        assert term_problem(normalise_term(term)) is None


@given(terms_in_the_language())
def test_the_language_accepts_every_term_it_describes(term):
    assert term_problem(term) is None, term


@st.composite
def terms_and_text(draw) -> tuple[list[str], str]:
    """Accepted terms, and a text made of random pieces and of ways each term could be
    written (a * filled in, a hyphen left out...), so that near misses are common."""
    terms = draw(st.lists(ACCEPTED, min_size=1, max_size=8))
    fill = {
        "*": st.text(alphabet="abc", max_size=3),
        " ": st.sampled_from([" ", "-", " - ", "\n", "  "]),
        "-": st.sampled_from(["", " ", "-", "--"]),
        "'": st.sampled_from(["'", "\u2019", ""]),
    }
    pieces = draw(st.lists(st.one_of(TEXT, st.sampled_from(terms)), max_size=5))
    written = [
        "".join(draw(fill[char]) if char in fill else char for char in piece) for piece in pieces
    ]
    return terms, draw(st.sampled_from([" ", "", "a", "-"])).join(written)


@given(terms_and_text())
@example((["ab*", "abxyzw", "a-b c"], "ab c"))
@example((["a* b", "a b", "a-b"], "a b a-b ab"))
@example((["a*'b", "a'b*", "a,b"], "ab'b a'bb a,b"))
@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_pattern_finds_what_the_greedy_alternation_finds(terms_text):
    """Possessive pieces and shared beginnings change nothing found, nor which term found it."""
    terms, text = terms_text
    book = Codebook(themes=(Theme("t", "T", "#112233", "d", tuple(dict.fromkeys(terms))),))
    order = [phrase.text for phrase in book.phrases()]
    oracle = re.compile("|".join(f"({greedy_regex(term)})" for term in order))
    expected = [(m.span(), order[m.lastindex - 1]) for m in oracle.finditer(text)]

    # As compiled, and with every run of three or more alternatives split in halves behind
    # a look-ahead (normally only runs of more than 24 are), so that path is checked too.
    for halves_from in (codebook_terms._HALVES_FROM, 2):
        with mock.patch.object(codebook_terms, "_HALVES_FROM", halves_from):
            pattern, phrases = book.phrase_pattern()
            found = [(m.span(), phrases[m.lastindex - 1]) for m in pattern.finditer(text)]
            assert found == expected
            assert book.pattern().findall(text) == [text[a:b] for (a, b), _ in expected]


def hostile_texts(term: str) -> list[str]:
    """Texts of about 100 KB that keep a backtracking pattern for ``term`` busy."""
    size = 100_000
    plain = re.sub(r"[*]", "", term)
    near_miss = (plain[:-1] or "a") if len(plain) > 1 else "a"
    return [
        "a" * size,
        (near_miss * (size // len(near_miss) + 1))[:size],
        " ".join([plain] * (size // (len(plain) + 1))),
        "a " * (size // 2),
        "- " * (size // 2),
        (plain.replace(" ", " - ") + " ") * (size // (len(plain) + 4)),
    ]


@given(st.one_of(ACCEPTED, TERM_LIKE.filter(lambda t: not term_problem(t))))
@example("a*")
@example("a* a* a* a* a* a* a* q")
@example("a-a-a-a-a-a-a-q")
@example("a a a a a a a q")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_accepted_term_makes_matching_slow(term):
    regex = re.compile(term_regex(term))
    texts = hostile_texts(normalise_term(term))
    with within(2.0):  # six 100 KB texts; each takes a few milliseconds
        for text in texts:
            regex.findall(text)


@given(st.lists(terms_in_the_language(), min_size=1, max_size=60), st.text("ab -'.,", max_size=8))
@SLOW_OK
def test_no_codebook_of_accepted_terms_makes_matching_slow(terms, unit):
    pattern = Codebook(themes=(Theme("t", "T", "#112233", "d", tuple(dict.fromkeys(terms))),))
    text = (unit or "a") * (20_000 // len(unit or "a"))
    with within(1.0):
        pattern.pattern().findall(text)
        pattern.pattern().findall("a" * 20_000)


def symbols(count: int) -> list[str]:
    """``count`` printable characters that are not word characters, spaces or hyphens."""
    found = []
    for code in range(0x21, 0x3000):
        char = chr(code)
        if char.isprintable() and not re.match(r"[\w\s'*\-]", char):
            found.append(char)
            if len(found) == count:
                return found
    raise AssertionError("not enough symbols")


def test_a_codebook_at_the_limits_scans_half_a_megabyte_within_seconds():
    """2,000 terms sharing a* or "a " and then differing in a symbol. A star or space that
    gave back what it took, with the 1,000 next pieces tried one by one, would retry them
    all at each of the 500,000 positions it gave back (several seconds); it takes about
    0.02 s. (Possessive pieces alone are pinned by the exact-regex test in
    test_codebook.py; the look-ahead halves alone would keep a greedy scan to about 0.2 s.)
    """
    terms = [f"a*{s}x" for s in symbols(MAX_TERMS // 2)] + [
        f"a {s}x" for s in symbols(MAX_TERMS // 2)
    ]
    per_theme = MAX_THEME_TERMS
    themes = tuple(
        Theme(f"t{n}", f"T{n}", "#112233", "d", tuple(terms[n * per_theme : (n + 1) * per_theme]))
        for n in range(len(terms) // per_theme)
    )
    check_limits(themes, "limits.toml")  # within every limit
    pattern = Codebook(themes=themes).pattern()
    with within(2.0):  # about 0.2 s; a star or space that gave back would take 30 s or more
        assert pattern.findall("a" * 500_000) == []
        assert pattern.findall("a" + " " * 500_000) == []


@pytest.mark.parametrize(
    ("terms", "text"),
    [
        (["a-b-c-d-e-f-g-h", "a b c d e f g h", "a* b* c* d* e* f* g* h*"], " - " * 33_000),
        (["a-b-c-d-e-f-g-h", "a b c d e f g h", "a* b* c* d* e* f* g* h*"], "a -" * 33_000),
        (["a* a* a* a* a* a* a* q"], "a " * 50_000),
        (["a* a* a* a* a* a* a* q"], "a" * 100_000),
        (["a-q", "a q", "a*"], "a" + " " * 100_000),
        (["a-q", "a q", "a*"], "a" + "-" * 100_000),
    ],
    ids=[
        "hyphens and spaces",
        "words and hyphens",
        "starred words",
        "one long word",
        "spaces",
        "hyphens",
    ],
)
def test_stars_spaces_and_hyphens_in_a_row_of_words_stay_fast(terms, text):
    pattern = Codebook(themes=(Theme("t", "T", "#112233", "d", tuple(terms)),)).pattern()
    with within(1.0):
        pattern.findall(text)


# --- parse_codebook ---------------------------------------------------------------------------


def check_parse(text: str) -> Codebook | None:
    """Parse ``text``; only a one-line CodebookError naming the file may come out."""
    try:
        book = parse_codebook(text, "random.toml")
    except CodebookError as error:
        message = str(error)
        assert message.startswith("random.toml: ")
        assert "\n" not in message and "\r" not in message
        return None
    book.pattern()  # every term it kept compiles
    assert len(book.themes) >= 1
    return book


@given(st.text(max_size=3000))
@example("tagging = 3")
@example('no_theme = "x"')
@example("version = [1]")
@example("x = " + "[" * 3000)
@SLOW_OK
def test_any_text_parses_or_raises_codebook_error(text):
    check_parse(text)


SCALARS = st.one_of(
    st.text(max_size=20),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def toml_value(value) -> str:
    """``value`` as an inline TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, int | datetime.date | datetime.time):
        return value.isoformat() if not isinstance(value, int) else str(value)
    if isinstance(value, float):
        return {"nan": "nan", "inf": "inf", "-inf": "-inf"}.get(repr(value), repr(value))
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_document(data: dict) -> str:
    return "".join(f"{toml_string(key)} = {toml_value(value)}\n" for key, value in data.items())


@given(st.dictionaries(st.text(max_size=10), VALUES, max_size=6))
@SLOW_OK
def test_any_toml_parses_or_raises_codebook_error(data):
    check_parse(toml_document(data))


def valid_codebook() -> dict:
    return {
        "version": "1",
        "tagging": {"title_weight": 2.0, "min_score": 1.0},
        "no_theme": {"label": "No theme", "colour": "#8C8C8C"},
        "themes": [
            {
                "id": "alpha",
                "label": "Alpha",
                "colour": "#112233",
                "definition": "About alpha.",
                "terms": ["alpha", "living wage*"],
                "exclude": ["alpha beta"],
            },
            {
                "id": "beta",
                "label": "Beta",
                "colour": "#445566",
                "definition": "About beta.",
                "terms": ["beta"],
            },
        ],
    }


PATHS = [
    ("version",),
    ("tagging",),
    ("tagging", "title_weight"),
    ("tagging", "min_score"),
    ("no_theme",),
    ("no_theme", "label"),
    ("no_theme", "colour"),
    ("themes",),
    ("themes", 0),
    ("themes", 1),
    *[("themes", n, key) for n in (0, 1) for key in ("id", "label", "colour", "definition")],
    *[("themes", n, key) for n in (0, 1) for key in ("terms", "exclude")],
    ("themes", 0, "terms", 0),
    ("themes", 0, "exclude", 0),
    ("term",),
    ("themes", 0, "term"),
    ("themes", 0, "color"),
    ("tagging", "minscore"),
]
DELETE = object()
REPLACEMENTS = st.one_of(
    st.just(DELETE),
    VALUES,
    st.lists(st.text(max_size=30), max_size=5),
    st.lists(TERM_LIKE, max_size=5),
    st.lists(terms_in_the_language(), max_size=5),
    st.sampled_from(["#ABCDEF", "#abc", "", " ", "x" * 2001, "\n"]),
)


@given(st.lists(st.tuples(st.sampled_from(PATHS), REPLACEMENTS), min_size=1, max_size=3))
@SLOW_OK
def test_codebooks_with_random_parts_replaced_parse_or_raise_codebook_error(changes):
    data = valid_codebook()
    for path, value in changes:
        parent = data
        for step in path[:-1]:
            try:
                parent = parent[step]
            except (KeyError, IndexError, TypeError):
                break
        else:
            last = path[-1]
            if value is DELETE:
                with contextlib.suppress(KeyError, IndexError, TypeError):
                    del parent[last]
            elif (isinstance(parent, dict) and isinstance(last, str)) or (
                isinstance(parent, list) and isinstance(last, int) and last < len(parent)
            ):
                parent[last] = value
    if not isinstance(data.get("themes"), list) or not all(
        isinstance(theme, dict) for theme in data["themes"]
    ):
        check_parse(toml_document(data))
        return
    # [[themes]] tables, as a codebook file writes them, as well as inline
    themes = data.pop("themes")
    text = toml_document(data) + "".join("[[themes]]\n" + toml_document(theme) for theme in themes)
    book = check_parse(text)
    if book is not None:
        assert [theme.id for theme in book.themes] == [theme["id"] for theme in themes]
