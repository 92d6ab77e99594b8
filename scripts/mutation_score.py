"""Mutation score from mutmut's results: caught/total per module and overall; exit 1 under 90%.

Reads the results `mutmut run` (``make mutants``) leaves in mutants/analysis/*.py.meta.

    python scripts/mutation_score.py                  # every module mutmut has results for
    python scripts/mutation_score.py selection dates  # only these modules of analysis/

A mutant is *caught* when a test failed (killed), the tests ran past their time limit with it
(timeout), or the process crashed (segfault). Survivors and mutants no test reaches ("no tests")
count against the score. Mutants not yet checked (an interrupted run) make the score unknown:
they are listed and the script fails. Skipped mutants are left out of the total.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

THRESHOLD = 90.0
PACKAGE = "analysis"

# mutmut 3.8's exit codes per mutant (mutmut/stats.py, status_by_exit_code); anything else is
# "suspicious", which counts as not caught.
CAUGHT = {1, 3, 24, -24, 152, 255, 36, -11, -9, 37}  # killed, timeout, segfault, type check
SURVIVED = {0}
NO_TESTS = {5, 33}
SKIPPED = {34}
NOT_CHECKED = {None}


@dataclass
class Tally:
    caught: int = 0
    survived: list[str] = field(default_factory=list)
    no_tests: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # suspicious, interrupted, …
    not_checked: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        missed = len(self.survived) + len(self.no_tests) + len(self.other)
        return self.caught + missed + len(self.not_checked)

    @property
    def score(self) -> float:
        return 100.0 * self.caught / self.total if self.total else 100.0

    def add(self, name: str, code: int | None) -> None:
        if code in CAUGHT:
            self.caught += 1
        elif code in SURVIVED:
            self.survived.append(name)
        elif code in NO_TESTS:
            self.no_tests.append(name)
        elif code in NOT_CHECKED:
            self.not_checked.append(name)
        elif code not in SKIPPED:
            self.other.append(name)

    def merge(self, other: Tally) -> None:
        self.caught += other.caught
        self.survived += other.survived
        self.no_tests += other.no_tests
        self.other += other.other
        self.not_checked += other.not_checked


def tally(results: Path, modules: list[str]) -> dict[str, Tally]:
    """Each module's tally from mutants/analysis/<module>.py.meta (a missing file: no results)."""
    if modules:
        metas = {m: results / PACKAGE / f"{m.replace('.', '/')}.py.meta" for m in modules}
    else:
        metas = {
            str(p.relative_to(results / PACKAGE))[: -len(".py.meta")].replace("/", "."): p
            for p in sorted((results / PACKAGE).rglob("*.py.meta"))
        }
    tallies = {}
    for module, meta in metas.items():
        if not meta.is_file():
            raise SystemExit(f"No mutation results for analysis/{module}.py: run `make mutants`.")
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        tallies[module] = Tally()
        for name, code in sorted(codes.items()):
            tallies[module].add(name, code)
    return {m: t for m, t in tallies.items() if t.total}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "modules", nargs="*", help="modules of analysis/ (default: all with results)"
    )
    parser.add_argument("--results", type=Path, default=Path("mutants"), help="mutmut's folder")
    parser.add_argument("--list", action="store_true", help="name every mutant not caught")
    args = parser.parse_args(argv)

    tallies = tally(args.results, args.modules)
    if not tallies:
        print("No mutants found: run `make mutants`.", file=sys.stderr)
        return 1
    overall = Tally()
    width = max(len(m) for m in tallies)
    print(f"{'module':<{width}}  caught/total  score  survived  no tests")
    for module, t in tallies.items():
        overall.merge(t)
        print(
            f"{module:<{width}}  {t.caught:>6}/{t.total:<5}  {t.score:5.1f}%"
            f"  {len(t.survived):>8}  {len(t.no_tests):>8}"
        )
    print(
        f"{'overall':<{width}}  {overall.caught:>6}/{overall.total:<5}  {overall.score:5.1f}%"
        f"  {len(overall.survived):>8}  {len(overall.no_tests):>8}"
    )
    if args.list:
        for name in overall.survived + overall.no_tests + overall.other:
            print(f"  not caught: {name}")
    if overall.not_checked:
        print(
            f"{len(overall.not_checked)} mutants not yet checked (an interrupted run?): "
            "the score is incomplete.",
            file=sys.stderr,
        )
        return 1
    if overall.score < THRESHOLD:
        print(f"Mutation score {overall.score:.1f}% is under {THRESHOLD:.0f}%.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
