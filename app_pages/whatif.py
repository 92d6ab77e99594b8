"""What if? Try codebook edits live in a workshop and see which posts change.

Each edit builds a new codebook from the one in use with :mod:`analysis.whatif` and keeps
it in the session under :data:`app_pages.data_sources.WHATIF_KEY`, so every page retags with it;
nothing is written to ``data/``. The summary compares the tags with the file's codebook.
"""

import streamlit as st

from analysis import whatif
from analysis.formatting import number
from app_pages import charts, data_sources, discovery, suggestions
from app_pages import posts as posts_glue
from app_pages.text import md, safe
from app_pages.view import current_view


def render() -> None:
    view = current_view()
    codebook, base = view.corpus.codebook, view.base_corpus
    edited = data_sources.whatif_codebook() is not None

    st.title("What if?")
    st.caption(
        "Try a change to the codebook with the room: every page then counts with the edited "
        "codebook, for this session only. Nothing is written to data/; download the edited "
        "codebook to keep it."
    )

    st.header("Edit the codebook")
    chosen = st.selectbox(
        "Theme", codebook.ids, format_func=codebook.labels.__getitem__, key="whatif_theme"
    )
    left, right = st.columns(2)
    with left:
        typed = st.text_input(
            "Terms to add",
            key="whatif_add",
            placeholder="e.g. procurement, local economies",
            help="Separate terms with commas or semicolons. A * matches any ending (procure*).",
        )
        if note := whatif.typed_note(view.corpus.posts, codebook, chosen, typed):
            st.caption(":material/search_off: " + safe(note))  # adding them changes nothing
        if st.button("Add terms", icon=":material/add:"):
            data_sources.edit_codebook(
                whatif.add_terms, codebook, chosen, whatif.parse_terms(typed)
            )
    with right:
        gone = st.multiselect(
            "Terms to remove", codebook.theme(chosen).terms, key=f"whatif_remove_{chosen}"
        )
        if st.button("Remove terms", icon=":material/remove:"):
            data_sources.edit_codebook(whatif.remove_terms, codebook, chosen, gone)
    with st.expander("Context terms: count only alongside one of the theme's terms"):
        context_terms(codebook, chosen)

    with st.form("whatif_new_theme"):
        st.markdown("**Add a theme**")
        label = st.text_input("Label", placeholder="e.g. Procurement")
        terms = st.text_area(
            "Terms", placeholder="e.g. procure*, supply chain*", help="Commas, semicolons or lines."
        )
        if st.form_submit_button("Add theme", icon=":material/new_label:"):
            data_sources.edit_codebook(whatif.add_theme, codebook, label, whatif.parse_terms(terms))

    # Reset sits in the banner every page shows while the codebook is edited (app_pages.banner).
    charts.codebook_download(
        st.container(horizontal=True), codebook, "toml", edited=True,
        disabled=not edited,
        help="To keep the edits: upload it under Data and codebook in the sidebar next time.",
    )  # fmt: skip

    suggestions.panel(view, key="whatif-suggestions")
    discovery.panel(view)

    st.header("What changed")
    if not edited:
        st.info(
            "Nothing is edited yet: the codebook in use is the file's. Add or remove a theme's "
            "terms, or add a theme, and this page lists the posts that gain or lose each theme.",
            icon=":material/science:",
        )
        return

    st.caption(
        md(
            "Codebook {} against the file's ({}), over all {} posts, machine tags.",
            codebook.version,
            base.codebook.version,
            number(len(base.posts)),
        )
    )
    lines = whatif.edits(base.codebook, codebook)
    st.markdown("**Edits**")
    st.markdown(
        "\n".join("- " + safe(line) for line in lines) or "No terms differ from the file's."
    )
    changes = whatif.compare(base.posts, base.tags, view.corpus.tags, base.codebook, codebook)
    st.markdown("**Posts per theme**")
    st.markdown("\n".join("- " + safe(change.summary) for change in changes))
    for change in changes:
        if change.changed:
            with st.expander(md("Posts that gained or lost {}", change.label)):
                table = whatif.change_table(base.posts, change)
                posts_glue.table(table, f"whatif_changes_{change.id}")


def context_terms(codebook, chosen: str) -> None:
    """Make broad words of the chosen theme count only alongside its terms, or stop that."""
    left, right = st.columns(2)
    typed = left.text_input(
        "Context terms to add",
        key="whatif_context_add",
        placeholder="e.g. housing, debt",
        help="A context term counts only in a post where one of the theme's terms is also "
        "found. Typing one of its terms makes it a context term.",
    )
    if left.button("Add context terms", icon=":material/join_inner:"):
        terms = whatif.parse_terms(typed)
        data_sources.edit_codebook(whatif.add_context_terms, codebook, chosen, terms)
    gone = right.multiselect(
        "Context terms to remove",
        codebook.theme(chosen).context_terms,
        key=f"whatif_context_remove_{chosen}",
    )
    if right.button("Remove context terms", icon=":material/remove:"):
        data_sources.edit_codebook(whatif.remove_context_terms, codebook, chosen, gone)


render()
