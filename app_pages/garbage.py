"""Streamlit's garbage collection after each run, kept cheap.

Streamlit runs a full collection (``gc.collect(2)``) after every script run, so memory
does not build up (its ``runner.postScriptGC`` option). A full collection walks every
object the process tracks: with the dashboard's modules imported, some 135,000 objects,
about 70 ms on a small machine, after every rerun and every click, holding the
interpreter while the run's last messages wait to be sent. Nearly all of those objects are
modules, classes and functions that live as long as the server.

:func:`freeze_new_imports`, called at the end of every full run, collects once after a
run that imported modules and moves what survives into the permanent generation
(``gc.freeze()``), which collections skip; the collection after each later run walks only
what later runs made. A frozen object is still freed as soon as nothing refers to it;
only a reference cycle made before the freeze would stay, and those are the modules' own.

On a fresh server the first run also imports the dashboard's modules, and the interpreter's
own full collection then falls due in the middle of that run, before the first chart is
sent (about 0.1 s). So ``dashboard.py`` freezes right after its imports, without collecting
(``collect=False``): the imports make almost no garbage (some 20 objects, which stay),
and the first run's own collections then walk only what the run made.
"""

from __future__ import annotations

import gc
import sys

_modules_frozen = 0  # how many modules were imported at the last freeze


def freeze_new_imports(collect: bool = True) -> bool:
    """Collect (unless not ``collect``) and freeze once modules were imported since the
    last time; True if so."""
    global _modules_frozen
    if len(sys.modules) == _modules_frozen:
        return False
    _modules_frozen = len(sys.modules)
    if collect:
        gc.collect()
    gc.freeze()
    return True
