"""Accounts: argon2id password hashes, roles, and who may do what."""

import datetime as dt
import hashlib
import math
import re
import secrets
import time
from dataclasses import dataclass
from typing import TypeGuard

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from zxcvbn import matching as zxcvbn_matching  # type: ignore[import-untyped]  # no hints shipped
from zxcvbn import zxcvbn

from forumdash import activity, limits, versioned_cache
from forumdash import vocab as v
from forumdash.db import read_session, write_session
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


# The forum's own words, which a password built from them is not strong for being long.
_FORUM_WORDS = ("forumdash", "Western Balkans Regional Forum", "open government", "OGP")
# zxcvbn checks at most this many characters (its own limit); a longer password is checked by its
# beginning, which is no stronger than the whole.
_ESTIMATED_LENGTH = 72
MIN_SCORE = 3  # zxcvbn's "safely unguessable": 10^8 guesses or more
# zxcvbn's feedback, which it gives in English: marked here so that the catalogs carry it and a
# refusal speaks the visitor's language (a message not listed is shown as zxcvbn gives it).
_ZXCVBN_FEEDBACK = (
    N_("Use a few words, avoid common phrases."),
    N_("No need for symbols, digits, or uppercase letters."),
    N_("Add another word or two. Uncommon words are better."),
    N_("Straight rows of keys are easy to guess."),
    N_("Short keyboard patterns are easy to guess."),
    N_("Use a longer keyboard pattern with more turns."),
    N_('Repeats like "aaa" are easy to guess.'),
    N_('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
    N_("Avoid repeated words and characters."),
    N_('Sequences like "abc" or "6543" are easy to guess.'),
    N_("Avoid sequences."),
    N_("Recent years are easy to guess."),
    N_("Avoid recent years."),
    N_("Avoid years that are associated with you."),
    N_("Dates are often easy to guess."),
    N_("Avoid dates and years that are associated with you."),
    N_("This is a top-10 common password."),
    N_("This is a top-100 common password."),
    N_("This is a very common password."),
    N_("This is similar to a commonly used password."),
    N_("A word by itself is easy to guess."),
    N_("Names and surnames by themselves are easy to guess."),
    N_("Common names and surnames are easy to guess."),
    N_("Capitalization doesn't help very much."),
    N_("All-uppercase is almost as easy to guess as all-lowercase."),
    N_("Reversed words aren't much harder to guess."),
    N_("Predictable substitutions like '@' instead of 'a' don't help very much."),
)


def _feedback(message: str) -> str:
    """zxcvbn's sentence in the visitor's language where the catalogs have it."""
    return _(message) if message in _ZXCVBN_FEEDBACK else message


def check_password(password: str, *, email: str = "", display_name: str = "") -> None:
    """Refuse a password that is short, common or guessable (zxcvbn's estimate, told the
    account's own email and name and the forum's words). Raises AccountError saying why."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            ngettext(
                "the password must have at least {n} character",
                "the password must have at least {n} characters",
                MIN_PASSWORD,
            ).format(n=MIN_PASSWORD)
        )
    # Passwords that leaked most often (zxcvbn's list of 30,000, from real breaches): refused
    # whatever their score, e.g. a long one that the estimator would let through.
    if password.lower() in zxcvbn_matching.RANKED_DICTIONARIES["passwords"]:
        raise AccountError(
            _("Choose a stronger password: {hint}").format(
                hint=_("This is a very common password.")
            )
        )
    local_part = email.split("@", 1)[0]
    inputs = [item for item in (email, local_part, display_name, *_FORUM_WORDS) if item]
    estimate = zxcvbn(password[:_ESTIMATED_LENGTH], user_inputs=inputs)
    if estimate["score"] >= MIN_SCORE:
        return
    advice = [estimate["feedback"]["warning"], *estimate["feedback"]["suggestions"]]
    hint = " ".join(_feedback(line) for line in advice if line) or _(
        "it would be guessed too easily."
    )
    raise AccountError(_("Choose a stronger password: {hint}").format(hint=hint))


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


def _session_user(user: User) -> SessionUser:
    assert user.id is not None
    return SessionUser(user.id, user.email, v.Role(user.role), user.country_code, user.display_name)


@dataclass(frozen=True)
class SystemActor:
    """The machine's operator, acting through the command line (`python -m forumdash user ...`):
    whoever can run it can read the database anyway."""

    name: str = "system (command line)"


SYSTEM = SystemActor()
# Who asks for an account change: an organiser signed in to the app, or the command line.
Actor = SessionUser | SystemActor | None


def _require_account_manager(session: Session, actor: Actor) -> None:
    """Only the command line and active organisers manage accounts; an organiser is checked in
    the database too (a session older than a demotion is not enough)."""
    if isinstance(actor, SystemActor):
        return
    if actor is not None and actor.role == v.Role.organiser:
        row = session.get(User, actor.id)
        if row is not None and row.is_active and row.role == v.Role.organiser:
            return
    raise PermissionDenied(_("Only organisers manage accounts."))


def _account_country(session: Session, role: str, country: str | None) -> str | None:
    """The country an account of `role` keeps (a focal point's is required). Raises
    AccountError."""
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
    if role == v.Role.participant:
        return None
    return country or None


def create_user(
    *,
    session: Session,
    actor: Actor,
    email: str,
    password: str,
    role: str,
    country: str | None = None,
    display_name: str = "",
) -> int:
    """Validate and insert an account for `actor` (an organiser, or SYSTEM: the command line);
    return its id. Raises PermissionDenied, AccountError."""
    _require_account_manager(session, actor)
    email = (email or "").strip().lower()
    if not _EMAIL.match(email) or len(email) > 254:
        raise AccountError(_("not an email address: {email}").format(email=repr(email)))
    country = _account_country(session, role, country)
    check_password(password, email=email, display_name=display_name)
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


def _account(session: Session, email: str) -> User:
    row = session.exec(select(User).where(User.email == (email or "").strip().lower())).first()
    if row is None:
        raise AccountError(_("no account for {email}").format(email=repr(email)))
    return row


def account_id(*, session: Session, email: str) -> int:
    """The id of the account with this email. Raises AccountError when there is none."""
    user = _account(session, email)
    assert user.id is not None
    return user.id


def set_active(*, session: Session, actor: Actor, email: str, active: bool) -> None:
    """Deactivate (or reactivate) an account; deactivating signs it out everywhere at once.
    Raises PermissionDenied, AccountError."""
    _require_account_manager(session, actor)
    user = _account(session, email)
    if not active and isinstance(actor, SessionUser) and actor.id == user.id:
        raise AccountError(_("you cannot deactivate your own account: ask another organiser"))
    user.is_active = active
    session.add(user)
    if not active:
        assert user.id is not None
        end_all_login_sessions(session=session, user_id=user.id)
    session.flush()


def set_role(
    *, session: Session, actor: Actor, email: str, role: str, country: str | None = None
) -> None:
    """Give an account another role (and country). Its open sessions stay, and every tab of it
    takes the new role at its next action (each run checks the session against the database:
    the menu and the permissions follow). Raises PermissionDenied, AccountError."""
    _require_account_manager(session, actor)
    user = _account(session, email)
    country = _account_country(session, role, country)
    if isinstance(actor, SessionUser) and actor.id == user.id and role != v.Role.organiser:
        raise AccountError(_("you cannot take away your own organiser role: ask another organiser"))
    if user.role == role and user.country_code == country:
        return
    user.role = v.Role(role)
    user.country_code = country
    session.add(user)
    session.flush()
    # Public histories name an account without a display name by its role and country: the
    # pages' cached histories (keyed on the records version) must not keep the old one.
    versioned_cache.records_changed(session)


# --------------------------------------------------------------------------- signing in

# A failed sign-in is counted in the database (forumdash.limits' SIGN_IN limits) per account and
# address, per account and device, per address, and per account from everywhere; see sign_in.
_FAILED = N_("Wrong email or password.")
FAILED = _FAILED  # in English (the CLI, tests)
# Verifying against this when the account does not exist, is inactive or the attempt is held
# keeps the answer's timing the same as a wrong password's: one argon2 verification each.
_DUMMY_HASH = _hasher.hash("forumdash-no-such-account")


class AuthError(ValueError):
    """A sign-in that failed, with a message that does not reveal whether the account exists."""


def _failed() -> AuthError:
    """The one answer to every wrong email or password, in the visitor's language."""
    return AuthError(_(_FAILED))


class Throttled(AuthError):
    """Too many failed sign-ins for this email from this address or device, or from this
    address: held for `wait`, whether the account exists or not (the same for every email)."""

    def __init__(self, wait: dt.timedelta) -> None:
        self.wait = wait
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        super().__init__(
            _("Too many failed sign-ins from here.")
            + " "
            + ngettext(
                "Please try again in {n} minute.", "Please try again in {n} minutes.", minutes
            ).format(n=minutes)
        )


class PermissionDenied(PermissionError):
    """The user may not do this."""


def sign_in(
    engine: Engine,
    *,
    email: str,
    password: str,
    address: str = "",
    device: str = "",
    now: dt.datetime | None = None,
) -> SessionUser:
    """The user whose email and password these are, signing in from `address` (the client's,
    forumdash.limits.client_address) and `device` (its device cookie, "" without one).

    No account is ever locked. A failure is counted (and committed) per email, per email and
    address, per email and device, and per address, whether the account exists or not; too many
    for the email from this address or device, or from this address at all, hold further
    attempts there (Throttled); many for the email from everywhere only slow each attempt down,
    so that nobody elsewhere can keep the owner out. Every answer, held or wrong, costs one
    argon2 verification, made outside any write transaction (on SQLite one holds the whole
    database). Raises AuthError (Throttled when held)."""
    now = now or dt.datetime.now(dt.UTC)
    email = (email or "").strip().lower()
    limits.ensure_secret(engine)
    with read_session(engine) as session:
        delay = limits.sign_in_delay(session, email, now=now)
        keys = limits.sign_in_keys(session, email, address=address, device=device)
        held = limits.sign_in_wait(session, keys, now=now)
        user = session.exec(select(User).where(User.email == email)).first()
    if held is not None:
        # The password is not looked at, and nothing is counted (the window runs out).
        verify_password(_DUMMY_HASH, password or "")
        raise Throttled(held)
    if delay > 0:  # outside any transaction: a slowed attempt holds no lock while it waits
        pause(delay)
    if user is None or not user.is_active:
        verify_password(_DUMMY_HASH, password or "")
        right = False
    else:
        right = verify_password(user.password_hash, password or "")
    rehashed = (
        hash_password(password)
        if right and user is not None and _hasher.check_needs_rehash(user.password_hash)
        else None
    )
    with write_session(engine) as session:
        # Counted and checked again under the keys' lock: of attempts made at the same moment
        # from one place, only the allowance's worth get an answer that depends on the password.
        held = limits.sign_in_wait(session, keys, now=now, lock=True)
        if held is not None:
            raise Throttled(held)
        if not right or user is None:
            limits.count_failed_sign_in(session, keys, now=now)
            failure = _failed()
        else:
            failure = None
            # The owner's own typos from here are forgiven; failures from elsewhere still count.
            limits.forget_failed_sign_ins(session, keys)
            if rehashed is not None:
                stored = session.get(User, user.id)
                if stored is not None:
                    stored.password_hash = rehashed
                    session.add(stored)
    if failure is not None:
        raise failure
    assert user is not None
    return _session_user(user)


def pause(seconds: float) -> None:
    """Wait before a slowed sign-in is checked (tests replace it to count the waits). A page
    that sleeps uses no CPU: the warm-up does not give way to it (forumdash.activity)."""
    with activity.waiting_for_background():
        time.sleep(seconds)


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
    """The user a browser's token stands for, as the database has them now: None unless the
    token is known and unexpired and the account active. One indexed query (the token's hash is
    unique; the user by its key), cheap enough for every run of every page."""
    if not is_token(token):
        return None
    now = now or dt.datetime.now(dt.UTC)
    user = session.exec(
        select(User)
        .join(LoginSession, col(LoginSession.user_id) == col(User.id))
        .where(
            LoginSession.token_hash == _token_hash(token),
            col(LoginSession.expires_at) > now,
            col(User.is_active),
        )
    ).first()
    return None if user is None else _session_user(user)


def end_login_session(*, session: Session, token: str | None) -> None:
    """Sign a browser out for good: its token no longer works."""
    if token:
        session.execute(
            sa.delete(LoginSession).where(col(LoginSession.token_hash) == _token_hash(token))
        )


def end_all_login_sessions(*, session: Session, user_id: int) -> int:
    """Sign an account out everywhere (every browser, every tab); the number of sessions ended."""
    ended = session.execute(sa.delete(LoginSession).where(col(LoginSession.user_id) == user_id))
    return int(getattr(ended, "rowcount", 0) or 0)


def is_token(token: object) -> TypeGuard[str]:
    """Whether a value has the shape of our tokens (anything else, of any type, is not one)."""
    return isinstance(token, str) and bool(_TOKEN.match(token))
