"""What kind of file an upload is, judged on its content (not its name), and its size limit."""

import csv
import io
import json
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePath

from forumdash.i18n import N_, _
from forumdash.importers.encoding import (
    SAVE_AS_UTF8,
    EncodingError,
    TextEncoding,
    detect_encoding,
    has_bom,
    looks_binary,
    text_prefix,
    text_stream,
    utf16_without_bom,
)

# A real case library (7,563 cases, 27 MB as CSV) fits with room to spare; every reader below
# streams the file, so the limit is about time, not memory.
MAX_MEGABYTES = 100  # also st.file_uploader(max_upload_size=...) and the README
MAX_BYTES = MAX_MEGABYTES * 1024 * 1024
# An XLSX is a ZIP archive: refuse one that would unpack to more than this (a "zip bomb"). The
# sizes a ZIP declares are kept to as it is read (Python's zipfile stops at the declared size and
# checks the CRC), so the sum of declared sizes bounds the XML parsed.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
# The workbook's shared strings (the text of its cells) are held in memory while it is read.
MAX_SHARED_STRINGS_BYTES = 400 * 1024 * 1024

FORMATS = ("csv", "xlsx", "json")
EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}

_DESCRIPTIONS = {
    "csv": N_("CSV text"),
    "xlsx": N_("an Excel workbook (.xlsx)"),
    "json": N_("JSON"),
    "xls": N_("an old-style Excel workbook (.xls); save it as .xlsx"),
    "zip": N_("a ZIP archive that is not an Excel workbook"),
    "binary": N_("binary data, not a table"),
    "pdf": N_("a PDF document, not a table"),
    "png": N_("a PNG image, not a table"),
    "jpeg": N_("a JPEG image, not a table"),
    "gif": N_("a GIF image, not a table"),
    "gzip": N_("a gzip archive, not a table"),
    "rar": N_("a RAR archive, not a table"),
    "7z": N_("a 7-Zip archive, not a table"),
}

# Magic numbers of binary files that people upload by mistake.
_BINARY_MAGIC = {
    b"\xd0\xcf\x11\xe0": "xls",
    b"%PDF": "pdf",
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF8": "gif",
    b"\x1f\x8b": "gzip",
    b"Rar!": "rar",
    b"7z\xbc\xaf": "7z",
}

_DELIMITERS = (",", ";", "\t")


class InvalidFile(ValueError):
    """A file that cannot be imported at all, with a message fit for a person."""


# Python's json refuses nesting deeper than the interpreter's recursion limit (RecursionError);
# no file of records nests like that, so it is said in words rather than as the error's text.
JSON_TOO_DEEP = N_("the file is not valid JSON: its lists or objects nest too deeply")


def check_size(data: bytes, name: str = "") -> None:
    """Refuse files over MAX_BYTES (before any parsing) and empty files."""
    name = name or _("the file")
    if len(data) > MAX_BYTES:
        size = f"{len(data) / 1024 / 1024:.1f}"
        if size == f"{MAX_MEGABYTES:.1f}":
            raise InvalidFile(
                _("{name} is just over {limit} MB; the limit is {limit} MB").format(
                    name=name, limit=MAX_MEGABYTES
                )
            )
        raise InvalidFile(
            _("{name} is {size} MB; the limit is {limit} MB").format(
                name=name, size=size, limit=MAX_MEGABYTES
            )
        )
    if not data[:4096].strip() and not data.strip():  # strip a copy only of a blank start
        raise InvalidFile(_("{name} is empty").format(name=name))


def text_encoding(data: bytes) -> TextEncoding:
    """The encoding of a text file (see forumdash.importers.encoding); InvalidFile, asking for
    UTF-8, when it cannot be told for certain."""
    try:
        return detect_encoding(data)
    except EncodingError as exc:
        raise InvalidFile(
            _("{reason}. {advice}").format(reason=exc, advice=_(SAVE_AS_UTF8))
        ) from exc


def decode_text(data: bytes) -> str:
    """The whole text of a file in its encoding, without a byte-order mark (for JSON; tables
    are read as a stream, see forumdash.importers.tables)."""
    encoding = text_encoding(data)
    with text_stream(data, encoding) as stream:
        return stream.read().lstrip("\ufeff")


def normalise_header(header: object) -> str:
    """A header for comparison: case, underscores, repeated blanks and a BOM do not matter."""
    text = str(header if header is not None else "").replace("\ufeff", "").replace("_", " ")
    return " ".join(text.split()).casefold()


def csv_header(text: str, columns: Collection[str] = ()) -> tuple[str, list[str]]:
    """The delimiter (comma, semicolon or tab) under which the first row names the most of the
    expected columns, and that first row."""
    wanted = {normalise_header(column) for column in columns}
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    best: tuple[tuple[int, int, int], str, list[str]] | None = None
    for rank, delimiter in enumerate(_DELIMITERS):
        try:
            header = next(csv.reader(io.StringIO(first_line), delimiter=delimiter), [])
        except csv.Error:
            continue
        matches = sum(normalise_header(cell) in wanted for cell in header)
        score = (matches, len(header), -rank)
        if best is None or score > best[0]:
            best = (score, delimiter, header)
    assert best is not None
    return best[1], [cell.replace("\ufeff", "").strip() for cell in best[2]]


def _zip_names(data: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _text_prefix(data: bytes, encoding: TextEncoding, chars: int = 65536) -> str:
    """text_prefix, with text that breaks its own encoding (UTF-16 with half of a surrogate
    pair, say) refused in words."""
    try:
        return text_prefix(data, encoding, chars)
    except UnicodeDecodeError as exc:
        raise InvalidFile(
            _("the text cannot be read as {encoding}: {reason}").format(
                encoding=encoding.shown, reason=exc.reason
            )
        ) from exc


def _kind(data: bytes) -> tuple[str, TextEncoding | None]:
    """What the bytes are: csv (any text), xlsx, json (text that starts as JSON does), xls, zip,
    a known binary kind (pdf, png, jpeg, gif, gzip, rar, 7z) or binary; and a text's encoding.
    Raises InvalidFile for text whose encoding cannot be told."""
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if names is None:
            return "binary", None
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx", None
        return "zip", None
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return kind, None
    if looks_binary(data) and not (has_bom(data) or utf16_without_bom(data)):
        return "binary", None
    encoding = text_encoding(data)
    prefix = _text_prefix(data, encoding, 4096)
    return ("json" if prefix.lstrip(" \t\r\n").startswith(("{", "[")) else "csv"), encoding


@dataclass(frozen=True)
class FileKind:
    """What an accepted file is: its format, and for text its encoding."""

    format: str  # csv, xlsx or json
    encoding: TextEncoding | None  # None for a workbook

    @property
    def notes(self) -> list[str]:
        """What the import report says about reading it."""
        return [self.encoding.note] if self.encoding else []


def inspect_file(
    data: bytes,
    filename: str,
    *,
    allowed: Collection[str] = FORMATS,
    required_columns: Collection[str] = (),
) -> FileKind:
    """The file's format (csv, xlsx or json) judged on its content, and its text encoding.
    Raises InvalidFile for a file over MAX_BYTES, one whose content is none of the allowed
    formats or does not match its extension, text whose encoding cannot be told for certain,
    and a CSV whose first row lacks the required columns."""
    name = PurePath(filename).name if filename else ""
    name = name or _("the file")
    check_size(data, name)
    suffix = PurePath(name).suffix.lower()
    accepted = ", ".join(f".{fmt}" for fmt in allowed)
    declared = EXTENSIONS.get(suffix)
    if suffix and (declared is None or declared not in allowed):
        raise InvalidFile(
            _("{name}: files ending in {suffix} are not accepted; use {accepted}").format(
                name=name, suffix=suffix, accepted=accepted
            )
        )
    try:
        kind, encoding = _kind(data)
    except InvalidFile as exc:
        raise InvalidFile(_("{name}: {reason}").format(name=name, reason=exc)) from exc
    if kind == "json" and encoding and declared in (None, "json"):  # say why it is not JSON
        try:
            with text_stream(data, encoding) as stream:
                json.loads(stream.read().lstrip("\ufeff"))
        except RecursionError as exc:
            raise InvalidFile(
                _("{name}: {reason}").format(name=name, reason=_(JSON_TOO_DEEP))
            ) from exc
        except ValueError as exc:  # a UnicodeDecodeError too (a broken UTF-16 surrogate)
            raise InvalidFile(
                _("{name} is named .json but is not valid JSON: {reason}").format(
                    name=name, reason=exc
                )
            ) from exc
    if declared is not None and kind != declared:
        raise InvalidFile(
            _("{name} is named {suffix} but holds {what}").format(
                name=name, suffix=suffix, what=_(_DESCRIPTIONS[kind])
            )
        )
    if kind not in allowed:
        raise InvalidFile(
            _("{name} holds {what}; use {accepted}").format(
                name=name, what=_(_DESCRIPTIONS[kind]), accepted=accepted
            )
        )
    if kind == "csv" and encoding and required_columns:
        _delimiter, header = csv_header(_text_prefix(data, encoding), required_columns)
        present = {normalise_header(cell) for cell in header}
        missing = [c for c in required_columns if normalise_header(c) not in present]
        if missing:
            raise InvalidFile(
                _(
                    "{name} is not a table of the expected kind: its first row lacks the "
                    "column(s) {columns}"
                ).format(name=name, columns=", ".join(missing))
            )
    return FileKind(kind, encoding)


def detect_format(
    data: bytes,
    filename: str,
    *,
    allowed: Collection[str] = FORMATS,
    required_columns: Collection[str] = (),
) -> str:
    """The file's format (csv, xlsx or json); see inspect_file."""
    return inspect_file(data, filename, allowed=allowed, required_columns=required_columns).format
