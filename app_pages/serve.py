"""Start the dashboard with its engine already loaded: ``python -m app_pages.serve [options]``.

The same as ``streamlit run dashboard.py [options]`` (Streamlit's own options, then ``--``
and the dashboard's: ``--posts``, ``--codebook``, ``--labels``), except that the modules a
first visit needs (pandas, Plotly, SciPy's sparse matrices, ``analysis`` and the pages'
glue) are imported when the server starts, before anyone opens a page, as a web server's
"preload" does. Streamlit imports a script's modules only when its first visitor arrives, so
on a server started by ``streamlit run`` that visitor waits for them: about 0.8 s of a
fresh server's first chart here (4.4 s against 3.7 s). ``make run`` starts the dashboard
this way; ``streamlit run dashboard.py`` works as well (Streamlit Community Cloud starts it
so), only its first visit is slower.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"

#: What the Overview's first run imports beyond Streamlit: the modules dashboard.py and the
#: Overview import (which import pandas, Plotly, SciPy's sparse matrices and the rest of
#: ``analysis`` they use), and what Streamlit imports to draw them (a chart, the page icon).
#: ``tests/app_pages/test_serve.py`` checks that the first run imports none of these
#: packages itself.
PRELOAD = (
    "app_pages.banner",
    "app_pages.garbage",
    "app_pages.links",
    "app_pages.reporting",
    "app_pages.sidebar",
    "app_pages.style",
    "app_pages.notices",
    "app_pages.sections",
    "app_pages.text",
    "app_pages.view",
    "analysis.selection",
    "streamlit.elements.plotly_chart",
    "plotly.io",
    "PIL.Image",
)

#: Streamlit's cache modules, whose loggers warn when a cache is defined with no server yet.
CACHE_APIS = ("cache_data_api", "cache_resource_api")


def preload() -> None:
    """Import :data:`PRELOAD`, and keep what it made out of later garbage collections
    (:mod:`app_pages.garbage`), as the dashboard's first run would.

    Streamlit's caches check their settings as the modules define them and, with no server
    running yet, warn that they would keep data in memory; they do, and once the server runs
    they use its own, so that warning is kept out of the terminal while importing."""
    caches = []
    for api in CACHE_APIS:  # imported first: importing sets their loggers' levels
        importlib.import_module(f"streamlit.runtime.caching.{api}")
        caches.append(logging.getLogger(f"streamlit.runtime.caching.{api}"))
    levels = [cache.level for cache in caches]
    try:
        for cache in caches:
            cache.setLevel(logging.ERROR)
        for name in PRELOAD:
            importlib.import_module(name)
    finally:
        for cache, level in zip(caches, levels, strict=True):
            cache.setLevel(level)
    from app_pages import garbage

    garbage.freeze_new_imports(collect=False)


def command(args: Sequence[str]) -> list[str]:
    """The ``streamlit`` command line that runs the dashboard with ``args``."""
    return ["streamlit", "run", str(DASHBOARD), *args]


def main(args: Sequence[str] | None = None) -> None:
    preload()
    from streamlit.web import cli

    sys.argv = command(sys.argv[1:] if args is None else args)
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
