"""analysis.tables: the posts list, the tagged output and the numbers behind a coverage chart."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.coverage import coverage_over_time
from analysis.tables import (
    agreement_table,
    coverage_table,
    machine_consensus_table,
    posts_table,
    reviewer_agreement_table,
    small_sample_note,
    tagged_output,
    theme_labels,
)

POSTS_CSV = """id,title,summary,date,date_status,date_precision,url,Extra
old,Apprentices and racism,s,2021,inferred,,https://example.org/old,x1
undated,Undated,s,,,,,x2
new,London Living Wage,s,17/11/2022,published,day,,x3
mid,Legal advice,s,July 2022,estimated,,,x4
"""


@pytest.fixture
def posts_file(read_csv):
    return read_csv(POSTS_CSV)


@pytest.fixture
def result(posts_file, tagger):
    return tagger.tag(posts_file.posts)


def test_theme_labels_in_codebook_order(result, codebook):
    assert theme_labels(result.tags, codebook).tolist() == [
        "Workforce, Racial equity",
        "",
        "Living wage",
        "Health justice",
    ]


def test_posts_table_newest_first_with_uk_dates(posts_file, result, codebook):
    table = posts_table(posts_file.posts, result.tags, codebook)
    assert list(table.columns) == ["id", "Title", "Date", "Date status", "Themes", "Link"]
    assert table["id"].tolist() == ["new", "mid", "old", "undated"]
    assert table["Date"].tolist() == ["17 Nov 2022", "Jul 2022", "2021", "No date"]
    assert table["Date status"].tolist() == ["Published", "Estimated", "Inferred", "No date"]
    assert table["Themes"].tolist() == [
        "Living wage",
        "Health justice",
        "Workforce, Racial equity",
        "",
    ]
    assert table.loc[table["id"] == "old", "Link"].item() == "https://example.org/old"
    assert table.loc[table["id"] != "old", "Link"].isna().all()


def test_posts_table_of_the_bundled_posts(bundled):
    table = posts_table(bundled.posts, bundled.tags, bundled.codebook)
    assert len(table) == 18
    assert table.iloc[0]["Date"] == "Mar 2024"
    assert table.iloc[-1]["Date"] == "2021"
    dates = bundled.posts.set_index("id").loc[table["id"], "published"]
    assert dates.is_monotonic_decreasing


def test_tagged_output_keeps_every_input_column_and_adds_results(
    theme_ids, posts_file, result, codebook
):
    out = tagged_output(posts_file.raw, result, codebook)
    input_columns = list(posts_file.raw.columns)
    assert list(out.columns) == [
        *input_columns,
        "themes",
        *(f"score_{theme_id}" for theme_id in theme_ids),
        *(f"evidence_{theme_id}" for theme_id in theme_ids),
    ]
    pd.testing.assert_frame_equal(out[input_columns], posts_file.raw.reset_index(drop=True))
    assert out["themes"].tolist() == [
        "workforce;racial_equity",
        "",
        "living_wage",
        "health_justice",
    ]
    assert out["score_workforce"].tolist() == [2.0, 0.0, 0.0, 0.0]
    assert out["evidence_living_wage"].tolist() == ["", "", "title: london living wage*", ""]


def test_tagged_output_replaces_earlier_results(posts_file, result, codebook):
    once = tagged_output(posts_file.raw, result, codebook)
    twice = tagged_output(once, result, codebook)
    assert list(twice.columns) == list(once.columns)
    pd.testing.assert_frame_equal(twice, once)


def test_coverage_table_headers(posts_file, result, codebook):
    table = coverage_over_time(posts_file.posts, result.tags, "year")
    readable = coverage_table(table, codebook)
    assert list(readable.columns) == [
        "Period",
        "Theme",
        "Posts",
        "With published dates",
        "With approximate dates",
        "All posts in period",
        "Share of period's posts",
    ]
    assert readable["Theme"].unique().tolist() == [*codebook.labels.values(), "No theme"]
    workforce_2021 = readable[(readable["Theme"] == "Workforce") & (readable["Period"] == "2021")]
    assert workforce_2021[["Posts", "All posts in period"]].to_numpy().tolist() == [[1, 1]]


def test_totals_and_cooccurrence_tables_use_theme_labels(codebook, theme_labels):
    from analysis.coverage import cooccurrence, theme_totals
    from analysis.tables import cooccurrence_table, totals_table

    tags = pd.DataFrame(False, index=["p", "q", "r", "s"], columns=codebook.ids)
    tags.loc["p", ["workforce", "living_wage"]] = True
    tags.loc["q", "workforce"] = True
    tags.loc["r", ["living_wage", "health_justice"]] = True  # s has no theme
    totals = totals_table(theme_totals(tags, codebook))
    assert dict(zip(totals["Theme"], totals["Posts"], strict=True)) == {
        "Workforce": 2,  # p, q
        "Living wage": 2,  # p, r
        "Racial equity": 0,
        "Health justice": 1,  # r
        "No theme": 1,  # s
    }
    assert list(totals["Theme"]) == [*theme_labels.values(), "No theme"]  # codebook order
    matrix = cooccurrence_table(cooccurrence(tags), codebook).set_index("Theme")
    assert list(matrix.columns) == list(theme_labels.values())
    assert matrix.loc["Workforce"].tolist() == [2, 1, 0, 0]  # with Living wage: p
    assert matrix.loc["Living wage"].tolist() == [1, 2, 0, 1]  # with Health justice: r
    assert matrix.loc["Health justice", "Health justice"] == 1


def test_terms_table_lists_terms_with_their_post_counts():
    from analysis.tables import terms_table

    table = terms_table(pd.Series([2, 1], index=["workforce", "apprentice*"], name="posts"))
    assert table.to_dict("list") == {
        "Codebook term": ["workforce", "apprentice*"],
        "Posts matched": [2, 1],
    }


def test_only_http_addresses_become_links(read_csv, tagger, codebook):
    posts = read_csv(
        "title,summary,url\n"
        "A,s,https://example.org/a\n"
        "B,s,javascript:alert(1)\n"
        "C,s,www.example.org/no-scheme\n"
        "D,s,\n"
    ).posts
    table = posts_table(posts, tagger.tag(posts).tags, codebook).set_index("Title")
    assert table.loc["A", "Link"] == "https://example.org/a"
    assert table[["Link"]].loc[["B", "C", "D"]].isna().all().all()


def test_totals_table_can_put_the_total_beside_every_share(result, codebook):
    from analysis.coverage import theme_totals
    from analysis.tables import totals_table

    table = totals_table(theme_totals(result.tags, codebook), total=len(result.tags))
    assert list(table.columns) == ["Theme", "Posts", "All posts in view", "Share of posts"]
    assert set(table["All posts in view"]) == {len(result.tags)}


def test_cooccurrence_pairs_table_names_each_pair_once(bundled):
    from analysis.coverage import cooccurrence, cooccurrence_pairs
    from analysis.tables import cooccurrence_pairs_table

    pairs = cooccurrence_pairs(cooccurrence(bundled.tags))
    table = cooccurrence_pairs_table(pairs, bundled.codebook)
    assert list(table.columns) == ["Themes", "Posts"]
    assert table.iloc[:4].to_dict("list") == {
        "Themes": [
            "Workforce",
            "Workforce and Living wage",
            "Workforce and Racial equity",
            "Workforce and Health justice",
        ],
        "Posts": [3, 0, 0, 0],
    }
    assert table.iloc[-1].tolist() == ["Health justice", 4]
    assert len(table) == 10


# --- agreement tables: n, the measure, the places and the small-sample column -----------------


def test_reviewer_agreement_table_names_the_measure_with_n_and_the_minimum():
    figures = pd.DataFrame(
        {
            "theme": ["workforce", "living_wage", "racial_equity"],
            "label": ["Workforce", "Living wage", "Racial equity"],
            "reviewers": [2, 3, 1],
            "n": [10, 40, 0],
            "measure": ["Cohen's kappa", "Krippendorff's alpha", ""],
            "value": [0.08 / 0.38, 2 / 3, float("nan")],
            "agreement": [0.7, 0.875, float("nan")],
            "small_sample": [True, False, True],
        }
    )
    table = reviewer_agreement_table(figures, 30)
    assert table.to_dict("list") == {
        "Theme": ["Workforce", "Living wage", "Racial equity"],
        "Reviewers": [2, 3, 1],
        "Posts coded by two or more (n)": [10, 40, 0],
        "Measure": ["Cohen's kappa", "Krippendorff's alpha", "—"],
        "Value": ["0.211", "0.667", "—"],
        "All agree": ["70%", "88%", "—"],
        "Small sample (n < 30)": ["Yes", "No", "—"],  # no figure, nothing to flag
    }


def test_machine_tables_show_kappa_to_the_same_places_with_n():
    consensus = pd.DataFrame(
        {"theme": ["workforce"], "label": ["Workforce"], "n": [7], "agree": [5],
         "kappa": [0.5], "small_sample": [True]}
    )  # fmt: skip
    assert machine_consensus_table(consensus, 30).to_dict("list") == {
        "Theme": ["Workforce"],
        "Posts with a consensus (n)": [7],
        "Agree with machine": [5],
        "Cohen's kappa": ["0.500"],
        "Small sample (n < 30)": ["Yes"],
    }
    decided = pd.DataFrame(
        {"theme": ["workforce", "living_wage"], "label": ["Workforce", "Living wage"],
         "decisions": [2, 0], "agree": [0, 0], "kappa": [-1.0, float("nan")]}
    )  # fmt: skip
    assert agreement_table(decided, 5).to_dict("list") == {
        "Theme": ["Workforce", "Living wage"],
        "Posts reviewed (n)": [2, 0],
        "Agree with machine": [0, 0],
        "Cohen's kappa": ["-1.000", "—"],
        "Small sample (n < 5)": ["Yes", "—"],
    }


def test_small_sample_note_states_the_minimum_and_the_themes():
    assert small_sample_note(["Workforce"], 30, "reviewed posts").startswith(
        "Small sample: Workforce rests on fewer than 30 reviewed posts, the minimum"
    )
    assert small_sample_note(["A", "B", "C"], 12, "posts").startswith(
        "Small sample: A, B and C rest on fewer than 12 posts"
    )
