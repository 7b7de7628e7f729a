"""Records the tests and benchmarks publish into a running app's database while it runs."""

import uuid
from typing import TYPE_CHECKING

from forumdash import repository
from forumdash import vocab as v
from forumdash.db import make_engine, write_session
from forumdash.models import PracticeCreate

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def publish_sample_practice(
    database_url: str,
    *,
    prefix: str,
    title: str,
    summary: str,
    country: str = "ME",
    level: v.GovLevel = v.GovLevel.national,
    actor_type: v.ActorType = v.ActorType.government,
) -> int:
    """A new published practice under open data, marked as sample content (clearly a test);
    its slug is `prefix` and a random suffix. Returns its id."""
    engine = make_engine(database_url)
    try:
        with write_session(engine) as session:
            return repository.create_practice(
                session=session,
                practice_in=PracticeCreate(
                    slug=f"{prefix}-{uuid.uuid4().hex[:8]}",
                    title=title,
                    country=country,
                    summary=summary,
                    level=level,
                    actor_type=actor_type,
                    themes=["open-data"],
                    stage=v.Stage.implementing,
                    sample=True,
                    workflow=v.Workflow.published,
                ),
            )
    finally:
        engine.dispose()


# Fictional commitments (marked TEST DATA) covering what the commitment pages must show: numbers
# that sort naturally only as numbers, dates at every precision, a state for an end date, every
# rating scale, values kept as written, Cyrillic and hostile text.
LONG_TEXT = "\n\n".join(
    f"TEST DATA paragraph {n}: the fictional ministry publishes the register of contracts "
    "each quarter and reports on its progress to the public. " * 6
    for n in range(1, 41)
)


def sample_commitments() -> list[dict[str, object]]:
    """Field values of fictional commitments, for Commitment(**values)."""
    import datetime as dt

    return [
        dict(
            identifier="AL8010",
            country_code="AL",
            action_plan="AL 2014-2016",
            commitment_number="10.1",
            title="TEST DATA: Open contracting register",
            text="TEST DATA. First paragraph.\nSecond paragraph.",
            lead_institution="Fictional Public Procurement Agency",
            start_date=dt.date(2021, 1, 1),
            start_precision=v.DatePrecision.quarter,
            end_date=dt.date(2013, 1, 1),
            end_precision=v.DatePrecision.year,
            ogp_values=["access_to_information"],
            policy_areas=["Open Data", "Public Procurement"],
            potential_impact=v.PotentialImpact.moderate,
            completion_end=v.Completion.substantial,
            did_it_open_government=v.OpenedGovernment.marginal,
            starred=False,
        ),
        dict(
            identifier="AL8002",
            country_code="AL",
            action_plan="AL 2014-2016",
            commitment_number="2.1",
            title="TEST DATA: Right to information portal",
            short_title="RTI portal (test)",
            text=LONG_TEXT,
            lead_institution="Fictional Ministry of Information",
            supporting_institutions="Fictional CSO network; Fictional Ombudsman",
            start_date=dt.date(2013, 7, 9),
            start_precision=v.DatePrecision.day,
            end_date=dt.date(2014, 6, 1),
            end_precision=v.DatePrecision.month,
            ogp_values=["access_to_information", "civic_participation"],
            policy_areas=["Right To Information"],
            potential_impact=v.PotentialImpact.transformative,
            completion_midterm=v.Completion.limited,
            completion_end=v.Completion.complete,
            did_it_open_government=v.OpenedGovernment.outstanding,
            starred=True,
            url="https://www.opengovpartnership.org/members/test-data/commitments/AL8002/",
        ),
        dict(
            identifier="AL8003",
            country_code="AL",
            action_plan="AL 2016-2018",
            commitment_number="3a",
            title="TEST DATA: Budget in open formats",
            start_date=dt.date(2015, 3, 1),
            start_precision=v.DatePrecision.season,
            ongoing=True,
            policy_areas=["Fiscal Openness"],
            did_it_open_government=v.OpenedGovernment.no_early_results,
            potential_for_results=v.PotentialForResults.substantial,
        ),
        dict(
            identifier="AL8004",
            country_code="AL",
            action_plan="AL 2016-2018",
            commitment_number="3",
            title="TEST DATA: Budget hearings",
            as_written={
                "Did It Open Government (Overall)": "Somewhat better",
                "Completion (End Of Term)": "Mostly done",
                "Start Date": "after the elections",
                "Theme": '=HYPERLINK("http://evil.example")',
            },
            url="javascript:alert(1)",
        ),
        dict(
            identifier="RS8001",
            country_code="RS",
            action_plan="RS 2016-2018",
            commitment_number="1",
            title="TEST DATA: Отворени подаци за буџет",
            text="TEST DATA. Министарство финансија објављује буџет. Čačak, Đurđevdan.",
            lead_institution="Министарство финансија (test)",
            ogp_values=["public_accountability"],
            policy_areas=["Open Data"],
            potential_impact=v.PotentialImpact.minor,
            completion_end=v.Completion.not_started,
            did_it_open_government=v.OpenedGovernment.did_not_change,
            starred=False,
        ),
        dict(
            identifier="GE8001",
            country_code="GE",
            action_plan="GE Tbilisi 2018-2020",
            commitment_number="1.2",
            title="TEST DATA: <script>alert(1)</script> **not bold** [a](http://x.example)",
            text="<img src=x onerror=alert(1)>\n\n# not a heading",
            lead_institution="=cmd|' /C calc'!A0",
            potential_for_results=v.PotentialForResults.modest,
        ),
    ]


def add_sample_commitments(engine: "Engine") -> list[str]:
    """Store the fictional commitments; returns their identifiers."""
    from forumdash.models import Commitment

    with write_session(engine) as session:
        for values in sample_commitments():
            session.add(Commitment(**values))  # type: ignore[arg-type]
    return [str(values["identifier"]) for values in sample_commitments()]
