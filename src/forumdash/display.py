"""The event display (/display): its configuration from the URL, its timing, the data of its
slides, the QR codes that lead phones to the site (a practice, the list, /share), and whether
phones can reach the address it gives them. Pure over a session; the page draws it
(forumdash.ui.display).

Timing: the page re-reads the slide on screen every `tick_seconds(rotate)` seconds (`rotate`
split into equal ticks of at most MAX_TICK = 10 s, so a slide change falls on a tick), and
`Position.at(now, ...)` says on each tick whether the slide changes: only once `rotate` seconds
have passed since the slide came on. The next slide's start is the previous one's plus `rotate`
(not the moment the tick came), so a late tick neither stretches the rotation nor skips a slide;
a tick more than a whole rotation late (a stalled server, a sleeping machine) moves on by one
slide and starts the clock again from then instead of racing through the missed slides.

The display speaks the language of its run (forumdash.i18n.current(), from `?lang=` in its URL):
slide titles, notices, the heatmap's names, and the addresses it gives phones (QR codes), which
carry `lang` so that a display running in Albanian sends phones to Albanian pages, and the
display's `event` (?event=tirana-2026), so that what participants send says where it came from.

Only published records are ever read: every query goes through repository functions that filter
on the workflow state, and the practice counts through the facet index of published practices.
"""

import functools
import io
import ipaddress
import logging
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd
import segno
from sqlmodel import Session

from forumdash import exchange, i18n, repository, stats, urlparams
from forumdash import vocab as v
from forumdash.filters import PracticeFilters
from forumdash.i18n import N_, _
from forumdash.models import ChallengePublic, PracticePublic, PracticeSummary
from forumdash.text import clean_text, safe_url

FORUM_NAME = N_("Western Balkans Regional Forum")

# slide name (as in ?slides=...) -> its title on the screen (in English: shown with _()), in the
# default order.
SLIDES: dict[str, str] = {
    "featured": N_("Featured practice"),
    "counters": N_("The forum in numbers"),
    "heatmap": N_("Practices by country and theme"),
    "map": N_("Published practices across the region"),
    "newest": N_("Newest publications"),
    "challenges": N_("Open challenges looking for help"),
    "asked": N_("Practices people want to learn from"),
    "qr": N_("Take part from your phone"),
}

DEFAULT_ROTATE = 20
MIN_ROTATE = 5
MAX_ROTATE = 300
# The longest a new publication waits before the slide on screen shows it (seconds).
MAX_TICK = 10
# A tick this much before a slide's time is up still changes the slide (seconds): the browser's
# timer and the server's clock are not in step to the millisecond, and a tick that came 50 ms
# early must not keep a slide on for one more tick.
TICK_SLACK = 1.0
MAX_NOTICES = 5
OPEN_STATUSES = (v.ChallengeStatus.open.value, v.ChallengeStatus.being_addressed.value)

_PARAM_ALIASES = {
    "rotate": "rotate",
    "countries": "countries",
    "country": "countries",
    "themes": "themes",
    "theme": "themes",
    "slides": "slides",
    "slide": "slides",
    "event": "event",
}
# An event's short name in the display's URL (?event=tirana-2026): carried by its QR codes into
# what participants send. Letters, digits and dashes only, so it is safe in any URL or text.
EVENT = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


@dataclass(frozen=True)
class DisplayConfig:
    """What the display shows: its URL parameters, validated. Unknown values become notices."""

    rotate: int = DEFAULT_ROTATE
    countries: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    slides: tuple[str, ...] = tuple(SLIDES)
    event: str = ""
    notices: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_params(
        cls, params: Mapping[str, Any], *, countries: Iterable[str], themes: Iterable[str]
    ) -> "DisplayConfig":
        """The configuration named by URL parameters (`rotate`, `countries`, `themes`, `slides`),
        with `countries` (ISO codes) and `themes` (slugs) checked against the database's lists.
        Never raises: anything unknown or malformed is dropped and named in `notices`."""
        known_countries = {c.upper() for c in countries}
        reader = urlparams.Reader()
        chosen: dict[str, Any] = {}
        for key in params:
            name = _PARAM_ALIASES.get(str(key).strip().lower())
            raw = params[key]
            if name is None:
                reader.unknown(key)
            elif name == "rotate":
                chosen["rotate"] = _rotate(urlparams.values(raw), reader)
            elif name == "countries":
                picked = reader.pick(raw, known_countries, "country", normalise=str.upper)
                chosen["countries"] = tuple(dict.fromkeys([*chosen.get("countries", ()), *picked]))
            elif name == "event":
                chosen["event"] = _event(urlparams.values(raw), reader)
            elif name == "themes":
                picked = reader.pick(raw, set(themes), "theme")
                chosen["themes"] = tuple(dict.fromkeys([*chosen.get("themes", ()), *picked]))
            else:
                hint = " " + _("(slides: {names})").format(names=", ".join(SLIDES))
                picked = reader.pick(raw, SLIDES, "slide", hint=hint)
                chosen["slides"] = tuple(dict.fromkeys([*chosen.get("slides", ()), *picked]))
        if "slides" in chosen and not chosen["slides"]:
            del chosen["slides"]  # none valid: show them all
        return cls(**chosen, notices=reader.result(MAX_NOTICES))

    @property
    def filters(self) -> PracticeFilters:
        """The practices the display covers, as a browse view (newest first)."""
        return PracticeFilters(countries=self.countries, themes=self.themes, sort="newest")

    def params(self) -> dict[str, str]:
        """The URL parameters of this configuration (only what differs from the defaults)."""
        out: dict[str, str] = {}
        if self.rotate != DEFAULT_ROTATE:
            out["rotate"] = str(self.rotate)
        if self.countries:
            out["countries"] = ",".join(self.countries)
        if self.themes:
            out["themes"] = ",".join(self.themes)
        if self.slides != tuple(SLIDES):
            out["slides"] = ",".join(self.slides)
        if self.event:
            out["event"] = self.event
        return out


def _event(raw: list[str], reader: urlparams.Reader) -> str:
    value = (raw[0] if raw else "").strip().lower()
    if EVENT.match(value):
        return value
    reader.note(
        _(
            "Ignored event “{value}”: give a short name of letters, digits and dashes "
            "(at most 40), such as tirana-2026."
        ).format(value=urlparams.quoted(value, 20))
    )
    return ""


def _rotate(raw: list[str], reader: urlparams.Reader) -> int:
    value = raw[0] if raw else ""
    try:
        seconds = round(float(value.lower().removesuffix("s")))
    except (ValueError, OverflowError):
        reader.note(
            _(
                "Ignored rotate “{value}”: give a number of seconds ({low} to {high}); "
                "using {default}."
            ).format(
                value=urlparams.quoted(value, 20),
                low=MIN_ROTATE,
                high=MAX_ROTATE,
                default=DEFAULT_ROTATE,
            )
        )
        return DEFAULT_ROTATE
    if seconds < MIN_ROTATE or seconds > MAX_ROTATE:
        clamped = min(max(seconds, MIN_ROTATE), MAX_ROTATE)
        reader.note(
            _("rotate is between {low} and {high} seconds; using {seconds}.").format(
                low=MIN_ROTATE, high=MAX_ROTATE, seconds=clamped
            )
        )
        return clamped
    return seconds


# --------------------------------------------------------------------------- rotation


def tick_seconds(rotate: float) -> float:
    """How often the display re-reads the slide on screen: `rotate` split into the fewest equal
    parts of at most MAX_TICK seconds (20 -> 10, 15 -> 7.5, 300 -> 10, 5 -> 5), so that a new
    publication shows within MAX_TICK seconds and every slide change falls on a tick."""
    rotate = max(float(rotate), 1.0)
    return rotate / max(1, math.ceil(rotate / MAX_TICK))


@dataclass(frozen=True)
class Position:
    """Where the display is: the slide shown, how many full rounds it has made, and when the
    slide came on (`started`, seconds on a monotonic clock)."""

    slide: int = 0
    round: int = 0
    started: float = 0.0

    def advance(self, slide_count: int, started: float | None = None) -> "Position":
        """The next slide (back to the first, one round on, after the last), coming on at
        `started` (by default this one's start)."""
        when = self.started if started is None else started
        following = self.slide + 1
        if following >= max(slide_count, 1):
            return Position(0, self.round + 1, when)
        return Position(following, self.round, when)

    def at(
        self, now: float, *, rotate: float, slide_count: int, slack: float = TICK_SLACK
    ) -> "Position":
        """Where the display is at `now` (a tick): the same slide until `rotate` seconds have
        passed since it came on (less `slack`), then the next one, at most one slide per tick.

        On time or late by less than a rotation, the next slide starts `rotate` seconds after
        this one did (so the rotation keeps its pace whatever the ticks' delays); later than that
        it starts now (one slide on, not a race through the missed ones). A start in the future
        beyond `slack` (a clock set back) restarts this slide's time from now."""
        elapsed = now - self.started
        if elapsed < -slack:
            return replace(self, started=now)
        if elapsed < rotate - slack:
            return self
        following = self.started + rotate
        if now - following >= rotate - slack:
            following = now
        return self.advance(slide_count, started=following)


# --------------------------------------------------------------------------- slide data


@dataclass(frozen=True)
class Counters:
    practices: int
    countries: int
    open_challenges: int
    milestones: int


def counters(*, session: Session, config: DisplayConfig) -> Counters:
    """Headline figures under the display's countries and themes (published records only).
    Milestones have no themes: they follow the countries alone (all of them, regional ones
    included, when no country is chosen)."""
    counts, total, _rows = repository.browse(
        session=session, filters=config.filters.with_changes(per_page=1)
    )
    by_country = counts.get("countries", {})
    wanted = set(config.countries)
    countries = sum(1 for code, n in by_country.items() if n and (not wanted or code in wanted))
    if wanted:
        milestones = sum(
            1 for m in repository.list_milestones(session=session) if m.country_code in wanted
        )
    else:
        milestones = repository.count_milestones(session=session)
    return Counters(
        practices=total,
        countries=countries,
        open_challenges=len(open_challenges(session=session, config=config)),
        milestones=milestones,
    )


def practices_by_country(*, session: Session, config: DisplayConfig) -> dict[str, int]:
    """Published practices per country code under the display's themes (the map slide; the
    countries facet counts each practice once, whatever the other countries chosen)."""
    counts, _total, _rows = repository.browse(
        session=session, filters=config.filters.with_changes(per_page=1)
    )
    return dict(counts.get("countries", {}))


def newest(*, session: Session, config: DisplayConfig, limit: int = 6) -> list[PracticeSummary]:
    """The latest published practices under the display's filters, newest first."""
    return repository.search_practices(
        session=session, filters=config.filters.with_changes(per_page=limit)
    )[1]


def featured(
    *,
    session: Session,
    config: DisplayConfig,
    position: int,
    keep: tuple[int, int, int] | None = None,
) -> tuple[PracticePublic | None, int, int]:
    """The practice featured at this turn (the display steps through every published practice
    under its filters, newest first): (the practice, its number from 1, how many there are).

    `keep` is what this slide has shown so far, (id, number, total): while that practice is still
    published under the display's filters it is shown again, read afresh, so that a publication
    during the slide does not swap the case people are reading (the next turn steps on)."""
    if keep is not None:
        practice = repository.get_practice(session=session, practice_id=keep[0])
        if practice is not None and _covers(config, practice):
            return practice, keep[1], keep[2]
    total, _rows = repository.search_practices(
        session=session, filters=config.filters.with_changes(per_page=1)
    )
    if not total:
        return None, 0, 0
    number = position % total + 1
    _total, rows = repository.search_practices(
        session=session, filters=config.filters.with_changes(per_page=1, page=number)
    )
    if not rows:
        return None, 0, total
    practice = repository.get_practice(session=session, practice_id=rows[0].id)
    return practice, number, total


def _covers(config: DisplayConfig, practice: PracticePublic) -> bool:
    """Whether a practice falls under the display's countries and themes."""
    if config.countries and practice.country_code not in config.countries:
        return False
    return not config.themes or bool(set(config.themes) & set(practice.themes))


def open_challenges(
    *, session: Session, config: DisplayConfig, limit: int | None = None
) -> list[ChallengePublic]:
    """Published challenges still open or being addressed, under the display's filters."""
    return repository.list_challenges(
        session=session,
        countries=config.countries,
        themes=config.themes,
        challenge_statuses=OPEN_STATUSES,
        limit=limit,
    )


def challenge_page(
    challenges: list[ChallengePublic], *, position: int, per_slide: int = 4
) -> tuple[list[ChallengePublic], int, int]:
    """The challenges shown at this turn, paging through all of them: (rows, page, pages)."""
    if not challenges:
        return [], 0, 0
    pages = -(-len(challenges) // per_slide)
    page = position % pages
    return challenges[page * per_slide : (page + 1) * per_slide], page + 1, pages


@dataclass(frozen=True)
class Asked:
    """The practices most asked about (published only; counts, never who asked) and the
    number of requests made today, under the display's countries and themes."""

    practices: list[tuple[PracticeSummary, int]]
    today: int


def most_asked(*, session: Session, config: DisplayConfig, limit: int = 5) -> Asked:
    """The data of the "asked" slide."""
    ranked = exchange.most_asked(
        session=session, countries=config.countries, themes=config.themes, limit=limit
    )
    rows = {
        row.id: row for row in repository.summaries_by_id(session, [m.practice_id for m in ranked])
    }
    return Asked(
        practices=[(rows[m.practice_id], m.requests) for m in ranked if m.practice_id in rows],
        today=exchange.requests_today(session=session, countries=config.countries),
    )


def heatmap_frame(*, session: Session, config: DisplayConfig) -> pd.DataFrame:
    """Published practices per country and theme under the display's filters, the countries
    and themes named in the current language (the frame is read afresh on every tick: nothing of
    it is cached, so no language can leak into another's screen)."""
    frame = stats.country_theme_frame(
        session=session, countries=config.countries, themes=config.themes
    )
    if frame.empty:
        return frame
    return frame.assign(
        country=[
            i18n.country_name(code, name)
            for code, name in zip(frame["code"], frame["country"], strict=True)
        ],
        theme=[i18n.data_label(name) for name in frame["theme"]],
    )


# --------------------------------------------------------------------------- text


def shorten(text: str, limit: int) -> str:
    """Text cut at a word boundary to at most `limit` characters, with an ellipsis if cut."""
    clean = " ".join(clean_text(text).split())
    if len(clean) <= limit:
        return clean
    cut = clean[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


# --------------------------------------------------------------------------- QR code


def submit_url(*, page_url: str | None, configured: str | None = None) -> str | None:
    """The address of /submit: under the configured public address if there is one (a screen
    opened on localhost should still send phones to the real site), else next to the display's
    own address as the browser sees it. None when neither is an http(s) URL."""
    base = safe_url(configured)
    if base is None:
        page = safe_url(page_url)
        if page is None:
            return None
        parts = urlsplit(page)
        path = parts.path.rstrip("/")
        if path.rsplit("/", 1)[-1] == "display":
            path = path.rsplit("/", 1)[0]
        base = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    else:
        parts = urlsplit(base)
        base = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
    return base.rstrip("/") + "/submit"


def practice_url(submit: str, practice_id: int, *, event: str = "") -> str:
    """The page of a practice, next to /submit, for the display's event, in its language."""
    return page_url(submit, "practice", {"id": str(int(practice_id))}, event=event)


def page_url(
    submit: str, page: str, params: Mapping[str, str] | None = None, *, event: str = ""
) -> str:
    """Another page of the site next to /submit (`share`, `browse`...), for the display's event
    and in its language: what a phone gets from a QR code."""
    return with_language(submit.removesuffix("/submit") + "/" + page, params, event=event)


def with_language(url: str, params: Mapping[str, str] | None = None, *, event: str = "") -> str:
    """`url` with query `params`, the display's `event` if it has one, and, unless the display
    speaks English, `lang`: a phone that scans a display running in Albanian opens the page in
    Albanian."""
    query = dict(params or {})
    if event and EVENT.match(event):
        query["event"] = event
    tag = i18n.current().tag
    if tag != i18n.DEFAULT:
        query["lang"] = tag
    return url + ("?" + urlencode(query) if query else "")


def qr_code(url: str) -> segno.QRCode:
    """The QR code of a URL (made locally, no network): same URL, same matrix."""
    return segno.make(url, error="m", micro=False)


@functools.lru_cache(maxsize=256)  # drawn again on every display's every tick
def qr_svg(url: str, *, size: int = 520, dark: str = "#0b1f3a") -> str:
    """The QR code as an SVG document about `size` pixels wide (white quiet zone included).
    The document holds path data and colours only, not the URL's text."""
    code = qr_code(url)
    modules = code.symbol_size(scale=1, border=4)[0]
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=max(1, size // modules),
        border=4,
        dark=dark,
        light="#ffffff",
        xmldecl=False,
        svgclass=None,
        lineclass=None,
    )
    return out.getvalue().decode("ascii")


# --------------------------------------------------------------------------- reachable address

LOG = logging.getLogger("forumdash")
_PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "169.254.0.0/16",
        "fc00::/7",
        "fe80::/10",
    )
)
_warned: set[str] = set()


def unreachable_kind(url: str | None) -> str | None:
    """Why phones in the room cannot open an address: "loopback" (localhost, 127.x, ::1: the
    screen's own machine), "private" (10/8, 172.16/12, 192.168/16, fc00::/7, link-local, a
    .local name: a local network the phones are not on), or None for a public address."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    if not host:
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return "loopback"
    if host.endswith(".local"):
        return "private"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None  # a name: assumed reachable (it may well be public)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback or address.is_unspecified:
        return "loopback"
    if any(address in net for net in _PRIVATE_NETWORKS if net.version == address.version):
        return "private"
    return None


def address_warning(url: str | None) -> str | None:
    """What the display says in small print when phones cannot reach its address, and how to
    set FORUMDASH_PUBLIC_URL; logged once per address (the log stays English)."""
    kind = unreachable_kind(url)
    if kind is None or url is None:
        return None
    host = urlsplit(url).netloc
    if url not in _warned:
        _warned.add(url)
        LOG.warning(
            "display: phones cannot reach %s (a %s address): set FORUMDASH_PUBLIC_URL to the "
            "forum's public address, e.g. https://forum.example.org, and restart the app",
            host,
            kind,
        )
    if kind == "loopback":
        return _(
            "Phones cannot open {host}: it is this computer's own address. Set {variable} to "
            "the forum's public address (e.g. https://forum.example.org) and restart the app."
        ).format(host=host, variable="FORUMDASH_PUBLIC_URL")
    return _(
        "Phones may not reach {host}: it is a private network address. Set {variable} to the "
        "forum's public address (e.g. https://forum.example.org) and restart the app."
    ).format(host=host, variable="FORUMDASH_PUBLIC_URL")
