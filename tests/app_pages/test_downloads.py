"""Every download, by its bytes: what a click delivers is what the page shows.

Each button is fetched as the browser would (the ``download`` fixture runs a deferred
download's callable as Streamlit's server does on a click) and read back: a chart's CSV
parsed again equals the table under the chart, the posts CSV and workbook hold the rows of
the Explore table, the codebook files hold the themes the Themes page shows, the report
lists the posts in view, and chart images have the figure's size.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import struct
import xml.etree.ElementTree as ET

import lxml.html
import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.codebook import parse_codebook
from analysis.csvwriter import BOM, neutralise
from analysis.images import DEFAULT_WIDTH, find_browser
from app_pages.sections import THEME_CHART, data_key
from tests.app_pages.conftest import ok
from tests.markdown_oracle import as_read

CHART_DATA = "Data behind this chart, and downloads"
#: Settings under which every download must still follow the screen.
SETTINGS = {
    "defaults": {},
    "two themes by year": {"themes": ["workforce", "health_justice"], "granularity": "year"},
    "a date range and a search": {
        "dates": (dt.date(2022, 1, 1), dt.date(2023, 12, 1)),  # whole months
        "search": "health",
    },
}
needs_chromium = pytest.mark.skipif(
    find_browser() is None, reason="chart images need Chrome or Chromium (apt-get install chromium)"
)


@pytest.fixture
def run(app):
    """``run(page, **settings)``: the dashboard on ``page`` after setting the sidebar and
    Overview widgets by key."""

    def run(page: str | None = None, **settings) -> AppTest:
        """The dashboard on ``page`` after setting the sidebar and Overview widgets by key."""
        at = app(timeout=120)
        for key, value in settings.items():
            if key in ("granularity", "measure"):
                continue  # Overview widgets, set below
            if key == "tag_mode":
                at.sidebar.button_group(key=key).set_value(value).run()
                continue
            widget = {
                "themes": at.sidebar.multiselect,
                "dates": at.sidebar.select_slider,
                "search": at.sidebar.text_input,
            }[key]
            widget(key=key).set_value(value).run()
        for key in ("granularity", "measure"):
            if key in settings:
                at.button_group(key=key).set_value(settings[key]).run()
        if page:
            at.switch_page(page).run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return run


def button(where, label: str):
    (found,) = [b for b in where.get("download_button") if b.proto.label == label]
    return found


def read_csv(content: bytes, bom: bool = True) -> pd.DataFrame:
    """A downloaded CSV as text cells, exactly as written (no type guessing, no NaN)."""
    assert content, "the download is empty"
    assert content.startswith(BOM) == bom
    return pd.read_csv(io.BytesIO(content), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def assert_csv_equals_table(content: bytes, shown: pd.DataFrame) -> None:
    """The CSV parsed back holds the shown table: same headers, same rows in the same order,
    numbers equal as numbers and text equal as the spreadsheet-safe text."""
    assert_rows_equal(read_csv(content), shown)


def assert_rows_equal(csv: pd.DataFrame, shown: pd.DataFrame) -> None:
    """``csv`` (text cells) holds ``shown``: see :func:`assert_csv_equals_table`."""
    assert len(shown) > 0, "nothing on screen to compare with"
    assert list(csv.columns) == [neutralise(c) for c in shown.columns]
    assert len(csv) == len(shown)
    for position, column in enumerate(shown.columns):
        screen, written = shown[column].reset_index(drop=True), csv.iloc[:, position]
        if pd.api.types.is_numeric_dtype(screen) and not pd.api.types.is_bool_dtype(screen):
            parsed = pd.to_numeric(written.replace("", None))
            pd.testing.assert_series_equal(
                parsed.astype(float), screen.astype(float), check_names=False
            )
        else:
            expected = screen.map(text).map(neutralise)
            assert written.tolist() == expected.tolist(), column


def chart_sections(at: AppTest) -> list:
    """The page's "Data behind this chart" sections, opened first as a reader opens them
    (on Overview what they hold is drawn only once opened)."""
    if any(not e.children for e in at.main.expander if e.label == CHART_DATA):
        for chart in ("coverage", "totals", "cooccurrence"):
            at.session_state[data_key(chart)] = True
        at.run()
        assert not at.exception, [e.message for e in at.exception]
    sections = [e for e in at.main.expander if e.label == CHART_DATA]
    assert sections, "no chart data on this page"
    return sections


def figures_by_name(at: AppTest) -> dict[str, dict]:
    """Each chart on the page as sent to the browser, by its image file name."""
    out = {}
    for chart in at.get("plotly_chart"):
        name = json.loads(chart.proto.config)["toImageButtonOptions"]["filename"]
        out[name] = json.loads(chart.proto.spec)
    return out


# --- chart data ---------------------------------------------------------------------------------


@pytest.mark.parametrize("settings", SETTINGS.values(), ids=SETTINGS.keys())
@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/themes.py"])
def test_every_charts_csv_holds_the_table_under_it(run, download, page, settings):
    at = run(page, **settings)
    overview = page.endswith("overview.py")
    names, charts = [], set()
    # The Overview draws the chart chosen below its coverage chart: each in turn.
    for tab in ["totals", "together"] if overview else [None]:
        if tab is not None:
            at.session_state[THEME_CHART] = tab
            ok(at.run())
        sections = chart_sections(at)
        assert len(sections) == (2 if overview else len(at.tabs))
        if overview:
            sections = sections[1:]  # coverage's data is the view's export: tested below
        for section in sections:
            (table,) = section.dataframe
            file = download(button(section, "Data (CSV)"))
            assert file.mimetype == "text/csv"
            assert_csv_equals_table(file.content, table.value)
            names.append(file.filename)
        charts |= set(figures_by_name(at))
    assert len(names) == (2 if overview else len(at.tabs))
    assert len(set(names)) == len(names), "two charts' CSVs share a file name"
    # Each CSV is named after its chart, as the chart's own PNG button is.
    assert {n.removesuffix(".csv") for n in names} <= charts


def test_coverage_csv_follows_the_theme_and_period_chosen(run, download):
    # Themes picked out of codebook order: the file names and states them in codebook order.
    at = run(themes=["health_justice", "workforce"], granularity="year")
    file = download(button(chart_sections(at)[0], "Data (CSV)"))
    assert file.filename == "anchor-themes-coverage-workforce-health-justice-year.csv"
    csv = read_export_csv(file.content)
    assert set(csv["Theme"]) == {"Workforce", "Health justice"}
    assert set(csv["Period"]) == {"2021", "2022", "2023", "2024"}
    # 3 posts carry Workforce and 4 Health justice: every one is in a period.
    assert csv.groupby("Theme")["Posts"].apply(lambda s: s.astype(int).sum()).to_dict() == {
        "Workforce": 3,
        "Health justice": 4,
    }
    assert header(file.content)["period"] == "year"
    assert header(file.content)["themes"] == "Workforce; Health justice"


def test_a_chart_csv_that_is_empty_is_caught(run, download):
    """The checker itself: an empty download (the issue's deliberate break) fails it."""
    at = run()
    (table,) = chart_sections(at)[0].dataframe
    with pytest.raises(AssertionError, match="empty"):
        assert_csv_equals_table(b"", table.value)
    with pytest.raises(AssertionError):
        assert_csv_equals_table(BOM + b'"Period","Theme"\r\n', table.value)


# --- chart images -------------------------------------------------------------------------------


def png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert content[12:16] == b"IHDR"
    return struct.unpack(">II", content[16:24])


def svg_size(content: bytes) -> tuple[tuple[float, float], tuple[float, ...]]:
    root = ET.fromstring(content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg", "not an SVG"
    size = (float(root.get("width")), float(root.get("height")))
    return size, tuple(float(n) for n in root.get("viewBox").split())


@needs_chromium
@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/themes.py"])
def test_chart_images_have_the_figures_size(run, download, page):
    """PNG and SVG are drawn at twice the figure's layout size (900 wide unless it says)."""
    at = run(page)
    figures = figures_by_name(at)
    for section in chart_sections(at):
        png = download(button(section, "Chart (PNG)"))
        svg = download(button(section, "Chart (SVG)"))
        name = png.filename.removesuffix(".png")
        assert svg.filename == f"{name}.svg"
        layout = figures[name]["layout"]
        width, height = layout.get("width", DEFAULT_WIDTH), layout["height"]
        assert png.mimetype == "image/png"
        assert png_size(png.content) == (2 * width, 2 * height)
        assert svg.mimetype == "image/svg+xml"
        assert svg_size(svg.content) == ((2 * width, 2 * height), (0, 0, width, height))


# --- posts and the workbook: the export of the view on screen ------------------------------------

#: A view with every setting away from its default: one theme, two years, month, share.
NARROW = {
    "themes": ["workforce"],
    "dates": (dt.date(2022, 1, 1), dt.date(2023, 12, 1)),
    "granularity": "month",
    "measure": "share",
}
#: ``python -m analysis export`` options for the same view.
NARROW_ARGS = [
    "--themes", "workforce", "--start", "2022-01", "--end", "2023-12",
    "--period", "month", "--measure", "share",
]  # fmt: skip
#: Every XLSX download's name, and the sheets it holds.
SHEETS = ["About", "posts", "coverage series", "codebook", "quality"]


def text(value) -> str:
    """A cell as a reader sees it: nothing for a missing value."""
    return "" if value is None or value != value else str(value)


def header(content: bytes) -> dict[str, str]:
    """The commented ``# key: value`` header of an exported CSV."""
    lines = content.decode("utf-8-sig").split("\r\n")
    return dict(line[2:].split(": ", 1) for line in lines if line.startswith("# "))


def read_export_csv(content: bytes) -> pd.DataFrame:
    """An exported CSV's table (after its commented header) as text cells."""
    assert content.startswith(BOM + b"# themes: ")
    return pd.read_csv(
        io.BytesIO(content), comment="#", encoding="utf-8-sig", dtype=str, keep_default_na=False
    )


def book(content: bytes) -> openpyxl.Workbook:
    assert content[:2] == b"PK", "not an XLSX file"
    return openpyxl.load_workbook(io.BytesIO(content))


def rows_of(sheet) -> pd.DataFrame:
    rows = list(sheet.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def command_line(tmp_path, *args: str) -> bytes:
    """What ``python -m analysis export data/posts.csv *args`` writes (CSV unless -o says)."""
    from analysis.cli import main
    from analysis.loading import BUNDLED_POSTS

    out = tmp_path / ("view.xlsx" if "xlsx" in args else "view.csv")
    args = [a for a in args if a != "xlsx"]
    assert main(["export", str(BUNDLED_POSTS), *args, "-o", str(out)]) == 0
    return out.read_bytes()


@pytest.mark.parametrize("settings", SETTINGS.values(), ids=SETTINGS.keys())
def test_posts_csv_lists_the_explore_rows_with_the_view_in_its_header(run, download, settings):
    at = run("app_pages/explore.py", **settings)
    shown = at.dataframe[0].value
    file = download(button(at.main, "Posts (CSV)"))
    assert file.mimetype == "text/csv"
    csv = read_export_csv(file.content)
    assert csv["id"].tolist() == shown["id"].tolist()
    assert csv["title"].tolist() == shown["Title"].map(neutralise).tolist()
    about = header(file.content)
    assert about["posts in view"] == str(len(shown))
    assert about["search"] == settings.get("search", "")
    assert about["tag mode"] == "machine"
    # Each theme's tag column says what the Themes column shows, with its score and terms.
    labels = at.session_state["_view"].corpus.codebook.labels
    for theme, label in labels.items():
        has = csv["themes"].str.split("; ").map(lambda themes, label=label: label in themes)
        assert csv[f"{theme}_tag"].tolist() == has.map({True: "1", False: "0"}).tolist()
        assert (csv.loc[has, f"{theme}_matched"] != "").all(), f"{label}: tagged, no terms"
        assert (csv.loc[has, f"{theme}_score"].astype(float) > 0).all()


def test_posts_csv_follows_the_search(run, download):
    at = run("app_pages/explore.py", search="living wage")
    file = download(button(at.main, "Posts (CSV)"))
    csv = read_export_csv(file.content)
    assert csv["title"].tolist() == ["Health Anchors in London and the London Living Wage"]
    assert header(file.content)["search"] == "living wage"
    assert file.filename == "anchor-themes-posts-quarter-search-living-wage.csv"


def test_a_filtered_and_an_unfiltered_download_differ_in_name_and_rows(run, download):
    everything = download(button(run("app_pages/explore.py").main, "Posts (CSV)"))
    narrow = download(button(run("app_pages/explore.py", **NARROW).main, "Posts (CSV)"))
    assert everything.filename == "anchor-themes-posts-quarter.csv"
    assert narrow.filename == "anchor-themes-posts-workforce-month-2022-01-to-2023-12-share.csv"
    whole, part = read_export_csv(everything.content), read_export_csv(narrow.content)
    assert len(part) < len(whole)
    assert set(part["id"]) < set(whole["id"])
    assert header(narrow.content)["themes"] == "Workforce"
    assert (header(narrow.content)["start"], header(narrow.content)["end"]) == (
        "2022-01-01",
        "2023-12-31",
    )


def test_workbook_states_the_view_with_real_dates_and_the_coverage_chosen(run, download):
    at = run("app_pages/explore.py", **NARROW)
    shown = at.dataframe[0].value
    file = download(button(at.main, "Posts, coverage, codebook, quality (XLSX)"))
    assert file.filename == "anchor-themes-workbook-workforce-month-2022-01-to-2023-12-share.xlsx"
    workbook = book(file.content)
    assert workbook.sheetnames == SHEETS
    about = dict(rows_of(workbook["About"]).itertuples(index=False))
    from analysis.provenance import codebook_sha256

    codebook = at.session_state["_view"].corpus.codebook
    assert about["themes"] == "Workforce"
    assert (about["start"], about["end"]) == ("2022-01-01", "2023-12-31")
    assert (about["period"], about["measure"], about["tag mode"]) == ("month", "share", "machine")
    assert about["codebook version"] == codebook.version
    assert about["codebook sha256"] == codebook_sha256(codebook)
    assert about["data file"] == "posts.csv"
    assert about["posts in view"] == str(len(shown))

    posts = rows_of(workbook["posts"])
    assert posts["id"].tolist() == shown["id"].tolist()
    dates = [row[2] for row in workbook["posts"].iter_rows(min_row=2)]
    assert all(cell.is_date for cell in dates if cell.value is not None)
    assert any(cell.is_date for cell in dates)

    coverage = rows_of(workbook["coverage series"])
    assert set(coverage["Theme"]) == {"Workforce"}  # the one theme chosen
    starts = pd.to_datetime(coverage["Period start"])
    assert (starts.dt.day == 1).all() and starts.diff().dropna().dt.days.max() <= 31  # months
    assert starts.min() >= pd.Timestamp(2022, 1, 1) and starts.max() <= pd.Timestamp(2023, 12, 1)
    assert coverage["Period"].tolist() == [s.strftime("%b %Y") for s in starts]
    assert list(coverage.columns)[3] == "Share of period's posts (%)"  # the measure first
    assert coverage["Posts"].sum() == len(shown[shown["Date"] != ""])  # each dated post once


@pytest.mark.parametrize("tag_mode", ["machine", "reviewed"])
def test_dashboard_files_are_what_the_command_line_writes(
    run, download, monkeypatch, tmp_path, review_database, tag_mode
):
    """Same view, same time: the dashboard's CSVs and XLSX equal ``python -m analysis
    export``'s byte for byte (``SOURCE_DATE_EPOCH`` fixes the "generated at" time)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    from analysis.review_store import ReviewStore

    store = ReviewStore(review_database)
    post = "workforce-gaps-and-community-needs-where-the-venn-diagram"
    store.record(post, "living_wage", "added", "Asha", "2026.11.1", False, comment="Pay rises")
    store.engine.dispose()
    extra = ["--tag-mode", "reviewed", "--db", review_database] if tag_mode == "reviewed" else []
    at = run("app_pages/explore.py", **NARROW, tag_mode=tag_mode)
    posts_csv = download(button(at.main, "Posts (CSV)")).content
    workbook = download(button(at.main, "Posts, coverage, codebook, quality (XLSX)")).content
    assert posts_csv == command_line(tmp_path, *NARROW_ARGS, *extra)
    assert workbook == command_line(tmp_path, *NARROW_ARGS, *extra, "xlsx")
    at.switch_page("app_pages/overview.py").run()
    section = chart_sections(at)[0]
    coverage = download(button(section, "Data (CSV)")).content
    assert coverage == command_line(tmp_path, *NARROW_ARGS, *extra, "--table", "coverage")
    assert download(button(section, "Data (XLSX)")).content == workbook
    for where, label in ((section, "Data (CSV)"), (section, "Data (XLSX)")):
        assert button(where, label).proto.deferred_file_id, f"{label}: built on every run"
    assert header(posts_csv)["generated at"] == "2026-05-28T20:26:40Z"
    if tag_mode == "reviewed":  # machine tag, reviewer's decision and final tag side by side
        csv = read_export_csv(posts_csv).set_index("id")
        assert csv.loc[post, ["living_wage_machine", "living_wage_decision"]].tolist() == [
            "0",
            "applies",
        ]
        assert csv.loc[post, "living_wage_tag"] == "1"
        assert "Living wage" in csv.loc[post, "themes"]


# --- codebook -----------------------------------------------------------------------------------


def test_codebook_files_hold_the_themes_the_themes_page_shows(theme_labels, run, download):
    at = run("app_pages/themes.py")
    labels = [tab.label for tab in at.tabs]
    shown_terms = [c.value for c in at.code][::1]
    toml = download(button(at.main, "Codebook (TOML)"))
    assert toml.mimetype == "application/toml"
    codebook = parse_codebook(toml.content.decode("utf-8"), toml.filename)
    assert [t.label for t in codebook.themes] == labels == list(theme_labels.values())
    for theme in codebook.themes:
        assert ", ".join(theme.terms) in shown_terms, theme.id
    definitions = " ".join(as_read(m.value) for m in at.markdown)
    assert all(theme.definition in definitions for theme in codebook.themes)
    assert re.fullmatch(r"anchor-themes-codebook-[\w.-]+\.toml", toml.filename)

    csv_file = download(button(at.main, "Codebook (CSV: tag, description)"))
    csv = read_csv(csv_file.content, bom=False)
    assert list(csv.columns) == ["tag", "description"]
    assert csv["tag"].tolist() == labels
    for theme, description in zip(codebook.themes, csv["description"], strict=True):
        assert description == f"{theme.definition} Terms: {', '.join(theme.terms)}"


# --- the report ---------------------------------------------------------------------------------


def report_posts(html: str) -> dict[str, list[str]]:
    """The report's "Posts by theme": titles listed under each theme heading."""
    tree = lxml.html.fromstring(html)
    out = {}
    for block in tree.xpath('//section[@id="posts"]//div[@class="theme-posts"]'):
        heading = block.xpath(".//h3")[0].text_content()
        label = re.sub(r"\s*\(\d+ posts?\)$", "", heading.strip())
        out[label] = [row.xpath("./td[1]")[0].text_content() for row in block.xpath(".//tbody/tr")]
    return out


@pytest.mark.parametrize("settings", SETTINGS.values(), ids=SETTINGS.keys())
def test_report_lists_under_each_theme_the_posts_explore_shows(
    theme_labels, run, download, settings
):
    at = run("app_pages/explore.py", **settings)
    shown = at.dataframe[0].value
    file = download(button(at.sidebar, "Download report"))
    assert file.mimetype == "text/html"
    listed = report_posts(file.content.decode("utf-8"))
    chosen = settings.get("themes", theme_labels)
    labels = [label for id_, label in theme_labels.items() if id_ in chosen]
    assert [label for label in listed if label != "No theme"] == labels
    for label in labels:
        expected = shown[shown["Themes"].str.split(", ").map(lambda t, x=label: x in t)]
        assert listed[label] == expected["Title"].tolist(), label


def test_edited_codebook_downloads_hold_the_edit_on_what_if_and_themes(theme_labels, run, download):
    """After a What if? edit, both TOML buttons deliver the edited codebook, which loads
    again with the new theme and terms, and the Themes page's CSV names the new theme."""
    at = run("app_pages/whatif.py")
    assert button(at.main, "Download edited codebook (TOML)").proto.disabled
    next(t for t in at.text_input if t.label == "Label").set_value("Procurement")
    next(t for t in at.text_area if t.label == "Terms").set_value("procure*, supply chain*")
    next(b for b in at.button if b.label == "Add theme").click().run()
    assert not at.exception, [e.message for e in at.exception]
    edited = download(button(at.main, "Download edited codebook (TOML)"))
    codebook = parse_codebook(edited.content.decode("utf-8"), edited.filename)
    assert codebook.version.endswith("+what-if")
    assert codebook.theme("procurement").terms == ("procure*", "supply chain*")
    assert [t.label for t in codebook.themes] == [*theme_labels.values(), "Procurement"]

    at.switch_page("app_pages/themes.py").run()
    assert [tab.label for tab in at.tabs] == [*theme_labels.values(), "Procurement"]
    toml = download(button(at.main, "Codebook (TOML)"))
    assert toml.content == edited.content
    csv = read_csv(download(button(at.main, "Codebook (CSV: tag, description)")).content, bom=False)
    assert csv["tag"].tolist() == [*theme_labels.values(), "Procurement"]
    assert csv["description"].iloc[-1].endswith("Terms: procure*, supply chain*")


#: A comment that would run or break the page were it not escaped.
HOSTILE_COMMENT = '</td><script>alert("x")</script><img src=x onerror=alert(1)> & "quoted"'


def report_comments(html: str) -> list[list[str]]:
    """The report's "Review comments" table: its rows as the text a reader sees."""
    tree = lxml.html.fromstring(html)
    rows = tree.xpath('//section[@id="comments"]//tbody/tr')
    return [[cell.text_content() for cell in row.xpath("./td")] for row in rows]


@pytest.mark.parametrize("tag_mode", ["machine", "reviewed"])
def test_report_takes_the_view_on_screen_as_the_command_line_does(
    run, download, monkeypatch, tmp_path, review_database, tag_mode
):
    """The report for the view on screen (a theme, dates, month, share, tag mode) is the
    command line's report with the same view options; it lists the review comments on the
    posts in view, as text."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    from analysis.cli import main
    from analysis.loading import BUNDLED_POSTS
    from analysis.review_store import ReviewStore

    post = "workforce-gaps-and-community-needs-where-the-venn-diagram"
    store = ReviewStore(review_database)
    store.record(post, "living_wage", "added", "Asha", "2026.11.1", False, comment=HOSTILE_COMMENT)
    store.record("not-in-view", "workforce", "rejected", "Ben", "2026.11.1", True, comment="gone")
    store.engine.dispose()
    at = run("app_pages/explore.py", **NARROW, tag_mode=tag_mode)
    shown = at.dataframe[0].value
    html = download(button(at.sidebar, "Download report")).content.decode("utf-8")
    out = tmp_path / "report.html"
    args = ["report", str(BUNDLED_POSTS), *NARROW_ARGS, "--tag-mode", tag_mode]
    assert main([*args, "--db", review_database, "-o", str(out)]) == 0
    from_cli = out.read_text(encoding="utf-8")
    # The same page but for the posts file's name, which the dashboard gives in words.
    name = at.session_state["_view"].corpus.name
    assert html.replace(name, "POSTS") == from_cli.replace(str(BUNDLED_POSTS), "POSTS")

    assert list(report_posts(html)) == ["Workforce"]
    expected = shown[shown["Themes"].str.split(", ").map(lambda t: "Workforce" in t)]
    assert report_posts(html)["Workforce"] == expected["Title"].tolist()
    charts = lxml.html.fromstring(html).xpath(
        '//section[@id="coverage"]//div[starts-with(@id, "anchor-themes-coverage-by-")]'
    )
    assert charts[0].get("id") == "anchor-themes-coverage-by-month-share"  # as on screen
    assert "The first coverage chart is by month, share of posts" in html
    ((title, theme, decision, who, when, comment),) = report_comments(html)
    assert (theme, decision, who, comment) == ("Living wage", "added", "Asha", HOSTILE_COMMENT)
    assert title == "Workforce gaps and community needs: where the Venn diagram meets"
    assert re.fullmatch(r"\d{1,2} \w{3} \d{4}, \d\d:\d\d UTC", when)
    page = lxml.html.fromstring(html)
    assert not page.xpath('//section[@id="comments"]//script | //section[@id="comments"]//img')
