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
