"""record translations: practices' and challenges' text in other languages; a challenge's language

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

A practice or a challenge may carry translations of its text fields into the forum's other
languages, one row per field and language (`practice_translation`, `challenge_translation`),
written with the record and reviewed like any edit of it (forumdash.workflow). Challenges get the
`original_language` practices have had since 0001: empty for the existing ones, since nobody
recorded it (no language is assumed). Translations of practices raise the data version, like
the practices' other tables (0003), whoever writes them.

The seed's records are written in English, but its practices said the language of their
country (`sq`, `sr`, `ka`...) and its challenges said none: a reader would be told an English
text is Albanian. The seed now says `en`, and this migration corrects the records the seed
inserted, by slug, where they still say what the seed said (a language someone set since is
left as it is).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENTS = ["INSERT", "UPDATE", "DELETE"]

# What the seed (data/practices.yaml before this migration) said of its practices written in
# English, by slug; and the seed's challenges, which said nothing.
SEED_PRACTICES_SAID = {
    "sq": [
        "al-e-albania", "al-adisa-integrated-services", "al-public-consultation-registry",
        "al-albania-we-want-platform", "al-open-data-albania-ais",
        "al-municipal-open-budget-dashboard", "xk-public-consultation-platform",
        "xk-kcsf-consultation-standards", "xk-e-kosova", "xk-e-komuna",
        "xk-odk-procurement-visualisation", "xk-municipal-website-transparency-index",
    ],
    "bs": [
        "ba-ekonsultacije", "ba-istinomjer", "ba-cci-government-monitoring",
        "ba-public-procurement-portal", "ba-municipal-participatory-budget",
        "ba-migrant-information-point",
    ],
    "sr": [
        "me-e-petitions", "me-open-data-portal", "me-mans-foi-litigation",
        "me-mojgrad-local-budgets", "me-cdt-regional-openness-index",
        "me-court-open-data-dashboard", "rs-data-gov-rs", "rs-otvoreni-parlament",
        "rs-local-transparency-index", "rs-ebeba", "rs-ekonsultacije",
        "rs-ogp-eu-accession-alignment",
    ],
    "mk": [
        "mk-ener", "mk-open-finance", "mk-uslugi-eservices-portal",
        "mk-ccc-procurement-monitoring", "mk-vistinomer", "mk-community-safety-council-data",
    ],
    "hr": [
        "hr-e-gradjani", "hr-e-savjetovanja",
    ],
    "ka": [
        "ge-public-service-halls", "ge-asset-declarations", "ge-e-procurement",
    ],
    "pl": [
        "pl-dane-gov-pl", "pl-warsaw-participatory-budget",
    ],
}
SEED_CHALLENGES = [
    "al-open-data-law-capacity", "al-municipal-consultation-coordinators",
    "al-court-decisions-findability", "ba-open-data-readiness",
    "ba-multilevel-eservices-coordination", "xk-open-data-gaps",
    "xk-consultation-platform-uptake", "me-parliament-epetition-follow-up",
    "me-open-data-portal-resilience", "me-small-municipality-procurement-data",
    "mk-eservices-partly-online", "mk-local-budget-hearings-turnout",
    "mk-transit-information-coordination", "rs-local-transparency-policy-gap",
    "rs-ekonsultacije-limited-effect", "rs-parliament-cso-cooperation",
]



def _translation_table(name: str, owner: str) -> None:
    key = f"{owner}_id"
    op.create_table(
        name,
        sa.Column(key, sa.Integer(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            [key], [f"{owner}.id"], name=op.f(f"fk_{name}_{key}_{owner}"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint(key, "language", "field", name=op.f(f"pk_{name}")),
    )


def upgrade() -> None:
    op.add_column(
        "challenge",
        sa.Column(
            "original_language",
            sa.String(length=8),
            nullable=False,
            server_default="",
        ),
    )
    _seed_records_say_english()
    _translation_table("practice_translation", "practice")
    _translation_table("challenge_translation", "challenge")
    if op.get_bind().dialect.name == "sqlite":
        for event in EVENTS:
            op.execute(
                f"CREATE TRIGGER practice_translation_version_{event.lower()} AFTER {event} "
                "ON practice_translation "
                "BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END"
            )
    else:
        op.execute(
            "CREATE TRIGGER practice_translation_version AFTER INSERT OR UPDATE OR DELETE OR "
            "TRUNCATE ON practice_translation FOR EACH STATEMENT "
            "EXECUTE FUNCTION forumdash_bump_data_version()"
        )


def _seed_records_say_english() -> None:
    practice = sa.table("practice", sa.column("slug"), sa.column("original_language"))
    challenge = sa.table("challenge", sa.column("slug"), sa.column("original_language"))
    for said, slugs in SEED_PRACTICES_SAID.items():
        op.execute(
            practice.update()
            .where(practice.c.slug.in_(slugs), practice.c.original_language == said)
            .values(original_language="en")
        )
    op.execute(
        challenge.update()
        .where(challenge.c.slug.in_(SEED_CHALLENGES), challenge.c.original_language == "")
        .values(original_language="en")
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS practice_translation_version_{event.lower()}")
    else:
        op.execute("DROP TRIGGER IF EXISTS practice_translation_version ON practice_translation")
    op.drop_table("challenge_translation")
    op.drop_table("practice_translation")
    # A plain DROP COLUMN (SQLite 3.35+): a batch rebuild of `challenge` is not needed.
    op.execute("ALTER TABLE challenge DROP COLUMN original_language")
