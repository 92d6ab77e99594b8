"""bench/workshop_load.py's arithmetic and /proc reading, without a server or a browser."""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import time

import plotly.graph_objects as go
import pytest

from bench.workshop_load import (
    percentile,
    process_tree,
    profile_markers,
    profile_summary,
    ratio,
    trace_names,
    tree_usage,
)


def test_percentile_interpolates_between_closest_ranks():
    assert percentile([4, 1, 3, 2], 50) == 2.5
    assert percentile(list(range(1, 21)), 95) == pytest.approx(19.05)
    assert percentile([7.0], 95) == 7.0
    assert percentile([1, 2, 3], 0) == 1 and percentile([1, 2, 3], 100) == 3


@pytest.mark.parametrize("values", [[3.1, 0.4, 9.9, 2.2, 5.0, 5.0, 1.7], list(range(30))])
def test_percentile_agrees_with_the_standard_library(values):
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    assert percentile(values, 50) == pytest.approx(statistics.median(values))
    assert percentile(values, 95) == pytest.approx(cuts[94])


def test_percentile_of_nothing_is_nan_and_out_of_range_is_refused():
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile([1.0], 101)


def test_ratio_is_nan_when_there_is_nothing_to_compare():
    assert ratio(3.0, 1.5) == 2.0
    assert math.isnan(ratio(1.0, 0.0))
    assert math.isnan(ratio(float("nan"), 1.0))
    assert math.isnan(ratio(1.0, float("nan")))


def test_process_tree_and_usage_include_a_child_process():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        deadline = time.monotonic() + 10
        while child.pid not in process_tree(os.getpid()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert child.pid in process_tree(os.getpid())
        own_rss, _ = tree_usage(child.pid)
        tree_rss, cpu = tree_usage(os.getpid())
        assert 0 < own_rss < tree_rss  # the tree's RSS counts the child on top of this process
        assert cpu > 0
    finally:
        child.kill()
        child.wait()


def test_profile_summaries_count_samples_per_stack(tmp_path):
    stacks = tmp_path / "dashboard-1.txt"
    stacks.write_text(
        "Thread.run (threading.py:982);ScriptRunner._run_script (streamlit/s.py:961);"
        "<module> (dashboard.py:54);render (overview.py:140);"
        "coverage_over_time (analysis/coverage.py:105) 30\n"
        "Thread.run (threading.py:982);ScriptRunner._run_script (streamlit/s.py:961);"
        "<module> (dashboard.py:54);render (overview.py:90);style (analysis/figures.py:30);"
        "style (analysis/figures.py:44) 10\n"
        "run (asyncio/runners.py:190);"
        "LocalSourcesWatcher.update_watched_modules (streamlit/watcher/l.py:12) 60\n"
    )
    summary = dict(profile_summary([stacks]))
    assert summary["<module> (dashboard.py)"] == 0.4
    assert summary["render (overview.py)"] == 0.4  # two lines of one function, counted once
    assert summary["coverage_over_time (analysis/coverage.py)"] == 0.3
    assert summary["style (analysis/figures.py)"] == 0.1  # twice on one stack: one sample
    assert "run (asyncio/runners.py)" not in summary  # not this project's code
    markers = profile_markers([stacks])
    assert markers["running the app's script"] == 0.4
    assert markers["Streamlit's file watcher scanning sys.modules"] == 0.6


def test_trace_names_are_what_the_legend_lists():
    figure = go.Figure([go.Bar(x=[1], y=[2], name="Workforce"), go.Bar(x=[1], y=[1])])
    figure.add_bar(x=[1], y=[3], name="Workforce (approximate dates)")
    assert trace_names(figure.to_json()) == ["Workforce", "", "Workforce (approximate dates)"]
