"""Benchmark: tagging a large corpus from the command line, against a floor.

Makes a synthetic corpus (default 100,000 posts of about 60 words, words drawn
from the bundled posts so the codebook's terms turn up at a realistic rate),
then, in the same run and interleaved, times:

- the CLI end to end: ``python -m analysis tag corpus.csv -o tagged.csv``;
- the floor: one Python process that reads the same CSV with the csv module,
  scans every title and summary once with the codebook's single compiled
  regular expression, and writes a CSV of the matches.

Prints the median of each, their ratio and each one's peak memory.
Target: ratio <= 2.5 at 100,000 posts, peak memory under 1 GB.

    python bench/tagging.py [--posts 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.loading import load_posts  # noqa: E402

FLOOR = r"""
import csv, sys
sys.path.insert(0, {root!r})
from analysis.codebook import load_codebook
pattern = load_codebook().pattern()
with open({src!r}, encoding="utf-8", newline="") as f_in, \
        open({dst!r}, "w", encoding="utf-8", newline="") as f_out:
    reader = csv.DictReader(f_in)
    writer = csv.writer(f_out)
    writer.writerow(["id", "matches"])
    for row in reader:
        found = pattern.findall(row["title"].lower()) + pattern.findall(row["summary"].lower())
        writer.writerow([row["id"], ";".join(found)])
"""

# Runs a command and prints its own wall time and the peak memory of its child.
MEASURE = r"""
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

FILLER = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "for",
    "on",
    "with",
    "as",
    "by",
    "local",
    "people",
    "health",
    "services",
    "community",
    "organisations",
    "partners",
    "support",
    "programme",
    "network",
    "staff",
    "trust",
    "board",
    "plan",
    "year",
    "report",
    "data",
    "work",
    "across",
    "region",
]


def make_corpus(path: Path, n_posts: int, seed: int = 2026) -> int:
    """Write ``n_posts`` synthetic posts; return the file's size in bytes."""
    bundled = load_posts()
    words = " ".join(bundled["title"] + " " + bundled["summary"]).split() + FILLER * 4
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "title", "summary", "published", "url"])
        for n in range(n_posts):
            year, month = 2020 + n % 6, 1 + n % 12
            writer.writerow(
                [
                    f"post-{n}",
                    " ".join(rng.choices(words, k=rng.randint(5, 12))),
                    " ".join(rng.choices(words, k=rng.randint(45, 75))),
                    f"{year}-{month:02d}-{1 + n % 28:02d}",
                    f"https://example.org/post-{n}",
                ]
            )
    return path.stat().st_size


def measure(command: list[str]) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024  # seconds, MiB (ru_maxrss is KiB on Linux)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--scaling",
        action="store_true",
        help="also time the CLI at a quarter and a half of --posts, to show the cost per post",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.csv"
        size = make_corpus(corpus, args.posts)
        print(f"corpus: {args.posts:,} posts, {size / 2**20:.1f} MiB")
        floor_script = FLOOR.format(
            root=str(ROOT), src=str(corpus), dst=str(Path(tmp) / "floor.csv")
        )
        commands = {
            "cli": [
                sys.executable,
                "-m",
                "analysis",
                "tag",
                str(corpus),
                "-o",
                str(Path(tmp) / "tagged.csv"),
            ],
            "floor": [sys.executable, "-c", floor_script],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        peaks: dict[str, float] = {name: 0.0 for name in commands}
        for _ in range(args.repeat):
            for name, command in commands.items():  # interleaved, so drift hits both alike
                seconds, peak = measure(command)
                times[name].append(seconds)
                peaks[name] = max(peaks[name], peak)
        cli, floor = statistics.median(times["cli"]), statistics.median(times["floor"])
        for name in commands:
            runs = ", ".join(f"{t:.2f}" for t in times[name])
            print(
                f"{name:>5}: median {statistics.median(times[name]):.2f} s "
                f"(runs {runs}), peak memory {peaks[name]:.0f} MiB"
            )
        print(
            f"ratio cli/floor: {cli / floor:.2f} (target <= 2.5); "
            f"cli peak memory {peaks['cli']:.0f} MiB (target < 1024)"
        )
        if args.scaling:
            print("scaling (CLI, one run each): time per extra post should stay flat")
            previous = None
            for n_posts in (args.posts // 4, args.posts // 2, args.posts):
                part = Path(tmp) / f"corpus-{n_posts}.csv"
                make_corpus(part, n_posts)
                seconds, _ = measure([*commands["cli"][:4], str(part), "-o", f"{part}.out"])
                line = f"  {n_posts:>9,} posts: {seconds:6.2f} s"
                if previous:
                    extra = (seconds - previous[1]) / (n_posts - previous[0]) * 1e6
                    line += f", {extra:5.1f} µs per extra post"
                print(line)
                previous = (n_posts, seconds)


if __name__ == "__main__":
    main()
