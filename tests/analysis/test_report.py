"""analysis.report: one self-contained, offline, printable HTML report, safe with untrusted posts.

The HTML is read with the standard library's html.parser, as a browser would see its
elements and text, not by searching the raw markup.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from html.parser import HTMLParser

import pytest

from analysis.codebook import Codebook, Theme
from analysis.corpus import open_corpus
from analysis.filters import Filters
from analysis.metrics import QUALITY_HEADERS, load_labels, quality_report, quality_table
from analysis.report import SECTIONS, build_report, format_generated_at

GENERATED = datetime(2026, 11, 24, 14, 5, tzinfo=UTC)
PLOTLY_JS_HEADER = "* plotly.js v"

HOSTILE_CSV = """id,title,summary,published,date_status,date_precision,url,author
evil,<script>alert(1)</script> apprentices,Apprenticeships <b>bold</b> & more,2023-05-01,published,day,javascript:alert(1),<img src=x onerror=alert(2)>
safe,Living wage for porters,Cost of living,2023-07,estimated,month,https://example.org/a?b=1&c=2,
plain,Nothing to see,Just a walk,2022,inferred,year,ftp://example.org/file,
"""


class Element:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag, self.attrs, self.text = tag, attrs, ""

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"


class Page(HTMLParser):
    """Everything a test needs from a report: elements, scripts, section headings and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.scripts: list[Element] = []
        self.styles: list[str] = []
        self.headings: dict[str, list[tuple[str, str]]] = {}  # section id -> (level, text)
        self.section_text: dict[str, str] = {}
        self.text = ""
        self._open: list[str] = []  # ids of the sections we are inside
        self._heading: tuple[str, str] | None = None
        self._raw: Element | None = None  # a script or style being read

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag == "section":
            self._open.append(element.attrs.get("id", ""))
            self.headings.setdefault(self._open[-1], [])
        if tag in ("h1", "h2", "h3") and self._open:
            self._heading = (tag, "")
        if tag in ("script", "style"):
            self._raw = element

    def handle_endtag(self, tag):
        if tag == "section" and self._open:
            self._open.pop()
        if tag in ("h1", "h2", "h3") and self._heading and self._open:
            level, words = self._heading
            self.headings[self._open[-1]].append((level, " ".join(words.split())))
            self._heading = None
        if tag == "script" and self._raw is not None:
            self.scripts.append(self._raw)
            self._raw = None
        if tag == "style" and self._raw is not None:
            self.styles.append(self._raw.text)
            self._raw = None

    def handle_data(self, data):
        if self._raw is not None:
            self._raw.text += data
            return
        self.text += data
        if self._heading:
            self._heading = (self._heading[0], self._heading[1] + data)
        for section_id in self._open:
            self.section_text[section_id] = self.section_text.get(section_id, "") + data

    def words(self, section_id: str | None = None) -> str:
        """Text with white space folded, of one section or the whole page."""
        return " ".join((self.section_text[section_id] if section_id else self.text).split())


class Tables(HTMLParser):
    """Every table of a report by its caption: the header cells and each row's cells, as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, dict[str, list]] = {}
        self._table: dict[str, list] | None = None
        self._caption: str | None = None
        self._cell: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table, self._caption = {"headers": [], "rows": []}, ""
        elif tag == "caption":
            self._cell = ""
        elif tag == "tr" and self._table is not None:
            self._table["rows"].append([])
        elif tag in ("th", "td"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self._caption, self._cell = " ".join(self._cell.split()), None
        elif tag in ("th", "td") and self._table is not None:
            text = " ".join(self._cell.split())
            (self._table["headers"] if tag == "th" else self._table["rows"][-1]).append(text)
            self._cell = None
        elif tag == "table" and self._table is not None:
            self._table["rows"] = [row for row in self._table["rows"] if row]
            self.tables[self._caption] = self._table
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def tables(document: str) -> dict[str, dict[str, list]]:
    reader = Tables()
    reader.feed(document)
    reader.close()
    return reader.tables


def parse(document: str) -> Page:
    page = Page()
    page.feed(document)
    page.close()
    return page


@pytest.fixture(scope="module")
def bundled_report(bundled) -> str:
    return build_report(bundled, generated_at=GENERATED)


@pytest.fixture(scope="module")
def page(bundled_report) -> Page:
    return parse(bundled_report)


@pytest.fixture
def hostile(tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_text(HOSTILE_CSV, encoding="utf-8")
    return open_corpus(path, name="<i>hostile</i>.csv")


def test_every_section_is_present_with_its_heading(page):
    for section_id, heading in SECTIONS:
        assert section_id in page.headings, section_id
        level = "h1" if section_id == "title" else "h2"
        assert page.headings[section_id][0] == (level, heading)
    ids = [e.attrs.get("id") for e in page.elements if e.tag == "section"]
    assert ids == [section_id for section_id, _ in SECTIONS]  # in order, each once


def test_title_names_the_corpus_and_the_time_in_uk_format(page, bundled):
    title = page.words("title")
    assert bundled.name in title
    assert "24 Nov 2026, 14:05 UTC" in title
    assert "2026.11.1" in title  # the codebook version


def test_every_theme_label_and_definition_appears(page, bundled):
    method = page.words("method")
    for theme in bundled.codebook.themes:
        assert theme.label in page.words("title")
        assert theme.label in method
        assert " ".join(theme.definition.split()) in method
        for term in (*theme.terms, *theme.exclude):
            assert term in method
    assert "title_weight" in method and "min_score" in method
    assert "2026.11.1" in method
    # The tagging rule in the codebook's one wording (the Themes page and TOML header say it too).
    assert " ".join(bundled.codebook.method.split()) in method


def test_plotly_js_is_inline_exactly_once_and_nothing_is_fetched(page):
    bundles = [s for s in page.scripts if PLOTLY_JS_HEADER in s.text]
    assert len(bundles) == 1
    assert len(bundles[0].text) > 1_000_000  # the whole library, not a loader
    assert not [s for s in page.scripts if "src" in s.attrs]
    assert not [e for e in page.elements if e.tag in ("link", "img", "iframe", "object")]
    for element in page.elements:
        for name in ("src", "srcset", "data", "poster"):
            assert not element.attrs.get(name, "").startswith(("http", "//")), element
    for css in page.styles:
        assert "@import" not in css
        assert "url(" not in css
    policy = [e for e in page.elements if e.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert policy and "default-src 'none'" in policy[0].attrs["content"]


def test_charts_each_have_a_data_table_after_them(bundled_report, page):
    figures = [e for e in page.elements if e.tag == "figure"]
    assert len(figures) == 6  # quarter and year, count and share; totals; co-occurrence
    assert bundled_report.count("</figure>\n<table") == len(figures)
    plots = [e for e in page.elements if "plotly-graph-div" in e.attrs.get("class", "")]
    assert len(plots) == len(figures)


def test_coverage_captions_say_how_many_dates_are_approximate(page):
    coverage = page.words("coverage")
    assert "Hatched bars: 17 of 18 dated posts have approximate dates" in coverage
    assert "precise to the quarter" in coverage and "precise to the year" in coverage
    assert "2023 Q2" in coverage  # the quarterly tables


def test_tag_mode_is_stated(bundled, page):
    assert "Tag mode: machine" in page.words("title")
    assert "Tag mode: machine" in page.words("method")

    reviewed = bundled.tags.copy()
    reviewed.loc[0, "racial_equity"] = True  # a person added a theme the tagger did not give
    review = parse(build_report(bundled, reviewed, tag_mode="reviewed", generated_at=GENERATED))
    assert "Tag mode: reviewed" in review.words("title")
    assert "Tag mode: reviewed" in review.words("method")
    posts = review.words("posts")
    assert bundled.posts.at[0, "title"] in posts
    assert "Racial equity (2 posts)" in posts
    assert "none: tag added in review" in posts


def test_bad_tag_mode_or_tags_are_refused(bundled):
    with pytest.raises(ValueError, match="tag_mode"):
        build_report(bundled, tag_mode="human")
    with pytest.raises(ValueError, match="no column for theme"):
        build_report(bundled, bundled.tags.drop(columns="workforce"))
    with pytest.raises(ValueError, match="indexed like"):
        build_report(bundled, bundled.tags.iloc[:5])


def test_no_filters_says_all_posts(page):
    assert "none: all posts" in page.words("filters")
    assert "In view under the date range and search: 18 posts of 18." in page.words("filters")


def test_search_and_theme_filters_are_stated_and_change_the_posts_listed(bundled, page):
    everything = page.words("posts")
    workforce_titles = list(bundled.posts.loc[bundled.tags["workforce"], "title"])
    justice_titles = list(bundled.posts.loc[bundled.tags["health_justice"], "title"])
    for title in [*workforce_titles, *justice_titles]:
        assert title in everything

    searched = parse(
        build_report(bundled, filters=Filters(search="legal advocacy"), generated_at=GENERATED)
    )
    filters = searched.words("filters")
    assert "Search: “legal advocacy”" in filters
    assert "none: all posts" not in filters
    assert "In view under the date range and search: 1 post of 18." in filters
    listed = searched.words("posts")
    assert "Southwark Law Centre" in listed
    assert not [t for t in workforce_titles if t in listed]

    themed = parse(
        build_report(bundled, filters=Filters(themes=("health_justice",)), generated_at=GENERATED)
    )
    assert "Themes: Health justice." in themed.words("filters")
    assert "Of these, 4 posts carry a chosen theme" in themed.words("filters")
    one = parse(
        build_report(bundled, filters=Filters(themes=("living_wage",)), generated_at=GENERATED)
    )
    assert "Of these, 1 post carries a chosen theme" in one.words("filters")
    listed = themed.words("posts")
    assert [h for h in themed.headings["posts"] if h[0] == "h3"] == [
        ("h3", "Health justice (4 posts)")
    ]
    for title in justice_titles:
        assert title in listed
    for title in workforce_titles:
        assert title not in listed
    assert "Workforce (" not in listed


def test_a_date_filter_that_is_not_whole_months_gives_days(bundled):
    page = parse(
        build_report(
            bundled, filters=Filters(start=date(2023, 1, 2), end=date(2023, 12, 16)),
            generated_at=GENERATED,
        )
    )  # fmt: skip
    assert "Date range: 2 Jan 2023 to 16 Dec 2023" in page.words("filters")


def test_date_filter_is_stated_in_uk_format(bundled):
    page = parse(
        build_report(
            bundled,
            filters=Filters(start=date(2023, 1, 1), end=date(2023, 12, 31), include_undated=False),
            generated_at=GENERATED,
        )
    )
    filters = page.words("filters")
    # The date slider chooses whole months, and the report says them as months.
    assert "Date range: Jan 2023 to Dec 2023" in filters
    assert "Undated posts: left out." in filters
    assert "Posts per theme, posts in the date range" in " ".join(
        s.text for s in page.scripts if "Plotly.newPlot" in s.text
    )


def test_a_view_with_no_posts_still_reports_every_section(bundled):
    page = parse(
        build_report(bundled, filters=Filters(search="zzzz-nothing"), generated_at=GENERATED)
    )
    assert [e.attrs["id"] for e in page.elements if e.tag == "section"] == [i for i, _ in SECTIONS]
    assert "No posts are in view under these filters." in page.words("coverage")
    assert not [e for e in page.elements if e.tag == "figure"]


def test_choosing_no_theme_charts_and_lists_nothing_but_still_counts(bundled):
    tags = bundled.tags.astype(object)
    tags.loc[1, "workforce"] = None  # a missing reviewed value is no tag
    page = parse(build_report(bundled, tags, filters=Filters(themes=()), generated_at=GENERATED))
    assert "Themes: none chosen." in page.words("filters")
    assert "No theme is chosen, so there is nothing to chart." in page.words("coverage")
    assert "No theme is chosen, so no posts are listed." in page.words("posts")
    assert "Workforce: 2 posts" in page.words("title")
    assert len([s for s in page.scripts if PLOTLY_JS_HEADER in s.text]) == 1  # totals still


def test_untrusted_post_text_is_escaped_and_only_http_urls_become_links(hostile):
    document = build_report(hostile, generated_at=GENERATED)
    page = parse(document)
    # Never as markup: not in the raw HTML (chart data escapes '<' too), so no element forms.
    assert "<script>alert(1)" not in document
    assert "<img src=x" not in document
    assert "<b>bold</b>" not in document
    charts = [s.text for s in page.scripts if "Plotly.newPlot" in s.text]
    assert any("&lt;script&gt;alert(1)" in text for text in charts)  # hover text, escaped
    assert not [t for t in charts if "\\u003cscript" in t or "\\u003cimg" in t]
    assert not [e for e in page.elements if e.tag in ("img", "b", "i")]
    assert not [e for e in page.elements for v in e.attrs.values() if "alert(" in v]
    # ...but shown as text, exactly as written.
    assert "<script>alert(1)</script> apprentices" in page.words("posts")
    assert "<i>hostile</i>.csv" in page.words("title")
    links = [e.attrs["href"] for e in page.elements if e.tag == "a" and "href" in e.attrs]
    external = [href for href in links if not href.startswith("#")]
    assert external == ["https://example.org/a?b=1&c=2"]  # not javascript:, not ftp:


def test_quality_section_without_labels_says_so(page):
    quality = page.words("quality")
    assert "No labels were supplied" in quality
    assert "Precision" not in quality


def test_quality_section_with_a_quality_report(bundled, tmp_path, root):
    text = (root / "data" / "labels.csv").read_text(encoding="utf-8").splitlines()
    # Mark the first post (no theme) as workforce: one false negative ("miss") for workforce.
    header, first, *rest = text
    cells = first.split(",")
    cells[1] = "1"
    labels_path = tmp_path / "labels.csv"
    labels_path.write_text("\n".join([header, ",".join(cells), *rest]) + "\n", encoding="utf-8")
    labels = load_labels(labels_path, bundled.codebook)
    report = quality_report(
        bundled.posts, bundled.tags, bundled.result.evidence, labels, bundled.codebook
    )

    document = build_report(bundled, quality=report, generated_at=GENERATED)
    quality = parse(document).words("quality")
    assert "hand-coding of 18 posts" in quality
    assert "Small samples: fewer than 5 hand-labelled posts carry" in quality
    assert "No labels were supplied" not in quality

    # The table is the Tagging quality page's and the XLSX sheet's, in the same words.
    shown = tables(document)["Agreement with hand labels, theme by theme."]
    expected = quality_table(report)
    assert shown["headers"] == list(QUALITY_HEADERS.values()) == list(expected.columns)
    assert [row[0] for row in shown["rows"]] == [
        *bundled.codebook.labels.values(),
        "All themes (micro average)",
        "All themes (macro average)",
    ]
    workforce = dict(zip(shown["headers"], shown["rows"][0], strict=True))
    assert workforce["Labelled with the theme"] == "4"  # the label added above
    assert workforce["Misses"] == "1" and workforce["Tagged and labelled"] == "3"
    assert workforce["Recall"] == f"{expected.at[0, 'Recall']:.3f}" == "0.750"
    assert workforce["Small sample"] == "Yes"
    micro = dict(zip(shown["headers"], shown["rows"][4], strict=True))
    assert micro["F1"] == f"{report.micro['f1']:.3f}"
    assert micro["Misses"] == micro["Cohen's kappa"] == "—"  # no count or kappa for an average

    # The disagreement, in the words of the page's disagreements table.
    disagreements = tables(document)[
        "A false positive is a theme the tagger gave that the labels do not; "
        "a miss is a labelled theme the tagger did not give."
    ]
    assert disagreements["headers"] == ["Title", "Theme", "Kind", "Evidence", "Label note"]
    assert disagreements["rows"] == [
        [bundled.posts.at[0, "title"], "Workforce", "Miss", "no term matched", cells[-1].strip('"')]
    ]


def test_totals_and_co_occurrence_tables_are_the_overview_pages(bundled_report, bundled):
    shown = tables(bundled_report)
    totals = next(
        t
        for caption, t in shown.items()
        if caption.startswith("Data for the chart above: posts per theme among")
    )
    assert totals["headers"] == ["Theme", "Posts", "Share of posts"]
    assert totals["rows"] == [
        ["Workforce", "3", "17%"],
        ["Living wage", "1", "6%"],
        ["Racial equity", "1", "6%"],
        ["Health justice", "4", "22%"],
        ["No theme", "9", "50%"],
    ]
    matrix = next(t for caption, t in shown.items() if "the diagonal is each theme" in caption)
    labels = list(bundled.codebook.labels.values())
    assert matrix["headers"] == ["Theme", *labels]
    assert matrix["rows"][0] == ["Workforce", "3", "0", "0", "0"]
    assert [row[0] for row in matrix["rows"]] == labels


def test_data_notes_list_every_finding_and_the_date_counts(page, bundled):
    notes = page.words("data-notes")
    for finding in bundled.findings:
        assert " ".join(finding.message.split()) in notes
    assert "1 published, 11 estimated, 6 inferred, 0 undated" in notes
    assert "Duplicates: 1 group of posts shares a title or summary" in notes


def test_print_css_keeps_charts_and_rows_whole(page):
    css = "\n".join(page.styles)
    assert "@media print" in css
    assert "@page" in css
    assert "break-inside: avoid" in css
    assert "break-before: page" in css
    print_rules = css[css.index("@media print") :]
    assert "figure.chart" in print_rules and "tr" in print_rules
    assert "zoom" in print_rules  # charts scaled to an A4 page's width


def test_generated_at_is_shown_in_utc():
    assert format_generated_at(GENERATED) == "24 Nov 2026, 14:05 UTC"
    london_summer = datetime(2026, 7, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    assert format_generated_at(london_summer) == "1 Jul 2026, 08:30 UTC"


def test_report_is_the_same_for_the_same_input(bundled, bundled_report):
    assert build_report(bundled, generated_at=GENERATED) == bundled_report


def test_hostile_codebook_text_stays_text(tmp_path):
    """Every part of the page that shows codebook text (labels, definitions, versions, the
    no-theme label, its file's name) escapes it: nothing it says becomes markup."""
    evil = '"><img src=x onerror=alert(3)>'
    theme = Theme(
        id="workforce",
        label=f"<b>Work</b>{evil}",
        colour="#123456",  # the codebook and Plotly refuse anything but a colour
        definition=f"<script>alert(4)</script>{evil}",
        terms=("apprentice*",),
        exclude=("apprentice scheme",),  # terms cannot hold markup: the codebook refuses it
    )
    codebook = Codebook(
        themes=(theme,),
        version=f"<em>v</em>{evil}",
        no_theme_label=f"<s>none</s>{evil}",
        source=f"<q>{evil}</q>",
    )
    path = tmp_path / "hostile.csv"
    path.write_text(HOSTILE_CSV, encoding="utf-8")
    corpus = open_corpus(path, codebook, name=f"<i>n</i>{evil}")
    document = build_report(corpus, generated_at=GENERATED)
    page = parse(document)
    assert not [e for e in page.elements if e.tag in ("img", "b", "i", "em", "s", "q")]
    assert not [
        e for e in page.elements for v in e.attrs.values() if "alert(" in v and e.tag != "meta"
    ]
    assert [s for s in page.scripts if "alert(" in s.text and "Plotly.newPlot" not in s.text] == []
    method = page.words("method")
    for text in (theme.label, theme.definition, codebook.version, codebook.source):
        assert text in method
    assert f"or none (“{codebook.no_theme_label}”)" in method  # in the codebook's method text
    assert f"Anchor Themes report: <i>n</i>{evil}" in page.text  # the <title>, as text


def test_the_codebook_section_lists_context_terms_apart_from_terms():
    """A theme's context terms are listed under their own heading, which says they count only
    alongside a term; a theme with none has no such line; the method states the rule."""
    from analysis.codebook import CONTEXT_TERMS_NOTE
    from analysis.whatif import add_context_terms

    book = add_context_terms(open_corpus().codebook, "health_justice", ["housing", "debt"])
    page = parse(build_report(open_corpus(codebook=book), generated_at=GENERATED))
    method = page.words("method")
    assert f"{CONTEXT_TERMS_NOTE}: housing, debt" in method
    assert method.count(CONTEXT_TERMS_NOTE) == 1
    terms = ", ".join(book.theme("health_justice").terms)
    assert f"Terms: {terms}{CONTEXT_TERMS_NOTE}: housing, debtExclusions: " in method
    assert " ".join(book.method.split()) in method and "context_terms" in book.method


def test_counts_in_the_report_text_separate_thousands(tmp_path):
    path = tmp_path / "many.csv"
    rows = (
        [f"w{n},Workforce planning,Recruitment of staff,2024-01-15" for n in range(1_150)]
        + [f"l{n},London living wage,Pay for porters,2024-02-15" for n in range(5)]
        + [f"n{n},A note,Nothing here,2024-03-15" for n in range(45)]
    )
    path.write_text("id,title,summary,published\n" + "\n".join(rows) + "\n", encoding="utf-8")
    document = build_report(open_corpus(path), generated_at=GENERATED)
    page = parse(document)
    title = page.words("title")
    assert "1,200 posts in view of 1,200 in the file; 1,200 dated (1,200 published," in title
    assert "45 posts with no theme." in title
    assert "Workforce: 1,150 posts (96% of posts in view)" in title
    assert "Living wage: 5 posts (<1% of posts in view)" in title  # 5 of 1,200, not 0%
    assert "In view under the date range and search: 1,200 posts of 1,200." in page.words("filters")
    assert "posts per theme among the 1,200 posts in view." in " ".join(tables(document))
