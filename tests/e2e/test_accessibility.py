"""axe-core on every page (issue 15): WCAG 2.0, 2.1 and 2.2 A and AA rules, in English at
1400x900 and 390x844 and in Serbian Cyrillic at 390x844, anonymous and signed in; no violation of
impact serious or critical unless tests/e2e/axe_known.py lists it (Streamlit's own, with its
upstream issue).

Serbian Cyrillic is audited at the phone's width, where its longer words wrap and crowd the most.
Its desktop pass (20 more views, about 80 s of the suite on 2 cores) was dropped after every one
of the 80 views had been clean in every run since the contrast and target-size fixes; what it
checked is the same page structure and colours the English desktop pass sees.

One browser context per size and language, its pages visited in turn. Streamlit scrolls an inner
element rather than the page, and axe checks the contrast of what is on screen only: once a page
is drawn at its size, the window is made as tall as the page (the width, which sets the layout,
stays), so that axe sees all of it. Per-view counts: test-artifacts/axe/summary.txt (and -s)."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page
from sqlmodel import col, select

from forumdash import auth, limits, participation, repository, workflow
from forumdash import vocab as v
from forumdash.db import make_engine, read_session, write_session
from forumdash.models import Challenge, Commitment, User
from forumdash.ui import session as signed_in
from tests.e2e.axe_known import KNOWN
from tests.e2e.conftest import ARTIFACTS, app_database_url
from tests.support.records import add_sample_commitments, publish_sample_practice

pytestmark = pytest.mark.e2e

SIZES = {"desktop": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
FAILING = {"serious", "critical"}
FOCAL_POINT = "axe.focal@example.org"
ORGANISER = "axe.organiser@example.org"


@dataclass(frozen=True)
class View:
    name: str
    path: str  # {adapted}, {origin}, {challenge}: ids of records the `records` fixture finds
    who: str = ""  # "" anonymous, else the account signed in


VIEWS = [
    View("overview", "/"),
    View("browse", "/browse"),
    View("practice", "/practice?id={adapted}"),  # one with "adapted from" and related lists
    View("challenges", "/challenges"),
    View("challenge", "/challenges?id={challenge}"),
    View("compare", "/compare?countries=AL,RS,XK"),
    View("compare-practices", "/compare?practices={adapted},{origin}"),
    View("countries", "/country"),
    View("country", "/country?code=XK"),
    View("commitments", "/commitments"),
    View("commitment", "/commitment?id=AL8002"),
    # The display shows one slide at a time: the two with images (QR codes, a practice's).
    View("display-qr", "/display?slides=qr"),
    View("display-featured", "/display?slides=featured"),
    View("share", "/share"),
    View("search", "/search?q=open+data"),
    View("login", "/login"),
    View("submit", "/submit", FOCAL_POINT),
    View("review", "/review", ORGANISER),
    View("inbox", "/inbox", ORGANISER),
    View("exchange", "/exchange?status=all", ORGANISER),
]
# The (size, language) pairs audited; see the module's docstring for why not every pair.
PAIRS = [("desktop", "en"), ("phone", "en"), ("phone", "sr")]
# In the order they run: each size and language's views one after another, in one context.
CASES = [(size, language, view) for size, language in PAIRS for view in VIEWS]

# Idle: the script has run (Streamlit's own state), nothing of a previous run left (stale), no
# placeholder, every chart drawn, every image loaded.
IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning') return false;
  if (document.querySelector('[data-stale="true"], [data-testid^="stSkeleton"]')) return false;
  if (![...document.querySelectorAll('img')].every(i => i.complete)) return false;
  return [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
    .filter(c => c.getClientRects().length && getComputedStyle(c).visibility !== 'hidden')
    .every(c => c.querySelector('svg.marks, canvas.marks'));
}"""
# How tall the page is: Streamlit scrolls its main area and the menu, not the document.
HEIGHT = "() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))"
# Whether the element axe names (its first selector) is in a known violation's element.
INSIDE = "([target, selector]) => !!document.querySelector(target)?.closest(selector)"


@pytest.fixture(scope="module")
def records(app_url: str) -> dict[str, Any]:
    """Ids to open (a practice adapted from another, that other, a published challenge) and
    a session token for each account, made in the app's database; and, for the signed-in pages
    to show more than their empty states, a practice of Kosovo with an edit its focal point
    submitted (the review queue, its diff and a notice) and a participant's request to learn
    from it (the peer exchange, a notice)."""
    engine = make_engine(app_database_url())
    try:
        with read_session(engine) as session:
            commitments = session.exec(
                select(Commitment).where(Commitment.identifier == "AL8002")
            ).first()
            challenge = session.exec(
                select(Challenge.id)
                .where(Challenge.workflow == v.Workflow.published)
                .order_by(col(Challenge.id))
            ).first()
            adapted, origin = repository.list_adaptation_pairs(session=session, limit=1)[0]
        if commitments is None:
            add_sample_commitments(engine)
        practice = publish_sample_practice(
            app_database_url(),
            prefix="e2e-axe",
            title="Open council sessions, audited for accessibility",
            summary="Published by the accessibility test while it runs.",
            country="XK",
        )
        tokens = {}
        with write_session(engine) as session:
            for email, role, country in [
                (FOCAL_POINT, "focal_point", "XK"),
                (ORGANISER, "organiser", None),
            ]:
                found = session.exec(select(User.id).where(User.email == email)).first()
                user_id = found or auth.create_user(
                    session=session,
                    actor=auth.SYSTEM,
                    email=email,
                    password="a long enough password",
                    role=role,
                    country=country,
                )
                tokens[email] = auth.start_login_session(session=session, user_id=user_id)
            focal = auth.resume_login_session(session=session, token=tokens[FOCAL_POINT])
            edited = workflow.record_of(session=session, practice_id=practice)
            workflow.save_practice(
                session=session,
                user=focal,
                practice_in=edited.model_copy(update={"summary": "Edited: " + edited.summary}),
                practice_id=practice,
                expected_version=workflow.record_version(session=session, practice_id=practice),
            )
            workflow.submit(session=session, user=focal, practice_id=practice)
            participation.ask_to_learn(
                session,
                practice_id=practice,
                device=limits.new_device_id(),
                address="127.0.0.1",
                details={
                    "name": "Ana",
                    "contact": "ana@example.org",
                    "message": "How did you start?",
                },
            )
    finally:
        engine.dispose()
    return {
        "adapted": adapted.id,
        "origin": origin.id,
        "challenge": challenge,
        "tokens": tokens,
    }


@dataclass
class Browsing:
    """The context (and its one page) of the size and language being audited."""

    key: tuple[str, str] = ("", "")
    context: BrowserContext | None = None
    page: Page | None = None
    who: str = ""


@pytest.fixture(scope="module")
def browsing() -> Iterator[Browsing]:
    state = Browsing()
    yield state
    if state.context is not None:
        state.context.close()


@pytest.fixture(scope="module")
def summary() -> Iterator[list[str]]:
    """Per-view counts, written to test-artifacts/axe/summary.txt when the module ends."""
    lines: list[str] = []
    yield lines
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.txt").write_text("\n".join(lines) + "\n")


def _page_for(
    browser: Browser, browsing: Browsing, app_url: str, case: tuple[str, str], who: str, token: str
) -> Page:
    """The page of the case's context (a new one for a new size or language), signed in as
    `who` (the cookie signing in sets; a page opened next reads it) or not at all."""
    if browsing.key != case:
        if browsing.context is not None:
            browsing.context.close()
        phone = case[0] == "phone"
        browsing.context = browser.new_context(
            viewport=SIZES[case[0]], is_mobile=phone, has_touch=phone
        )
        browsing.page = browsing.context.new_page()
        browsing.page.set_default_timeout(30_000)
        browsing.key, browsing.who = case, ""
    assert browsing.context is not None and browsing.page is not None
    if who != browsing.who:
        browsing.context.clear_cookies()
        if who:
            browsing.context.add_cookies(
                [{"name": signed_in.COOKIE, "value": token, "url": app_url}]
            )
        browsing.who = who
    return browsing.page


def _open(page: Page, url: str, size: str) -> None:
    """Open `url`, wait until it is drawn, then make the window as tall as the page."""
    page.set_viewport_size(SIZES[size])
    page.goto(url)
    page.wait_for_function(IDLE)
    height = int(page.evaluate(HEIGHT))
    if height > SIZES[size]["height"]:
        page.set_viewport_size({"width": SIZES[size]["width"], "height": min(height, 12_000)})
        page.wait_for_function(IDLE)


def _known(page: Page, rule: str, target: str) -> bool:
    return any(k.rule == rule and page.evaluate(INSIDE, [target, k.selector]) for k in KNOWN)


@pytest.mark.parametrize(
    ("size", "language", "view"),
    CASES,
    ids=[f"{size}-{lang}-{view.name}" for size, lang, view in CASES],
)
def test_no_serious_violations(browser, app_url, records, browsing, summary, size, language, view):
    token = records["tokens"].get(view.who, "")
    page = _page_for(browser, browsing, app_url, (size, language), view.who, token)
    path = view.path.format(**records)
    _open(page, f"{app_url}{path}{'&' if '?' in path else '?'}lang={language}", size)
    assert page.locator("[data-testid='stException']").count() == 0
    if view.who:  # signed in: the menu names the account (folded away on a phone, yet there)
        assert page.locator("[data-testid='stSidebar']", has_text=view.who).count() == 1, path
    results = Axe().run(page, options=AXE_OPTIONS).response
    failures, known, counts = [], 0, Counter()
    for violation in results["violations"]:
        for node in violation["nodes"]:
            counts[f"{violation['id']}:{violation['impact']}"] += 1
            if violation["impact"] not in FAILING:
                continue
            target = node["target"][0] if isinstance(node["target"][0], str) else ""
            if _known(page, violation["id"], target):
                known += 1
                continue
            messages = "; ".join(
                check["message"] for check in node["any"] + node["all"] + node["none"]
            )
            failures.append(
                f"{violation['id']} ({violation['impact']}) at {' '.join(map(str, node['target']))}"
                f"\n    {node['html'][:200]}\n    {messages}"
            )
    line = (
        f"{size:7} {language} {view.name:17} "
        + (", ".join(f"{rule} {n}" for rule, n in sorted(counts.items())) or "no violations")
        + (f" ({known} known)" if known else "")
    )
    summary.append(line)
    print(line)
    if failures:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"axe-{size}-{language}-{view.name}.png"))
    assert not failures, f"{view.name} at {size} in {language} ({path}):\n" + "\n".join(failures)
