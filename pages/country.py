"""Country profile: /country?code=XK."""

import streamlit as st

from forumdash import i18n, repository, stats
from forumdash import vocab as v
from forumdash.db import read_session
from forumdash.filters import PracticeFilters
from forumdash.i18n import N_, _, ngettext, pgettext
from forumdash.ui import country as parts
from forumdash.ui import frame, lang, navigation, region, render
from forumdash.ui import practice as show
from forumdash.ui.browse import safe_frame
from forumdash.ui.corrections import correction_form

engine = frame.page(N_("Country"))

with read_session(engine) as session:
    countries = repository.list_countries(session=session)
    requested = (st.query_params.get("code") or "").strip().upper()
    by_code = {c.code: c for c in countries}
    country = by_code.get(requested)

    codes = [c.code for c in countries]
    # Named now, in this run's language: Streamlit (and AppTest) may call format_func again
    # outside the run, where the language is not the visitor's.
    names = {c.code: i18n.country_name(c.code, c.name_en) for c in countries}
    choice = st.selectbox(
        _("Country"),
        codes,
        index=codes.index(country.code) if country else None,
        format_func=names.__getitem__,
        placeholder=_("Choose a country"),
        key="country.code",
    )
    if choice and choice != requested:
        st.query_params["code"] = choice
        st.rerun()
    if requested and country is None:
        st.warning(
            _("There is no country with the code “{code}”.").format(
                code=render.escape_markdown(requested[:40])
            )
        )
    if country is None:
        parts.country_index(countries)
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
    timeline = parts.timeline(session, country.code)
    histories = {
        m.id: repository.record_history(
            session=session, record_type=v.RecordType.milestone, record_id=m.id
        )
        for m in milestones
    }
    users = repository.user_names(session=session)
    challenges = repository.list_challenges(session=session, countries=[country.code])
    learned, taught = repository.adaptation_pairs(session=session, country=country.code)
    theme_names = repository.theme_names(session=session)
    facets = repository.facet_counts(
        session=session, filters=PracticeFilters(countries=(country.code,))
    )

name = i18n.country_name(country.code, country.name_en)
heading, where = st.columns([3, 1], gap="medium")
with heading:
    st.title(render.escape_markdown(name))
    group = (
        _("Western Balkans") if country.region_group == "western_balkans" else _("Partner country")
    )
    st.caption(render.escape_markdown(f"{country.name_local} · {group}"))
    st.markdown(render.escape_markdown(parts.summary(name, country.code, facets, theme_names)))
with where:
    region.locator(engine, country.code, name, codes)
open_challenges = [c for c in challenges if c.challenge_status != v.ChallengeStatus.resolved]
cols = st.columns(5)
cols[0].metric(_("Published practices"), published_count, border=True)
cols[1].metric(
    _("Open challenges"), len(open_challenges), border=True, help=_(render.OPEN_CHALLENGES_HELP)
)
cols[2].metric(_("OGP commitments"), len(commitments), border=True)
cols[3].metric(_("Milestones"), len(milestones), border=True)
cols[4].metric(_("Shared across borders"), len(learned) + len(taught), border=True)
st.page_link(
    navigation.page("pages/compare.py"),
    label=_("Compare {country} with other countries").format(country=render.escape_markdown(name)),
    query_params=lang.params({"countries": country.code}),
    icon=":material/compare_arrows:",
)

st.subheader(_("Open-government timeline"))
if timeline is None:
    st.info(_("No milestones recorded for this country yet."))
else:
    parts.show_timeline(timeline, country.code)
    for m in milestones:
        with st.expander(
            f"{stats.format_milestone_date(m.date, m.date_precision)} · "
            f"{render.escape_markdown(m.title)}"
        ):
            if m.description:
                render.text(m.description)
            render.sources(m.sources)
            if corrected.get(m.id):
                st.caption(
                    _("Corrected on {date} after a reader's report.").format(
                        date=stats.format_milestone_date(
                            corrected[m.id].date(),  # a datetime: its day is shown
                            v.DatePrecision.day,
                        )
                    )
                )
            if len(histories[m.id]) > 1:
                show.history(histories[m.id], users, folded=False)
            correction_form(engine, v.RecordType.milestone, m.id)

st.subheader(_("OGP commitments"))
if not commitments:
    st.caption(
        _("No commitments imported yet (organisers import OGP's export on the Review page).")
    )
else:
    st.caption(_("Ratings by OGP's Independent Reporting Mechanism (IRM), as published by OGP."))
    st.page_link(
        navigation.page("pages/commitments.py"),
        label=ngettext(
            "All {n} commitments of {country}, with filters and search",
            "All {n} commitments of {country}, with filters and search",
            len(commitments),
        ).format(n=len(commitments), country=render.escape_markdown(name)),
        query_params=lang.params({"country": country.code}),
        icon=":material/assignment:",
    )
    st.dataframe(
        safe_frame(stats.commitment_frame(commitments)),
        hide_index=True,
        column_config={
            # "Read" and "Open" are verbs on a link here: a context tells them from the
            # adjectives (an open challenge).
            "page": st.column_config.LinkColumn(
                _("Commitment"), display_text=pgettext("link", "Read")
            ),
            "link": st.column_config.LinkColumn(
                _("OGP page"), display_text=pgettext("link", "Open")
            ),
            **{
                column: st.column_config.Column(_(label))
                for column, label in stats.COMMITMENT_COLUMN_LABELS.items()
            },
        },
        key="country.commitments",
    )

st.subheader(_("Learning across borders"))
parts.exchanges(learned, taught)

st.subheader(_("Challenges"))
parts.challenge_list(challenges, theme_names)

st.subheader(_("Practices"))
if not practices:
    st.info(_("No published practices from this country yet."))
for row in practices:
    with st.container(border=True):
        render.practice_link(row.id, row.title)
        render.facts_line([row.stage.label], sample=row.is_sample)
        render.rich_text(row.summary)
