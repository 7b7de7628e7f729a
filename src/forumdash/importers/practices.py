"""Practices from the bulk-entry template (CSV or XLSX) or from JSON, upserted by slug.

The template has the export's columns (forumdash.export.HEADERS, so that an export can be imported
again) plus Slug, the stable identifier, and Adapted from. Vocabulary cells take the stored value
or the label people see; lists are separated by "; "; a source is "title <url>". Every row is
validated before anything is written, and everything is written in one transaction.
"""

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from forumdash import export, repository
from forumdash import vocab as v
from forumdash.db import read_session, write_session
from forumdash.folding import fold
from forumdash.i18n import (
    N_,
    TAGS,
    _,
    current,
    format_number,
    language,
    language_name,
    ngettext,
    parse_tag,
)
from forumdash.importers import store
from forumdash.importers.countries import country_code
from forumdash.importers.progress import ProgressCallback, ProgressReporter
from forumdash.importers.report import ImportReport
from forumdash.importers.sniff import JSON_TOO_DEEP, InvalidFile, decode_text, normalise_header
from forumdash.importers.tables import read_csv, read_xlsx
from forumdash.models import (
    BODY_LIMIT,
    PRACTICE_TRANSLATED,
    ChallengeCreate,
    Practice,
    PracticeCreate,
)
from forumdash.repository.translations import stored_translations
from forumdash.text import clean_text, has_lone_surrogate

# The template's headers are English in every file (they must re-import); they are marked with
# N_() so that the mapping on /review can show each field's name in the visitor's language.
SLUG_HEADER = N_("Slug")
ADAPTED_FROM_HEADER = N_("Adapted from")
SHEET = "Practices"
EXAMPLE_SLUG = "example-sample-practice"
IMPORT_WORKFLOWS = (v.Workflow.draft, v.Workflow.submitted, v.Workflow.published)

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


# --------------------------------------------------------------------------- columns

# Every column of the export, by the key of the value it carries.
_EXPORT_KEYS = {
    N_("ID"): "id",
    N_("Link"): "link",
    N_("Title"): "title",
    N_("Country code"): "country",
    N_("Country"): "country_name",
    N_("Summary"): "summary",
    **{heading: key for key, heading in v.BODY_SECTIONS},
    N_("Level of government"): "level",
    N_("Lead institution"): "lead_institution",
    N_("Partners"): "partners",
    N_("Actor type"): "actor_type",
    N_("Themes"): "themes",
    N_("OGP values"): "ogp_values",
    N_("Outcome areas"): "outcome_areas",
    N_("Stage"): "stage",
    N_("Start year"): "start_year",
    N_("Start date"): "start_date",
    N_("End date"): "end_date",
    N_("Ongoing"): "ongoing",
    N_("Action plan"): "action_plan",
    N_("Commitment"): "commitment_ref",
    N_("Completion"): "completion",
    N_("Potential impact"): "potential_impact",
    N_("Early results"): "early_results",
    N_("Rated by"): "rated_by",
    N_("Evidence level"): "evidence_level",
    N_("Evidence links"): "evidence_links",
    N_("Transferability"): "transferability",
    N_("Conditions for transfer"): "transfer_conditions",
    N_("Contact"): "contact",
    N_("Sources"): "sources",
    N_("Original language"): "original_language",
    N_("Sample"): "sample",
    N_("Published at (UTC)"): "published_at",
}
HEADER_KEYS = {SLUG_HEADER: "slug", **_EXPORT_KEYS, ADAPTED_FROM_HEADER: "adapted_from"}
KEY_HEADERS = {key: header for header, key in HEADER_KEYS.items()}

TEMPLATE_HEADERS = [
    *([] if SLUG_HEADER in export.HEADERS else [SLUG_HEADER]),
    *export.HEADERS,
    *([] if ADAPTED_FROM_HEADER in export.HEADERS else [ADAPTED_FROM_HEADER]),
]

BODY_KEYS = [key for key, _heading in v.BODY_SECTIONS]
ASSESSMENT_KEYS = ["completion", "potential_impact", "early_results", "rated_by", "evidence_level"]
TEXT_KEYS = [
    "title",
    "summary",
    *BODY_KEYS,
    "lead_institution",
    "partners",
    "action_plan",
    "commitment_ref",
    "transferability",
    "transfer_conditions",
    "contact",
    "original_language",
]
VOCABULARIES: dict[str, type[v.Vocab]] = {
    "level": v.GovLevel,
    "actor_type": v.ActorType,
    "stage": v.Stage,
    "completion": v.Completion,
    "potential_impact": v.PotentialImpact,
    "early_results": v.EarlyResults,
    "rated_by": v.RatedBy,
    "evidence_level": v.EvidenceLevel,
}
LIST_VOCABULARIES: dict[str, type[v.Vocab]] = {
    "ogp_values": v.OgpValue,
    "outcome_areas": v.OutcomeArea,
}
REQUIRED_KEYS = ["title", "country", "summary", "level", "actor_type", "themes", "stage"]

# Header spellings accepted besides the template's: the JSON export's and PracticeCreate's keys.
_ALIASES: dict[str, str] = {}
for _header, _key in HEADER_KEYS.items():
    _ALIASES[normalise_header(_header)] = _key
    _ALIASES.setdefault(normalise_header(_key), _key)
_ALIASES.update(
    {
        normalise_header(alias): key
        for alias, key in [
            ("country_code", "country"),
            ("url", "link"),
            ("adapted_from_id", "adapted_from_id"),
            ("status", "workflow"),  # exports made before the rename
            ("workflow", "workflow"),
            ("is_sample", "sample"),
        ]
    }
)

# Where a value lands in a table column with a length limit (checked here: SQLite would not).
_LIMITS = {
    key: Practice.__table__.c[key].type.length  # type: ignore[attr-defined]  # SQLAlchemy sets __table__; SQLModel does not declare it
    for key in ["slug", *TEXT_KEYS]
    if key in Practice.__table__.c and getattr(Practice.__table__.c[key].type, "length", None)  # type: ignore[attr-defined]  # SQLAlchemy sets __table__; SQLModel does not declare it
}


@dataclass(frozen=True)
class Context:
    """What the database holds that rows may refer to; empty mappings accept anything."""

    countries: Mapping[str, str] = field(default_factory=dict)  # code -> English name
    themes: Mapping[str, str] = field(default_factory=dict)  # slug -> name
    slug_by_id: Mapping[int, str] = field(default_factory=dict)
    adapted_from: Mapping[str, str | None] = field(default_factory=dict)  # every stored slug
    country_by_slug: Mapping[str, str] = field(default_factory=dict)

    @property
    def slugs(self) -> set[str]:
        return set(self.adapted_from) | set(self.slug_by_id.values())


def load_context(session: Session) -> Context:
    """Countries, themes and practice slugs of the database."""
    rows = store.practice_references(session=session)
    slug_by_id = {practice_id: slug for practice_id, slug, _country, _parent in rows}
    return Context(
        countries={c.code: c.name_en for c in repository.list_countries(session=session)},
        themes=repository.theme_names(session=session),
        slug_by_id=slug_by_id,
        adapted_from={slug: slug_by_id.get(parent or 0) for _id, slug, _country, parent in rows},
        country_by_slug={slug: country for _id, slug, country, _parent in rows},
    )


# --------------------------------------------------------------------------- translations

# A translated field's key among a row's values: `translations.sq.title` (the export's column
# `title_sq`, or the JSON export's `translations: {"sq": {"title": ...}}`).
_TRANSLATED = "translations."


def translation_key(header: object, fields: tuple[str, ...] = PRACTICE_TRANSLATED) -> str | None:
    """The key of a translation column (`title_sq`, `Problem_purpose_SR-latn`), or None for
    any other column."""
    field, _sep, language = normalise_header(header).rpartition(" ")
    tag = parse_tag(language)
    name = field.replace(" ", "_")
    if tag is None or name not in fields:
        return None
    return f"{_TRANSLATED}{tag}.{name}"


def _json_translations(value: Any) -> dict[str, Any]:
    """The values of a JSON record's `translations` ({tag: {field: text, body: {...}}}) by
    key; a language that is not one of the forum's is given under its name, to be refused."""
    flat: dict[str, Any] = {}
    if not isinstance(value, dict):
        return {"translations": value}
    for given, translation in value.items():
        tag = parse_tag(given) or str(given)
        if not isinstance(translation, dict):
            flat[f"{_TRANSLATED}{tag}.title"] = translation
            continue
        for name_or_body, text in translation.items():
            nested = (
                text.items()
                if name_or_body == "body" and isinstance(text, dict)
                else [(name_or_body, text)]
            )
            for name, inner in nested:
                flat[f"{_TRANSLATED}{tag}.{name}"] = inner
    return flat


def gathered_translations(values: Mapping[str, Any]) -> dict[str, dict[str, str]] | None:
    """A row's translated fields as {tag: {field: text}} (a language whose cells are all empty
    has no translation), or None when the row has no translation column at all."""
    keys = [key for key in values if key.startswith(_TRANSLATED)]
    if not keys:
        return None
    texts: dict[str, dict[str, str]] = {}
    for key in keys:
        tag, _dot, field = key.removeprefix(_TRANSLATED).partition(".")
        text = clean_text(_as_text(values[key]))
        if text:
            texts.setdefault(tag, {})[field] = text
    return texts


# --------------------------------------------------------------------------- cells


class CellError(ValueError):
    """A cell that cannot be read; the message says why."""


def unquote(text: str) -> str:
    """The text without the ' that the export puts before text a spreadsheet could run."""
    if text.startswith("'") and export.neutralise(text[1:]) == text:
        return text[1:]
    return text


def _fold(text: str) -> str:
    """For matching a cell to a value or a label: case, script, diacritics, '_' and '-' aside."""
    return " ".join(fold(text).replace("_", " ").replace("-", " ").split())


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        raise CellError(_("expected text, not a list or an object"))
    return str(value)


def _choices(vocabulary: type[v.Vocab]) -> str:
    return ", ".join(member.label for member in vocabulary)


def parse_vocab(vocabulary: type[v.Vocab], value: Any) -> v.Vocab | None:
    """A vocabulary member from its stored value or its label, in any case; None if blank."""
    text = _as_text(value).strip()
    if not text:
        return None
    member = _spellings(vocabulary, current().tag).get(_fold(text))
    if member is None:
        raise CellError(
            _("{value} is not one of {choices}").format(
                value=repr(text), choices=_choices(vocabulary)
            )
        )
    return member


@functools.cache
def label_spellings(vocabulary: type[v.Vocab], tag: str) -> tuple[tuple[str, v.Vocab], ...]:
    """What a cell may write for each member, most telling first: its value, its English label
    (the template's), its label in the importer's language (`tag`), then its label in every other
    language (an export made in Albanian re-imports in English)."""
    found = [(member.value, member) for member in vocabulary]
    for language_tag in dict.fromkeys(["en", tag, *TAGS]):
        with language(language_tag):
            found += [(member.label, member) for member in vocabulary]
    return tuple(found)


@functools.cache
def _spellings(vocabulary: type[v.Vocab], tag: str) -> dict[str, v.Vocab]:
    """label_spellings folded, the first member of a spelling winning (keyed on the language,
    which decides which member a label two members share in some language goes to)."""
    found: dict[str, v.Vocab] = {}
    for spelling, member in label_spellings(vocabulary, tag):
        found.setdefault(_fold(spelling), member)
    return found


def _items(value: Any, separators: str = ";") -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    text = _as_text(value)
    pattern = "[" + re.escape(separators) + "]"
    return [item.strip() for item in re.split(pattern, text) if item.strip()]


def parse_vocab_list(vocabulary: type[v.Vocab], value: Any) -> list[v.Vocab]:
    """Members from "; "- or comma-separated values or labels (or a JSON list)."""
    members, bad = [], []
    for item in _items(value, ";,"):
        try:
            member = parse_vocab(vocabulary, item)
        except CellError:
            bad.append(_as_text(item))
            continue
        if member is not None:
            members.append(member)
    if bad:
        quoted = ", ".join(repr(b) for b in bad)
        raise CellError(
            ngettext(
                "{values} is not among {choices}", "{values} are not among {choices}", len(bad)
            ).format(values=quoted, choices=_choices(vocabulary))
        )
    return members


def parse_themes(value: Any, themes: Mapping[str, str]) -> list[str]:
    """Theme slugs from slugs or names; any slug is accepted when the themes are not known."""
    slugs, bad = [], []
    by_name = {_fold(slug): slug for slug in themes} | {_fold(n): s for s, n in themes.items()}
    for item in _items(value, ";,"):
        text = _as_text(item).strip()
        slug = by_name.get(_fold(text)) if themes else text
        if slug is None:
            bad.append(text)
        else:
            slugs.append(slug)
    if bad:
        quoted = ", ".join(repr(b) for b in bad)
        raise CellError(
            ngettext(
                "unknown theme {values}: use one of {themes}",
                "unknown themes {values}: use one of {themes}",
                len(bad),
            ).format(values=quoted, themes=", ".join(themes))
        )
    return slugs


def parse_country(value: Any, countries: Mapping[str, str]) -> str | None:
    """A country code from a code or a name of one of the forum's countries."""
    text = _as_text(value).strip()
    if not text:
        return None
    code = country_code(text)
    if code is None and countries:
        names = {_fold(name): c for c, name in countries.items()}
        code = names.get(_fold(text)) or (text.upper() if text.upper() in countries else None)
    if code is None or (countries and code not in countries):
        known = ", ".join(countries) if countries else _("the forum's country codes")
        raise CellError(
            _("{value} is not one of {choices}").format(value=repr(text), choices=known)
        )
    return code


_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0", ""}


def parse_bool(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = _as_text(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return None if not text else False
    raise CellError(_("{value} is not yes or no").format(value=repr(_as_text(value))))


def parse_year(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = _as_text(value).strip()
    if not re.fullmatch(r"\d{4}", text) or not 1900 <= int(text) <= 2100:
        raise CellError(_("{value} is not a year").format(value=repr(text)))
    return int(text)


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _as_text(value).strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?", text)
    try:
        if match is None:
            raise ValueError
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        raise CellError(
            _("{value} is not a date: write it as YYYY-MM-DD").format(value=repr(text))
        ) from None


# A link as the export writes it: "title <https://...>"; a ";" inside <...> does not split.
_LINK = re.compile(r"^(.*?)\s*<([^<>]*)>$", re.S)
_LINK_ITEMS = re.compile(r"(?:[^;<]|<[^>]*>?)+")


def parse_links(value: Any) -> list[dict[str, str]]:
    """Sources as "title <url>; title; <url>" (or a JSON list of {title, url} or strings)."""
    if isinstance(value, list):
        items: list[Any] = value
    else:
        items = [item.strip() for item in _LINK_ITEMS.findall(_as_text(value)) if item.strip()]
    links = []
    for item in items:
        if isinstance(item, dict):
            links.append({"title": item.get("title") or "", "url": item.get("url") or ""})
            continue
        text = _as_text(item).strip()
        match = _LINK.match(text)
        if match:
            title, url = match.group(1).strip(), match.group(2).strip()
            links.append({"title": title or url, "url": url})
        elif re.match(r"https?://\S+$", text, re.I):
            links.append({"title": text, "url": text})
        else:
            links.append({"title": text, "url": ""})
    return links


def parse_slug(value: Any, known: set[str]) -> str | None:
    text = _as_text(value).strip()
    if not text:
        return None
    if text in known:  # a stored slug is always accepted, whatever its spelling
        return text
    if len(text) > 120 or not SLUG_PATTERN.fullmatch(text):
        raise CellError(
            _(
                "{value} is not a slug: use up to 120 lowercase letters, digits and hyphens, "
                "like al-e-albania"
            ).format(value=repr(text))
        )
    return text


# --------------------------------------------------------------------------- reading


# A kind of record an import creates (PracticeCreate, ChallengeCreate).
R = TypeVar("R", PracticeCreate, ChallengeCreate)


@dataclass
class RecordFile(Generic[R]):
    """The rows of a file read as records, the bad rows, and notes for the report."""

    rows: list[tuple[int, R]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    row_label: str = "row"


PracticeFile = RecordFile[PracticeCreate]


@dataclass
class Records:
    """A file's rows as values by key (the importer's names), before they are read."""

    label: str
    shown: dict[str, str]  # key -> column name as the file writes it
    present: set[str]  # keys the file has a column for
    items: list[tuple[int, dict[str, Any]]]
    notes: list[str]
    quoted: bool  # cells may carry the export's neutralising '
    order: list[str]  # keys in the order the reasons of a bad row are given
    matched_by_id: int = 0  # rows without a slug, found by the ID of an export


def _table_records(data: bytes, fmt: str, progress: ProgressCallback | None = None) -> Records:
    if fmt == "xlsx":
        table = read_xlsx(data, SHEET, progress=progress)
    else:
        table = read_csv(data, HEADER_KEYS, progress=progress)
    shown: dict[str, str] = {}
    positions: list[tuple[int, str]] = []
    unknown: list[str] = []
    for index, header in enumerate(table.header):
        if not header:
            continue
        key = _ALIASES.get(normalise_header(header)) or translation_key(header)
        if key is None:
            unknown.append(header)
            continue
        if key in shown:
            raise InvalidFile(
                _("the columns {first} and {second} say the same thing").format(
                    first=repr(shown[key]), second=repr(header)
                )
            )
        shown[key] = header
        positions.append((index, key))
    missing = [KEY_HEADERS[key] for key in REQUIRED_KEYS if key not in shown]
    if "country" in missing and "country_name" in shown:
        missing.remove(KEY_HEADERS["country"])
    if "slug" not in shown and "id" not in shown:
        missing.insert(0, SLUG_HEADER)
    if missing:
        raise InvalidFile(
            _("the first row lacks the column(s) {columns}").format(columns=", ".join(missing))
        )
    notes = list(table.notes)
    if unknown:
        notes.append(
            _("ignored column(s) that are not in the template: {columns}").format(
                columns=", ".join(unknown)
            )
        )
    overflowing = set(table.overflowing)
    items = []
    for number, cells in table.rows:
        values: dict[str, Any] = {key: cells[index] for index, key in positions}
        if number in overflowing:
            values["__error"] = _("cells are filled beyond the last named column")
        items.append((number, values))
    return Records("row", shown, set(shown), items, notes, quoted=True, order=list(shown))


def _refuse_lone_surrogates(document: Any) -> None:
    """InvalidFile if a record's text holds half of a surrogate pair ("\\ud800"): json accepts
    it, but no database or export can store it, so nothing is imported."""
    records = document.get("practices") if isinstance(document, dict) else document
    if not isinstance(records, list):
        return  # not a file of practices: _json_records says so
    for number, record in enumerate(records, start=1):
        stack = [record]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                stack.extend(value.keys())
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, str) and has_lone_surrogate(value):
                raise InvalidFile(
                    _(
                        "record {number} holds a broken character: half of a UTF-16 surrogate "
                        "pair (such as \\ud800), which cannot be stored; nothing was imported"
                    ).format(number=number)
                )


def _json_records(data: bytes) -> Records:
    try:
        document = json.loads(decode_text(data).lstrip("\ufeff"))
    except RecursionError as exc:  # deeper than the interpreter's recursion limit
        raise InvalidFile(_(JSON_TOO_DEEP)) from exc
    except ValueError as exc:
        raise InvalidFile(_("the file is not valid JSON: {reason}").format(reason=exc)) from exc
    _refuse_lone_surrogates(document)
    if isinstance(document, dict) and isinstance(document.get("practices"), list):
        raw = document["practices"]
    elif isinstance(document, list):
        raw = document
    else:
        raise InvalidFile(
            _(
                "a JSON file of practices holds a list of practices, or an object with a "
                "'practices' list as the export writes it"
            )
        )
    items: list[tuple[int, dict[str, Any]]] = []
    present: set[str] = set()
    unknown: set[str] = set()
    for number, record in enumerate(raw, start=1):
        if not isinstance(record, dict):
            items.append((number, {"__error": _("not an object")}))
            continue
        flat: dict[str, Any] = {}
        for name, value in record.items():
            if name == "translations":
                flat.update(_json_translations(value))
                continue
            if name in ("body", "assessment") and isinstance(value, dict):
                nested: Iterable[tuple[Any, Any]] = value.items()
            else:
                nested = [(name, value)]
            for inner, inner_value in nested:
                key = _ALIASES.get(normalise_header(inner))
                if key is None:
                    unknown.add(inner)
                else:
                    flat[key] = inner_value
        present |= set(flat)
        items.append((number, flat))
    notes = (
        [_("ignored unknown key(s): {keys}").format(keys=", ".join(sorted(unknown)))]
        if unknown
        else []
    )
    order = [*HEADER_KEYS.values(), "adapted_from_id"]
    return Records("record", {}, present, items, notes, quoted=False, order=order)


def _reasons(exc: ValidationError) -> list[tuple[str, str]]:
    """(key, message) for each of pydantic's errors; the key is "" for the record as a whole."""
    reasons = []
    for error in exc.errors():
        location = [part for part in error["loc"] if part not in ("assessment", "body")]
        message = str(error["msg"]).removeprefix("Value error, ")
        if message == "Field required":
            message = _("required")
        if location and len(location) > 1 and isinstance(location[1], int):
            message = _("item {n}: {reason}").format(n=location[1] + 1, reason=message)
        if location[:1] == ["translations"] and len(location) > 2:
            # One translated field: named as its column (`title_sq`).
            location = [f"{_TRANSLATED}{location[1]}.{location[-1]}"]
        reasons.append((str(location[0]) if location else "", message))
    return reasons


def _as_id(value: Any) -> int | None:
    try:
        return int(_as_text(value).strip())
    except ValueError:
        return None


class Cells:
    """A row's cells read into values, with the reason for each cell that cannot be read; the
    practice and challenge importers read their rows through it."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.parsed: dict[str, Any] = {}
        self.problems: dict[str, str] = {}

    def read(self, key: str, parse: Callable[[Any], Any], into: str | None = None) -> None:
        """Parse one cell if the row has it; a CellError becomes that cell's problem."""
        if key not in self.values:
            return
        try:
            self.parsed[into or key] = parse(self.values[key])
        except CellError as exc:
            self.problems[key] = str(exc)

    @classmethod
    def read_common(
        cls,
        values: dict[str, Any],
        context: Context,
        text_keys: Iterable[str],
        vocabularies: Mapping[str, type[v.Vocab]],
        list_vocabularies: Mapping[str, type[v.Vocab]],
    ) -> "Cells":
        """The cells every record has alike: texts, vocabularies, themes and the country (by
        code, else by name)."""
        cells = cls(values)
        for key in text_keys:
            cells.read(key, _as_text)
        for key, vocabulary in vocabularies.items():
            cells.read(key, functools.partial(parse_vocab, vocabulary))
        for key, vocabulary in list_vocabularies.items():
            cells.read(key, functools.partial(parse_vocab_list, vocabulary))
        cells.read("themes", lambda x: parse_themes(x, context.themes))
        cells.read("country", lambda x: parse_country(x, context.countries))
        if cells.parsed.get("country") is None and "country" not in cells.problems:
            cells.read(
                "country_name", lambda x: parse_country(x, context.countries), into="country"
            )
        return cells


def _read_row(
    values: dict[str, Any],
    records: Records,
    context: Context,
    workflow: v.Workflow,
) -> tuple[PracticeCreate | None, dict[str, str]]:
    """One row as a PracticeCreate, or every reason it is not one (by key; "" for the row)."""
    if "__error" in values:
        return None, {"": values["__error"]}
    if records.quoted:
        values = {k: unquote(x) if isinstance(x, str) else x for k, x in values.items()}
    cells = Cells.read_common(values, context, TEXT_KEYS, VOCABULARIES, LIST_VOCABULARIES)
    parsed, problems, read = cells.parsed, cells.problems, cells.read
    read("start_year", parse_year)
    read("start_date", parse_date)
    read("end_date", parse_date)
    read("ongoing", parse_bool)
    read("sample", parse_bool)
    read("sources", parse_links)
    read("evidence_links", parse_links)
    known = context.slugs
    read("slug", lambda x: parse_slug(x, known))
    read("adapted_from", lambda x: parse_slug(x, known))

    if not parsed.get("slug") and "slug" not in problems and values.get("id") not in (None, ""):
        # A CSV or XLSX export has no slug column: its ID names a practice of the database it
        # came from, which had better be this one.
        given = _as_text(values["id"])
        slug = parsed["slug"] = context.slug_by_id.get(_as_id(given) or 0)
        stored_country = context.country_by_slug.get(slug or "")
        if slug is None:
            problems["slug"] = _("required (ID {id} is not a practice here)").format(id=given)
        elif parsed.get("country") and parsed["country"] != stored_country:
            problems["slug"] = _(
                "required: ID {id} here is a practice of {stored_country}, not of "
                "{file_country} (is the file an export of another database?)"
            ).format(id=given, stored_country=stored_country, file_country=parsed["country"])
        else:
            records.matched_by_id += 1
    if values.get("adapted_from_id") not in (None, ""):
        parsed["adapted_from"] = context.slug_by_id.get(_as_id(values["adapted_from_id"]) or 0)
        if parsed["adapted_from"] is None:
            problems["adapted_from_id"] = _("{value} is not a practice here").format(
                value=repr(values["adapted_from_id"])
            )
    if "adapted_from" not in records.present and "adapted_from_id" not in records.present:
        # A file without the column (like a CSV export) leaves the link as it is.
        parsed["adapted_from"] = context.adapted_from.get(parsed.get("slug") or "")

    # PracticeCreate checks these only once every field is valid; say so at once.
    for key in ("title", "summary"):
        if key not in problems and not clean_text(parsed.get(key)):
            problems[key] = _("required")
    if "sources" not in problems and not parsed.get("sources") and not parsed.get("sample"):
        problems["sources"] = _("at least one source (a link or a citation) is required")

    nested = {*BODY_KEYS, *ASSESSMENT_KEYS, "evidence_links"}
    record: dict[str, Any] = {
        key: value for key, value in parsed.items() if value is not None and key not in nested
    }
    for key in BODY_KEYS:  # said here to name the column (the model names only the body)
        length = len(clean_text(parsed.get(key)))
        if key not in problems and length > BODY_LIMIT:
            problems[key] = too_long(length, BODY_LIMIT)
    record["body"] = {
        key: parsed[key] for key in BODY_KEYS if parsed.get(key) and key not in problems
    }
    record["assessment"] = {
        key: parsed[key] for key in [*ASSESSMENT_KEYS, "evidence_links"] if parsed.get(key)
    }
    for key in ("slug", "original_language"):
        if not record.get(key):
            record.pop(key, None)
    translated = gathered_translations(values)
    if translated is not None:
        # A file with translation columns gives each practice exactly the translations it
        # carries; one without leaves the stored translations as they are.
        record["translations"] = {
            tag: _translation_record(texts) for tag, texts in translated.items()
        }
    record["workflow"] = workflow
    try:
        practice = PracticeCreate.model_validate(record)
    except ValidationError as exc:
        for key, message in _reasons(exc):
            # A cell that could not be read is missing here: its own reason says more.
            if key not in problems and not (key == "country" and "country_name" in problems):
                problems[key] = message
        return None, problems
    for key, limit in _LIMITS.items():
        text = practice.body.get(key) if key in BODY_KEYS else getattr(practice, key, None)
        if isinstance(text, str) and len(text) > limit:
            problems[key] = too_long(len(text), limit)
    return (None, problems) if problems else (practice, {})


def _translation_record(texts: dict[str, str]) -> dict[str, Any]:
    """A translation's text by field as PracticeCreate takes it (the sections in a body)."""
    body = {key: texts[key] for key in BODY_KEYS if key in texts}
    return {key: text for key, text in texts.items() if key not in body} | {"body": body}


def _check_references(
    rows: list[tuple[int, PracticeCreate]],
    context: Context,
    shown: Callable[[str], str],
    label: str,
) -> list[tuple[int, str]]:
    """Slugs used twice, and "adapted from" links to unknown practices or in a loop."""
    errors: list[tuple[int, str]] = []
    first_row: dict[str, int] = {}
    for number, practice in rows:
        if practice.slug in first_row:
            errors.append((number, also_in(shown("slug"), practice.slug, label, first_row)))
        else:
            first_row[practice.slug] = number
    in_file = {p.slug: p for _number, p in rows}
    for number, practice in rows:
        parent = practice.adapted_from
        if parent is None:
            continue
        if parent == practice.slug:
            errors.append(
                (
                    number,
                    _("{column}: a practice cannot adapt itself").format(
                        column=shown("adapted_from")
                    ),
                )
            )
        elif parent not in in_file and context.adapted_from and parent not in context.slugs:
            errors.append(
                (
                    number,
                    _("{column}: no practice has the slug {slug}").format(
                        column=shown("adapted_from"), slug=repr(parent)
                    ),
                )
            )
        else:
            seen = {practice.slug}
            while parent in in_file and parent not in seen:
                seen.add(parent)
                parent = in_file[parent].adapted_from
            if parent in seen:
                errors.append(
                    (
                        number,
                        _("{column}: the links go round in a loop").format(
                            column=shown("adapted_from")
                        ),
                    )
                )
    return errors


def too_long(length: int, limit: int) -> str:
    """The reason for a text over its limit: '1,201 characters, at most 1,200'."""
    return _("{length} characters, at most {limit}").format(
        length=format_number(length), limit=format_number(limit)
    )


def also_in(column: str, slug: str, label: str, first_row: Mapping[str, int]) -> str:
    """The reason for a slug used twice, naming the row (or JSON record) that has it first."""
    if label == "record":
        message = _("{column}: {slug} is also in record {n}")
    else:
        message = _("{column}: {slug} is also in row {n}")
    return message.format(column=column, slug=repr(slug), n=first_row[slug])


def _one_per_row(errors: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The reasons of each bad row joined into one, in row order."""
    by_row: dict[int, list[str]] = {}
    for number, reason in errors:
        by_row.setdefault(number, []).append(reason)
    return [(number, "; ".join(by_row[number])) for number in sorted(by_row)]


def read_practice_file(
    data: bytes,
    fmt: str,
    *,
    context: Context | None = None,
    workflow: v.Workflow = v.Workflow.draft,
    progress: ProgressCallback | None = None,
) -> PracticeFile:
    """Every row of a CSV, XLSX or JSON file as a validated practice, or why it is not one.
    Raises InvalidFile when the file as a whole cannot be read."""
    context = context or Context()
    if fmt == "json":
        records = _json_records(data)
    elif fmt in ("csv", "xlsx"):
        records = _table_records(data, fmt, progress)
    else:
        raise InvalidFile(
            _("unknown format {format}: use csv, xlsx or json").format(format=repr(fmt))
        )

    return validate_records(records, context=context, workflow=workflow, progress=progress)


def read_records(
    records: Records,
    read_row: Callable[[dict[str, Any]], tuple[R | None, dict[str, str]]],
    headers: Mapping[str, str],
    progress: ProgressCallback | None = None,
) -> tuple[RecordFile[R], Callable[[str], str]]:
    """Each row read by `read_row` (a record, or its reasons by key), the reasons of a bad row
    joined in column order under the names the file gives its columns; and that naming."""

    def shown(key: str) -> str:
        return records.shown.get(key) or (
            key if records.label == "record" else headers.get(key, key)
        )

    order = {key: position for position, key in enumerate(records.order)}
    result: RecordFile[R] = RecordFile(notes=records.notes, row_label=records.label)
    checking = ProgressReporter(progress, "checking", len(records.items))
    for done, (number, values) in enumerate(records.items, start=1):
        checking.update(done, len(records.items))
        record, problems = read_row(values)
        if record is None:
            keys = sorted(problems, key=lambda key: order.get(key, -1 if not key else len(order)))
            reasons = [
                _("{column}: {reason}").format(column=shown(k), reason=problems[k])
                if k
                else problems[k]
                for k in keys
            ]
            result.errors.append((number, "; ".join(reasons)))
        else:
            result.rows.append((number, record))
    return result, shown


def validate_records(
    records: Records,
    *,
    context: Context,
    workflow: v.Workflow = v.Workflow.draft,
    progress: ProgressCallback | None = None,
) -> PracticeFile:
    """Every row of `records` as a validated practice, or why it is not one (whatever file or
    mapping the values came from)."""
    result, shown = read_records(
        records,
        lambda values: _read_row(values, records, context, workflow),
        KEY_HEADERS,
        progress,
    )
    result.errors += _check_references(result.rows, context, shown, records.label)
    result.errors = _one_per_row(result.errors)
    if records.matched_by_id:
        n = records.matched_by_id
        if records.label == "record":
            note = ngettext(
                "{n} record without a slug matched by ID, which holds only for an export of "
                "this same database",
                "{n} records without a slug matched by ID, which holds only for an export of "
                "this same database",
                n,
            )
        else:
            note = ngettext(
                "{n} row without a slug matched by ID, which holds only for an export of this "
                "same database",
                "{n} rows without a slug matched by ID, which holds only for an export of this "
                "same database",
                n,
            )
        result.notes.append(note.format(n=n))
    if not result.rows and not result.errors:
        if records.label == "record":
            raise InvalidFile(_("the file has no records of practices under its header"))
        raise InvalidFile(_("the file has no rows of practices under its header"))
    return result


def read_practices(
    data: bytes,
    fmt: str,
    *,
    context: Context | None = None,
    workflow: v.Workflow = v.Workflow.draft,
) -> tuple[list[tuple[int, PracticeCreate]], list[tuple[int, str]]]:
    """The valid rows (row number, practice) and the bad rows (row number, reason)."""
    result = read_practice_file(data, fmt, context=context, workflow=workflow)
    return result.rows, result.errors


# --------------------------------------------------------------------------- writing


class _Rollback(Exception):
    """Raised inside the transaction to undo it (a dry run, or a row the database refused)."""


def _parents_first(rows: list[tuple[int, PracticeCreate]]) -> list[tuple[int, PracticeCreate]]:
    """Rows ordered so that a practice adapted from another in the file comes after it."""
    by_slug = {practice.slug: (number, practice) for number, practice in rows}
    ordered: list[tuple[int, PracticeCreate]] = []
    done: set[str] = set()

    def visit(number: int, practice: PracticeCreate) -> None:
        if practice.slug in done:
            return
        done.add(practice.slug)
        parent = by_slug.get(practice.adapted_from or "")
        if parent is not None:
            visit(*parent)
        ordered.append((number, practice))

    for number, practice in rows:
        visit(number, practice)
    return ordered


@dataclass(frozen=True)
class RecordWriter(Generic[R]):
    """How an import writes one kind of record, upserted by slug (practices, challenges)."""

    kind: str  # as the report names it
    record_type: v.RecordType
    ids_by_slug: Callable[[Session, list[str]], dict[str, int]]
    create: Callable[[Session, R, int | None], int]
    update: Callable[[Session, int, R, int | None], bool]  # False when nothing changed
    ordered: Callable[[list[tuple[int, R]]], list[tuple[int, R]]] = lambda rows: rows


PRACTICE_WRITER = RecordWriter[PracticeCreate](
    kind="practices",
    record_type=v.RecordType.practice,
    ids_by_slug=lambda session, slugs: store.practice_ids_by_slug(session=session, slugs=slugs),
    create=lambda session, record, user_id: repository.create_practice(
        session=session, practice_in=record, user_id=user_id
    ),
    update=lambda session, record_id, record, user_id: repository.update_practice(
        session=session, practice_id=record_id, practice_in=record, user_id=user_id, action="import"
    ),
    ordered=_parents_first,
)


def _write(
    session: Session,
    rows: list[tuple[int, R]],
    report: ImportReport,
    user_id: int | None,
    writer: RecordWriter[R],
    progress: ProgressCallback | None = None,
) -> None:
    ids = writer.ids_by_slug(session, [record.slug for _number, record in rows])
    writing = ProgressReporter(progress, "writing", len(rows))
    for done, (number, record) in enumerate(writer.ordered(rows), start=1):
        writing.update(done, len(rows))
        try:
            if record.slug in ids:
                clash = _language_of_a_translation(session, writer, ids[record.slug], record)
                if clash:
                    report.add_error(number, clash)
                    continue
                # A savepoint, so that a row that changes nothing leaves no trace at all.
                savepoint = session.begin_nested()
                try:
                    changed = writer.update(session, ids[record.slug], record, user_id)
                except BaseException:
                    savepoint.rollback()
                    raise
                if changed:
                    savepoint.commit()
                    report.updated += 1
                    last = repository.record_history(
                        session=session, record_type=writer.record_type, record_id=ids[record.slug]
                    )[-1]
                    report.changes.append((record.slug, sorted(last.after)))
                else:
                    savepoint.rollback()
                    report.unchanged += 1
            else:
                ids[record.slug] = writer.create(session, record, user_id)
                report.created += 1
        except repository.UnknownReference as exc:
            report.add_error(number, str(exc))


def _language_of_a_translation(
    session: Session, writer: "RecordWriter[R]", record_id: int, record: R
) -> str:
    """Why a row may not give a stored record this original language: the record is already
    translated into it (a file without translation columns keeps the stored translations)."""
    language = getattr(record, "original_language", "")
    if not language or getattr(record, "translations", None) is not None:
        return ""
    stored = stored_translations(session, writer.record_type, [record_id])
    if language in stored.get(record_id, {}):
        return _(
            "original language: the record has a translation into {language}; remove it "
            "before saying the record is written in {language}"
        ).format(language=language_name(language))
    return ""


def import_practices(
    engine: Engine,
    data: bytes,
    fmt: str,
    *,
    dry_run: bool = False,
    user_id: int | None = None,
    workflow: v.Workflow | str = v.Workflow.draft,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Create or update (by slug) the practices of a file, all in one transaction or none.
    New practices get `workflow` (draft by default: imported content goes through review);
    existing ones keep theirs. A dry run does everything, then rolls back."""
    workflow = v.Workflow(workflow)
    if workflow not in IMPORT_WORKFLOWS:
        raise ValueError(
            _("imported practices can be {states}, not {state}").format(
                states=", ".join(IMPORT_WORKFLOWS), state=workflow
            )
        )
    return import_records(
        engine,
        lambda session: read_practice_file(
            data, fmt, context=load_context(session), workflow=workflow, progress=progress
        ),
        PRACTICE_WRITER,
        dry_run=dry_run,
        user_id=user_id,
        progress=progress,
    )


def import_records(
    engine: Engine,
    read: Callable[[Session], RecordFile[R]],
    writer: RecordWriter[R],
    *,
    dry_run: bool = False,
    user_id: int | None = None,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import what `read` makes of a file (reading what it needs from the database), all in one
    transaction or none; a dry run does everything, then rolls back. `progress` hears how far
    the writing has gone."""
    with read_session(engine) as session:
        parsed = read(session)
    report = ImportReport(
        kind=writer.kind, dry_run=dry_run, row_label=parsed.row_label, notes=parsed.notes
    )
    for number, reason in parsed.errors:
        report.add_error(number, reason)
    if not report.ok:
        return report
    try:
        with write_session(engine) as session:
            _write(session, parsed.rows, report, user_id, writer, progress)
            if dry_run or not report.ok:
                raise _Rollback
    except _Rollback:
        pass
    if not report.ok:
        report.created = report.updated = report.unchanged = 0
        report.changes = []
    return report
