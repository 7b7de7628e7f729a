"""Names vulture reports as unused that are used, where it cannot see (tests/test_quality.py runs
vulture over src/forumdash, pages and app.py with this file; [tool.vulture] in pyproject.toml).

Each entry says who uses it. Vulture matches by name, not by place: `_.x` stands for an
attribute x of anything. A new entry needs a reason; dead code is deleted instead. Functions
that only the tests call are listed last: they are API kept on purpose, or candidates to go.
"""

# Set for libraries, which read them.
_.isolation_level  # db.py: sqlite3's connection setting (we emit BEGIN ourselves)
_.naming_convention  # models.py: SQLAlchemy names constraints by it
_.data_type  # export.py, importers/template.py: openpyxl cell type (text, never a formula)
_.number_format  # export.py, importers/template.py: openpyxl cell format
_.freeze_panes  # export.py, importers/template.py: openpyxl sheet setting
_.alignment  # importers/template.py: openpyxl cell style
model_config  # settings.py: pydantic-settings reads it

# rich_text.py: markdown-it-py calls the parser's link check, html.parser calls its handlers.
_.validateLink
_.handle_startendtag
_.handle_data

# filters.PracticeFilters: facet choices read through getattr(filters, facet.name).
actor_types
completions
evidence_levels

# Table columns that only the database, model_dump() or Alembic read (models.py), and the
# bookkeeping columns written by the workflow and the repository.
grand_challenge
pending_by_id
created_by_id
updated_by_id
problem_purpose  # the body columns are read by name through vocab.BODY_SECTIONS
actors_funding
methods
what_happened
lessons
references
commitment_id
short_title
supporting_institutions
start_precision
end_precision
policy_areas
potential_for_results
as_written
proposed
decline_reason
resolved_at
resolved_by_id
PracticeCommitment  # the practice_commitment link table of migration 0001 (nothing reads it yet)

organisation  # participation._Who: read through model_dump() into the request or suggestion

# Called by the tests only.
_.request_id  # participation.Asked: the request a tap made or found (the tests compare them)
read_practices  # importers/practices.py: parse a file without writing (the tests' entry)
_.as_dict  # importers/report.py: the report as JSON values
rank_all  # matching.py: rank for many challenges at once (named in the module's docstring)
# machine_translation.py: the documented place where a machine translator plugs in; off, with
# nothing registered (the module says why), so only its test calls it.
machine_translator
contact_of  # exchange.py: the one checked way to read a request's contact alone (the views carry it
# for the list); the inbox's mail may use it
FAILED  # auth.py: the failed sign-in answer in English, as the tests compare it
HOW_IT_WORKS  # matching.py: the English explanation the docstring and tests read
_.project  # catalogs.py: Babel writes the catalog header from these attributes
_.language_team  # catalogs.py: Babel writes the catalog header from these attributes
_.header_comment  # catalogs.py: Babel writes the catalog header from these attributes
NOTIFICATION_UNMAILED  # models.py: an index declared on the notification table (migration 0014)
warmed  # warmup.py: the version the warm-up reached, read by bench/first_request.py and the tests
_forget_after_flush  # versioned_cache.py: a SQLAlchemy session event listener (event.listens_for)
_forget_after_transaction  # versioned_cache.py: a SQLAlchemy session event listener
