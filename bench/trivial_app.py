"""The framework's floor for bench/load.py: a Streamlit page that only writes a line, so a
rerun costs what Streamlit itself costs (the session, the script run, the protocol)."""

import streamlit as st

st.write("Hello from the floor.")
