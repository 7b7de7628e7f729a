"""Records in several languages: a practice's or challenge's translations are part of the record,
reviewed like any edit, never overwritten unasked, shown to readers of their language, searched,
exported and imported again; no machine translation."""

import csv
import io
import json

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pydantic import ValidationError
from sqlmodel import select

from forumdash import auth, export, i18n, machine_translation, repository, workflow
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.filters import PracticeFilters
from forumdash.i18n import _
from forumdash.importers.practices import import_practices
from forumdash.models import (
    Challenge,
    ChallengeTranslationIn,
    DataVersion,
    Practice,
    PracticeCreate,
    PracticeTranslation,
    PracticeTranslationIn,
)
from forumdash.site_search import search_site
from forumdash.translations import changed_translations, shown_text
from tests.unit.test_workflow import FP_AL, FP_XK, ORG, PARTICIPANT, add_accounts, record

ALBANIAN = PracticeTranslationIn(
    title="Dëgjesat buxhetore të bashkisë në internet",
    summary="Dëgjesat transmetohen dhe procesverbalet publikohen.",
    body={"methods": "Transmetim i drejtpërdrejtë."},
)
SERBIAN = PracticeTranslationIn(
    title="Otvoreni podaci opštine",
    summary="Budžetske rasprave se prenose uživo.",
)


@pytest.fixture
def engine(seeded_engine):
    return add_accounts(seeded_engine)


def published_practice(engine, country="XK", language="en") -> int:
    """A published practice of `country`, written in `language`, with no translation."""
    with write_session(engine) as session:
        practice_id = repository.create_practice(
            session=session,
            practice_in=record(country=country).model_copy(
                update={
                    "slug": f"t-{country.lower()}-{language}",
                    "original_language": language,
                    "workflow": v.Workflow.published,
                }
            ),
        )
    return practice_id


def translate(engine, user, practice_id, language, translation, was=None):
    with write_session(engine) as session:
        workflow.save_translation(
            session=session,
            user=user,
            language=language,
            translation=translation,
            was=was,
            practice_id=practice_id,
        )


def published(engine, practice_id):
    with read_session(engine) as session:
        return repository.get_practice(session=session, practice_id=practice_id)


def approve(engine, practice_id, **kw):
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=practice_id)
        seen = workflow.record_version(session=session, practice_id=practice_id)
        workflow.approve(
            session=session, user=ORG, practice_id=practice_id, expected_version=seen, **kw
        )


# --------------------------------------------------------------------------- the record


def test_a_record_says_its_language_as_one_of_the_forums_tags():
    given = record().model_dump() | {"original_language": "SR-latn"}
    assert PracticeCreate.model_validate(given).original_language == "sr-Latn"
    assert PracticeCreate.model_validate(record().model_dump()).original_language == ""
    with pytest.raises(ValidationError, match="not one of the forum's languages"):
        PracticeCreate.model_validate(given | {"original_language": "xx"})
    # A stored value from before the check opens as it is (the seed once said "ka").
    stored = PracticeCreate.model_validate(
        given | {"original_language": "ka"}, context={"stored": True}
    )
    assert stored.original_language == "ka"


@pytest.mark.parametrize(
    ("language", "translations", "problem"),
    [
        ("en", {"en": ALBANIAN}, "the language the record is written in"),
        ("en", {"xx": ALBANIAN}, "not one of the forum's languages"),
        ("", {"sq": ALBANIAN}, "say the language the record is written in"),
        ("en", {"sq": {"title": "", "summary": "x"}}, "required"),
    ],
)
def test_a_translation_is_into_another_of_the_forums_languages(language, translations, problem):
    given = record().model_dump() | {"original_language": language, "translations": translations}
    with pytest.raises(ValidationError, match=problem):
        PracticeCreate.model_validate(given)


def test_translations_are_kept_in_the_forums_order_and_tags():
    given = record().model_dump() | {
        "original_language": "en",
        "translations": {"sr-latn": SERBIAN, "SQ": ALBANIAN},
    }
    assert list(PracticeCreate.model_validate(given).translations) == ["sq", "sr-Latn"]


# --------------------------------------------------------------------------- review


def test_a_focal_points_translation_waits_for_review_then_is_published(engine):
    practice_id = published_practice(engine)
    translate(engine, FP_XK, practice_id, "sq", ALBANIAN)
    assert published(engine, practice_id).translations == {}  # readers see nothing yet
    with read_session(engine) as session:
        mine = workflow.editable_record(session=session, user=FP_XK, practice_id=practice_id)
        assert mine.translations == {"sq": ALBANIAN}  # its author goes on from their edit
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=practice_id)
        changes = workflow.review_diff(session=session, user=ORG, practice_id=practice_id)
        assert ("translations.sq.title", None, ALBANIAN.title) in changes
        assert ("translations.sq.methods", None, "Transmetim i drejtpërdrejtë.") in changes
        workflow.approve(
            session=session,
            user=ORG,
            practice_id=practice_id,
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )
    assert published(engine, practice_id).translations == {"sq": ALBANIAN}
    with read_session(engine) as session:
        history = repository.practice_history(session=session, practice_id=practice_id)
    assert history[-1].action == "approve"
    assert history[-1].before["translations"] == {}
    assert history[-1].after["translations"] == {"sq": ALBANIAN.fields()}


@pytest.mark.parametrize("user", [None, PARTICIPANT, FP_AL])
def test_only_the_records_focal_points_and_organisers_translate(engine, user):
    practice_id = published_practice(engine)
    with pytest.raises(auth.PermissionDenied), write_session(engine) as session:
        workflow.save_translation(
            session=session,
            user=user,
            language="sq",
            translation=ALBANIAN,
            was=None,
            practice_id=practice_id,
        )
    with read_session(engine) as session:
        assert session.exec(select(PracticeTranslation)).all() == []
        assert session.get(Practice, practice_id).pending is None


def test_an_organisers_translation_is_published_at_once_and_can_be_removed(engine):
    practice_id = published_practice(engine)
    translate(engine, ORG, practice_id, "sr-Latn", SERBIAN)
    assert published(engine, practice_id).translations == {"sr-Latn": SERBIAN}
    translate(engine, ORG, practice_id, "sr-Latn", None, was=SERBIAN)
    assert published(engine, practice_id).translations == {}


def test_translating_into_the_records_own_language_or_of_an_unsaid_one_is_refused(engine):
    practice_id = published_practice(engine)
    with pytest.raises(workflow.WorkflowError, match="written in English"):
        translate(engine, FP_XK, practice_id, "en", ALBANIAN)
    unsaid = published_practice(engine, "XK", "")
    with pytest.raises(workflow.WorkflowError, match="Say the language"):
        translate(engine, FP_XK, unsaid, "sq", ALBANIAN)
    with pytest.raises(workflow.WorkflowError, match="forum's languages"):
        translate(engine, FP_XK, practice_id, "de", ALBANIAN)


def test_a_translation_saved_meanwhile_is_never_overwritten_by_a_stale_form(engine):
    """Two people opened the (missing) Albanian translation; the second to save is told, and
    nothing of theirs is saved."""
    practice_id = published_practice(engine)
    translate(engine, FP_XK, practice_id, "sq", ALBANIAN, was=None)
    other = ALBANIAN.model_copy(update={"title": "Një titull tjetër"})
    with pytest.raises(workflow.WorkflowError, match="Someone saved another"):
        translate(engine, FP_XK, practice_id, "sq", other, was=None)
    with read_session(engine) as session:
        mine = workflow.editable_record(session=session, user=FP_XK, practice_id=practice_id)
    assert mine.translations == {"sq": ALBANIAN}
    # Saved again from the version it shows, it goes through.
    translate(engine, FP_XK, practice_id, "sq", other, was=ALBANIAN)


def test_approving_asks_about_a_translation_changed_meanwhile(engine):
    practice_id = published_practice(engine)
    translate(engine, ORG, practice_id, "sq", ALBANIAN)
    fixed = ALBANIAN.model_copy(update={"title": "Titulli i focal point-it"})
    translate(engine, FP_XK, practice_id, "sq", fixed, was=ALBANIAN)
    by_organiser = ALBANIAN.model_copy(update={"title": "Titulli i organizatorit"})
    # The organiser's form shows the record as its pending edit has it.
    translate(engine, ORG, practice_id, "sq", by_organiser, was=fixed)
    with write_session(engine) as session:
        workflow.submit(session=session, user=FP_XK, practice_id=practice_id)
        conflicts = workflow.pending_conflicts(session=session, user=ORG, practice_id=practice_id)
    assert [(c.field, c.was, c.now, c.proposed) for c in conflicts] == [
        ("translations.sq.title", ALBANIAN.title, by_organiser.title, fixed.title)
    ]
    with pytest.raises(workflow.WorkflowError, match="translations.sq.title"):
        approve(engine, practice_id)
    assert published(engine, practice_id).translations["sq"].title == by_organiser.title
    approve(engine, practice_id, choices={"translations.sq.title": workflow.KEEP_CURRENT})
    assert published(engine, practice_id).translations["sq"].title == by_organiser.title


def test_another_language_added_meanwhile_survives_approving_an_older_edit(engine):
    practice_id = published_practice(engine)
    translate(engine, FP_XK, practice_id, "sq", ALBANIAN)
    translate(engine, ORG, practice_id, "sr-Latn", SERBIAN)
    approve(engine, practice_id)
    assert published(engine, practice_id).translations == {"sq": ALBANIAN, "sr-Latn": SERBIAN}


def test_editing_the_record_keeps_a_translation_waiting_in_the_same_edit(engine):
    """The record's form does not carry translations (None): saving it after a translation
    keeps the translation in the pending edit."""
    practice_id = published_practice(engine)
    translate(engine, FP_XK, practice_id, "sq", ALBANIAN)
    with read_session(engine) as session:
        current = workflow.record_of(session=session, practice_id=practice_id)
    edited = current.model_copy(update={"summary": "A new summary.", "translations": None})
    with write_session(engine) as session:
        workflow.save_practice(
            session=session,
            user=FP_XK,
            practice_in=edited,
            practice_id=practice_id,
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )
    approve(engine, practice_id)
    now = published(engine, practice_id)
    assert now.summary == "A new summary." and now.translations == {"sq": ALBANIAN}


@pytest.mark.parametrize(("language", "problem"), [("sq", "remove it"), ("", "say the language")])
def test_the_records_form_cannot_make_a_translation_its_own_language(engine, language, problem):
    practice_id = published_practice(engine)
    translate(engine, ORG, practice_id, "sq", ALBANIAN)
    with read_session(engine) as session:
        current = workflow.record_of(session=session, practice_id=practice_id)
    edited = current.model_copy(update={"original_language": language, "translations": None})
    with pytest.raises(workflow.WorkflowError, match=problem), write_session(engine) as session:
        workflow.save_practice(
            session=session,
            user=FP_XK,
            practice_in=edited,
            practice_id=practice_id,
            expected_version=workflow.record_version(session=session, practice_id=practice_id),
        )
    assert published(engine, practice_id).original_language == "en"


def test_a_challenges_translation_goes_through_review_and_search_finds_it(engine):
    with read_session(engine) as session:
        challenge = session.exec(
            select(Challenge).where(
                Challenge.country_code == "XK", Challenge.workflow == "published"
            )
        ).first()
    translation = ChallengeTranslationIn(
        title="Komunat nuk kanë koordinatorë", description="Zyrtarët mbajnë tri role njëherësh."
    )
    with write_session(engine) as session:
        workflow.save_translation(
            session=session,
            user=FP_XK,
            language="sq",
            translation=translation,
            was=None,
            challenge_id=challenge.id,
        )
        assert not repository.list_challenges(session=session, q="koordinatorë")
        workflow.submit(session=session, user=FP_XK, challenge_id=challenge.id)
        workflow.approve(
            session=session,
            user=ORG,
            challenge_id=challenge.id,
            expected_version=workflow.record_version(session=session, challenge_id=challenge.id),
        )
    with read_session(engine) as session:
        found = repository.list_challenges(session=session, q="koordinatore")
    assert [c.id for c in found] == [challenge.id]
    assert found[0].translations == {"sq": translation}
    with i18n.language("sq"):
        assert shown_text(found[0]).title == translation.title


# --------------------------------------------------------------------------- reading


def test_a_reader_sees_the_translation_into_their_language_or_the_original_named(engine):
    practice_id = published_practice(engine)
    translate(engine, ORG, practice_id, "sq", ALBANIAN)
    practice = published(engine, practice_id)
    with i18n.language("sq"):
        shown = shown_text(practice)
        assert shown.translated and shown.title == ALBANIAN.title
        assert shown.body["methods"] == "Transmetim i drejtpërdrejtë."
        assert shown.also_in == ("en",)
        assert shown.notice().startswith("Translated from ") or "nglisht" in shown.notice()
        original = shown_text(practice, original=True)
        assert not original.translated and original.title == practice.title
        assert original.also_in == ("sq",)
    with i18n.language("en"):
        assert shown_text(practice).title == practice.title
        assert shown_text(practice).notice() == ""  # the reader's own language
        assert shown_text(practice, "sq").notice() == "Translated from English"
        assert shown_text(practice, "mk").notice() == "Written in English"
    # A list row (card) follows the same rule.
    (row,) = [p for p in _rows(engine) if p.id == practice_id]
    assert shown_text(row, "sq").title == ALBANIAN.title
    assert shown_text(row, "sq").summary == ALBANIAN.summary


def test_sections_a_translation_leaves_out_are_shown_in_the_original_and_said_so():
    practice = PracticeCreate.model_validate(
        record().model_dump()
        | {
            "original_language": "sq",
            "body": {"methods": "Metodat.", "context": "Konteksti."},
            "translations": {"en": {"title": "T", "summary": "S", "body": {"methods": "M."}}},
        }
    )
    shown = shown_text(practice, "en")
    assert shown.body == {"context": "Konteksti.", "methods": "M."}
    assert shown.untranslated == ("context",)
    # A record whose language nobody recorded is not said to be in any.
    unsaid = shown_text(record(), "sq")
    assert not unsaid.translated and unsaid.language == "" and unsaid.notice() == ""


def test_a_serbian_latin_reader_gets_the_cyrillic_translation_in_latin_letters():
    practice = PracticeCreate.model_validate(
        record().model_dump()
        | {
            "original_language": "en",
            "translations": {"sr": {"title": "Љубав према отвореним подацима", "summary": "С"}},
        }
    )
    shown = shown_text(practice, "sr-Latn")
    assert shown.translated and shown.title == "Ljubav prema otvorenim podacima"
    assert shown_text(practice, "sr").title == "Љубав према отвореним подацима"


def test_a_revisions_translation_changes_are_told_field_by_field():
    before = {"sq": {"title": "A", "summary": "B"}}
    after = {"sq": {"title": "A", "summary": "C"}, "mk": {"title": "D"}}
    assert changed_translations(before, after) == [
        ("sq", "summary", "B", "C"),
        ("mk", "title", "", "D"),
    ]
    assert changed_translations(after, None)[0] == ("sq", "title", "A", "")


def _rows(engine):
    with read_session(engine) as session:
        return repository.list_practices(session=session, limit=500)


# --------------------------------------------------------------------------- search


def _search(engine, query):
    with read_session(engine) as session:
        _total, rows = repository.search_practices(
            session=session, filters=PracticeFilters(q=query, per_page=100)
        )
    return [row.id for row in rows]


def test_search_finds_an_english_practice_by_its_serbian_translation(engine):
    practice_id = published_practice(engine)
    with read_session(engine) as session:
        length = session.get(Practice, practice_id).search_length
    assert practice_id not in _search(engine, "otvoreni podaci")
    translate(engine, FP_XK, practice_id, "sr-Latn", SERBIAN)
    # Waiting for review: not searchable yet.
    assert practice_id not in _search(engine, "otvoreni podaci")
    approve(engine, practice_id)
    for query in ("otvoreni podaci", "otvorenim podacima", "opština", '"otvoreni podaci"'):
        assert practice_id in _search(engine, query), query
    # No phrase runs from the original into a translation; the length is the original's.
    assert practice_id not in _search(engine, '"online otvoreni"')
    with read_session(engine) as session:
        assert session.get(Practice, practice_id).search_length == length
    with read_session(engine) as session, i18n.language("sr-Latn"):
        (practices, *_others) = search_site(session, "otvoreni podaci").kinds
        (hit,) = [h for h in practices.hits if h.record_id == str(practice_id)]
        assert hit.title == SERBIAN.title
        assert hit.language_notice == _("Translated from {language}").format(
            language=i18n.language_name("en")
        )
    translate(engine, ORG, practice_id, "sr-Latn", None, was=SERBIAN)
    assert practice_id not in _search(engine, "otvoreni podaci")


# --------------------------------------------------------------------------- exports


def _translated_export(engine):
    practice_id = published_practice(engine)
    hostile = SERBIAN.model_copy(update={"summary": '=HYPERLINK("https://evil.example")'})
    translate(engine, ORG, practice_id, "sq", ALBANIAN)
    translate(engine, ORG, practice_id, "sr-Latn", hostile)
    with read_session(engine) as session:
        practice = repository.get_practice(session=session, practice_id=practice_id)
        plain = repository.get_practice(
            session=session,
            practice_id=session.exec(
                select(Practice.id).where(
                    Practice.workflow == "published", Practice.id != practice_id
                )
            ).first(),
        )
    return practice, plain, hostile


def test_exports_carry_every_translation_and_no_formula(engine):
    practice, plain, hostile = _translated_export(engine)
    table = list(csv.reader(io.StringIO(export.to_csv([practice, plain]).decode("utf-8-sig"))))
    header = table[0]
    assert header[: len(export.HEADERS)] == export.HEADERS
    assert "title_sq" in header and "problem_purpose_sr-Latn" in header
    assert "title_mk" not in header  # a column set only for languages the practices have
    first = dict(zip(header, table[1], strict=True))
    assert first["title_sq"] == ALBANIAN.title and first["methods_sq"] == ALBANIAN.body["methods"]
    assert first["summary_sr-Latn"] == "'" + hostile.summary
    assert dict(zip(header, table[2], strict=True))["title_sq"] == ""
    sheet = load_workbook(io.BytesIO(export.to_xlsx([practice]))).active
    cells = {cell.value: col for col, cell in enumerate(next(sheet.iter_rows()))}
    values = [cell for cell in next(sheet.iter_rows(min_row=2))]
    assert values[cells["summary_sr-Latn"]].value == "'" + hostile.summary
    assert values[cells["summary_sr-Latn"]].data_type == "s"
    document = json.loads(export.to_json([practice]))
    assert document["practices"][0]["translations"] == {
        "sq": ALBANIAN.model_dump(),
        "sr-Latn": hostile.model_dump(),
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_export_with_translations_imports_again(engine, fmt):
    practice, _plain, hostile = _translated_export(engine)
    data = export.export([practice], fmt)
    # Changed in the file, imported again: the translations follow the file.
    edited = data.replace(ALBANIAN.title.encode(), b"Titull i ri")
    if fmt == "xlsx":
        edited = _xlsx_with(data, "title_sq", "Titull i ri")
    report = import_practices(engine, edited, fmt, user_id=ORG.id)
    assert report.ok and report.updated == 1, report
    now = published(engine, practice.id)
    assert now.translations["sq"].title == "Titull i ri"
    assert now.translations["sq"].body == ALBANIAN.body
    assert now.translations["sr-Latn"].summary == hostile.summary  # the ' taken off again
    assert now.title == practice.title


def test_a_file_without_translation_columns_keeps_the_stored_translations(engine):
    practice, _plain, _hostile = _translated_export(engine)
    table = list(csv.reader(io.StringIO(export.to_csv([practice]).decode("utf-8-sig"))))
    width = len(export.HEADERS)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table[0][:width])
    writer.writerow([*table[1][: width - 1], "no"][:width])
    report = import_practices(engine, buffer.getvalue().encode(), "csv", user_id=ORG.id)
    assert report.ok, report
    assert set(published(engine, practice.id).translations) == {"sq", "sr-Latn"}


def test_a_bad_translation_in_a_file_is_named_by_its_column_and_changes_nothing(engine):
    practice, _plain, _hostile = _translated_export(engine)
    data = export.to_csv([practice]).replace(ALBANIAN.summary.encode(), b"")
    report = import_practices(engine, data, "csv", user_id=ORG.id)
    assert not report.ok
    assert "summary_sq: required" in " ".join(problem.text() for problem in report.errors)
    assert published(engine, practice.id).translations["sq"] == ALBANIAN


def _xlsx_with(data: bytes, header: str, value: str) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book["Practices"]
    columns = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=columns.index(header) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_challenge_file_says_its_language():
    from forumdash.importers.challenges import read_challenge_row
    from forumdash.importers.practices import Context

    values = {
        "slug": "c-one",
        "title": "A title",
        "country": "AL",
        "description": "What stands in the way.",
        "themes": "open-data",
        "obstacle_type": "capacity",
        "severity": "low",
        "sources": "A citation",
    }
    for given, stored in (("SQ", "sq"), ("", "")):
        challenge, problems = read_challenge_row(
            values | {"original_language": given}, Context(), set(), v.Workflow.draft
        )
        assert problems == {} and challenge.original_language == stored
    _none, problems = read_challenge_row(
        values | {"original_language": "klingon"}, Context(), set(), v.Workflow.draft
    )
    assert "not one of the forum's languages" in problems["original_language"]


# --------------------------------------------------------------------------- storage


def test_translations_raise_the_data_version_and_go_with_their_practice(engine):
    practice_id = published_practice(engine)
    with read_session(engine) as session:
        before = session.get(DataVersion, 1).version
    with write_session(engine) as session:
        session.add(
            PracticeTranslation(practice_id=practice_id, language="sq", field="title", text="T")
        )
    with read_session(engine) as session:
        assert session.get(DataVersion, 1).version > before
    with write_session(engine) as session:
        session.execute(sa.delete(Practice).where(Practice.id == practice_id))
    with read_session(engine) as session:
        assert session.exec(select(PracticeTranslation)).all() == []


def test_the_seed_says_its_records_are_written_in_english(engine):
    with read_session(engine) as session:
        languages = set(session.exec(select(Practice.original_language)).all())
        languages |= set(session.exec(select(Challenge.original_language)).all())
    assert languages == {"en"}


def test_0011_corrects_what_the_seed_said_of_its_english_records(seeded_engine):
    """Databases seeded before 0011 say the country's language of the seed's English practices
    and nothing of its challenges; the migration says English where the seed's value is still
    there, and leaves a language someone set since."""
    from alembic import command

    from forumdash.db import alembic_config

    config = alembic_config(seeded_engine)
    command.downgrade(config, "0010")
    with seeded_engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE practice SET original_language = 'sq' WHERE slug = 'al-e-albania'")
        )
        conn.execute(
            sa.text("UPDATE practice SET original_language = 'mk' WHERE slug = 'xk-e-kosova'")
        )
    command.upgrade(config, "head")
    with read_session(seeded_engine) as session:
        said = dict(session.exec(select(Practice.slug, Practice.original_language)).all())
        challenges = set(session.exec(select(Challenge.original_language)).all())
    assert said["al-e-albania"] == "en"  # what the seed said, corrected
    assert said["xk-e-kosova"] == "mk"  # set by someone since: left alone
    assert challenges == {"en"}


# --------------------------------------------------------------------------- machine translation


def test_machine_translation_is_off_and_nothing_is_registered(monkeypatch):
    monkeypatch.delenv("FORUMDASH_MACHINE_TRANSLATION", raising=False)
    assert machine_translation.machine_translator() is None
    assert machine_translation.TRANSLATORS == {}
    monkeypatch.setenv("FORUMDASH_MACHINE_TRANSLATION", "argos")
    with pytest.raises(machine_translation.MachineTranslationUnavailable, match="argos"):
        machine_translation.machine_translator()
