"""Uploads in the sidebar (AppTest): Streamlit's upload size, set on purpose, and what every
uploader is told; a bad upload is one line naming the file, and the bundled file stays."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest

from app_pages.data_sources import DATA_OPEN
from tests.app_pages.conftest import ok, uploader
from tests.markdown_oracle import as_read

ROOT = Path(__file__).resolve().parents[2]


def test_uploads_are_limited_to_200_mb_which_holds_the_promised_corpus(tmp_path):
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == 200
    # The corpus we promise: 100,000 posts of about 60 words (made as the benchmark makes it).
    spec = importlib.util.spec_from_file_location("bench_tagging", ROOT / "bench" / "tagging.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    size = bench.make_corpus(tmp_path / "sample.csv", 2_000) * 50
    assert 30e6 < size < 200 * 1024 * 1024 / 2  # at least twice the room it needs


def test_every_uploader_tells_the_browser_the_limit(app):
    at = app()
    assert not at.exception
    uploader(at, "upload")  # drawn once "Data and codebook" is opened
    uploaders = [*at.sidebar.file_uploader]
    assert [u.proto.max_upload_size_mb for u in uploaders] == [200, 200]
    at.switch_page("app_pages/tagging_quality.py").run()
    assert at.file_uploader(key="labels_upload").proto.max_upload_size_mb == 200


def test_the_uploaders_are_drawn_once_opened_and_keep_their_file_once_closed(app):
    at = app()
    # Closed and empty, "Data and codebook" draws no uploader: the first chart comes sooner.
    assert not at.sidebar.file_uploader
    posts = b"title,summary,published\nA,Workforce planning,2024-01-15\nB,Porters,2024-02-15\n"
    uploader(at, "upload").set_value(("mine.csv", posts, "text/csv"))
    ok(at.run())
    assert [m.value for m in at.metric if m.label == "Posts"] == ["2"]
    # Closed again, the uploaders stay drawn while one holds a file, so the file stays in use
    # (an uploader left out of a run would drop it).
    at.session_state[DATA_OPEN] = False
    ok(at.run())
    assert [u.key for u in at.sidebar.file_uploader] == ["codebook_upload", "upload"]
    assert [m.value for m in at.metric if m.label == "Posts"] == ["2"]
    ok(at.run())
    assert [m.value for m in at.metric if m.label == "Posts"] == ["2"]


def test_an_upload_the_loader_refuses_is_one_line_naming_it_and_the_bundled_posts_stay(app):
    at = app()
    uploader(at, "upload").set_value(("scores.csv", b"a,b\n1,2\n", "text/csv"))
    at.run()
    assert not at.exception
    (message,) = (as_read(e.value) for e in at.sidebar.error)
    assert message.startswith("scores.csv: has no title column")
    assert message.endswith(". Showing the bundled HALN posts instead.")
    assert "\n" not in message
    at.switch_page("app_pages/explore.py").run()
    assert len(at.dataframe[0].value) == 18


def test_a_codebook_whose_themes_the_bundled_labels_lack_leaves_quality_without_labels(app):
    codebook = (
        (ROOT / "data" / "codebook.toml").read_text().replace('id = "workforce"', 'id = "jobs"')
    )
    at = app()
    uploader(at, "codebook_upload").set_value(("jobs.toml", codebook.encode(), "application/toml"))
    at.run()
    at.switch_page("app_pages/tagging_quality.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert [m.label for m in at.metric] == []
    assert any("Upload a labels file" in i.value for i in at.info)


def test_an_uploaded_posts_file_is_held_to_the_upload_limits_not_the_command_lines(app):
    rows = "".join(f"Post {i},Living wage\n" for i in range(100_001))
    at = app()
    uploader(at, "upload").set_value(("big.csv", f"title,summary\n{rows}".encode(), "text/csv"))
    at.run()
    assert not at.exception
    (message,) = (as_read(e.value) for e in at.sidebar.error)
    assert message == (
        "big.csv: has more than the limit of 100,000 posts. Showing the bundled HALN posts instead."
    )


def test_an_uploaded_labels_file_is_held_to_the_upload_limits(app):
    rows = "".join(f"p{i},0,0,0,0\n" for i in range(100_001))
    data = f"id,workforce,living_wage,racial_equity,health_justice\n{rows}".encode()
    at = app()
    at.switch_page("app_pages/tagging_quality.py").run()
    at.file_uploader(key="labels_upload").set_value(("many.csv", data, "text/csv"))
    at.run()
    assert not at.exception
    assert [as_read(e.value) for e in at.error] == [
        "many.csv: has more than the limit of 100,000 labels"
    ]


THEME = (
    b'[[themes]]\nid = "alpha"\nlabel = "Alpha"\ncolour = "#112233"\n'
    b'definition = "About alpha."\nterms = ["alpha"]\n'
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"tagging = 3\n" + THEME, "bad.toml: [tagging] must be a table (got 3)"),
        (
            THEME.replace(b'["alpha"]', b'["alpha", "a********************q"]'),
            "bad.toml: theme 'alpha': terms: the term 'a********************q' has two * "
            "in a row: one * at the end of a word matches any ending",
        ),
        (
            b"x = " + b"[" * 20_000 + b"]" * 20_000 + b"\n" + THEME,
            "bad.toml: not valid TOML (nested too deeply)",
        ),
    ],
    ids=["tagging not a table", "star term", "nested arrays"],
)
def test_a_bad_codebook_upload_is_one_line_and_the_bundled_codebook_stays(app, content, message):
    at = app()
    uploader(at, "codebook_upload").upload("bad.toml", content, "application/toml")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    shown = [as_read(error.value) for error in at.error]
    assert any(message in line and "\n" not in line for line in shown), shown
    assert "Workforce" in [metric.label for metric in at.metric]  # the bundled codebook's theme
