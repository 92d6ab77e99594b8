"""analysis.codebook_file: the TOML writer is the parser's inverse; its header is the method."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.codebook import BUNDLED_CODEBOOK, Codebook, Theme, normalise_term
from analysis.codebook_file import (
    TOML_WIDTH,
    codebook_toml,
    load_codebook,
    parse_codebook,
    toml_header,
    toml_string,
)
from tests.analysis.test_codebook_properties import terms_in_the_language

ROOT = Path(__file__).resolve().parents[2]
SLOW_OK = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60)


AWKWARD = r'''
version = "2027.1 \"beta\" \\ test"

[tagging]
title_weight = 3
min_score = 0.5

[no_theme]
label = "Untagged — “none” \\ 'n'"
colour = "#abcdef"

[[themes]]
id = "quotes"
label = '  She said "hi" \ then left  '
colour = "#a1b2c3"
definition = """Guy’s and St Thomas’ said "don't" — that's all;
a second line,	a tab and a backslash \\ in C:\\path\\ and a final quote \""""
terms = ["Guy’s", "GUY'S", "  living   wage ", "naïve*", 'say "when"']
exclude = ['back\slash', "x\"y"]

[[themes]]
id = "long_one"
label = "Long “one”"
colour = "#123456"
definition = """A definition long enough to wrap: it has "quotes" near the ends of lines and \
backslashes \\ placed where the writer might break a line \\ so that escaping and wrapping \
must work together \\ without changing a single character of the text, café, 🏥, ends \\"""
terms = ["long*"]
'''


def test_bundled_codebook_round_trips(codebook):
    text = codebook_toml(codebook)
    again = parse_codebook(text, "again.toml")
    assert again == replace(codebook, source="again.toml")


def test_awkward_codebook_round_trips_after_one_parse():
    first = parse_codebook(AWKWARD, "awkward.toml")
    # parse_codebook tidies: labels stripped, definitions folded, terms normalised and de-duplicated
    assert first.themes[0].label == 'She said "hi" \\ then left'
    assert first.themes[0].terms == ("guy's", "living wage", "naïve*", 'say "when"')
    assert "\n" not in first.themes[0].definition
    assert first.themes[0].definition.endswith('\\ in C:\\path\\ and a final quote "')
    assert first.themes[1].definition.endswith("🏥, ends \\")
    assert first.no_theme_colour == "#ABCDEF"

    text = codebook_toml(first)
    again = parse_codebook(text, "again.toml")
    assert again == replace(first, source="again.toml")
    assert codebook_toml(again) == text


def test_codebook_toml_layout(codebook):
    text = codebook_toml(codebook)
    lines = text.splitlines()
    order = [line for line in lines if line.startswith(("version", "[", "id = "))]
    assert order == [
        'version = "2026.11.1"',
        "[tagging]",
        "[no_theme]",
        *[entry for theme_id in codebook.ids for entry in ("[[themes]]", f'id = "{theme_id}"')],
    ]
    assert "title_weight = 2.0" in lines and "min_score = 1.0" in lines
    assert 'definition = """Recruiting, training and employing local people: widening' in text
    assert all(len(line) <= TOML_WIDTH for line in lines)
    data = tomllib.loads(text)
    assert list(data["themes"][0]) == ["id", "label", "colour", "definition", "terms", "exclude"]


def test_codebook_toml_keeps_any_text_exactly():
    """Unparsed text with control characters and awkward spacing comes back exactly from TOML."""
    nasty = [
        "nul\x00 unit\x1f del\x7f bell\x07 backspace\b formfeed\f",
        "windows\r\nline\nbreak\ttab \u2028 separator",
        'triple """ quotes "" and \\ backslash at the end \\',
        "  leading and trailing spaces  ",
        ("double  spaces at  every  possible  break point " * 6).strip(),
        "x" * 300,
        "Guy’s café 🏥 𝛼 — “quoted”",
    ]
    themes = tuple(
        Theme(f"t{n}", text, "#112233", text, (text, "plain"), (text,))
        for n, text in enumerate(nasty)
    )
    codebook = Codebook(
        themes=themes, version=nasty[0], no_theme_label=nasty[2], no_theme_colour=nasty[1]
    )
    data = tomllib.loads(codebook_toml(codebook))
    assert data["version"] == nasty[0]
    assert data["no_theme"] == {"label": nasty[2], "colour": nasty[1]}
    for raw, text in zip(data["themes"], nasty, strict=True):
        assert raw["label"] == text
        assert raw["definition"] == text
        assert raw["terms"] == [text, "plain"]
        assert raw["exclude"] == [text]


def test_toml_string_escapes():
    assert toml_string('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    assert toml_string("line\nbreak\ttab\x01") == '"line\\nbreak\\ttab\\u0001"'
    assert toml_string("Guy’s 🏥") == '"Guy’s 🏥"'


def test_codebook_toml_of_a_hand_built_codebook_is_tidied_by_parsing():
    theme = Theme("alpha", " Alpha ", "#abcdef", "Two\nlines", ("Guy’s",))
    parsed = parse_codebook(codebook_toml(Codebook(themes=(theme,), title_weight=3)), "x")
    assert parsed.themes[0] == Theme("alpha", "Alpha", "#ABCDEF", "Two lines", ("guy's",))
    assert parsed.title_weight == 3.0


# --- the writer is the parser's inverse ---------------------------------------------------------


def test_the_bundled_file_is_what_the_writer_writes():
    """The bundled codebook is byte-stable: reading it and writing it gives its own bytes, so
    its header is the method and cannot drift from the scoring."""
    written = codebook_toml(load_codebook()).encode("utf-8")
    assert written == BUNDLED_CODEBOOK.read_bytes()


#: Text as parse_codebook keeps it: stripped, not empty (labels may hold any character).
LABEL = st.text(min_size=1, max_size=30).map(str.strip).filter(bool)
#: Definitions and versions: white space folded to single spaces.
FOLDED = st.text(min_size=1, max_size=300).map(lambda text: " ".join(text.split())).filter(bool)
#: Long definitions of many words, so the writer wraps them (quotes and backslashes included).
WORDY = st.lists(
    st.text(alphabet="ab\"\\'é🏥\t", min_size=1, max_size=12).map(str.strip).filter(bool),
    min_size=8,
    max_size=60,
).map(lambda words: " ".join(" ".join(words).split()))
COLOUR = st.from_regex(r"#[0-9A-F]{6}", fullmatch=True)
WEIGHT = st.one_of(
    st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=10**6).map(float),
)
TERMS = st.lists(terms_in_the_language().map(normalise_term), max_size=8, unique=True)


@st.composite
def codebooks(draw) -> Codebook:
    """Codebooks as parse_codebook makes them: tidied text, valid terms and colours."""
    ids = draw(
        st.lists(
            st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    themes = []
    for theme_id in ids:
        terms, exclude = tuple(draw(TERMS.filter(bool))), tuple(draw(TERMS))
        # Context terms: none may also be a term or an exclusion of the same theme.
        context = tuple(t for t in draw(TERMS) if t not in terms and t not in exclude)
        themes.append(
            Theme(
                id=theme_id,
                label=draw(LABEL),
                colour=draw(COLOUR),
                definition=draw(st.one_of(FOLDED, WORDY)),
                terms=terms,
                exclude=exclude,
                context_terms=context,
            )
        )
    themes = tuple(themes)
    return Codebook(
        themes=themes,
        version=draw(FOLDED.filter(lambda text: len(text) <= 100)),
        title_weight=draw(WEIGHT),
        min_score=draw(WEIGHT),
        text_weight=draw(WEIGHT),
        no_theme_label=draw(LABEL),
        no_theme_colour=draw(COLOUR),
        source="generated.toml",
    )


@given(codebooks())
@SLOW_OK
def test_parsing_what_the_writer_wrote_gives_the_codebook_back(book):
    text = codebook_toml(book)
    again = parse_codebook(text, "generated.toml")
    assert again == book  # context terms included (the strategy draws them for most themes)
    assert codebook_toml(again) == text  # and writing it again gives the same bytes
    assert all(len(line) <= TOML_WIDTH for line in text.splitlines() if line.startswith("#"))


@given(codebooks())
@SLOW_OK
def test_the_header_is_the_method_as_comments(book):
    header = toml_header(book)
    assert all(line.startswith("#") for line in header.splitlines())
    assert tomllib.loads(header) == {}  # only comments, whatever the labels hold
    said = " ".join(line[2:] for line in header.splitlines() if line.startswith("# "))
    if book.method.isprintable():  # else its control characters are written escaped
        assert " ".join(book.method.split()) in said


def test_the_header_says_the_full_text_counts():
    book = replace(load_codebook(), text_weight=0.25, title_weight=3.0, min_score=2.0)
    text = codebook_toml(book)
    comments = " ".join(line[2:] for line in text.splitlines() if line.startswith("# "))
    assert "3 in the title (title_weight), 1 in the summary and 0.25 in the full text" in comments
    assert "reaches 2 (min_score)" in comments
    assert not re.search(r"title and summary(?! and)", comments)


@pytest.mark.parametrize(
    "first",
    ["import analysis.codebook_file", "import analysis.codebook", "import analysis.exports"],
)
def test_the_reader_is_importable_from_the_codebook_whichever_module_loads_first(first):
    """``from analysis.codebook import load_codebook`` keeps working (callers are everywhere),
    however the two modules come to be imported."""
    code = (
        f"{first}\n"
        "from analysis.codebook import load_codebook, parse_codebook\n"
        "from analysis import codebook_file\n"
        "assert load_codebook is codebook_file.load_codebook\n"
        "assert parse_codebook is codebook_file.parse_codebook\n"
        "assert load_codebook().ids[0] == 'workforce'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_the_codebook_module_hands_out_only_the_reader():
    import analysis.codebook

    with pytest.raises(AttributeError, match="no_such_name"):
        analysis.codebook.no_such_name  # noqa: B018
