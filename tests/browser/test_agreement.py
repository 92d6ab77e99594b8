"""Settling a disagreement between reviewers in Chromium: unlock with a name on the Review page,
settle one disagreement on Tagging quality by clicking, and see the queue shrink and the
machine-against-consensus figure take the settled post in."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from analysis.corpus import open_corpus
from analysis.review_store import ReviewStore
from tests.browser.conftest import open_page, rerun, settled, shown_text
from tests.browser.reading import grid_rows

pytestmark = pytest.mark.browser

PASSCODE = "right horse battery"
WHEN = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
# Asha yes/Ben yes 6, Asha yes/Ben no 2, Asha no/Ben yes 1, both no 1: kappa 0.08/0.38 = 0.211.
ASHA = [True] * 6 + [True, True] + [False] + [False]
BEN = [True] * 6 + [False, False] + [True] + [False]


@pytest.fixture
def round_dashboard(tmp_path, monkeypatch, request):
    """A dashboard of the test's own whose log holds round "pilot" (not blind): Asha and Ben
    coding Workforce on ten posts, three of them in dispute (6, 7, 8)."""
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", PASSCODE)
    ids = list(open_corpus().posts["id"][:10])
    store = ReviewStore(f"sqlite:///{tmp_path / 'reviews.sqlite'}")  # the server's log
    store.set_round("pilot", False, "Lead", now=WHEN)
    for n, (asha, ben) in enumerate(zip(ASHA, BEN, strict=True)):
        for name, applies, minutes in (("Asha", asha, n), ("Ben", ben, 20 + n)):
            store.record(
                ids[n], "workforce", "confirmed" if applies else "rejected", name, "t", None,
                round="pilot", now=WHEN + timedelta(minutes=minutes),
            )  # fmt: skip
    store.engine.dispose()
    return request.getfixturevalue("fresh_dashboard"), ids


def workforce_row(page, header: str) -> dict[str, str]:
    """The Workforce row of the table on the page that has the column ``header``."""
    grids = page.get_by_test_id("stMain").get_by_test_id("stDataFrame")
    for n in range(grids.count()):
        rows = grid_rows(grids.nth(n))
        if rows and header in rows[0]:
            return next(r for r in rows if r["Theme"] == "Workforce")
    raise AssertionError(f"no table with a column {header!r}")


CONSENSUS_N = "Posts with a consensus (n)"


def test_a_reviewer_settles_a_disagreement_by_clicking(page, round_dashboard, screenshot):
    url, ids = round_dashboard
    open_page(page, f"{url}/review")
    page.get_by_role("textbox", name="Review passcode").fill(PASSCODE)
    name = page.get_by_role("textbox", name="Your name")
    if name.count():  # the name is given with the passcode
        name.fill("Lead Reviewer")
    with rerun(page):
        page.get_by_role("button", name="Unlock editing").click()
    expect(page.get_by_role("textbox", name="Review passcode")).to_have_count(0, timeout=30_000)

    page.get_by_test_id("stSidebar").get_by_role("link", name="Tagging quality").click()
    expect(page.get_by_role("heading", name="Tagging quality")).to_be_visible(timeout=30_000)
    settled(page)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("3 disagreements in round pilot")).to_be_visible(timeout=30_000)
    disputes = main.locator("[class*='st-key-dispute-']")
    expect(disputes).to_have_count(3)
    assert workforce_row(page, CONSENSUS_N)[CONSENSUS_N] == "7"
    workforce = workforce_row(page, "Posts coded by two or more (n)")
    assert (workforce["Measure"], workforce["Value"]) == ("Cohen's kappa", "0.211")
    assert workforce["Posts coded by two or more (n)"] == "10"
    assert "Small sample: Workforce rests on fewer than 30 posts" in shown_text(main)

    page.set_viewport_size({"width": 1280, "height": 720})
    main.get_by_role("heading", name="Agreement between reviewers").scroll_into_view_if_needed()
    screenshot("agreement-figures", full_page=False)

    post = ids[8]
    main.locator(f".st-key-dispute-{post}-workforce").get_by_role(
        "button", name=re.compile("Settle: applies")
    ).click()
    expect(page.get_by_test_id("stToast").first).to_contain_text("Settled", timeout=30_000)
    settled(page)
    expect(disputes).to_have_count(2, timeout=30_000)
    expect(main.locator(f".st-key-dispute-{post}-workforce")).to_have_count(0)
    assert "2 disagreements in round pilot" in shown_text(main)
    assert workforce_row(page, CONSENSUS_N)[CONSENSUS_N] == "8"  # the settled post joins it

    main.get_by_text("Disagreements to settle").scroll_into_view_if_needed()
    screenshot("agreement-queue-after-settling", full_page=False)
