"""Every page in every language (issue 12): no exception, and no English message left where the
language has its own words; the language menu, `?lang=` and the URL."""

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from forumdash import auth, catalogs, i18n
from forumdash import vocab as v
from forumdash.db import make_engine, read_session, write_session
from forumdash.service import init_database
from forumdash.ui import lang
from tests.conftest import ROOT
from tests.support.records import add_sample_commitments
from tests.support.signed_in import sign_in_as

PASSWORD = "correct horse battery staple 7"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One seeded database for the module, with commitments and two accounts."""
    import streamlit as st

    url = f"sqlite:///{tmp_path_factory.mktemp('languages') / 'forum.db'}"
    engine = make_engine(url)
    init_database(engine)
    commitments = add_sample_commitments(engine)
    with write_session(engine) as session:
        organiser = auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="org@example.org",
            password=PASSWORD,
            role="organiser",
        )
        focal = auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="fp@xk.example",
            password=PASSWORD,
            role="focal_point",
            country="XK",
        )
        users = {
            "organiser": auth.SessionUser(organiser, "org@example.org", v.Role.organiser, None),
            "focal_point": auth.SessionUser(focal, "fp@xk.example", v.Role.focal_point, "XK"),
        }
    from forumdash import repository

    with read_session(engine) as session:
        practice = repository.list_practices(session=session, limit=1)[0]
        challenge = repository.list_challenges(session=session)[0]
    engine.dispose()
    mp = pytest.MonkeyPatch()
    mp.setenv("FORUMDASH_DATABASE_URL", url)
    mp.chdir(ROOT)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield {
        "users": users,
        "practice": practice.id,
        "challenge": challenge.id,
        "commitment": commitments[0],
    }
    st.cache_resource.clear()
    st.cache_data.clear()
    mp.undo()


def _pages(site: dict[str, Any]) -> list[tuple[str, dict[str, str], str | None]]:
    """(script, URL parameters, who is signed in): every page of the app, with content."""
    return [
        ("app.py", {}, None),
        ("pages/browse.py", {}, None),
        ("pages/practice.py", {"id": str(site["practice"])}, None),
        ("pages/challenges.py", {}, None),
        ("pages/challenges.py", {"id": str(site["challenge"])}, None),
        ("pages/compare.py", {"countries": "AL,XK"}, None),
        ("pages/country.py", {"code": "XK"}, None),
        ("pages/country.py", {}, None),
        ("pages/commitments.py", {}, None),
        ("pages/commitment.py", {"id": site["commitment"]}, None),
        ("pages/search.py", {"q": "open data"}, None),
        ("pages/display.py", {}, None),
        ("pages/login.py", {}, None),
        ("pages/submit.py", {}, "focal_point"),
        ("pages/submit.py", {"kind": "challenge"}, "focal_point"),
        ("pages/review.py", {}, "organiser"),
    ]


def open_page(
    tag: str, script: str, params: dict[str, str], user: auth.SessionUser | None
) -> AppTest:
    """`script` opened cold by its URL with `?lang=tag`, as a visitor's first page: only that
    page runs (drawing the overview first doubled each test's time and checked nothing more:
    the overview is a page of its own in `_pages`)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.query_params["lang"] = tag
    if user is not None:
        sign_in_as(at, user)
    if script != "app.py":
        at.switch_page(script)
    at.run()
    return at


Opened = tuple[str, str, tuple[tuple[str, str], ...], str | None]


@pytest.fixture(scope="module")
def opened(site: dict[str, Any]) -> Callable[[str, str, dict[str, str], str | None], AppTest]:
    """`open_page` for the tests that only read what a page shows, each page opened once per
    module and worker: the English and Albanian pages of the every-page test serve the test
    comparing the two as well (the pages do not change the module's database)."""
    seen: dict[Opened, AppTest] = {}

    def open_once(tag: str, script: str, params: dict[str, str], who: str | None) -> AppTest:
        key = (tag, script, tuple(sorted(params.items())), who)
        if key not in seen:
            seen[key] = open_page(tag, script, params, site["users"][who] if who else None)
        return seen[key]

    return open_once


# --- what a page shows ---------------------------------------------------------------------------

_TEXT_ATTRIBUTES = ("label", "value", "help", "placeholder", "body", "caption")


def _walk(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child)


def _titles(spec: Any) -> Iterator[str]:
    """Titles of a Vega-Lite spec (chart, axes, legends, tooltips)."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "title" and isinstance(value, str):
                yield value
            elif key == "title" and isinstance(value, dict) and isinstance(value.get("text"), str):
                yield value["text"]
            else:
                yield from _titles(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from _titles(item)


def shown_texts(at: AppTest) -> list[str]:
    """Every string the page puts before a person: values, labels, help, options, chart titles."""
    texts: list[str] = []
    for node in _walk(at._tree):
        if type(node).__name__ == "Html":
            continue  # the frame's style sheet and scripts: no words for people
        if getattr(node, "key", None) == lang.MENU_KEY:
            continue  # the language menu names each language in itself, English too
        chooser = hasattr(node, "options")  # its value is the stored key, its options are shown
        for attribute in _TEXT_ATTRIBUTES:
            if chooser and attribute == "value":
                continue
            try:
                value = getattr(node, attribute)
            except Exception:  # an element without it, or one AppTest cannot read
                continue
            if isinstance(value, str):
                texts.append(value)
        try:
            options = getattr(node, "options", None)
        except Exception:
            options = None
        if isinstance(options, list):
            texts.extend(o for o in options if isinstance(o, str))
        proto = getattr(node, "proto", None)
        spec = getattr(proto, "spec", None)
        if isinstance(spec, str) and spec.startswith("{"):
            texts.extend(_titles(json.loads(spec)))
    return texts


def _clean(text: str) -> str:
    text = re.sub(r":material/[a-z_]+:", "", text)
    return text.replace("**", "").strip()


class EnglishLeft:
    """Finds the English messages of the catalog shown as they are in another language."""

    def __init__(self, tag: str) -> None:
        translations = i18n.translations(tag)
        self.exact: set[str] = set()
        self.patterns: list[tuple[re.Pattern[str], str]] = []
        for message in catalogs.extract():
            if not message.id:
                continue
            ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
            for english in ids:
                if isinstance(message.id, str):
                    translated = translations.gettext(english)
                else:
                    translated = translations.ngettext(
                        ids[0], ids[1], 1 if english == ids[0] else 5
                    )
                if translated == english or len(_clean(english)) < 3:
                    continue  # the same in both (a name, a code), or too short to tell
                if "{" in english:
                    # A message that is mostly placeholders ("{names} and {last}") would match
                    # any English record text: only messages with words of their own are sought.
                    if len(re.findall(r"[^\W\d_]{2,}", re.sub(r"\{[a-z_]+\}", "", english))) < 3:
                        continue
                    pattern = re.escape(_clean(english))
                    pattern = re.sub(r"\\\{[a-z_]+\\\}", ".+", pattern)
                    self.patterns.append((re.compile(f"^{pattern}$", re.S), english))
                else:
                    self.exact.add(_clean(english))

    def find(self, texts: list[str]) -> list[str]:
        found = []
        # A line of facts ("Kosovo · :green-badge[Published] · 2019") is read piece by piece.
        pieces = [
            piece
            for text in texts
            for piece in [text, *re.split(r"\s+·\s+|\n+|:[a-z]+-badge\[|\]|\s+—\s+", text)]
        ]
        for text in map(_clean, pieces):
            if text in self.exact:
                found.append(text)
            else:
                found.extend(
                    f"{text!r} ({english!r})" for p, english in self.patterns if p.match(text)
                )
        return sorted(set(found))


@pytest.mark.parametrize("tag", i18n.TAGS)
def test_every_page_speaks_the_language(
    site: dict[str, Any], opened: Callable[..., AppTest], tag: str
) -> None:
    left = EnglishLeft(tag)
    problems: dict[str, list[str]] = {}
    for script, params, who in _pages(site):
        at = opened(tag, script, params, who)
        name = f"{script}?{params}"
        assert not at.exception, f"{name}: {at.exception}"
        assert at.session_state[lang.KEY] == tag
        if tag != i18n.DEFAULT:
            english = left.find(shown_texts(at))
            if english:
                problems[name] = english
    assert problems == {}


def test_the_menu_switches_language_and_the_url_follows(site: dict[str, Any]) -> None:
    at = open_page("en", "pages/country.py", {"code": "XK"}, None)
    at.query_params.pop("lang")
    assert at.title[0].value == "Kosovo"
    at.selectbox(key=lang.MENU_KEY).select("sq").run()
    assert at.query_params["lang"] in ("sq", ["sq"])
    assert at.title[0].value == "Kosovë"
    at.selectbox(key=lang.MENU_KEY).select("sr").run()
    assert at.title[0].value == "Косово"
    assert at.query_params["lang"] in ("sr", ["sr"])
    # Each language named in itself, in the menu.
    assert at.selectbox(key=lang.MENU_KEY).options[:3] == ["English", "Shqip", "Македонски"]


@pytest.mark.parametrize("raw", ["SR_latn", "sr-latn"])
def test_another_spelling_of_a_tag_is_written_canonically(site: dict[str, Any], raw: str) -> None:
    at = open_page(raw, "pages/country.py", {"code": "MK"}, None)
    assert at.query_params["lang"] in ("sr-Latn", ["sr-Latn"])
    assert at.title[0].value == "Severna Makedonija"


def test_an_unknown_lang_falls_back_to_english_without_an_error(site: dict[str, Any]) -> None:
    at = open_page("<b>xx</b>", "pages/country.py", {"code": "XK"}, None)
    assert not at.exception and not at.error
    assert at.title[0].value == "Kosovo"
    assert at.query_params["lang"] in ("en", ["en"])


def test_the_language_stays_when_the_visitor_moves_on(site: dict[str, Any]) -> None:
    at = open_page("sq", "app.py", {}, None)
    at.switch_page("pages/country.py")
    at.query_params.clear()  # a page link that lost `lang`
    at.query_params["code"] = "XK"
    at.run()
    assert at.title[0].value == "Kosovë"
    assert at.query_params["lang"] in ("sq", ["sq"])


def _record_texts(url: str) -> str:
    """Every text the database holds (records, names, sources): what a page may show as it is."""
    import sqlalchemy as sa

    engine = make_engine(url)
    chunks: list[str] = []
    with engine.connect() as connection:
        metadata = sa.MetaData()
        metadata.reflect(connection)
        for table in metadata.tables.values():
            text_columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.JSON)]
            if not text_columns:
                continue
            for row in connection.execute(sa.select(*text_columns)):
                chunks.extend(str(value) for value in row if value)
    engine.dispose()
    return "\n".join(chunks)


def test_no_english_the_catalogs_do_not_know_is_left(
    site: dict[str, Any], opened: Callable[..., AppTest]
) -> None:
    """What the Albanian pages show exactly as the English ones do, beyond the records' own text
    and names, is text that never went through gettext."""
    import os

    stored = " ".join(_record_texts(os.environ["FORUMDASH_DATABASE_URL"]).split())
    stored = stored.replace("**", "")
    english_words = re.compile(r"\b[a-z]{3,}\b")
    left: dict[str, list[str]] = {}
    for script, params, who in _pages(site):
        pieces: dict[str, set[str]] = {}
        for tag in ("en", "sq"):
            texts = shown_texts(opened(tag, script, params, who))
            pieces[tag] = {
                # Markdown's escapes and heading marks undone, spaces as one.
                " ".join(_clean(re.sub(r"\\(.)", r"\1", piece)).lstrip("#").split())
                for text in texts
                for piece in re.split(r"\s+·\s+|\n+|:[a-z]+-badge\[|\]|\s+—\s+", text)
            }
        same = {
            piece
            for piece in pieces["en"] & pieces["sq"]
            if len(english_words.findall(piece)) >= 2
            # a record's own text, whole, cut short, or up to a link of it
            and piece.removeprefix("- ").strip("()").rstrip("…").split("[")[0].strip() not in stored
            and not re.search(r"https?://|<style|^- \[|^\(", piece)  # links, style
        }
        if same:
            left[f"{script}?{params}"] = sorted(same)
    assert left == {}
