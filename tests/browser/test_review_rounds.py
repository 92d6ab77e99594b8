"""Two reviewers code the same post in one blind round, each in their own browser (issue 13).

Ada opens a blind round and rejects Living wage with a comment; Ben, in another browser,
sees none of it (the tally, the card, the post's history, the review log), confirms it with a
comment of his own, and Ada in turn sees none of his. Once Ada lifts blindness, a third
browser downloads the review log: both decisions are in it, with their comments and round.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from analysis.corpus import open_corpus
from tests.browser.conftest import SCREENSHOTS, open_page, rerun, settled, shown_text
from tests.browser.reading import grid_rows, heading_shown

pytestmark = pytest.mark.browser

PASSCODE = "right horse battery"
POST = "health-anchors-in-london-and-the-london-living-wage"  # the machine tags Living wage
ADA = "Ada: no pay figures, only a mention"
BEN = "Ben: it names the London Living Wage"


@pytest.fixture
def dashboard(monkeypatch, request):
    """A dashboard of the test's own (its own review log) whose review the passcode unlocks."""
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", PASSCODE)
    return request.getfixturevalue("fresh_dashboard")


@pytest.fixture
def browsers(browser):
    """``browsers()``: a new page in a browser context of its own (its own Streamlit session)."""
    contexts = []

    def new() -> Page:
        context = browser.new_context(
            viewport={"width": 1280, "height": 720}, accept_downloads=True
        )
        contexts.append(context)
        return context.new_page()

    yield new
    for context in contexts:
        context.close()


def pick(page: Page, label: str, option: str) -> None:
    """Choose ``option`` in the main area's selectbox labelled ``label``."""
    page.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(has_text=label).click()
    with rerun(page):
        page.get_by_role("option", name=option, exact=True).click()


def review_as(page: Page, url: str, name: str) -> None:
    open_page(page, f"{url}/review")
    page.get_by_role("textbox", name="Review passcode").fill(PASSCODE)
    page.get_by_role("textbox", name="Your name").fill(name)
    page.get_by_role("button", name="Unlock editing").click()
    expect(page.get_by_text(f"Reviewing as {name}.")).to_be_visible(timeout=30_000)
    settled(page)


def choose_post(page: Page, title: str) -> None:
    pick(page, "Post", title)
    heading_shown(page, title)
    settled(page)


def decide(page: Page, button: str, comment: str) -> None:
    card = page.locator(".st-key-card-living_wage")
    card.get_by_placeholder("Comment (optional)").fill(comment)
    card.get_by_role("button", name=re.compile(button)).click()
    expect(page.get_by_test_id("stToast").first).to_contain_text("Living wage", timeout=30_000)
    settled(page)


def card_text(page: Page) -> str:
    return shown_text(page.locator(".st-key-card-living_wage"))


def post_history(page: Page, count: int) -> list[dict[str, str]]:
    """The rows of the post's history table, once it holds ``count`` of them ([] when it
    says there are none): the grid draws its rows a moment after it appears."""
    main = page.get_by_test_id("stMain")
    box = main.get_by_test_id("stExpander").filter(has_text="History of this post")
    if box.locator("details").get_attribute("open") is None:
        box.get_by_text("History of this post").click()
    if count == 0:
        expect(box.get_by_text("No decisions yet.")).to_be_visible()
        return []
    return grid_rows(box.get_by_test_id("stDataFrame"), count)


def open_log(page: Page) -> None:
    with rerun(page):
        page.get_by_text("Review log: every decision").click()


def log_text(page: Page, count: int) -> str:
    """The review log's rows as one text, once the table holds ``count`` rows."""
    box = page.get_by_test_id("stExpander").filter(has_text="Review log: every decision")
    rows = grid_rows(box.get_by_test_id("stDataFrame"), count)
    return " ".join(" ".join(row.values()) for row in rows)


def test_two_reviewers_code_blind_and_the_log_holds_both_once_lifted(dashboard, browsers):
    title = open_corpus().post(POST)["title"]
    ada, ben, reader = browsers(), browsers(), browsers()

    review_as(ada, dashboard, "Ada")
    pick(ada, "Review round", "Open a new round…")
    ada.get_by_role("textbox", name="Name of the new round").fill("pilot")
    expect(ada.get_by_role("checkbox", name="Blind")).to_be_checked()
    ada.get_by_role("button", name="Open round").click()
    settled(ada)
    expect(ada.get_by_text("Round pilot is blind")).to_be_visible(timeout=30_000)
    choose_post(ada, title)
    decide(ada, "^Reject", ADA)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ada.get_by_test_id("stMain").evaluate("main => main.scrollTo(0, 0)")
    ada.screenshot(path=str(SCREENSHOTS / "review-rounds-blind-ada.png"))
    assert "rejected by Ada" in card_text(ada)

    review_as(ben, dashboard, "Ben")
    pick(ben, "Review round", "pilot")
    expect(ben.get_by_text("Round pilot is blind")).to_be_visible()
    choose_post(ben, title)
    assert "0 of 18 reviewed" in shown_text(ben)
    assert "Machine: tagged · not yet reviewed" in card_text(ben)
    expect(ben.locator(".st-key-card-living_wage").get_by_role("button")).to_have_count(2)
    assert post_history(ben, 0) == []
    decide(ben, "^Confirm it applies", BEN)
    assert "confirmed by Ben" in card_text(ben)
    (row,) = post_history(ben, 1)
    assert (row["Reviewer"], row["Comment"], row["Round"]) == ("Ben", BEN, "pilot")
    open_log(ben)
    assert BEN in log_text(ben, 1) and ADA not in log_text(ben, 1)
    ben.screenshot(path=str(SCREENSHOTS / "review-rounds-blind-ben.png"))

    open_log(ada)  # a rerun of Ada's page: still none of Ben's
    assert ADA in log_text(ada, 1) and BEN not in log_text(ada, 1)
    (row,) = post_history(ada, 1)
    assert (row["Reviewer"], row["Comment"]) == ("Ada", ADA)
    ada.get_by_role("button", name="Lift blindness: show everyone's decisions").click()
    settled(ada)
    expect(ada.get_by_text("Round pilot is not blind")).to_be_visible(timeout=30_000)

    open_page(reader, f"{dashboard}/review")
    open_log(reader)
    with reader.expect_download(timeout=60_000) as started:
        reader.get_by_role("button", name="Review log (CSV)").click()
    data = Path(started.value.path()).read_bytes()
    lines = data.decode("utf-8-sig").splitlines(keepends=True)
    assert "# review rounds: pilot (not blind%2C set by Ada)\r\n" in lines  # how it was made
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    assert [(r["who"], r["post"], r["decision"], r["comment"], r["round"]) for r in rows] == [
        ("Ada", POST, "rejected", ADA, "pilot"),
        ("Ben", POST, "confirmed", BEN, "pilot"),
    ]
