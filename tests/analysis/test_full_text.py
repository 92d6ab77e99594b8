"""The full text fetched from the blog in tagging: its own weight in the codebook
(``[tagging] text_weight``, default 1.0), evidence naming the field a term was found in,
and the weight said wherever the method is explained."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.codebook import CodebookError, load_codebook, parse_codebook
from analysis.codebook_file import codebook_toml
from analysis.corpus import open_corpus
from analysis.explain import explain
from analysis.report import build_report
from analysis.tagging import ThemeTagger


def codebook(tagging: str = ""):
    return parse_codebook(
        f"[tagging]\n{tagging}\n"
        "[[themes]]\n"
        'id = "alpha"\nlabel = "Alpha"\ncolour = "#112233"\ndefinition = "A."\n'
        'terms = ["apple*", "apricot", "avocado"]\n',
        "fruit.toml",
    )


POSTS = pd.DataFrame(
    {
        "title": ["Apples", "Nothing", "Nothing"],
        "summary": ["", "apricot", ""],
        "text": ["avocado and apricot", "", "apples\nand an avocado"],
    }
)


def test_text_weight_defaults_to_one_so_results_are_unchanged():
    assert codebook().text_weight == 1.0
    assert load_codebook().text_weight == 1.0
    scores = ThemeTagger(codebook()).fit().tag(POSTS).scores["alpha"]
    assert scores.tolist() == [4.0, 1.0, 2.0]


@pytest.mark.parametrize(("weight", "expected"), [(0.5, [3.0, 1.0, 1.0]), (0, [2.0, 1.0, 0.0])])
def test_text_weight_comes_from_the_codebook(weight, expected):
    book = codebook(f"text_weight = {weight}")
    result = ThemeTagger(book).fit().tag(POSTS)
    assert result.scores["alpha"].tolist() == expected
    assert result.tags["alpha"].tolist() == [s >= 1.0 for s in expected]


@pytest.mark.parametrize("bad", ["-1", '"heavy"', "true"])
def test_a_bad_text_weight_is_a_one_line_error(bad):
    with pytest.raises(CodebookError, match=r"fruit\.toml: \[tagging\]: text_weight must be"):
        codebook(f"text_weight = {bad}")


def test_evidence_names_the_field_each_term_was_found_in():
    result = ThemeTagger(codebook()).fit().tag(POSTS)
    assert result.evidence["alpha"].tolist() == [
        "title: apple*; text: apricot, avocado",
        "summary: apricot",
        "text: avocado, apple*",  # phrases longest first, as the codebook orders them
    ]


def test_explain_gives_the_texts_weight_and_says_where_nothing_was_found():
    book = codebook("text_weight = 0.5")
    tagger = ThemeTagger(book).fit()
    result = tagger.tag(POSTS)
    reason = explain(tagger.matches(POSTS.iloc[2]), result.scores.iloc[2], book)[0]
    assert reason.reason == (
        "Score 1 reaches the threshold of 1. Matched in text (0.5 each): “apple*”, “avocado”."
    )
    empty = pd.Series({"title": "Nothing", "summary": "", "text": ""})
    none = explain(tagger.matches(empty), pd.Series({"alpha": 0.0}), book)[0]
    assert none.reason == "No term of this theme appears in the title, summary or text."


def test_the_codebook_toml_keeps_the_text_weight():
    book = codebook("text_weight = 0.25")
    assert parse_codebook(codebook_toml(book)).text_weight == 0.25


def test_the_report_states_the_text_weight(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("title,summary,text\nApples,apricot,avocado\n", encoding="utf-8")
    corpus = open_corpus(path, codebook("text_weight = 0.5"))
    report = build_report(corpus)
    assert "text_weight × (distinct theme terms in the text)" in report
    assert "0.5 in the full text (text_weight)" in report  # the codebook's method text
    assert corpus.codebook.method in report
