"""Country profile: /country?code=XK."""

import streamlit as st

from forumdash import charts, repository, stats
from forumdash import vocab as v
from forumdash.db import read_session
from forumdash.ui import frame, render
from forumdash.ui import practice as show
from forumdash.ui.browse import safe_frame

engine = frame.page("Country")

with read_session(engine) as session:
    countries = repository.list_countries(session=session)
    requested = (st.query_params.get("code") or "").strip().upper()
    by_code = {c.code: c for c in countries}
    country = by_code.get(requested)

    codes = [c.code for c in countries]
    choice = st.selectbox(
        "Country",
        codes,
        index=codes.index(country.code) if country else None,
        format_func=lambda code: by_code[code].name_en,
        placeholder="Choose a country",
        key="country.code",
    )
    if choice and choice != requested:
        st.query_params["code"] = choice
        st.rerun()
    if requested and country is None:
        st.warning(f"There is no country with the code “{render.escape_markdown(requested)}”.")
    if country is None:
        st.stop()

    practices = repository.list_practices(session=session, country=country.code, limit=200)
    published_count = repository.count_practices_by_country(session=session).get(country.code, 0)
    commitments = repository.list_commitments(session=session, country=country.code)
    milestones = repository.list_milestones(session=session, country=country.code)
    corrected = {
        m.id: repository.last_correction_date(
            session=session, record_type=v.RecordType.milestone, record_id=m.id
        )
        for m in milestones
    }
    timeline = stats.milestone_frame(session=session, country=country.code)

st.title(country.name_en)
region = "Western Balkans" if country.region_group == "western_balkans" else "Partner country"
st.caption(f"{country.name_local} · {region}")

cols = st.columns(3)
cols[0].metric("Published practices", published_count, border=True)
cols[1].metric("Milestones", len(milestones), border=True)
cols[2].metric("ISO code", country.code, border=True)

st.subheader("Open-government timeline")
if timeline.empty:
    st.info("No milestones recorded for this country yet.")
else:
    st.altair_chart(charts.milestone_timeline_chart(timeline), key="country.timeline")
    for m in milestones:
        with st.expander(
            f"{stats.format_milestone_date(m.date, m.date_precision)} · "
            f"{render.escape_markdown(m.title)}"
        ):
            if m.description:
                render.text(m.description)
            render.sources(m.sources)
            if corrected.get(m.id):
                st.caption(f"Corrected on {corrected[m.id]:%Y-%m-%d} after a reader's report.")
            show.correction_form(engine, v.RecordType.milestone, m.id)

st.subheader("OGP commitments")
if not commitments:
    st.caption("No commitments imported yet (organisers import OGP's export on the Review page).")
else:
    st.caption("Ratings by OGP's Independent Reporting Mechanism (IRM), as published by OGP.")
    st.dataframe(
        safe_frame(stats.commitment_frame(commitments)),
        hide_index=True,
        column_config={"link": st.column_config.LinkColumn("OGP page", display_text="Open")},
        key="country.commitments",
    )

st.subheader("Practices")
if not practices:
    st.info("No published practices from this country yet.")
for row in practices:
    with st.container(border=True):
        render.practice_link(row.id, row.title)
        render.facts_line([row.stage.label], sample=row.is_sample)
        render.text(row.summary)
