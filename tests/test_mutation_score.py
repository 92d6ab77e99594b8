"""scripts/mutation_score.py: caught/total per module from mutmut's results, exit 1 under 90%."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts import mutation_score


def results(tmp_path: Path, **modules: dict[str, int | None]) -> Path:
    """A mutants/ folder as mutmut 3.8 leaves it, with these exit codes per mutant."""
    for module, codes in modules.items():
        meta = tmp_path / "analysis" / f"{module}.py.meta"
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps({"exit_code_by_key": codes, "durations_by_key": {}}))
    return tmp_path


def codes(killed: int = 0, survived: int = 0, **others: int) -> dict[str, int | None]:
    exit_codes = [1] * killed + [0] * survived
    exit_codes += [36] * others.get("timeout", 0) + [33] * others.get("no_tests", 0)
    exit_codes += [34] * others.get("skipped", 0) + [None] * others.get("unchecked", 0)
    return {f"m{n}": code for n, code in enumerate(exit_codes)}


def test_per_module_and_overall_scores(tmp_path, capsys):
    folder = results(
        tmp_path,
        selection=codes(killed=18, timeout=1, survived=1),  # 19/20
        filters=codes(killed=9, no_tests=1, skipped=3),  # 9/10: skipped left out
    )
    assert mutation_score.main(["--results", str(folder)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["filters", "9/10", "90.0%", "0", "1"]
    assert lines[2].split() == ["selection", "19/20", "95.0%", "1", "0"]
    assert lines[3].split() == ["overall", "28/30", "93.3%", "1", "1"]


def test_under_90_percent_fails_and_says_so(tmp_path, capsys):
    folder = results(tmp_path, selection=codes(killed=8, survived=1, no_tests=1), other=codes(1))
    # Only the modules named count: selection alone is 8/10.
    assert mutation_score.main(["--results", str(folder), "selection", "--list"]) == 1
    out, err = capsys.readouterr()
    assert "80.0%" in out and "overall" in out and "other" not in out
    assert "not caught: m8" in out and "not caught: m9" in out
    assert "80.0% is under 90%" in err


def test_an_unfinished_run_fails(tmp_path, capsys):
    folder = results(tmp_path, selection=codes(killed=10, unchecked=1))
    assert mutation_score.main(["--results", str(folder)]) == 1
    assert "1 mutants not yet checked" in capsys.readouterr().err


def test_a_module_without_results_is_an_error(tmp_path):
    folder = results(tmp_path, selection=codes(killed=1))
    with pytest.raises(SystemExit, match=r"No mutation results for analysis/dates\.py"):
        mutation_score.main(["--results", str(folder), "dates"])
