"""Records in several languages at their edges (found in review): an organiser's translation
never publishes a focal point's waiting edit; a record whose language clashes with a stored
translation still opens and cannot be made so; old language codes never block a correction."""

import csv
import io

import sqlalchemy as sa

from forumdash import export, workflow
from forumdash.db import read_session, write_session
from forumdash.importers.practices import import_practices
from forumdash.models import Practice
from tests.support import versions
from tests.unit.test_translations import (  # noqa: F401 - the fixture
    ALBANIAN,
    engine,
    published,
    published_practice,
    translate,
)
from tests.unit.test_workflow import FP_XK, ORG


def test_an_organisers_translation_leaves_a_waiting_edit_unpublished(engine):  # noqa: F811
    practice_id = published_practice(engine)
    summary = published(engine, practice_id).summary
    with read_session(engine) as session:
        record = workflow.editable_record(session=session, user=FP_XK, practice_id=practice_id)
    draft = record.model_copy(update={"summary": "An unreviewed summary by the focal point."})
    with write_session(engine) as session:
        workflow.save_practice(
            session=session,
            user=FP_XK,
            practice_in=draft,
            practice_id=practice_id,
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )
    translate(engine, ORG, practice_id, "sq", ALBANIAN)
    practice = published(engine, practice_id)
    assert practice.summary == summary  # the focal point's draft is not published
    assert "sq" in practice.translations  # the organiser's translation is
    with read_session(engine) as session:
        row = session.get(Practice, practice_id)
        assert row.pending and row.pending["summary"].startswith("An unreviewed")


def _file_with_language(engine, practice_id: int, language: str) -> bytes:  # noqa: F811
    table = list(
        csv.reader(io.StringIO(export.to_csv([published(engine, practice_id)]).decode("utf-8-sig")))
    )
    width = len(export.HEADERS)
    head, row = table[0][:width], table[1][:width]
    row[head.index("Original language")] = language
    out = io.StringIO()
    csv.writer(out).writerows([head, row])
    return out.getvalue().encode()


def test_an_import_cannot_make_a_record_written_in_a_language_it_is_translated_into(
    engine,  # noqa: F811
):
    practice_id = published_practice(engine)
    translate(engine, ORG, practice_id, "sq", ALBANIAN)
    report = import_practices(
        engine, _file_with_language(engine, practice_id, "sq"), "csv", user_id=ORG.id
    )
    assert not report.ok
    assert "translation into" in " ".join(str(error) for error in report.errors)
    assert published(engine, practice_id).original_language == "en"  # nothing changed


def test_the_form_checks_the_language_against_stored_and_waiting_translations(
    engine,  # noqa: F811
):
    practice_id = published_practice(engine)
    translate(engine, ORG, practice_id, "sq", ALBANIAN)
    translate(engine, FP_XK, practice_id, "sq", None, was=ALBANIAN)  # a removal, waiting
    with read_session(engine) as session:
        record = workflow.editable_record(session=session, user=ORG, practice_id=practice_id)
    form = record.model_copy(update={"original_language": "sq", "translations": None})
    try:
        with write_session(engine) as session:
            workflow.save_practice(
                session=session,
                user=ORG,
                practice_in=form,
                practice_id=practice_id,
                expected_version=workflow.record_version(session=session, practice_id=practice_id),
            )
    except workflow.WorkflowError as exc:
        assert "translation into" in str(exc)
    else:
        raise AssertionError("a record was made written in a language it is translated into")
    assert published(engine, practice_id).original_language == "en"


def test_a_record_whose_stored_translations_clash_still_opens(engine):  # noqa: F811
    practice_id = published_practice(engine)
    translate(engine, ORG, practice_id, "sq", ALBANIAN)
    with write_session(engine) as session:  # as an older import could leave it
        session.execute(
            sa.update(Practice).where(Practice.id == practice_id).values(original_language="sq")
        )
    with read_session(engine) as session:
        record = workflow.editable_record(session=session, user=ORG, practice_id=practice_id)
    assert record.original_language == "sq" and "sq" not in (record.translations or {})


def test_an_old_language_code_never_blocks_a_readers_correction(engine):  # noqa: F811
    practice_id = published_practice(engine)
    with write_session(engine) as session:  # a code saved before the forum's list existed
        session.execute(
            sa.update(Practice).where(Practice.id == practice_id).values(original_language="de")
        )
    with write_session(engine) as session:
        correction_id = workflow.flag_correction(
            session=session,
            correction_in={
                "record_type": "practice",
                "record_id": practice_id,
                "what_is_wrong": "The summary leaves out who runs it.",
                "source": "https://example.org/source",
                "proposed": {"summary": "A better summary of this practice, with who runs it."},
            },
        )
    assert correction_id
    with write_session(engine) as session:
        workflow.accept_correction(
            session=session,
            user=ORG,
            correction_id=correction_id,
            expected_version=versions.of_correction(session, correction_id),
        )
    assert published(engine, practice_id).summary.startswith("A better summary")


def test_a_correction_that_breaks_a_rule_is_still_refused(engine):  # noqa: F811
    practice_id = published_practice(engine)
    try:
        with write_session(engine) as session:
            workflow.flag_correction(
                session=session,
                correction_in={
                    "record_type": "practice",
                    "record_id": practice_id,
                    "what_is_wrong": "Too short.",
                    "source": "https://example.org/source",
                    "proposed": {"summary": ""},
                },
            )
    except workflow.WorkflowError as exc:
        assert "summary" in str(exc).lower()
    else:
        raise AssertionError("an empty summary was accepted")
