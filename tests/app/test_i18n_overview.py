"""AppTest of the overview, a country profile and /compare opened in another language: CLDR's
country names and dates show without catalogs, and the links the pages make keep `lang`."""

import gettext
import json
import re
from typing import Any

import pyarrow as pa
import pytest

from forumdash import i18n
from forumdash.db import make_engine
from tests.app.test_pages import open_page
from tests.support.records import add_sample_commitments


def _charts(at) -> list[list[dict]]:
    """Each chart's data rows (Streamlit sends a chart's datasets as Arrow beside its spec)."""
    found: list[list[dict]] = []

    def walk(node: Any) -> None:
        for child in getattr(node, "children", {}).values():
            if child.type == "vega_lite_chart":
                found.append(
                    [
                        row
                        for dataset in child.proto.datasets
                        for row in pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
                    ]
                )
            walk(child)

    walk(at.main)
    return found


def test_overview_in_albanian(app_database):
    at = open_page("app.py", lang="sq")
    assert not at.exception
    region, rows = _charts(at)[:2]  # the map (its clicks go through Streamlit), the heatmap
    assert "Kosovë" in {row.get("country") for row in region}
    assert "Kosovë" in {row["country"] for row in rows}
    assert all(row["url"].endswith("&lang=sq") for row in rows)
    # The latest practices name their countries in Albanian too.
    facts = " ".join(c.value for c in at.caption)
    assert "Maqedonia e Veriut" in facts or "Shqipëri" in facts


def test_overview_in_english_has_no_lang_in_its_chart_links(app_database):
    at = open_page("app.py")
    rows = _charts(at)[1]  # the heatmap, after the map
    assert "Kosovo" in {row["country"] for row in rows}
    assert not any("lang=" in row["url"] for row in rows)


def test_country_page_in_albanian_shows_cldr_name_and_dates(app_database):
    at = open_page("pages/country.py", code="XK", lang="sq")
    assert not at.exception
    assert at.title[0].value == "Kosovë"
    assert any(e.label.startswith("9 korrik 2013 · ") for e in at.expander)
    compare_link = next(link for link in at.get("page_link") if link.proto.page.endswith("compare"))
    assert "lang=sq" in compare_link.proto.query_string


def test_country_page_in_serbian_is_cyrillic(app_database):
    at = open_page("pages/country.py", code="XK", lang="sr")
    assert not at.exception
    assert at.title[0].value == "Косово"
    assert any(e.label.startswith("9. јул 2013. · ") for e in at.expander)
    assert "Албанија" in at.selectbox(key="country.code").options


def test_compare_in_serbian_names_countries_in_cyrillic_and_links_keep_lang(app_database):
    at = open_page("pages/compare.py", countries="AL,RS,XK", lang="sr")
    assert not at.exception
    heads = [s.value for s in at.subheader]
    assert "[Косово](country?code=XK&lang=sr)" in heads
    text = "\n".join(m.value for m in at.markdown)
    assert "browse?country=XK&theme=open-data&lang=sr" in text
    assert "**Србија**" in text


# --------------------------------------------------------------------------- a marking catalog


class Marked(gettext.NullTranslations):
    """A catalog that 'translates' every message into ⟦message⟧: what reaches the screen
    unmarked did not go through gettext."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"

    def pgettext(self, context: str, message: str) -> str:
        return f"⟦{message}⟧"


@pytest.fixture
def marked_albanian(monkeypatch, app_database):
    """Albanian speaks through the marking catalog; the forum has a few commitments."""
    engine = make_engine(app_database)
    add_sample_commitments(engine)
    engine.dispose()
    real = i18n.translations
    monkeypatch.setattr(i18n, "translations", lambda tag: Marked() if tag == "sq" else real(tag))


def _shown(at) -> list[str]:
    """What a person reads: elements' texts, metric labels and helps, link and expander labels."""
    texts = [
        str(e.value)
        for kind in ("markdown", "caption", "info", "warning", "title", "subheader")
        for e in at.get(kind)
    ]
    texts += [m.label for m in at.metric] + [m.help or "" for m in at.metric]
    texts += [link.proto.label for link in at.get("page_link")]
    texts += [e.label for e in at.expander]
    texts += [w.label for w in (*at.multiselect, *at.selectbox, *at.toggle)]
    texts += [w.placeholder or "" for w in (*at.multiselect, *at.selectbox)]
    return texts


def _unmarked(texts: list[str], english: tuple[str, ...]) -> list[str]:
    """The English phrases that show outside ⟦…⟧ (data such as titles aside)."""
    outside = "\n".join(texts)
    while "⟦" in outside:  # innermost marks first: a message may hold a translated one
        outside, found = re.subn(r"⟦[^⟦⟧]*⟧", "", outside)
        if not found:
            break
    return [phrase for phrase in english if phrase in outside]


def _chart_texts(at) -> list[str]:
    """Titles, subtitles, axis, legend and tooltip titles of the page's charts."""
    found: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            title = node.get("title")
            if isinstance(title, str) and title.strip():  # Streamlit's " " is no text
                found.append(title)
            elif isinstance(title, dict):
                found.extend(t for t in (title.get("text"), title.get("subtitle")) if t)
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    def walk(node: Any) -> None:
        for child in getattr(node, "children", {}).values():
            if child.type == "vega_lite_chart":
                visit(json.loads(child.proto.spec))
            walk(child)

    walk(at.main)
    return found


PHRASES = (
    "Published practices", "Open challenges", "Milestones", "OGP commitments", "Compare ",
    "· Western Balkans", "Partner country", "Not shown", "Latest published", "adapted from",
    "Theme by", "Stages reached", "Browse its practices", "Country profile", "Commitments of",
    "Learning",
    "Original", "Adapted", "obstacle", "shares", "Corrected", "Choose", "open challenge",
    "These countries", "Nothing yet", "Or start", "Field", "Show only", "marks the fields",
    "Countries (two", "Practices (two", "Regional",
)  # fmt: skip


@pytest.mark.parametrize(
    ("script", "params"),
    [
        ("app.py", {}),
        ("pages/country.py", {"code": "XK"}),
        ("pages/country.py", {"code": "AL"}),
        ("pages/country.py", {}),
        ("pages/compare.py", {"countries": "AL,RS,XK"}),
        ("pages/compare.py", {"countries": "AL"}),
        ("pages/compare.py", {"practices": "1,2,x"}),
    ],
)
def test_every_text_of_the_page_goes_through_gettext(marked_albanian, script, params):
    at = open_page(script, **params, lang="sq")
    assert not at.exception
    assert _unmarked(_shown(at), PHRASES) == []
    charts = _chart_texts(at)
    assert all(text.startswith("⟦") for text in charts), charts
