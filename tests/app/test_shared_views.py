"""AppTest (issue 14): what the pages share per records version (a practice's and a challenge's
page with their history, the browse view, the challenge list, the display's slides) shows a
published edit at the next run of a page already open, and an account's new role in histories."""

from sqlmodel import select

from forumdash import auth, repository, workflow
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.models import Challenge, Practice, User
from forumdash.versioned_cache import records_version
from tests.app.test_contribute import accounts  # noqa: F401
from tests.app.test_pages import open_page

NEW_TITLE = "Renamed while the pages were open"


def _organiser(engine):
    with read_session(engine) as session:
        user = session.exec(select(User).where(User.email == "org@example.org")).one()
    return auth.SessionUser(user.id, user.email, v.Role.organiser, None)


def _published(engine, table):
    with read_session(engine) as session:
        return session.exec(
            select(table).where(table.workflow == v.Workflow.published).order_by(table.id)
        ).first()


def _text(at) -> str:
    """What the page wrote, Markdown's escapes taken out."""
    parts = [e.value for kind in ("markdown", "caption", "title") for e in at.get(kind)]
    parts += [link.label for link in at.get("page_link")]
    return "\n".join(parts).replace("\\", "")


def test_a_published_edit_of_a_practice_shows_at_the_next_run(accounts):  # noqa: F811
    engine = accounts
    practice = _published(engine, Practice)
    page = open_page("pages/practice.py", id=str(practice.id))
    browse = open_page("pages/browse.py", q=practice.title.split()[0])
    assert page.title[0].value.replace("\\", "") == practice.title
    assert NEW_TITLE not in _text(page) and NEW_TITLE not in _text(browse)
    page.run()  # a rerun is served from the shared view
    assert page.title[0].value.replace("\\", "") == practice.title

    user = _organiser(engine)
    with write_session(engine) as session:
        shown = workflow.editable_record(session=session, user=user, practice_id=practice.id)
        workflow.save_practice(
            session=session,
            user=user,
            practice_in=shown.model_copy(update={"title": NEW_TITLE}),
            practice_id=practice.id,
            expected_version=workflow.record_version(session=session, practice_id=practice.id),
        )
    with read_session(engine) as session:  # an organiser's edit of a published practice
        assert repository.get_practice(session=session, practice_id=practice.id).title == NEW_TITLE

    page.run()
    assert not page.exception
    assert page.title[0].value.replace("\\", "") == NEW_TITLE
    history = _text(page)
    assert f"Title: {practice.title} → {NEW_TITLE}" in history
    browse.query_params["q"] = "Renamed"
    browse.run()
    assert not browse.exception
    assert NEW_TITLE in _text(browse)


def test_a_published_edit_of_a_challenge_shows_on_its_page_and_in_the_list(accounts):  # noqa: F811
    engine = accounts
    challenge = _published(engine, Challenge)
    page = open_page("pages/challenges.py", id=str(challenge.id))
    listed = open_page("pages/challenges.py")
    assert NEW_TITLE not in _text(page) and NEW_TITLE not in _text(listed)

    user = _organiser(engine)
    with write_session(engine) as session:
        shown = workflow.editable_record(session=session, user=user, challenge_id=challenge.id)
        workflow.save_challenge(
            session=session,
            user=user,
            challenge_in=shown.model_copy(update={"title": NEW_TITLE}),
            challenge_id=challenge.id,
            expected_version=workflow.record_version(session=session, challenge_id=challenge.id),
        )

    page.run()
    listed.run()
    assert not page.exception and not listed.exception
    assert page.title[0].value.replace("\\", "") == NEW_TITLE
    assert f"Title: {challenge.title} → {NEW_TITLE}" in _text(page)
    assert NEW_TITLE in _text(listed)


def test_a_new_role_moves_the_records_version_histories_name_accounts_by(accounts):  # noqa: F811
    engine = accounts
    with read_session(engine) as session:
        before = records_version(session)
    with write_session(engine) as session:
        auth.set_role(session=session, actor=auth.SYSTEM, email="fp@xk.example", role="organiser")
    with read_session(engine) as session:
        after = records_version(session)
        names = repository.user_names(session=session)
    assert after[2] > before[2] and after[:2] == before[:2]
    assert "organiser" in names.values()
