"""Chart images, PNG or SVG, drawn by kaleido in the Chrome or Chromium of this machine.

Kaleido 1.x draws a Plotly figure in a headless browser that it drives through
``choreographer``. It brings no browser of its own: :func:`find_browser` looks
for one (``BROWSER_PATH``, then the usual Debian and Ubuntu places), and without
one :func:`figure_image` raises :class:`ImagesUnavailable`, whose message says
how to install it. The interactive charts and the HTML report never need it.

Starting the browser takes a few seconds, so it is started once per process, on
the first image, and reused; it is closed when the process exits. It runs with
``--no-sandbox`` (choreographer's default), which lets it start as root and in
containers. It is driven from a private event loop on its own thread, so this
works the same from plain scripts, tests and Streamlit, and with a timeout, so
a browser that will not start ends in :class:`ImagesUnavailable`, never in a
hang. (Kaleido's own ``start_sync_server`` waits for ever when the browser
fails to start, so it is not used.)
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import os
import shutil
import threading
from typing import Any

import plotly.graph_objects as go

#: Where :func:`find_browser` looks after ``BROWSER_PATH``, in order; then these names on PATH.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome")
BROWSER_PATHS = tuple(f"/usr/bin/{name}" for name in BROWSER_NAMES)

FORMATS = ("png", "svg")

#: Size of an image when neither the call nor the figure's layout gives one, in CSS pixels.
DEFAULT_WIDTH = 900
DEFAULT_HEIGHT = 500

#: Seconds allowed for the browser to start, and for one image to be drawn.
START_TIMEOUT = 60.0
RENDER_TIMEOUT = 60.0

_INSTALL = (
    "Install Chromium (on Debian or Ubuntu: sudo apt-get install chromium) or Google Chrome, "
    "or set BROWSER_PATH to the browser's executable."
)


class ImagesUnavailable(RuntimeError):
    """Chart images cannot be made here; the message says why and what to do, in plain words."""


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_browser() -> str | None:
    """The path of a Chrome or Chromium to draw images with, or None when there is none.

    Looks at the ``BROWSER_PATH`` environment variable first (used when it names
    an executable file), then ``/usr/bin/chromium``, ``/usr/bin/chromium-browser``
    and ``/usr/bin/google-chrome``, then those names on ``PATH``.
    """
    given = os.environ.get("BROWSER_PATH", "").strip()
    if given and _is_executable(given):
        return given
    for path in BROWSER_PATHS:
        if _is_executable(path):
            return path
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _no_browser_message() -> str:
    given = os.environ.get("BROWSER_PATH", "").strip()
    looked = f"BROWSER_PATH ({given}: not an executable file), " if given else "BROWSER_PATH, "
    return (
        "Chart images need Chrome or Chromium, and none was found on this machine (looked at "
        f"{looked}{', '.join(BROWSER_PATHS)} and PATH). {_INSTALL} The interactive charts "
        "and the HTML report do not need it."
    )


class _Renderer:
    """One kaleido (one headless browser) on a private event loop running on its own thread."""

    def __init__(self, browser: str) -> None:
        self.browser = browser
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="anchor-themes-images", daemon=True
        )
        self._thread.start()
        self._kaleido: Any = None
        try:
            self._kaleido = self._run(self._open(), START_TIMEOUT)
        except BaseException as error:
            self.close()
            raise ImagesUnavailable(
                f"Chart images need Chrome or Chromium, and the one at {browser} did not start "
                f"({_describe(error)}). {_INSTALL}"
            ) from None

    def _run(self, coroutine, timeout: float):
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise TimeoutError(f"no answer in {timeout:g} seconds") from None

    async def _open(self):
        from kaleido import Kaleido  # imported here: it is only needed for images

        kaleido = Kaleido(n=1, timeout=RENDER_TIMEOUT, mathjax=False, path=self.browser)
        try:
            await kaleido.open()
        except BaseException:
            await _quietly(kaleido.close())
            raise
        return kaleido

    def alive(self) -> bool:
        process = getattr(self._kaleido, "subprocess", None)
        return self._thread.is_alive() and process is not None and process.poll() is None

    def render(self, figure: dict, opts: dict) -> bytes:
        return self._run(self._kaleido.calc_fig(figure, opts=opts), RENDER_TIMEOUT + 10)

    def close(self) -> None:
        """Close the browser and stop the loop's thread (safe to call more than once)."""
        if self._kaleido is not None:
            kaleido, self._kaleido = self._kaleido, None
            with contextlib.suppress(Exception):  # a stuck loop: the process ends anyway
                self._run(_quietly(kaleido.close()), 15)
        if self._thread.is_alive():
            with contextlib.suppress(Exception):  # e.g. choreographer's watchdog
                self._run(_cancel_pending(), 5)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
        if not self._thread.is_alive() and not self._loop.is_closed():
            self._loop.close()


async def _quietly(coroutine) -> None:
    with contextlib.suppress(Exception):
        await coroutine


async def _cancel_pending() -> None:
    """Cancel the loop's other tasks and wait for them, so none is left pending at close."""
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _describe(error: BaseException) -> str:
    """A short, plain reason from an exception, without kaleido's internals."""
    if isinstance(error, TimeoutError):
        return str(error) or "it did not answer in time"
    args = [str(arg) for arg in getattr(error, "args", ()) if str(arg).strip()]
    text = args[0] if args else type(error).__name__
    return " ".join(text.split()).rstrip(".")


_lock = threading.Lock()
_renderer: _Renderer | None = None


def _renderer_for(browser: str) -> _Renderer:
    """The process's renderer for ``browser``, started on first use or after a crash."""
    global _renderer
    with _lock:
        if _renderer is not None and (_renderer.browser != browser or not _renderer.alive()):
            _renderer.close()
            _renderer = None
        if _renderer is None:
            _renderer = _Renderer(browser)
        return _renderer


def close_browser() -> None:
    """Close the browser that draws images, if one is running (also done at exit)."""
    global _renderer
    with _lock:
        if _renderer is not None:
            _renderer.close()
            _renderer = None


atexit.register(close_browser)


def figure_image(
    fig: go.Figure,
    fmt: str = "png",
    scale: float = 2,
    width: int | None = None,
    height: int | None = None,
) -> bytes:
    """A Plotly figure as PNG or SVG bytes.

    ``width`` and ``height`` are in CSS pixels (default: the figure's layout
    size, else 900 by 500); ``scale`` multiplies the pixels of a PNG (2 gives a
    sharp image on high-density screens and in print). Raises
    :class:`ImagesUnavailable` when no Chrome or Chromium is found, when it will
    not start, or when the image cannot be drawn.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)} (got {fmt!r})")
    browser = find_browser()
    if browser is None:
        raise ImagesUnavailable(_no_browser_message())
    opts = {
        "format": fmt,
        "scale": scale,
        "width": width or fig.layout.width or DEFAULT_WIDTH,
        "height": height or fig.layout.height or DEFAULT_HEIGHT,
    }
    renderer = _renderer_for(browser)
    try:
        return renderer.render(fig.to_dict(), opts)
    except Exception as error:
        if not renderer.alive():
            close_browser()
            raise ImagesUnavailable(
                f"The browser drawing chart images stopped ({_describe(error)}); "
                "try again, and if it keeps happening, reinstall Chromium."
            ) from None
        raise ImagesUnavailable(
            f"The chart image could not be drawn ({_describe(error)})."
        ) from None
