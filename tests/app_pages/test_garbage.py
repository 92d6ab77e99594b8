"""Streamlit's collection after each run stays cheap: what the imports made is frozen once
(``app_pages.garbage``; issue 12). Each check runs in a fresh interpreter, as freezing is
for the whole process."""

from __future__ import annotations

from tests.app_pages.conftest import FIRST_RUN, fresh_interpreter


def test_a_run_that_imported_modules_freezes_what_survives_and_only_then():
    first, freed, frozen, tracked, again, same, before, third, after = fresh_interpreter(
        "import gc, json, sys, weakref\n"
        "from app_pages import garbage\n"
        "class Cycle: pass\n"
        "gc.disable(); loop = Cycle(); loop.me = loop; ref = weakref.ref(loop); del loop\n"
        "first = garbage.freeze_new_imports()\n"
        "freed = ref() is None\n"
        "frozen, tracked = gc.get_freeze_count(), len(gc.get_objects())\n"
        "again = garbage.freeze_new_imports()\n"
        "same = gc.get_freeze_count()\n"
        "before = 'wave' in sys.modules\n"
        "import wave\n"
        "third = garbage.freeze_new_imports()\n"
        "print(json.dumps([first, freed, frozen, tracked, again, same, before, third,"
        " gc.get_freeze_count()]))\n"
    )
    assert first and frozen > 1_000 and tracked < 100  # all that lived is frozen
    assert freed  # but garbage is collected first, not frozen for good
    assert not again and same == frozen  # no new module: no collection, nothing frozen
    assert not before and third and after > frozen  # a new module: its objects frozen too


def test_after_the_dashboards_first_run_a_collection_walks_a_small_part_of_the_heap():
    frozen, tracked = fresh_interpreter(
        FIRST_RUN + "print(json.dumps([gc.get_freeze_count(), len(gc.get_objects())]))\n"
    )
    # The modules, the posts and the first run's charts: over 100,000 objects, left out of
    # the collection Streamlit runs after every run; what it still walks is a few thousand.
    assert frozen > 100_000
    assert tracked < frozen / 10, (frozen, tracked)


def test_no_collection_in_a_fresh_servers_first_run_walks_what_the_imports_made():
    walked, frozen = fresh_interpreter(
        "import gc, json, sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "import pandas, plotly.graph_objects  # what the minimal app imports too\n"
        "walked = []\n"
        "def seen(phase, info):  # how many objects each full collection walks\n"
        "    if phase == 'start' and info['generation'] == 2:\n"
        "        walked.append(sum(len(gc.get_objects(g)) for g in range(3)))\n"
        "gc.callbacks.append(seen)\n"
        "at = AppTest.from_file(sys.argv[1], default_timeout=120).run()\n"
        "assert not at.exception, [e.message for e in at.exception]\n"
        "print(json.dumps([walked, gc.get_freeze_count()]))\n"
    )
    # Unfrozen, the dashboard's imports (140,000 objects) were walked twice in its first
    # run: once when the interpreter's own full collection fell due, before the first chart,
    # and once at its end. Frozen right after them, a collection walks what the run made.
    assert frozen > 100_000
    assert walked and max(walked) < frozen / 10, (walked, frozen)
