"""The command line's ``tag`` a chunk at a time: the same bytes as tagging the whole file at
once, errors that name the right row in any chunk, and only what tagging needs imported.

The chunks are made small (a few kilobytes) by :func:`analysis.cli.run_tag`'s ``block_size``,
so a file of a few hundred posts is read in dozens of them.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.chunks import iter_posts
from analysis.cli import main, run_tag
from analysis.codebook import BUNDLED_CODEBOOK, load_codebook
from analysis.csvwriter import write_csv, write_csv_parts
from analysis.loading import BUNDLED_POSTS, read_posts
from analysis.tables import tagged_output
from analysis.tagging import ThemeTagger
from tests.analysis.test_chunks import BLOCK, awkward_posts, write_posts

ROOT = Path(__file__).resolve().parents[2]


def one_shot(path: Path, codebook_path: Path = BUNDLED_CODEBOOK) -> bytes:
    """Today's ``tag`` before streaming: the whole file read, tagged and written at once, by
    the dashboard's tagger (:class:`ThemeTagger`, scikit-learn and scipy)."""
    codebook = load_codebook(codebook_path)
    posts_file = read_posts(path)
    result = ThemeTagger(codebook).fit().tag(posts_file.posts)
    buffer = io.BytesIO()
    write_csv(tagged_output(posts_file.raw, result, codebook), buffer)
    return buffer.getvalue()


def streamed(
    path: Path, tmp_path: Path, block_size: int = BLOCK, codebook: Path = BUNDLED_CODEBOOK
) -> bytes:
    output = tmp_path / "streamed.csv"
    args = argparse.Namespace(codebook=str(codebook), input=str(path), output=str(output))
    run_tag(args, block_size=block_size)
    return output.read_bytes()


# --- the same bytes -------------------------------------------------------------------------------


def test_streaming_writes_the_same_bytes_as_tagging_at_once(tmp_path):
    path = write_posts(tmp_path / "posts.csv", awkward_posts(400))
    chunks = list(iter_posts(path, block_size=BLOCK))
    assert len(chunks) >= 20  # really read in chunks
    assert max(len(chunk.raw) for chunk in chunks) < 50

    expected = one_shot(path)
    assert streamed(path, tmp_path) == expected
    assert expected.count(b"\r\n") > 400  # every post written, line breaks in cells besides
    # the neutralised formula and the kept plain number are in both
    assert b"\"'=HYPERLINK(" in expected and b'"-5"' in expected


#: Context terms, and weights whose sums are not exact in binary (0.1 + 1 + 0.7 is not 0.7 + 1 + 0.1), so a
#: score added up in another order than the dashboard's tagger would show in the last digit.
CONTEXT_CODEBOOK = """
[tagging]
title_weight = 0.1
min_score = 1.0
text_weight = 0.7

[[themes]]
id = "anchors"
label = "Anchors"
colour = "#CC79A7"
definition = "Anchor institutions."
terms = ["anchor*", "living wage", "workforce"]
context_terms = ["community", "local", "staff"]
exclude = ["local authority"]

[[themes]]
id = "health"
label = "Health"
colour = "#0072B2"
definition = "Health."
terms = ["health", "nhs", "community"]
context_terms = ["anchor*"]
"""


def test_the_command_line_tags_as_the_dashboards_tagger_with_context_terms_and_odd_weights(
    tmp_path,
):
    codebook = tmp_path / "context.toml"
    codebook.write_text(CONTEXT_CODEBOOK, encoding="utf-8")
    rows = awkward_posts(300)
    for n, row in enumerate(rows):  # a text column too, so all three fields are scored
        row.append(["", "Staff of the anchor", "community health", "NHS local"][n % 4])
    header = ["id", "title", "summary", "published", "phone", "other", "text"]
    path = write_posts(tmp_path / "posts.csv", rows, header=header)

    expected = one_shot(path, codebook)
    assert streamed(path, tmp_path, codebook=codebook) == expected
    out = pd.read_csv(io.BytesIO(expected), dtype=str, keep_default_na=False)
    # the case is really exercised: context terms counted and not, fractional scores
    assert out["evidence_anchors"].str.contains("counts alongside").any()
    assert out["evidence_health"].str.contains("not counted without").any()
    assert (~out["score_anchors"].isin(["0.0", "1.0", "2.0", "3.0"])).sum() > 50


def test_scores_are_the_sparse_products_the_tagger_made_before_to_the_last_digit(tmp_path):
    """The scan's counts give every score; before, a sparse product of each field's hits
    with the phrase-by-theme matrix did, added up title, summary, text. Same bits."""
    codebook_path = tmp_path / "context.toml"
    codebook_path.write_text(CONTEXT_CODEBOOK, encoding="utf-8")
    codebook = load_codebook(codebook_path)
    rows = awkward_posts(300)
    posts = pd.DataFrame(
        {
            "title": [row[1] for row in rows],
            "summary": [row[2] for row in rows],
            "text": [
                ["", "Staff of the anchor", "community", "NHS local"][n % 4] for n in range(300)
            ],
        }
    )
    tagger = ThemeTagger(codebook).fit()
    result = tagger.tag(posts)
    weights = codebook.field_weights
    own = sum(weights[f] * (hits @ tagger.weights_) for f, hits in result.hits.items())
    context = sum(weights[f] * (hits @ tagger.context_weights_) for f, hits in result.hits.items())
    anchored = np.asarray((sum(result.hits.values()) @ tagger.weights_).todense()) > 0
    before = np.asarray(own.todense()) + np.asarray(context.todense()) * anchored

    assert np.array_equal(result.scores.to_numpy(), before)
    assert np.array_equal(tagger.transform(posts), before)
    assert len(np.unique(before)) > 6  # fractional sums, where an order would show


def test_a_header_with_repeated_and_empty_names_is_named_as_read_posts_names_it(tmp_path):
    path = write_posts(
        tmp_path / "posts.csv",
        [["a", "b", "c", "d", "e"]] * 200,
        header=["title", "summary", "", "summary", " title"],
    )
    assert streamed(path, tmp_path) == one_shot(path)
    (first, *_) = iter_posts(path, block_size=BLOCK)
    assert list(first.raw.columns) == list(read_posts(path).raw.columns)


@pytest.mark.parametrize(
    "change",
    ["cp1252", "blank line", "cell longer than a block", "bom"],
)
def test_files_the_chunked_reader_cannot_take_are_read_whole_with_the_same_output(tmp_path, change):
    rows = awkward_posts(200)
    if change == "cell longer than a block":
        rows[150][2] = "workforce apprentices " * 1000  # 22 kB: more than one block
    path = write_posts(tmp_path / "posts.csv", rows)
    data = path.read_bytes()
    if change == "cp1252":
        data = data.replace("café".encode(), "café".encode("cp1252"))
    elif change == "blank line":
        data = data.replace(b"\r\n", b"\r\n\r\n", 3)
    elif change == "bom":
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)

    assert streamed(path, tmp_path) == one_shot(path)


def test_write_csv_parts_is_write_csv_of_the_tables_end_to_end():
    table = pd.DataFrame({"a": ["=x", "-5", "ü"] * 5, "b": [1.0, 2.5, 3.0] * 5})
    parts = [table.iloc[:4], table.iloc[4:4], table.iloc[4:11], table.iloc[11:]]
    whole, pieces = io.BytesIO(), io.BytesIO()
    write_csv(table, whole, bom=True)
    write_csv_parts(parts, pieces, bom=True)
    assert pieces.getvalue() == whole.getvalue()


# --- errors in any chunk name the right row --------------------------------------------------------


def test_a_late_error_leaves_the_output_file_untouched(tmp_path, capsys):
    rows = awkward_posts(400)
    rows[390][0] = "id-5"
    path = write_posts(tmp_path / "posts.csv", rows)
    output = tmp_path / "out.csv"
    output.write_text("previous\n", encoding="utf-8")

    assert main(["tag", str(path), "-o", str(output)]) == 2

    (line,) = capsys.readouterr().err.splitlines()
    assert "rows 7, 392" in line
    assert output.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "posts.csv"]


# --- imports ------------------------------------------------------------------------------------

HEAVY = ("sqlalchemy", "openpyxl", "plotly", "streamlit", "kaleido", "trafilatura")


def imported_by(code: str) -> set[str]:
    run = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return {name.split(".")[0] for name in run.stdout.split()}


@pytest.mark.subprocess
@pytest.mark.parametrize("module", ["analysis.cli", "analysis.cli_view"])
def test_the_command_line_imports_no_database_spreadsheet_or_chart_library(module):
    loaded = imported_by(f"import {module}")
    assert "pandas" in loaded  # the check sees what is imported
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
    assert "sklearn" not in loaded and "scipy" not in loaded


@pytest.mark.subprocess
def test_tag_imports_only_what_tagging_needs(tmp_path):
    code = (
        "from analysis.cli import main\n"
        f"main(['tag', {str(BUNDLED_POSTS)!r}, '-o', {str(tmp_path / 'out.csv')!r}])"
    )
    loaded = imported_by(code)
    assert (tmp_path / "out.csv").stat().st_size > 0
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
    # tagging is analysis.matching's scan, numpy only: about a second less before the first row
    assert "numpy" in loaded and "pyarrow" in loaded  # the check sees what is imported
    assert "sklearn" not in loaded and "scipy" not in loaded, sorted(loaded & {"sklearn", "scipy"})


# --- past one machine: the same tagging under Dask -------------------------------------------------


def test_tag_batch_is_what_the_command_line_writes(tmp_path):
    from analysis.batch import tag_batch

    path = write_posts(tmp_path / "posts.csv", awkward_posts(120))
    raw = read_posts(path).raw
    parts = [tag_batch(raw.iloc[start : start + 25]) for start in range(0, 120, 25)]
    buffer = io.BytesIO()
    write_csv_parts(parts, buffer)
    assert buffer.getvalue() == one_shot(path)
    assert [len(part) for part in parts] == [25, 25, 25, 25, 20]


def test_tagging_under_dask_map_partitions_matches_one_process(tmp_path):
    dask = pytest.importorskip("dask")
    dd = pytest.importorskip("dask.dataframe")
    from analysis.batch import tag_batch

    path = write_posts(tmp_path / "posts.csv", awkward_posts(300))
    raw = read_posts(path).raw
    codebook = load_codebook()
    posts = dd.from_pandas(raw, npartitions=6)
    meta = tag_batch(raw.head(1), codebook).iloc[:0]
    tagged = posts.map_partitions(tag_batch, codebook, meta=meta)
    # a local cluster of two worker processes: the codebook and the function go by pickle
    with dask.config.set(scheduler="processes", num_workers=2):
        result = tagged.compute()

    assert tagged.npartitions == 6
    buffer = io.BytesIO()
    write_csv(result, buffer)
    assert buffer.getvalue() == one_shot(path)
