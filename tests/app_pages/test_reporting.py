"""The one-click report button (app_pages/reporting.py) with AppTest."""

from __future__ import annotations


def test_sidebar_offers_the_one_click_report(app):
    at = app("app_pages/overview.py")
    labels = [d.proto.label for d in at.sidebar.get("download_button")]
    assert labels == ["Download report"]
