"""Imports into the forum's database: practices from the bulk-entry template (CSV, XLSX, JSON),
challenges, spreadsheets in their own columns mapped onto either template (mapping.py), and
commitments from OGP's export. Every import is checked whole before anything is written."""

from forumdash.importers.report import ImportReport
from forumdash.importers.run import ACCEPTED, KINDS, run_import
from forumdash.importers.sniff import MAX_BYTES, MAX_MEGABYTES, InvalidFile, detect_format
from forumdash.importers.template import FILENAMES as TEMPLATE_FILENAMES
from forumdash.importers.template import template_csv, template_xlsx

__all__ = [
    "ACCEPTED",
    "KINDS",
    "MAX_BYTES",
    "MAX_MEGABYTES",
    "TEMPLATE_FILENAMES",
    "ImportReport",
    "InvalidFile",
    "detect_format",
    "run_import",
    "template_csv",
    "template_xlsx",
]
