"""Load the reviewed seed content of data/ into a database, idempotently."""

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from forumdash import repository
from forumdash import vocab as v
from forumdash.db import write_session
from forumdash.models import (
    Challenge,
    ChallengeCreate,
    Country,
    Milestone,
    MilestoneCreate,
    Practice,
    PracticeCreate,
    Theme,
)

# libyaml's loader when PyYAML has it (ten times faster), else the pure-Python one; both safe.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SeedError(ValueError):
    """The seed files are invalid; the message lists every problem."""


@dataclass
class SeedReport:
    inserted: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.inserted.values())


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _read_yaml(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_LOADER) or []
    if not isinstance(data, list):
        raise SeedError(f"{path.name}: expected a list of records")
    return data


def _validate(
    model: type[BaseModel],
    records: list[dict[str, Any]],
    name: str,
    defaults: dict[str, Any] | None = None,
) -> list[Any]:
    valid, problems = [], []
    for number, record in enumerate(records, start=1):
        try:
            given = (defaults or {}) | record if isinstance(record, dict) else record
            valid.append(model.model_validate(given))
        except ValidationError as exc:
            slug = record.get("slug", "?") if isinstance(record, dict) else "?"
            reasons = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'record'}: {err['msg']}"
                for err in exc.errors()
            )
            problems.append(f"{name} record {number} ({slug}): {reasons}")
    if problems:
        raise SeedError("\n".join(problems))
    return valid


PUBLISHED = {"workflow": v.Workflow.published.value}


def read_seed(data_dir: Path) -> dict[str, list[Any]]:
    """Every seed record, validated; raises SeedError listing all problems."""
    return {
        "countries": _read_csv(data_dir / "countries.csv"),
        "themes": _read_csv(data_dir / "themes.csv"),
        "milestones": _validate(
            MilestoneCreate, _read_yaml(data_dir / "milestones.yaml"), "milestones.yaml"
        ),
        # The seed is reviewed content (data/README.md): published, unless a record says otherwise.
        # The schemas themselves default to draft, so that no other caller skips review.
        "practices": _validate(
            PracticeCreate, _read_yaml(data_dir / "practices.yaml"), "practices.yaml", PUBLISHED
        ),
        "challenges": _validate(
            ChallengeCreate, _read_yaml(data_dir / "challenges.yaml"), "challenges.yaml", PUBLISHED
        ),
    }


def _practice_order(practices: list[PracticeCreate]) -> list[PracticeCreate]:
    """Practices ordered so that one adapted from another comes after it."""
    by_slug = {p.slug: p for p in practices}
    ordered: list[PracticeCreate] = []
    seen: set[str] = set()

    def visit(practice: PracticeCreate, trail: tuple[str, ...]) -> None:
        if practice.slug in seen:
            return
        if practice.slug in trail:
            raise SeedError(f"practices.yaml: adapted_from loops through {practice.slug!r}")
        parent = by_slug.get(practice.adapted_from or "")
        if parent is not None:
            visit(parent, (*trail, practice.slug))
        seen.add(practice.slug)
        ordered.append(practice)

    for practice in practices:
        visit(practice, ())
    return ordered


def load_seed(engine: Engine, data_dir: Path) -> SeedReport:
    """Insert the seed records that are missing (by code, slug); existing rows are left alone."""
    seed = read_seed(data_dir)
    report = SeedReport()
    with write_session(engine) as session:
        report.inserted["countries"] = _insert_missing_countries(session, seed["countries"])
        report.inserted["themes"] = _insert_missing_themes(session, seed["themes"])
        existing = set(session.exec(select(Milestone.slug)).all())
        report.inserted["milestones"] = 0
        for milestone in seed["milestones"]:
            if milestone.slug not in existing:
                repository.create_milestone(session=session, milestone_in=milestone)
                report.inserted["milestones"] += 1
        existing = set(session.exec(select(Practice.slug)).all())
        report.inserted["practices"] = 0
        for practice in _practice_order(seed["practices"]):
            if practice.slug not in existing:
                repository.create_practice(session=session, practice_in=practice)
                report.inserted["practices"] += 1
        existing = set(session.exec(select(Challenge.slug)).all())
        report.inserted["challenges"] = 0
        for challenge in seed["challenges"]:
            if challenge.slug not in existing:
                repository.create_challenge(session=session, challenge_in=challenge)
                report.inserted["challenges"] += 1
    return report


def _insert_missing_countries(session: Session, rows: list[dict[str, str]]) -> int:
    existing = set(session.exec(select(Country.code)).all())
    new = [row for row in rows if row["code"] not in existing]
    session.add_all(
        Country(
            code=row["code"],
            name_en=row["name_en"],
            name_local=row["name_local"],
            region_group=v.RegionGroup(row["region_group"]),
            sort_order=int(row["sort_order"]),
        )
        for row in new
    )
    session.flush()
    return len(new)


def _insert_missing_themes(session: Session, rows: list[dict[str, str]]) -> int:
    existing = set(session.exec(select(Theme.slug)).all())
    new = [row for row in rows if row["slug"] not in existing]
    session.add_all(
        Theme(
            slug=row["slug"],
            name=row["name"],
            grand_challenge=v.GrandChallenge(row["grand_challenge"]),
            sort_order=int(row["sort_order"]),
        )
        for row in new
    )
    session.flush()
    return len(new)


def is_empty(engine: Engine) -> bool:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Country)).one() == 0
