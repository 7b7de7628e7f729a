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
from tests.e2e.conftest import ARTIFACTS, app_database_url, wait_for_app, watch_for_escapes

pytestmark = pytest.mark.e2e

HOSTILE_TITLE = '<img src=x onerror="alert(1)"> **Bold** [click](javascript:alert(2))'
HOSTILE_SUMMARY = (
    "![tracker](http://198.51.100.7/pixel.png) <script>alert(3)</script> "
    "<a href='javascript:alert(4)' onmouseover='alert(5)'>hover</a> $x^2$ \u202eevil"
)


# A body as another system exports it: Markdown and HTML mixed, with hostile parts that must
# vanish or stay inert, and code whose Streamlit syntax must stay literal.
IMPORTED_BODY = "\n".join(
    [
        '<div class="group">',
        "<h3>What was wrong</h3>",
        "> Please state the problem the practice addresses.",
        "</div>",
        "",
        "<p>Budget data were published as <strong>scanned PDFs</strong>,&nbsp;late.<br>"
        'See <a href="https://example.org/budget">the budget portal</a>.</p>',
        "",
        "<ul><li>Monthly releases</li><li>Open &amp; machine-readable files</li></ul>",
        "",
        "1. First step\n2. **Second** step",
        "",
        "![Missing alt text](http://198.51.100.7/chart.png)",
        '<img src="http://198.51.100.7/pixel.png" alt="Budget chart" onerror="alert(11)">',
        "<img src=x onerror=alert(12)>",
        "<iframe src='http://198.51.100.7/frame'></iframe><script>alert(13)</script>",
        "<!-- <img src=http://198.51.100.7/comment.png> -->",
        '<a href="javascript:alert(14)">Harmless words</a> [md link](javascript:alert(15))',
        "<table><tr><th>Year</th><th>Files</th></tr><tr><td>2023</td><td>12</td></tr></table>",
        "",
        "Code stays literal: `:red[not red] $x^2$ <b>tag</b>`",
    ]
)
IMPORTED_SUMMARY = "<p>An <em>imported</em> budget portal.</p><script>alert(16)</script>"


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
                workflow=v.Workflow.published,
            ),
        )


@pytest.fixture(scope="module")
def imported_id(engine):
    with write_session(engine) as session:
        return repository.create_practice(
            session=session,
            practice_in=PracticeCreate(
                slug="zz-imported",
                title="Imported budget portal",
                country="ME",
                summary=IMPORTED_SUMMARY,
                body={"problem_purpose": IMPORTED_BODY, "methods": HOSTILE_SUMMARY},
                level=v.GovLevel.national,
                actor_type=v.ActorType.government,
                themes=["open-data"],
                stage=v.Stage.implementing,
                sources=[{"title": "Case library", "url": "https://example.org/case"}],
                workflow=v.Workflow.published,
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
    dialogs, foreign = watch_for_escapes(page)
    for path in (f"/practice?id={hostile_id}", "/browse?country=ME", "/browse?q=tracker"):
        page.goto(app_url + path)
        wait_for_app(page)
        expect(page.get_by_text("onerror", exact=False).first).to_be_visible()
        page.mouse.move(400, 400)
        page.wait_for_timeout(500)
    page.goto(app_url + f"/practice?id={hostile_id}")
    wait_for_app(page)
    # The title is shown literally: its tags and Markdown are visible characters.
    expect(page.get_by_text("**Bold** [click](javascript:alert(2))", exact=False)).to_be_visible()
    # The summary reads as a summary: the image is a link to it, the script is gone.
    tracker = page.get_by_role("link", name="tracker")
    expect(tracker).to_have_attribute("href", "http://198.51.100.7/pixel.png")
    # (Scoped to the summary: the match reasons below may quote the stored words of another
    # record, escaped, when a hostile challenge of another test shares them.)
    summary = page.locator("[data-testid='stMarkdownContainer']", has=tracker).first
    expect(summary).to_contain_text("hover")
    assert "alert(3)" not in summary.inner_text()
    assert page.locator("main img[src*='198.51.100.7'], main script, main iframe").count() == 0
    assert page.locator("a[href^='javascript:'], a[href^='data:']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "hostile-practice.png"), full_page=True)
    assert dialogs == []
    assert foreign == [], foreign


def test_imported_rich_text_reads_well(page, app_url, imported_id):
    """A body imported with Markdown and HTML: headings, quotes, lists, emphasis, links and
    tables read as such, images are links with their alt text (nothing is loaded), and every
    hostile part is gone or inert."""
    dialogs, foreign = watch_for_escapes(page)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(app_url + f"/practice?id={imported_id}")
    wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_role("heading", name="What was wrong")).to_be_visible()
    expect(main.locator("blockquote", has_text="Please state the problem")).to_be_visible()
    expect(main.locator("strong", has_text="scanned PDFs")).to_be_visible()
    expect(main.locator("em", has_text="imported")).to_be_visible()
    for item in ("Monthly releases", "Open & machine-readable files", "First step"):
        expect(main.locator("li", has_text=item)).to_be_visible()
    link = main.get_by_role("link", name="the budget portal")
    expect(link).to_have_attribute("href", "https://example.org/budget")
    for alt, url in (
        ("Missing alt text", "http://198.51.100.7/chart.png"),
        ("Budget chart", "http://198.51.100.7/pixel.png"),
    ):
        expect(main.get_by_role("link", name=alt)).to_have_attribute("href", url)
    expect(main.locator("td", has_text="2023")).to_be_visible()
    expect(main.get_by_text("Harmless words md link")).to_be_visible()  # labels, not links
    expect(main.locator("code", has_text=":red[not red] $x^2$ <b>tag</b>")).to_be_visible()
    text = main.inner_text()
    for raw in ("<div", "class=", "<p>", "<ul>", "<li>", "<h3>", "&nbsp;", "&amp;", "![", "**"):
        assert raw not in text.replace(":red[not red] $x^2$ <b>tag</b>", ""), raw
    assert "alert(1" not in text and "comment.png" not in text
    assert main.locator("img, script, iframe, .katex").count() == 0
    assert page.locator("a[href^='javascript:'], a[href^='data:']").count() == 0
    page.mouse.move(500, 500)
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "imported-practice-1400.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(800)
    expect(main.locator("li", has_text="Monthly releases")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "imported-practice-390.png"), full_page=True)
    main.locator("code", has_text=":red[not red]").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "imported-practice-390-lower.png"))
    # Its card in the list reads as text too.
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(app_url + "/browse?q=imported")
    wait_for_app(page)
    expect(page.get_by_text("An imported budget portal.")).to_be_visible()
    assert dialogs == []
    assert foreign == [], foreign


def test_hostile_submission_is_inert_on_the_review_page(page, app_url, engine):
    """A submitted practice full of hostile text, as an organiser sees it in the queue, and the
    history and correction form of a hostile published practice."""
    import os
    import subprocess
    import sys

    from forumdash import workflow
    from forumdash.auth import SessionUser

    env = os.environ | {"FORUMDASH_DATABASE_URL": app_database_url()}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "forumdash",
            "user",
            "add",
            "--email",
            "rev@example.org",
            "--role",
            "organiser",
        ],
        input="a long enough password\n",
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    with read_session(engine) as session:
        from sqlmodel import select

        from forumdash.models import User

        organiser_id = session.exec(select(User.id).where(User.email == "rev@example.org")).one()
    focal = SessionUser(organiser_id, "rev@example.org", v.Role.organiser, None)
    with write_session(engine) as session:
        practice_id = workflow.save_practice(
            session=session,
            user=focal,
            practice_in=PracticeCreate(
                slug="x",
                title=HOSTILE_TITLE,
                country="RS",
                summary=HOSTILE_SUMMARY,
                level=v.GovLevel.local,
                actor_type=v.ActorType.cso,
                themes=["justice"],
                stage=v.Stage.implementing,
                partners="<svg onload=alert(10)>",
                sources=[
                    {"title": "![x](http://198.51.100.7/y.png)", "url": "https://example.org"}
                ],
            ),
        )
        workflow.submit(session=session, user=focal, practice_id=practice_id)
    dialogs, foreign = watch_for_escapes(page)
    page.goto(app_url + "/login")
    wait_for_app(page)
    page.get_by_label("Email").fill("rev@example.org")
    page.get_by_role("textbox", name="Password").fill("a long enough password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/review"))
    wait_for_app(page)
    # Its own item: other tests' submissions may be in the queue too (closed, their texts hidden).
    item = page.locator("[data-testid='stExpander']", has_text="onerror").first
    for _attempt in range(3):  # a click during a rerun can be lost on a loaded machine
        item.get_by_text("onerror", exact=False).first.click()
        wait_for_app(page)
        try:
            expect(item.get_by_text("Submitted version").first).to_be_visible(timeout=10_000)
            break
        except AssertionError:
            continue
    expect(item.get_by_text("Submitted version").first).to_be_visible()
    page.mouse.move(600, 500)
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "hostile-review.png"), full_page=True)
    assert page.locator("main img, main script, main iframe, a[href^='javascript:']").count() == 0
    assert dialogs == [] and foreign == [], (dialogs, foreign)
