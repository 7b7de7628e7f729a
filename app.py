"""Overview: the forum's published practices at a glance."""

import streamlit as st

from forumdash import charts, i18n, repository, stats
from forumdash.db import read_session
from forumdash.i18n import N_, _, ngettext
from forumdash.ui import charts as chart_ui
from forumdash.ui import frame, overview, render

engine = frame.page(N_("Overview"))

st.title(_("Western Balkans Regional Forum"))
st.caption(
    _(
        "Good practices and challenges in open government, shared by the governments and civil "
        "society of Albania, Bosnia and Herzegovina, Kosovo, Montenegro, North Macedonia and "
        "Serbia with partners from Croatia, Georgia, Poland and the United Kingdom."
    )
)

with read_session(engine) as session:
    figures = stats.overview_figures(session=session)
    heatmap = stats.country_theme_frame(session=session)
    by_stage = stats.practices_by_stage_frame(session=session)
    by_year = stats.practices_by_year_frame(session=session)
    challenges = stats.open_challenges_by_theme_frame(session=session)
    flows = stats.adaptation_flows_frame(session=session)
    adaptations = repository.list_adaptation_pairs(session=session, limit=4)
    latest = repository.list_practices(session=session, limit=6)

cols = st.columns(5)
cols[0].metric(_("Published practices"), figures["practices"], border=True)
cols[1].metric(_("Countries with practices"), figures["countries"], border=True)
cols[2].metric(_("Themes covered"), figures["themes"], border=True)
cols[3].metric(
    _("Open challenges"),
    figures["open_challenges"],
    border=True,
    help=_(render.OPEN_CHALLENGES_HELP),
)
cols[4].metric(_("Milestones"), figures["milestones"], border=True)

with st.container(border=True):
    overview.heatmap(heatmap)

left, right = st.columns(2)
with left.container(border=True):
    chart_ui.show(
        chart_ui.spec(charts.practices_by_stage_chart, by_stage),
        key="overview.by_stage",
        filename="practices-by-stage",
    )
with right.container(border=True):
    if by_year.empty:
        st.info(_("No published practice records its start year yet."))
    else:
        chart_ui.show(
            chart_ui.spec(charts.practices_by_year_chart, by_year),
            key="overview.by_year",
            filename="practices-by-start-year",
        )
    no_year = figures["practices"] - int(by_year["practices"].sum())
    if no_year:
        st.caption(
            ngettext(
                "Not shown: {n} published practice without a start year.",
                "Not shown: {n} published practices without a start year.",
                no_year,
            ).format(n=no_year)
        )

left, right = st.columns(2)
with left.container(border=True):
    chart_ui.show(
        chart_ui.spec(charts.open_challenges_by_theme_chart, challenges),
        key="overview.challenges_by_theme",
        filename="open-challenges-by-theme",
    )
with right.container(border=True):
    chart_ui.show(
        chart_ui.spec(charts.adaptation_chart, flows),
        key="overview.spread",
        filename="how-practices-spread",
    )
    for adapted, origin in adaptations:
        render.practice_link(adapted.id, adapted.title)
        render.facts_line(
            [
                i18n.country_name(adapted.country_code, adapted.country_name),
                _("adapted from “{title}” ({country})").format(
                    title=origin.title,
                    country=i18n.country_name(origin.country_code, origin.country_name),
                ),
            ],
            sample=adapted.is_sample,
        )

st.subheader(_("Latest published practices"))
if not latest:
    st.info(_("No practice has been published yet."))
for row in latest:
    with st.container(border=True):
        render.practice_link(row.id, row.title)
        render.facts_line(
            [i18n.country_name(row.country_code, row.country_name), row.stage.label],
            sample=row.is_sample,
        )
        render.text(row.summary)
