"""app_pages.text, the one way untrusted text reaches the screen: values are escaped, our
own Markdown around them is not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.formatting import plain
from app_pages.text import labels, md, safe
from tests.markdown_oracle import (
    MARKDOWNISH,
    PAYLOADS,
    WORD_JOINER,
    assert_shown_as_written,
    read_markdown,
)


@pytest.mark.parametrize("text", PAYLOADS)
def test_safe_shows_each_payload_as_written(text):
    assert_shown_as_written(text, escape=safe)
    assert safe(text) == plain(text)  # one escaping path: the engine's


def test_safe_takes_any_value():
    error = ValueError("codebook.toml: [themes] label ![x](http://127.0.0.1:9/t.png)")
    assert read_markdown(safe(error)).replace(WORD_JOINER, "") == str(error)
    assert safe(18) == "18"
    assert safe(0.5) == "0\\.5"


def test_md_escapes_the_values_and_keeps_the_template():
    shown = md("**Posts behind {}**: {}", "![x](http://127.0.0.1:9/t.png)", "3 posts")
    assert shown == "**Posts behind " + plain("![x](http://127.0.0.1:9/t.png)") + "**: 3 posts"
    assert md(":material/sell: {} · {}", "Machine tags", 2) == ":material/sell: Machine tags · 2"
    # A value's leading space could indent a line into a code block: it shows, but cannot.
    assert md("{}", "    code") == "\u00a0" * 4 + "code"


def test_md_applies_format_specs_before_escaping():
    assert md("reaches {:g}, {:.0%} of posts", 1.0, 0.25) == "reaches 1, 25\\% of posts"
    assert md("{name} ({version})", name="a_b", version="v*1") == "a\\_b (v\\*1)"


def test_labels_formats_options_escaped():
    label = labels({"a": "*A*", "b": "http://x.uk"})
    assert label("a") == "\\*A\\*"
    assert label("b") == plain("http://x.uk")
    with pytest.raises(KeyError):
        label("c")


@given(st.lists(MARKDOWNISH, min_size=1, max_size=4))
def test_md_never_lets_a_value_break_out_of_its_field(values):
    template = " | ".join("{}" for _ in values)
    shown = md(template, *values)
    assert shown == " | ".join(plain(v) for v in values)
    for value in values:
        read_markdown(plain(value))  # every mark of every value is escaped
