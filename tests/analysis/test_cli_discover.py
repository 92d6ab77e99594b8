"""``python -m analysis discover``: the groups printed, their sizes, terms and example titles,
and an honest line when there are none. Run in this process through :func:`analysis.cli.main`."""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from analysis.cli import main
from analysis.codebook import load_codebook
from analysis.discovery import discover
from analysis.loading import BUNDLED_POSTS, load_posts
from analysis.tagging import ThemeTagger
from tests.analysis.test_discovery import TOPICS, planted


@pytest.fixture(scope="module")
def planted_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("discover") / "planted.csv"
    planted()[["id", "title", "summary"]].to_csv(path, index=False)
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    status = main(["discover", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def test_prints_each_group_with_its_size_terms_theme_and_example_titles(capsys, planted_csv):
    status, out, err = run(capsys, planted_csv)
    assert status == 0 and err == ""
    groups = discover(load_posts(planted_csv))
    expected = ["3 groups among all 42 posts (at least 3 posts each):"]
    for number, group in enumerate(groups, start=1):
        expected += [
            "",
            f"{number}. {group.label}: 10 posts",
            f"   top terms: {', '.join(group.terms)}",
            f"   as a theme: {', '.join(group.theme_terms)} (found in 10 of its 10 posts)",
            *(f"   e.g. {title}" for title in group.examples),
        ]
    assert out.splitlines() == expected
    # the planted topics' words name the groups
    labels = re.findall(r"^\d\. (.*): 10 posts$", out, re.M)
    assert len(labels) == 3
    assert {label.split(",")[0].lower() for label in labels} <= {
        word for words in TOPICS.values() for word in words
    }


def test_groups_and_min_size_options(capsys, planted_csv):
    status, out, _ = run(capsys, planted_csv, "--groups", "2")
    assert status == 0
    assert out.startswith("2 groups among all 42 posts")
    assert len(re.findall(r"^\d\. ", out, re.M)) == 2
    status, out, _ = run(capsys, planted_csv, "--min-size", "11")
    assert status == 0
    assert out == (
        "No groups among all 42 posts. No group of at least 11 posts among the 42 posts "
        "searched shares vocabulary the others do not use.\n"
    )


def test_untagged_bundled_posts_say_why_there_is_no_group(capsys):
    status, out, err = run(capsys, BUNDLED_POSTS, "--untagged")
    assert status == 0 and err == ""
    assert out == (
        "No groups among the 9 posts with no theme, of 18. Only 9 posts to search: discovery "
        "needs at least 10 to tell vocabulary a group shares from chance.\n"
    )


def test_untagged_searches_only_posts_without_a_theme(capsys, planted_csv, tmp_path):
    # a planted topic's posts given a theme by the codebook drop out of the search
    with planted_csv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["id"].startswith("procurement-"):
            row["summary"] += " Apprentices wanted."
    path = tmp_path / "some-tagged.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    status, out, _ = run(capsys, path, "--untagged")
    assert status == 0
    posts = load_posts(path)
    untagged = ~ThemeTagger(load_codebook()).fit().tag(posts).tags.any(axis=1)
    assert re.match(rf"\d groups? among the {untagged.sum()} posts with no theme, of 42 ", out)
    shown = re.findall(r"^   e\.g\. (.*)$", out, re.M)
    assert shown and set(shown) <= set(posts.loc[untagged, "title"])
    assert not {title.split()[0].lower() for title in shown} & set(TOPICS["procurement"])


def test_titles_from_the_file_cannot_send_escape_codes_to_the_terminal(capsys, tmp_path):
    posts = planted()
    posts["title"] = "\x1b[31mRed\x1b[0m " + posts["title"]
    path = tmp_path / "hostile.csv"
    posts.to_csv(path, index=False)
    status, out, _ = run(capsys, path)
    assert status == 0
    assert "\x1b" not in out
    assert "   e.g. \\x1b[31mRed\\x1b[0m " in out


def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path):
    path = tmp_path / "no-title.csv"
    path.write_text("caption,summary\na,b\n", encoding="utf-8")
    status, out, err = run(capsys, path)
    assert status == 2 and out == ""
    assert err.startswith("python -m analysis: error: ") and err.count("\n") == 1
    with pytest.raises(SystemExit) as exit_:
        main(["discover", str(path), "--groups", "0"])
    assert exit_.value.code == 2
    assert "must be 1 or more" in capsys.readouterr().err


def test_counts_in_what_discover_prints_separate_thousands(capsys, tmp_path):
    base = planted()
    many = pd.concat(  # 120 copies of the planted posts: groups of more than 1,000
        [base.assign(id=base["id"] + f"-{k}") for k in range(120)], ignore_index=True
    )
    path = tmp_path / "many.csv"
    many[["id", "title", "summary"]].to_csv(path, index=False)
    status, out, _ = run(capsys, path)
    assert status == 0
    assert out.startswith("4 groups among all 5,040 posts (at least 3 posts each):")
    sizes = re.findall(r"^\d\. .*: ([\d,]+) posts$", out, re.M)
    found = re.findall(r"\(found in ([\d,]+) of its ([\d,]+) posts", out)
    assert sizes[0] == "1,440" and found[0] == ("1,440", "1,440")
