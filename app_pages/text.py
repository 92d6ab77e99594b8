"""The one way text from files and people reaches the screen.

Most Streamlit elements render their text as Markdown: ``st.markdown``, captions,
headings, alerts, toasts, badges, metrics, tab and expander labels, every widget's label
and ``help``, and the options of ``st.radio``, ``st.pills`` and ``st.segmented_control``.
A codebook label, a file name, a post's title or an error message quoting a file is not
Markdown, so it goes through :func:`safe` (one value) or :func:`md` (our own Markdown
template with values put in safely) and shows exactly as written: no image is fetched,
no link or autolink, no emphasis, heading, list, table, HTML, LaTeX, icon or colour forms.
The escaping itself is :func:`analysis.formatting.plain`, the engine's one escaping path.

``st.selectbox`` and ``st.multiselect`` options, ``st.dataframe`` cells, ``st.code`` and
``st.text`` show text as it is: escaping them would show the backslashes.
tests/app_pages/test_text_guard.py fails when a page passes anything else to an element
that renders Markdown.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from typing import Any

from analysis.formatting import plain

__all__ = ["labels", "md", "safe"]


def safe(value: object) -> str:
    """``value`` (any text from a file or a person, or anything else) as Markdown that shows
    exactly ``str(value)``."""
    return plain(value)


class _Escaping(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        return plain(format(value, format_spec))


_ESCAPING = _Escaping()


def md(template: str, /, *args: object, **values: object) -> str:
    """Our own Markdown ``template`` (a literal: ``**bold**``, ``:material/x:``...) with
    each ``{}`` field filled by :func:`safe` of its value, after any format spec
    (``{:.0%}``): ``md("Tagging with {} (version {}).", name, version)``."""
    return _ESCAPING.format(template, *args, **values)


def labels(mapping: Mapping[Any, object]) -> Callable[[Any], str]:
    """A ``format_func`` for widgets whose options render Markdown (``st.radio``, ``st.pills``,
    ``st.segmented_control``): each option's label from ``mapping``, shown as written."""
    return lambda key: plain(mapping[key])
