"""AppTest: a session ends everywhere at its next action (sign-out in another tab, "Sign out
everywhere", a deactivated account), a role change reaches open tabs, and the sign-in limits
live in the database, so a new tab does not reset them (issue 14, items 6 to 8)."""

from forumdash import auth, limits
from forumdash.db import write_session
from forumdash.ui import session as signed_in
from tests.app.test_contribute import PASSWORD, accounts, sign_in  # noqa: F401  (a fixture)
from tests.app.test_pages import open_page

ORGANISER = "org@example.org"
FOCAL_POINT = "fp@xk.example"


def menu(at) -> set[str]:
    return {link.label for link in at.get("page_link")}


def signed_out_notice(at) -> bool:
    return any(w.value == signed_in.SIGNED_OUT for w in at.warning)


def test_signing_out_in_one_tab_signs_out_the_other_tabs_of_its_cookie(accounts):  # noqa: F811
    first = sign_in(open_page("app.py"), ORGANISER)
    # A second tab of the same browser: it came in with the same cookie, so the same token.
    second = open_page("pages/review.py")
    second.session_state[signed_in.TOKEN] = first.session_state[signed_in.TOKEN]
    second.session_state[signed_in.KEY] = first.session_state[signed_in.KEY]
    second.run()
    assert "Review" in menu(second) and not signed_out_notice(second)

    first.sidebar.button(key="frame.sign_out").click().run()
    assert "Sign in" in menu(first) and not signed_out_notice(first)  # this tab knows why

    second.run()  # the other tab's next action
    assert not second.exception
    assert signed_out_notice(second)
    assert "Review" not in menu(second) and "Sign in" in menu(second)
    assert second.info[0].value == "Only organisers review submissions and corrections."
    second.run()
    assert not signed_out_notice(second)  # said once


def test_sign_out_everywhere_ends_the_sessions_of_other_browsers(accounts):  # noqa: F811
    laptop = sign_in(open_page("app.py"), FOCAL_POINT)
    phone = sign_in(open_page("app.py"), FOCAL_POINT)
    laptop.sidebar.button(key="frame.sign_out_everywhere").click().run()
    assert "Sign in" in menu(laptop)
    phone.run()
    assert signed_out_notice(phone) and "Submit" not in menu(phone)


def test_a_deactivated_account_is_signed_out_at_its_next_action(accounts):  # noqa: F811
    at = sign_in(open_page("app.py"), FOCAL_POINT)
    assert "Submit" in menu(at)
    with write_session(accounts) as session:
        auth.set_active(session=session, actor=auth.SYSTEM, email=FOCAL_POINT, active=False)
    at.run()
    assert signed_out_notice(at) and "Submit" not in menu(at)


def test_a_role_change_reaches_an_open_tab_and_its_menu(accounts):  # noqa: F811
    at = sign_in(open_page("app.py"), ORGANISER)
    at.switch_page("pages/review.py").run()
    assert "Review" in menu(at)
    with write_session(accounts) as session:
        auth.set_role(
            session=session, actor=auth.SYSTEM, email=ORGANISER, role="focal_point", country="AL"
        )
    at.run()
    assert any(w.value == signed_in.ROLE_CHANGED for w in at.warning)
    assert "Review" not in menu(at) and "Submit" in menu(at)
    assert at.info[0].value == "Only organisers review submissions and corrections."


def test_sign_in_limits_hold_in_a_new_tab(accounts, monkeypatch):  # noqa: F811
    monkeypatch.setattr(
        limits, "SIGN_IN_PLACE", limits.Throttle("sign_in.place", 2, limits.SIGN_IN_PLACE.window)
    )

    def try_password(at, password):
        at.text_input(key="login.email").input(FOCAL_POINT)
        at.text_input(key="login.password").input(password)
        [b for b in at.button if b.label == "Sign in"][0].click().run()
        return at.error[0].value if at.error else ""

    tab = open_page("pages/login.py")
    for _n in range(2):
        assert try_password(tab, "wrong password!") == auth.FAILED
    # A new tab (or a reload: a new session) starts with nothing in its session, and is held.
    fresh = open_page("pages/login.py")
    assert try_password(fresh, PASSWORD).startswith("Too many failed sign-ins from here.")
    assert "Submit" not in menu(fresh)


def test_a_button_of_a_revoked_organiser_does_nothing(accounts):  # noqa: F811
    """A callback runs before the run's own check: it checks the session first."""
    from sqlmodel import select

    from forumdash import vocab as v
    from forumdash import workflow
    from forumdash.db import read_session
    from forumdash.models import Practice
    from tests.unit.test_workflow import record

    with write_session(accounts) as session:
        author = auth.sign_in(accounts, email=FOCAL_POINT, password=PASSWORD)
        practice_id = workflow.save_practice(session=session, user=author, practice_in=record())
        workflow.submit(session=session, user=author, practice_id=practice_id)
    at = sign_in(open_page("app.py"), ORGANISER)
    at.switch_page("pages/review.py").run()
    with write_session(accounts) as session:
        auth.set_active(session=session, actor=auth.SYSTEM, email=ORGANISER, active=False)
    [b for b in at.button if b.label == "Approve and publish"][0].click().run()
    assert not at.exception
    assert signed_out_notice(at)
    with read_session(accounts) as session:
        assert session.exec(select(Practice.workflow).where(Practice.id == practice_id)).one() == (
            v.Workflow.submitted
        )


def test_the_accounts_tab_refuses_a_weak_password_and_deactivates_an_account(accounts):  # noqa: F811
    from sqlmodel import select

    from forumdash.db import read_session
    from forumdash.models import User

    at = sign_in(open_page("app.py"), ORGANISER)
    at.switch_page("pages/review.py").run()
    at.text_input(key="review.account.email").input("new@example.org")
    at.text_input(key="review.account.password").input("password1234")
    [b for b in at.button if b.label == "Create account"][0].click().run()
    assert not at.exception
    refusal = at.error[0].value.replace("\\", "")  # escaped Markdown
    assert (
        refusal
        == "No account was made: Choose a stronger password: This is a very common password."
    )
    at.text_input(key="review.account.email").input("new@example.org")
    at.text_input(key="review.account.password").input("gentle ferry maple quartz")
    [b for b in at.button if b.label == "Create account"][0].click().run()
    assert at.success[0].value.replace("\\", "") == "Account created for new@example.org."

    focal_point = sign_in(open_page("app.py"), FOCAL_POINT)
    at.text_input(key="review.account_change.email").input(FOCAL_POINT)
    at.radio(key="review.account_change.what").set_value("deactivate")
    [b for b in at.button if b.label == "Apply"][0].click().run()
    assert not at.exception
    assert at.success[0].value.replace("\\", "") == "Account fp@xk.example changed."
    focal_point.run()
    assert signed_out_notice(focal_point)
    # Oneself: refused with a reason, nothing changed.
    at.text_input(key="review.account_change.email").input(ORGANISER)
    at.radio(key="review.account_change.what").set_value("deactivate")
    [b for b in at.button if b.label == "Apply"][0].click().run()
    assert "you cannot deactivate your own account" in at.error[0].value.replace("\\", "")
    with read_session(accounts) as session:
        active = dict(session.exec(select(User.email, User.is_active)).all())
    assert active == {FOCAL_POINT: False, ORGANISER: True, "new@example.org": True}
