"""Tagging quality: agreement with human labels and with reviewers, and every disagreement."""

import streamlit as st

from analysis.formatting import agree
from analysis.metrics import SMALL_SAMPLE, load_labels, quality_table
from analysis.post_checks import UPLOAD_LIMITS, LoadError
from analysis.review import agreement
from analysis.tables import agreement_table, disagreements_table
from app_pages import notices, reporting, suggestions
from app_pages.text import md, safe
from app_pages.view import current_view


def render() -> None:
    view = current_view()
    corpus, codebook = view.corpus, view.corpus.codebook

    st.title("Tagging quality")
    notices.mode_badge(view)
    st.caption(
        "How often the tags agree with people who read the posts. Labels are a CSV with an id "
        "column and one 0/1 column per theme (the bundled data/labels.csv codes the 18 HALN posts)."
    )

    upload = st.file_uploader("Use your own labels CSV", type=["csv"], key="labels_upload")
    labels = None
    if upload is not None:
        try:
            labels = load_labels(
                upload, view.base_corpus.codebook, name=upload.name, limits=UPLOAD_LIMITS
            )
        except LoadError as error:
            st.error(safe(error))
    report = reporting.tagging_quality(view, labels)

    if report is None:
        st.info("Upload a labels file to measure tagging quality for these posts.")
    else:
        st.subheader(
            md("{} against {} labelled posts", view.mode_label, report.posts_compared), anchor=False
        )
        micro, macro = report.micro, report.macro
        cols = st.columns(3)
        cols[0].metric("Micro F1", f"{micro['f1']:.2f}", help="Over every post and theme together.")
        cols[1].metric("Macro F1", f"{macro['f1']:.2f}", help="The mean of the themes' F1.")
        cols[2].metric(
            "Micro precision / recall",
            f"{micro['precision']:.2f} / {micro['recall']:.2f}",
        )
        if report.small_samples:
            st.warning(
                md(
                    "Small samples: {} {} fewer than {} positive labels, so one post more or less "
                    "moves their figures a lot.",
                    ", ".join(report.small_samples),
                    agree(len(report.small_samples), "has", "have"),
                    SMALL_SAMPLE,
                ),
                icon=":material/warning:",
            )
        st.dataframe(quality_table(report), hide_index=True, placeholder="—")
        if report.unlabelled:
            st.caption(f"{len(report.unlabelled)} posts have no label row and are not compared.")

        st.subheader("Disagreements", anchor=False)
        if report.disagreements.empty:
            st.success("The tags agree with every label.")
        else:
            st.caption(
                "False positive: tagged, but the label says no. Miss: the label says yes, but no "
                "tag. The evidence shows which codebook terms matched, and where."
            )
            st.dataframe(disagreements_table(report), hide_index=True)

    st.subheader("Machine and reviewers", anchor=False)
    table = agreement(corpus.posts, corpus.tags, view.decisions, codebook)
    if int(table["decisions"].sum()) == 0:
        st.caption("No reviewer has recorded a decision yet (see the Review page).")
    else:
        st.caption(
            "Cohen's kappa between machine tags and reviewers' latest decisions, over the posts "
            "reviewed for each theme."
        )
        st.dataframe(agreement_table(table), hide_index=True, placeholder="—")

    suggestions.panel(view, labels, key="quality-suggestions")


render()
