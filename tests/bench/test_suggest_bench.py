"""bench/suggest.py runs on a tiny input and its medians are those of the splits it prints."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

from analysis.codebook import load_codebook
from bench.suggest import main, names_only

NUMBER = r"(\d\.\d{3})"
DATA = Path(__file__).resolve().parents[2] / "data"


def test_names_only_codebook_holds_each_themes_name_and_nothing_else():
    start = names_only(load_codebook())
    assert [t.terms for t in start.themes] == [
        ("workforce",),
        ("living wage",),
        ("racial equity",),
        ("health justice",),
    ]
    assert all(t.exclude == () for t in start.themes)


def test_the_bench_runs_on_the_bundled_posts_and_reports_the_median_of_its_splits(capsys):
    assert (
        main(
            [
                "--posts",
                str(DATA / "posts.csv"),
                "--labels",
                str(DATA / "labels.csv"),
                "--splits",
                "3",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("18 labelled posts from data/posts.csv; 3 splits, 30% held out; ")
    splits = re.findall(
        rf"split \d: learned micro {NUMBER} macro {NUMBER} \| hand-written micro {NUMBER} "
        rf"macro {NUMBER}",
        out,
    )
    assert len(splits) == 3
    columns = [statistics.median(float(v) for v in column) for column in zip(*splits, strict=True)]
    lm, la, hm, ha = (f"{v:.3f}" for v in columns)
    assert (
        f"median: learned micro F1 {lm}, macro F1 {la}; hand-written micro F1 {hm}, "
        f"macro F1 {ha}; ratio micro " in out
    )
    assert "  learned workforce: workforce" in out


def test_made_up_posts_keep_the_labels_of_the_post_they_came_from():
    from analysis.loading import load_posts
    from analysis.metrics import load_labels
    from bench.suggest import made_up

    posts, labels = load_posts(DATA / "posts.csv"), load_labels(DATA / "labels.csv")
    many, many_labels = made_up(posts, labels, 40)
    assert len(many) == len(many_labels) == 40 and many["id"].is_unique
    by_title = dict(zip(posts["title"], posts["id"], strict=True))
    truth = labels.set_index("id")
    for (_, post), (_, label) in zip(many.iterrows(), many_labels.iterrows(), strict=True):
        source = truth.loc[by_title[post["title"]]]
        assert label["id"] == post["id"]
        assert [label[t] for t in ("workforce", "health_justice")] == [
            source["workforce"],
            source["health_justice"],
        ]


def test_learning_never_reads_a_held_out_post_or_its_label(monkeypatch, capsys):
    """Each split learns from its training posts alone: suggest() gets only them, and
    improved() only their labels."""
    from sklearn.model_selection import ShuffleSplit

    import bench.suggest as bench
    from analysis.loading import load_posts

    seen = []  # (what, ids) per call
    real_suggest, real_improved = bench.suggest, bench.improved

    def suggest(posts, labels, codebook, **kw):
        seen.append(("posts", set(posts["id"])))
        return real_suggest(posts, labels, codebook, **kw)

    def improved(codebook, found, labels=None):
        seen.append(("labels", None if labels is None else set(labels["id"])))
        return real_improved(codebook, found, labels)

    monkeypatch.setattr(bench, "suggest", suggest)
    monkeypatch.setattr(bench, "improved", improved)
    args = ["--posts", str(DATA / "posts.csv"), "--labels", str(DATA / "labels.csv")]
    assert main([*args, "--splits", "2", "--rounds", "1"]) == 0
    posts = load_posts(DATA / "posts.csv")
    splits = list(ShuffleSplit(n_splits=2, test_size=0.3, random_state=0).split(posts))
    assert [what for what, _ in seen] == ["posts", "labels", "posts", "labels"]
    for n, (train, _test) in enumerate(splits):
        training = set(posts["id"].iloc[train])
        assert seen[2 * n][1] == training
        assert seen[2 * n + 1][1] == training  # the labels of the training posts, no others
