"""No lost work: the text typed into a long form, kept on the server as it is typed.

One row per form and owner (`form_draft`): the form's key says which form (its kind and record,
or the client key of a new one: "submit.practice.12", "submit.practice.<key>",
"translate.practice.12.sq", "share.suggestion"); the owner says whose text it is: an account
("user:12") or an anonymous participant's device ("device:" and the device's hash, never the raw
cookie). Every read and write names both, so one account's text is never given to another, even
of the same country, and a device's never to another device.

A draft also keeps a fingerprint of what the form showed when the typing began (`base`): when
the text is given back and the record was saved again since, the fingerprints differ and the
form says so, rather than silently putting older text over newer (the text is still given back).

Drafts are bounded (MAX_FIELDS fields of MAX_FIELD_CHARS, MAX_CHARS in all: a larger one is
refused with a message and the previous draft stays), deleted when their form is saved, and
forgotten after KEEP_DAYS (`prune`; `load` ignores older ones even before they are pruned).
The Streamlit side (reading the form in the browser, restoring it) is forumdash.ui.autosave.
"""

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from forumdash.i18n import _, format_number
from forumdash.models import FormDraft, utcnow

KEEP_DAYS = 30
# A long practice is some 20,000 characters; ten times that is no form anyone typed.
MAX_CHARS = 200_000
MAX_FIELD_CHARS = 100_000
MAX_FIELDS = 60
MAX_NAME = 80
FORM_KEY = re.compile(r"[A-Za-z0-9_.:-]{1,200}")
OWNER = re.compile(r"user:[0-9]{1,18}|device:[0-9a-f]{64}")
# Where a draft's base keeps the record version the typing began from (as it is: not a field's
# fingerprint), so that the form given back still carries it (forumdash.workflow.StaleEdit).
VERSION = "@version"


class DraftError(ValueError):
    """A draft that cannot be kept, with a message fit for the person typing."""


@dataclass(frozen=True)
class Draft:
    """One form's unsaved text, as kept."""

    form_key: str
    values: dict[str, str]
    base: dict[str, str]
    page: str
    params: dict[str, str]
    saved_at: dt.datetime

    @property
    def version(self) -> int | None:
        """The version of the record the form showed when the typing began (None: a new
        record's form, or a draft kept before versions were)."""
        kept = self.base.get(VERSION, "")
        return int(kept) if kept.isdigit() else None

    def changed_since(self, shown: Mapping[str, str]) -> list[str]:
        """The fields whose saved text differs from what the form showed when the typing began
        (`shown`: the form's fields as the record has them now)."""
        now = fingerprint(shown)
        return [name for name, was in self.base.items() if name in now and now[name] != was]


def user_owner(user_id: int) -> str:
    """The owner of a signed-in person's drafts."""
    return f"user:{int(user_id)}"


def device_owner(device_hash: str) -> str:
    """The owner of an anonymous participant's drafts: their device's hash (64 hex digits,
    as forumdash.limits makes it), never the raw cookie."""
    if not re.fullmatch(r"[0-9a-f]{64}", device_hash):
        raise DraftError("a device hash is 64 lowercase hex digits")
    return f"device:{device_hash}"


def fingerprint(values: Mapping[str, str]) -> dict[str, str]:
    """A short digest of each field's text: enough to tell a changed field, small to keep."""
    return {
        name: hashlib.sha256(str(text).encode()).hexdigest()[:16] for name, text in values.items()
    }


def digest(values: Mapping[str, str]) -> str:
    """One digest of a whole form's text (to skip writing what is already kept)."""
    return hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()


def checked(values: Mapping[str, Any]) -> dict[str, str]:
    """The values as kept (text only), or DraftError saying what is too large."""
    if len(values) > MAX_FIELDS:
        raise DraftError(_("This form has too many fields to keep as you type."))
    kept: dict[str, str] = {}
    for name, text in values.items():
        if not isinstance(name, str) or not 0 < len(name) <= MAX_NAME:
            raise DraftError(_("This form's fields cannot be kept as you type."))
        if not isinstance(text, str):
            raise DraftError(_("This form's fields cannot be kept as you type."))
        if len(text) > MAX_FIELD_CHARS:
            raise DraftError(
                _(
                    "One field holds more than {limit} characters: it is not kept as you type. "
                    "Shorten it, or save the form."
                ).format(limit=format_number(MAX_FIELD_CHARS))
            )
        kept[name] = text
    if sum(len(text) for text in kept.values()) > MAX_CHARS:
        raise DraftError(
            _(
                "The form holds more than {limit} characters: it is not kept as you type. "
                "Shorten it, or save the form."
            ).format(limit=format_number(MAX_CHARS))
        )
    return kept


def _check_keys(form_key: str, owner: str) -> None:
    if not FORM_KEY.fullmatch(form_key):
        raise DraftError(f"not a form key: {form_key!r}")
    if not OWNER.fullmatch(owner):
        raise DraftError(f"not a draft owner: {owner!r}")


def _row(session: Session, form_key: str, owner: str) -> FormDraft | None:
    return session.exec(
        select(FormDraft).where(FormDraft.form_key == form_key, FormDraft.owner == owner)
    ).first()


def save(
    session: Session,
    *,
    form_key: str,
    owner: str,
    values: Mapping[str, Any],
    base: Mapping[str, str],
    page: str = "",
    params: Mapping[str, str] | None = None,
    now: dt.datetime | None = None,
    version: int | None = None,
) -> dt.datetime:
    """Keep the form's text for its owner (one row per form and owner); return when.

    `base` is what the form showed when the typing began: kept from the first save of a draft
    and never moved by later ones, so that a record saved again meanwhile is still noticed.
    `version` is the version of the record the saving tab's text was typed against: it goes
    with the text, so each save writes it (another tab of the form, at another version, may
    have kept the draft before; its version with this text would let a save pass unseen).
    Raises DraftError for a draft too large (the draft kept before stays as it was).
    """
    _check_keys(form_key, owner)
    kept = checked(values)
    moment = now or utcnow()
    row = _row(session, form_key, owner)
    if row is None:
        row = FormDraft(
            form_key=form_key,
            owner=owner,
            values=kept,
            base=fingerprint(base) | ({VERSION: str(int(version))} if version is not None else {}),
            page=page[:100],
            params=dict(params or {}),
            saved_at=moment,
        )
        try:
            with session.begin_nested():
                session.add(row)
            return moment
        except IntegrityError:  # the same owner's other tab wrote it first: update that one
            row = _row(session, form_key, owner)
            if row is None:
                raise
    row.values = kept
    if version is not None and row.base.get(VERSION) != str(int(version)):
        row.base = row.base | {VERSION: str(int(version))}
    row.saved_at = moment
    session.add(row)
    session.flush()
    return moment


def load(
    session: Session, *, form_key: str, owner: str, now: dt.datetime | None = None
) -> Draft | None:
    """The owner's unsaved text of this form, if any younger than KEEP_DAYS."""
    _check_keys(form_key, owner)
    row = _row(session, form_key, owner)
    if row is None or _expired(row.saved_at, now):
        return None
    return _draft(row)


def owned(
    session: Session, *, owner: str, prefix: str = "", now: dt.datetime | None = None
) -> list[Draft]:
    """The owner's drafts whose form key starts with `prefix`, newest first."""
    if not OWNER.fullmatch(owner):
        raise DraftError(f"not a draft owner: {owner!r}")
    query = select(FormDraft).where(FormDraft.owner == owner)
    if prefix:
        query = query.where(col(FormDraft.form_key).startswith(prefix, autoescape=True))
    rows = session.exec(query.order_by(col(FormDraft.saved_at).desc())).all()
    return [_draft(row) for row in rows if not _expired(row.saved_at, now)]


def discard(session: Session, *, form_key: str, owner: str) -> bool:
    """Forget the owner's unsaved text of this form (it was saved, or they threw it away)."""
    _check_keys(form_key, owner)
    done = session.execute(
        sa.delete(FormDraft).where(
            col(FormDraft.form_key) == form_key, col(FormDraft.owner) == owner
        )
    )
    return bool(getattr(done, "rowcount", 0))


def prune(session: Session, *, now: dt.datetime | None = None) -> int:
    """Delete every draft older than KEEP_DAYS; return how many."""
    cutoff = (now or utcnow()) - dt.timedelta(days=KEEP_DAYS)
    done = session.execute(sa.delete(FormDraft).where(col(FormDraft.saved_at) < cutoff))
    return int(getattr(done, "rowcount", 0) or 0)


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite gives back naive datetimes: they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _expired(saved_at: dt.datetime, now: dt.datetime | None) -> bool:
    return _aware(saved_at) < (now or utcnow()) - dt.timedelta(days=KEEP_DAYS)


def _draft(row: FormDraft) -> Draft:
    return Draft(
        form_key=row.form_key,
        values={str(k): str(v) for k, v in (row.values or {}).items()},
        base={str(k): str(v) for k, v in (row.base or {}).items()},
        page=row.page,
        params={str(k): str(v) for k, v in (row.params or {}).items()},
        saved_at=_aware(row.saved_at),
    )
