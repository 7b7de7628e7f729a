"""What kind of file an upload is, judged on its content (not its name), and its size limit."""

import csv
import io
import json
import zipfile
from collections.abc import Collection
from pathlib import PurePath

MAX_MEGABYTES = 20  # for st.file_uploader(max_upload_size=...)
MAX_BYTES = MAX_MEGABYTES * 1024 * 1024
# An XLSX is a ZIP archive: refuse one that would unpack to more than this (a "zip bomb").
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

FORMATS = ("csv", "xlsx", "json")
EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}

_DESCRIPTIONS = {
    "csv": "CSV text",
    "xlsx": "an Excel workbook (.xlsx)",
    "json": "JSON",
    "xls": "an old-style Excel workbook (.xls); save it as .xlsx",
    "zip": "a ZIP archive that is not an Excel workbook",
    "binary": "binary data, not a table",
    "pdf": "a PDF document, not a table",
    "png": "a PNG image, not a table",
    "jpeg": "a JPEG image, not a table",
    "gif": "a GIF image, not a table",
    "gzip": "a gzip archive, not a table",
    "rar": "a RAR archive, not a table",
    "7z": "a 7-Zip archive, not a table",
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


def check_size(data: bytes, name: str = "the file") -> None:
    """Refuse files over MAX_BYTES (before any parsing) and empty files."""
    if len(data) > MAX_BYTES:
        raise InvalidFile(
            f"{name} is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB"
        )
    if not data.strip():
        raise InvalidFile(f"{name} is empty")


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f")


def _looks_binary(data: bytes) -> bool:
    """More than 1% control bytes in the first 64 KB: not text (a stray NUL in a long text is)."""
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) // 100


def decode_text(data: bytes) -> str:
    """Text from UTF-8 (with or without a byte-order mark), UTF-16 with a BOM, else Windows-1252
    (what Excel writes on western European systems), else Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InvalidFile("the file claims to be UTF-16 text but is not") from exc
    if _looks_binary(data):
        raise InvalidFile("the file holds binary data, not text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


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


def content_kind(data: bytes) -> str:
    """What the bytes are: csv (any text), xlsx, json, xls, zip, a known binary kind (pdf, png,
    jpeg, gif, gzip, rar, 7z) or binary."""
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if names is None:
            return "binary"
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
        return "zip"
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return kind
    try:
        text = decode_text(data)
    except InvalidFile:
        return "binary"
    if text.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
        try:
            json.loads(text.lstrip("\ufeff"))
            return "json"
        except ValueError:
            pass
    return "csv"


def detect_format(
    data: bytes,
    filename: str,
    *,
    allowed: Collection[str] = FORMATS,
    required_columns: Collection[str] = (),
) -> str:
    """The file's format (csv, xlsx or json) judged on its content. Raises InvalidFile for a file
    over MAX_BYTES, one whose content is none of the allowed formats or does not match its
    extension, and a CSV whose first row lacks the required columns."""
    name = PurePath(filename or "the file").name or "the file"
    check_size(data, name)
    suffix = PurePath(name).suffix.lower()
    accepted = ", ".join(f".{fmt}" for fmt in allowed)
    declared = EXTENSIONS.get(suffix)
    if suffix and (declared is None or declared not in allowed):
        raise InvalidFile(f"{name}: files ending in {suffix} are not accepted; use {accepted}")
    kind = content_kind(data)
    if declared == "json" and kind == "csv":  # say why it is not JSON
        try:
            json.loads(decode_text(data).lstrip("\ufeff"))
        except ValueError as exc:
            raise InvalidFile(f"{name} is named .json but is not valid JSON: {exc}") from exc
    if declared is not None and kind != declared:
        raise InvalidFile(f"{name} is named {suffix} but holds {_DESCRIPTIONS[kind]}")
    if kind not in allowed:
        raise InvalidFile(f"{name} holds {_DESCRIPTIONS[kind]}; use {accepted}")
    if kind == "csv" and required_columns:
        _, header = csv_header(decode_text(data), required_columns)
        present = {normalise_header(cell) for cell in header}
        missing = [c for c in required_columns if normalise_header(c) not in present]
        if missing:
            raise InvalidFile(
                f"{name} is not a table of the expected kind: its first row lacks the "
                f"column(s) {', '.join(missing)}"
            )
    return kind
