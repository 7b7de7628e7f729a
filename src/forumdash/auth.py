"""Accounts: argon2id password hashes, roles, and who may do what."""

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from forumdash import vocab as v
from forumdash.models import Country, User

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
        raise AccountError(f"not an email address: {email!r}")
    if role not in v.Role.values():
        raise AccountError(f"unknown role {role!r}: use one of {', '.join(v.Role.values())}")
    if role == v.Role.focal_point and not country:
        raise AccountError("a focal point needs a country: add --country CODE")
    if country:
        country = country.strip().upper()
        if session.get(Country, country) is None:
            raise AccountError(f"unknown country code {country!r}")
    if role != v.Role.focal_point and country:
        country = None if role == v.Role.participant else country
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise AccountError(f"an account for {email} exists already")
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
