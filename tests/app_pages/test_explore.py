"""The Explore page with AppTest: the posts it lists, a linked post's evidence, its downloads."""

from __future__ import annotations


def test_search_filters_posts_and_empty_results_show_a_helpful_state(app):
    at = app("app_pages/explore.py")
    at.sidebar.text_input(key="search").set_value("living wage").run()
    table = at.dataframe[0].value
    assert list(table["Title"]) == ["Health Anchors in London and the London Living Wage"]
    assert at.main.caption[0].value.startswith("1 of 18 posts matches the filters, newest first.")
    at.sidebar.text_input(key="search").set_value("health").run()
    listed = len(at.dataframe[0].value)
    assert 1 < listed < 18
    assert at.main.caption[0].value.startswith(f"{listed} of 18 posts match the filters")
    at.sidebar.text_input(key="search").set_value("zzzz no such words").run()
    assert not at.exception
    assert "No posts to show" in at.info[0].value


def test_explore_lists_posts_newest_first_with_date_status_and_links(app):
    at = app("app_pages/explore.py")
    table = at.dataframe[0].value
    assert len(table) == 18
    assert table["Title"].iloc[0] == "Engaging the private sector in anchor networks"
    assert set(table["Date status"]) == {"Published", "Inferred", "Estimated"}
    assert table["Link"].notna().sum() == 6


def test_explore_linked_post_shows_evidence_and_reasons(app):
    post = "health-justice-partnership-blog-2-3-southwark-law-centre"
    at = app("app_pages/explore.py", post=post)
    assert "Southwark Law Centre" in at.subheader[0].value
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "<mark" in html and "legal advocacy" in html
    reasons = " ".join(c.value for c in at.caption)
    assert "Score" in reasons and "No term of this theme appears" in reasons
    assert at.query_params["post"] == [post] or at.query_params["post"] == post


def test_explore_offers_csv_and_xlsx_downloads(app):
    at = app("app_pages/explore.py")
    labels = [d.proto.label for d in at.main.get("download_button")]
    assert "Posts (CSV)" in labels
    assert "Posts, coverage, codebook, quality (XLSX)" in labels


def test_a_chosen_posts_review_comments_show_who_when_what_and_the_comment_as_written(
    app, review_database
):
    from analysis.review_store import ReviewStore
    from tests.markdown_oracle import as_read

    post = "health-justice-partnership-blog-2-3-southwark-law-centre"
    hostile = "**not bold** <b>no tag</b> [link](http://example.com) :red[no colour] $x$"
    store = ReviewStore(review_database)
    store.record(post, "workforce", "added", "Asha", "2026.11.1", False, comment=hostile)
    store.record(post, "health_justice", "confirmed", "Ben", "2026.11.1", True)  # no comment
    store.record(post, "living_wage", "rejected", "Chidi <i>", "2026.11.1", True, comment="Off")
    store.record("another-post", "workforce", "added", "Asha", "2026.11.1", False, comment="Not")
    store.engine.dispose()
    at = app("app_pages/explore.py", post=post)
    read = [as_read(m.value) for m in at.main.markdown]
    assert "**Review comments** (2)" in read
    start = read.index("**Review comments** (2)")
    assert read[start + 1 : start + 3] == [hostile, "Off"]  # oldest first, exactly as written
    said = [as_read(c.value) for c in at.main.caption if " · " in as_read(c.value)]
    said = [line for line in said if line.startswith(("Asha", "Ben", "Chidi"))]
    assert [line.split(" · ")[0] for line in said] == ["Asha", "Chidi <i>"]
    assert said[0].endswith(" UTC · Workforce: added")
    assert said[1].endswith(" UTC · Living wage: rejected")
    assert "Not" not in read  # another post's comment


def test_a_post_without_comments_shows_no_comment_block(app):
    at = app(
        "app_pages/explore.py", post="health-justice-partnership-blog-2-3-southwark-law-centre"
    )
    assert not any("Review comments" in m.value for m in at.main.markdown)


def test_many_posts_are_listed_a_page_at_a_time_newest_first(app, monkeypatch):
    """Past PAGE_ROWS posts (here 5 of the 18) the table holds one page, chosen by number:
    together the pages list every post once, in the order of the whole table."""
    from analysis.corpus import open_corpus
    from analysis.tables import posts_table
    from app_pages import posts

    corpus = open_corpus()
    every = list(posts_table(corpus.posts, corpus.tags, corpus.codebook)["id"])
    monkeypatch.setattr(posts, "PAGE_ROWS", 5)
    at = app("app_pages/explore.py")
    assert at.number_input(key="posts_page").value == 1
    assert "Page (of 4; 5 posts a page)" in at.number_input(key="posts_page").label
    listed = []
    for page in (1, 2, 3, 4):
        at.number_input(key="posts_page").set_value(page).run()
        assert not at.exception
        listed += list(at.dataframe[0].value["id"])
    assert listed == every
    assert at.main.caption[0].value.startswith("18 of 18 posts match the filters")


def test_a_linked_post_opens_on_its_page(app, monkeypatch):
    from app_pages import posts

    monkeypatch.setattr(posts, "PAGE_ROWS", 5)
    post = "health-justice-partnership-blog-2-3-southwark-law-centre"
    at = app("app_pages/explore.py", post=post)
    assert post in list(at.dataframe[0].value["id"])
    assert "Southwark Law Centre" in at.subheader[0].value


def test_up_to_a_page_of_posts_has_no_page_number(app):
    at = app("app_pages/explore.py")
    assert len(at.dataframe[0].value) == 18
    assert not at.number_input
