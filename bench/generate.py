"""Generate an SQLite file of realistic synthetic practices with the product's own schema.

    python bench/generate.py --rows 100000 [--seed 1] [--force]

The schema is made by `forumdash.db.migrate` (tables, indexes, triggers and the search term
table are the product's own); the rows go in with `executemany` in batches of 5,000 inside
transactions. The search columns and the index terms (`practice_search_term`) are computed with
`forumdash.search.indexed_practice`, exactly as `repository.create_practice` does. Files are
cached under bench/.cache (or $FORUMDASH_BENCH_CACHE) keyed by rows, seed and generator version.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import multiprocessing
import os
import random
import sqlite3
import sys
import time
from pathlib import Path

import words as w

from forumdash import vocab as v
from forumdash.db import make_engine, migrate
from forumdash.search import indexed_practice, stored_terms

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = ROOT / "data"
GENERATOR_VERSION = 2
BATCH = 5_000

RARE_TERM = "zvrkgrad"  # a made-up village: planted in 1 practice in 2,000 (0.05%)
RARE_EVERY = 2_000
COMMON_TERM = "budget"  # planted in ~20% of the practices (40% of the English ones)
BUDGET_SHARE = 0.40
WORD_FORMS_SHARE = 0.15  # practices with a planted word form, host name, link or hyphenation

PRACTICE_COLUMNS = [
    "id",
    "slug",
    "title",
    "summary",
    *(key for key, _ in v.BODY_SECTIONS),
    "country_code",
    "level",
    "lead_institution",
    "partners",
    "actor_type",
    "stage",
    "start_year",
    "start_date",
    "end_date",
    "ongoing",
    "action_plan",
    "commitment_ref",
    "completion",
    "potential_impact",
    "early_results",
    "rated_by",
    "evidence_level",
    "evidence_links",
    "transferability",
    "transfer_conditions",
    "adapted_from_id",
    "contact",
    "sources",
    "original_language",
    "search_title",
    "search_text",
    "search_length",
    "workflow",
    "rejection_reason",
    "is_sample",
    "published_at",
    "created_by_id",
    "created_at",
    "updated_by_id",
    "updated_at",
]


def _weighted(weights: dict) -> tuple[list, list[float]]:
    keys = list(weights)
    total, cum = 0.0, []
    for key in keys:
        total += weights[key]
        cum.append(total)
    return keys, cum


# Single-valued vocabularies; None = not assessed (assessment columns are often NULL).
DISTRIBUTIONS = {
    "level": {"local": 35, "regional": 15, "national": 40, "multinational": 10},
    "actor_type": {
        "government": 45,
        "cso": 30,
        "parliament": 7,
        "joint": 13,
        "international_partner": 5,
    },
    "stage": {
        "identifying_problems": 8,
        "generating_ideas": 10,
        "developing_proposals": 14,
        "implementing": 38,
        "evaluating": 18,
        "diffusing_lessons": 12,
    },
    "completion": {
        None: 50,
        "no_evidence": 5,
        "not_started": 5,
        "limited": 15,
        "substantial": 15,
        "complete": 10,
    },
    "potential_impact": {None: 55, "none": 3, "minor": 12, "moderate": 20, "transformative": 10},
    "early_results": {
        None: 65,
        "worsened": 2,
        "did_not_change": 8,
        "marginal": 13,
        "major": 9,
        "outstanding": 3,
    },
    "evidence_level": {
        None: 45,
        "none": 5,
        "anecdotal": 15,
        "monitoring_data": 18,
        "independent_review": 10,
        "formal_evaluation": 7,
    },
    "rated_by": {"self": 50, "cso": 20, "irm": 30},
    "status": {"published": 90, "draft": 4, "submitted": 3, "rejected": 2, "in_review": 1},
    "theme_count": {1: 45, 2: 35, 3: 20},
    "value_count": {1: 45, 2: 35, 3: 20},
    "outcome_count": {0: 40, 1: 40, 2: 20},
    "section_count": {3: 25, 4: 30, 5: 25, 6: 20},
    "value": {
        "civic_participation": 35,
        "access_to_information": 30,
        "public_accountability": 25,
        "technology_innovation": 10,
    },
    "theme": {
        "political-commitment-eu-accession": 4,
        "open-data": 12,
        "public-services": 9,
        "safer-communities": 3,
        "anti-corruption": 10,
        "open-budgets": 9,
        "legislative-openness": 6,
        "access-to-information": 10,
        "civic-participation": 11,
        "justice": 5,
        "migration-refugees": 2,
        "local-government": 9,
        "digital-government": 9,
        "other": 1,
    },
    "start_year": {year: 1 + (year - 2010) for year in range(2010, 2027)} | {None: 3},
}
for _key in v.OutcomeArea.values():
    DISTRIBUTIONS.setdefault("outcome", {})[_key] = 1
WEIGHTED = {name: _weighted(dist) for name, dist in DISTRIBUTIONS.items()}
COUNTRIES = _weighted(w.COUNTRY_WEIGHTS)
LANGUAGE_OF = {code: _weighted(langs) for code, langs in w.COUNTRY_LANGUAGES.items()}
SQL_TS = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DateTime in SQLite
END = dt.datetime(2026, 11, 20, 18, 0, 0)


def pick(rng: random.Random, name: str):
    keys, cum = WEIGHTED[name]
    return rng.choices(keys, cum_weights=cum)[0]


def pick_distinct(rng: random.Random, name: str, count: int) -> list:
    chosen: list = []
    while len(chosen) < count:
        value = pick(rng, name)
        if value not in chosen:
            chosen.append(value)
    return chosen


class Writer:
    """Sentences, titles and paragraphs in one language of the region."""

    def __init__(self, language: str, rng: random.Random, pool_size: int = 600):
        self.language = language
        lexicon = w.LANGUAGES[language]
        self.nouns = [x.replace("_", " ") for x in lexicon["nouns"]] + lexicon["phrases"]
        self.verbs = lexicon["verbs"]
        self.adjectives = [x.replace("_", " ") for x in lexicon["adjectives"]]
        self.connectors = lexicon["connectors"]
        self.budget = w.BUDGET[language]
        self.word_forms = w.WORD_FORMS[language]
        self.pool = [self.sentence(rng) for _ in range(pool_size)]

    def _clause(self, rng: random.Random) -> list[str]:
        out = []
        if rng.random() < 0.5:
            out.append(rng.choice(self.adjectives))
        out.append(rng.choice(self.nouns))
        out.append(rng.choice(self.verbs))
        if rng.random() < 0.4:
            out.append(rng.choice(self.adjectives))
        out.append(rng.choice(self.nouns))
        for _ in range(rng.randint(1, 3)):
            out.append(rng.choice(self.connectors))
            out.append(rng.choice(self.nouns))
        return out

    def sentence(self, rng: random.Random, extra: list[str] | None = None) -> str:
        parts = self._clause(rng)
        if rng.random() < 0.3:
            parts += [rng.choice(self.connectors), *self._clause(rng)]
        if extra:
            for word in extra:
                parts.insert(rng.randint(1, len(parts)), word)
        if rng.random() < 0.15:
            parts.insert(rng.randint(1, len(parts)), str(rng.randint(2, 2500) * 100))
        text = " ".join(parts)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, rng: random.Random, low: int, high: int, extra: list[str]) -> str:
        """Sentences (mostly from the pool) until the text is between low and high chars."""
        target = rng.randint(low, high)
        out: list[str] = []
        length = 0
        while length < target:
            if extra and (not out or rng.random() < 0.5):
                sentence = self.sentence(rng, [extra.pop()])
            else:
                sentence = rng.choice(self.pool)
            if out and length + len(sentence) + 1 > high:
                if length >= low:
                    break
                sentence = sentence[: max(10, high - length - 2)].rstrip() + "."
            out.append(sentence)
            length += len(sentence) + 1
        return " ".join(out)

    def title(self, rng: random.Random, place: str, extra: list[str]) -> str:
        target = rng.randint(60, 90)
        parts = [rng.choice(self.adjectives), rng.choice(self.nouns)]
        if extra:
            parts.append(extra.pop())
        tail = [rng.choice(self.connectors), place]
        room = target - len(" ".join(tail)) - 1
        while len(" ".join(parts)) < room:
            parts += [rng.choice(self.connectors), rng.choice(self.nouns)]
        while len(parts) > 2 and len(" ".join(parts + tail)) > 90:
            parts.pop()
        text = " ".join(parts + tail)
        return text[0].upper() + text[1:]


def _place(rng: random.Random, country: str, language: str) -> str:
    place = rng.choice(w.PLACES[country])
    if language == "sr-Cyrl":
        place = w.to_cyrillic(place)
    return place


def _timestamp(rng: random.Random, start_year: int | None) -> dt.datetime:
    first = dt.datetime(max(start_year or 2012, 2012), 1, 1)
    span = int((END - first).total_seconds())
    return first + dt.timedelta(seconds=rng.randint(0, max(span, 1)))


def make_chunk(args: tuple[int, int, int]) -> tuple[list, list, list, list, list]:
    """Rows of practices first_id .. first_id+count-1, with their theme/value/outcome links and
    their search terms."""
    seed, first_id, count = args
    rng = random.Random(f"{seed}:{first_id}")
    writers = {lang: Writer(lang, rng) for lang in w.LANGUAGES}
    practices, themes, values, outcomes, terms = [], [], [], [], []
    for pid in range(first_id, first_id + count):
        country = rng.choices(COUNTRIES[0], cum_weights=COUNTRIES[1])[0]
        keys, cum = LANGUAGE_OF[country]
        language = rng.choices(keys, cum_weights=cum)[0]
        writer = writers[language]
        place = _place(rng, country, language)
        budget = rng.random() < BUDGET_SHARE
        extra_title = [rng.choice(writer.budget)] if budget and rng.random() < 0.4 else []
        extra_summary = [rng.choice(writer.budget)] if budget else []
        title = writer.title(rng, place, extra_title)
        summary = writer.paragraph(rng, 250, 400, extra_summary + [place])

        sections = rng.sample([key for key, _ in v.BODY_SECTIONS], pick(rng, "section_count"))
        rare_at = sections[0] if pid % RARE_EVERY == 7 % RARE_EVERY else None
        body = {}
        for key, _ in v.BODY_SECTIONS:
            if key not in sections:
                body[key] = ""
                continue
            extra = [rng.choice(writer.budget)] if budget and rng.random() < 0.5 else []
            if rng.random() < WORD_FORMS_SHARE / len(sections):
                extra.append(rng.choice(writer.word_forms))
            if key == rare_at:
                extra.append(w.to_cyrillic("Zvrkgrad") if "Cyrl" in language else "Zvrkgrad")
            body[key] = writer.paragraph(rng, 150, 500, extra)

        institution = rng.choice(w.INSTITUTIONS[language]).format(place=place)
        partners = ", ".join(rng.sample(w.PARTNERS, rng.randint(0, 3)))
        fields = {"summary": summary, **body, "lead_institution": institution, "partners": partners}
        indexed = indexed_practice(title, fields, language)
        terms.extend(tuple(row.values()) for row in stored_terms(pid, indexed))

        start_year = pick(rng, "start_year")
        start_date = (
            dt.date(start_year, rng.randint(1, 12), rng.randint(1, 28)).isoformat()
            if start_year and rng.random() < 0.6
            else None
        )
        ongoing = start_date is not None and rng.random() < 0.5
        end_date = None
        if start_date and not ongoing and rng.random() < 0.5 and start_year < 2026:
            end_date = dt.date(rng.randint(start_year + 1, 2026), rng.randint(1, 12), 15)
            end_date = end_date.isoformat()
        assessment = {
            name: pick(rng, name)
            for name in ("completion", "potential_impact", "early_results", "evidence_level")
        }
        rated_by = pick(rng, "rated_by") if any(assessment.values()) else None
        status = pick(rng, "status")
        published = _timestamp(rng, start_year) if status == "published" else None
        created = (published or _timestamp(rng, start_year)) - dt.timedelta(days=rng.randint(1, 60))
        updated = published or created
        action_plan = f"{country} NAP {rng.randint(1, 6)}" if rng.random() < 0.4 else ""
        sources = json.dumps(
            [
                {
                    "title": f"{institution}: report {rng.randint(2012, 2026)}",
                    "url": f"https://example.org/{country.lower()}/{pid}",
                }
            ]
        )
        practices.append(
            (
                pid,
                f"{country.lower()}-practice-{pid}",
                title,
                summary,
                *body.values(),
                country,
                pick(rng, "level"),
                institution,
                partners,
                pick(rng, "actor_type"),
                pick(rng, "stage"),
                start_year,
                start_date,
                end_date,
                int(ongoing),
                action_plan,
                f"{country}{rng.randint(1, 40):04d}" if action_plan else "",
                assessment["completion"],
                assessment["potential_impact"],
                assessment["early_results"],
                rated_by,
                assessment["evidence_level"],
                "[]",
                "",
                "",
                None,
                "",
                sources,
                language,
                indexed.title_words,
                indexed.body_words,
                indexed.length,
                status,
                "Out of scope." if status == "rejected" else "",
                0,
                published.strftime(SQL_TS) if published else None,
                None,
                created.strftime(SQL_TS),
                None,
                updated.strftime(SQL_TS),
            )
        )
        theme_count = pick(rng, "theme_count")
        chosen = ["open-budgets"] if budget and rng.random() < 0.6 else []
        while len(chosen) < theme_count:
            theme = pick(rng, "theme")
            if theme not in chosen:
                chosen.append(theme)
        themes.extend((pid, theme) for theme in chosen)
        values.extend(
            (pid, value) for value in pick_distinct(rng, "value", pick(rng, "value_count"))
        )
        outcomes.extend(
            (pid, area) for area in pick_distinct(rng, "outcome", pick(rng, "outcome_count"))
        )
    return practices, themes, values, outcomes, terms


def cache_dir() -> Path:
    return Path(os.environ.get("FORUMDASH_BENCH_CACHE", BENCH / ".cache"))


def cached_path(rows: int, seed: int = 1) -> Path:
    return cache_dir() / f"practices-{rows}-seed{seed}-v{GENERATOR_VERSION}.db"


def _reference_rows(conn: sqlite3.Connection) -> None:
    with (DATA / "countries.csv").open(encoding="utf-8", newline="") as handle:
        countries = list(csv.DictReader(handle))
    with (DATA / "themes.csv").open(encoding="utf-8", newline="") as handle:
        themes = list(csv.DictReader(handle))
    conn.executemany(
        "INSERT INTO country (code, name_en, name_local, region_group, sort_order) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            (c["code"], c["name_en"], c["name_local"], c["region_group"], int(c["sort_order"]))
            for c in countries
        ],
    )
    conn.executemany(
        "INSERT INTO theme (slug, name, grand_challenge, sort_order) VALUES (?, ?, ?, ?)",
        [(t["slug"], t["name"], t["grand_challenge"], int(t["sort_order"])) for t in themes],
    )


def generate(path: str | Path, rows: int, seed: int = 1, *, workers: int = 2) -> dict:
    """Create `path` with `rows` synthetic practices; return timings and sizes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()

    ctx = multiprocessing.get_context("fork")
    pool = ctx.Pool(processes=max(1, workers))  # forked before any connection is open
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-262144")
    conn.execute("BEGIN")
    _reference_rows(conn)
    conn.execute("COMMIT")

    columns = ", ".join(f'"{c}"' for c in PRACTICE_COLUMNS)
    marks = ", ".join("?" * len(PRACTICE_COLUMNS))
    insert_practice = f"INSERT INTO practice ({columns}) VALUES ({marks})"
    chunks = [(seed, first, min(BATCH, rows - first + 1)) for first in range(1, rows + 1, BATCH)]
    done = 0
    last_report = time.perf_counter()
    with pool:
        for practices, themes, values, outcomes, terms in pool.imap(make_chunk, chunks):
            conn.execute("BEGIN")
            conn.executemany(insert_practice, practices)
            conn.executemany(
                "INSERT INTO practice_search_term (token, practice_id, frequency, length) "
                "VALUES (?, ?, ?, ?)",
                sorted(terms),  # in key order: the table is clustered on it
            )
            conn.executemany("INSERT INTO practice_theme VALUES (?, ?)", themes)
            conn.executemany("INSERT INTO practice_value VALUES (?, ?)", values)
            conn.executemany("INSERT INTO practice_outcome VALUES (?, ?)", outcomes)
            conn.execute("COMMIT")
            done += len(practices)
            if time.perf_counter() - last_report > 15:
                last_report = time.perf_counter()
                rate = done / (last_report - started)
                print(f"  {done:,} / {rows:,} practices, {rate:,.0f} rows/s", flush=True)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    seconds = time.perf_counter() - started
    size = path.stat().st_size
    return {
        "rows": rows,
        "seconds": round(seconds, 1),
        "rows_per_s": round(rows / seconds),
        "bytes": size,
        "path": str(path),
    }


def ensure(rows: int, seed: int = 1, *, force: bool = False) -> tuple[Path, dict | None]:
    """The cached file for (rows, seed), generated if missing; stats when it was generated."""
    path = cached_path(rows, seed)
    if path.exists() and not force:
        # A cached file made before a newer migration: bring it to the head revision the way
        # the product brings any existing database (its own `migrate`).
        engine = make_engine(f"sqlite:///{path}")
        migrate(engine)
        engine.dispose()
        return path, None
    partial = path.with_suffix(".partial.db")
    stats = generate(partial, rows, seed)
    partial.replace(path)
    stats["path"] = str(path)
    return path, stats


def describe(stats: dict) -> str:
    return (
        f"generated {stats['rows']:,} practices in {stats['seconds']:.1f} s "
        f"({stats['rows_per_s']:,} rows/s), file {stats['bytes'] / 1e6:,.1f} MB: {stats['path']}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="regenerate even if cached")
    args = parser.parse_args(argv)
    path, stats = ensure(args.rows, args.seed, force=args.force)
    if stats:
        print(describe(stats))
    else:
        print(f"cached: {path} ({path.stat().st_size / 1e6:,.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
