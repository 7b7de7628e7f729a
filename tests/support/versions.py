"""The record version a test's form or review "saw": the one stored now (issue 14)."""

from sqlmodel import Session

from forumdash import workflow
from forumdash.models import Correction


def of_correction(session: Session, correction_id: int) -> int | None:
    """The version of the record a correction is about, as the organiser's form shows it now
    (None for a milestone's correction, which gives none)."""
    correction = session.get(Correction, correction_id)
    if correction is None or correction.record_type not in workflow.KINDS:
        return None
    ids = {f"{correction.record_type.value}_id": correction.record_id}
    return workflow.record_version(session=session, **ids)
