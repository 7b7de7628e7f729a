"""The stored translations of practices and challenges: one row per text field and language.

A record's translations are part of the record (its Create schema's `translations`): they are
written with it, shown with it and recorded in its revisions, so that they go through review
like any edit (forumdash.workflow). These are the reads and writes of their rows.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from forumdash import vocab as v
from forumdash.i18n import TAGS
from forumdash.models import ChallengeTranslation, PracticeTranslation

# A record's translations as plain text: {language tag: {field: text}} (PRACTICE_TRANSLATED or
# CHALLENGE_TRANSLATED fields; a practice's body sections by their own keys).
Texts = dict[str, dict[str, str]]

_TABLES: dict[v.RecordType, Any] = {
    v.RecordType.practice: PracticeTranslation,
    v.RecordType.challenge: ChallengeTranslation,
}
_BATCH = 500


def _id_column(record_type: v.RecordType) -> Any:
    table = _TABLES[record_type]
    return col(table.practice_id if record_type == v.RecordType.practice else table.challenge_id)


def write_translations(
    session: Session, record_type: v.RecordType, record_id: int, texts: Mapping[str, Any]
) -> None:
    """Replace a record's translations with `texts` ({tag: a translation schema})."""
    table = _TABLES[record_type]
    session.execute(sa.delete(table).where(_id_column(record_type) == record_id))
    key = "practice_id" if record_type == v.RecordType.practice else "challenge_id"
    session.add_all(
        table(**{key: record_id}, language=tag, field=field, text=text)
        for tag, translation in texts.items()
        for field, text in translation.fields().items()
    )
    session.flush()


def stored_translations(
    session: Session,
    record_type: v.RecordType,
    ids: Iterable[int],
    fields: Iterable[str] | None = None,
) -> dict[int, Texts]:
    """The stored translations of the given records ({id: {tag: {field: text}}}), of every field
    or only of `fields` (a card needs the title and summary)."""
    table = _TABLES[record_type]
    id_column = _id_column(record_type)
    wanted = list(dict.fromkeys(ids))
    found: dict[int, Texts] = defaultdict(dict)
    for start in range(0, len(wanted), _BATCH):
        query = select(id_column, table.language, table.field, table.text).where(
            id_column.in_(wanted[start : start + _BATCH])
        )
        if fields is not None:
            query = query.where(col(table.field).in_(list(fields)))
        for record_id, tag, field, text in session.exec(query).all():
            found[record_id].setdefault(tag, {})[field] = text
    return {record_id: in_tag_order(texts) for record_id, texts in found.items()}


def in_tag_order(texts: Mapping[str, dict[str, str]]) -> Texts:
    """Translations in the order of the forum's languages (any other tag after them)."""
    order = {tag: position for position, tag in enumerate(TAGS)}
    return {tag: dict(texts[tag]) for tag in sorted(texts, key=lambda t: order.get(t, len(order)))}
