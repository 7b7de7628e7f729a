"""A spreadsheet in its owner's own columns, mapped onto the template's fields: which column feeds
which field, constant values, and what the file's words mean (`Federation of Bosnia and
Herzegovina` -> BA). A mapping is proposed from the headers (English and the region's languages)
and from the contents, adjusted by a person (in the app, or with --map/--set/--value), then
applied: the rows become the values the practice or challenge importer reads, so that every
check, every message and the all-or-nothing writing are theirs."""

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from forumdash import auth
from forumdash import vocab as v
from forumdash.auth import SessionUser
from forumdash.db import read_session, write_session
from forumdash.folding import fold
from forumdash.i18n import _, current, ngettext
from forumdash.importers import challenges, practices
from forumdash.importers.countries import match_locality
from forumdash.importers.practices import Context, RecordFile, Records
from forumdash.importers.report import ImportReport
from forumdash.importers.sniff import InvalidFile, detect_format, normalise_header
from forumdash.importers.tables import Cell, Table, read_csv, read_xlsx
from forumdash.models import ChallengeCreate, ImportMapping, PracticeCreate, utcnow
from forumdash.text import safe_url
from forumdash.text import slug_for as slug_from_title  # the forms' slug: one home

KINDS = ("practices", "challenges")
ACCEPTED = ("csv", "xlsx")
CONSTANT = "(set)"  # how a reason names a field filled by a constant instead of a column


class MappingError(InvalidFile):
    """A mapping that cannot be applied (bad syntax, an unknown field or column, a value mapped
    to nothing the field accepts), with a message fit for a person."""


def _key(text: object) -> str:
    """A header or a value for comparison: folded like search (case, script, diacritics), with
    punctuation, '_' and '-' as spaces."""
    folded = fold(str(text if text is not None else "")).replace("&", " and ")
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


# --------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class Target:
    """A field of a template that a column (or a constant) can feed."""

    header: str  # as the template, the CLI and the app name it
    key: str  # the importer's key
    kind: str  # text, choice, choices, country, themes, links, yesno, slug
    vocabulary: type[v.Vocab] | None = None
    required: bool = False

    @property
    def matched(self) -> bool:
        """Whether the field takes values from a list, so that a file's words are matched."""
        return self.kind in ("choice", "choices", "country", "themes", "yesno")

    @property
    def many(self) -> bool:
        return self.kind in ("choices", "themes")


@dataclass(frozen=True)
class Template:
    """What a kind of record takes from a spreadsheet."""

    kind: str  # practices, challenges
    noun: str  # practice, challenge
    targets: tuple[Target, ...]
    long_text: str  # the header of the field a column of long texts feeds
    sheet: str

    def target(self, name: str) -> Target | None:
        """The field named `name` (its header or key, in any case)."""
        wanted = _key(name)
        for target in self.targets:
            if wanted in (_key(target.header), _key(target.key)):
                return target
        return None

    @property
    def headers(self) -> list[str]:
        return [target.header for target in self.targets]


def _targets(
    headers: Iterable[str],
    keys: dict[str, str],
    vocabularies: dict[str, type[v.Vocab]],
    lists: dict[str, type[v.Vocab]],
    required: Iterable[str],
) -> tuple[Target, ...]:
    kinds = {
        "country": "country",
        "country_name": "country",
        "themes": "themes",
        "sources": "links",
        "evidence_links": "links",
        "sample": "yesno",
        "ongoing": "yesno",
        "slug": "slug",
        "adapted_from": "slug",
    }
    made = []
    for header in headers:
        key = keys[header]
        if key in vocabularies:
            made.append(Target(header, key, "choice", vocabularies[key], key in required))
        elif key in lists:
            made.append(Target(header, key, "choices", lists[key], key in required))
        else:
            made.append(Target(header, key, kinds.get(key, "text"), None, key in required))
    return tuple(made)


# Export bookkeeping, not something a spreadsheet of one's own would feed.
_NOT_MAPPED = {"ID", "Link", "Published at (UTC)"}

PRACTICES = Template(
    kind="practices",
    noun="practice",
    targets=_targets(
        [h for h in practices.TEMPLATE_HEADERS if h not in _NOT_MAPPED],
        practices.HEADER_KEYS,
        practices.VOCABULARIES,
        practices.LIST_VOCABULARIES,
        [*practices.REQUIRED_KEYS, "sources"],
    ),
    long_text="Summary",
    sheet=practices.SHEET,
)
CHALLENGES = Template(
    kind="challenges",
    noun="challenge",
    targets=_targets(
        challenges.TEMPLATE_HEADERS,
        challenges.HEADER_KEYS,
        challenges.VOCABULARIES,
        challenges.LIST_VOCABULARIES,
        [*challenges.REQUIRED_KEYS, "sources"],
    ),
    long_text="Description",
    sheet="Challenges",
)
TEMPLATES = {"practices": PRACTICES, "challenges": CHALLENGES}

# How people name the template's fields in their own spreadsheets: English, Serbian, Croatian,
# Bosnian and Montenegrin (Latin and Cyrillic: folding makes them one), Albanian, Macedonian,
# Polish. Compared folded, so `Država`, `Drzava` and `Држава` are one name.
HEADER_NAMES: dict[str, list[str]] = {
    "Slug": ["slug", "identifier", "key"],
    "Title": [
        "title",
        "name",
        "practice",
        "challenge",
        "naslov",
        "naziv",
        "titulli",
        "emri",
        "наслов",
        "назив",
        "наслов на практиката",
        "tytul",
        "nazwa",
    ],
    "Country code": [
        "country",
        "country code",
        "country name",
        "država",
        "drzava",
        "држава",
        "zemlja",
        "земја",
        "shteti",
        "vendi",
        "kraj",
        "państwo",
    ],
    "Summary": [
        "summary",
        "description",
        "abstract",
        "short description",
        "opis",
        "kratak opis",
        "sažetak",
        "përshkrimi",
        "përmbledhje",
        "опис",
        "краток опис",
        "резиме",
        "streszczenie",
    ],
    "Description": [
        "description",
        "summary",
        "problem",
        "opis",
        "opis problema",
        "përshkrimi",
        "опис",
        "problem description",
        "sfida",
    ],
    "Themes": [
        "themes",
        "theme",
        "topic",
        "topics",
        "tema",
        "teme",
        "teme tema",
        "tema teme",
        "тема",
        "теме",
        "теми",
        "temat",
        "tematika",
        "oblast",
        "fusha",
        "obszar",
    ],
    "Sources": [
        "sources",
        "source",
        "source s",
        "links",
        "link",
        "url",
        "urls",
        "website",
        "izvor",
        "izvori",
        "извор",
        "извори",
        "burimi",
        "burime",
        "burimet",
        "źródło",
        "źródła",
    ],
    "Lead institution": [
        "lead institution",
        "institution",
        "lead agency",
        "implementing agency",
        "institucija",
        "nosilac",
        "nositelj",
        "institucioni",
        "институција",
        "носител",
        "instytucja",
    ],
    "Partners": ["partners", "partner", "partneri", "partnerët", "партнери", "partnerzy"],
    "Level of government": [
        "level",
        "level of government",
        "government level",
        "nivo",
        "nivo vlasti",
        "razina",
        "niveli",
        "niveli i qeverisjes",
        "ниво",
        "ниво на власт",
        "poziom",
    ],
    "Actor type": ["actor type", "type of actor", "actor", "tip aktera", "lloji i aktorit"],
    "Stage": ["stage", "phase", "faza", "фаза", "etapa", "faza e zbatimit"],
    "Start year": ["year", "start year", "godina", "година", "viti", "rok"],
    "Start date": ["start date", "start", "datum početka", "početak", "data e fillimit"],
    "End date": ["end date", "end", "datum završetka", "završetak", "data e përfundimit"],
    "OGP values": ["ogp values", "values", "ogp vrijednosti", "ogp vrednosti", "vlerat ogp"],
    "Original language": ["language", "original language", "jezik", "gjuha", "јазик", "језик"],
    "Contact": ["contact", "kontakt", "контакт", "email", "e mail"],
    "Context": ["context", "kontekst", "konteksti", "контекст"],
    "Methods": ["methods", "method", "metode", "metodologija", "metodat", "методи"],
    "Outcomes": ["outcomes", "results", "rezultati", "rezultatet", "резултати", "ishodi"],
    "Lessons and difficulties": ["lessons", "lessons learned", "pouke", "mësimet", "поуки"],
    "Obstacle type": ["obstacle", "obstacle type", "prepreka", "pengesa", "пречка", "препрека"],
    "Severity": ["severity", "ozbiljnost", "ozbiljnost problema", "serioziteti", "сериозност"],
    "Status": ["status", "статус", "statusi"],
    "Support sought": ["support sought", "support", "podrška", "mbështetje", "поддршка"],
    "Raised at event": ["event", "raised at", "događaj", "ngjarja", "настан", "догађај"],
    "Raised at date": ["date", "datum", "data", "датум"],
    "Sample": ["sample", "example", "primjer", "primer", "shembull"],
}

# Words for yes and no in the region's languages, and a few values people write for the
# vocabularies; folded like everything else.
_YES = ["yes", "y", "true", "1", "x", "da", "да", "po", "tak"]
_NO = ["no", "n", "false", "0", "ne", "не", "jo", "nie"]
SYNONYMS: dict[type[v.Vocab], dict[str, str]] = {
    v.ActorType: {
        "ngo": "cso",
        "civil society": "cso",
        "civil society organisation": "cso",
        "civil society organization": "cso",
        "government and civil society": "joint",
        "government": "government",
    },
    v.OgpValue: {
        "access to information": "access_to_information",
        "civic participation": "civic_participation",
        "public accountability": "public_accountability",
        "technology and innovation for transparency and accountability": "technology_innovation",
    },
}


# --------------------------------------------------------------------------- the mapping


@dataclass
class ColumnMapping:
    """Template field -> the file's column; constants for fields; and, per field, what the
    file's words mean (as written -> a value the field takes, or "" to leave the word out)."""

    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The mapping as plain JSON values (to save it under a name)."""
        return {
            "columns": dict(self.columns),
            "constants": dict(self.constants),
            "values": {header: dict(words) for header, words in self.values.items()},
        }

    @classmethod
    def from_json(cls, data: Any) -> "ColumnMapping":
        """A mapping from as_json's values; anything else gives an empty mapping's parts."""

        def strings(value: Any) -> dict[str, str]:
            if not isinstance(value, dict):
                return {}
            return {str(k): str(x) for k, x in value.items() if isinstance(x, (str, int))}

        data = data if isinstance(data, dict) else {}
        values = data.get("values") if isinstance(data.get("values"), dict) else {}
        return cls(
            columns=strings(data.get("columns")),
            constants=strings(data.get("constants")),
            values={str(header): strings(words) for header, words in values.items()},
        )

    def lines(self) -> list[str]:
        """The mapping for a person, one line per field fed."""
        lines = [f"{header} <- column {column!r}" for header, column in self.columns.items()]
        lines += [f"{header} = {value!r} (set)" for header, value in self.constants.items()]
        for header, words in self.values.items():
            lines += [f"{header}: {word!r} means {meant!r}" for word, meant in words.items()]
        return lines


@dataclass
class Proposal:
    """A mapping proposed for a file, with why each field got its column."""

    mapping: ColumnMapping
    why: dict[str, str] = field(default_factory=dict)


def _header_index(template: Template) -> dict[str, str]:
    """Folded name -> template header, the template's own names first."""
    index: dict[str, str] = {}
    for target in template.targets:
        index.setdefault(_key(target.header), target.header)
    for header, names in HEADER_NAMES.items():
        if header not in template.headers:  # a field of the other template
            continue
        for name in names:
            index.setdefault(_key(name), header)
    return index


def _header_target(column: str, index: dict[str, str]) -> str | None:
    folded = _key(column)
    if folded in index:
        return index[folded]
    # `Tema/Teme`, `Source(s)`, `Naslov / Title`: any of its parts.
    for part in re.split(r"[/|()\[\]]", column):
        if _key(part) in index:
            return index[_key(part)]
    return None


_URL = re.compile(r"https?://\S+|www\.\S+", re.I)


def _share(values: list[str], test: Callable[[str], bool]) -> float:
    return sum(1 for value in values if test(value)) / len(values) if values else 0.0


def propose(table: Table, template: Template, context: Context | None = None) -> Proposal:
    """A mapping for the file: each column whose header names a field (in English or the
    region's languages) feeds it; then columns of country names, of links, of theme names and of
    long texts feed the country, the sources, the themes and the summary (or description)."""
    context = context or Context()
    proposal = Proposal(ColumnMapping())
    columns = proposal.mapping.columns
    index = _header_index(template)
    for column in table.header:
        if not column:
            continue
        header = _header_target(column, index)
        if header is not None and header not in columns:
            columns[header] = column
            proposal.why[header] = _("its header {column}").format(column=repr(column))
    used = set(columns.values())
    matches_country = _value_matcher(template.target("Country code"), context)
    matches_theme = _value_matcher(template.target("Themes"), context)
    samples: dict[str, list[str]] = {}
    for position, column in enumerate(table.header):
        if column and column not in used:
            texts = [practices._as_text(row[position]).strip() for _n, row in table.rows[:200]]
            samples[column] = [text for text in texts if text]
    # Why a column was proposed, by the share of its values that fit the field.
    tests: list[tuple[str, Callable[[], str], Callable[[str], bool]]] = [
        (
            "Country code",
            lambda: _("{percent}% of its values are country names"),
            lambda x: matches_country(x) is not None,
        ),
        (
            "Sources",
            lambda: _("{percent}% of its values are links"),
            lambda x: _URL.search(x) is not None,
        ),
        (
            "Themes",
            lambda: _("{percent}% of its values are theme names"),
            lambda x: (
                bool(context.themes) and all(matches_theme(item) is not None for item in _split(x))
            ),
        ),
    ]
    for header, what, test in tests:
        if header in columns or (header == "Country code" and "Country" in columns):
            continue
        for column, values in samples.items():
            if column in used or len(values) == 0:
                continue
            share = _share(values, test)
            if share >= 0.8:
                columns[header] = column
                used.add(column)
                proposal.why[header] = what().format(percent=round(share * 100))
                break
    if template.long_text not in columns:
        lengths = {
            column: sum(len(value) for value in values) / len(values)
            for column, values in samples.items()
            if column not in used and values
        }
        longest = max(lengths, key=lambda column: lengths[column], default=None)
        if longest is not None and lengths[longest] >= 120:
            columns[template.long_text] = longest
            proposal.why[template.long_text] = _(
                "its texts are long ({n} characters on average)"
            ).format(n=round(lengths[longest]))
    ordered = {h: columns[h] for h in template.headers if h in columns}
    proposal.mapping.columns = ordered
    return proposal


# --------------------------------------------------------------------------- arguments


def _field(name: str, template: Template, option: str, text: str) -> Target:
    target = template.target(name.strip())
    if target is None:
        raise MappingError(
            f"{option} {text!r}: {name.strip()!r} is not a field of the {template.noun} "
            f"template; use one of: {', '.join(template.headers)}"
        )
    return target


def parse_map(text: str, template: Template) -> tuple[str, str]:
    """`Title=Naslov` -> (template header, file column); `Title=` leaves the field unmapped."""
    name, sign, column = text.partition("=")
    if not sign or not name.strip():
        raise MappingError(f"--map {text!r}: write FIELD=COLUMN, like 'Title=Naslov'")
    return _field(name, template, "--map", text).header, column.strip()


def parse_set(text: str, template: Template) -> tuple[str, str]:
    """`Sources=UNDP case library` -> (template header, the value every row gets)."""
    name, sign, value = text.partition("=")
    if not sign or not name.strip() or not value.strip():
        raise MappingError(f"--set {text!r}: write FIELD=VALUE, like 'Sources=UNDP case library'")
    return _field(name, template, "--set", text).header, value.strip()


def parse_value(text: str, template: Template) -> tuple[str, str, str]:
    """`Country code:Federation of Bosnia and Herzegovina=BA` -> (header, word, meaning); an
    empty meaning leaves the word out."""
    name, colon, rest = text.partition(":")
    word, sign, meaning = rest.rpartition("=")
    if not colon or not sign or not name.strip() or not word.strip():
        raise MappingError(
            f"--value {text!r}: write FIELD:VALUE=MEANING, like "
            "'Country code:Federation of Bosnia and Herzegovina=BA'"
        )
    target = _field(name, template, "--value", text)
    if not target.matched:
        raise MappingError(
            f"--value {text!r}: {target.header} is free text; only fields with a list of "
            "values (country, themes, vocabularies, yes/no) take value maps"
        )
    return target.header, word.strip(), meaning.strip()


def build_mapping(
    template: Template,
    base: ColumnMapping | None = None,
    *,
    maps: Iterable[str] = (),
    sets: Iterable[str] = (),
    values: Iterable[str] = (),
) -> ColumnMapping:
    """`base` (a proposal, a saved mapping) with the command line's --map, --set and --value."""
    mapping = ColumnMapping.from_json(base.as_json() if base else {})
    for text in maps:
        header, column = parse_map(text, template)
        if column:
            mapping.columns[header] = column
        else:
            mapping.columns.pop(header, None)
    for text in sets:
        header, value = parse_set(text, template)
        mapping.constants[header] = value
    for text in values:
        header, word, meaning = parse_value(text, template)
        mapping.values.setdefault(header, {})[word] = meaning
    return mapping


def resolve_columns(mapping: ColumnMapping, table: Table, template: Template, name: str) -> None:
    """Check every field and column the mapping names; columns are matched in any case and
    spacing, and renamed to the file's own spelling. Raises MappingError naming what is wrong."""
    by_name = {normalise_header(column): column for column in table.header if column}
    for header, column in list(mapping.columns.items()):
        if template.target(header) is None:
            raise MappingError(_not_a_field(header, template))
        found = by_name.get(normalise_header(column))
        if found is None:
            listed = ", ".join(repr(c) for c in table.header if c)
            raise MappingError(
                _("{name} has no column {column} (for {field}); its columns are: {columns}").format(
                    name=name, column=repr(column), field=header, columns=listed
                )
            )
        mapping.columns[header] = found
    for header in [*mapping.constants, *mapping.values]:
        if template.target(header) is None:
            raise MappingError(_not_a_field(header, template))


def _not_a_field(header: str, template: Template) -> str:
    if template.kind == "challenges":
        return _("{field} is not a field of the challenge template").format(field=repr(header))
    return _("{field} is not a field of the practice template").format(field=repr(header))


# --------------------------------------------------------------------------- values


def _split(text: str) -> list[str]:
    """A multi-value cell's items: separated by ';', ',' or line breaks."""
    return [item.strip() for item in re.split(r"[;,\n]", text) if item.strip()]


def _value_matcher(target: Target | None, context: Context) -> Callable[[str], str | None]:
    """What a file's word means for the field (the value the importer reads), or None."""
    if target is None:
        return lambda _: None
    if target.kind == "country":
        names = {_key(name): code for code, name in context.countries.items()}

        def country(text: str) -> str | None:
            # `Tbilisi, Georgia`: a place in a forum country counts for the country.
            place = match_locality(text)
            code = (place[0] if place else None) or names.get(_key(text))
            if code is None and text.strip().upper() in context.countries:
                code = text.strip().upper()
            return code if code and (not context.countries or code in context.countries) else None

        return country
    if target.kind == "themes":
        themes = {_key(slug): slug for slug in context.themes}
        themes |= {_key(name): slug for slug, name in context.themes.items()}
        return lambda text: themes.get(_key(text))
    if target.kind == "yesno":
        words = {_key(w): "yes" for w in _YES} | {_key(w): "no" for w in _NO}
        return lambda text: words.get(_key(text))
    if target.vocabulary is not None:
        vocabulary = target.vocabulary
        members: dict[str, str] = {}
        for spelling, member in practices.label_spellings(vocabulary, current().tag):
            members.setdefault(_key(spelling), member.value)
        members |= {_key(word): value for word, value in SYNONYMS.get(vocabulary, {}).items()}
        return lambda text: members.get(_key(text))
    return lambda _: None


@dataclass
class Unmatched:
    """The words of one field that match nothing the field takes, with how often each occurs."""

    header: str
    column: str  # the file's column, or CONSTANT
    counts: Counter[str] = field(default_factory=Counter)


@dataclass
class MappedFile:
    """A file's rows read through a mapping: what the importer reads, and what did not match."""

    records: Records
    unmatched: list[Unmatched]
    identifiers: dict[int, str]  # row -> the slug it has or was given (else its title)
    made_slugs: int = 0
    unmade: set[int] = field(default_factory=set)  # rows left without a slug


def _links(text: str) -> str:
    """Sources as the importer reads them ('; '-separated): links a cell lists by commas, blanks
    or line breaks become one source each; a citation is left whole."""
    if "<" in text or ";" in text:
        return text
    pieces = [p.strip() for p in re.split(r"[,\s]+", text) if p.strip()]
    if len(pieces) > 1 and all(safe_url(p) for p in pieces):
        return "; ".join(pieces)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "; ".join(lines) if len(lines) > 1 else text.strip()


def apply_mapping(
    table: Table,
    mapping: ColumnMapping,
    template: Template,
    context: Context,
) -> MappedFile:
    """The rows as the template's importer reads them: each field from its column (or its
    constant where the column is blank), words matched to the field's values (folded, synonyms,
    the mapping's own meanings), a missing slug made from title and country."""
    positions = {column: index for index, column in enumerate(table.header) if column}
    fed = [
        t for t in template.targets if t.header in mapping.columns or t.header in mapping.constants
    ]
    matchers = {t.header: _value_matcher(t, context) for t in fed if t.matched}
    meanings = {
        header: {_key(word): meant for word, meant in words.items()}
        for header, words in mapping.values.items()
    }
    for header, words in mapping.values.items():
        matcher = matchers.get(header) or _value_matcher(template.target(header), context)
        for word, meant in words.items():
            if meant and matcher(meant) is None:
                # A saved mapping whose meaning the database no longer has reaches the app too.
                raise MappingError(
                    _("--value {option}: {meaning} is not a value of {field}").format(
                        option=f"{header}:{word}={meant}", meaning=repr(meant), field=header
                    )
                )
    unmatched = {
        t.header: Unmatched(t.header, mapping.columns.get(t.header, CONSTANT)) for t in fed
    }

    def meaning(target: Target, text: str) -> str:
        """The cell as the importer should read it; words that match nothing are kept (the
        importer's message names them) and counted."""
        matcher = matchers[target.header]
        items = _split(text) if target.many else [text.strip()]
        read = []
        for item in items:
            if not item:
                continue
            mapped = meanings.get(target.header, {}).get(_key(item))
            if mapped is not None:
                if mapped:
                    read.append(matcher(mapped) or mapped)
                continue
            found = matcher(item)
            if found is None:
                unmatched[target.header].counts[item] += 1
                read.append(item)
            else:
                read.append(found)
        return "; ".join(dict.fromkeys(read))

    items: list[tuple[int, dict[str, Any]]] = []
    identifiers: dict[int, str] = {}
    taken: set[str] = set()
    unmade: set[int] = set()  # rows whose slug could not be made (no country read)
    made = 0
    for number, cells in table.rows:
        values: dict[str, Any] = {}
        for target in fed:
            cell: Cell = None
            column = mapping.columns.get(target.header)
            if column is not None:
                cell = cells[positions[column]]
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                cell = mapping.constants.get(target.header, cell)
            if isinstance(cell, str) and target.matched:
                cell = meaning(target, cell)
            elif isinstance(cell, (int, float)) and target.matched:
                cell = meaning(target, practices._as_text(cell))
            elif isinstance(cell, str) and target.kind == "links":
                cell = _links(cell)
            values[target.key] = cell
        slug = practices._as_text(values.get("slug")).strip()
        if not slug:
            title = practices._as_text(values.get("title")).strip()
            country = str(values.get("country") or values.get("country_name") or "")
            if title and len(country) == 2:
                base = slug = slug_from_title(title, country)
                number_in_file = 2
                while slug in taken:
                    slug = f"{base}-{number_in_file}"
                    number_in_file += 1
                values["slug"] = slug
                made += 1
        if slug:
            taken.add(slug)
            identifiers[number] = slug
        elif practices._as_text(values.get("title")).strip():
            identifiers[number] = repr(practices._as_text(values["title"]).strip())
            unmade.add(number)
        items.append((number, values))
    # Each field named in the report as the file's column with the field it feeds.
    shown = {
        t.key: _("{column} ({field})").format(column=mapping.columns[t.header], field=t.header)
        if t.header in mapping.columns
        else _("{field} (set)").format(field=t.header)
        for t in fed
    }
    shown.setdefault("slug", _("Slug (made from title and country)"))
    present = {t.key for t in fed} | {"slug"}
    order = [t.key for t in template.targets]
    notes = []
    ignored = [c for c in table.header if c and c not in mapping.columns.values()]
    if ignored:
        notes.append(_("columns not mapped, ignored: {columns}").format(columns=", ".join(ignored)))
    if made:
        notes.append(
            ngettext(
                "{n} row without a slug got one made from title and country; a re-import of "
                "the same rows updates them",
                "{n} rows without a slug got one made from title and country; a re-import of "
                "the same rows updates them",
                made,
            ).format(n=made)
        )
    records = Records("row", shown, present, items, notes, quoted=False, order=order)
    found = [u for u in unmatched.values() if u.counts]
    return MappedFile(records, found, identifiers, made, unmade)


# --------------------------------------------------------------------------- reading, importing


def read_table(data: bytes, filename: str, template: Template) -> Table:
    """The file's header and rows (CSV or XLSX, judged on content); raises InvalidFile."""
    fmt = detect_format(data, filename, allowed=ACCEPTED)
    if fmt == "xlsx":
        return read_xlsx(data, template.sheet)
    return read_csv(data)


def _validate(
    mapped: MappedFile,
    template: Template,
    context: Context,
    known: set[str],
    workflow: v.Workflow,
) -> RecordFile[PracticeCreate] | RecordFile[ChallengeCreate]:
    result: RecordFile[PracticeCreate] | RecordFile[ChallengeCreate]
    if template.kind == "practices":
        result = practices.validate_records(mapped.records, context=context, workflow=workflow)
    else:
        result = challenges.validate_challenge_records(
            mapped.records, context=context, known=known, workflow=workflow
        )
    # A slug that could not be made for want of a country is said by the country's own reason.
    # As read_records words it, so that it can be found among a row's reasons.
    unmade = _("{column}: {reason}").format(
        column=mapped.records.shown["slug"], reason=_("required")
    )
    errors = []
    for row, reason in result.errors:
        if row in mapped.unmade:
            reason = "; ".join(part for part in reason.split("; ") if part != unmade) or unmade
        # Name each bad row's record by its identifier, as well as by its row number.
        errors.append(
            (
                row,
                _("{record}: {reason}").format(record=mapped.identifiers[row], reason=reason)
                if row in mapped.identifiers
                else reason,
            )
        )
    result.errors = errors
    return result


def load_template_context(session: Session, template: Template) -> tuple[Context, set[str]]:
    """What rows may refer to (countries, themes) and the stored slugs of the template's kind."""
    if template.kind == "practices":
        context = practices.load_context(session)
        return context, context.slugs
    return challenges.load_challenge_context(session)


@dataclass
class MappedImport:
    """An import through a mapping: the report, the mapping used and the words matched to
    nothing."""

    report: ImportReport
    mapping: ColumnMapping
    unmatched: list[Unmatched]

    def unmatched_lines(self) -> list[str]:
        """One line per word that matched nothing, with a --value that would map it."""
        lines = []
        for group in self.unmatched:
            if group.column != CONSTANT:
                where = _("column {column}").format(column=repr(group.column))
            else:
                where = _("the set value")
            for word, count in group.counts.most_common():
                lines.append(
                    ngettext(
                        "{field} ({where}): {word} matches nothing ({n} row); map it with "
                        "--value {option}",
                        "{field} ({where}): {word} matches nothing ({n} rows); map it with "
                        "--value {option}",
                        count,
                    ).format(
                        field=group.header,
                        where=where,
                        word=repr(word),
                        n=count,
                        option=f'"{group.header}:{word}=..."',
                    )
                )
        return lines


def import_mapped(
    engine: Engine,
    kind: str,
    data: bytes,
    filename: str,
    *,
    maps: Iterable[str] = (),
    sets: Iterable[str] = (),
    values: Iterable[str] = (),
    base: ColumnMapping | None = None,
    propose_rest: bool = True,
    dry_run: bool = False,
    user_id: int | None = None,
    workflow: v.Workflow | str = v.Workflow.draft,
) -> MappedImport:
    """Import a spreadsheet in its own columns: the proposed mapping (unless `propose_rest` is
    False), then `base`, then --map/--set/--value on top; all rows or none. Raises InvalidFile
    (MappingError for the mapping) when nothing can be read."""
    if kind not in TEMPLATES:
        raise ValueError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    template = TEMPLATES[kind]
    workflow = v.Workflow(workflow)
    if workflow not in practices.IMPORT_WORKFLOWS:
        raise ValueError(f"imported records can be {', '.join(practices.IMPORT_WORKFLOWS)}")
    # Bad arguments are refused before the file is even read.
    build_mapping(template, maps=maps, sets=sets, values=values)
    name = filename or _("the file")
    table = read_table(data, name, template)
    used: dict[str, Any] = {}

    def read(session: Session) -> Any:
        context, known = load_template_context(session, template)
        start = ColumnMapping()
        if propose_rest:
            start = propose(table, template, context).mapping
        if base is not None:
            start = build_mapping(template, start)
            start.columns |= base.columns
            start.constants |= base.constants
            for header, words in base.values.items():
                start.values.setdefault(header, {}).update(words)
        mapping = build_mapping(template, start, maps=maps, sets=sets, values=values)
        resolve_columns(mapping, table, template, name)
        mapped = apply_mapping(table, mapping, template, context)
        used["mapping"], used["unmatched"] = mapping, mapped.unmatched
        result = _validate(mapped, template, context, known, workflow)
        if not result.rows and not result.errors:
            raise InvalidFile(_("{name} has no rows under its header").format(name=name))
        return result

    writer: Any = practices.PRACTICE_WRITER if kind == "practices" else challenges.CHALLENGE_WRITER
    report = practices.import_records(engine, read, writer, dry_run=dry_run, user_id=user_id)
    report.filename = filename  # the report names its file, as every import's does
    # How the file was read (its text encoding, columns of a sheet left unread), as run_import says.
    report.notes[:0] = [*([table.encoding.note] if table.encoding else []), *table.notes]
    return MappedImport(report, used["mapping"], used["unmatched"])


@dataclass
class PreviewRow:
    """One of the first rows as it would be stored, or why it would not be."""

    row: int
    fields: dict[str, str]  # template header -> the value as stored, for a person
    problems: str = ""


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_shown(item) for item in value)
    if isinstance(value, dict):
        title, url = value.get("title") or "", value.get("url") or ""
        return f"{title} <{url}>" if url and url != title else title or url
    if isinstance(value, v.Vocab):
        return value.label
    return str(value)


def preview(
    table: Table,
    mapping: ColumnMapping,
    template: Template,
    context: Context,
    *,
    known: set[str] | None = None,
    rows: int = 5,
) -> tuple[list[PreviewRow], MappedFile]:
    """The first rows as records (each field as it would be stored), and the whole file read
    through the mapping (for its unmatched words). Raises MappingError."""
    resolve_columns(mapping, table, template, _("the file"))
    mapped = apply_mapping(table, mapping, template, context)
    first = Records(
        mapped.records.label,
        mapped.records.shown,
        mapped.records.present,
        mapped.records.items[:rows],
        [],
        quoted=False,
        order=mapped.records.order,
    )
    head = MappedFile(first, mapped.unmatched, mapped.identifiers, mapped.made_slugs, mapped.unmade)
    result = _validate(head, template, context, known or set(), v.Workflow.draft)
    shown_rows: dict[int, PreviewRow] = {}
    for number, record in result.rows:
        data = record.model_dump()
        data |= data.pop("body", None) or {}
        data |= data.pop("assessment", None) or {}
        fields = {}
        for target in template.targets:
            value = data.get(target.key)
            if target.header == "Country" or (
                target.header not in mapping.columns and value in (None, "", [], False)
            ):
                continue
            fields[target.header] = _shown(value)
        shown_rows[number] = PreviewRow(number, fields)
    for number, reason in result.errors:
        shown_rows[number] = PreviewRow(number, {}, reason)
    return [shown_rows[n] for n in sorted(shown_rows)], mapped


# --------------------------------------------------------------------------- saved mappings

MAX_NAME = 100


def save_mapping(
    engine: Engine, user: SessionUser | None, kind: str, name: str, mapping: ColumnMapping
) -> None:
    """Save (or replace) the mapping under `name` for this kind of import; organisers only."""
    auth.require(auth.is_organiser(user), _("Only organisers save import mappings."))
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise MappingError(_("a mapping's name has 1 to {limit} characters").format(limit=MAX_NAME))
    if kind not in TEMPLATES:
        raise ValueError(f"unknown kind {kind!r}")
    with write_session(engine) as session:
        row = session.exec(
            select(ImportMapping).where(ImportMapping.kind == kind, ImportMapping.name == name)
        ).first() or ImportMapping(kind=kind, name=name)
        row.mapping = mapping.as_json()
        row.updated_by_id = user.id if user else None
        row.updated_at = utcnow()
        session.add(row)


def saved_mappings(engine: Engine, user: SessionUser | None, kind: str) -> dict[str, ColumnMapping]:
    """The mappings saved for this kind of import, by name; organisers only."""
    auth.require(auth.is_organiser(user), _("Only organisers use import mappings."))
    with read_session(engine) as session:
        rows = session.exec(
            select(ImportMapping).where(ImportMapping.kind == kind).order_by(ImportMapping.name)
        ).all()
        return {row.name: ColumnMapping.from_json(row.mapping) for row in rows}
