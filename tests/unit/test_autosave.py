"""Unsaved form text kept on the server: per form and owner, bounded, cleared, pruned."""

import datetime as dt

import pytest
from sqlmodel import func, select

from forumdash import autosave
from forumdash.db import read_session, write_session
from forumdash.models import FormDraft

FORM = "submit.practice.0123456789abcdef0123456789abcdef"
ALICE = autosave.user_owner(1)
BOB = autosave.user_owner(2)
DEVICE = autosave.device_owner("a" * 64)
NOW = dt.datetime(2026, 12, 7, 14, 32, tzinfo=dt.UTC)


def keep(engine, owner=ALICE, form=FORM, values=None, base=None, now=NOW) -> dt.datetime:
    with write_session(engine) as session:
        return autosave.save(
            session,
            form_key=form,
            owner=owner,
            values=values if values is not None else {"title": "Water budget", "summary": "Hi"},
            base=base if base is not None else {"title": "", "summary": ""},
            page="pages/submit.py",
            params={"kind": "practice", "draft": FORM.rsplit(".", 1)[1]},
            now=now,
        )


def test_saved_text_comes_back_to_its_owner_only(seeded_engine):
    keep(seeded_engine)
    keep(seeded_engine, owner=DEVICE, values={"title": "From a phone"})
    with read_session(seeded_engine) as session:
        mine = autosave.load(session, form_key=FORM, owner=ALICE, now=NOW)
        theirs = autosave.load(session, form_key=FORM, owner=BOB, now=NOW)
        phone = autosave.load(session, form_key=FORM, owner=DEVICE, now=NOW)
        listed_bob = autosave.owned(session, owner=BOB, prefix="submit.", now=NOW)
        listed = autosave.owned(session, owner=ALICE, prefix="submit.", now=NOW)
    assert mine is not None and mine.values == {"title": "Water budget", "summary": "Hi"}
    assert mine.saved_at == NOW and mine.params["kind"] == "practice"
    assert theirs is None and listed_bob == []
    assert phone is not None and phone.values == {"title": "From a phone"}
    assert [d.form_key for d in listed] == [FORM]


def test_one_row_per_form_and_owner_and_the_base_stays(seeded_engine):
    keep(seeded_engine, base={"title": "As published"})
    later = NOW + dt.timedelta(minutes=3)
    keep(seeded_engine, values={"title": "Typed on"}, base={"title": "Published again"}, now=later)
    with read_session(seeded_engine) as session:
        rows = session.exec(select(func.count()).select_from(FormDraft)).one()
        draft = autosave.load(session, form_key=FORM, owner=ALICE, now=later)
    assert rows == 1
    assert draft is not None and draft.values == {"title": "Typed on"} and draft.saved_at == later
    # The record as shown when the typing began: a newer version of it is noticed.
    assert draft.changed_since({"title": "As published"}) == []
    assert draft.changed_since({"title": "Published again"}) == ["title"]


def test_discarded_when_the_form_is_saved(seeded_engine):
    keep(seeded_engine)
    keep(seeded_engine, owner=BOB)
    with write_session(seeded_engine) as session:
        assert autosave.discard(session, form_key=FORM, owner=ALICE)
    with read_session(seeded_engine) as session:
        assert autosave.load(session, form_key=FORM, owner=ALICE, now=NOW) is None
        assert autosave.load(session, form_key=FORM, owner=BOB, now=NOW) is not None


def test_too_large_is_refused_and_the_kept_draft_stays(seeded_engine):
    keep(seeded_engine)
    huge = {"summary": "x" * (autosave.MAX_FIELD_CHARS + 1)}
    with pytest.raises(autosave.DraftError, match="characters"):
        keep(seeded_engine, values=huge)
    many = {f"s{i}": "y" * (autosave.MAX_FIELD_CHARS // 2) for i in range(5)}
    with pytest.raises(autosave.DraftError, match="characters"):
        keep(seeded_engine, values=many)
    with pytest.raises(autosave.DraftError):
        keep(seeded_engine, values={str(i): "" for i in range(autosave.MAX_FIELDS + 1)})
    with pytest.raises(autosave.DraftError):
        keep(seeded_engine, values={"title": ["not", "text"]})
    with read_session(seeded_engine) as session:
        draft = autosave.load(session, form_key=FORM, owner=ALICE, now=NOW)
    assert draft is not None and draft.values["title"] == "Water budget"


def test_bad_keys_and_owners_are_refused(seeded_engine):
    with pytest.raises(autosave.DraftError):
        keep(seeded_engine, owner="user:1 OR 1=1")
    with pytest.raises(autosave.DraftError):
        keep(seeded_engine, form="submit/../x y")
    with pytest.raises(autosave.DraftError):
        autosave.device_owner("raw-cookie-value")


def test_pruned_after_keep_days(seeded_engine):
    old = NOW - dt.timedelta(days=autosave.KEEP_DAYS, minutes=1)
    keep(seeded_engine, owner=BOB, now=old)
    keep(seeded_engine)
    with read_session(seeded_engine) as session:
        # Past its time it is not given back, even before it is pruned.
        assert autosave.load(session, form_key=FORM, owner=BOB, now=NOW) is None
        assert autosave.owned(session, owner=BOB, now=NOW) == []
    with write_session(seeded_engine) as session:
        assert autosave.prune(session, now=NOW) == 1
    with read_session(seeded_engine) as session:
        owners = session.exec(select(FormDraft.owner)).all()
    assert owners == [ALICE]


def test_the_time_typed_is_told_on_the_readers_clock():
    from forumdash import i18n

    moment = dt.datetime(2026, 12, 7, 13, 32, tzinfo=dt.UTC)
    assert i18n.format_clock(i18n.local_time(moment, "Europe/Belgrade")) == "14:32"
    # Naive moments are UTC; an unknown zone falls back to UTC rather than failing.
    assert (
        i18n.format_clock(i18n.local_time(moment.replace(tzinfo=None), "Mars/Olympus")) == "13:32"
    )
    with i18n.language("sq"):
        assert i18n.format_clock(i18n.local_time(moment, None)) == "13:32"


def test_a_draft_keeps_the_record_version_its_typing_began_from(seeded_engine):
    """The version of the record the form showed is kept with the draft (issue 14): the form
    given back carries it. A later save says the version its text goes with (the form moved
    along, or another tab of it), and the draft then says that one."""
    with write_session(seeded_engine) as session:
        autosave.save(
            session,
            form_key="submit.practice.7",
            owner="user:1",
            values={"t": "a"},
            base={},
            version=3,
        )
        autosave.save(
            session,
            form_key="submit.practice.7",
            owner="user:1",
            values={"t": "ab"},
            base={},
            version=5,
        )
        draft = autosave.load(session, form_key="submit.practice.7", owner="user:1")
        assert draft is not None and draft.version == 5 and draft.values == {"t": "ab"}
        assert draft.changed_since({"t": "a"}) == []  # the version is not a field
        autosave.save(
            session, form_key="share.suggestion", owner="user:1", values={"t": "x"}, base={}
        )
        new = autosave.load(session, form_key="share.suggestion", owner="user:1")
        assert new is not None and new.version is None


def test_a_draft_carries_the_version_of_the_text_it_holds(seeded_engine):
    """Two tabs of one form share the owner's draft: the tab that saved the record (now at
    version 4) keeps typing, then the other tab (still at version 3) keeps its text. Given back
    after a reload, that text must say version 3, or its save would pass over version 4 unseen."""
    for version, text in ((4, "typed after saving version 4"), (3, "typed against version 3")):
        with write_session(seeded_engine) as session:
            autosave.save(
                session,
                form_key="submit.practice.7",
                owner="user:1",
                values={"t": text},
                base={"t": "as the record was"},
                version=version,
            )
    with read_session(seeded_engine) as session:
        draft = autosave.load(session, form_key="submit.practice.7", owner="user:1")
    assert draft is not None and draft.values == {"t": "typed against version 3"}
    assert draft.version == 3
