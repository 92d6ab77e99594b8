"""The labelled benchmark posts in bench/data load through the project's own loaders."""

from __future__ import annotations

from pathlib import Path

from analysis.codebook import load_codebook
from analysis.loading import load_posts
from analysis.metrics import load_labels

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"


def test_bench_posts_and_labels_load_and_every_label_has_a_post():
    codebook = load_codebook()
    posts = load_posts(DATA / "posts.csv")
    labels = load_labels(DATA / "labels.csv", codebook)
    assert len(posts) >= 160
    assert posts["id"].is_unique
    # one summary per publication: no title or address written twice
    assert posts["title"].is_unique
    assert posts["url"].is_unique
    # a label row for every post, and a post for every label row
    assert set(labels["id"]) == set(posts["id"])
    # the same columns as the bundled data, in the same order
    bundled = (Path(__file__).resolve().parents[2] / "data" / "posts.csv").read_text("utf-8")
    ours = (DATA / "posts.csv").read_text("utf-8")
    assert ours.splitlines()[0] == bundled.splitlines()[0]
    # every theme has positives and some posts carry none of the four themes
    themes = labels[codebook.ids]
    # (at least 25 per theme, so a training split holds more than 15 of each, and 50 with none)
    assert themes.sum().to_dict() == {
        "workforce": 31,
        "living_wage": 25,
        "racial_equity": 27,
        "health_justice": 27,
    }
    assert (~themes.any(axis=1)).sum() == 58
    # the README says these counts
    readme = " ".join((DATA / "README.md").read_text("utf-8").split())
    assert f"{len(posts)} posts" in readme
    assert "workforce 31, living wage 25, racial equity 27, health justice 27" in readme
    assert "58 posts carry none of the four" in readme
    # dates are marked as the estimates they are
    assert set(posts["date_status"]) <= {"estimated", "inferred"}
    assert labels["note"].str.len().gt(0).all()
