"""analysis.images: chart PNG and SVG through kaleido in Debian's Chromium, or a plain error.

The real-browser tests need /usr/bin/chromium (``apt-get install chromium``). Without it
they skip, unless REQUIRE_BROWSER=1 (as CI sets), when they fail instead. They share one
figure and one browser: one PNG and one SVG.
"""

from __future__ import annotations

import os
import struct

import pytest

from analysis import images
from analysis.coverage import theme_totals
from analysis.figures import totals_figure
from analysis.images import ImagesUnavailable, figure_image, find_browser

CHROMIUM = "/usr/bin/chromium"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, used for this module's images; closed afterwards."""
    if not os.path.exists(CHROMIUM):
        reason = f"Debian Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"image tests are required (REQUIRE_BROWSER=1) but {reason}")
        pytest.skip(reason)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BROWSER_PATH", CHROMIUM)
        yield CHROMIUM
    images.close_browser()


@pytest.fixture(scope="module")
def figure(bundled):
    return totals_figure(theme_totals(bundled.tags, bundled.codebook))


def test_png_is_drawn_by_chromium_at_the_scale_asked(chromium, figure):
    data = figure_image(figure, "png", scale=2, width=600, height=300)
    assert data.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert (width, height) == (1200, 600)


def test_svg_is_drawn_by_the_same_browser(chromium, figure):
    data = figure_image(figure, "svg")
    assert b"<svg" in data[:200]
    assert b"Living wage" in data  # the figure's own labels, as text
    assert b'width="900"' in data[:400]  # the default size when the figure has none


def test_only_png_and_svg_are_offered(figure):
    with pytest.raises(ValueError, match="png, svg"):
        figure_image(figure, "gif")


def assert_plain(error: ImagesUnavailable) -> None:
    """A message for people: what is wrong and how to fix it, nothing of kaleido's insides."""
    message = str(error)
    assert "Chrome or Chromium" in message
    assert "apt-get install chromium" in message
    assert "BROWSER_PATH" in message
    for internal in ("Traceback", "choreo", "kaleido_get_chrome", 'File "'):
        assert internal not in message
    assert error.__cause__ is None
    assert error.__suppress_context__ or error.__context__ is None


def test_no_browser_raises_images_unavailable_with_how_to_install(monkeypatch, figure):
    monkeypatch.setattr(images, "find_browser", lambda: None)
    with pytest.raises(ImagesUnavailable) as caught:
        figure_image(figure)
    assert_plain(caught.value)
    assert "none was found" in str(caught.value)
    assert isinstance(caught.value, RuntimeError)


def test_a_browser_that_will_not_start_raises_images_unavailable(monkeypatch, tmp_path, figure):
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setattr(images, "find_browser", lambda: str(broken))
    with pytest.raises(ImagesUnavailable) as caught:
        figure_image(figure)
    assert_plain(caught.value)
    assert f"the one at {broken} did not start" in str(caught.value)


def test_find_browser_prefers_browser_path(monkeypatch, tmp_path):
    own = tmp_path / "my-chrome"
    own.write_text("#!/bin/sh\n")
    own.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(own))
    assert find_browser() == str(own)


def test_find_browser_looks_in_the_usual_places_then_path(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing"))  # not a file: passed over
    monkeypatch.setattr(images, "BROWSER_PATHS", (str(tmp_path / "usr-bin-chromium"),))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_browser() is None

    on_path = tmp_path / "chromium-browser"
    on_path.write_text("#!/bin/sh\n")
    on_path.chmod(0o755)
    assert find_browser() == str(on_path)

    usual = tmp_path / "usr-bin-chromium"
    usual.write_text("#!/bin/sh\n")
    usual.chmod(0o755)
    assert find_browser() == str(usual)


def test_missing_browser_path_is_named_in_the_message(monkeypatch, figure, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "nowhere"))
    monkeypatch.setattr(images, "BROWSER_PATHS", ())
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ImagesUnavailable, match="not an executable file") as caught:
        figure_image(figure)
    assert str(tmp_path / "nowhere") in str(caught.value)
