"""The event display (/display): full-screen slides for a big screen, rotating on their own.

One fragment re-runs on a tick, every `display.tick_seconds(rotate)` seconds (at most 10 s, and
a whole fraction of `rotate`: 20 s -> every 10 s, 300 s -> every 10 s, 5 s -> every 5 s). Each
tick reads the data of the slide on screen afresh, so a record published meanwhile shows within
a tick, without a reload, even when a slide stays up for minutes: what a slide shows of the
records is shared per display scope and records version (a publication moves it), so a tick
that finds nothing new reads one row. Whether the tick also changes
the slide is `display.Position.at` (pure, unit-tested): only once `rotate` seconds have passed
since the slide came on, by the server's monotonic clock. A full run (opening or reloading the
page) starts again at the first slide. A tick that keeps the slide redraws the same elements in
place (the chart under its one fixed key), and the CSS keeps the previous run's elements from
fading meanwhile, so nothing blinks; the featured slide keeps its case for the whole slide. The
session keeps a few small values: the position (slide, round), the time the slide came on, and
the featured case's id.

The display has no menu: it speaks the language of `?lang=` in its URL (the frame reads it), and
gives phones addresses in that language (display.with_language). What is shared between
displays holds records, not words (the heatmap's chart, which has names, is kept per language):
each tick writes its slide's words in the language of the run.
"""

import logging
import time
from collections.abc import Sequence

import altair as alt
import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from forumdash import charts, display, i18n, repository, rich_text
from forumdash.db import read_session
from forumdash.display import DisplayConfig, Position
from forumdash.i18n import _, ngettext
from forumdash.models import ChallengePublic, PracticePublic, PracticeSummary
from forumdash.settings import get_settings
from forumdash.translations import shown_text
from forumdash.ui import charts as chart_ui
from forumdash.ui import region, render
from forumdash.versioned_cache import ViewCache

KEY = "display."
NAVY = "#0b1f3a"

# The clock of the rotation (seconds): monotonic, so a change of the server's wall clock never
# stops or races the slides. A module attribute, so that tests can set the time.
_clock = time.monotonic

# One fixed block of CSS for the big screen: no Streamlit chrome (header, toolbar, sidebar and
# its toggle, running indicator), large type, dark navy on white. A CONSTANT: it holds no user
# text and nothing from the URL, so unsafe HTML is not a risk here.
STYLE = """
<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stStatusWidget"], [data-testid="stMainMenu"], footer {
  display: none !important;
}
.stApp, [data-testid="stMain"] { background: #ffffff; color: #0b1f3a; }
[data-testid="stMain"] { overflow: hidden; }
[data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: none !important; }
/* Nothing fades while the fragment re-runs: a stage screen must never look greyed out. */
[data-stale="true"], .stale-element { opacity: 1 !important; transition: none !important; }

.st-key-display-top { background: #0b1f3a; padding: 22px 64px; gap: 40px; }
.st-key-display-top p { color: #ffffff; font-size: 32px; line-height: 1.2; margin: 0; }
.st-key-display-top strong { font-weight: 700; letter-spacing: 0.01em; }
.st-key-display-top .st-key-display-scope p { color: #cfe0f3; }
.st-key-display-dots p { color: #8fb8e6; letter-spacing: 0.15em; font-size: 30px; }
.st-key-display-progress p { white-space: nowrap; }

.st-key-display-body { padding: 40px 64px 0 64px; gap: 28px; }
.st-key-display-body h1 {
  font-size: 72px; line-height: 1.1; font-weight: 800; color: #0b1f3a; padding: 0 0 8px 0;
  border-bottom: 8px solid #1f5f99; display: inline-block;
}
.st-key-display-body h2 {
  font-size: 60px; line-height: 1.15; font-weight: 750; color: #0b1f3a; padding: 0;
}
.st-key-display-body p, .st-key-display-body li {
  font-size: 36px; line-height: 1.35; color: #0b1f3a;
}
.st-key-display-body [class*="st-key-display-meta"] p { font-size: 30px; color: #25344f; }
.st-key-display-body [class*="st-key-display-row"] {
  border-left: 12px solid #1f5f99; padding: 4px 0 4px 28px; gap: 0;
}
.st-key-display-body [class*="st-key-display-row"] strong { font-size: 40px; }
.st-key-display-body .stMarkdownBadge {
  font-size: 26px !important; padding: 2px 14px; border-radius: 8px; vertical-align: 4px;
}
.st-key-display-body [data-testid="stMetric"] {
  border: 4px solid #0b1f3a; border-radius: 20px; padding: 32px 36px; background: #f4f7fb;
}
.st-key-display-body [data-testid="stMetricLabel"] p {
  font-size: 36px; font-weight: 600; color: #0b1f3a;
}
.st-key-display-body [data-testid="stMetricValue"] p {
  font-size: 160px; line-height: 1.05; font-weight: 800; color: #0b1f3a;
}
.st-key-display-body [class*="st-key-display-url"] p {
  font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 38px;
  background: #f4f7fb; border: 4px solid #0b1f3a; border-radius: 14px; padding: 14px 24px;
  word-break: break-all;
}
/* A screen, not a page: bare web addresses in titles (autolinked by Markdown) read as text. */
.st-key-display-body a { color: inherit; text-decoration: none; pointer-events: none; }
.st-key-display-body [data-testid="stImage"] img { image-rendering: pixelated; }

.st-key-display-footer {
  position: fixed; left: 0; right: 0; bottom: 0; z-index: 10;
  background: #f4f7fb; border-top: 4px solid #1f5f99; padding: 14px 64px; gap: 40px;
}
.st-key-display-footer p { font-size: 28px; color: #25344f; margin: 0; }
.st-key-display-footer .st-key-display-notices p { font-size: 20px; padding-bottom: 8px; }
.st-key-display-footer a { color: inherit; text-decoration: none; pointer-events: none; }
.st-key-display-footer .st-key-display-address-warning p {
  font-size: 18px; color: #8a4b00; padding-top: 6px;
}
.st-key-display-body [class*="st-key-display-take"] h2 { font-size: 48px; }
.st-key-display-body [class*="st-key-display-take"] p { font-size: 30px; }
.st-key-display-body [class*="st-key-display-take"] [class*="st-key-display-url"] p {
  font-size: 28px;
}
.st-key-display-body .st-key-display-today [data-testid="stMetricValue"] p { font-size: 120px; }
/* A smaller screen than the 1920x1080 the display is made for (a laptop at the front desk):
   the QR slide keeps everything above the footer. */
@media (max-width: 1600px), (max-height: 950px) {
  .st-key-display-body [class*="st-key-display-take"] h2 { font-size: 36px; }
  .st-key-display-body [class*="st-key-display-take"] p { font-size: 22px; }
  .st-key-display-body [class*="st-key-display-take"] [class*="st-key-display-url"] p {
    font-size: 20px; padding: 8px 14px;
  }
  .st-key-display-body [class*="st-key-display-take"] [data-testid="stImage"] img {
    width: 240px !important; height: auto;
  }
}
</style>
"""


def show(engine: Engine) -> None:
    """The display, configured by the URL: ?rotate=20&countries=AL,RS&themes=open-data&slides=."""
    st.html(STYLE)  # the constant CSS above: no user text
    with read_session(engine) as session:
        names = repository.reference_names(session=session)  # shared: read-only
    countries, themes = names.countries, names.themes
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    config = DisplayConfig.from_params(params, countries=countries, themes=themes)
    submit = display.submit_url(page_url=st.context.url, configured=get_settings().public_url)
    scope = _scope(config, countries, themes)

    # A full run (opening or reloading the page) starts at the first slide, now; the fragment's
    # own runs (its ticks) read the slide on screen again and move on when its time is up.
    st.session_state[KEY + "position"] = (0, 0)
    st.session_state[KEY + "started"] = _clock()
    tick = display.tick_seconds(config.rotate)
    rotation = st.fragment(run_every=tick, key="display_rotation")(_rotation)
    rotation(engine, config, scope, themes, submit)
    _footer(config, submit)


def _scope(config: DisplayConfig, countries: dict[str, str], themes: dict[str, str]) -> str:
    """What the display covers, e.g. 'Albania, Serbia · Open data' (not escaped), in the current
    language."""
    parts = []
    if config.countries:
        parts.append(", ".join(i18n.country_name(c, countries[c]) for c in config.countries))
    if config.themes:
        parts.append(", ".join(i18n.data_label(themes[t]) for t in config.themes))
    return " · ".join(parts)


def _rotation(
    engine: Engine, config: DisplayConfig, scope: str, themes: dict[str, str], submit: str | None
) -> None:
    """One tick: the slide on screen (or the next one, when its time is up), read afresh."""
    now = _clock()
    slide, turn = st.session_state.get(KEY + "position", (0, 0))
    started = st.session_state.get(KEY + "started", now)
    position = Position(slide, turn, started).at(
        now, rotate=config.rotate, slide_count=len(config.slides)
    )
    st.session_state[KEY + "position"] = (position.slide, position.round)
    st.session_state[KEY + "started"] = position.started
    name = config.slides[position.slide % len(config.slides)]

    with st.container(key="display-slide", gap=None):
        _top(position.slide, len(config.slides), scope)
        with st.container(key="display-body"):
            st.markdown(f"# {_(display.SLIDES[name])}", anchors=False)
            try:
                with read_session(engine) as session:
                    SLIDE_DRAWERS[name](session, config, position.round, themes, submit)
            except SQLAlchemyError as exc:
                # A stage screen shows no traceback: say so calmly, the next tick tries again.
                logging.getLogger("forumdash").log(
                    logging.ERROR, "display: database error: %s", exc
                )
                _none_yet(_("The forum's data is out of reach for a moment; trying again shortly."))


def _top(slide: int, count: int, scope: str) -> None:
    """The band on top of every slide: the forum's name, what it covers, slide n of m."""
    with st.container(horizontal=True, key="display-top", vertical_alignment="center"):
        st.markdown(f"**{_(display.FORUM_NAME)}**", width="stretch")
        if scope:
            with st.container(key="display-scope", width="content"):
                st.markdown(render.escape_markdown(display.shorten(scope, 60)))
        with st.container(key="display-dots", width="content"):
            st.markdown(" ".join("●" if i == slide else "○" for i in range(count)))
        with st.container(key="display-progress", width="content"):
            st.markdown(_("Slide {number} of {count}").format(number=slide + 1, count=count))


def _footer(config: DisplayConfig, submit: str | None) -> None:
    """The band at the bottom (drawn once): live, where to submit, and any URL notices."""
    with st.container(key="display-footer", gap=None):
        if config.notices:
            with st.container(key="display-notices"):
                st.markdown(" · ".join(render.escape_markdown(n) for n in config.notices))
        with st.container(horizontal=True, key="display-footer-line"):
            st.markdown(
                "● "
                + _(
                    "Live: new publications appear on their own · a new slide every {seconds} s"
                ).format(seconds=config.rotate),
                width="stretch",
            )
            if submit:
                share = display.page_url(submit, "share", event=config.event)
                address = render.escape_markdown(_short_url(share))
                st.markdown(_("Share yours: {address}").format(address=address), width="content")
        warning = display.address_warning(submit)
        if warning:
            # Small print for the organiser setting up the screen (also in the server's log).
            with st.container(key="display-address-warning"):
                st.markdown("⚠ " + render.escape_markdown(warning))


def _short_url(url: str) -> str:
    """An address as people type it: no scheme."""
    return url.split("://", 1)[-1]


def _badge(is_sample: bool) -> str:
    return render.sample_badge() + " " if is_sample else ""


def _theme_list(slugs: Sequence[str], themes: dict[str, str]) -> str:
    """Themes named in the current language, comma-separated."""
    return ", ".join(i18n.data_label(themes.get(slug, slug)) for slug in slugs)


def _none_yet(text: str) -> None:
    with st.container(key="display-meta-none"):
        st.markdown(text)


# --------------------------------------------------------------------------- slides

# What the slides show of the published records, per display scope (countries, themes) and
# records version, shared by every display and built once, not on each tick of each display: a
# publication moves the version, so the next tick reads it. (The requests to learn, which move
# no version, are read on each tick.)
Scope = tuple[str, ...]


def _build_featured(
    session: Session,
    countries: Scope,
    themes: Scope,
    turn: int,
    keep: tuple[int, int, int] | None,
) -> tuple[PracticePublic | None, int, int]:
    config = DisplayConfig(countries=countries, themes=themes)
    return display.featured(session=session, config=config, position=turn, keep=keep)


def _build_counters(
    session: Session, countries: Scope, themes: Scope
) -> tuple[display.Counters, list[PracticeSummary], list[ChallengePublic]]:
    config = DisplayConfig(countries=countries, themes=themes)
    return (
        display.counters(session=session, config=config),
        display.newest(session=session, config=config, limit=1),
        display.open_challenges(session=session, config=config, limit=1),
    )


def _build_newest(session: Session, countries: Scope, themes: Scope) -> list[PracticeSummary]:
    config = DisplayConfig(countries=countries, themes=themes)
    return display.newest(session=session, config=config, limit=5)


def _build_open(session: Session, countries: Scope, themes: Scope) -> list[ChallengePublic]:
    return display.open_challenges(
        session=session, config=DisplayConfig(countries=countries, themes=themes)
    )


_FEATURED: ViewCache[tuple[PracticePublic | None, int, int]] = ViewCache(
    _build_featured, max_entries=128
)
_COUNTERS: ViewCache[tuple[display.Counters, list[PracticeSummary], list[ChallengePublic]]] = (
    ViewCache(_build_counters, max_entries=32)
)
_NEWEST: ViewCache[list[PracticeSummary]] = ViewCache(_build_newest, max_entries=32)
_OPEN_CHALLENGES: ViewCache[list[ChallengePublic]] = ViewCache(_build_open, max_entries=32)


def _featured(
    session: Session, config: DisplayConfig, turn: int, themes: dict[str, str], submit: str | None
) -> None:
    # The same case for the whole slide: a tick re-reads it but does not swap it for a practice
    # published meanwhile (the next turn steps on as usual). The slide's start names the slide.
    shown = (turn, st.session_state.get(KEY + "started"))
    pinned = st.session_state.get(KEY + "featured")
    keep = pinned[1] if pinned and pinned[0] == shown else None
    practice, number, total = _FEATURED.get(session, config.countries, config.themes, turn, keep)
    st.session_state[KEY + "featured"] = (shown, (practice.id, number, total)) if practice else None
    if practice is None:
        _none_yet(_("No published practice matches this display yet."))
        return
    text = shown_text(practice)  # the screen's language where a translation is published
    left, right = st.columns([2.6, 1], gap="large")
    with left:
        title = render.escape_markdown(display.shorten(text.title, 100))
        st.markdown(f"## {title}", anchors=False)
        facts = [
            i18n.country_name(practice.country_code, practice.country_name),
            _("{level} level").format(level=practice.level.label),
            practice.stage.label,
            _theme_list(practice.themes, themes),
            text.notice(),
        ]
        with st.container(key="display-meta-facts"):
            st.markdown(
                _badge(practice.is_sample)
                + " · ".join(render.escape_markdown(f) for f in facts if f)
            )
        summary = display.shorten(rich_text.to_plain_text(text.summary), 300)
        st.markdown(render.escape_markdown(summary))
        with st.container(key="display-meta-lead"):
            lines = []
            if practice.lead_institution:
                lead = display.shorten(practice.lead_institution, 80)
                lines.append(
                    _("Led by {institution}").format(institution=render.escape_markdown(lead))
                )
            rated = [
                _("completion: {value}").format(value=practice.completion.label.lower())
                if practice.completion
                else "",
                _("evidence: {value}").format(value=practice.evidence_level.label.lower())
                if practice.evidence_level
                else "",
            ]
            if any(rated):
                lines.append(" · ".join(r for r in rated if r).capitalize())
            if lines:
                st.markdown("  \n".join(lines))
    with right:
        if submit:
            address = display.practice_url(submit, practice.id, event=config.event)
            st.image(
                display.qr_svg(address, size=380),
                alt=_("QR code: opens this practice at {address}").format(
                    address=_short_url(address)
                ),
            )
            with st.container(key="display-meta-scan"):
                st.markdown(_("Scan to read the full case"))
        with st.container(key="display-meta-count"):
            st.markdown(_("Practice {number} of {total}").format(number=number, total=total))


def _counters(
    session: Session, config: DisplayConfig, turn: int, themes: dict[str, str], submit: str | None
) -> None:
    figures, latest, challenge = _COUNTERS.get(session, config.countries, config.themes)
    cols = st.columns(4, gap="large")
    cols[0].metric(_("Published practices"), figures.practices)
    cols[1].metric(_("Countries"), figures.countries)
    cols[2].metric(_("Open challenges"), figures.open_challenges)
    cols[3].metric(_("Milestones"), figures.milestones)
    for key, label, rows in (
        ("latest", _("Newest practice"), latest),
        ("challenge", _("Newest open challenge"), challenge),
    ):
        if rows:
            _headline(key, label, rows[0])


def _headline(key: str, label: str, row: PracticeSummary | ChallengePublic) -> None:
    """A small label over one record's title and country (escaped), in large type."""
    with st.container(key=f"display-row-{key}", gap=None):
        with st.container(key=f"display-meta-{key}"):
            st.markdown(label)
        st.markdown(
            _badge(row.is_sample)
            + f"**{render.escape_markdown(display.shorten(shown_text(row).title, 80))}**"
            + f" · {render.escape_markdown(i18n.country_name(row.country_code, row.country_name))}"
        )


def _heatmap_chart(
    session: Session, countries: tuple[str, ...], themes: tuple[str, ...], language: str
) -> chart_ui.PreparedChart | None:
    """The heatmap slide's chart for a display's countries and themes, or None when no
    published practice is in it."""
    config = DisplayConfig(countries=countries, themes=themes)
    with i18n.language(language):
        frame = display.heatmap_frame(session=session, config=config)
        if frame.empty or not int(frame["practices"].sum()):
            return None
        rows = max(frame["slug"].nunique(), 1)
        columns = max(frame["code"].nunique(), 1)
        # Fit 1920x1080 under the slide's title and above the footer (with room for its small
        # print about an unreachable address): up to 14 themes by 10 countries.
        step = max(30, min(90, 620 // rows))
        column = max(100, min(240, 1380 // columns))
        chart = charts.country_theme_heatmap(frame, large=True)
        # The slide's own title says what the chart shows: leave the chart's title out.
        chart.title = alt.Undefined
        for layer in getattr(chart, "layer", []):
            layer.title = alt.Undefined
        chart = (
            chart.properties(height=alt.Step(step), width=alt.Step(column))
            .configure_axis(labelColor=NAVY, titleColor=NAVY, labelOverlap=False)
            .configure_axisX(labelFlush=False)
        )
        return chart_ui.prepare(chart.to_dict())


# Built once per data version, display scope and language, not on every tick of every display.
_HEATMAPS: ViewCache[chart_ui.PreparedChart | None] = ViewCache(_heatmap_chart, max_entries=32)


def _heatmap(
    session: Session, config: DisplayConfig, turn: int, themes: dict[str, str], submit: str | None
) -> None:
    chart = _HEATMAPS.get(session, config.countries, config.themes, i18n.current().tag)
    if chart is None:
        _none_yet(_("No published practice matches this display yet."))
        return
    # A screen nobody clicks: no downloads and no table (the overview has both).
    chart_ui.show(
        chart,
        key="display.heatmap",
        filename="heatmap",
        width="content",
        downloads=False,
        table=False,
    )


def _map(
    session: Session, config: DisplayConfig, turn: int, themes: dict[str, str], submit: str | None
) -> None:
    region.display_map(session, config.countries, config.themes)


def _newest(
    session: Session, config: DisplayConfig, turn: int, themes: dict[str, str], submit: str | None
) -> None:
    rows = _NEWEST.get(session, config.countries, config.themes)
    if not rows:
        _none_yet(_("No published practice matches this display yet."))
        return
    for i, row in enumerate(rows):
        with st.container(key=f"display-row-{i}", gap=None):
            st.markdown(
                _badge(row.is_sample)
                + f"**{render.escape_markdown(display.shorten(shown_text(row).title, 75))}**"
            )
            facts = [
                i18n.country_name(row.country_code, row.country_name),
                _theme_list(row.themes[:2], themes),
            ]
            with st.container(key=f"display-meta-row{i}"):
                st.markdown(" · ".join(render.escape_markdown(f) for f in facts if f))


def _challenges(
    session: Session, config: DisplayConfig, turn: int, themes: dict[str, str], submit: str | None
) -> None:
    everything = _OPEN_CHALLENGES.get(session, config.countries, config.themes)
    rows, page, pages = display.challenge_page(everything, position=turn, per_slide=5)
    if not rows:
        _none_yet(_("No open challenge matches this display right now."))
        return
    for i, row in enumerate(rows):
        with st.container(key=f"display-row-{i}", gap=None):
            st.markdown(
                _badge(row.is_sample)
                + f"**{render.escape_markdown(display.shorten(shown_text(row).title, 75))}**"
            )
            wanted = ", ".join(s.label.lower() for s in row.support_sought)
            facts = [
                i18n.country_name(row.country_code, row.country_name),
                row.challenge_status.label,
                _("looking for {support}").format(support=wanted) if wanted else "",
            ]
            with st.container(key=f"display-meta-row{i}"):
                st.markdown(" · ".join(render.escape_markdown(f) for f in facts if f))
    if pages > 1:
        with st.container(key="display-meta-pages"):
            st.markdown(
                ngettext(
                    "{n} open challenge · page {page} of {pages}",
                    "{n} open challenges · page {page} of {pages}",
                    len(everything),
                ).format(n=len(everything), page=page, pages=pages)
            )


def _qr(
    session: Session, config: DisplayConfig, turn: int, themes: dict[str, str], submit: str | None
) -> None:
    if submit is None:
        _none_yet(
            _(
                "The display does not know the forum's public address: set {variable} on the "
                "server to show a QR code here."
            ).format(variable="FORUMDASH\\_PUBLIC\\_URL")
        )
        return
    # The addresses phones get carry the display's event and language; the screen shows them.
    learn = display.page_url(submit, "browse", event=config.event)
    share = display.page_url(submit, "share", event=config.event)
    left, right = st.columns(2, gap="large")
    for where, key, address, heading, text, alt_text in (
        (
            left,
            "learn",
            learn,
            _("Learn from a practice"),
            _(
                "Open a practice, from this screen or from the list, and tap “I want to learn "
                "from this”: its country's focal point gets in touch with you."
            ),
            _("QR code: opens the list of practices at {address}"),
        ),
        (
            right,
            "share",
            share,
            _("Share a practice or a challenge"),
            _(
                "Tell the forum about a practice from your country, or a problem you want help "
                "with. A focal point or an organiser reads it before anything is published."
            ),
            _("QR code: opens the form to share a practice or a challenge at {address}"),
        ),
    ):
        with where, st.container(key=f"display-take-{key}"):
            st.markdown("## " + heading, anchors=False)
            code, words = st.columns([1, 1.25], gap="medium", vertical_alignment="center")
            code.image(
                display.qr_svg(address, size=330),
                width=330,
                alt=alt_text.format(address=_short_url(address)),
            )
            words.markdown(text)
            with st.container(key=f"display-url-{key}"):
                st.markdown(render.escape_markdown(_short_url(address)))
    with st.container(key="display-meta-review"):
        st.markdown(_("No account needed: scan with your phone's camera."))


def _asked(
    session: Session, config: DisplayConfig, turn: int, themes: dict[str, str], submit: str | None
) -> None:
    figures = display.most_asked(session=session, config=config)
    left, right = st.columns([2.6, 1], gap="large")
    with right, st.container(key="display-today"):
        st.metric(_("Requests today"), figures.today)
        with st.container(key="display-meta-today"):
            st.markdown(_("to learn from a practice, since midnight (UTC)"))
    with left:
        if not figures.practices:
            _none_yet(
                _(
                    "Nobody has asked to learn from a practice yet: scan a practice's code and "
                    "tap “I want to learn from this”."
                )
            )
            return
        for i, (row, count) in enumerate(figures.practices):
            with st.container(key=f"display-row-{i}", gap=None):
                st.markdown(
                    _badge(row.is_sample)
                    + f"**{render.escape_markdown(display.shorten(shown_text(row).title, 70))}**"
                )
                facts = [
                    i18n.country_name(row.country_code, row.country_name),
                    ngettext("{n} request to learn", "{n} requests to learn", count).format(
                        n=count
                    ),
                ]
                with st.container(key=f"display-meta-row{i}"):
                    st.markdown(" · ".join(render.escape_markdown(f) for f in facts if f))


SLIDE_DRAWERS = {
    "featured": _featured,
    "counters": _counters,
    "heatmap": _heatmap,
    "map": _map,
    "newest": _newest,
    "challenges": _challenges,
    "asked": _asked,
    "qr": _qr,
}
