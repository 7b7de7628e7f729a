"""The overview, country and compare pages' domain code in the visitor's language: CLDR names
and dates (no catalog needed), links that keep `lang`, and a small in-test catalog for the words
the translators will give (placeholders filled, plural forms chosen by the language's rules)."""

import datetime as dt
import gettext
import io
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from forumdash import charts, compare, i18n, stats
from forumdash import vocab as v
from forumdash.db import read_session
from forumdash.models import Commitment
from forumdash.ui import charts as chart_ui
from forumdash.ui import country as country_ui

Messages = dict[str | tuple[str, str], str | tuple[str, ...]]


@pytest.fixture
def catalog(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, Messages], None]:
    """Give a language a small catalog of its own for the test (the real ones are empty yet)."""
    real = i18n.translations
    made: dict[str, gettext.NullTranslations] = {}

    def install(tag: str, messages: Messages) -> None:
        language = i18n.get(tag)
        built = Catalog(locale=language.cldr, domain=i18n.DOMAIN)
        for msgid, msgstr in messages.items():
            built.add(msgid, msgstr)
        buffer = io.BytesIO()
        write_mo(buffer, built)
        buffer.seek(0)
        made[language.tag] = gettext.GNUTranslations(buffer)

    monkeypatch.setattr(i18n, "translations", lambda tag: made.get(i18n.get(tag).tag) or real(tag))
    return install


def _rows(spec: dict) -> list[dict]:
    return next(iter(spec["datasets"].values()))


def _stage_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [{"stage": s.value, "label": s.label, "practices": n} for n, s in enumerate(v.Stage)]
    )


def test_chart_links_keep_the_language_only_when_it_is_not_english():
    frame = _stage_frame()
    english = _rows(charts.practices_by_stage_chart(frame).to_dict())
    assert english[1]["url"] == f"/browse?stage={english[1]['stage']}"
    with i18n.language("sr-Latn"):
        assert charts.lang_query() == "&lang=sr-Latn"
        latin = _rows(charts.practices_by_stage_chart(frame).to_dict())
    query = parse_qs(urlsplit(latin[1]["url"]).query)
    assert query == {"stage": [english[1]["stage"]], "lang": ["sr-Latn"]}


def test_cached_chart_specs_are_keyed_on_the_language(catalog):
    catalog("sq", {"Published practices by stage": "Praktika sipas fazës (test)"})
    frame = _stage_frame()
    english = chart_ui.spec(charts.practices_by_stage_chart, frame).spec
    with i18n.language("sq"):
        albanian = chart_ui.spec(charts.practices_by_stage_chart, frame).spec
    again = chart_ui.spec(charts.practices_by_stage_chart, frame).spec
    assert english["title"]["text"] == "Published practices by stage"
    assert albanian["title"]["text"] == "Praktika sipas fazës (test)"
    assert all(row["url"].endswith("&lang=sq") for row in _rows(albanian))
    assert again == english  # the English one is still served to English visitors


def test_heatmap_and_flows_name_countries_and_themes_in_the_language(readonly_engine, catalog):
    catalog("sq", {"Open data": "Të dhëna të hapura (test)"})
    with read_session(readonly_engine) as session, i18n.language("sq"):
        heat = stats.country_theme_frame(session=session)
        flows = stats.adaptation_flows_frame(session=session)
        challenges = stats.open_challenges_by_theme_frame(session=session)
        spec = charts.country_theme_heatmap(heat).to_dict()
    kosovo = heat.loc[heat["code"] == "XK", "country"].unique().tolist()
    assert kosovo == ["Kosovë"]
    assert "Maqedonia e Veriut" in set(heat["country"])
    assert "Të dhëna të hapura (test)" in set(heat["theme"])
    assert "Të dhëna të hapura (test)" in set(challenges["theme"])
    assert set(flows["from_country"]) | set(flows["to_country"]) <= set(heat["country"])
    cell = next(r for r in _rows(spec) if r["code"] == "XK" and r["slug"] == "open-data")
    assert parse_qs(urlsplit(cell["url"]).query) == {
        "country": ["XK"],
        "theme": ["open-data"],
        "lang": ["sq"],
    }


def test_serbian_in_cyrillic_and_latin_script(readonly_engine):
    with read_session(readonly_engine) as session:
        with i18n.language("sr"):
            cyrillic = stats.country_theme_frame(session=session, countries=["XK"])
        with i18n.language("sr-Latn"):
            latin = stats.country_theme_frame(session=session, countries=["XK"])
    assert set(cyrillic["country"]) == {"Косово"}
    assert set(latin["country"]) == {"Kosovo"}


def test_milestone_dates_iso_in_english_in_words_elsewhere():
    day = dt.date(2013, 7, 9)
    assert stats.format_milestone_date(day, v.DatePrecision.day) == "2013-07-09"
    with i18n.language("sq"):
        assert stats.format_milestone_date(day, v.DatePrecision.day) == "9 korrik 2013"
    with i18n.language("sr"):
        assert stats.format_milestone_date(day, v.DatePrecision.day) == "9. јул 2013."


def test_milestone_frame_of_kosovo_in_albanian(readonly_engine):
    with read_session(readonly_engine) as session, i18n.language("sq"):
        frame = stats.milestone_frame(session=session, country="XK")
    assert "9 korrik 2013" in set(frame["when"])
    assert "Kosovë" in set(frame["scope"])


def test_adaptation_counts_use_the_language_s_plural_forms(catalog):
    catalog(
        "sr",
        {
            ("{n} practice", "{n} practices"): ("{n} пракса", "{n} праксе", "{n} пракси"),
            "Adapted in": "Прилагођено у (тест)",
        },
    )
    frame = pd.DataFrame(
        [
            ("AL", "Албанија", "RS", "Србија", 1),
            ("RS", "Србија", "ME", "Црна Гора", 2),
            ("ME", "Црна Гора", "AL", "Албанија", 5),
        ],
        columns=stats.ADAPTATION_COLUMNS,
    )
    with i18n.language("sr"):
        spec = charts.adaptation_chart(frame).to_dict()
    texts = {row.get("count") for data in spec["datasets"].values() for row in data}
    assert {"1 пракса", "2 праксе", "5 пракси"} <= texts
    headers = {row.get("text") for data in spec["datasets"].values() for row in data}
    assert "Прилагођено у (тест)" in headers


def test_compare_notices_and_fields_are_worded_in_the_language(readonly_engine, catalog):
    catalog(
        "hr",
        {
            "“{value}” is not a practice id (ids are whole numbers).": "„{value}” nije id (test).",
            "At most {n} practices can be compared: showing the first {n}.": "Najviše {n} (test).",
            "Title": "Naslov (test)",
        },
    )
    with i18n.language("hr"):
        selection = compare.parse_practice_ids(["x1,1,2,3,4"])
        with read_session(readonly_engine) as session:
            data = compare.country_comparison(session, ["XK", "MK"])
            fields = compare.practice_comparison(session, [1])
    assert selection.notices == ("„x1” nije id (test).", "Najviše 3 (test).")
    assert list(data.headline["country"]) == ["Kosovo", "Sjeverna Makedonija"]
    assert fields.frame.loc[fields.frame["key"] == "title", "field"].item() == "Naslov (test)"
    # A row's group stays the English key the page compares; its label is for people.
    not_rated = data.commitments.loc[data.commitments["value"] == "", "group"]
    assert "Potential impact" in set(not_rated)


def test_country_summary_in_english_is_unchanged_and_counts_plural_elsewhere(catalog):
    facets = {
        "countries": {"XK": 1},
        "themes": {"open-data": 1},
        "stages": {"evaluating": 1},
    }
    english = country_ui.summary("Kosovo", "XK", facets, {"open-data": "Open data"})
    assert english == (
        "Kosovo shares 1 published practice on 1 theme, most on Open data; 1 of them has "
        "reached evaluation or the diffusion of lessons."
    )
    catalog(
        "sq",
        {
            (
                "{country} shares {n} published practice",
                "{country} shares {n} published practices",
            ): (
                "{country} ndan {n} praktikë",
                "{country} ndan {n} praktika",
            ),
        },
    )
    facets["countries"]["XK"] = 2
    with i18n.language("sq"):
        albanian = country_ui.summary("Kosovë", "XK", facets, {"open-data": "Open data"})
    assert albanian.startswith("Kosovë ndan 2 praktika on 1 theme")


def test_commitment_table_links_keep_the_language_and_every_column_has_a_label(catalog):
    catalog("bs", {"yes": "da (test)"})
    commitment = Commitment(
        identifier="BA0001", country_code="BA", title="Open budget", starred=True, url=""
    )
    english = stats.commitment_frame([commitment])
    with i18n.language("bs"):
        bosnian = stats.commitment_frame([commitment])
    assert english.loc[0, "page"] == "/commitment?id=BA0001"
    assert bosnian.loc[0, "page"] == "/commitment?id=BA0001&lang=bs"
    assert (english.loc[0, "starred"], bosnian.loc[0, "starred"]) == ("yes", "da (test)")
    # Every column but the two link columns gets its header from COMMITMENT_COLUMN_LABELS.
    assert set(stats.COMMITMENT_COLUMN_LABELS) == set(english.columns) - {"page", "link"}
