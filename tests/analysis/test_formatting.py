"""analysis.formatting: UK dates at their precision, period labels, counts, Markdown-safe text."""

from __future__ import annotations

import re
import string
from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.formatting import (
    WORD_JOINER,
    count,
    format_date,
    month_range,
    period_label,
    plain,
)


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        (date(2022, 11, 17), "day", "17 Nov 2022"),
        (pd.Timestamp("2023-07-01"), "month", "Jul 2023"),
        (pd.Timestamp("2023-01-01"), "year", "2023"),
        (None, None, "No date"),
        (pd.NaT, "day", "No date"),
    ],
)
def test_dates_are_uk_style_at_the_precision_known(value, precision, expected):
    assert format_date(value, precision) == expected


def test_period_labels():
    period = pd.Timestamp("2023-08-05").to_period("M")
    assert period_label(period, "month") == "Aug 2023"
    assert period_label(pd.Timestamp("2023-08-05").to_period("Q"), "quarter") == "2023 Q3"
    assert period_label(pd.Timestamp("2023-08-05").to_period("Y"), "year") == "2023"


def test_month_range_and_counts():
    assert month_range(date(2021, 9, 1), date(2024, 3, 1)) == "Sep 2021 – Mar 2024"
    assert month_range(date(2022, 11, 1), date(2022, 11, 30)) == "Nov 2022"
    assert month_range(None, None) == ""
    assert (count(1), count(3), count(0), count(2, "theme")) == (
        "1 post",
        "3 posts",
        "0 posts",
        "2 themes",
    )


# What Streamlit 1.67's Markdown renderer (static/js/StreamlitMarkdown.*.js) does to text
# *after* it has read backslash escapes, so escaping alone cannot stop it. Its own patterns,
# made broader here (Python's \w and IGNORECASE are Unicode, JavaScript's are ASCII):
REWRITES_AFTER_ESCAPES = {
    "autolink": re.compile(r"https?://|www\.", re.I),
    "e-mail autolink": re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+"),
    "emoji, :streamlit: logo or :material/ icon": re.compile(r":[\w+/-]+:?"),
    "typographic arrow": re.compile(r"<-|->|--|>=|<=|~="),
}
PUNCTUATION = set(string.punctuation)


def read_markdown(escaped: str) -> str:
    """The text a CommonMark parser reads from ``escaped``, failing on any live mark: every
    ASCII punctuation mark must come escaped, and no line may start indented (a code block)."""
    assert "\r" not in escaped
    assert not re.search(r"^[ \t]", escaped, re.M), f"indented line in {escaped!r}"
    out, chars = [], iter(escaped)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            assert following in PUNCTUATION, f"stray backslash in {escaped!r}"
            out.append(following)
        else:
            assert char not in PUNCTUATION, f"live {char!r} in {escaped!r}"
            out.append(char)
    return "".join(out)


def assert_shown_as_written(text: str) -> None:
    read = read_markdown(plain(text))
    for construct, pattern in REWRITES_AFTER_ESCAPES.items():
        assert not pattern.search(read), f"{construct} survives in {read!r}"
    written = re.sub(r"^[ \t]+", "", text.replace("\r\n", "\n").replace("\r", "\n"), flags=re.M)
    assert read.replace(WORD_JOINER, "") == written.replace(WORD_JOINER, "")


#: One of each kind of payload a file or a person might bring.
PAYLOADS = [
    "![x](http://127.0.0.1:9/track.png)",
    "[click](javascript:alert(1))",
    "<http://127.0.0.1:9/auto>",
    "see http://127.0.0.1:9/bare and HTTPS://EXAMPLE.ORG",
    "www.example.com and WWW.EXAMPLE.COM",
    "mail someone@example.com",
    '<img src="http://127.0.0.1:9/track.png"> <script>alert(1)</script>',
    "*em* _em_ **strong** ~~strike~~ `code`",
    "# heading",
    "- item\n1. item\n> quote",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    ":red[alarm] :blue-background[x] :violet-badge[y]",
    ":material/home: :smile: :+1: :streamlit:",
    "$x^2$ and $$y$$",
    "a -> b <- c <-> d -- e >= f <= g ~= h",
    "&amp; &lt; &#60; &copy;",
    "[^1] and [r]\n\n[r]: http://127.0.0.1:9/ref",
    "text\n\n    indented code\r\n\tand a tab",
    "trailing backslash \\",
]


@pytest.mark.parametrize("text", PAYLOADS)
def test_plain_shows_each_payload_as_written(text):
    assert_shown_as_written(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[click](javascript:alert(1))", "\\[click\\]\\(javascript\\:\u2060alert\\(1\\)\\)"),
        ("http://h.uk", "http\\:\u2060\\/\\/h\\.uk"),
        ("a@b.uk", "a\\@\u2060b\\.uk"),
        ("www.b.uk", "www\u2060\\.b\\.uk"),
        ("a -> b", "a \\-\u2060\\> b"),
        ("Living wage", "Living wage"),
    ],
)
def test_plain_escapes_marks_and_breaks_rewrites_with_an_invisible_joiner(text, expected):
    assert plain(text) == expected


#: Random text rich in what Markdown and Streamlit's renderer react to.
MARKDOWNISH = st.lists(
    st.one_of(
        st.text(max_size=12),
        st.sampled_from(
            [*string.punctuation, " ", "\n", "\r", "\t", "    ", "http", "https", "www", "://",
             "@", ":", "material/", "streamlit", "smile", "red[", "]", "$", "<", "-", ">", "=",
             "~", "WWW", "HtTp", "example.com", "\u2060"]
        ),
    ),
    max_size=40,
).map("".join)  # fmt: skip


@given(MARKDOWNISH)
def test_plain_shows_any_text_as_written(text):
    assert_shown_as_written(text)


@given(st.one_of(st.integers(), st.floats(allow_nan=True), st.none(), st.booleans()))
def test_plain_shows_any_value_as_its_text(value):
    assert read_markdown(plain(value)).replace(WORD_JOINER, "") == str(value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://haln.org.uk/blog/x", "https://haln.org.uk/blog/x"),
        (" http://example.org ", "http://example.org"),
        ("javascript:alert(1)", None),
        ("data:text/html,hi", None),
        ("//example.org/x", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url_keeps_only_absolute_http_addresses(url, expected):
    from analysis.formatting import safe_url

    assert safe_url(url) == expected
