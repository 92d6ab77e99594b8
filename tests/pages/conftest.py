"""AppTest set-up for an app that uses st.navigation beside a ``pages/`` folder."""

import pytest
from streamlit.runtime.pages_manager import PagesManager


@pytest.fixture(autouse=True)
def navigation_not_pages_folder(monkeypatch):
    """Make every AppTest run honour st.navigation, as a real server does.

    AppTest (Streamlit 1.67) forgets between runs that the app called st.navigation and,
    seeing a ``pages/`` folder, reruns the current page on its own, without the entry
    point's sidebar. A running server remembers; this puts tests on the server's footing.
    """
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
