"""Benchmark: ``python -m analysis tag`` at 10k, 100k and 1M posts against the floor.

The floor (bench/floor.py) reads the same CSV, scans each post's text once with the
codebook's single regular expression and writes every row back with its matches: the
least any tagger could do. It compiles the expression from its source, written to a file
before timing, so it imports only the standard library (``--floor-loads-codebook``: the
floor as first written, loading the codebook, which imports pandas: about half a second
of processor time more, which flattered the tagger at 10,000 posts). ``--arrow-floor``: the
floor reads and writes with pyarrow as the CLI does, scanning in Python: stricter, since
the csv module is slower than pyarrow at both. The posts are synthetic, made from the words of the bundled
posts (bench/tagging.py's ``make_corpus``), so the codebook's terms turn up at a
realistic rate.

Each size's runs are interleaved (CLI, floor, CLI, floor ...) so a drift in the machine's
speed hits both alike; each run is a new process, measured from outside for wall time,
CPU time (user + system) and peak memory (the largest resident set, from
``getrusage(RUSAGE_CHILDREN)`` of a process that ran only that command). Printed: the
medians, the median of the run-by-run ratios, each one's largest peak memory and the
load average before and after each size (the machine may be shared), then the same as a
Markdown table for the README.

Goals (issue 12): 1M posts tagged in under 1 GiB peak, within 1.3x the floor.

    python bench/cli.py [--sizes 10000,100000,1000000] [--repeat 5] [--repeat-large 5]
                        [--floor-loads-codebook] [--arrow-floor]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from tagging import make_corpus  # noqa: E402  (bench/tagging.py)

from analysis.codebook import load_codebook  # noqa: E402

# Runs one command and prints its wall time, CPU time and the peak memory of that one child.
MEASURE = r"""
import os, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""

#: Ratio and memory goals at the largest size.
GOAL_RATIO = 1.3
GOAL_PEAK_MIB = 1024


def measure(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak MiB of one run of ``command``."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]) / 1024  # ru_maxrss is KiB on Linux


def load() -> str:
    return "/".join(f"{n:.1f}" for n in os.getloadavg())


def bench_size(
    n_posts: int, repeat: int, folder: Path, pattern: Path | None, arrow: list[str]
) -> dict:
    corpus = folder / f"posts-{n_posts}.csv"
    size = make_corpus(corpus, n_posts)
    floor = [sys.executable, str(HERE / "floor.py"), str(corpus), str(folder / "f.csv")]
    commands = {
        "cli": [sys.executable, "-m", "analysis", "tag", str(corpus), "-o", str(folder / "t.csv")],
        "floor": floor + (["--pattern", str(pattern)] if pattern else []) + arrow,
    }
    load_before = load()
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            runs[name].append(measure(command))
    corpus.unlink()
    ratios = [c[0] / f[0] for c, f in zip(runs["cli"], runs["floor"], strict=True)]
    # CPU time is less moved than wall time by other work on a shared machine
    cpu_ratios = [c[1] / f[1] for c, f in zip(runs["cli"], runs["floor"], strict=True)]
    return {
        "posts": n_posts,
        "mib": size / 2**20,
        "runs": repeat,
        "wall": {name: statistics.median(r[0] for r in rs) for name, rs in runs.items()},
        "cpu": {name: statistics.median(r[1] for r in rs) for name, rs in runs.items()},
        "peak": {name: max(r[2] for r in rs) for name, rs in runs.items()},
        "spread": {
            name: (min(r[0] for r in rs), max(r[0] for r in rs)) for name, rs in runs.items()
        },
        "ratio": statistics.median(ratios),
        "cpu_ratio": statistics.median(cpu_ratios),
        "load": f"{load_before} -> {load()}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each below 1M posts")
    parser.add_argument(
        "--repeat-large", type=int, default=5, help="runs of each at 1M posts and more"
    )
    parser.add_argument(
        "--floor-loads-codebook",
        action="store_true",
        help="the floor loads the codebook itself (imports pandas), as first written",
    )
    parser.add_argument(
        "--arrow-floor",
        action="store_true",
        help="the floor reads and writes with pyarrow, as the CLI does (a stricter floor)",
    )
    args = parser.parse_args()
    arrow = ["--arrow"] if args.arrow_floor else []
    sizes = [int(size) for size in args.sizes.split(",")]

    print(
        f"{'posts':>9} {'file':>8} {'runs':>4} {'cli s':>7} {'floor s':>7} {'ratio':>5} "
        f"{'cli cpu':>7} {'floor cpu':>9} {'ratio':>5} {'cli peak':>9} {'floor peak':>10} "
        "load average (1/5/15 min) before -> after"
    )
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        pattern = None
        if not args.floor_loads_codebook:
            pattern = Path(tmp) / "pattern.txt"
            pattern.write_text(load_codebook().pattern().pattern, encoding="utf-8")
        for n_posts in sizes:
            repeat = args.repeat_large if n_posts >= 1_000_000 else args.repeat
            r = bench_size(n_posts, repeat, Path(tmp), pattern, arrow)
            results.append(r)
            print(
                f"{r['posts']:>9,} {r['mib']:>5.0f} MiB {r['runs']:>4} "
                f"{r['wall']['cli']:>7.2f} {r['wall']['floor']:>7.2f} {r['ratio']:>5.2f} "
                f"{r['cpu']['cli']:>7.2f} {r['cpu']['floor']:>9.2f} {r['cpu_ratio']:>5.2f} "
                f"{r['peak']['cli']:>5.0f} MiB {r['peak']['floor']:>6.0f} MiB {r['load']}",
                flush=True,
            )
    largest = results[-1]
    print(
        "medians of wall and CPU (user + system) seconds; each ratio = median of the run-by-run "
        "cli/floor ratios; peak = largest of the runs. "
        f"Goal at {largest['posts']:,} posts: wall ratio <= {GOAL_RATIO} "
        f"({'met' if largest['ratio'] <= GOAL_RATIO else 'NOT met'}: {largest['ratio']:.2f}; "
        f"CPU {largest['cpu_ratio']:.2f}), "
        f"peak < {GOAL_PEAK_MIB} MiB "
        f"({'met' if largest['peak']['cli'] < GOAL_PEAK_MIB else 'NOT met'}: "
        f"{largest['peak']['cli']:.0f} MiB)"
    )
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs; for the README:\n")
    print("| posts | CLI wall / CPU | floor wall / CPU | ratio wall (CPU) | CLI peak memory |")
    print("|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['posts']:,} | {seconds(r['wall']['cli'])} / {seconds(r['cpu']['cli'])} "
            f"| {seconds(r['wall']['floor'])} / {seconds(r['cpu']['floor'])} "
            f"| {r['ratio']:.2f} ({r['cpu_ratio']:.2f}) | {r['peak']['cli']:.0f} MiB |"
        )
    runs = ", ".join(str(r["runs"]) for r in results)
    loads = "; ".join(f"{r['posts']:,}: {r['load']}" for r in results)
    print(f"\nMedians of {runs} runs; load averages: {loads}")


def seconds(value: float) -> str:
    """Seconds as the README writes them: three significant figures."""
    return f"{value:.3g} s" if value < 100 else f"{value:.0f} s"


if __name__ == "__main__":
    main()
