"""Benchmark: a codebook learned from labelled posts against the hand-written one.

Starts from a codebook whose themes hold only their own names as terms ("workforce",
"living wage", ...), learns from part of the labelled posts with
:func:`analysis.suggestions.suggest` and :func:`~analysis.suggestions.improved` (a few
rounds, each starting from the last one's codebook), and scores the posts it did not
learn from, beside the hand-written codebook on the same held-out posts. Prints micro and
macro F1 of both and their ratio (learned / hand-written) for each split, and the medians
over all splits; and the time each learning took.

The labelled posts are the bundled 18 (data/) and, when present, bench/data's (written for
this benchmark, kept apart from data/).

    python bench/suggest.py [--splits 7] [--test-size 0.3] [--rounds 3]
    python bench/suggest.py --posts my-posts.csv --labels my-labels.csv
    python bench/suggest.py --speed 3000   # also time suggest() on 3,000 made-up posts

With ``--speed N`` it also times one :func:`~analysis.suggestions.suggest` (the
hand-written codebook, 5 folds) on the bundled 18 posts, on all the labelled posts, and on
N posts made from them (each a labelled post's title, its summary's words shuffled, half
kept, plus ten words drawn from every summary; labelled as the post it came from).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from analysis.codebook import load_codebook, normalise_term  # noqa: E402
from analysis.loading import load_posts  # noqa: E402
from analysis.metrics import load_labels, quality_report  # noqa: E402
from analysis.suggestions import improved, suggest  # noqa: E402
from analysis.tagging import ThemeTagger  # noqa: E402

DEFAULT_DATA = [
    (ROOT / "data" / "posts.csv", ROOT / "data" / "labels.csv"),
    (ROOT / "bench" / "data" / "posts.csv", ROOT / "bench" / "data" / "labels.csv"),
]


def names_only(codebook):
    """``codebook`` with each theme's terms replaced by its own name, and no exclusions."""
    themes = tuple(
        replace(theme, terms=(normalise_term(theme.label),), exclude=())
        for theme in codebook.themes
    )
    return replace(codebook, themes=themes, version=codebook.version + "+names-only")


def learn(posts, labels, codebook, rounds: int, per_theme: int):
    """The codebook after up to ``rounds`` rounds of suggestions (fewer when one changes nothing)."""
    for _ in range(rounds):
        found = suggest(posts, labels, codebook, per_theme=per_theme)
        # labels: the posts learned from are the only labelled ones suggest() reads
        better = improved(codebook, found, labels[labels["id"].isin(posts["id"])])
        if better.themes == codebook.themes:
            break
        codebook = better
    return codebook


def made_up(posts, labels, n: int, seed: int = 0):
    """``n`` posts made from the labelled ones, and their labels (see the module docstring)."""
    rng = random.Random(seed)
    words = " ".join(posts["summary"].fillna("")).split()
    by_id = labels.set_index("id")
    rows, label_rows = [], []
    for i in range(n):
        post = posts.iloc[rng.randrange(len(posts))]
        own = str(post["summary"]).split()
        rng.shuffle(own)
        summary = " ".join(own[: len(own) // 2] + rng.sample(words, min(10, len(words))))
        rows.append({"id": f"made-{i}", "title": post["title"], "summary": summary, "text": ""})
        label_rows.append({"id": f"made-{i}", **by_id.loc[post["id"]].to_dict()})
    return pd.DataFrame(rows), pd.DataFrame(label_rows)


def timed(posts, labels, codebook, repeat: int = 3) -> str:
    """Median wall-clock and processor seconds of one suggest() call (processor time is
    what the call cost when other work shares the machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        suggest(posts, labels, codebook)
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return f"{statistics.median(wall):.2f} s ({statistics.median(cpu):.2f} s processor)"


def f1s(posts, labels, codebook) -> tuple[float, float]:
    result = ThemeTagger(codebook).fit().tag(posts)
    report = quality_report(posts, result.tags, result.evidence, labels, codebook)
    return report.micro["f1"], report.macro["f1"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", action="append", help="posts CSV (repeat with --labels)")
    parser.add_argument("--labels", action="append", help="labels CSV for the --posts before")
    parser.add_argument("--splits", type=int, default=7, help="train/test splits (default 7)")
    parser.add_argument("--test-size", type=float, default=0.3, help="share held out (0.3)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of learning (default 3)")
    parser.add_argument("--per-theme", type=int, default=10, help="suggestions per theme (10)")
    parser.add_argument("--speed", type=int, default=0, metavar="N", help="also time suggest()")
    args = parser.parse_args(argv)
    from sklearn.model_selection import ShuffleSplit

    if args.posts or args.labels:
        if len(args.posts or []) != len(args.labels or []):
            parser.error("give one --labels for each --posts")
        pairs = list(zip(map(Path, args.posts), map(Path, args.labels), strict=True))
    else:
        pairs = [(p, lab) for p, lab in DEFAULT_DATA if p.exists() and lab.exists()]
    hand = load_codebook()
    start = names_only(hand)
    posts = pd.concat([load_posts(p) for p, _ in pairs], ignore_index=True)
    labels = pd.concat([load_labels(lab, hand) for _, lab in pairs], ignore_index=True)
    posts = posts[posts["id"].isin(labels["id"])].drop_duplicates("id").reset_index(drop=True)
    print(
        f"{len(posts)} labelled posts from {', '.join(str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p, _ in pairs)}; "
        f"{args.splits} splits, {args.test_size:.0%} held out; "
        f"start: {', '.join(t.terms[0] for t in start.themes)}"
    )
    rows = []
    splitter = ShuffleSplit(n_splits=args.splits, test_size=args.test_size, random_state=0)
    for n, (train, test) in enumerate(splitter.split(posts)):
        learn_posts, test_posts = posts.iloc[train], posts.iloc[test].reset_index(drop=True)
        began = time.perf_counter()
        learned = learn(learn_posts, labels, start, args.rounds, args.per_theme)
        seconds = time.perf_counter() - began
        lm, la = f1s(test_posts, labels, learned)
        hm, ha = f1s(test_posts, labels, hand)
        rows.append((lm, la, hm, ha, seconds))
        print(
            f"split {n + 1}: learned micro {lm:.3f} macro {la:.3f} | hand-written micro {hm:.3f} "
            f"macro {ha:.3f} | learning {seconds:.2f} s on {len(train)} posts"
        )
        if n == 0:
            for theme in learned.themes:
                extra = f"; exclude {', '.join(theme.exclude)}" if theme.exclude else ""
                context = getattr(theme, "context_terms", ())
                extra += f"; context {', '.join(context)}" if context else ""
                print(f"  learned {theme.id}: {', '.join(theme.terms)}{extra}")
    median = [statistics.median(column) for column in zip(*rows, strict=True)]
    lm, la, hm, ha, seconds = median
    print(
        f"median: learned micro F1 {lm:.3f}, macro F1 {la:.3f}; hand-written micro F1 {hm:.3f}, "
        f"macro F1 {ha:.3f}; ratio micro {_ratio(lm, hm)}, macro {_ratio(la, ha)}; "
        f"learning {seconds:.2f} s"
    )
    if args.speed:
        bundled = posts[posts["id"].isin(load_labels(DEFAULT_DATA[0][1], hand)["id"])]
        many_posts, many_labels = made_up(posts, labels, args.speed)
        print(
            f"suggest() with the hand-written codebook (median of 3): "
            f"{timed(bundled, labels, hand)} on {len(bundled)} posts, "
            f"{timed(posts, labels, hand)} on {len(posts)}, "
            f"{timed(many_posts, many_labels, hand, 1)} on {len(many_posts):,} made-up posts"
        )
    return 0


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


if __name__ == "__main__":
    sys.exit(main())
