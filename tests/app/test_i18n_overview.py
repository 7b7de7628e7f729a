"""AppTest of the overview, a country profile and /compare opened in another language: CLDR's
country names and dates show without catalogs, and the links the pages make keep `lang`."""

from typing import Any

import pyarrow as pa

from tests.app.test_pages import open_page


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
    rows = _charts(at)[0]
    assert "Kosovë" in {row["country"] for row in rows}
    assert all(row["url"].endswith("&lang=sq") for row in rows)
    # The latest practices name their countries in Albanian too.
    facts = " ".join(c.value for c in at.caption)
    assert "Maqedonia e Veriut" in facts or "Shqipëri" in facts


def test_overview_in_english_has_no_lang_in_its_chart_links(app_database):
    at = open_page("app.py")
    rows = _charts(at)[0]
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
