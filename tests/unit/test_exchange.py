"""Peer exchange, the receiving side, on SQLite and PostgreSQL: moves and their steps,
permissions, privacy of contacts, the adoption's draft, suggestions made drafts or declined, a
concurrent move refused, the regional counts and a formula-safe export."""

import csv
import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, col, select

from forumdash import exchange, repository, workflow
from forumdash import vocab as v
from forumdash.auth import SYSTEM, PermissionDenied, SessionUser, create_user
from forumdash.db import read_session, write_session
from forumdash.exchange import DraftChoices, ExchangeError, RequestFilters
from forumdash.models import (
    Challenge,
    ExchangeRequest,
    ExchangeStep,
    Notification,
    Practice,
    Suggestion,
)

S = v.ExchangeStatus
PASSWORD = "a long pass phrase 1"
HOSTILE = '=HYPERLINK("http://evil.example","x")'


def _user(session: Session, email: str, role: str, country: str | None = None) -> SessionUser:
    user_id = create_user(
        session=session, actor=SYSTEM, email=email, password=PASSWORD, role=role, country=country
    )
    return SessionUser(user_id, email, v.Role(role), country)


def _published(session: Session, country: str) -> int:
    found = session.exec(
        select(Practice.id)
        .where(Practice.country_code == country, Practice.workflow == v.Workflow.published)
        .order_by(col(Practice.id))
    ).first()
    assert found is not None
    return found


class World:
    """Accounts and a few requests on the seeded database."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        with write_session(engine) as session:
            self.fp_al = _user(session, "fp-al@example.org", "focal_point", "AL")
            self.fp_al2 = _user(session, "fp-al2@example.org", "focal_point", "AL")
            self.fp_rs = _user(session, "fp-rs@example.org", "focal_point", "RS")
            self.org = _user(session, "org@example.org", "organiser")
            self.al_practice = _published(session, "AL")
            self.rs_practice = _published(session, "RS")
            self.request = self.add_request(session, self.al_practice, "AL", "RS", "dev-1")
            self.anonymous = self.add_request(session, self.al_practice, "AL", None, "dev-2")
            self.to_rs = self.add_request(session, self.rs_practice, "RS", "AL", "dev-3")

    @staticmethod
    def add_request(
        session: Session, practice: int, to: str, source: str | None, device: str
    ) -> int:
        row = ExchangeRequest(
            practice_id=practice,
            to_country=to,
            from_country=source,
            name=HOSTILE,
            organisation="Ministry of Tests",
            contact="person@example.org",
            message="Please put me in touch.",
            device_hash=device.ljust(64, "0"),
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id

    def move(self, user: SessionUser | None, request: int, to: S, seen: S, **kw: Any) -> None:
        with write_session(self.engine) as session:
            exchange.move(session=session, user=user, request_id=request, to=to, seen=seen, **kw)

    def row(self, request: int) -> ExchangeRequest:
        with read_session(self.engine) as session:
            row = session.get(ExchangeRequest, request)
            assert row is not None
            return row


@pytest.fixture
def world(seeded_engine: Any) -> World:
    return World(seeded_engine)


def test_a_request_moves_through_its_states_with_dated_steps(world: World) -> None:
    world.move(world.fp_al, world.request, S.in_contact, S.requested, note="Called them")
    world.move(world.fp_al, world.request, S.held, S.in_contact, happened_on=dt.date(2026, 11, 3))
    world.move(world.org, world.request, S.adopted, S.held, note="Adopted in Belgrade")
    assert world.row(world.request).status == S.adopted
    with read_session(world.engine) as session:
        steps = session.exec(
            select(ExchangeStep)
            .where(ExchangeStep.request_id == world.request)
            .order_by(col(ExchangeStep.id))
        ).all()
        views = exchange.requests_for(session=session, user=world.fp_al)
    assert [s.status for s in steps] == [S.in_contact, S.held, S.adopted]
    assert steps[1].happened_on == dt.date(2026, 11, 3)
    assert steps[0].note == "Called them" and steps[0].by_id == world.fp_al.id
    assert steps[2].by_id == world.org.id and steps[2].recorded_at is not None
    shown = next(r for r in views if r.id == world.request)
    assert [s.by for s in shown.steps] == [world.fp_al.email, world.fp_al.email, world.org.email]
    assert shown.moves == ()


@pytest.mark.parametrize(
    ("to", "seen", "message"),
    [
        (S.held, S.requested, "cannot be marked"),
        (S.adopted, S.requested, "cannot be marked"),
        (S.requested, S.requested, "cannot be marked"),
    ],
)
def test_invalid_moves_are_refused(world: World, to: S, seen: S, message: str) -> None:
    with pytest.raises(ExchangeError, match=message):
        world.move(world.fp_al, world.request, to, seen)
    assert world.row(world.request).status == S.requested


def test_declining_needs_a_reason_and_dates_cannot_be_in_the_future(world: World) -> None:
    with pytest.raises(ExchangeError, match="Say why"):
        world.move(world.fp_al, world.request, S.declined, S.requested, reason="  ")
    future = dt.date.today() + dt.timedelta(days=5)
    with pytest.raises(ExchangeError, match="in the future"):
        world.move(world.fp_al, world.request, S.in_contact, S.requested, happened_on=future)
    assert world.row(world.request).status == S.requested
    world.move(world.fp_al, world.request, S.declined, S.requested, reason="Not transferable")
    row = world.row(world.request)
    assert (row.status, row.decline_reason) == (S.declined, "Not transferable")
    with pytest.raises(ExchangeError, match="cannot be marked"):
        world.move(world.fp_al, world.request, S.in_contact, S.declined)


def test_another_countrys_focal_point_and_anonymous_are_refused(world: World) -> None:
    for user in (world.fp_rs, None):
        with pytest.raises(PermissionDenied):
            world.move(user, world.request, S.in_contact, S.requested)
    with read_session(world.engine) as session:
        with pytest.raises(PermissionDenied):
            exchange.requests_for(session=session, user=None)
        with pytest.raises(PermissionDenied):
            exchange.contact_of(session=session, user=world.fp_rs, request_id=world.request)
        with pytest.raises(PermissionDenied):
            exchange.contact_of(session=session, user=None, request_id=world.request)
        with pytest.raises(PermissionDenied):
            exchange.regional(session=session, user=world.fp_al)
    assert world.row(world.request).status == S.requested


def test_contacts_are_seen_only_by_the_countrys_team(world: World) -> None:
    with read_session(world.engine) as session:
        al = exchange.requests_for(session=session, user=world.fp_al)
        rs = exchange.requests_for(session=session, user=world.fp_rs)
        everything = exchange.requests_for(session=session, user=world.org)
        assert exchange.contact_of(session=session, user=world.fp_al, request_id=world.request)
    assert {r.id for r in al} == {world.request, world.anonymous}
    assert {r.id for r in rs} == {world.to_rs}
    assert {r.id for r in everything} == {world.request, world.anonymous, world.to_rs}
    assert all(r.contact == "person@example.org" and r.message for r in al + rs + everything)
    # A focal point's filters never reach past their own country.
    with read_session(world.engine) as session:
        asked = exchange.requests_for(
            session=session, user=world.fp_rs, filters=RequestFilters(to_country="AL")
        )
    assert asked == []


def test_a_concurrent_move_is_refused_not_overwritten(world: World) -> None:
    # Two tabs both saw "requested": the first move wins, the second is told.
    world.move(world.fp_al, world.request, S.in_contact, S.requested, note="first")
    with pytest.raises(ExchangeError, match="Someone else changed this request"):
        world.move(world.fp_al2, world.request, S.declined, S.requested, reason="second tab")
    row = world.row(world.request)
    assert (row.status, row.decline_reason) == (S.in_contact, "")
    with read_session(world.engine) as session:
        notes = session.exec(
            select(ExchangeStep.note).where(ExchangeStep.request_id == world.request)
        ).all()
    assert notes == ["first"]


def test_the_rest_of_the_team_is_told_of_a_move(world: World) -> None:
    world.move(world.fp_al, world.request, S.in_contact, S.requested)
    with read_session(world.engine) as session:
        told = session.exec(
            select(Notification.user_id).where(
                Notification.kind == v.NotificationKind.exchange_update
            )
        ).all()
    assert set(told) == {world.fp_al2.id, world.org.id}


PRACTICE_CHOICES = DraftChoices(
    themes=("open-data",), level="national", actor_type="government", stage="generating_ideas"
)


def test_adoption_creates_the_adopting_countrys_adapted_draft(world: World) -> None:
    world.move(world.fp_al, world.request, S.in_contact, S.requested)
    world.move(world.fp_al, world.request, S.held, S.in_contact)
    with write_session(world.engine) as session:
        with pytest.raises(ExchangeError, match="Record the adoption"):
            exchange.create_adopted_draft(
                session=session,
                user=world.fp_al,
                request_id=world.request,
                choices=PRACTICE_CHOICES,
            )
    world.move(world.fp_al, world.request, S.adopted, S.held)
    with write_session(world.engine) as session:
        # Nothing chosen: refused with the form's words, nothing written.
        with pytest.raises(ExchangeError, match="Level of government: choose one"):
            exchange.create_adopted_draft(
                session=session, user=world.fp_al, request_id=world.request, choices=DraftChoices()
            )
    with write_session(world.engine) as session:
        draft_id = exchange.create_adopted_draft(
            session=session, user=world.fp_al, request_id=world.request, choices=PRACTICE_CHOICES
        )
    with read_session(world.engine) as session:
        draft = session.get(Practice, draft_id)
        original = session.get(Practice, world.al_practice)
        assert draft is not None and original is not None
        # Of the adopting country (RS), a draft, adapted from the original; the AL focal point
        # may not edit RS, so an organiser owns it.
        assert (draft.country_code, draft.workflow) == ("RS", v.Workflow.draft)
        assert draft.adapted_from_id == original.id
        assert draft.created_by_id == world.org.id
        assert draft.title.startswith("Adapted from: ")
        assert draft.summary.startswith("To be written")
        assert draft.lead_institution == "" and draft.problem_purpose == ""
        assert world.row(world.request).adopted_practice_id == draft_id
        # The draft opens in the form (the workflow's own reading of it).
        record = workflow.record_of(session=session, practice_id=draft_id)
        assert record.adapted_from == original.slug and record.themes == ["open-data"]
        # Not public.
        assert repository.get_practice(session=session, practice_id=draft_id) is None
    with write_session(world.engine) as session:
        with pytest.raises(ExchangeError, match="already has its draft"):
            exchange.create_adopted_draft(
                session=session, user=world.org, request_id=world.request, choices=PRACTICE_CHOICES
            )


def test_an_adopting_focal_point_owns_the_draft_made_by_an_organiser_for_their_country(
    world: World,
) -> None:
    for to, seen in ((S.in_contact, S.requested), (S.held, S.in_contact), (S.adopted, S.held)):
        world.move(world.org, world.anonymous, to, seen)
    with write_session(world.engine) as session:
        with pytest.raises(ExchangeError, match="Choose the country"):
            exchange.create_adopted_draft(
                session=session,
                user=world.org,
                request_id=world.anonymous,
                choices=PRACTICE_CHOICES,
            )
    with write_session(world.engine) as session:
        draft_id = exchange.create_adopted_draft(
            session=session,
            user=world.org,
            request_id=world.anonymous,
            choices=PRACTICE_CHOICES,
            country="ME",
        )
        draft = session.get(Practice, draft_id)
        assert draft is not None and draft.country_code == "ME"
        assert draft.created_by_id == world.org.id


def _suggestion(engine: Any, kind: v.RecordType, country: str = "AL", **kw: Any) -> int:
    with write_session(engine) as session:
        row = Suggestion(
            record_type=kind,
            title=kw.pop("title", "Open school budgets"),
            country_code=country,
            description=kw.pop("description", "Schools publish their budgets on a board."),
            name=kw.pop("name", "Ana Participant"),
            organisation="Civic Lab",
            contact="ana@example.org",
            device_hash="s".ljust(64, "0"),
            **kw,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def test_a_suggestion_becomes_a_draft_with_the_suggester_credited(world: World) -> None:
    suggestion = _suggestion(world.engine, v.RecordType.practice)
    with read_session(world.engine) as session:
        waiting = exchange.suggestions_for(session=session, user=world.fp_al)
        assert [s.id for s in waiting] == [suggestion]
        assert waiting[0].contact == "ana@example.org"
        assert exchange.suggestions_for(session=session, user=world.fp_rs) == []
    with write_session(world.engine) as session, pytest.raises(PermissionDenied):
        exchange.accept_suggestion(
            session=session, user=world.fp_rs, suggestion_id=suggestion, choices=PRACTICE_CHOICES
        )
    with write_session(world.engine) as session:
        kind, draft_id = exchange.accept_suggestion(
            session=session, user=world.fp_al, suggestion_id=suggestion, choices=PRACTICE_CHOICES
        )
    assert kind == v.RecordType.practice
    with read_session(world.engine) as session:
        draft = session.get(Practice, draft_id)
        row = session.get(Suggestion, suggestion)
        assert draft is not None and row is not None
        assert (draft.title, draft.country_code, draft.workflow) == (
            "Open school budgets",
            "AL",
            v.Workflow.draft,
        )
        assert draft.summary == "Schools publish their budgets on a board."
        assert draft.created_by_id == world.fp_al.id
        sources = workflow.record_of(session=session, practice_id=draft_id).sources
        assert "Ana Participant, Civic Lab" in sources[0].title
        assert "ana@example.org" not in sources[0].title  # sources are published with it
        assert draft.contact == ""
        assert (row.status, row.practice_id, row.resolved_by_id) == (
            v.SuggestionStatus.accepted,
            draft_id,
            world.fp_al.id,
        )
        assert row.resolved_at is not None
    with write_session(world.engine) as session, pytest.raises(ExchangeError, match="already"):
        exchange.decline_suggestion(
            session=session, user=world.org, suggestion_id=suggestion, reason="Too late now"
        )


def test_a_challenge_suggestion_becomes_a_challenge_draft(world: World) -> None:
    suggestion = _suggestion(world.engine, v.RecordType.challenge, country="RS", name="")
    with write_session(world.engine) as session, pytest.raises(ExchangeError, match="Severity"):
        exchange.accept_suggestion(
            session=session,
            user=world.org,
            suggestion_id=suggestion,
            choices=DraftChoices(themes=("open-data",), obstacle_type="capacity"),
        )
    with write_session(world.engine) as session:
        kind, draft_id = exchange.accept_suggestion(
            session=session,
            user=world.org,
            suggestion_id=suggestion,
            choices=DraftChoices(themes=("open-data",), obstacle_type="capacity", severity="low"),
        )
    assert kind == v.RecordType.challenge
    with read_session(world.engine) as session:
        challenge = session.get(Challenge, draft_id)
        row = session.get(Suggestion, suggestion)
        assert challenge is not None and row is not None
        assert (challenge.country_code, challenge.workflow) == ("RS", v.Workflow.draft)
        assert row.challenge_id == draft_id and row.status == v.SuggestionStatus.accepted
        assert "Suggested by Civic Lab through the forum" in str(challenge.sources)


def test_a_suggestion_declined_with_a_reason(world: World) -> None:
    suggestion = _suggestion(world.engine, v.RecordType.practice)
    with write_session(world.engine) as session, pytest.raises(ExchangeError, match="Say why"):
        exchange.decline_suggestion(
            session=session, user=world.fp_al, suggestion_id=suggestion, reason="no"
        )
    with write_session(world.engine) as session, pytest.raises(PermissionDenied):
        exchange.decline_suggestion(
            session=session, user=None, suggestion_id=suggestion, reason="Not a practice"
        )
    with write_session(world.engine) as session:
        exchange.decline_suggestion(
            session=session, user=world.fp_al, suggestion_id=suggestion, reason="Not a practice"
        )
    with read_session(world.engine) as session:
        row = session.get(Suggestion, suggestion)
        assert row is not None
        assert (row.status, row.decline_reason, row.resolved_by_id) == (
            v.SuggestionStatus.declined,
            "Not a practice",
            world.fp_al.id,
        )
        handled = exchange.suggestions_for(
            session=session, user=world.fp_al, statuses=(v.SuggestionStatus.declined,)
        )
        assert [s.id for s in handled] == [suggestion]


def test_regional_counts_country_to_country_and_over_time(world: World) -> None:
    with write_session(world.engine) as session:
        extra = World.add_request(session, world.rs_practice, "RS", "AL", "dev-4")
        row = session.get(ExchangeRequest, extra)
        assert row is not None
        row.created_at = dt.datetime(2026, 1, 15, 9, tzinfo=dt.UTC)
        session.add(row)
    with read_session(world.engine) as session:
        view = exchange.regional(session=session, user=world.org)
        weekly = exchange.regional(session=session, user=world.org, period="week")
    counts = {(r.from_code, r.to_code): r.requests for r in view.pairs.itertuples(index=False)}
    assert counts == {("RS", "AL"): 1, (exchange.NOT_SAID, "AL"): 1, ("AL", "RS"): 2}
    assert "not said" in set(view.pairs["from_country"])
    assert view.total == 4
    assert int(view.over_time["requests"].sum()) == 4
    assert dt.date(2026, 1, 1) in {d.date() for d in view.over_time["period"]}
    assert dt.date(2026, 1, 12) in {d.date() for d in weekly.over_time["period"]}  # a Monday
    with read_session(world.engine) as session:
        listed = exchange.requests_for(
            session=session,
            user=world.org,
            filters=RequestFilters(from_country=exchange.NOT_SAID, to_country="AL"),
        )
    assert [r.id for r in listed] == [world.anonymous]


def test_exports_are_formula_safe_and_carry_contacts_only_for_organisers(world: World) -> None:
    with read_session(world.engine) as session:
        everything = exchange.requests_for(session=session, user=world.org)
        mine = exchange.requests_for(session=session, user=world.fp_al)
    rows = list(csv.reader(io.StringIO(exchange.to_csv(everything, world.org).decode("utf-8-sig"))))
    assert "Contact" in rows[0]
    names = [row[rows[0].index("Name")] for row in rows[1:]]
    assert names and all(name == "'" + HOSTILE for name in names)
    theirs = exchange.to_csv(mine, world.fp_al).decode("utf-8-sig")
    assert "person@example.org" not in theirs and HOSTILE not in theirs
    assert "Contact" not in theirs.splitlines()[0]
    book = load_workbook(io.BytesIO(exchange.to_xlsx(everything, world.org)))
    sheet = book["Requests"]
    header = [c.value for c in sheet[1]]
    name_cells = [row[header.index("Name")] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" and str(c.value).startswith("'=") for c in name_cells)


def test_most_asked_counts_published_practices_and_requests_today(world: World) -> None:
    with write_session(world.engine) as session:
        old = session.get(ExchangeRequest, world.to_rs)
        assert old is not None
        old.created_at = dt.datetime(2026, 1, 15, 9, tzinfo=dt.UTC)
        session.add(old)
    with read_session(world.engine) as session:
        ranked = exchange.most_asked(session=session)
        only_rs = exchange.most_asked(session=session, countries=["RS"])
        today = exchange.requests_today(session=session)
        on_day = exchange.requests_today(
            session=session, now=dt.datetime(2026, 1, 15, 23, tzinfo=dt.UTC)
        )
    assert [(m.practice_id, m.requests) for m in ranked] == [
        (world.al_practice, 2),
        (world.rs_practice, 1),
    ]
    assert [m.practice_id for m in only_rs] == [world.rs_practice]
    assert today == 2
    assert on_day == 3  # since midnight of that day: the two of today are later still
    # A practice taken offline is no longer counted on the screen.
    with write_session(world.engine) as session:
        practice = session.get(Practice, world.al_practice)
        assert practice is not None
        practice.workflow = v.Workflow.draft
        session.add(practice)
    with read_session(world.engine) as session:
        assert [m.practice_id for m in exchange.most_asked(session=session)] == [world.rs_practice]


def test_the_heatmap_links_each_pair_to_its_list_in_the_current_language() -> None:
    import pandas as pd

    from forumdash import charts, i18n

    frame = pd.DataFrame(
        [
            {
                "from_code": "RS",
                "from_country": "Serbia",
                "to_code": "AL",
                "to_country": "Albania",
                "requests": 3,
            },
            {
                "from_code": exchange.NOT_SAID,
                "from_country": "not said",
                "to_code": "AL",
                "to_country": "Albania",
                "requests": 1,
            },
        ]
    )
    with i18n.language("sq"):
        spec = charts.exchange_heatmap(frame).to_dict()
    urls = [row["url"] for row in next(iter(spec["datasets"].values()))]
    assert urls == ["/exchange?from=RS&to=AL&lang=sq", "/exchange?from=none&to=AL&lang=sq"]
    assert spec["layer"][1]["encoding"]["href"] == {"field": "url", "type": "nominal"}
    months = pd.DataFrame({"period": ["2026-01-01", "2026-02-01"], "requests": [2, 5]})
    bars = charts.requests_over_time_chart(months).to_dict()
    labels = [row["label"] for row in next(iter(bars["datasets"].values()))]
    assert labels == ["January 2026", "February 2026"]


def test_the_waiting_list_keeps_an_adoption_until_its_draft_is_made(world: World) -> None:
    for to, seen in ((S.in_contact, S.requested), (S.held, S.in_contact), (S.adopted, S.held)):
        world.move(world.fp_al, world.request, to, seen)
    world.move(world.fp_al, world.anonymous, S.declined, S.requested, reason="Not now, sorry")
    waiting = RequestFilters(waiting=True)
    with read_session(world.engine) as session:
        shown = {
            r.id for r in exchange.requests_for(session=session, user=world.fp_al, filters=waiting)
        }
    assert shown == {world.request}  # adopted, no draft yet; the declined one is done
    with write_session(world.engine) as session:
        exchange.create_adopted_draft(
            session=session, user=world.fp_al, request_id=world.request, choices=PRACTICE_CHOICES
        )
    with read_session(world.engine) as session:
        assert exchange.requests_for(session=session, user=world.fp_al, filters=waiting) == []


def test_one_request_or_suggestion_by_id_for_its_team_only(world: World) -> None:
    """What an inbox notice's link opens: the record for its country's team and the organisers,
    whatever its status; for anyone else the same None as for an id that does not exist."""
    suggestion = _suggestion(world.engine, v.RecordType.practice)
    world.move(world.fp_al, world.request, S.declined, S.requested, reason="Not this year")
    one = RequestFilters(request_id=world.request)
    with read_session(world.engine) as session:
        for reader in (world.fp_al, world.org):
            found = exchange.requests_for(session=session, user=reader, filters=one)
            assert [(r.id, r.status, r.contact) for r in found] == [
                (world.request, S.declined, "person@example.org")
            ]
            view = exchange.suggestion_for(session=session, user=reader, suggestion_id=suggestion)
            assert view is not None and view.id == suggestion
        assert exchange.requests_for(session=session, user=world.fp_rs, filters=one) == []
        missing = RequestFilters(request_id=10**6)
        assert exchange.requests_for(session=session, user=world.org, filters=missing) == []
        assert (
            exchange.suggestion_for(session=session, user=world.fp_rs, suggestion_id=suggestion)
            is None
        )
        assert exchange.suggestion_for(session=session, user=world.org, suggestion_id=10**6) is None
        with pytest.raises(PermissionDenied):
            exchange.suggestion_for(session=session, user=None, suggestion_id=suggestion)
