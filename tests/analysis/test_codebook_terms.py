"""analysis.codebook_terms: one check for terms, whether they come from a file or What if?."""

from __future__ import annotations

import pytest

from analysis.codebook_file import parse_codebook
from analysis.codebook_terms import CodebookError, check_terms
from analysis.whatif import add_terms, add_theme

FILE = """
[[themes]]
id = "alpha"
label = "Alpha"
colour = "#112233"
definition = "About alpha."
terms = {terms}
"""


def test_a_string_is_one_term_and_repeats_are_dropped():
    assert check_terms("Living  Wage", "x") == ("living wage",)
    assert check_terms(["Guy’s", "guy's", "b"], "x") == ("guy's", "b")
    assert check_terms([], "x") == ()


def test_no_terms_is_refused_only_when_asked_with_the_given_words():
    with pytest.raises(CodebookError, match=r"^where: type one$"):
        check_terms([], "where", none="type one")
    with pytest.raises(CodebookError, match=r"^x\.toml: theme 'alpha': terms: must list at least"):
        parse_codebook(FILE.format(terms="[]"), "x.toml")


def test_a_file_and_what_if_refuse_a_term_with_the_same_words(codebook):
    with pytest.raises(CodebookError) as from_file:
        parse_codebook(FILE.format(terms='["job*seeker"]'), "x.toml")
    with pytest.raises(CodebookError) as typed:
        add_terms(codebook, "workforce", ["job*seeker"])
    with pytest.raises(CodebookError) as new_theme:
        add_theme(codebook, "Jobs", "job*seeker")
    problem = "has a * inside a word: a * may only end a word"
    assert str(from_file.value) == f"x.toml: theme 'alpha': terms: the term 'job*seeker' {problem}"
    assert str(typed.value) == f"Workforce: the term “job*seeker” {problem}"
    assert str(new_theme.value) == f"Jobs: the term “job*seeker” {problem}"


def test_what_if_says_what_to_do_when_no_term_was_typed(codebook):
    with pytest.raises(CodebookError, match=r"^Workforce: type at least one term to add$"):
        add_terms(codebook, "workforce", [])
