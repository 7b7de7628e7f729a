"""Overview: the forum's published practices at a glance."""

import streamlit as st

from forumdash import charts, repository, stats
from forumdash.db import read_session
from forumdash.ui import frame, render

engine = frame.page("Overview")

st.title("Western Balkans Regional Forum")
st.caption(
    "Good practices and challenges in open government, shared by the governments and civil "
    "society of Albania, Bosnia and Herzegovina, Kosovo, Montenegro, North Macedonia and Serbia "
    "with partners from Croatia, Georgia, Poland and the United Kingdom."
)

with read_session(engine) as session:
    figures = stats.overview_figures(session=session)
    by_country = stats.practices_by_country(session=session)
    by_theme = stats.practices_by_theme(session=session)
    latest = repository.list_practices(session=session, limit=6)

cols = st.columns(5)
cols[0].metric("Published practices", figures["practices"], border=True)
cols[1].metric("Countries with practices", figures["countries"], border=True)
cols[2].metric("Themes covered", figures["themes"], border=True)
cols[3].metric("Open challenges", figures["open_challenges"], border=True)
cols[4].metric("Milestones", figures["milestones"], border=True)

left, right = st.columns(2)
left.altair_chart(charts.practices_by_country_chart(by_country), key="overview.by_country")
right.altair_chart(charts.practices_by_theme_chart(by_theme), key="overview.by_theme")

st.subheader("Latest published practices")
if not latest:
    st.info("No practice has been published yet.")
for row in latest:
    with st.container(border=True):
        render.practice_link(row.id, row.title)
        render.facts_line([row.country_name, row.stage.label], sample=row.is_sample)
        render.text(row.summary)
