"""Benchmark: attacker-sized posts files, against an ordinary file of as many posts.

Issue 8 found files that kept the engine busy for minutes: 50,000 rows with one
title (599 s to tag: ids were numbered from -2 up for every row), 10,000 columns,
and two far-apart dates (178,665 coverage rows, a 144 MB report). For each such
file this times, in one process and interleaved, medians of the CPU time of:

- the engine on the file: load, tag and check it (``open_corpus``), then build
  the coverage table at every granularity, as the dashboard does on an upload;
- the yardstick: the same on an ordinary file of as many posts (distinct titles,
  dates over six years), built in the same run.

CPU time, not wall time: this machine is shared, and the engine is one process.
It prints each median and their ratio. Target: every ratio at most 3, so no shape
of file costs much more than an ordinary one of its size; a file the loader
refuses (too many columns) is refused in a fraction of the time.

    python bench/hostile_files.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.codebook import load_codebook  # noqa: E402
from analysis.corpus import open_corpus  # noqa: E402
from analysis.coverage import GRANULARITIES, coverage_over_time  # noqa: E402
from analysis.post_checks import LoadError  # noqa: E402


def ordinary(posts: int) -> bytes:
    """As many posts as an ordinary file: distinct titles, dates over six years."""
    return b"title,summary,date\n" + b"".join(
        b"Title %d,Summary %d about apprentices,%d-%02d-01\n" % (n, n, 2020 + n % 6, 1 + n % 12)
        for n in range(posts)
    )


def hostile() -> dict[str, tuple[bytes, int]]:
    """Each hostile file, and how many posts its ordinary yardstick has."""
    same = b"title,summary,date\n" + b"Same title,Same living wage summary,2023-01-01\n" * 50_000
    wide_header = ",".join(["title", "summary", *(f"column {n}" for n in range(998))])
    wide = (wide_header + "\n" + ("x," * 999 + "x\n") * 1_000).encode()
    too_wide_header = ",".join(["title", "summary", *(f"column {n}" for n in range(9_998))])
    too_wide = (too_wide_header + "\n" + ("x," * 9_999 + "x\n") * 20).encode()
    far = b"title,summary,date\nHastings,workforce,1066-10-14\nEnd,living wage,9999-12-31\n"
    far += b"".join(b"Post %d,racism,2023-07-05\n" % n for n in range(1_000))
    return {
        "50,000 identical rows": (same, 50_000),
        "1,000 columns x 1,000 rows": (wide, 1_000),
        "10,000 columns (refused)": (too_wide, 20),
        "far-apart dates, 1,002 rows": (far, 1_002),
    }


def engine(data: bytes, codebook) -> None:
    try:
        corpus = open_corpus(io.BytesIO(data), codebook, name="bench.csv")
    except LoadError:
        return
    for granularity in GRANULARITIES:
        coverage_over_time(corpus.posts, corpus.tags, granularity)


def cpu_seconds(data: bytes, codebook) -> float:
    start = time.process_time()
    engine(data, codebook)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    codebook = load_codebook()
    engine(ordinary(10), codebook)  # warm up: imports and the codebook's pattern
    for name, (data, posts) in hostile().items():
        yardstick = ordinary(posts)
        times: dict[str, list[float]] = {"file": [], "ordinary": []}
        for _ in range(args.repeat):  # interleaved, so drift hits both alike
            times["file"].append(cpu_seconds(data, codebook))
            times["ordinary"].append(cpu_seconds(yardstick, codebook))
        ours, floor = (statistics.median(times[k]) for k in ("file", "ordinary"))
        print(
            f"{name:>28}: {len(data) / 2**20:4.1f} MiB, {ours:5.2f} s CPU; ordinary file of "
            f"{posts:,} posts {floor:5.2f} s; ratio {ours / floor:4.2f} (target <= 3)"
        )


if __name__ == "__main__":
    main()
