"""The only package that imports Streamlit: the shared frame, cached resources and widgets."""
