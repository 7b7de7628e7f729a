"""AppTest of /review's upload with files from the real world: a Windows-1250 CSV is read as such
(the dry run says so) and stored as written; a file whose encoding cannot be told is refused with
a request for UTF-8; the progress bar is gone once the import is done."""

import json

from sqlmodel import select

from forumdash.db import read_session
from forumdash.models import Practice
from tests.app.test_contribute import accounts, sign_in  # noqa: F401  (accounts is a fixture)
from tests.app.test_pages import new_session
from tests.unit.test_import_files import CP1250_TEXT, _csv_text
from tests.unit.test_import_practices import _row


def _review(email: str = "org@example.org"):
    at = sign_in(new_session(), email)
    at.switch_page("pages/review.py").run()
    return at


def test_windows_1250_file_is_imported_as_written(accounts):  # noqa: F811
    row = _row("upload-cp1250", {"Title": CP1250_TEXT, "Summary": "Učešće građana u Čačku."})
    data = _csv_text(row).encode("cp1250")
    at = _review()
    at.get("file_uploader")[0].set_value(("slucajevi.csv", data, "text/csv")).run()
    assert not at.exception
    shown = [*(s.value for s in at.success), *(c.value for c in at.code)]
    report = " ".join(shown).replace("\\", "")  # the summary is shown Markdown-escaped
    assert "1 created" in report and "read as Windows-1250 (Central European)" in report
    assert not at.get("progress")  # the bar is removed once the dry run is done
    [b for b in at.button if b.label == "Import now"][0].click().run()
    assert not at.exception
    with read_session(accounts) as session:
        stored = session.exec(select(Practice).where(Practice.slug == "upload-cp1250")).one()
    assert stored.title == CP1250_TEXT and stored.summary == "Učešće građana u Čačku."


def test_file_of_uncertain_encoding_is_refused_with_how_to_save_utf8(accounts):  # noqa: F811
    data = _csv_text(_row("upload-unsure", {"Title": "Čačak"})).encode("cp1250")
    at = _review()
    at.get("file_uploader")[0].set_value(("cacak.csv", data, "text/csv")).run()
    assert not at.exception
    message = at.error[0].value.replace("\\", "")  # shown Markdown-escaped
    assert "cannot be imported" in message and "UTF-8" in message and "CSV UTF" in message
    assert not [b for b in at.button if b.label == "Import now"]
    with read_session(accounts) as session:
        assert session.exec(select(Practice).where(Practice.slug == "upload-unsure")).all() == []


def test_files_that_break_json_or_unicode_are_refused_in_words(accounts):  # noqa: F811
    """Nesting deeper than Python's json can follow, and half of a surrogate pair (a "\\ud800"
    escape that json accepts but no database stores): a message, nothing imported, no trace."""
    practice = _row("upload-surrogate", {"Title": "Open budgets"})
    surrogate = json.dumps({"practices": [dict(practice, Title="Open \ud800 budgets")]})
    files = {
        "deep.json": (b"[" * 100_000, "nest too deeply"),
        "broken.json": (surrogate.encode(), "half of a UTF-16 surrogate pair"),
    }
    at = _review()
    for name, (data, said) in files.items():
        at.get("file_uploader")[0].set_value((name, data, "application/json")).run()
        assert not at.exception, name
        message = " ".join(e.value for e in at.error).replace("\\", "")
        assert "cannot be imported" in message and said in message, (name, message)
        assert not [b for b in at.button if b.label == "Import now"]
    with read_session(accounts) as session:
        assert session.exec(select(Practice).where(Practice.slug == "upload-surrogate")).all() == []
