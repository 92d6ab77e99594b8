"""Shared test settings: the repository root, and the bundled codebook's themes.

Tests that need the bundled themes take the ``theme_ids`` or ``theme_labels`` fixtures (in
codebook order) rather than typing them out, so a change to data/codebook.toml changes what
they expect. Where a module needs them outside a test (a Hypothesis strategy, a helper), it
imports :data:`THEME_IDS` or :data:`THEME_LABELS` from here (read-only).
"""

from pathlib import Path

import pytest

from analysis.codebook import load_codebook

ROOT = Path(__file__).resolve().parent.parent

_BUNDLED = load_codebook()
#: The bundled codebook's theme ids, in its order ("No theme" not among them).
THEME_IDS: list[str] = list(_BUNDLED.ids)
#: The bundled codebook's theme id -> label, in its order ("No theme" not among them).
THEME_LABELS: dict[str, str] = dict(_BUNDLED.labels)


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def theme_ids() -> list[str]:
    """:data:`THEME_IDS` (a copy: a test may change it)."""
    return list(THEME_IDS)


@pytest.fixture
def theme_labels() -> dict[str, str]:
    """:data:`THEME_LABELS` (a copy: a test may change it)."""
    return dict(THEME_LABELS)
