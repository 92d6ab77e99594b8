"""The tagger keeps scikit-learn's transformer protocol without its base classes (issue 12:
importing ``sklearn.base`` costs SciPy's statistics before the dashboard's first chart), so a
pipeline, ``clone`` and a grid search still take it."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from analysis.tagging import ThemeTagger

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def posts(bundled) -> pd.DataFrame:
    return bundled.posts


def test_it_works_in_a_pipeline_and_clones(codebook, posts):
    tagger = ThemeTagger(codebook)
    expected = ThemeTagger(codebook).fit().transform(posts)
    assert expected.sum() > 0  # the bundled posts do get themes
    np.testing.assert_array_equal(tagger.fit_transform(posts), expected)
    piped = make_pipeline(FunctionTransformer(lambda frame: frame), ThemeTagger(codebook))
    np.testing.assert_array_equal(piped.fit(posts).transform(posts), expected)
    twin = clone(tagger)
    assert twin is not tagger and twin.codebook == codebook
    assert not hasattr(twin, "weights_")  # a clone is unfitted


def test_its_parameters_are_the_codebook(codebook, posts):
    tagger = ThemeTagger(codebook).fit()
    assert tagger.get_params() == {"codebook": codebook}
    stricter = replace(codebook, min_score=99.0)
    assert tagger.set_params(codebook=stricter) is tagger
    assert not tagger.fit().tag(posts).tags.to_numpy().any()  # no post reaches 99
    try:
        tagger.set_params(threshold=1)
    except ValueError as error:
        assert "threshold" in str(error)
    else:
        raise AssertionError("an unknown parameter was accepted")


def test_tagging_does_not_import_scikit_learn():
    code = (
        "import sys\n"
        "import pandas as pd\n"
        "from analysis.codebook_file import load_codebook\n"
        "from analysis.tagging import ThemeTagger\n"
        "posts = pd.DataFrame({'title': ['Workforce'], 'summary': ['apprentices']})\n"
        "ThemeTagger(load_codebook('data/codebook.toml')).fit().tag(posts)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sklearn', 'scipy.stats'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_frame_is_accepted(codebook):
    posts = pd.DataFrame({"title": ["x"], "summary": ["y"]})
    assert ThemeTagger(codebook).fit_transform(posts).shape == (1, len(codebook.ids))
