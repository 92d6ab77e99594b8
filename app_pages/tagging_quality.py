"""Tagging quality: agreement with human labels and with reviewers, and every disagreement."""

import streamlit as st

from analysis.formatting import SCORE_FORMAT, agree, count, decimal
from analysis.metrics import QUALITY_HEADERS, SMALL_SAMPLE, load_labels, quality_table
from analysis.post_checks import UPLOAD_LIMITS, LoadError
from analysis.tables import disagreements_table
from app_pages import agreement_section, notices, reporting, suggestions
from app_pages.text import md, safe
from app_pages.view import current_view


def render() -> None:
    view = current_view()

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
        cols[0].metric(
            "Micro F1", md("{}", decimal(micro["f1"])), help="Over every post and theme together."
        )
        cols[1].metric(
            "Macro F1", md("{}", decimal(macro["f1"])), help="The mean of the themes' F1."
        )
        cols[2].metric(
            "Micro precision / recall",
            md("{} / {}", decimal(micro["precision"]), decimal(micro["recall"])),
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
        st.dataframe(
            quality_table(report),
            hide_index=True,
            placeholder="—",
            column_config={  # the places every score is shown with (analysis.formatting)
                QUALITY_HEADERS[name]: st.column_config.NumberColumn(format=SCORE_FORMAT)
                for name in ("precision", "recall", "f1", "kappa")
            },
        )
        if report.unlabelled:
            st.caption(
                md(
                    "{} {} no label row and {} not compared.",
                    count(len(report.unlabelled)),
                    agree(len(report.unlabelled), "has", "have"),
                    agree(len(report.unlabelled), "is", "are"),
                )
            )

        st.subheader("Disagreements", anchor=False)
        if report.disagreements.empty:
            st.success("The tags agree with every label.")
        else:
            st.caption(
                "False positive: tagged, but the label says no. Miss: the label says yes, but no "
                "tag. The evidence shows which codebook terms matched, and where."
            )
            st.dataframe(disagreements_table(report), hide_index=True)

    agreement_section.render(view)

    suggestions.panel(view, labels, key="quality-suggestions")


render()
