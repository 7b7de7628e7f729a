"""Challenges in a real Chromium: a challenge's matches, and hostile challenge text (published,
and waiting in the review queue) rendering inert."""

import re

import pytest
from playwright.sync_api import expect

from forumdash import auth, matchmaking, repository, workflow
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.models import Challenge, ChallengeCreate
from tests.e2e.conftest import ARTIFACTS, wait_for_app, watch_for_escapes
from tests.e2e.test_browse import HOSTILE_SUMMARY, HOSTILE_TITLE, engine  # noqa: F401

pytestmark = pytest.mark.e2e
PASSWORD = "a long enough password"


def hostile(country: str) -> ChallengeCreate:
    return ChallengeCreate(
        slug="zz-hostile-challenge",
        title=HOSTILE_TITLE,
        country=country,
        description=HOSTILE_SUMMARY + " [x](data:text/html,<script>alert(6)</script>) <iframe>",
        themes=["open-data"],
        ogp_values=["access_to_information"],
        obstacle_type=v.ObstacleType.data,
        severity=v.Severity.high,
        raised_at_event="<b onclick=alert(7)>Forum</b>",
        sources=[{"title": "<script>alert(9)</script>", "url": "https://example.org/s"}],
    )


def test_a_challenges_matches(page, app_url, engine):  # noqa: F811
    with read_session(engine) as session:
        target = repository.list_challenges(session=session, countries=["RS"])[-1]
        found = matchmaking.matches_for(session=session, challenge=target)
    page.goto(app_url + f"/challenges?id={target.id}")
    wait_for_app(page)
    expect(page.get_by_text("Practices from other countries that could help")).to_be_visible()
    best = found[0]
    expect(page.get_by_text(f"{best.score:.0f} / 100").first).to_be_visible()
    expect(page.get_by_role("link", name=best.practice.title).first).to_be_visible()
    assert page.get_by_text("Match score").count() == len(found)
    page.get_by_text("How are practices matched?").click()
    expect(page.get_by_text("never suggested", exact=False)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "challenge-matches.png"), full_page=True)
    page.get_by_role("link", name=best.practice.title).first.click()
    page.wait_for_url(re.compile(rf"/practice\?id={best.practice.id}$"))
    expect(page.get_by_role("heading", name=best.practice.title)).to_be_visible()


def test_hostile_challenge_renders_inert(page, app_url, engine):  # noqa: F811
    with write_session(engine) as session:
        published = repository.create_challenge(
            session=session,
            challenge_in=hostile("ME").model_copy(update={"workflow": v.Workflow.published}),
        )
        user_id = auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="chal-rev@example.org",
            password=PASSWORD,
            role="organiser",
        )
        organiser = auth.SessionUser(user_id, "chal-rev@example.org", v.Role.organiser, None)
        waiting = workflow.save_challenge(
            session=session, user=organiser, challenge_in=hostile("GE")
        )
        workflow.submit(session=session, user=organiser, challenge_id=waiting)
    dialogs, foreign = watch_for_escapes(page)
    for path in (f"/challenges?id={published}", "/challenges?country=ME"):
        page.goto(app_url + path)
        wait_for_app(page)
        expect(page.get_by_text("onerror", exact=False).first).to_be_visible()
        page.mouse.move(500, 400)
        page.wait_for_timeout(400)
    page.goto(app_url + f"/challenges?id={published}")
    wait_for_app(page)
    # The description reads as text: its image is a link to it, its script is gone.
    tracker = page.get_by_role("link", name="tracker")
    expect(tracker).to_have_attribute("href", "http://198.51.100.7/pixel.png")
    # Polled, and only text a reader sees: on a loaded machine (CI, and once when run alone) one
    # match was counted in an instant between two renders, and never found again in seven runs.
    expect(page.get_by_text("alert(3)", exact=False).filter(visible=True)).to_have_count(0)
    assert page.locator("main img[src*='198.51.100.7'], main script, main iframe").count() == 0
    assert page.locator("a[href^='javascript:'], a[href^='data:']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "hostile-challenge.png"), full_page=True)

    page.goto(app_url + "/login")
    wait_for_app(page)
    page.get_by_label("Email").fill("chal-rev@example.org")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/review"))
    wait_for_app(page)
    page.get_by_text("New challenge · GE", exact=False).first.click()
    item = page.locator("[data-testid='stExpander']", has_text="New challenge · GE").first
    item.get_by_text("Submitted version").first.wait_for()
    # The reviewer sees the stored text (the script included) and can see how it will read.
    expect(item.get_by_text("<script>alert(3)</script>", exact=False).first).to_be_visible()
    item.get_by_role("tab", name="As it reads").first.click()
    expect(item.get_by_role("link", name="tracker").first).to_be_visible()
    page.mouse.move(600, 500)
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "hostile-challenge-review.png"), full_page=True)
    assert page.locator("main img, main script, main iframe, a[href^='javascript:']").count() == 0
    assert dialogs == [] and foreign == [], (dialogs, foreign)


def test_focal_point_edits_a_challenge_from_their_list(page, app_url, engine):  # noqa: F811
    """The Edit link goes to this same page: the record's id must reach the address bar, or the
    form's button would rerun without it and the edit would be lost."""
    with write_session(engine) as session:
        auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="fp-ba@example.org",
            password=PASSWORD,
            role="focal_point",
            country="BA",
        )
    page.goto(app_url + "/login")
    wait_for_app(page)
    page.get_by_label("Email").fill("fp-ba@example.org")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Start a new challenge").click()
    expect(page.get_by_text("A new challenge", exact=True)).to_be_visible()
    wait_for_app(page)
    page.get_by_role("link", name="Edit").first.click()
    expect(page.get_by_text("Edit:", exact=False).first).to_be_visible()
    wait_for_app(page)
    page.wait_for_url(re.compile(r"kind=challenge&id=\d+"), wait_until="commit")
    challenge_id = int(re.search(r"id=(\d+)", page.url).group(1))
    # Found by its key, the record's own (the new-challenge form had a box with the same label).
    box = page.locator(f".st-key-submit-challenge-{challenge_id}-description textarea")
    expect(box).to_have_count(1)
    expect(box).not_to_have_value("")
    box.fill(box.input_value() + " Edited in the browser.")
    page.get_by_role("button", name="Save and submit for review").click()
    expect(page.get_by_text("submitted for review", exact=False).first).to_be_visible()
    with read_session(engine) as session:
        row = session.get(Challenge, challenge_id)
        assert row.country_code == "BA" and row.pending_workflow == v.Workflow.submitted
        assert row.pending["description"].endswith("Edited in the browser.")
        public = repository.get_challenge(session=session, challenge_id=challenge_id)
        assert not public.description.endswith("Edited in the browser.")


def test_opening_a_challenge_puts_it_in_the_address(page, app_url):
    page.goto(app_url + "/challenges?country=RS")
    expect(page.get_by_text("Challenges looking for help")).to_be_visible()
    page.get_by_role("link", name=re.compile("Breakdown of cooperation")).first.click()
    page.wait_for_url(re.compile(r"/challenges\?id=\d+$"))
    page.reload()
    expect(page.get_by_text("Practices from other countries that could help")).to_be_visible()
