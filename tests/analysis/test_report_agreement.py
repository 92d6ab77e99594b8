"""The report's agreement between reviewers: per round, the measure, its value, n and the
small-sample warning, and the machine against the consensus; hostile names stay text.

Figures are hand-computed here (the 2x2 table of tests/analysis/test_agreement.py); the HTML
is read with html.parser, as a browser sees its tables and text.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from analysis.corpus import open_corpus
from analysis.report import build_report
from analysis.review_store import ReviewStore

WHEN = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
# Asha yes/Ben yes 6, Asha yes/Ben no 2, Asha no/Ben yes 1, both no 1: kappa = 0.08/0.38.
ASHA = [True] * 6 + [True, True] + [False] + [False]
BEN = [True] * 6 + [False, False] + [True] + [False]
HOSTILE = "<script>alert('x')</script>"


class Tables(HTMLParser):
    """Every table's caption and rows (cell texts), every element's tag, and all the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.tags: list[str] = []
        self.paragraphs: list[str] = []
        self.text = ""
        self._caption = self._cell = self._para = None
        self._rows: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "table":
            self._rows = []
        elif tag == "caption":
            self._caption = ""
        elif tag == "tr":
            self._rows.append([])
        elif tag in ("td", "th"):
            self._cell = ""
        elif tag == "p":
            self._para = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(self._cell.strip())
            self._cell = None
        elif tag == "table":
            self.tables[self._caption or ""] = self._rows
        elif tag == "p" and self._para is not None:
            self.paragraphs.append(" ".join(self._para.split()))
            self._para = None

    def handle_data(self, data):
        self.text += data
        if self._cell is not None:
            self._cell += data
        elif self._caption is not None and not self._rows:
            self._caption += data
        if self._para is not None:
            self._para += data


def read(html: str) -> Tables:
    page = Tables()
    page.feed(html)
    return page


@pytest.fixture
def store(tmp_path):
    store = ReviewStore(f"sqlite:///{tmp_path / 'reviews.sqlite'}")
    yield store
    store.engine.dispose()


def two_reviewers(store, round="pilot", asha="Asha"):
    ids = list(open_corpus().posts["id"][:10])
    store.set_round(round, False, "Lead", now=WHEN)
    for n, (a, b) in enumerate(zip(ASHA, BEN, strict=True)):
        for name, applies, minutes in ((asha, a, n), ("Ben", b, 20 + n)):
            store.record(
                ids[n], "workforce", "confirmed" if applies else "rejected", name, "t", None,
                round=round, now=WHEN + timedelta(minutes=minutes),
            )  # fmt: skip
    return ids


def report(store) -> Tables:
    corpus = open_corpus()
    return read(
        build_report(
            corpus,
            generated_at=WHEN,
            review_history=store.history(),
            review_rounds=store.rounds(),
        )
    )


def rows(table: list[list[str]]) -> dict[str, dict[str, str]]:
    headers, *body = table
    return {row[0]: dict(zip(headers, row, strict=True)) for row in body}


def test_the_report_states_each_rounds_measure_value_n_and_warning(store):
    ids = two_reviewers(store)
    page = report(store)
    assert "Round: pilot" in page.text
    between = rows(page.tables["Agreement between the round's reviewers, theme by theme."])
    assert between["Workforce"] == {
        "Theme": "Workforce",
        "Reviewers": "2",
        "Posts coded by two or more (n)": "10",
        "Measure": "Cohen's kappa",
        "Value": "0.211",
        "All agree": "70%",
        "Small sample (n < 30)": "Yes",
    }
    assert any(
        p.startswith("Small sample: Workforce rests on fewer than 30 posts coded by two or more")
        for p in page.paragraphs
    )
    assert "2 reviewers; 3 disagreements not yet settled." in page.paragraphs
    corpus = open_corpus()
    machine = dict(zip(corpus.posts["id"], corpus.tags["workforce"], strict=True))
    agreed = {ids[n]: True for n in range(6)} | {ids[9]: False}  # 6, 7, 8 in dispute
    consensus = rows(page.tables["Agreement between the machine and the round's consensus."])
    assert consensus["Workforce"]["Posts with a consensus (n)"] == "7"
    assert consensus["Workforce"]["Agree with machine"] == str(
        sum(machine[p] == v for p, v in agreed.items())
    )


def test_no_rounds_no_agreement_block(store):
    store.record("a-post", "workforce", "added", "Asha", "t", False)  # outside any round
    page = report(store)
    assert "Agreement between reviewers" not in page.text
    assert "Agreement between reviewers" not in read(build_report(open_corpus())).text


def test_a_blind_round_is_named_without_its_figures(store):
    two_reviewers(store)
    store.set_round("pilot", True, "Lead", now=WHEN + timedelta(hours=1))
    page = report(store)
    assert "This round is still blind, so its figures are left out until blindness is lifted." in (
        page.paragraphs
    )
    assert "Agreement between the round's reviewers, theme by theme." not in page.tables


def test_hostile_round_and_reviewer_names_stay_text(store):
    two_reviewers(store, round=HOSTILE, asha=HOSTILE)
    html = build_report(open_corpus(), review_history=store.history(), review_rounds=store.rounds())
    page = read(html)
    assert f"Round: {HOSTILE}" in page.text  # shown as written...
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html  # ...because escaped
    assert HOSTILE not in html
