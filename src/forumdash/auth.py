"""Accounts: argon2id password hashes, roles, and who may do what."""

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import TypeGuard

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from forumdash import vocab as v
from forumdash.db import write_session
from forumdash.i18n import N_, _, ngettext
from forumdash.models import Country, LoginSession, User

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10


class AccountError(ValueError):
    """An account request that cannot be carried out, with a message fit for a person."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_user(
    *,
    session: Session,
    email: str,
    password: str,
    role: str,
    country: str | None = None,
    display_name: str = "",
) -> int:
    """Validate and insert an account; return its id. Raises AccountError."""
    email = (email or "").strip().lower()
    if not _EMAIL.match(email) or len(email) > 254:
        raise AccountError(_("not an email address: {email}").format(email=repr(email)))
    if role not in v.Role.values():
        raise AccountError(
            _("unknown role {role}: use one of {roles}").format(
                role=repr(role), roles=", ".join(v.Role.values())
            )
        )
    if role == v.Role.focal_point and not country:
        raise AccountError(_("a focal point needs a country: add --country CODE"))
    if country:
        country = country.strip().upper()
        if session.get(Country, country) is None:
            raise AccountError(_("unknown country code {code}").format(code=repr(country)))
    if role != v.Role.focal_point and country:
        country = None if role == v.Role.participant else country
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            ngettext(
                "the password must have at least {n} character",
                "the password must have at least {n} characters",
                MIN_PASSWORD,
            ).format(n=MIN_PASSWORD)
        )
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise AccountError(_("an account for {email} exists already").format(email=email))
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        role=v.Role(role),
        country_code=country,
    )
    session.add(user)
    session.flush()
    assert user.id is not None
    return user.id


# --------------------------------------------------------------------------- signing in

MAX_FAILURES = 5
LOCK_MINUTES = 15
# One sentence with two fixed numbers: the translation writes the forms these numbers take.
_FAILED = N_(
    "Wrong email or password. After {n} failed attempts an account is locked for {minutes} minutes."
)
FAILED = _FAILED.format(n=MAX_FAILURES, minutes=LOCK_MINUTES)  # in English (the CLI, tests)
# Verifying against this when the account does not exist keeps the answer's timing the same.
_DUMMY_HASH = _hasher.hash("forumdash-no-such-account")


class AuthError(ValueError):
    """A sign-in that failed, with a message that does not reveal whether the account exists."""


def _failed() -> AuthError:
    """The one answer to every failed sign-in, in the visitor's language."""
    return AuthError(_(_FAILED).format(n=MAX_FAILURES, minutes=LOCK_MINUTES))


class PermissionDenied(PermissionError):
    """The user may not do this."""


@dataclass(frozen=True)
class SessionUser:
    """Who is signed in: plain values kept in the browser session, never a database object."""

    id: int
    email: str
    role: v.Role
    country_code: str | None
    display_name: str = ""

    @property
    def label(self) -> str:
        where = f", {self.country_code}" if self.country_code else ""
        return f"{self.display_name or self.email} ({self.role.label}{where})"


def sign_in(
    engine: Engine, *, email: str, password: str, now: dt.datetime | None = None
) -> SessionUser:
    """The user whose email and password these are. A failure is counted (and committed) before
    AuthError is raised; MAX_FAILURES of them lock the account for LOCK_MINUTES."""
    with write_session(engine) as session:
        outcome = authenticate(session=session, email=email, password=password, now=now)
    if isinstance(outcome, AuthError):
        raise outcome
    return outcome


def authenticate(
    *, session: Session, email: str, password: str, now: dt.datetime | None = None
) -> "SessionUser | AuthError":
    """Check a sign-in inside the caller's transaction: the user, or the AuthError to raise once
    the failure count is committed."""
    now = now or dt.datetime.now(dt.UTC)
    email = (email or "").strip().lower()
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None or not user.is_active:
        verify_password(_DUMMY_HASH, password or "")
        return _failed()
    locked_until = _aware(user.locked_until)
    if locked_until and locked_until > now:
        minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
        del minutes  # the same answer as a wrong password: a lock must not reveal an account
        return _failed()
    if not verify_password(user.password_hash, password or ""):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
            user.failed_logins = 0
        session.add(user)
        session.flush()
        return _failed()
    user.failed_logins = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    assert user.id is not None
    return SessionUser(user.id, user.email, v.Role(user.role), user.country_code, user.display_name)


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    # SQLite gives naive datetimes back; every stored time is UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


# --------------------------------------------------------------------------- permissions


def is_organiser(user: SessionUser | None) -> bool:
    return user is not None and user.role == v.Role.organiser


def is_signed_in(user: SessionUser | None) -> bool:
    return user is not None


def can_edit(user: SessionUser | None, country_code: str) -> bool:
    """Organisers edit anything; a focal point edits the records of their own country."""
    if user is None:
        return False
    if user.role == v.Role.organiser:
        return True
    return user.role == v.Role.focal_point and user.country_code == country_code


def can_review(user: SessionUser | None) -> bool:
    return is_organiser(user)


def can_submit(user: SessionUser | None) -> bool:
    return user is not None and user.role in (v.Role.focal_point, v.Role.organiser)


def require(allowed: bool, message: str = "") -> None:
    """Enforce a permission on the server side; `message` (translated) says what is refused."""
    if not allowed:
        raise PermissionDenied(message or _("You are not allowed to do this."))


# --------------------------------------------------------------------------- staying signed in

SESSION_HOURS = 12
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_login_session(*, session: Session, user_id: int, now: dt.datetime | None = None) -> str:
    """A new random token for the browser; the database keeps only its hash."""
    now = now or dt.datetime.now(dt.UTC)
    token = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            token_hash=_token_hash(token),
            user_id=user_id,
            created_at=now,
            expires_at=now + dt.timedelta(hours=SESSION_HOURS),
        )
    )
    session.flush()
    return token


def resume_login_session(
    *, session: Session, token: str | None, now: dt.datetime | None = None
) -> SessionUser | None:
    """The user a browser's token stands for, if it is valid, unexpired and the account active."""
    if not is_token(token):
        return None
    now = now or dt.datetime.now(dt.UTC)
    row = session.exec(
        select(LoginSession).where(LoginSession.token_hash == _token_hash(token))
    ).first()
    if row is None or (_aware(row.expires_at) or now) <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    assert user.id is not None
    return SessionUser(user.id, user.email, v.Role(user.role), user.country_code, user.display_name)


def end_login_session(*, session: Session, token: str | None) -> None:
    """Sign a browser out for good: its token no longer works."""
    if token:
        session.execute(
            sa.delete(LoginSession).where(col(LoginSession.token_hash) == _token_hash(token))
        )


def is_token(token: object) -> TypeGuard[str]:
    """Whether a value has the shape of our tokens (anything else, of any type, is not one)."""
    return isinstance(token, str) and bool(_TOKEN.match(token))
