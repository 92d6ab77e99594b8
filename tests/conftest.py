"""Shared test settings: the repository root, and the bundled codebook's themes.

Tests that need the bundled themes take ``theme_ids`` or ``theme_labels`` (in codebook order)
rather than typing them out, so a change to data/codebook.toml changes what they expect.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def theme_ids() -> list[str]:
    """The bundled codebook's theme ids, in its order ("No theme" not among them)."""
    from analysis.codebook import load_codebook

    return list(load_codebook().ids)


@pytest.fixture(scope="session")
def theme_labels() -> dict[str, str]:
    """The bundled codebook's theme id -> label, in its order ("No theme" not among them)."""
    from analysis.codebook import load_codebook

    return dict(load_codebook().labels)
