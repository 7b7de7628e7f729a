"""AppTest: bodies imported with Markdown and HTML read as text on every page that shows them."""

import re

import pytest
from sqlmodel import select

from forumdash import auth, repository, workflow
from forumdash import vocab as v
from forumdash.auth import SessionUser
from forumdash.db import make_engine, read_session, write_session
from forumdash.models import ChallengeCreate, PracticeCreate, User
from tests.app.test_pages import open_page

IMPORTED_SUMMARY = (
    "<p>A <strong>budget</strong> portal for citizens.</p>"
    "<script>alert(1)</script><img src=x onerror=alert(2)>"
)
IMPORTED_BODY = "\n".join(
    [
        '<div class="group">',
        "<h3>What was wrong</h3>",
        "> Please state the problem the practice addresses.",
        "</div>",
        "",
        "Data were published as **scanned PDFs**; see [the portal](https://example.org/budget).",
        "",
        "<ul><li>Monthly releases</li><li>Open &amp; machine-readable</li></ul>",
        "",
        "![Missing alt text](https://example.org/chart.png)",
        "<iframe src='https://evil.example'></iframe><!-- a note for editors -->",
    ]
)


def _practice(**changes) -> PracticeCreate:
    fields = {
        "slug": "imported-rich",
        "title": "Imported budget portal",
        "country": "ME",
        "summary": IMPORTED_SUMMARY,
        "body": {"problem_purpose": IMPORTED_BODY},
        "level": v.GovLevel.national,
        "actor_type": v.ActorType.government,
        "themes": ["open-data"],
        "stage": v.Stage.implementing,
        "sources": [{"title": "Case library", "url": "https://example.org/case"}],
        "workflow": v.Workflow.published,
    }
    return PracticeCreate(**(fields | changes))


@pytest.fixture
def imported_id(app_database) -> int:
    with write_session(make_engine(app_database)) as session:
        return repository.create_practice(session=session, practice_in=_practice())


def _markdown(at) -> str:
    return "\n".join(e.value for e in at.markdown)


def test_practice_page_reads_headings_lists_and_images_as_text(imported_id):
    at = open_page("pages/practice.py", id=str(imported_id))
    assert not at.exception
    shown = _markdown(at)
    assert "A **budget** portal for citizens\\." in shown
    assert re.search(r"(?m)^##### What was wrong$", shown)
    assert re.search(r"(?m)^> Please state the problem the practice addresses\\\.$", shown)
    assert "- Monthly releases\n- Open \\& machine\\-readable" in shown
    assert "[the portal](https://example.org/budget)" in shown
    assert ":material/image: [Missing alt text](https://example.org/chart.png)" in shown
    for raw in ("<div", "<h3", "<ul", "<li", "<script", "<img", "<iframe", "![", "&amp;", "<!--"):
        assert raw not in shown
    assert "alert" not in shown and "evil.example" not in shown and "note for editors" not in shown


def test_compare_shows_the_summary_as_it_reads(app_database, imported_id):
    with read_session(make_engine(app_database)) as session:
        other = next(
            p for p in repository.list_practices(session=session, limit=50) if p.id != imported_id
        )
    at = open_page("pages/compare.py", practices=f"{imported_id},{other.id}")
    assert not at.exception
    table = next(e.value for e in at.markdown if "| Field |" in e.value)
    row = next(line for line in table.split("\n") if "**Summary**" in line)
    assert "A budget portal for citizens\\." in row
    assert "<" not in row.replace("\\<", "") and "alert" not in row


def test_challenge_description_reads_as_text(app_database):
    with write_session(make_engine(app_database)) as session:
        challenge_id = repository.create_challenge(
            session=session,
            challenge_in=ChallengeCreate(
                slug="imported-challenge",
                title="Imported challenge",
                country="ME",
                description=IMPORTED_BODY,
                themes=["open-data"],
                obstacle_type=v.ObstacleType.capacity,
                severity=v.Severity.medium,
                sources=[{"title": "Case library", "url": "https://example.org/case"}],
                workflow=v.Workflow.published,
            ),
        )
    at = open_page("pages/challenges.py", id=str(challenge_id))
    assert not at.exception
    shown = _markdown(at)
    assert "##### What was wrong" in shown and "- Monthly releases" in shown
    assert "<div" not in shown and "<iframe" not in shown
    listing = _markdown(open_page("pages/challenges.py", country="ME"))
    assert "What was wrong Please state the problem" in listing  # the card's excerpt, as text
    assert "<div" not in listing and "\\#" not in listing


def test_review_shows_the_source_and_how_it_reads(app_database):
    engine = make_engine(app_database)
    with write_session(engine) as session:
        auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="org@example.org",
            password="a long enough password",
            role="organiser",
        )
    with read_session(engine) as session:
        organiser_id = session.exec(select(User.id).where(User.email == "org@example.org")).one()
    organiser = SessionUser(organiser_id, "org@example.org", v.Role.organiser, None)
    with write_session(engine) as session:
        practice_id = workflow.save_practice(
            session=session,
            user=organiser,
            practice_in=_practice(slug="x", workflow=v.Workflow.draft),
        )
        workflow.submit(session=session, user=organiser, practice_id=practice_id)
    at = open_page("app.py")
    at.switch_page("pages/login.py").run()
    at.text_input(key="login.email").input("org@example.org")
    at.text_input(key="login.password").input("a long enough password")
    [b for b in at.button if b.label == "Sign in"][0].click().run()
    at.switch_page("pages/review.py").run()
    assert not at.exception
    labels = [tab.label for tab in at.tabs]
    assert labels.count("As written") == labels.count("As it reads") >= 2  # summary and body
    shown = _markdown(at)
    # As written: the stored text, every character visible (the script a reviewer must see).
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in shown
    # As it reads: what the practice page will show.
    assert "##### What was wrong" in shown and "- Monthly releases" in shown


def test_the_event_display_features_the_summary_as_it_reads(app_database):
    from tests.support.records import publish_sample_practice

    publish_sample_practice(
        app_database, prefix="rich", title="Imported budget portal", summary=IMPORTED_SUMMARY
    )
    at = open_page("pages/display.py", slides="featured")  # the newest practice comes first
    assert not at.exception
    shown = _markdown(at)
    assert "Imported budget portal" in shown
    assert "A budget portal for citizens\\." in shown
    assert "<p>" not in shown and "<strong>" not in shown and "alert" not in shown


def test_transferability_and_its_conditions_read_as_text(app_database):
    with write_session(make_engine(app_database)) as session:
        practice_id = repository.create_practice(
            session=session,
            practice_in=_practice(
                slug="imported-transfer",
                transferability="<p>Works <em>where</em> registers exist.</p>",
                transfer_conditions="<ul><li>Digital identity</li><li>Open registers</li></ul>",
            ),
        )
    at = open_page("pages/practice.py", id=str(practice_id))
    assert not at.exception
    shown = _markdown(at)
    assert "Works *where* registers exist\\." in shown
    # A list cannot follow a prefix on its line: the prefix stands above it.
    assert "Conditions:\n\n- Digital identity\n- Open registers" in shown
