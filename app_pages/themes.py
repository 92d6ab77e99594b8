"""Themes: each theme's definition, terms, posts in view, the terms that matched most, examples."""

import streamlit as st

from analysis.figures import filters_in_force, terms_figure
from analysis.filters import chosen_themes
from analysis.findings import untagged_note
from analysis.formatting import count, names, number
from analysis.selection import TERMS, Drawn
from analysis.tables import posts_table, terms_table
from app_pages import charts, clicks, notices
from app_pages import posts as posts_glue
from app_pages.text import md, safe
from app_pages.view import current_view

#: Presenting, term labels grow to 20px and the first would touch the subtitle above it.
PRESENT_GAP = 18


def render() -> None:
    view = current_view()
    corpus, codebook = view.corpus, view.corpus.codebook
    posts, tags = view.posts, view.tags

    st.title("Themes")
    notices.mode_badge(view)
    st.caption(md("Codebook {} ({}). {}", codebook.version, codebook.source, codebook.method))
    clicks.start()
    drawn = Drawn(posts, tags, codebook, corpus.result)
    subtitle = filters_in_force(view.filters, codebook, view.tag_mode, themes=False)
    chosen = chosen_themes(codebook, view.filters.themes)
    if not chosen:
        notices.empty_state("for no theme: choose at least one theme")
        return

    for tab, theme in zip(st.tabs([safe(t.label) for t in chosen]), chosen, strict=True):
        with tab:
            has_theme = tags[theme.id]
            st.subheader(safe(theme.label), anchor=False, divider="gray")
            st.markdown(safe(theme.definition))
            st.metric(
                "Posts with this theme",
                md("{} of {}", number(int(has_theme.sum())), number(len(posts))),
                help="Posts in the date range and search.",
            )
            left, right = st.columns(2)
            with left:
                counts = corpus.result.term_counts(theme.terms, rows=view.visible)
                if counts.empty:
                    st.info("None of this theme's terms appear in the posts in view.")
                else:
                    figure = terms_figure(
                        counts, theme.colour, theme.label, theme_id=theme.id, subtitle=subtitle
                    )
                    name = f"anchor-themes-{theme.id}-terms"
                    key = f"terms_{theme.id}"
                    points = clicks.chart(figure, key, name, present_gap=PRESENT_GAP)
                    listed = st.container()
                    st.caption(
                        "Click a bar, or select rows of the table below, to list the posts "
                        "whose evidence holds that term."
                    )
                    with st.expander("Data behind this chart, and downloads"):
                        data = terms_table(counts)
                        points += clicks.table(data, key, TERMS, counts, theme_id=theme.id)
                        charts.downloads(data, figure, name)
                    with listed:
                        clicks.show(points, drawn, key, view.presenting)
            with right:
                st.markdown("**Example posts**, newest first")
                examples = posts_table(posts[has_theme], tags[has_theme], codebook).head(5)
                if examples.empty:
                    st.caption("No post in view has this theme.")
                else:
                    columns = ["Title", "Date", "Date status", "Link"]
                    posts_glue.table(examples, f"examples_{theme.id}", columns, placeholder="")
            lists = [
                count(len(theme.terms), "term"),
                *([count(len(theme.context_terms), "context term")] if theme.context_terms else []),
                count(len(theme.exclude), "exclusion"),
            ]
            with st.expander(safe("All " + names(lists))):
                st.markdown("**Terms** (`*` matches any ending)")
                st.code(", ".join(theme.terms), language=None, wrap_lines=True)
                if theme.context_terms:
                    st.markdown(
                        "**Context terms** (count only in a post where one of the terms above "
                        "is also found)"
                    )
                    st.code(", ".join(theme.context_terms), language=None, wrap_lines=True)
                if theme.exclude:
                    st.markdown("**Never counted** (these phrases stop shorter terms inside them)")
                    st.code(", ".join(theme.exclude), language=None, wrap_lines=True)

    st.caption(md("{}: {}", codebook.no_theme_label, untagged_note(tags, codebook)))

    st.subheader("The codebook", anchor=False)
    st.caption(
        "Download it to edit terms and upload it again under Data and codebook in the sidebar, "
        "or to import the themes into a qualitative-coding tool such as Taguette (CSV)."
    )
    buttons = st.container(horizontal=True)  # each button as wide as its label, side by side
    charts.codebook_download(buttons, codebook, "toml")
    charts.codebook_download(buttons, codebook, "csv")


render()
