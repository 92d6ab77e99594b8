"""The Review page's filters list exactly the right posts, worked out here from the log.

Decisions go into the test's own review log; what each filter should list is computed in
this file from those decisions and the machine tags the Explore page shows, never from
:func:`analysis.review.review_filter`, so a filter that lists the wrong posts fails here.

Also: the page is read-only without the passcode, and a reviewer with it records decisions.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from analysis import review_store
from analysis.corpus import open_corpus
from analysis.review_store import ReviewStore
from app_pages.review_wording import FILTER_LABELS
from tests.markdown_oracle import as_read

PASSCODE = "right horse battery"
LIVING_WAGE = "health-anchors-in-london-and-the-london-living-wage"
RACIAL = "tackling-racial-inequalities-as-a-health-anchor"
PRIVATE_SECTOR = "engaging-the-private-sector-in-anchor-networks"
FUTURE_WORKFORCE = "the-nhss-future-workforce-and-levelling-up"
SOUTHWARK = "health-justice-partnership-blog-2-3-southwark-law-centre"

#: (post, theme, decision) in the order recorded; the latest per (post, theme) counts.
DECISIONS = [
    (LIVING_WAGE, "living_wage", "rejected"),  # the machine said yes: a disagreement
    (RACIAL, "racial_equity", "confirmed"),  # agrees
    (PRIVATE_SECTOR, "workforce", "added"),  # the machine said no: a disagreement
    (FUTURE_WORKFORCE, "workforce", "rejected"),  # a disagreement at first...
    (FUTURE_WORKFORCE, "workforce", "confirmed"),  # ...then the reviewer changed their mind
    (SOUTHWARK, "workforce", "rejected"),  # agrees: the machine did not tag it either
]
VALUE = {"confirmed": True, "added": True, "rejected": False}


@pytest.fixture
def decided(review_database, monkeypatch):
    """A review log holding :data:`DECISIONS`, and a passcode configured."""
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", PASSCODE)
    store = ReviewStore(review_database)
    for post, theme, decision in DECISIONS:
        store.record(post, theme, decision, reviewer="Ada", codebook_version="test", previous=None)
    return store


@pytest.fixture
def run(app):
    """``run(page, search=..., themes=...)``: the dashboard with the sidebar set, on ``page``."""

    def run(page: str = "app_pages/review.py", **sidebar) -> AppTest:
        at = app()
        for key, value in sidebar.items():
            getattr(at.sidebar, {"search": "text_input", "themes": "multiselect"}[key])(
                key=key
            ).set_value(value).run()
        at.switch_page(page).run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return run


@pytest.fixture
def machine_posts(run, theme_labels):
    """``machine_posts(**sidebar)``: every post in view, in file order: id -> (title, machine
    theme ids), as Explore shows them with machine tags and every theme chosen."""
    ids = {label: theme for theme, label in theme_labels.items()}

    def machine_posts(**sidebar) -> dict[str, tuple[str, set[str]]]:
        at = run("app_pages/explore.py", **sidebar)
        table = at.dataframe[0].value.sort_index()  # the file's order (Explore lists newest first)
        return {
            post: (title, {ids.get(label, label) for label in themes.split(", ") if label})
            for post, title, themes in zip(
                table["id"], table["Title"], table["Themes"], strict=True
            )
        }

    return machine_posts


def expected(posts: dict[str, tuple[str, set[str]]], decisions) -> dict[str, list[str]]:
    """Titles each filter should list, from the latest decision per (post, theme)."""
    latest = {(post, theme): VALUE[decision] for post, theme, decision in decisions}
    reviewed = {post for post, _ in latest}
    disagree = {
        post for (post, theme), value in latest.items() if value != (theme in posts[post][1])
    }
    titles = {post: title for post, (title, _) in posts.items()}
    return {
        "all": list(titles.values()),
        "unreviewed": [titles[p] for p in titles if p not in reviewed],
        "disagree": [titles[p] for p in titles if p in disagree],
    }


def listed(at: AppTest, choice: str) -> list[str]:
    """The posts the Review page offers after choosing ``choice`` under Show."""
    at.button_group(key="review_filter").set_value(choice).run()
    assert not at.exception, [e.message for e in at.exception]
    posts = (
        at.selectbox(key="review_post")
        if any(s.key == "review_post" for s in at.selectbox)
        else None
    )
    return [] if posts is None else list(posts.options)


def tally(at: AppTest) -> str:
    """The caption above the post picker, as read."""
    (caption,) = [
        as_read(c.value) for c in at.caption if re.search(r"\d+ posts? · \d+ of", as_read(c.value))
    ]
    return caption


def summary(at: AppTest) -> tuple[int, int, int, int]:
    """(listed, reviewed, of all, disagreements) from the caption above the post picker."""
    caption = tally(at)
    numbers = re.fullmatch(
        r"(\d+) posts? · (\d+) of (\d+) reviewed · (\d+) where machine and reviewer disagree",
        caption,
    )
    assert numbers, caption
    return tuple(int(n) for n in numbers.groups())


def test_the_page_offers_the_filters_this_file_checks(run, decided):
    at = run()
    show = at.button_group(key="review_filter")
    assert show.options == [FILTER_LABELS[key] for key in ["all", "unreviewed", "disagree"]]
    assert show.value == "all"


def test_each_filter_lists_exactly_the_right_posts(run, machine_posts, decided):
    want = expected(machine_posts(), DECISIONS)
    assert len(want["all"]) == 18
    assert len(want["unreviewed"]) == 13  # five posts have decisions
    assert len(want["disagree"]) == 2  # the living wage rejection and the workforce addition
    at = run()
    for choice in ["unreviewed", "disagree", "all"]:
        assert listed(at, choice) == want[choice], FILTER_LABELS[choice]
        assert summary(at) == (len(want[choice]), 5, 18, 2)


def test_not_yet_reviewed_is_not_the_disagreements(run, machine_posts, decided):
    """The issue's deliberate break: "Not yet reviewed" showing disagreements instead."""
    at = run()
    unreviewed = set(listed(at, "unreviewed"))
    disagree = set(listed(at, "disagree"))
    assert disagree and unreviewed
    assert not unreviewed & disagree  # a disagreement has a decision, so it is reviewed
    titles = {t for t, _ in machine_posts().values()}
    reviewed = titles - unreviewed
    assert len(reviewed) == 5 and disagree < reviewed


def test_filters_keep_to_the_posts_in_view(run, machine_posts, decided):
    """The sidebar's search narrows every filter to the posts it leaves in view."""
    posts = machine_posts(search="health")
    assert 0 < len(posts) < 18
    want = expected(posts, [d for d in DECISIONS if d[0] in posts])
    at = run(search="health")
    for choice in ["all", "unreviewed", "disagree"]:
        assert listed(at, choice) == want[choice], FILTER_LABELS[choice]


def test_no_decisions_means_every_post_unreviewed_and_no_disagreement(
    run, machine_posts, monkeypatch
):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", PASSCODE)
    titles = [t for t, _ in machine_posts().values()]
    at = run()
    assert listed(at, "unreviewed") == titles
    assert listed(at, "disagree") == []
    assert any("No posts to show for this choice" in i.value for i in at.info)


def test_a_decision_recorded_on_the_page_moves_the_post_between_filters(
    run, machine_posts, review_database, monkeypatch
):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", PASSCODE)
    at = run()
    unlock(at, "Ada")
    title = machine_posts()[LIVING_WAGE][0]
    assert title in listed(at, "unreviewed")
    assert listed(at, "disagree") == []

    listed(at, "all")
    at.selectbox(key="review_post").set_value(LIVING_WAGE).run()
    at.button(key=f"rejected-{LIVING_WAGE}-living_wage").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert ReviewStore(review_database).current()["post_id"].tolist() == [LIVING_WAGE]
    assert [as_read(toast.value) for toast in at.toast] == ["Living wage: rejected."]

    assert title not in listed(at, "unreviewed")
    assert listed(at, "disagree") == [title]
    assert summary(at) == (1, 1, 18, 1)
    assert tally(at) == "1 post · 1 of 18 reviewed · 1 where machine and reviewer disagree"

    at.switch_page("app_pages/explore.py").run()
    at.sidebar.button_group(key="tag_mode").set_value("reviewed").run()
    badges = [as_read(m.value) for m in at.markdown if "Reviewed tags" in m.value]
    assert badges == [":violet-badge[:material/sell: Reviewed tags · 1 human decision]"]


POST = "health-anchors-in-london-and-the-london-living-wage"


def buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def decision_buttons(at: AppTest) -> list:
    return [b for b in at.button if b.key and b.key.split("-")[0] in review_store.DECISIONS]


def test_review_is_read_only_without_a_passcode(app, review_database):
    at = app("app_pages/review.py")
    assert any("Read-only" in i.value for i in at.info)
    assert decision_buttons(at) == []
    assert "Unlock editing" not in buttons(at)
    assert ReviewStore(review_database).history().empty


def test_review_stays_locked_with_a_wrong_passcode(app, review_database, monkeypatch):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", "right horse battery")
    at = app("app_pages/review.py")
    assert decision_buttons(at) == []
    assert try_passcode(at, "wrong") == ["That passcode is not right."]
    assert decision_buttons(at) == []
    assert ReviewStore(review_database).history().empty


def unlock(at: AppTest, name: str = "Ada") -> None:
    """Give the passcode and ``name`` in the unlock form and submit it."""
    password = next(t for t in at.text_input if t.label == "Review passcode")
    password.set_value(PASSCODE)
    next(t for t in at.text_input if t.label == "Your name").set_value(name)
    next(b for b in at.button if b.label == "Unlock editing").click().run()
    assert not at.exception, [e.message for e in at.exception]


def try_passcode(at: AppTest, passcode: str) -> list[str]:
    """Submit ``passcode`` (and a name) in the unlock form; the error messages then shown."""
    next(t for t in at.text_input if t.label == "Review passcode").set_value(passcode)
    next(t for t in at.text_input if t.label == "Your name").set_value("Ada")
    next(b for b in at.button if b.label == "Unlock editing").click().run()
    assert not at.exception
    return [as_read(e.value) for e in at.error]


def test_five_wrong_passcodes_lock_the_session_even_against_the_right_one(app, monkeypatch):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", "right horse battery")
    at = app("app_pages/review.py")
    for n in range(4):
        assert try_passcode(at, f"wrong {n}") == ["That passcode is not right."]
    assert try_passcode(at, "wrong 4") == ["Too many attempts: try again in 30 seconds."]
    (message,) = try_passcode(at, "right horse battery")
    wait = re.fullmatch(r"Too many attempts: try again in (\d+) seconds?\.", message)
    assert wait and 1 <= int(wait[1]) <= 30
    assert decision_buttons(at) == []
    assert "Unlock editing" in buttons(at)
    assert "review_unlocked" not in at.session_state


def test_reviewer_with_the_passcode_records_a_decision(app, review_database, monkeypatch):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", "right horse battery")
    at = app("app_pages/review.py")
    unlock(at, "Ada")
    at.selectbox(key="review_post").set_value(POST).run()
    assert decision_buttons(at)  # now offered
    at.button(key=f"rejected-{POST}-living_wage").click().run()
    assert not at.exception
    history = ReviewStore(review_database).history()
    assert history[["post_id", "theme", "decision", "reviewer"]].values.tolist() == [
        [POST, "living_wage", "rejected", "Ada"]
    ]
    assert bool(history["previous"].iloc[0]) is True

    # Reviewed tags now drop the theme; machine tags still have it.
    at.switch_page("app_pages/explore.py").run()
    at.sidebar.button_group(key="tag_mode").set_value("reviewed").run()
    table = at.dataframe[0].value
    row = table[table["Title"] == "Health Anchors in London and the London Living Wage"]
    assert row["Themes"].iloc[0] == ""
    at.sidebar.button_group(key="tag_mode").set_value("machine").run()
    table = at.dataframe[0].value
    row = table[table["Title"] == "Health Anchors in London and the London Living Wage"]
    assert row["Themes"].iloc[0] == "Living wage"


def test_review_shows_the_post_as_explore_does(app):
    """The chosen post's header: title, date and authors, why that date, summary with terms marked."""
    post = open_corpus().post(POST)
    at = app("app_pages/review.py")
    at.selectbox(key="review_post").set_value(POST).run()
    assert as_read(at.subheader[0].value) == post["title"]
    captions = [as_read(c.value) for c in at.caption]
    assert f"17 Nov 2022 · date published · by {post['author']}" in captions
    assert f"Why this date: {post['date_basis']}" in captions
    html = " ".join(h.proto.body for h in at.get("html"))
    assert re.search(r"<mark[^>]*>[^<]*[Ll]iving [Ww]age", html)


def shown(at: AppTest) -> list[str]:
    """Every Markdown text and caption on the page, as read."""
    return [as_read(m.value) for m in [*at.markdown, *at.caption]]


def test_a_name_is_needed_to_unlock_and_no_try_at_the_passcode_is_spent_without_one(
    app, review_database, monkeypatch
):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", PASSCODE)
    at = app("app_pages/review.py")
    for blank in ["", "   "]:
        unlock(at, blank)
        assert [as_read(e.value) for e in at.error] == [
            "Give your name: it is recorded with each decision."
        ]
        assert "review_unlocked" not in at.session_state
        assert "reviewer" not in at.session_state
        assert "Unlock editing" in buttons(at)
        assert decision_buttons(at) == []
    assert "_passcode_attempts" not in at.session_state  # the passcode was not tried
    unlock(at, "  Ada Lovelace ")
    assert at.session_state["review_unlocked"] is True
    assert at.session_state["reviewer"] == "Ada Lovelace"
    assert "Reviewing as Ada Lovelace." in " ".join(shown(at))


def test_the_name_is_remembered_across_reruns_and_pages_and_goes_with_each_decision(
    app, review_database, monkeypatch
):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", PASSCODE)
    at = app("app_pages/review.py")
    unlock(at, "Ada")
    at.run()
    at.switch_page("app_pages/explore.py").run()
    at.switch_page("app_pages/review.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["reviewer"] == "Ada"
    assert any(line.endswith("Reviewing as Ada.") for line in shown(at))
    assert not any(t.label == "Your name" for t in at.text_input)  # no free-standing name box
    at.selectbox(key="review_post").set_value(POST).run()
    at.button(key=f"rejected-{POST}-living_wage").click().run()
    assert ReviewStore(review_database).history()["reviewer"].tolist() == ["Ada"]


def test_a_reviewer_can_change_name_and_later_decisions_carry_the_new_one(
    app, review_database, monkeypatch
):
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", PASSCODE)
    at = app("app_pages/review.py")
    unlock(at, "Ada")
    at.selectbox(key="review_post").set_value(POST).run()
    at.button(key=f"rejected-{POST}-living_wage").click().run()
    at.button(key="change_reviewer").click().run()
    assert "reviewer" not in at.session_state and at.session_state["review_unlocked"] is True
    assert decision_buttons(at) == []  # no decision without a name
    next(t for t in at.text_input if t.label == "Your name").set_value("Ben")
    next(b for b in at.button if b.label == "Save name").click().run()
    assert at.session_state["reviewer"] == "Ben"
    at.button(key=f"added-{POST}-living_wage").click().run()
    assert not at.exception
    assert ReviewStore(review_database).history()["reviewer"].tolist() == ["Ada", "Ben"]
