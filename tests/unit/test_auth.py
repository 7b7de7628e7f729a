"""Signing in without lock-out abuse, strong passwords, who may manage accounts, and sessions that
end everywhere (issue 14, items 6, 7, 8 and 10), on SQLite and PostgreSQL."""

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlmodel import func, select

from forumdash import auth, limits
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.models import LoginSession, RateEvent, User
from tests.unit.test_workflow import FP_XK, ORG, PARTICIPANT, add_accounts

PASSWORD = "long enough password"  # the accounts' password (tests.unit.test_workflow.HASH)
NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
HALL = "203.0.113.7"  # the attacker's address
HOME = "198.51.100.20"  # the owner's
PHONE = "d" * 32  # a device id (its cookie)


@pytest.fixture
def engine(seeded_engine):
    add_accounts(seeded_engine)
    if seeded_engine.dialect.name == "postgresql":  # the accounts came with their own ids
        with seeded_engine.begin() as conn:
            conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('\"user\"', 'id'), 100)"))
    return seeded_engine


@pytest.fixture(autouse=True)
def few_attempts(monkeypatch):
    """Three failures hold a place (five in the app): argon2 is slow on purpose, tests need
    not be."""
    monkeypatch.setattr(
        limits, "SIGN_IN_PLACE", limits.Throttle("sign_in.place", 3, limits.SIGN_IN_PLACE.window)
    )


@pytest.fixture
def verifications(monkeypatch):
    """Every argon2 verification made, as the hash it was made against."""
    made: list[str] = []
    real = auth.verify_password

    def counted(password_hash: str, password: str) -> bool:
        made.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(auth, "verify_password", counted)
    return made


def attempt(engine, email=FP_XK.email, password="wrong guess", address=HALL, device="", at=NOW):
    """Sign in; the user, or the AuthError (or Throttled) it raised."""
    try:
        return auth.sign_in(
            engine, email=email, password=password, address=address, device=device, now=at
        )
    except auth.AuthError as exc:
        return exc


def fail(engine, times, **kw):
    """`times` wrong passwords, a second apart from NOW."""
    for n in range(times):
        outcome = attempt(engine, at=NOW + dt.timedelta(seconds=n), **kw)
        assert type(outcome) is auth.AuthError, outcome


# --------------------------------------------------------------------------- throttling


def test_guessing_from_one_address_is_held_there_and_the_owner_elsewhere_signs_in(engine):
    fail(engine, limits.SIGN_IN_PLACE.allowed)
    held = attempt(engine, password=PASSWORD, at=NOW + dt.timedelta(minutes=1))
    # Held even with the right password (the password is not looked at), and it says how long.
    assert isinstance(held, auth.Throttled)
    assert "Please try again in 14 minutes." in str(held)
    # The owner at home is not locked out by the attacker in the hall.
    owner = attempt(engine, password=PASSWORD, address=HOME, at=NOW + dt.timedelta(minutes=1))
    assert isinstance(owner, auth.SessionUser) and owner.id == FP_XK.id
    # The window slides: a quarter of an hour after the failures the hall may try again.
    later = attempt(engine, password=PASSWORD, at=NOW + dt.timedelta(minutes=16))
    assert isinstance(later, auth.SessionUser)


def test_an_unknown_email_is_held_like_a_real_one_and_answers_alike(engine, verifications):
    fail(engine, limits.SIGN_IN_PLACE.allowed, email="nobody@example.org")
    unknown = attempt(engine, email="nobody@example.org", at=NOW + dt.timedelta(minutes=1))
    fail(engine, limits.SIGN_IN_PLACE.allowed)
    known = attempt(engine, at=NOW + dt.timedelta(minutes=1))
    assert isinstance(unknown, auth.Throttled) and isinstance(known, auth.Throttled)
    assert str(unknown) == str(known)  # being held reveals no account


def test_every_refusal_costs_one_argon2_verification_and_says_the_same(engine, verifications):
    """Wrong password, unknown email, inactive account, held attempt: the same work each (one
    argon2 verification, which is what the answer's time is made of), and the first three the
    very same words."""
    with write_session(engine) as session:
        session.get(User, PARTICIPANT.id).is_active = False
    answers = {}
    for case, email, address in (
        ("wrong", FP_XK.email, HOME),
        ("unknown", "nobody@example.org", HOME),
        ("inactive", PARTICIPANT.email, HOME),
    ):
        verifications.clear()
        answers[case] = attempt(engine, email=email, password="wrong guess", address=address)
        assert len(verifications) == 1, case
    assert {str(answer) for answer in answers.values()} == {auth.FAILED}
    assert verifications == [auth._DUMMY_HASH]  # the inactive account: not its own hash
    fail(engine, limits.SIGN_IN_PLACE.allowed)
    verifications.clear()
    assert isinstance(attempt(engine, password=PASSWORD), auth.Throttled)
    assert verifications == [auth._DUMMY_HASH]


def test_a_device_is_held_whatever_address_it_comes_from(engine):
    for n in range(limits.SIGN_IN_PLACE.allowed):
        outcome = attempt(engine, device=PHONE, address=f"192.0.2.{n + 1}")
        assert type(outcome) is auth.AuthError
    assert isinstance(attempt(engine, device=PHONE, address="192.0.2.99"), auth.Throttled)
    # Another device at a new address is not held.
    assert isinstance(attempt(engine, password=PASSWORD, device="e" * 32), auth.SessionUser)


def test_one_address_trying_many_accounts_is_held_for_all(engine, monkeypatch):
    monkeypatch.setattr(
        limits, "SIGN_IN_ADDRESS", limits.Throttle("sign_in.address", 3, limits.HOUR)
    )
    for n in range(3):
        assert type(attempt(engine, email=f"guess{n}@example.org")) is auth.AuthError
    held = attempt(engine, email=ORG.email, password=PASSWORD)
    assert isinstance(held, auth.Throttled)
    assert isinstance(
        attempt(engine, email=ORG.email, password=PASSWORD, address=HOME), auth.SessionUser
    )


def test_an_account_guessed_from_everywhere_is_slowed_never_locked(engine, monkeypatch):
    monkeypatch.setattr(
        limits, "SIGN_IN_ACCOUNT", limits.Throttle("sign_in.account", 3, limits.HOUR)
    )
    monkeypatch.setattr(limits, "SLOW_STEP", 2)
    waits: list[float] = []
    monkeypatch.setattr(auth, "pause", waits.append)
    for n in range(12):  # each from its own address: no place is held
        outcome = attempt(engine, address=f"192.0.2.{n + 1}", at=NOW + dt.timedelta(seconds=n))
        assert type(outcome) is auth.AuthError
    # Waits start once the allowance is used, double every SLOW_STEP failures, stop at MAX_DELAY.
    assert waits == [1.0, 1.0, 2.0, 2.0, 4.0, 4.0, 8.0, 8.0, 8.0]
    # The owner still gets in (after the wait), from anywhere.
    waits.clear()
    owner = attempt(engine, password=PASSWORD, address=HOME, at=NOW + dt.timedelta(minutes=1))
    assert isinstance(owner, auth.SessionUser) and waits == [8.0]


def test_signing_in_forgets_the_owners_own_typos_only(engine):
    fail(engine, limits.SIGN_IN_PLACE.allowed - 1, address=HOME)
    assert isinstance(attempt(engine, password=PASSWORD, address=HOME), auth.SessionUser)
    fail(engine, limits.SIGN_IN_PLACE.allowed - 1, address=HOME)  # counted afresh: not held
    with read_session(engine) as session:
        everywhere = session.exec(
            select(func.count())
            .select_from(RateEvent)
            .where(RateEvent.action == limits.SIGN_IN_ACCOUNT.action)
        ).one()
    assert everywhere == 2 * (limits.SIGN_IN_PLACE.allowed - 1)  # the account's count stays


def test_failures_are_kept_as_hashes_only(engine):
    fail(engine, 1, device=PHONE)
    with read_session(engine) as session:
        keys = session.exec(select(RateEvent.key)).all()
    assert len(keys) == 4  # account, account+address, account+device, address
    assert not any(secret in key for key in keys for secret in (FP_XK.email, HALL, PHONE))


# --------------------------------------------------------------------------- passwords


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short", "at least 10 characters"),
        ("password123", "This is a very common password."),
        ("qwertyuiop", "This is a very common password."),
        ("fp.xk2026!!", "Choose a stronger password:"),  # the email's own words
        ("forumdash1234", "Choose a stronger password:"),  # the forum's name
        ("aaaaaaaaaaaa", 'Repeats like "aaa" are easy to guess.'),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(engine, password, why):
    with write_session(engine) as session, pytest.raises(auth.AccountError) as refused:
        auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="fp.xk2026@example.org",
            password=password,
            role="organiser",
        )
    assert why in str(refused.value)
    with read_session(engine) as session:
        assert (
            session.exec(select(User).where(User.email == "fp.xk2026@example.org")).first() is None
        )


def test_a_long_unusual_password_is_accepted_and_a_very_long_one_checked_by_its_start():
    auth.check_password("gentle ferry maple quartz", email="a@example.org")
    auth.check_password("gentle ferry maple quartz " * 10, email="a@example.org")
    with pytest.raises(auth.AccountError):
        auth.check_password("a" * 200, email="a@example.org")


# --------------------------------------------------------------------------- who manages accounts


def test_only_the_command_line_and_active_organisers_create_accounts(engine):
    def make(actor, email):
        with write_session(engine) as session:
            return auth.create_user(
                session=session,
                actor=actor,
                email=email,
                password="gentle ferry maple",
                role="participant",
            )

    for actor in (None, FP_XK, PARTICIPANT):
        with pytest.raises(auth.PermissionDenied):
            make(actor, "new@example.org")
    assert make(ORG, "by-organiser@example.org") > 0
    assert make(auth.SYSTEM, "by-cli@example.org") > 0
    # An organiser demoted meanwhile is refused, whatever their browser session still says.
    with write_session(engine) as session:
        auth.set_role(session=session, actor=auth.SYSTEM, email=ORG.email, role="participant")
    with pytest.raises(auth.PermissionDenied):
        make(ORG, "late@example.org")


def test_an_organiser_cannot_deactivate_or_demote_themselves(engine):
    with write_session(engine) as session, pytest.raises(auth.AccountError):
        auth.set_active(session=session, actor=ORG, email=ORG.email, active=False)
    with write_session(engine) as session, pytest.raises(auth.AccountError):
        auth.set_role(session=session, actor=ORG, email=ORG.email, role="participant")
    with write_session(engine) as session, pytest.raises(auth.AccountError, match="no account"):
        auth.set_active(session=session, actor=ORG, email="ghost@example.org", active=False)


# --------------------------------------------------------------------------- sessions end


def _token(engine, user_id=FP_XK.id):
    with write_session(engine) as session:
        return auth.start_login_session(session=session, user_id=user_id)


def _resume(engine, token):
    with read_session(engine) as session:
        return auth.resume_login_session(session=session, token=token)


def test_deactivating_ends_every_session_and_reactivating_does_not_revive_them(engine):
    tokens = [_token(engine), _token(engine)]
    other = _token(engine, ORG.id)
    with write_session(engine) as session:
        auth.set_active(session=session, actor=ORG, email=FP_XK.email, active=False)
    assert [_resume(engine, token) for token in tokens] == [None, None]
    assert _resume(engine, other) is not None
    with write_session(engine) as session:
        auth.set_active(session=session, actor=auth.SYSTEM, email=FP_XK.email, active=True)
    assert _resume(engine, tokens[0]) is None
    assert attempt(engine, password=PASSWORD, address=HOME).id == FP_XK.id


def test_a_role_change_is_seen_by_the_next_check(engine):
    token = _token(engine)
    with write_session(engine) as session:
        auth.set_role(
            session=session, actor=ORG, email=FP_XK.email, role="focal_point", country="AL"
        )
    seen = _resume(engine, token)
    assert seen.role == v.Role.focal_point and seen.country_code == "AL"
    with (
        write_session(engine) as session,
        pytest.raises(auth.AccountError, match="needs a country"),
    ):
        auth.set_role(session=session, actor=ORG, email=FP_XK.email, role="focal_point")


def test_sign_out_everywhere_ends_all_of_an_accounts_sessions(engine):
    tokens = [_token(engine) for _n in range(3)]
    other = _token(engine, ORG.id)
    with write_session(engine) as session:
        assert auth.end_all_login_sessions(session=session, user_id=FP_XK.id) == 3
    assert all(_resume(engine, token) is None for token in tokens)
    assert _resume(engine, other).id == ORG.id
    with read_session(engine) as session:
        assert len(session.exec(select(LoginSession)).all()) == 1


def test_every_sentence_zxcvbn_can_say_is_in_the_catalogs():
    """zxcvbn's feedback is English; each sentence it can give is marked for translation (a
    sentence added by a newer zxcvbn would show untranslated: this names it)."""
    import ast
    import inspect

    from zxcvbn import feedback

    said = {
        node.args[0].value
        for node in ast.walk(ast.parse(inspect.getsource(feedback)))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "_"
        and isinstance(node.args[0], ast.Constant)
    }
    assert len(said) > 20
    assert said <= set(auth._ZXCVBN_FEEDBACK)
