"""Anchor Themes' engine: loading, tagging, aggregation, figures and exports.

Pure Python over pandas, scikit-learn and Plotly; it never imports Streamlit,
so the dashboard, the command line (``python -m analysis``) and the tests all
use the same code.
"""
