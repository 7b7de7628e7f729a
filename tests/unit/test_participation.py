"""Participants without an account: "I want to learn from this" (once per device, details
later), suggestions, rate limits per device and per address in the database, the honeypot, size
limits and who is told; on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from sqlmodel import Session, func, select

from forumdash import limits, participation, repository
from forumdash import vocab as v
from forumdash.auth import SYSTEM, create_user
from forumdash.db import read_session, write_session
from forumdash.models import (
    ExchangeRequest,
    Notification,
    PracticeCreate,
    RateEvent,
    ServerSecret,
    Suggestion,
)

PHONE_A = "devicePhoneA_0123456789abcdef"
PHONE_B = "devicePhoneB_0123456789abcdef"
ADDRESS = "203.0.113.7"


def _count(session: Session, table: type) -> int:
    return int(session.exec(select(func.count()).select_from(table)).one())


def _practice(session: Session, *, workflow: v.Workflow = v.Workflow.published) -> int:
    return repository.create_practice(
        session=session,
        practice_in=PracticeCreate(
            slug=f"al-test-{workflow.value}",
            title="Test practice of Albania",
            country="AL",
            summary="A test practice.",
            level=v.GovLevel.national,
            actor_type=v.ActorType.government,
            themes=["open-data"],
            stage=v.Stage.implementing,
            sample=True,
            workflow=workflow,
        ),
    )


def _team(session: Session) -> dict[str, int]:
    def user(email: str, role: str, country: str | None = None) -> int:
        return create_user(
            session=session,
            actor=SYSTEM,
            email=email,
            password="a long pass phrase 1",
            role=role,
            country=country,
        )

    return {
        "al": user("fp-al@example.org", "focal_point", "AL"),
        "rs": user("fp-rs@example.org", "focal_point", "RS"),
        "org": user("org@example.org", "organiser"),
    }


def _ask(session: Session, practice_id: int, device: str = PHONE_A, **kwargs: object):
    return participation.ask_to_learn(
        session, practice_id=practice_id, device=device, address=ADDRESS, **kwargs
    )


def test_one_request_per_device_told_to_the_country_team(seeded_engine):
    with write_session(seeded_engine) as session:
        team = _team(session)
        practice_id = _practice(session)
        first = _ask(session, practice_id, language="sq", event="Tirana 2026")
    with write_session(seeded_engine) as session:
        again = _ask(session, practice_id)
        other = _ask(session, practice_id, device=PHONE_B)
    assert first.new and not again.new and other.new
    assert again.request_id == first.request_id != other.request_id
    assert first.country_code == "AL"
    with read_session(seeded_engine) as session:
        assert _count(session, ExchangeRequest) == 2
        row = session.get(ExchangeRequest, first.request_id)
        assert row is not None and row.to_country == "AL"
        assert (row.language, row.event, row.status) == ("sq", "Tirana 2026", "requested")
        # Only a keyed hash of the device is kept, never the id itself.
        assert row.device_hash != PHONE_A and len(row.device_hash) == 64
        notices = session.exec(select(Notification)).all()
        # Two new requests, each told once to AL's focal point and the organiser, not to RS.
        assert sorted(n.user_id for n in notices) == sorted([team["al"], team["org"]] * 2)
        assert {n.kind for n in notices} == {v.NotificationKind.exchange_request}
        assert {n.record_id for n in notices} == {first.request_id, other.request_id}
        assert participation.interest_count(session, practice_id=practice_id) == 2
        assert participation.has_asked(session, practice_id=practice_id, device=PHONE_A)
        assert not participation.has_asked(
            session, practice_id=practice_id, device="deviceNeverAsked_0123456789"
        )


def test_details_added_later_to_the_same_request(seeded_engine):
    with write_session(seeded_engine) as session:
        practice_id = _practice(session)
        first = _ask(session, practice_id)
    details = {
        "name": "  Ana\nKovač ",
        "organisation": "=cmd|' /C calc'!A0",
        "from_country": "rs",
        "contact": "+381 64 123 4567",
        "message": "<script>alert(1)</script> [link](javascript:x)\x00",
    }
    with write_session(seeded_engine) as session:
        second = _ask(session, practice_id, details=details)
    assert second.request_id == first.request_id and not second.new
    with read_session(seeded_engine) as session:
        assert _count(session, ExchangeRequest) == 1
        row = session.get(ExchangeRequest, first.request_id)
        assert row is not None
        assert (row.name, row.from_country, row.contact) == ("Ana Kovač", "RS", "+381 64 123 4567")
        # Stored as typed (control characters aside): rendering makes it inert, not storage.
        assert row.organisation == "=cmd|' /C calc'!A0"
        assert row.message == "<script>alert(1)</script> [link](javascript:x)"


def test_unpublished_practice_refused(seeded_engine):
    with write_session(seeded_engine) as session:
        draft = _practice(session, workflow=v.Workflow.draft)
    with write_session(seeded_engine) as session:
        with pytest.raises(participation.ParticipationError, match="no published practice"):
            _ask(session, draft)
        with pytest.raises(participation.ParticipationError):
            _ask(session, 10**8)
    with read_session(seeded_engine) as session:
        assert _count(session, ExchangeRequest) == 0
        assert _count(session, RateEvent) == 0


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"message": "x" * (participation.TEXT_LIMIT + 1)}, "message"),
        ({"name": "n" * 121}, "name"),
        ({"contact": "call me maybe"}, "contact"),
        ({"contact": "12345"}, "contact"),
        ({"from_country": "ZZ"}, "from_country"),
    ],
)
def test_bad_details_refused_and_nothing_changes(seeded_engine, details, field):
    with write_session(seeded_engine) as session:
        practice_id = _practice(session)
    with write_session(seeded_engine) as session:
        with pytest.raises(participation.ParticipationError) as refused:
            _ask(session, practice_id, details=details)
    assert [f for f, _message in refused.value.problems] == [field]
    with read_session(seeded_engine) as session:
        assert _count(session, ExchangeRequest) == 0
        assert _count(session, RateEvent) == 0


def test_contact_is_an_email_or_a_phone():
    check = participation.check_contact
    assert check("ana@example.org") == "ana@example.org"
    assert check("+389 (70) 123-456") == "+389 (70) 123-456"
    assert check("") == ""
    for bad in ("ana@", "ana at example", "+1 23", "javascript:alert(1)", "a@b"):
        with pytest.raises(ValueError, match="e-mail address"):
            check(bad)


def test_learning_flood_refused_per_device_while_another_device_gets_through(seeded_engine):
    with write_session(seeded_engine) as session:
        practice_id = _practice(session)
    # Each send (a tap or its details) counts; every transaction is its own "session", as
    # separate reloads or app processes would be: the count is in the database.
    for n in range(limits.LEARN.per_device):
        with write_session(seeded_engine) as session:
            _ask(session, practice_id, details={"message": f"try {n}"})
    with write_session(seeded_engine) as session:
        with pytest.raises(limits.RateLimited) as refused:
            _ask(session, practice_id, details={"message": "one too many"})
    assert "Please try again in 60 minutes." in str(refused.value)
    assert "many requests in the last hour" in str(refused.value)
    with write_session(seeded_engine) as session:
        assert _ask(session, practice_id, device=PHONE_B).new
    with write_session(seeded_engine) as session:
        with pytest.raises(limits.RateLimited):  # the limit holds in a later session too
            _ask(session, practice_id)
    with read_session(seeded_engine) as session:
        row = session.exec(select(ExchangeRequest).order_by(ExchangeRequest.id)).first()
        assert row is not None and row.message == f"try {limits.LEARN.per_device - 1}"


def test_address_limit_catches_a_script_that_changes_its_device(seeded_engine, monkeypatch):
    monkeypatch.setattr(limits, "SUGGEST", limits.Limit("suggest", per_device=5, per_address=3))
    suggestion = {
        "record_type": "practice",
        "title": "Open budgets in schools",
        "country_code": "AL",
        "description": "Schools publish their budgets on a notice board.",
    }
    for n in range(3):
        with write_session(seeded_engine) as session:
            participation.suggest(
                session,
                suggestion=suggestion,
                device=f"scriptDevice{n}_0123456789abcdef",
                address=ADDRESS,
            )
    with write_session(seeded_engine) as session:
        with pytest.raises(limits.RateLimited):
            participation.suggest(session, suggestion=suggestion, device=PHONE_B, address=ADDRESS)
    with write_session(seeded_engine) as session:  # someone elsewhere is not held up
        assert participation.suggest(
            session, suggestion=suggestion, device=PHONE_B, address="198.51.100.20"
        )
    with read_session(seeded_engine) as session:
        assert _count(session, Suggestion) == 4


def test_wait_is_said_in_minutes_and_old_events_are_pruned(seeded_engine):
    limit = limits.Limit("test", per_device=2, per_address=10)
    start = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
    with write_session(seeded_engine) as session:
        who = limits.participant(session, PHONE_A, ADDRESS)
        limits.check_and_count(session, limit, who, now=start)
        limits.check_and_count(session, limit, who, now=start + dt.timedelta(minutes=10))
        with pytest.raises(limits.RateLimited) as refused:
            limits.check_and_count(session, limit, who, now=start + dt.timedelta(minutes=48))
        assert refused.value.wait == dt.timedelta(minutes=12)
        assert "Please try again in 12 minutes." in str(refused.value)
        # An hour after the first, one more is allowed; two hours on, the old ones are gone.
        limits.check_and_count(session, limit, who, now=start + dt.timedelta(minutes=61))
        limits.check_and_count(session, limit, who, now=start + dt.timedelta(hours=3))
        assert _count(session, RateEvent) == 2  # device and address of the last one


def test_hashes_are_keyed_by_the_server_secret(seeded_engine, monkeypatch):
    with read_session(seeded_engine) as session:  # a new database holds no key until used
        assert limits.known_participant(session, PHONE_A, ADDRESS) is None
    with write_session(seeded_engine) as session:
        made = limits.participant(session, PHONE_A, ADDRESS)
    with read_session(seeded_engine) as session:
        stored = session.get(ServerSecret, limits.SECRET_NAME)
        assert stored is not None and len(stored.value) == 64
        by_database = limits.known_participant(session, PHONE_A, ADDRESS)
        monkeypatch.setenv("FORUMDASH_HASH_SECRET", "s" * 40)
        by_setting = limits.known_participant(session, PHONE_A, ADDRESS)
        monkeypatch.setenv("FORUMDASH_HASH_SECRET", "short")  # ignored: too easy to guess
        assert limits.known_participant(session, PHONE_A, ADDRESS) == by_database
    assert by_database == made and by_setting is not None
    assert by_database.device != by_setting.device
    assert by_database.address != by_setting.address != ADDRESS
    with read_session(seeded_engine) as session:
        assert limits.known_participant(session, "<script>", ADDRESS) is None


def test_client_address_believes_forwarded_for_only_behind_trusted_proxies():
    address = limits.client_address
    assert address("203.0.113.7", "1.2.3.4", 0) == "203.0.113.7"
    assert address("10.0.0.2", "1.2.3.4, 198.51.100.9", 1) == "198.51.100.9"
    assert address("10.0.0.2", "1.2.3.4, 198.51.100.9, 10.0.0.1", 2) == "198.51.100.9"
    assert address("10.0.0.2", None, 1) == "10.0.0.2"
    assert address(None, None, 0) == ""
    assert address("not an address", None, 0) == ""
    assert address("2001:db8:1:2:3:4:5:6", None, 0) == "2001:db8:1:2::/64"
    assert address("::ffff:203.0.113.7", None, 0) == "203.0.113.7"


def test_honeypot_stores_nothing_and_looks_like_success(seeded_engine):
    with write_session(seeded_engine) as session:
        _team(session)
        practice_id = _practice(session)
    with write_session(seeded_engine) as session:
        asked = _ask(session, practice_id, details={"message": "buy now"}, trap="http://spam")
        suggested = participation.suggest(
            session,
            suggestion={
                "record_type": "challenge",
                "title": "Spam",
                "country_code": "RS",
                "description": "Buy our product today.",
            },
            device=PHONE_A,
            address=ADDRESS,
            trap="http://spam",
        )
    assert asked.new and asked.request_id is None and suggested is None
    with read_session(seeded_engine) as session:
        for table in (ExchangeRequest, Suggestion, Notification, RateEvent):
            assert _count(session, table) == 0


def test_suggestion_stored_and_told_to_its_country_team(seeded_engine):
    with write_session(seeded_engine) as session:
        team = _team(session)
    with write_session(seeded_engine) as session:
        suggestion_id = participation.suggest(
            session,
            suggestion={
                "record_type": "challenge",
                "title": "  **Few** people read [the budget](http://evil.example) ",
                "country_code": "rs",
                "description": "Citizens do not read the budget.\r\nWe want to change that.",
                "name": "Marko",
                "contact": "marko@example.org",
            },
            device=PHONE_A,
            address=ADDRESS,
            language="sr-Latn",
            event="Belgrade",
        )
    with read_session(seeded_engine) as session:
        row = session.get(Suggestion, suggestion_id)
        assert row is not None
        assert row.title == "**Few** people read [the budget](http://evil.example)"
        assert row.description == "Citizens do not read the budget.\nWe want to change that."
        assert (row.country_code, row.record_type, row.status) == ("RS", "challenge", "new")
        assert (row.language, row.event, row.contact) == (
            "sr-Latn",
            "Belgrade",
            "marko@example.org",
        )
        notices = session.exec(select(Notification)).all()
        assert sorted(n.user_id for n in notices) == sorted([team["rs"], team["org"]])
        assert {(n.kind, n.record_type, n.record_id) for n in notices} == {
            (v.NotificationKind.suggestion, "suggestion", suggestion_id)
        }
        # The notice carries no contact: it may be mailed.
        assert all("marko@example.org" not in str(n.params) for n in notices)


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        (
            {"record_type": None, "title": "", "country_code": ""},
            ["record_type", "title", "country_code"],
        ),
        ({"record_type": "milestone"}, ["record_type"]),
        ({"title": "t" * 301}, ["title"]),
        ({"description": "d" * 2001}, ["description"]),
        ({"description": "short"}, ["description"]),
        ({"country_code": "ZZ"}, ["country_code"]),
        ({"contact": "my house"}, ["contact"]),
    ],
)
def test_bad_suggestion_refused_in_the_forms_words(seeded_engine, changes, fields):
    suggestion = {
        "record_type": "practice",
        "title": "Open budgets",
        "country_code": "AL",
        "description": "Schools publish their budgets.",
    } | changes
    with write_session(seeded_engine) as session:
        with pytest.raises(participation.ParticipationError) as refused:
            participation.suggest(session, suggestion=suggestion, device=PHONE_A, address="")
    assert [field for field, _message in refused.value.problems] == fields
    assert refused.value.lines()[0].startswith(participation.FIELD_NAMES[fields[0]] + ": ")
    with read_session(seeded_engine) as session:
        assert _count(session, Suggestion) == 0
        assert _count(session, RateEvent) == 0


def test_nothing_a_participant_sends_is_public(seeded_engine):
    """Search, the practice's public record and the public count show no request's or
    suggestion's words or contact: only how many asked."""
    from forumdash.site_search import search_site

    with write_session(seeded_engine) as session:
        practice_id = _practice(session)
        _ask(
            session,
            practice_id,
            details={"message": "zebracorn exchange", "contact": "zebracorn@example.org"},
        )
        participation.suggest(
            session,
            suggestion={
                "record_type": "practice",
                "title": "Zebracorn budgets",
                "country_code": "AL",
                "description": "Zebracorn budgets in every school.",
                "contact": "zebracorn@example.org",
            },
            device=PHONE_A,
            address=ADDRESS,
        )
    with read_session(seeded_engine) as session:
        assert search_site(session, "zebracorn").total == 0
        public = repository.get_practice(session=session, practice_id=practice_id)
        assert public is not None and "zebracorn" not in public.model_dump_json().lower()
        assert participation.interest_count(session, practice_id=practice_id) == 1


@pytest.mark.parametrize(("raw", "hops"), [("1", 1), ("", 0), ("two", 0), ("9", 0), ("-1", 0)])
def test_trusted_proxies_setting_is_a_small_number_or_none(monkeypatch, raw, hops):
    from forumdash.settings import get_settings

    monkeypatch.setenv("FORUMDASH_TRUSTED_PROXIES", raw)
    assert get_settings().trusted_proxies == hops


def test_details_to_ones_own_request_do_not_use_up_the_rooms_address(seeded_engine, monkeypatch):
    """A room on one Wi-Fi shares an address: a person's later sends to their own request
    (details, a second tap) count against their device only, so they do not hold others up;
    new requests from new devices still count against the address."""
    monkeypatch.setattr(limits, "LEARN", limits.Limit("learn", per_device=20, per_address=2))
    with write_session(seeded_engine) as session:
        practice_id = _practice(session)
    with write_session(seeded_engine) as session:
        _ask(session, practice_id)
    for n in range(3):
        with write_session(seeded_engine) as session:
            _ask(session, practice_id, details={"message": f"details {n}"})
    with write_session(seeded_engine) as session:
        assert _ask(session, practice_id, device=PHONE_B).new  # the room's second person
    with write_session(seeded_engine) as session:
        with pytest.raises(limits.RateLimited):  # a third new device on the address is held
            _ask(session, practice_id, device="scriptDevice9_0123456789abcdef")
    with read_session(seeded_engine) as session:
        assert _count(session, ExchangeRequest) == 2


def test_a_suggestion_with_fields_left_out_is_refused_in_words(seeded_engine):
    """A caller (or a form) that leaves fields out gets the same messages as for empty ones,
    not an assertion or a database error, and nothing is stored."""
    with write_session(seeded_engine) as session:
        with pytest.raises(participation.ParticipationError) as refused:
            participation.suggest(session, suggestion={}, device=PHONE_A, address=ADDRESS)
        with pytest.raises(participation.ParticipationError):
            participation.suggest(
                session,
                suggestion={"title": "Open budgets", "description": "Schools publish budgets."},
                device=PHONE_A,
                address=ADDRESS,
            )
    assert {field for field, _problem in refused.value.problems} == {
        "record_type",
        "title",
        "country_code",
        "description",
    }
    with read_session(seeded_engine) as session:
        assert _count(session, Suggestion) == 0


def test_a_too_long_contact_is_told_the_contacts_own_limit():
    """The message names the limit the contact has (254, an e-mail address's), not one more."""
    with pytest.raises(participation.ParticipationError) as refused:
        participation._validated(participation.LearnDetails, {"contact": "x" * 300})
    assert refused.value.problems == [
        ("contact", f"at most {participation.CONTACT_LIMIT} characters")
    ]
