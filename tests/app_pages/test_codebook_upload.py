"""Uploading a bad codebook in the sidebar: one line naming the file and key, no traceback,
and the bundled codebook stays in use (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.markdown_oracle import as_read

ROOT = Path(__file__).resolve().parents[2]
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
    at.file_uploader(key="codebook_upload").upload("bad.toml", content, "application/toml")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    shown = [as_read(error.value) for error in at.error]
    assert any(message in line and "\n" not in line for line in shown), shown
    assert "Workforce" in [metric.label for metric in at.metric]  # the bundled codebook's theme
