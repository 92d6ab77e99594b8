"""The Tagging quality page's agreement section with AppTest, on a review log made here.

Expected figures are worked out by hand in this file (the same 2x2 table and three-reviewer
coding as tests/analysis/test_agreement.py), never from analysis.agreement.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from analysis.corpus import open_corpus
from analysis.review_store import ReviewStore
from tests.markdown_oracle import as_read

PAGE = "app_pages/tagging_quality.py"
PASSCODE = "right horse battery"
WHEN = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)

# Two reviewers, ten posts:        Ben yes  Ben no
#                        Asha yes     6        2
#                        Asha no      1        1
#   p_o = 7/10 = 0.7;  p_e = 0.8 * 0.7 + 0.2 * 0.3 = 0.62;  kappa = 0.08 / 0.38 = 0.2105...
ASHA = [True] * 6 + [True, True] + [False] + [False]
BEN = [True] * 6 + [False, False] + [True] + [False]
KAPPA_SHOWN = "0.211"
# Three reviewers, four posts (the last coded by two only): nominal alpha = 1 - 10*2/60 = 2/3.
THREE = {"Asha": [1, 0, 1, 0], "Ben": [1, 0, 1, 0], "Chidi": [1, 0, 0, None]}
ALPHA_SHOWN = "0.667"


@pytest.fixture
def posts():
    """Ten post ids, the ninth (index 8: Asha no, Ben yes) one the machine leaves without
    Workforce, so settling it as applying changes the reviewed tags."""
    corpus = open_corpus()
    untagged = list(corpus.posts.loc[~corpus.tags["workforce"], "id"])
    others = [p for p in corpus.posts["id"] if p != untagged[0]]
    ids = [*others[:8], untagged[0], *others[8:9]]
    titles = dict(zip(corpus.posts["id"], corpus.posts["title"], strict=True))
    return ids, titles


def vote(store, post, theme, applies, reviewer, minutes, **kwargs):
    store.record(
        post, theme, "confirmed" if applies else "rejected", reviewer, "test", None,
        round="pilot", now=WHEN + timedelta(minutes=minutes), **kwargs,
    )  # fmt: skip


@pytest.fixture
def two_reviewers(review_database, posts, monkeypatch):
    """A round "pilot", not blind, with Asha and Ben coding Workforce on ten posts."""
    monkeypatch.setenv("ANCHOR_THEMES_REVIEW_PASSCODE", PASSCODE)
    ids, _ = posts
    store = ReviewStore(review_database)
    store.set_round("pilot", False, "Lead", now=WHEN)
    for n, (asha, ben) in enumerate(zip(ASHA, BEN, strict=True)):
        vote(store, ids[n], "workforce", asha, "Asha", n)
        comment = "only a **passing** mention" if n == 8 else None
        vote(store, ids[n], "workforce", ben, "Ben", 20 + n, comment=comment)
    return store


def table(at: AppTest, first_header: str):
    (frame,) = [d.value for d in at.dataframe if first_header in d.value.columns]
    return frame.set_index("Theme")


def warnings(at: AppTest) -> list[str]:
    return [as_read(w.value) for w in at.warning]


def queue(at: AppTest) -> list[str]:
    """The disagreements listed, as "title · theme" headings (bold marks dropped), in order."""
    headings = [as_read(m.value) for m in at.markdown]
    return [h.replace("**", "") for h in headings if " · " in h and h.endswith("Workforce")]


def test_two_reviewers_show_kappa_with_n_and_a_small_sample_warning(app, two_reviewers):
    at = app(PAGE)
    assert at.selectbox(key="agreement_round").options == ["pilot"]
    row = table(at, "Posts coded by two or more (n)").loc["Workforce"]
    assert row["Measure"] == "Cohen's kappa"
    assert row["Value"] == KAPPA_SHOWN
    assert row["Posts coded by two or more (n)"] == 10
    assert row["Reviewers"] == 2
    assert row["All agree"] == "70%"
    assert row["Small sample (n < 30)"] == "Yes"
    (warning,) = [w for w in warnings(at) if "posts coded by two or more reviewers" in w]
    assert warning.startswith("Small sample: Workforce rests on fewer than 30 posts")


def test_three_reviewers_show_krippendorffs_alpha(app, two_reviewers, posts):
    ids, _ = posts
    for n, (name, codes) in enumerate(THREE.items()):
        for unit, code in enumerate(codes):
            if code is not None:
                vote(two_reviewers, ids[unit], "living_wage", bool(code), name, 40 + n)
    at = app(PAGE)
    figures = table(at, "Posts coded by two or more (n)")
    assert figures.loc["Living wage", "Measure"] == "Krippendorff's alpha"
    assert figures.loc["Living wage", "Value"] == ALPHA_SHOWN
    assert figures.loc["Living wage", "Posts coded by two or more (n)"] == 4
    assert figures.loc["Workforce", "Measure"] == "Cohen's kappa"  # still two there


def test_the_machine_against_the_consensus_shows_its_n(app, two_reviewers, posts):
    ids, _ = posts
    corpus = open_corpus()
    machine = dict(zip(corpus.posts["id"], corpus.tags["workforce"], strict=True))
    # The consensus: posts 0-5 (both yes) and 9 (both no); 6, 7 and 8 are in dispute.
    agreed = {ids[n]: True for n in range(6)} | {ids[9]: False}
    row = table(app(PAGE), "Posts with a consensus (n)").loc["Workforce"]
    assert row["Posts with a consensus (n)"] == 7
    assert row["Agree with machine"] == sum(machine[p] == v for p, v in agreed.items())


def test_the_queue_lists_exactly_the_disagreeing_pairs_read_only_when_locked(
    app, two_reviewers, posts
):
    ids, titles = posts
    at = app(PAGE)
    # Disputed: 6 and 7 (Asha yes, Ben no), 8 (Asha no, Ben yes); oldest latest vote first.
    assert queue(at) == [f"{titles[ids[n]]} · Workforce" for n in (6, 7, 8)]
    captions = [as_read(c.value) for c in at.caption]
    assert "Applies: Asha · Does not apply: Ben" in captions
    assert "Applies: Ben · Does not apply: Asha" in captions
    assert "Comment: Ben: only a **passing** mention" in captions  # shown as written
    assert not [b for b in at.button if b.label.startswith("Settle")]
    assert any("Review page" in i.value for i in at.info)


def test_settling_removes_the_pair_and_reviewed_mode_counts_it(app, two_reviewers, posts):
    ids, titles = posts
    at = app(PAGE, session={"review_unlocked": True, "reviewer": "Lead"})
    assert len(queue(at)) == 3
    at.text_input(key=f"settle-comment-{ids[8]}-workforce").set_value("Ben is right: <i>jobs</i>")
    at.button(key=f"settle-True-{ids[8]}-workforce").click().run()
    assert not at.exception, [e.message for e in at.exception]
    # said on the run after the click's, which redraws the queue, and only then
    assert [as_read(toast.value) for toast in at.toast] == ["Settled: Workforce applies."]
    assert queue(at) == [f"{titles[ids[n]]} · Workforce" for n in (6, 7)]
    assert not at.run().toast
    settled = two_reviewers.current().set_index(["post_id", "theme"])
    assert settled.loc[(ids[8], "workforce"), "reviewer"] == "Lead"
    assert settled.loc[(ids[8], "workforce"), "comment"] == "Ben is right: <i>jobs</i>"
    assert settled.loc[(ids[8], "workforce"), "value"]

    at.sidebar.button_group(key="tag_mode").set_value("reviewed").run()
    at.switch_page("app_pages/explore.py").run()
    assert not at.exception, [e.message for e in at.exception]
    listed = at.dataframe[0].value.set_index("id")
    assert "Workforce" in listed.loc[ids[8], "Themes"].split(", ")  # the machine said no
    # Still disputed: the value from before the round (the machine's) stands.
    machine = open_corpus().tags.set_axis(open_corpus().posts["id"])["workforce"]
    for n in (6, 7):
        assert ("Workforce" in listed.loc[ids[n], "Themes"].split(", ")) == machine[ids[n]]


def test_a_blind_round_hides_its_figures_and_queue(app, two_reviewers):
    two_reviewers.set_round("pilot", True, "Lead", now=WHEN + timedelta(hours=1))
    at = app(PAGE, session={"review_unlocked": True, "reviewer": "Lead"})
    assert any("is blind" in as_read(i.value) for i in at.info)
    assert not [d for d in at.dataframe if "Posts coded by two or more (n)" in d.value.columns]
    assert queue(at) == []


def test_every_counted_decision_table_shows_n_and_the_warning(app, review_database):
    store = ReviewStore(review_database)
    post = open_corpus().posts["id"].iloc[0]
    store.record(post, "workforce", "rejected", "Asha", "test", previous=True)
    at = app(PAGE)
    row = table(at, "Posts reviewed (n)").loc["Workforce"]
    assert row["Posts reviewed (n)"] == 1
    assert row["Small sample (n < 30)"] == "Yes"
    assert any(w.startswith("Small sample: Workforce rests on fewer than 30 reviewed") for w in
               warnings(at))  # fmt: skip


def test_the_dashboards_report_carries_the_rounds_agreement(app, two_reviewers, download):
    at = app(PAGE)
    (button,) = [b for b in at.sidebar.get("download_button") if b.proto.label == "Download report"]
    html = download(button).content.decode()
    assert "Round: pilot" in html
    assert f'<td class="num">{KAPPA_SHOWN}</td>' in html
    assert "Small sample: Workforce rests on fewer than 30 posts coded by two or more" in html


def test_hostile_reviewer_and_round_names_show_as_written(app, review_database, posts):
    ids, _ = posts
    hostile, round_name = "[Asha](javascript:alert(1)) **bold**", "<b>pilot</b> :red[x]"
    store = ReviewStore(review_database)
    store.set_round(round_name, False, "Lead", now=WHEN)
    for name, applies in ((hostile, True), ("Ben", False)):
        store.record(ids[0], "workforce", "confirmed" if applies else "rejected", name, "t",
                     None, round=round_name, now=WHEN)  # fmt: skip
    at = app(PAGE)
    captions = [as_read(c.value) for c in at.caption]
    assert f"Applies: {hostile} · Does not apply: Ben" in captions
    assert any(c.startswith(f"1 disagreement in round {round_name}:") for c in captions)
