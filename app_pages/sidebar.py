"""The sidebar's filters and tag mode, which build the :class:`~app_pages.view.View` pages show."""

from __future__ import annotations

import functools

import streamlit as st

from analysis import viewstate
from analysis.coverage import GRANULARITIES, MEASURES
from analysis.filters import Filters, in_view, with_themes
from analysis.review import reviewed_tags
from analysis.viewstate import TAG_MODES
from app_pages.data_sources import data_sources
from app_pages.links import restore_view_from_url
from app_pages.review_access import review_store
from app_pages.sections import CHARTS
from app_pages.text import safe
from app_pages.view import KEY as VIEW_KEY
from app_pages.view import View, setting


def sidebar() -> View:
    """Render the shared sidebar and remember the view for the page about to run."""
    corpus, base_corpus, coded = data_sources()
    codebook = corpus.codebook
    labels = codebook.series_labels
    options = list(labels)
    dates = corpus.posts["published"].dropna()
    # The date slider steps by whole months: its options are the months' first days.
    months = viewstate.month_starts(dates.min().date(), dates.max().date()) if len(dates) else []
    first, last = (months[0], months[-1]) if months else (None, None)
    allowed = viewstate.Allowed(
        themes=options,
        choices={
            "tag_mode": list(TAG_MODES),
            "granularity": GRANULARITIES,
            "measure": MEASURES,
            "chart": list(CHARTS),  # presentation mode shows one at a time
        },
        first=first,
        last=last,
    )
    st.session_state["_allowed"] = allowed
    restore_view_from_url(allowed)

    setting("present")
    st.sidebar.toggle(
        "Presentation mode",
        key="present",
        help="For screen-sharing: larger type, one chart at a time, sidebar tucked away.",
    )
    st.sidebar.header("Filters")
    # The browser sends the multiselect's choice back as the labels it showed, so a codebook
    # that only relabels a theme would silently drop it from the filter: labels count too.
    shown = [(option, labels[option]) for option in options]
    previous = st.session_state.get("_theme_options")
    if previous is not None and previous != shown:
        # Another codebook: "every theme" stays every theme; otherwise keep what still exists.
        before = [option for option, _ in previous]
        chosen = st.session_state.get("themes", before)
        everything = set(chosen) >= set(before)
        st.session_state["themes"] = options if everything else [t for t in chosen if t in options]
    st.session_state["_theme_options"] = shown
    setting("themes", options)
    themes = st.sidebar.multiselect(
        "Themes",
        options,
        format_func=labels.__getitem__,
        key="themes",
        help="Charts show these themes; tables list posts with any of them.",
    )
    start = end = None
    if len(months) > 1:
        chosen = st.session_state.get("dates")
        span, st.session_state["_date_span"] = st.session_state.get("_date_span"), (first, last)
        if not chosen or any(month not in months for month in chosen) or chosen == span:
            # Other posts: a range they do not cover, or all dates, becomes all their dates.
            st.session_state["dates"] = (first, last)
        start, end = st.sidebar.select_slider(
            "Dates",
            options=months,
            value=(first, last),  # the default, and what makes it a range slider
            format_func=lambda month: safe(month.strftime("%b %Y")),
            key="dates",
            help="Whole months. A post dated only to a month or year is kept when that month "
            "or year overlaps.",
        )
        if (start, end) == (first, last):
            start = end = None
        else:
            end = viewstate.month_end(end)  # the whole of the last month
    include_undated = True
    if dates.size < len(corpus.posts):
        setting("include_undated")
        include_undated = st.sidebar.checkbox("Include undated posts", key="include_undated")
    setting("search")
    search = st.sidebar.text_input(
        "Search titles and summaries",
        key="search",
        placeholder="e.g. apprentice",
        help="Every word must appear, in any case.",
    )
    setting("tag_mode")
    tag_mode = st.sidebar.segmented_control(
        "Tags",
        list(TAG_MODES),
        required=True,
        format_func=TAG_MODES.__getitem__,
        key="tag_mode",
        help="Machine: as the codebook tags them. Reviewed: machine tags unless a reviewer "
        "confirmed, rejected or added a theme.",
    )
    # The review log, read once and only when needed (opening it loads SQLAlchemy).
    decisions = functools.cache(lambda: review_store().current())
    all_tags = (
        reviewed_tags(corpus.posts, corpus.tags, decisions())
        if tag_mode == "reviewed"
        else corpus.tags
    )
    filters = Filters(
        themes=None if set(themes) == set(options) else tuple(themes),
        start=start,
        end=end,
        search=search.strip(),
        include_undated=include_undated,
    )
    visible = in_view(corpus.posts, filters)
    view = View(
        corpus=corpus,
        base_corpus=base_corpus,
        filters=filters,
        tag_mode=tag_mode,
        all_tags=all_tags,
        visible=visible,
        listed=visible & with_themes(all_tags, filters.themes),
        presenting=bool(st.session_state.get("present")),
        labels=coded,
        read_decisions=decisions,
    )
    st.session_state[VIEW_KEY] = view
    return view
