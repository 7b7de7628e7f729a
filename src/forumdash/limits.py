"""Who a participant is without an account, and how often they may act.

A participant is known by two keys, each kept only as a keyed hash (HMAC-SHA256):

- their **device**: a random id the browser keeps in a cookie (forumdash.ui.participant makes it).
  It counts "I want to learn from this" once per device and is the tight rate limit. A script can
  drop its cookie, so it is not enough alone;
- their **address**: the connection's IP address (an IPv6 address by its /64, which one home or
  phone gets whole). It can be spoofed through a proxy and is shared by a whole room on the
  venue's Wi-Fi, so its limit is loose: it stops a script that throws its cookies away without
  stopping a room of people. X-Forwarded-For is believed only as far as FORUMDASH_TRUSTED_PROXIES
  says proxies of ours wrote it (anyone can send the header).

The key of the hashes is FORUMDASH_HASH_SECRET when set (kept out of the database and its
backups), else a random one the database keeps (table `server_secret`, made on the first
participant's action): in the database rather than a file, so that every app process on a shared
PostgreSQL hashes alike and a device counts once whichever process served it. Without a key the
hash of an IPv4 address would be reversed by trying all 2^32 of them. Device ids are random and
never readable back from their hash in any case.

Rate limits count `rate_event` rows per action and key over the last hour, checked and added in
the caller's transaction, so that the count and the write stand or fall together and two app
processes share one count. Writers are serialised per key: SQLite's write transactions take the
lock up front (forumdash.db), PostgreSQL takes an advisory lock per key. Events older than the
longest window are deleted as new ones come, so the table keeps an hour of hashes, no more.
"""

import datetime as dt
import hashlib
import hmac
import ipaddress
import logging
import math
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from forumdash.db import read_session, write_session
from forumdash.i18n import _, ngettext
from forumdash.models import RateEvent, ServerSecret, utcnow
from forumdash.settings import get_settings

log = logging.getLogger("forumdash")

DEVICE_COOKIE = "forumdash_device"
SECRET_NAME = "participants"
MIN_SECRET = 32  # characters of FORUMDASH_HASH_SECRET
HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Limit:
    """How many times one device, and one address, may do an action within a window."""

    action: str
    per_device: int
    per_address: int
    window: dt.timedelta = HOUR


# A person taps "I want to learn from this" on a few practices and may add details to each (every
# send counts); a script gets no further than this. An address carries a whole room at an event.
LEARN = Limit("learn", per_device=20, per_address=200)
# A suggestion takes minutes to write: five an hour is more than anyone sends.
SUGGEST = Limit("suggest", per_device=5, per_address=50)
CORRECT = Limit("correct", per_device=5, per_address=50)
LIMITS = (LEARN, SUGGEST, CORRECT)


class RateLimited(Exception):
    """Refused: too many actions in the window. The message says how long to wait, in words."""

    def __init__(self, wait: dt.timedelta) -> None:
        self.wait = wait
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        super().__init__(
            _("You have sent many requests in the last hour.")
            + " "
            + ngettext(
                "Please try again in {n} minute.", "Please try again in {n} minutes.", minutes
            ).format(n=minutes)
        )


@dataclass(frozen=True)
class Participant:
    """A participant's two keys as stored: hashes of their device and of their address ("" when
    the address is not known, as on a local connection)."""

    device: str
    address: str


# --------------------------------------------------------------------------- who

DEVICE_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def new_device_id() -> str:
    """A fresh random device id (192 bits, URL-safe: it goes into a cookie as it is)."""
    return secrets.token_urlsafe(24)


def valid_device_id(value: object) -> str | None:
    """The device id a cookie holds when it looks like one this app made, else None."""
    if isinstance(value, str) and 16 <= len(value) <= 64 and set(value) <= DEVICE_ID_CHARS:
        return value
    return None


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: int) -> str:
    """The client's address: the connection's own, or, behind `trusted_proxies` proxies of ours,
    the one the outermost of them saw (their X-Forwarded-For entries are the last ones; anything
    before is what the client claimed). "" when there is no valid address."""
    candidate = peer
    if trusted_proxies > 0 and forwarded_for:
        hops = [part.strip() for part in forwarded_for.split(",") if part.strip()]
        if len(hops) >= trusted_proxies:
            candidate = hops[-trusted_proxies]
    try:
        address = ipaddress.ip_address((candidate or "").strip())
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        # One subscriber gets a whole /64: counting single addresses would count nothing.
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _secret(session: Session, *, create: bool) -> bytes | None:
    configured = get_settings().hash_secret
    if configured:
        if len(configured) >= MIN_SECRET:
            return configured.encode()
        log.warning("FORUMDASH_HASH_SECRET is shorter than %d characters: ignored", MIN_SECRET)
    row = session.get(ServerSecret, SECRET_NAME)
    if row is None and create:
        # Made on first use (a new database stays empty, as a restore needs it). Two processes
        # doing it at once: the second one's insert fails on the key and it reads the first one's.
        try:
            with session.begin_nested():
                session.add(ServerSecret(name=SECRET_NAME, value=secrets.token_hex(32)))
        except IntegrityError:
            pass
        row = session.get(ServerSecret, SECRET_NAME)
    return row.value.encode() if row is not None else None


def _keyed(secret: bytes, kind: str, value: str) -> str:
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def participant(session: Session, device_id: str, address: str) -> Participant:
    """The participant's keys as stored, for writing (makes the server's key if it is missing).
    Raises ValueError for a device id this app did not make."""
    if valid_device_id(device_id) is None:
        raise ValueError("not a device id")
    secret = _secret(session, create=True)
    assert secret is not None
    return Participant(
        device=_keyed(secret, "device", device_id),
        address=_keyed(secret, "address", address) if address else "",
    )


def known_participant(session: Session, device_id: str, address: str) -> Participant | None:
    """The participant's keys for reading (a read-only session); None without a device id or a
    server key."""
    if valid_device_id(device_id) is None:
        return None
    secret = _secret(session, create=False)
    if secret is None:
        return None
    return Participant(
        device=_keyed(secret, "device", device_id),
        address=_keyed(secret, "address", address) if address else "",
    )


# --------------------------------------------------------------------------- how often


def _lock(session: Session, keys: list[str]) -> None:
    """Serialise writers of the same keys until the transaction ends (PostgreSQL; SQLite's write
    transaction holds the database's lock already). In sorted order: no two writers deadlock."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        session.execute(
            sa.text("SELECT pg_advisory_xact_lock(:lock)"),
            {"lock": int.from_bytes(bytes.fromhex(key[:16]), "big", signed=True)},
        )


def _wait(
    session: Session, action: str, key: str, allowed: int, since: dt.datetime
) -> dt.timedelta | None:
    """How long until `key` may act again, or None when it may now."""
    times = session.exec(
        select(RateEvent.at)
        .where(RateEvent.action == action, RateEvent.key == key, col(RateEvent.at) > since)
        .order_by(col(RateEvent.at).desc())
        .limit(allowed)
    ).all()
    if len(times) < allowed:
        return None
    oldest = times[-1]
    if oldest.tzinfo is None:  # SQLite gives back naive UTC
        oldest = oldest.replace(tzinfo=dt.UTC)
    return oldest - since


def check_and_count(
    session: Session, limit: Limit, who: Participant, *, now: dt.datetime | None = None
) -> None:
    """Count one `limit.action` of `who` (device and address) in the caller's transaction, or
    raise RateLimited, counting nothing, when either key has used its allowance in the window."""
    now = now or utcnow()
    keys = [who.device, *([who.address] if who.address else [])]
    _lock(session, keys)
    session.execute(delete(RateEvent).where(col(RateEvent.at) < now - KEEP))
    since = now - limit.window
    waits = [
        _wait(session, limit.action, key, allowed, since)
        for key, allowed in ((who.device, limit.per_device), (who.address, limit.per_address))
        if key
    ]
    longest = max((wait for wait in waits if wait is not None), default=None)
    if longest is not None:
        raise RateLimited(max(longest, dt.timedelta(0)))
    for key in keys:
        session.add(RateEvent(action=limit.action, key=key, at=now))
    session.flush()


# --------------------------------------------------------------------------- failed sign-ins
#
# Counted, like the limits above, as rate_event rows under keyed hashes, whether the email has an
# account or not (so that being held says nothing about an account). Four counts, each for what
# it stops without letting anyone keep the owner out:
# - one email from one address, and from one device: tight, guessing from one place is held
#   there; the owner elsewhere (another address, another device) signs in as usual;
# - one address whatever the email: loose (a venue's Wi-Fi is one address for a whole room),
#   against one machine trying many accounts with leaked passwords;
# - one email from everywhere: never held, only slowed (SLOW_AFTER, then each attempt waits
#   a little longer, up to MAX_DELAY), so that guessing from many addresses gets slow while the
#   owner still gets in.


@dataclass(frozen=True)
class Throttle:
    """At most `allowed` failed sign-ins per key within `window`."""

    action: str
    allowed: int
    window: dt.timedelta


SIGN_IN_PLACE = Throttle("sign_in.place", allowed=5, window=dt.timedelta(minutes=15))
SIGN_IN_ADDRESS = Throttle("sign_in.address", allowed=100, window=HOUR)
SIGN_IN_ACCOUNT = Throttle("sign_in.account", allowed=50, window=HOUR)
SLOW_STEP = 10  # each this many failures more over the allowance doubles the wait
MIN_DELAY = 1.0  # seconds
MAX_DELAY = 8.0
KEEP = max(
    *(limit.window for limit in LIMITS),
    *(throttle.window for throttle in (SIGN_IN_PLACE, SIGN_IN_ADDRESS, SIGN_IN_ACCOUNT)),
)


@dataclass(frozen=True)
class SignInKeys:
    """The hashes a sign-in attempt is counted under ("" for what is not known)."""

    account: str
    account_address: str
    account_device: str
    address: str


def ensure_secret(engine: Engine) -> None:
    """Make the server's key if it is missing (once per database), so that reads can hash."""
    with read_session(engine) as session:
        if _secret(session, create=False) is not None:
            return
    with write_session(engine) as session:
        _secret(session, create=True)


def sign_in_keys(session: Session, email: str, *, address: str, device: str) -> SignInKeys:
    """The keys of an attempt to sign in as `email` from `address` with `device` (a device id
    this app made, or anything else for none). The server's key must exist (ensure_secret)."""
    secret = _secret(session, create=False)
    if secret is None:
        raise RuntimeError("no server key: call ensure_secret first")
    account = (email or "").strip().lower()
    device_id = valid_device_id(device)
    # No address known (a local socket, a test): all such attempts count as from one place.
    address = address or "unknown"
    return SignInKeys(
        account=_keyed(secret, "sign-in account", account),
        account_address=_keyed(secret, "sign-in account address", f"{account}\n{address}"),
        account_device=_keyed(secret, "sign-in account device", f"{account}\n{device_id}")
        if device_id
        else "",
        address=_keyed(secret, "address", address),
    )


def _held(keys: SignInKeys) -> list[tuple[Throttle, str]]:
    return [
        (throttle, key)
        for throttle, key in (
            (SIGN_IN_PLACE, keys.account_address),
            (SIGN_IN_PLACE, keys.account_device),
            (SIGN_IN_ADDRESS, keys.address),
        )
        if key
    ]


def sign_in_wait(
    session: Session, keys: SignInKeys, *, now: dt.datetime | None = None, lock: bool = False
) -> dt.timedelta | None:
    """How long attempts with these keys are held, or None when they may be checked now.
    `lock`: serialise writers of the same places until the transaction ends (in a write session,
    before counting)."""
    now = now or utcnow()
    if lock:
        # The places' keys only: attempts on one email from many places are never queued
        # behind each other (the owner's would wait behind a crowd's).
        _lock(session, [key for _throttle, key in _held(keys)])
    waits = [
        _wait(session, throttle.action, key, throttle.allowed, now - throttle.window)
        for throttle, key in _held(keys)
    ]
    longest = max((wait for wait in waits if wait is not None), default=None)
    return None if longest is None else max(longest, dt.timedelta(seconds=1))


def count_failed_sign_in(
    session: Session, keys: SignInKeys, *, now: dt.datetime | None = None
) -> None:
    """Count one failed sign-in under each of its keys, in the caller's transaction."""
    now = now or utcnow()
    session.execute(delete(RateEvent).where(col(RateEvent.at) < now - KEEP))
    session.add(RateEvent(action=SIGN_IN_ACCOUNT.action, key=keys.account, at=now))
    for throttle, key in _held(keys):
        session.add(RateEvent(action=throttle.action, key=key, at=now))
    session.flush()


def forget_failed_sign_ins(session: Session, keys: SignInKeys) -> None:
    """After the owner signed in: their failures from this address and device no longer count
    (the account's failures from everywhere and the address's with other emails still do)."""
    mine = [key for key in (keys.account_address, keys.account_device) if key]
    if mine:
        session.execute(
            delete(RateEvent).where(
                col(RateEvent.action) == SIGN_IN_PLACE.action, col(RateEvent.key).in_(mine)
            )
        )


def sign_in_delay(session: Session, email: str, *, now: dt.datetime | None = None) -> float:
    """Seconds an attempt for `email` waits before it is checked: 0 until the email's failures
    from everywhere in the window pass SIGN_IN_ACCOUNT.allowed, then MIN_DELAY doubling every
    SLOW_STEP failures more, at most MAX_DELAY. Read-only: 0 without a server key yet."""
    now = now or utcnow()
    secret = _secret(session, create=False)
    if secret is None:
        return 0.0
    key = _keyed(secret, "sign-in account", (email or "").strip().lower())
    failures = session.exec(
        select(sa.func.count())
        .select_from(RateEvent)
        .where(
            RateEvent.action == SIGN_IN_ACCOUNT.action,
            RateEvent.key == key,
            col(RateEvent.at) > now - SIGN_IN_ACCOUNT.window,
        )
    ).one()
    over = failures - SIGN_IN_ACCOUNT.allowed
    if over < 0:
        return 0.0
    return float(min(MAX_DELAY, MIN_DELAY * 2 ** (over // SLOW_STEP)))
