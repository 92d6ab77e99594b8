"""The scan the command line and the dashboard's tagger share (:mod:`analysis.matching`):
finding phrases by the text of each match gives what the grouped pattern gives, whenever
the matcher chooses to."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings

from analysis.codebook import Codebook, Theme, load_codebook
from analysis.matching import PhraseMatcher
from tests.analysis.test_codebook_properties import terms_and_text


def both_ways(book: Codebook, texts: list[str]):
    """The scan as the matcher makes it, and with the grouped pattern only."""
    chosen = PhraseMatcher(book)
    grouped = PhraseMatcher(book)
    grouped.by_text = False
    columns = [texts, texts[::-1], [""] * len(texts)]
    return chosen, chosen.scan(columns), grouped.scan(columns)


@given(terms_and_text())
@example((["ab*", "abxyzw", "a-b c"], "ab c"))
@example((["a.", "a"], "a.b a. a"))
@example((["a'", "a-b"], "a'b a' a"))
@example((["abc*", "abcd e"], "abcx abcd e abcd"))  # texts alike at the start, phrases not
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_finding_phrases_by_their_text_is_finding_them_by_group(terms_text):
    terms, text = terms_text
    themes = (
        Theme("t", "T", "#112233", "d", tuple(dict.fromkeys(terms))),
        Theme("u", "U", "#445566", "d", tuple(dict.fromkeys(terms[::2]))),
    )
    book = Codebook(themes=themes)
    texts = [text, text.upper(), text[::-1], text + " " + text, ""]
    chosen, by_text, grouped = both_ways(book, texts)
    assert by_text == grouped
    # remembered texts change nothing on a second pass
    assert chosen.scan([texts, texts[::-1], [""] * len(texts)]) == grouped


def test_the_bundled_codebook_is_scanned_by_text_and_finds_what_groups_find():
    book = load_codebook()
    texts = [
        "Anchor institutions and the living wage; anchors, anchoring, workforce-race equality",
        "NHS staff, health inequalities and debt advice in the community",
        "nothing here",
    ]
    chosen, by_text, grouped = both_ways(book, texts)
    assert chosen.by_text  # the fast way is the one taken for the bundled codebook
    assert by_text == grouped
    assert sum(len(found) for found in by_text.evidence) > 0


def test_a_phrase_ending_in_punctuation_is_found_by_group():
    """The argument that a match's text says which phrase it is was made for phrases that end
    a word (a letter, digit or ``*``); a codebook with any other is scanned by group."""
    book = Codebook(themes=(Theme("t", "T", "#112233", "d", ("a.", "a")),))
    assert not PhraseMatcher(book).by_text
