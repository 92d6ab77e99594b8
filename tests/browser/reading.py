"""Reading what the browser shows, for tests that assert content rather than appearance."""

from __future__ import annotations

from playwright.sync_api import Locator, expect

#: Glide data grid's row height and header height in Streamlit 1.67, in CSS pixels.
ROW_HEIGHT = 35


def grid_rows(grid: Locator, count: int | None = None) -> list[dict[str, str]]:
    """The rows an ``st.dataframe`` shows, each as {column header: cell text}, in order.

    The grid is drawn on a canvas; glide data grid builds its accessibility table (one
    ``tr`` per rendered row) once the grid has focus, so focus it first and read that.
    Every row must be rendered (a table of "content" height), else this fails rather
    than return part of the table. With ``count``, first wait (after a rerun) until the grid
    holds that many rows.
    """
    page = grid.page
    page.keyboard.press("Escape")  # the grid rebuilds the table when it gains focus again
    page.locator("body").focus()
    grid.locator("canvas").last.focus()
    table = grid.locator("table[role=grid]")
    expect(table).to_have_count(1, timeout=10_000)
    if count is not None:
        expect(table).to_have_attribute("aria-rowcount", str(count + 1), timeout=30_000)
    headers = table.locator("thead th").all_text_contents()
    rows = [row.locator("td").all_text_contents() for row in table.locator("tbody tr").all()]
    total = int(table.get_attribute("aria-rowcount")) - 1  # less the header row
    assert len(rows) == total, f"only {len(rows)} of {total} rows are rendered"
    return [dict(zip(headers, cells, strict=True)) for cells in rows]


def click_row(grid: Locator, n: int) -> None:
    """Select row ``n`` (from 0) of a single-row-selection ``st.dataframe`` by clicking its
    row marker, as a person does."""
    box = grid.locator("canvas").first.bounding_box()
    assert box is not None, "the grid is not on screen"
    grid.page.mouse.click(box["x"] + 12, box["y"] + ROW_HEIGHT * (n + 1) + ROW_HEIGHT / 2)


def heading_shown(page, text: str, timeout: float = 30_000) -> None:
    """Wait until a heading reads ``text`` as a reader sees it (the escaping helper puts
    invisible word joiners in text from posts, so the accessible name differs)."""
    from tests.browser.conftest import shown_text

    headings = page.locator("h1, h2, h3")
    expect(headings.filter(has_text=text.split()[0])).not_to_have_count(0, timeout=timeout)
    page.wait_for_function(
        """([text]) => [...document.querySelectorAll('h1, h2, h3')].some(
            h => h.innerText.replace(/\u2060/g, '').replace(/\u00a0/g, ' ').trim() === text)""",
        arg=[text],
        timeout=timeout,
    )
    assert any(shown_text(h).strip() == text for h in headings.all())
