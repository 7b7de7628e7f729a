"""Overview: the forum's published practices at a glance."""

import streamlit as st

from forumdash import i18n
from forumdash.i18n import N_, _, ngettext
from forumdash.ui import charts as chart_ui
from forumdash.ui import frame, overview, region, render

engine = frame.page(N_("Overview"))

st.title(_("Western Balkans Regional Forum"))
st.caption(
    _(
        "Good practices and challenges in open government, shared by the governments and civil "
        "society of Albania, Bosnia and Herzegovina, Kosovo, Montenegro, North Macedonia and "
        "Serbia with partners from Croatia, Georgia, Poland and the United Kingdom."
    )
)

view = overview.load(engine)  # built once per data version and language, for every visitor
figures = view.figures

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

with st.container(border=True, key="overview.region"):
    region.overview_map(region.load(engine))  # cached per records version and language

with st.container(border=True):
    overview.heatmap(view.heatmap, view.heatmap_rows)

left, right = st.columns(2)
with left.container(border=True):
    chart_ui.show(view.by_stage, key="overview.by_stage", filename="practices-by-stage")
with right.container(border=True):
    if view.by_year is None:
        st.info(_("No published practice records its start year yet."))
    else:
        chart_ui.show(view.by_year, key="overview.by_year", filename="practices-by-start-year")
    no_year = figures["practices"] - view.practices_with_year
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
        view.challenges, key="overview.challenges_by_theme", filename="open-challenges-by-theme"
    )
with right.container(border=True):
    chart_ui.show(view.spread, key="overview.spread", filename="how-practices-spread")
    for adapted, origin in view.adaptations:
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
if not view.latest:
    st.info(_("No practice has been published yet."))
for row in view.latest:
    with st.container(border=True):
        render.practice_link(row.id, row.title)
        render.facts_line(
            [i18n.country_name(row.country_code, row.country_name), row.stage.label],
            sample=row.is_sample,
        )
        render.text(row.summary)
