"""analysis.post_checks: the checks both posts readers share, tested here where a function
is called on its own; through a whole file they are tested in test_loading*.py and, a chunk at
a time, in test_chunks.py."""

from __future__ import annotations

import pytest

from analysis.post_checks import slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Q&A with Dr Bob Klaber", "q-a-with-dr-bob-klaber"),
        ("  Crème brûlée — 2023 ", "creme-brulee-2023"),
        ("!!!", ""),
        (
            "Guy's Hospital",
            "guy-s-hospital",
        ),  # a straight apostrophe splits words, as ids always have
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_slugify_stops_at_a_whole_word_within_the_limit():
    slug = slugify("alpha beta gamma delta", max_length=12)
    assert slug == "alpha-beta"
