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
    assert len(posts) >= 60
    assert posts["id"].is_unique
    # a label row for every post, and a post for every label row
    assert set(labels["id"]) == set(posts["id"])
    # the same columns as the bundled data, in the same order
    bundled = (Path(__file__).resolve().parents[2] / "data" / "posts.csv").read_text("utf-8")
    ours = (DATA / "posts.csv").read_text("utf-8")
    assert ours.splitlines()[0] == bundled.splitlines()[0]
    # every theme has positives and some posts carry none of the four themes
    themes = labels[codebook.ids]
    assert (themes.sum() >= 5).all()
    assert (~themes.any(axis=1)).sum() >= 10
    # dates are marked as the estimates they are
    assert set(posts["date_status"]) <= {"estimated", "inferred"}
    assert labels["note"].str.len().gt(0).all()
