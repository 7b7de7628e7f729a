"""Browse, practice pages and exports in a real Chromium, including hostile text."""

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from forumdash import repository
from forumdash import vocab as v
from forumdash.db import make_engine, read_session, write_session
from forumdash.filters import PracticeFilters
from forumdash.models import PracticeCreate
from forumdash.service import init_database
from tests.e2e.conftest import ARTIFACTS, wait_for_app

pytestmark = pytest.mark.e2e

HOSTILE_TITLE = '<img src=x onerror="alert(1)"> **Bold** [click](javascript:alert(2))'
HOSTILE_SUMMARY = (
    "![tracker](http://198.51.100.7/pixel.png) <script>alert(3)</script> "
    "<a href='javascript:alert(4)' onmouseover='alert(5)'>hover</a> $x^2$ \u202eevil"
)


@pytest.fixture(scope="module")
def engine(app_url, browser):
    """The app's own database, after the app has created it on its first page view."""
    from tests.e2e.conftest import app_database_url

    page = browser.new_page()
    page.goto(app_url + "/")
    wait_for_app(page)
    page.close()
    engine = make_engine(app_database_url())
    assert init_database(engine) is None  # the app created and seeded it already
    return engine


@pytest.fixture(scope="module")
def hostile_id(engine):
    with write_session(engine) as session:
        return repository.create_practice(
            session=session,
            practice_in=PracticeCreate(
                slug="zz-hostile",
                title=HOSTILE_TITLE,
                country="ME",
                summary=HOSTILE_SUMMARY,
                body={"methods": "[x](data:text/html,<script>alert(6)</script>) <iframe>"},
                level=v.GovLevel.local,
                actor_type=v.ActorType.cso,
                themes=["open-data"],
                stage=v.Stage.implementing,
                lead_institution="<b onclick=alert(7)>Inst</b>",
                contact="javascript:alert(8)",
                sources=[{"title": "<script>alert(9)</script>", "url": "https://example.org/s"}],
            ),
        )


def _count(page) -> int:
    text = page.get_by_text(re.compile(r"^[\d,]+ practices?")).first.inner_text()
    return int(text.split()[0].replace(",", ""))


def test_filtered_deep_link_cold(page, app_url, engine):
    page.goto(app_url + "/browse?country=MK&country=RS&theme=open-data")
    wait_for_app(page)
    with read_session(engine) as session:
        expected = repository.count_matching(
            session=session, filters=PracticeFilters(countries=("MK", "RS"), themes=("open-data",))
        )
    expect(page.get_by_text(re.compile(rf"^{expected} practices?"))).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "browse-filtered.png"), full_page=True)

    # Deselect Serbia in the country facet: the count and the URL follow.
    page.locator("[data-testid='stSidebar']").get_by_role(
        "button", name=re.compile("^Serbia")
    ).click()
    with read_session(engine) as session:
        only_mk = repository.count_matching(
            session=session, filters=PracticeFilters(countries=("MK",), themes=("open-data",))
        )
    expect(page.get_by_text(re.compile(rf"^{only_mk} practices?"))).to_be_visible()
    page.wait_for_function("() => !location.search.includes('RS')")
    assert parse_qs(urlsplit(page.url).query)["country"] == ["MK"]


def test_open_a_practice_from_the_results(page, app_url):
    page.goto(app_url + "/browse?country=XK")
    wait_for_app(page)
    first = page.locator("[data-testid='stPageLink-NavLink'][href*='practice']").first
    title = first.locator("[data-testid='stMarkdownContainer']").inner_text().strip()
    first.click()
    page.wait_for_url(re.compile(r"/practice\?id=\d+"))
    expect(page.locator("h1").first).to_have_text(title)
    expect(page.get_by_text("More like this, from other countries")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "practice.png"), full_page=True)


def test_download_the_filtered_csv(page, app_url, engine):
    page.goto(app_url + "/browse?country=AL")
    wait_for_app(page)
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("CSV")).click()
    data = info.value.path().read_bytes() if hasattr(info.value.path(), "read_bytes") else b""
    if not data:
        with open(info.value.path(), "rb") as handle:
            data = handle.read()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    with read_session(engine) as session:
        expected = repository.count_matching(
            session=session, filters=PracticeFilters(countries=("AL",))
        )
    assert len(rows) == expected + 1


def test_hostile_text_renders_inert(page, app_url, hostile_id):
    dialogs: list[str] = []
    foreign: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on(
        "request",
        lambda request: (
            None
            if urlsplit(request.url).hostname in ("127.0.0.1", "localhost")
            or request.url.startswith("data:")
            else foreign.append(request.url)
        ),
    )
    for path in (f"/practice?id={hostile_id}", "/browse?country=ME", "/browse?q=tracker"):
        page.goto(app_url + path)
        wait_for_app(page)
        expect(page.get_by_text("onerror", exact=False).first).to_be_visible()
        page.mouse.move(400, 400)
        page.wait_for_timeout(500)
    page.goto(app_url + f"/practice?id={hostile_id}")
    wait_for_app(page)
    # The text is shown literally: the tags and Markdown are visible characters.
    expect(page.get_by_text("<script>alert(3)</script>", exact=False).first).to_be_visible()
    expect(page.get_by_text("![tracker]", exact=False).first).to_be_visible()
    assert page.locator("main img[src*='198.51.100.7'], main script, main iframe").count() == 0
    assert page.locator("a[href^='javascript:'], a[href^='data:']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "hostile-practice.png"), full_page=True)
    assert dialogs == []
    assert foreign == [], foreign
