"""What "shown as written" means for text passed through Markdown, checked without a browser.

Used by the tests of :func:`analysis.formatting.plain` and of app_pages.text; the browser
test (tests/browser/test_hostile_text.py) checks the same in Chromium.
"""

from __future__ import annotations

import re
import string

from hypothesis import strategies as st

from analysis.formatting import NO_BREAK_SPACE, WORD_JOINER

__all__ = [
    "MARKDOWNISH",
    "PAYLOADS",
    "WORD_JOINER",
    "as_read",
    "assert_shown_as_written",
    "read_markdown",
]

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


def as_read(markdown: str) -> str:
    """The words a reader sees in a message the page escaped: backslash escapes and the
    invisible word joiners removed (for asserting what a message says, not how it is safe)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


def assert_shown_as_written(text: str, escape=None) -> None:
    """``escape(text)`` (by default :func:`analysis.formatting.plain`) shows ``text``."""
    if escape is None:
        from analysis.formatting import plain as escape
    read = read_markdown(escape(text))
    for construct, pattern in REWRITES_AFTER_ESCAPES.items():
        assert not pattern.search(read), f"{construct} survives in {read!r}"
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    written = re.sub(r"^[ \t]+", lambda m: NO_BREAK_SPACE * len(m[0]), lines, flags=re.M)
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
