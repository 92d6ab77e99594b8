"""Per-view memory: what a rerun would rebuild unchanged is built once per view (issue 12).

A rerun that only changes the period redraws the coverage chart; the other charts, their
tables and the findings are the same as the run before. :func:`view_key` names the posts
and tags a page draws from, cheaply (the corpus's posts by identity, then the rows in view
and their tags by content), and its codebook by content, so functions cached with
``st.cache_resource`` can take the frames and the codebook unhashed (``_posts``) next to
that key and the settings.

Cached figures are shared by every session: nothing may change them in place
(:func:`app_pages.charts.chart` draws a copy adapted to the screen, kept by
:func:`screen_copy`).
"""

from __future__ import annotations

import hashlib
import threading
import uuid
import weakref
from collections.abc import Callable, Hashable

import pandas as pd

#: What is worked out once per live object (a corpus's digest, a view's key), by the
#: object's id, with a weak reference so a new object that reuses a dead one's id is
#: never taken for it.
_ONCE: dict[tuple[str, int], tuple[weakref.ref, object]] = {}
#: Screen copies of live figures, by the figure's id and how they were adapted.
_SCREEN: dict[int, tuple[weakref.ref, dict[Hashable, object]]] = {}
_LOCK = threading.RLock()  # re-entrant: a weak reference's callback may run under it


def _once(kind: str, obj, make: Callable[[], object]):
    """``make()``, worked out once while ``obj`` lives."""
    key = (kind, id(obj))
    with _LOCK:
        known = _ONCE.get(key)
        if known is not None and known[0]() is obj:
            return known[1]
    value = make()
    with _LOCK:
        _ONCE[key] = (weakref.ref(obj, lambda _, key=key: _pop(_ONCE, key)), value)
    return value


def _pop(store: dict, key) -> None:
    with _LOCK:
        store.pop(key, None)


def frame_digest(frame: pd.DataFrame) -> str:
    """A digest of ``frame``'s index, columns and every value (a value that cannot be
    hashed makes it a name of its own, shared with no other frame)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr(list(frame.columns)).encode())
    try:
        digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    except TypeError:
        return uuid.uuid4().hex
    return digest.hexdigest()


def view_key(view) -> tuple[str, str, str]:
    """What names the posts, tags and codebook a view's charts are drawn from, worked out
    once per view: a name for its corpus's posts frame (one per frame while it lives), the
    digest of the rows in view with their tags (the tags in the chosen mode, reviewed ones
    included), and its codebook's :func:`codebook_key`."""

    def make() -> tuple[str, str]:
        tags = view.tags
        digest = hashlib.blake2b(digest_size=16)
        digest.update(repr(list(tags.columns)).encode())
        digest.update(pd.util.hash_pandas_object(tags.index).to_numpy().tobytes())
        digest.update(tags.to_numpy(dtype=bool).tobytes())
        # The posts by identity, not content: hashing every value of every post took seconds
        # at a million posts. A corpus's posts are never changed in place, and every session
        # (and every codebook, see Corpus.retagged) shares one frame per file opened.
        posts = _once("posts", view.corpus.posts, lambda: uuid.uuid4().hex)
        return posts, digest.hexdigest(), codebook_key(view.corpus.codebook)

    return _once("view", view, make)


def codebook_key(codebook) -> str:
    """What names a codebook's content (the SHA-256 of its TOML, as exports state it),
    worked out once per codebook: hashing the codebook itself on every cached call took
    tens of milliseconds per rerun at 100,000 posts."""
    from analysis.provenance import codebook_sha256

    return _once("codebook", codebook, lambda: codebook_sha256(codebook))


def screen_copy(figure, how: Hashable, make: Callable[[], object]):
    """``make()``, the copy of ``figure`` adapted to the screen ``how``, made once while
    ``figure`` lives (a cached figure is adapted once, not on every rerun)."""
    with _LOCK:
        known = _SCREEN.get(id(figure))
        if known is not None and known[0]() is figure and how in known[1]:
            return known[1][how]
    made = make()
    with _LOCK:
        key = id(figure)
        known = _SCREEN.get(key)
        if known is None or known[0]() is not figure:
            ref = weakref.ref(figure, lambda _, key=key: _pop(_SCREEN, key))
            known = _SCREEN[key] = (ref, {})
        known[1][how] = made
    return made
