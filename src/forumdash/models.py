"""Tables of the forum's records and the schemas that carry them in and out.

Vocabulary columns store the enum value as text under a CHECK constraint (the same on SQLite and
PostgreSQL, and easy to migrate); multi-valued vocabularies live in link tables.
"""

import datetime as dt
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ValidationInfo, field_validator, model_validator
from pydantic import Field as SchemaField
from sqlalchemy.orm import object_session
from sqlmodel import JSON, Field, SQLModel

from forumdash import i18n
from forumdash import vocab as v
from forumdash.i18n import TAGS, _, language_name, ngettext, parse_tag
from forumdash.text import clean_text, safe_url

# Stable constraint names, so that Alembic can find them again on both databases.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def vocab_type(enum_cls: type[v.Vocab], name: str | None = None) -> sa.Enum:
    """A column type that stores an enum's values (not names) as text with a CHECK constraint.

    `name` names the constraint; give one where a table has two columns of the same vocabulary.
    """
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        name=name or enum_cls.__name__.lower(),
        validate_strings=True,
    )


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


TS = sa.DateTime(timezone=True)


# --------------------------------------------------------------------------- reference tables


class Country(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=2)
    name_en: str = Field(max_length=80)
    name_local: str = Field(max_length=120)
    region_group: v.RegionGroup = Field(sa_type=vocab_type(v.RegionGroup))
    sort_order: int = 0


class Theme(SQLModel, table=True):
    slug: str = Field(primary_key=True, max_length=48)
    name: str = Field(max_length=80)
    grand_challenge: v.GrandChallenge = Field(sa_type=vocab_type(v.GrandChallenge))
    sort_order: int = 0


class User(SQLModel, table=True):
    __table_args__ = (
        sa.CheckConstraint(
            "role <> 'focal_point' OR country_code IS NOT NULL", name="focal_point_country"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    display_name: str = Field(default="", max_length=120)
    password_hash: str = Field(max_length=255)
    role: v.Role = Field(sa_type=vocab_type(v.Role))
    country_code: str | None = Field(default=None, foreign_key="country.code", max_length=2)
    # Failed sign-ins are counted in rate_event (forumdash.limits), not here: an account is
    # never locked (migration 0017 dropped failed_logins and locked_until).
    is_active: bool = True
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=TS)


# --------------------------------------------------------------------------- practices


# Single-valued facets of a practice; each has a (workflow, column) index for facet counts.
FACET_COLUMNS = ["stage", "level", "actor_type", "completion", "evidence_level", "start_year"]


class WorkflowColumns(SQLModel):
    """The columns practices and challenges share: where the record is in the review workflow,
    an edit of a published record waiting for review, and who changed it when."""

    workflow: v.Workflow = Field(default=v.Workflow.draft, sa_type=vocab_type(v.Workflow))
    rejection_reason: str = Field(default="", sa_type=sa.Text)
    is_sample: bool = False
    published_at: dt.datetime | None = Field(default=None, sa_type=TS)
    # The form's idempotency key: a double click, a refresh or a second tab of the same form
    # finds this record instead of creating another.
    client_key: str | None = Field(default=None, max_length=64)
    # An edit of a published record waits here (its Create schema as JSON) until reviewed, so
    # the published version stays online meanwhile.
    pending: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    # The CHECK constraint keeps the name it was created with (0004/0006): SQLite cannot rename
    # a constraint, and renaming the column updated what it checks.
    pending_workflow: v.Workflow | None = Field(
        default=None, sa_type=vocab_type(v.Workflow, "pending_status")
    )
    pending_by_id: int | None = Field(default=None, foreign_key="user.id")
    pending_at: dt.datetime | None = Field(default=None, sa_type=TS)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=TS)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=TS)
    # Counts the row's changes (every write of it: an edit, a workflow move, a pending edit;
    # see _count_version): a form carries the version it was drawn from, and a save from an
    # older one is refused (forumdash.workflow.StaleEdit) instead of overwriting unseen work.
    # A row inserted by plain SQL (a bulk load, a benchmark's generator) starts at 1 as well.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class PracticeBase(SQLModel):
    """The fields a practice has alike in its table, as it comes in (PracticeCreate) and as it
    is shown (PracticePublic). Lengths are the table's column types (sa_type), not pydantic
    limits: PracticeCreate checks them itself, with the forms' own messages."""

    title: str = Field(sa_type=sa.String(200))
    summary: str = Field(sa_type=sa.Text)
    level: v.GovLevel = Field(sa_type=vocab_type(v.GovLevel), index=True)
    lead_institution: str = Field(default="", sa_type=sa.String(300))
    partners: str = Field(default="", sa_type=sa.String(1000))
    actor_type: v.ActorType = Field(sa_type=vocab_type(v.ActorType), index=True)
    stage: v.Stage = Field(sa_type=vocab_type(v.Stage), index=True)
    start_year: int | None = Field(default=None, index=True)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    # Said to go on; False is "ended" (with an end date) or "not known": never assumed ongoing.
    ongoing: bool = False
    action_plan: str = Field(default="", sa_type=sa.String(40))
    commitment_ref: str = Field(default="", sa_type=sa.String(40))
    transferability: str = Field(default="", sa_type=sa.Text)
    transfer_conditions: str = Field(default="", sa_type=sa.Text)
    contact: str = Field(default="", sa_type=sa.String(300))
    # "" when nobody said (an import without the column): no language is assumed.
    original_language: str = Field(default="", sa_type=sa.String(8))


# The PracticeBase fields: the table, the incoming record and the shown one hold them alike.
PRACTICE_BASE_FIELDS = tuple(PracticeBase.model_fields)


class Practice(WorkflowColumns, PracticeBase, table=True):
    __table_args__ = (
        sa.Index("ix_practice_workflow_country", "workflow", "country_code"),
        *(
            sa.Index(f"ix_practice_workflow_{column}", "workflow", column)
            for column in FACET_COLUMNS
        ),
        sa.Index("ix_practice_client_key", "client_key", unique=True),
        sa.Index("ix_practice_published_at", "published_at"),
        # The newest published first, read in order (the overview's latest, browse's first page).
        sa.Index("ix_practice_workflow_published_at", "workflow", "published_at"),
        # Adaptations are few: found from this index, not by reading every practice.
        sa.Index("ix_practice_adapted_from_id", "adapted_from_id"),
        # Search reads the corpus' size and length from this index alone (not the wide rows).
        sa.Index("ix_practice_workflow_search_length", "workflow", "search_length"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True)
    # The body, under the forum's fixed headings (vocab.BODY_SECTIONS).
    problem_purpose: str = Field(default="", sa_type=sa.Text)
    context: str = Field(default="", sa_type=sa.Text)
    actors_funding: str = Field(default="", sa_type=sa.Text)
    methods: str = Field(default="", sa_type=sa.Text)
    what_happened: str = Field(default="", sa_type=sa.Text)
    outcomes: str = Field(default="", sa_type=sa.Text)
    lessons: str = Field(default="", sa_type=sa.Text)
    references: str = Field(default="", sa_type=sa.Text)

    country_code: str = Field(foreign_key="country.code", max_length=2, index=True)

    completion: v.Completion | None = Field(
        default=None, sa_type=vocab_type(v.Completion), index=True
    )
    potential_impact: v.PotentialImpact | None = Field(
        default=None, sa_type=vocab_type(v.PotentialImpact)
    )
    early_results: v.EarlyResults | None = Field(default=None, sa_type=vocab_type(v.EarlyResults))
    rated_by: v.RatedBy | None = Field(default=None, sa_type=vocab_type(v.RatedBy))
    evidence_level: v.EvidenceLevel | None = Field(
        default=None, sa_type=vocab_type(v.EvidenceLevel), index=True
    )
    evidence_links: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    adapted_from_id: int | None = Field(default=None, foreign_key="practice.id")
    sources: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)

    # Full-text search (forumdash.search), written with every change: the folded words of the
    # title and of the rest, in order (for phrases), and the weighted number of words (BM25).
    search_title: str = Field(default="", sa_type=sa.Text)
    search_text: str = Field(default="", sa_type=sa.Text)
    search_length: int = 0


# Tokens compare by code point on both databases, so that a prefix is one range of the index.
SEARCH_TOKEN = sa.String(64).with_variant(sa.String(64, collation="C"), "postgresql")


class PracticeSearchTerm(SQLModel, table=True):
    """One stem of a practice's text with its weighted frequency (forumdash.search), and the
    practice's weighted length, so that a search reads everything BM25 needs from one range of
    this table's key (no row of the table is read elsewhere)."""

    __tablename__ = "practice_search_term"
    __table_args__ = {"sqlite_with_rowid": False}
    token: str = Field(primary_key=True, sa_type=SEARCH_TOKEN)
    practice_id: int = Field(
        foreign_key="practice.id", primary_key=True, ondelete="CASCADE", index=True
    )
    frequency: int
    length: int


class PracticeTheme(SQLModel, table=True):
    __tablename__ = "practice_theme"
    __table_args__ = (sa.Index("ix_practice_theme_slug_practice", "theme_slug", "practice_id"),)
    practice_id: int = Field(foreign_key="practice.id", primary_key=True, ondelete="CASCADE")
    theme_slug: str = Field(foreign_key="theme.slug", primary_key=True, index=True)


class PracticeValue(SQLModel, table=True):
    __tablename__ = "practice_value"
    __table_args__ = (sa.Index("ix_practice_value_value_practice", "value", "practice_id"),)
    practice_id: int = Field(foreign_key="practice.id", primary_key=True, ondelete="CASCADE")
    value: v.OgpValue = Field(sa_type=vocab_type(v.OgpValue), primary_key=True, index=True)


class PracticeOutcome(SQLModel, table=True):
    __tablename__ = "practice_outcome"
    practice_id: int = Field(foreign_key="practice.id", primary_key=True, ondelete="CASCADE")
    outcome: v.OutcomeArea = Field(sa_type=vocab_type(v.OutcomeArea), primary_key=True)


class PracticeCommitment(SQLModel, table=True):
    __tablename__ = "practice_commitment"
    practice_id: int = Field(foreign_key="practice.id", primary_key=True, ondelete="CASCADE")
    commitment_id: int = Field(foreign_key="commitment.id", primary_key=True, ondelete="CASCADE")


class PracticeTranslation(SQLModel, table=True):
    """One text field of a practice in another language than its own (forumdash.translations):
    the title, the summary, a body section, a transferability text. Only what is published is
    here: a focal point's translation of a published practice waits in its pending edit."""

    __tablename__ = "practice_translation"
    practice_id: int = Field(foreign_key="practice.id", primary_key=True, ondelete="CASCADE")
    language: str = Field(primary_key=True, max_length=8)
    field: str = Field(primary_key=True, max_length=40)
    text: str = Field(sa_type=sa.Text)


# --------------------------------------------------------------------------- challenges


class Challenge(WorkflowColumns, table=True):
    __table_args__ = (sa.Index("ix_challenge_client_key", "client_key", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True)
    title: str = Field(max_length=200)
    description: str = Field(sa_type=sa.Text)
    country_code: str = Field(foreign_key="country.code", max_length=2, index=True)
    obstacle_type: v.ObstacleType = Field(sa_type=vocab_type(v.ObstacleType), index=True)
    severity: v.Severity = Field(sa_type=vocab_type(v.Severity))
    challenge_status: v.ChallengeStatus = Field(
        default=v.ChallengeStatus.open, sa_type=vocab_type(v.ChallengeStatus), index=True
    )
    support_sought: list[str] = Field(default_factory=list, sa_type=JSON)
    raised_at_event: str = Field(default="", max_length=200)
    raised_at_date: dt.date | None = None
    sources: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    # The language its text is written in; "" when nobody said (none is assumed).
    original_language: str = Field(default="", sa_type=sa.String(8))


class ChallengeTranslation(SQLModel, table=True):
    """One text field of a challenge in another language (as PracticeTranslation)."""

    __tablename__ = "challenge_translation"
    challenge_id: int = Field(foreign_key="challenge.id", primary_key=True, ondelete="CASCADE")
    language: str = Field(primary_key=True, max_length=8)
    field: str = Field(primary_key=True, max_length=40)
    text: str = Field(sa_type=sa.Text)


class ChallengeTheme(SQLModel, table=True):
    __tablename__ = "challenge_theme"
    challenge_id: int = Field(foreign_key="challenge.id", primary_key=True, ondelete="CASCADE")
    theme_slug: str = Field(foreign_key="theme.slug", primary_key=True, index=True)


class ChallengeValue(SQLModel, table=True):
    __tablename__ = "challenge_value"
    challenge_id: int = Field(foreign_key="challenge.id", primary_key=True, ondelete="CASCADE")
    value: v.OgpValue = Field(sa_type=vocab_type(v.OgpValue), primary_key=True)


class Match(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("challenge_id", "practice_id", name="uq_match_pair"),)
    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(foreign_key="challenge.id", index=True, ondelete="CASCADE")
    practice_id: int = Field(foreign_key="practice.id", index=True, ondelete="CASCADE")
    score: float = 0.0
    reasons: list[str] = Field(default_factory=list, sa_type=JSON)
    state: v.MatchState = Field(default=v.MatchState.suggested, sa_type=vocab_type(v.MatchState))
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=TS)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=TS)


# --------------------------------------------------------------------------- OGP commitments


class Commitment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    identifier: str = Field(max_length=40, unique=True)
    country_code: str = Field(foreign_key="country.code", max_length=2, index=True)
    action_plan: str = Field(default="", max_length=40)
    commitment_number: str = Field(default="", max_length=20)
    title: str = Field(max_length=500)
    short_title: str = Field(default="", max_length=500)
    text: str = Field(default="", sa_type=sa.Text)
    lead_institution: str = Field(default="", max_length=500)
    supporting_institutions: str = Field(default="", sa_type=sa.Text)
    # A date OGP gives as a year, a month, a quarter or a season is stored as its first day, with
    # how much of it is known; None where OGP gives no date.
    start_date: dt.date | None = None
    start_precision: v.DatePrecision | None = Field(
        default=None, sa_type=vocab_type(v.DatePrecision, "start_precision")
    )
    end_date: dt.date | None = None
    end_precision: v.DatePrecision | None = Field(
        default=None, sa_type=vocab_type(v.DatePrecision, "end_precision")
    )
    # OGP wrote a state instead of an end date ("Ongoing", "Underway"); None: not said.
    ongoing: bool | None = None
    ogp_values: list[str] = Field(default_factory=list, sa_type=JSON)
    policy_areas: list[str] = Field(default_factory=list, sa_type=JSON)
    potential_impact: v.PotentialImpact | None = Field(
        default=None, sa_type=vocab_type(v.PotentialImpact)
    )
    potential_for_results: v.PotentialForResults | None = Field(
        default=None, sa_type=vocab_type(v.PotentialForResults)
    )
    completion_midterm: v.Completion | None = Field(
        default=None, sa_type=vocab_type(v.Completion, "completion_midterm")
    )
    completion_end: v.Completion | None = Field(
        default=None, sa_type=vocab_type(v.Completion, "completion_end")
    )
    did_it_open_government: v.OpenedGovernment | None = Field(
        default=None, sa_type=vocab_type(v.OpenedGovernment)
    )
    starred: bool | None = None
    url: str = Field(default="", max_length=500)
    # Values of rating and other optional columns that the importer did not know, kept as OGP
    # wrote them ({column: value}) and shown as such.
    as_written: dict[str, str] = Field(default_factory=dict, sa_type=JSON)


# --------------------------------------------------------------------------- milestones


class Milestone(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True)
    country_code: str | None = Field(
        default=None, foreign_key="country.code", max_length=2, index=True
    )  # None: a regional milestone
    date: dt.date
    date_precision: v.DatePrecision = Field(
        default=v.DatePrecision.day, sa_type=vocab_type(v.DatePrecision)
    )
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=sa.Text)
    sources: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    is_sample: bool = False
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=TS)


_COUNTED = "forumdash.versions_counted"


def _counted(session: Any, row: Any) -> bool:
    """Whether this transaction already counted a change of the row (and note that it has)."""
    transaction = session.get_transaction()
    held = session.info.get(_COUNTED)
    if held is None or held[0] is not transaction:
        held = (transaction, set())
        session.info[_COUNTED] = held
    key = (type(row).__name__, row.id)
    seen = key in held[1]
    held[1].add(key)
    return seen


def _count_version(_mapper: Any, connection: Any, row: Any) -> None:
    """A transaction that changes a practice's or challenge's row raises its version by one,
    whoever writes it (the workflow, an import, the CLI) and however many flushes it takes:
    one home for the counting, none to forget."""
    session = object_session(row)
    if session is None or not session.is_modified(row, include_collections=False):
        return
    if not _counted(session, row):
        # From the stored version, locked (PostgreSQL): a writer that read the row before
        # someone else's save committed would otherwise write that save's number again, and a
        # form drawn from that save would pass over this write unseen.
        table = type(row).__table__
        stored = connection.execute(
            sa.select(table.c.version).where(table.c.id == row.id).with_for_update()
        ).scalar_one()
        row.version = stored + 1


def _count_insert(_mapper: Any, _connection: Any, row: Any) -> None:
    """A row made in this transaction is at its first version until the transaction ends."""
    session = object_session(row)
    if session is not None:
        _counted(session, row)


for _versioned in (Practice, Challenge):
    sa.event.listen(_versioned, "before_update", _count_version)
    sa.event.listen(_versioned, "after_insert", _count_insert)


# --------------------------------------------------------------------------- corrections, history


class Correction(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_correction_record", "record_type", "record_id"),)
    id: int | None = Field(default=None, primary_key=True)
    record_type: v.RecordType = Field(sa_type=vocab_type(v.RecordType))
    record_id: int
    what_is_wrong: str = Field(sa_type=sa.Text)
    what_is_right: str = Field(sa_type=sa.Text)
    source: str = Field(default="", max_length=1000)
    contact: str = Field(default="", max_length=254)
    status: v.CorrectionStatus = Field(
        default=v.CorrectionStatus.open, sa_type=vocab_type(v.CorrectionStatus), index=True
    )
    # What the reader proposes, field by field in the record's own schema ({field: value}); None
    # for a correction told in words only.
    proposed: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    decline_reason: str = Field(default="", sa_type=sa.Text)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=TS)
    resolved_at: dt.datetime | None = Field(default=None, sa_type=TS)
    resolved_by_id: int | None = Field(default=None, foreign_key="user.id")


class Revision(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_revision_record", "record_type", "record_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    record_type: v.RecordType = Field(sa_type=vocab_type(v.RecordType))
    record_id: int
    action: str = Field(max_length=20)  # create, update, publish, reject, correct
    at: dt.datetime = Field(default_factory=utcnow, sa_type=TS)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    correction_id: int | None = Field(default=None, foreign_key="correction.id")
    before: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    after: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class LoginSession(SQLModel, table=True):
    """A sign-in that outlives a page reload: the browser keeps a random token in a cookie, the
    database only its SHA-256, so a leaked table cannot sign anyone in."""

    __tablename__ = "login_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=TS)
    expires_at: dt.datetime = Field(sa_type=TS)


class ImportMapping(SQLModel, table=True):
    """A mapping of a spreadsheet's own columns onto a template, saved by an organiser under a
    name to be reused for the next file of the same shape (forumdash.importers.mapping)."""

    __tablename__ = "import_mapping"
    __table_args__ = (sa.UniqueConstraint("kind", "name", name="uq_import_mapping_kind_name"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # practices, challenges
    name: str = Field(max_length=100)
    mapping: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=TS)


# --------------------------------------------------------------------------- participants, inbox

# A participant has no account: what they send carries hashes of their device (a random id the
# browser keeps in a cookie) and of their address, never the raw values, so that a request is
# counted once per device and rate limits hold across reloads and tabs (forumdash.limits).
HASH = 64


class ExchangeRequest(SQLModel, table=True):
    """A participant's "I want to learn from this" on a published practice: a peer-exchange
    request to the practice's country. One tap makes it; who asks, their contact and a message
    are optional. Nothing of it is public until a focal point or organiser takes it up; the
    contact is seen only by the country's focal points and the organisers."""

    __tablename__ = "exchange_request"
    __table_args__ = (
        sa.UniqueConstraint("practice_id", "device_hash", name="uq_exchange_request_device"),
        sa.Index("ix_exchange_request_country_status", "to_country", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True, ondelete="CASCADE")
    # The practice's country when the request was made: the country asked.
    to_country: str = Field(foreign_key="country.code", max_length=2)
    status: v.ExchangeStatus = Field(
        default=v.ExchangeStatus.requested, sa_type=vocab_type(v.ExchangeStatus)
    )
    name: str = Field(default="", max_length=120)
    organisation: str = Field(default="", max_length=200)
    # The country the participant comes from, if they said: the country that would learn.
    from_country: str | None = Field(default=None, foreign_key="country.code", max_length=2)
    contact: str = Field(default="", max_length=254)
    message: str = Field(default="", sa_type=sa.Text)
    # The language the participant wrote in and the event whose display they came from, if any.
    language: str = Field(default="", max_length=8)
    event: str = Field(default="", max_length=80)
    device_hash: str = Field(max_length=HASH)
    decline_reason: str = Field(default="", sa_type=sa.Text)
    # The adopting country's practice made from this one ("adapted from").
    adopted_practice_id: int | None = Field(
        default=None, foreign_key="practice.id", ondelete="SET NULL"
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=TS, index=True)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=TS)


class ExchangeStep(SQLModel, table=True):
    """One move of a peer-exchange request (in contact, held, adopted, declined): when it
    happened as the focal point or organiser says, their note, and who recorded it when."""

    __tablename__ = "exchange_step"
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="exchange_request.id", index=True, ondelete="CASCADE")
    status: v.ExchangeStatus = Field(sa_type=vocab_type(v.ExchangeStatus))
    happened_on: dt.date | None = None
    note: str = Field(default="", sa_type=sa.Text)
    by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    recorded_at: dt.datetime = Field(default_factory=utcnow, sa_type=TS)


class Suggestion(SQLModel, table=True):
    """A participant's "Share a practice or a challenge": it waits with the country's focal
    points and the organisers, who turn it into a draft (the suggester credited) or decline it
    with a reason. Never public as it is; its contact is seen only by them."""

    __table_args__ = (sa.Index("ix_suggestion_country_status", "country_code", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    record_type: v.RecordType = Field(sa_type=vocab_type(v.RecordType))  # practice, challenge
    title: str = Field(max_length=300)
    country_code: str = Field(foreign_key="country.code", max_length=2)
    description: str = Field(sa_type=sa.Text)
    name: str = Field(default="", max_length=120)
    organisation: str = Field(default="", max_length=200)
    contact: str = Field(default="", max_length=254)
    language: str = Field(default="", max_length=8)
    event: str = Field(default="", max_length=80)
    device_hash: str = Field(max_length=HASH)
    status: v.SuggestionStatus = Field(
        default=v.SuggestionStatus.new, sa_type=vocab_type(v.SuggestionStatus), index=True
    )
    decline_reason: str = Field(default="", sa_type=sa.Text)
    # The draft made from it.
    practice_id: int | None = Field(default=None, foreign_key="practice.id", ondelete="SET NULL")
    challenge_id: int | None = Field(default=None, foreign_key="challenge.id", ondelete="SET NULL")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=TS)
    resolved_at: dt.datetime | None = Field(default=None, sa_type=TS)
    resolved_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")


class RateEvent(SQLModel, table=True):
    """One counted action (a request, a suggestion, a correction, a failed sign-in) of one device
    or address, as a hash: rate limits count these in the database, so that a reload, a new tab
    or a second app process does not reset them (forumdash.limits)."""

    __tablename__ = "rate_event"
    __table_args__ = (sa.Index("ix_rate_event_action_key_at", "action", "key", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    action: str = Field(max_length=32)
    key: str = Field(max_length=HASH)
    at: dt.datetime = Field(default_factory=utcnow, sa_type=TS, index=True)


class ServerSecret(SQLModel, table=True):
    """A secret the server made for itself, by name: `participants` keys the hashes of a
    participant's device and address (forumdash.limits), unless FORUMDASH_HASH_SECRET gives one.
    In the database, so that every app process on it hashes alike; made on first use."""

    __tablename__ = "server_secret"
    name: str = Field(primary_key=True, max_length=32)
    value: str = Field(max_length=128)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=TS)


class Notification(SQLModel, table=True):
    """A notice in a signed-in person's inbox. It keeps what happened (kind, record, a few
    parameters such as a reason) rather than a sentence, so that it is worded in the reader's
    language when shown or mailed (forumdash.notifications)."""

    __table_args__ = (sa.Index("ix_notification_user_read", "user_id", "read_at"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    kind: v.NotificationKind = Field(sa_type=vocab_type(v.NotificationKind))
    record_type: str = Field(default="", max_length=20)  # practice, challenge, exchange_request...
    record_id: int | None = None
    params: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=TS)
    read_at: dt.datetime | None = Field(default=None, sa_type=TS)
    emailed_at: dt.datetime | None = Field(default=None, sa_type=TS)


# --------------------------------------------------------------------------- inbox by e-mail


class MailState(SQLModel, table=True):
    """How a signed-in person gets their notices by e-mail (forumdash.digests): the language
    to write in (the one they last read their inbox in), whether they unsubscribed, the random
    token of their unsubscribe link (it works without signing in), when their last digest went
    out (one an hour at most), and which process is mailing them now (so that two processes
    never send the same notice twice)."""

    __tablename__ = "mail_state"
    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    language: str = Field(default="", max_length=8)
    unsubscribed: bool = False
    unsubscribe_token: str = Field(max_length=64, unique=True)
    last_digest_at: dt.datetime | None = Field(default=None, sa_type=TS)
    claimed_by: str | None = Field(default=None, max_length=32)
    claimed_at: dt.datetime | None = Field(default=None, sa_type=TS)


# The digests look for notices not yet mailed: an index keeps that look cheap as inboxes grow.
NOTIFICATION_UNMAILED = sa.Index(
    "ix_notification_unmailed",
    Notification.__table__.c.emailed_at,  # type: ignore[attr-defined]  # SQLModel's table
    Notification.__table__.c.user_id,  # type: ignore[attr-defined]
)
# --------------------------------------------------------------------------- unsaved form text


class FormDraft(SQLModel, table=True):
    """What someone typed into a long form and has not saved yet, kept as they type
    (forumdash.autosave): one row per form and owner, given back after a reload, a lost
    connection or an expired session, deleted when the form is saved and after KEEP_DAYS."""

    __tablename__ = "form_draft"
    __table_args__ = (sa.UniqueConstraint("form_key", "owner", name="uq_form_draft_form_owner"),)
    id: int | None = Field(default=None, primary_key=True)
    # Which form: its kind and record, or the client key of a new one ("submit.practice.12").
    form_key: str = Field(max_length=200)
    # Whose text: "user:12", or "device:" and the hash of an anonymous participant's device.
    owner: str = Field(max_length=80, index=True)
    # Field name -> the text typed.
    values: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # Field name -> a fingerprint of what the form showed when the typing began, so that a
    # record saved again since is noticed before the text is given back.
    base: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # Where the form is: a page script and its URL parameters, to open it again.
    page: str = Field(default="", max_length=100)
    params: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    saved_at: dt.datetime = Field(default_factory=utcnow, sa_type=TS, index=True)


class DataVersion(SQLModel, table=True):
    """One row whose version database triggers raise on every change to practices and their
    themes and values, so that caches of derived data (forumdash.facet_index) know when to reload,
    whoever wrote. `instance` tells databases apart that could share a URL over time."""

    __tablename__ = "data_version"
    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=0, sa_type=sa.BigInteger)
    instance: str = Field(default="", max_length=36)
    # Raised on every change to challenges, commitments, milestones, matches, countries and
    # themes (migration 0018): the pages' cached views key on both counters.
    records: int = Field(default=0, sa_type=sa.BigInteger)


# --------------------------------------------------------------------------- schemas (not tables)


class SourceLink(BaseModel):
    """A source: a title or citation, and a link where there is one (http/https only)."""

    title: str
    url: str = ""

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        value = clean_text(value)
        if not value:
            raise ValueError(_("a source needs a title or citation"))
        if len(value) > 500:
            raise ValueError(
                ngettext(
                    "a source title is at most {n} character",
                    "a source title is at most {n} characters",
                    500,
                ).format(n=i18n.format_number(500))
            )
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = (value or "").strip()
        if value and safe_url(value) is None:
            raise ValueError(
                _("only http:// and https:// links are accepted, not {link}").format(
                    link=repr(value[:60])
                )
            )
        return value


# The longest text each field takes (the forms rely on these messages rather than on the
# browser: a text box with a limit silently drops a paste that is too long).
BODY_LIMIT = 20_000
TEXT_LIMITS = {
    name: Practice.__table__.c[name].type.length  # type: ignore[attr-defined]  # SQLAlchemy sets __table__; SQLModel does not declare it
    for name in (
        "lead_institution",
        "partners",
        "action_plan",
        "commitment_ref",
        "contact",
        "original_language",
    )
} | {"transferability": BODY_LIMIT, "transfer_conditions": BODY_LIMIT}


# Rebuilding a stored record (to edit it, to show a diff) validates with this context: limits
# added later must not make an existing record impossible to open; saving it checks them.
STORED = {"stored": True}


def _stored(info: ValidationInfo | None) -> bool:
    return info is not None and bool((info.context or {}).get("stored"))


def _required(
    value: str, limit: int, *, optional: bool = False, info: ValidationInfo | None = None
) -> str:
    """A text field's checks: present (unless optional) and within its limit, said in numbers."""
    if not value and not optional:
        raise ValueError(_("required"))
    if len(value) > limit and not _stored(info):
        raise ValueError(
            ngettext(
                "at most {n} character; this one has {length}",
                "at most {n} characters; this one has {length}",
                limit,
            ).format(n=i18n.format_number(limit), length=i18n.format_number(len(value)))
        )
    return value


def _day(date: dt.date) -> str:
    """A date in a validation message: English keeps its short month ('1 Jan 2020'), the other
    languages write the day as CLDR does ('1 janar 2020', '1. јануар 2020.')."""
    if i18n.current().tag == i18n.DEFAULT:
        return f"{date:%-d %b %Y}"
    return i18n.format_day(date)


def _after_start(end: dt.date | None, info: ValidationInfo) -> dt.date | None:
    start = info.data.get("start_date")
    if start and end and end < start:
        raise ValueError(
            _("{end} is before the start date ({start})").format(end=_day(end), start=_day(start))
        )
    return end


def _checked_body(value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
    """A practice's body (or a translation's): known sections, clean, each within its limit."""
    headings = dict(v.BODY_SECTIONS)
    unknown = set(value) - set(headings)
    if unknown:
        raise ValueError(
            _("unknown body sections: {sections}").format(sections=", ".join(sorted(unknown)))
        )
    body = {key: clean_text(text) for key, text in value.items() if clean_text(text)}
    too_long = [
        _("{section} has {length}").format(
            section=_(headings[key]), length=i18n.format_number(len(text))
        )
        for key, text in body.items()
        if len(text) > BODY_LIMIT and not _stored(info)
    ]
    if too_long:
        raise ValueError(
            ngettext(
                "at most {n} character a section; {sections}",
                "at most {n} characters a section; {sections}",
                BODY_LIMIT,
            ).format(n=i18n.format_number(BODY_LIMIT), sections="; ".join(too_long))
        )
    return body


def _record_language(value: Any, info: ValidationInfo) -> str:
    """A record's language as one of the forum's tags (`SR-latn` -> `sr-Latn`), or "" when not
    said. A stored value from before the tags were checked is kept as it is."""
    text = clean_text(value)
    if not text:
        return ""
    tag = parse_tag(text)
    if tag is not None:
        return tag
    if _stored(info):
        return text
    raise ValueError(
        _("{value} is not one of the forum's languages ({tags})").format(
            value=repr(text[:20]), tags=", ".join(TAGS)
        )
    )


def _checked_translations(value: dict[str, Any] | None, info: ValidationInfo) -> Any:
    """Translations by language tag, in the order of the forum's languages: each into one of
    them, none into the record's own language, and only of a record whose language is said."""
    if value is None:
        return None
    own = info.data.get("original_language", "")
    checked: dict[str, Any] = {}
    stored = _stored(info)
    for key, translation in value.items():
        tag = parse_tag(key)
        if stored and (tag is None or tag == own or tag in checked):
            # What the database holds must always open (to be put right in the form): a
            # translation no longer allowed is left out of the record, never an error.
            continue
        if tag is None:
            raise ValueError(
                _("a translation into {value}, which is not one of the forum's languages").format(
                    value=repr(str(key)[:20])
                )
            )
        if tag in checked:
            raise ValueError(_("two translations into {language}").format(language=tag))
        if tag == own:
            raise ValueError(
                _("a translation into {language}, the language the record is written in").format(
                    language=language_name(tag)
                )
            )
        checked[tag] = translation
    if checked and not own and not stored:
        raise ValueError(_("say the language the record is written in before translating it"))
    return {tag: checked[tag] for tag in TAGS if tag in checked}


def _sourced(sources: list["SourceLink"], info: ValidationInfo) -> list["SourceLink"]:
    if not sources and not info.data.get("sample"):
        raise ValueError(_("at least one source is required (a link or a citation)"))
    return sources


class AssessmentIn(BaseModel):
    completion: v.Completion | None = None
    potential_impact: v.PotentialImpact | None = None
    early_results: v.EarlyResults | None = None
    rated_by: v.RatedBy | None = None
    evidence_level: v.EvidenceLevel | None = None
    evidence_links: list[SourceLink] = []


class _RecordChecks(BaseModel):
    """The checks practices and challenges share: a title, 1 to 3 themes, a source unless the
    record is sample content. Every check belongs to one field (the ones across fields read the
    fields declared before them), so a form hears about every problem at once, each next to its
    field's name."""

    @field_validator("title", check_fields=False)
    @classmethod
    def _title_given(cls, value: Any, info: ValidationInfo) -> Any:
        return _required(value, 200, info=info)

    @field_validator("themes", check_fields=False)
    @classmethod
    def _themes(cls, value: list[str]) -> list[str]:
        if not 1 <= len(set(value)) <= 3:
            raise ValueError(_("choose 1 to 3 themes"))
        return list(dict.fromkeys(value))

    @field_validator("sources", check_fields=False)
    @classmethod
    def _sources_given(cls, value: Any, info: ValidationInfo) -> Any:
        return _sourced(value, info)


# The text fields a translation carries, by the names its rows store them under (a practice's
# body sections by their own keys); everything else (names, dates, vocabularies) is the record's.
BODY_KEYS = tuple(key for key, _heading in v.BODY_SECTIONS)
PRACTICE_TRANSLATED = ("title", "summary", *BODY_KEYS, "transferability", "transfer_conditions")
CHALLENGE_TRANSLATED = ("title", "description", "raised_at_event")


class PracticeTranslationIn(BaseModel):
    """A practice's text in another language, shaped like the practice (a body of sections):
    a title and a summary as the original needs them, any sections translated so far."""

    title: str
    summary: str
    body: dict[str, str] = {}
    transferability: str = ""
    transfer_conditions: str = ""

    @field_validator("title", "summary", "transferability", "transfer_conditions", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> str:
        return clean_text(value)

    @field_validator("title")
    @classmethod
    def _title_given(cls, value: str, info: ValidationInfo) -> str:
        return _required(value, 200, info=info)

    @field_validator("summary")
    @classmethod
    def _summary_given(cls, value: str, info: ValidationInfo) -> str:
        return _required(value, 2000, info=info)

    @field_validator("transferability", "transfer_conditions")
    @classmethod
    def _within_limit(cls, value: str, info: ValidationInfo) -> str:
        return _required(value, BODY_LIMIT, optional=True, info=info)

    @field_validator("body")
    @classmethod
    def _body(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        return _checked_body(value, info)

    def fields(self) -> dict[str, str]:
        """The translated text by field (PRACTICE_TRANSLATED), the empty ones left out."""
        flat = {"title": self.title, "summary": self.summary, **self.body}
        flat |= {"transferability": self.transferability}
        flat |= {"transfer_conditions": self.transfer_conditions}
        return {name: flat[name] for name in PRACTICE_TRANSLATED if flat.get(name)}

    @classmethod
    def from_fields(
        cls, fields: dict[str, str], *, stored: bool = False
    ) -> "PracticeTranslationIn":
        """A translation from its text by field (as its rows or a spreadsheet hold it)."""
        body = {key: fields[key] for key in BODY_KEYS if fields.get(key)}
        rest = {name: fields.get(name, "") for name in PRACTICE_TRANSLATED if name not in BODY_KEYS}
        return cls.model_validate(rest | {"body": body}, context=STORED if stored else None)


class ChallengeTranslationIn(BaseModel):
    """A challenge's text in another language: its title and description (and the event it
    was raised at, where that has a name to translate)."""

    title: str
    description: str
    raised_at_event: str = ""

    @field_validator("title", "description", "raised_at_event", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> str:
        return clean_text(value)

    @field_validator("title")
    @classmethod
    def _title_given(cls, value: str, info: ValidationInfo) -> str:
        return _required(value, 200, info=info)

    @field_validator("description")
    @classmethod
    def _description_given(cls, value: str, info: ValidationInfo) -> str:
        return _required(value, 20_000, info=info)

    @field_validator("raised_at_event")
    @classmethod
    def _event_length(cls, value: str, info: ValidationInfo) -> str:
        return _required(value, 200, optional=True, info=info)

    def fields(self) -> dict[str, str]:
        """The translated text by field (CHALLENGE_TRANSLATED), the empty ones left out."""
        flat = self.model_dump()
        return {name: flat[name] for name in CHALLENGE_TRANSLATED if flat.get(name)}

    @classmethod
    def from_fields(
        cls, fields: dict[str, str], *, stored: bool = False
    ) -> "ChallengeTranslationIn":
        """A translation from its text by field (as its rows or a spreadsheet hold it)."""
        given = {name: fields.get(name, "") for name in CHALLENGE_TRANSLATED}
        return cls.model_validate(given, context=STORED if stored else None)


class PracticeCreate(_RecordChecks, PracticeBase):
    """A practice as it comes in (seed file, import, form): validated before it touches a table.
    Besides PracticeBase's fields: where it links (country, themes, values, the practice it was
    adapted from) and what the table spreads over several columns (body, assessment)."""

    slug: str
    country: str
    body: dict[str, str] = {}
    themes: list[str]
    ogp_values: list[v.OgpValue] = []
    outcome_areas: list[v.OutcomeArea] = []
    assessment: AssessmentIn = AssessmentIn()
    adapted_from: str | None = None
    # Before `sources`, so that the sources check can see it.
    sample: bool = False
    # Checked even when left out: a record without sources must say so.
    sources: list[SourceLink] = SchemaField(default=[], validate_default=True)
    workflow: v.Workflow = v.Workflow.draft
    # Its text in other languages, by tag (forumdash.translations). None: not said (a file
    # without translation columns), so that the stored translations stay as they are.
    translations: dict[str, PracticeTranslationIn] | None = None

    @field_validator("original_language", mode="before")
    @classmethod
    def _language(cls, value: Any, info: ValidationInfo) -> str:
        return _record_language(value, info)

    @field_validator("translations")
    @classmethod
    def _translations(cls, value: Any, info: ValidationInfo) -> Any:
        return _checked_translations(value, info)

    @field_validator(
        "title",
        "summary",
        "lead_institution",
        "partners",
        "action_plan",
        "commitment_ref",
        "transferability",
        "transfer_conditions",
        "contact",
        mode="before",
    )
    @classmethod
    def _clean(cls, value: Any) -> str:
        return clean_text(value)

    @field_validator("body")
    @classmethod
    def _body(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        return _checked_body(value, info)

    @field_validator(*TEXT_LIMITS)
    @classmethod
    def _within_limit(cls, value: str, info: ValidationInfo) -> str:
        assert info.field_name is not None  # a field validator always knows its field
        return _required(value, TEXT_LIMITS[info.field_name], optional=True, info=info)

    @field_validator("summary")
    @classmethod
    def _summary_given(cls, value: Any, info: ValidationInfo) -> Any:
        return _required(value, 2000, info=info)

    @field_validator("end_date")
    @classmethod
    def _end_after_start(cls, value: Any, info: ValidationInfo) -> Any:
        return _after_start(value, info)

    @model_validator(mode="after")
    def _consistent(self) -> "PracticeCreate":
        if self.start_date and self.start_year is None:
            self.start_year = self.start_date.year
        return self


class ChallengeCreate(_RecordChecks):
    slug: str
    title: str
    country: str
    description: str
    themes: list[str]
    ogp_values: list[v.OgpValue] = []
    obstacle_type: v.ObstacleType
    severity: v.Severity
    challenge_status: v.ChallengeStatus = v.ChallengeStatus.open
    support_sought: list[v.SupportSought] = []
    raised_at_event: str | None = ""
    raised_at_date: dt.date | None = None
    sample: bool = False  # before `sources`, so that the sources check can see it
    # Checked even when left out: a record without sources must say so.
    sources: list[SourceLink] = SchemaField(default=[], validate_default=True)
    workflow: v.Workflow = v.Workflow.draft
    # "" when nobody said: no language is assumed. Before `translations`, which read it.
    original_language: str = ""
    # As PracticeCreate's: None leaves the stored translations as they are.
    translations: dict[str, ChallengeTranslationIn] | None = None

    @field_validator("original_language", mode="before")
    @classmethod
    def _language(cls, value: Any, info: ValidationInfo) -> str:
        return _record_language(value, info)

    @field_validator("translations")
    @classmethod
    def _translations(cls, value: Any, info: ValidationInfo) -> Any:
        return _checked_translations(value, info)

    @field_validator("title", "description", "raised_at_event", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> str:
        return clean_text(value)

    @field_validator("description")
    @classmethod
    def _description_given(cls, value: Any, info: ValidationInfo) -> Any:
        return _required(value, 20_000, info=info)

    @field_validator("raised_at_event")
    @classmethod
    def _event_length(cls, value: Any, info: ValidationInfo) -> Any:
        return _required(value, 200, optional=True, info=info)


class MilestoneCreate(BaseModel):
    slug: str
    country: str | None = None
    date: dt.date
    date_precision: v.DatePrecision = v.DatePrecision.day
    title: str
    description: str = ""
    sources: list[SourceLink]
    sample: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> "MilestoneCreate":
        if not self.sources and not self.sample:
            raise ValueError(_("a milestone needs a source"))
        return self


class PracticeSummary(BaseModel):
    """A practice as a list row."""

    id: int
    title: str
    summary: str
    country_code: str
    country_name: str
    themes: list[str]
    stage: v.Stage
    start_year: int | None
    is_sample: bool
    end_year: int | None = None  # set when the practice ended
    original_language: str = ""
    # Published translations of the title and summary: {tag: {"title": ..., "summary": ...}}.
    translations: dict[str, dict[str, str]] = {}

    @property
    def period(self) -> str:
        """'since 2016', '2016–2019', 'ended 2019' or '' (for list rows)."""
        if self.start_year and self.end_year:
            if self.end_year == self.start_year:
                return str(self.start_year)
            return f"{self.start_year}–{self.end_year}"
        if self.start_year:
            return _("since {year}").format(year=self.start_year)
        return _("ended {year}").format(year=self.end_year) if self.end_year else ""


class PracticePublic(PracticeBase):
    """Everything shown on a practice page."""

    id: int
    slug: str
    body: dict[str, str]
    country_code: str
    country_name: str
    themes: list[str]
    ogp_values: list[v.OgpValue]
    outcome_areas: list[v.OutcomeArea]
    completion: v.Completion | None
    potential_impact: v.PotentialImpact | None
    early_results: v.EarlyResults | None
    rated_by: v.RatedBy | None
    evidence_level: v.EvidenceLevel | None
    evidence_links: list[SourceLink]
    adapted_from_id: int | None
    sources: list[SourceLink]
    workflow: v.Workflow
    is_sample: bool
    published_at: dt.datetime | None
    updated_at: dt.datetime
    translations: dict[str, PracticeTranslationIn] = {}  # the published ones

    def summary_row(self) -> PracticeSummary:
        """This practice as a list row."""
        return PracticeSummary.model_validate(
            self.model_dump(include=set(PracticeSummary.model_fields) - {"translations"})
            | {"end_year": self.end_date.year if self.end_date and not self.ongoing else None}
            | {
                "translations": {
                    tag: {"title": t.title, "summary": t.summary}
                    for tag, t in self.translations.items()
                }
            }
        )


class ChallengePublic(BaseModel):
    """Everything shown about a challenge."""

    id: int
    slug: str
    title: str
    description: str
    country_code: str
    country_name: str
    themes: list[str]
    ogp_values: list[v.OgpValue]
    obstacle_type: v.ObstacleType
    severity: v.Severity
    challenge_status: v.ChallengeStatus
    support_sought: list[v.SupportSought]
    raised_at_event: str
    raised_at_date: dt.date | None
    sources: list[SourceLink]
    workflow: v.Workflow
    is_sample: bool
    published_at: dt.datetime | None
    updated_at: dt.datetime
    original_language: str = ""
    translations: dict[str, ChallengeTranslationIn] = {}  # the published ones


class CountryPublic(BaseModel):
    code: str
    name_en: str
    name_local: str
    region_group: v.RegionGroup


class MilestonePublic(BaseModel):
    id: int
    slug: str
    country_code: str | None
    date: dt.date
    date_precision: v.DatePrecision
    title: str
    description: str
    sources: list[SourceLink]
    is_sample: bool
