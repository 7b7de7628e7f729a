"""Who is told: a country's focal points and the organisers, each once, never the actor."""

from sqlmodel import select

from forumdash import notifications
from forumdash import vocab as v
from forumdash.auth import SYSTEM, create_user
from forumdash.db import write_session
from forumdash.models import Notification


def test_country_team_and_notify(seeded_engine):
    with write_session(seeded_engine) as session:
        fp = create_user(
            session=session,
            actor=SYSTEM,
            email="fp-al@example.org",
            password="a long pass phrase 1",
            role="focal_point",
            country="AL",
        )
        other = create_user(
            session=session,
            actor=SYSTEM,
            email="fp-rs@example.org",
            password="a long pass phrase 2",
            role="focal_point",
            country="RS",
        )
        org = create_user(
            session=session,
            actor=SYSTEM,
            email="org@example.org",
            password="a long pass phrase 3",
            role="organiser",
        )
        team = notifications.country_team(session, "AL")
        assert fp in team and org in team and other not in team
        assert team.index(fp) < team.index(org)
        added = notifications.notify(
            session,
            kind=v.NotificationKind.suggestion,
            recipients=[*team, fp],
            record_type="suggestion",
            record_id=7,
            params={"title": "x"},
            skip=org,
        )
        assert added == len(team) - 1
    with write_session(seeded_engine) as session:
        rows = session.exec(select(Notification)).all()
        assert {r.user_id for r in rows} == set(team) - {org}
        assert all(r.params == {"title": "x"} and r.read_at is None for r in rows)
