"""AppTest: an organiser imports OGP's real-world export on /review: the dry run shows every
error and warning in full, wrapped, warnings apart; after "Import now" only the result shows."""

from pathlib import Path

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from forumdash.db import read_session
from forumdash.models import Commitment
from tests.app.test_contribute import accounts, sign_in  # noqa: F401  (a fixture)
from tests.app.test_pages import new_session

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _upload_ogp(data: bytes, name: str = "export.csv") -> AppTest:
    at = sign_in(new_session(), "org@example.org")
    at.switch_page("pages/review.py").run()
    kind = next(b for b in at.get("button_group") if b.key == "review.import.kind")
    kind.set_value("ogp").run()
    at.get("file_uploader")[0].set_value((name, data, "text/csv")).run()
    assert not at.exception
    return at


def _plain(text: str) -> str:
    """Shown text without Markdown's escapes."""
    return text.replace("\\", "")


def _codes(at: AppTest) -> list[str]:
    return [c.value for c in at.code]


def test_the_real_world_export_is_accepted_with_its_warnings_in_full(accounts):  # noqa: F811
    at = _upload_ogp((FIXTURES / "ogp_real_quirks.csv").read_bytes(), "ogp_real_quirks.csv")
    assert "dry run" in " ".join(c.value for c in at.caption)
    assert _plain(at.success[0].value).startswith("ogp: ogp_real_quirks.csv: 9 created")
    assert not at.error  # warnings do not refuse the file
    assert at.warning[0].value.startswith("6 cells in 2 rows not read")
    warnings = next(code for code in _codes(at) if code.startswith("row 4 (BA9101)"))
    assert warnings.splitlines() == [
        "row 4 (BA9101): Potential Impact 'Huge': not one of None, Minor, Moderate, "
        "Transformative; left empty, kept as written",
        next(line for line in warnings.splitlines() if line.startswith("row 9 (XK9101)")),
    ]
    assert "End Date 'sometime soon'" in warnings and "Start Date 'mid-2015'" in warnings
    assert all(code.proto.wrap_lines for code in at.code)  # a long value wraps, never cut off
    assert [b for b in at.button if b.label == "Import now"]


def test_after_import_now_only_the_result_shows(accounts):  # noqa: F811
    at = _upload_ogp((FIXTURES / "ogp_real_quirks.csv").read_bytes())
    with read_session(accounts) as session:
        assert session.exec(select(Commitment)).all() == []  # the dry run wrote nothing
    [b for b in at.button if b.label == "Import now"][0].click().run()
    assert not at.exception
    with read_session(accounts) as session:
        assert len(session.exec(select(Commitment)).all()) == 9
    assert not [b for b in at.button if b.label == "Import now"]
    captions = _imports_tab_captions(at)
    assert "dry run" not in captions and "Imported" in captions
    results = [_plain(s.value) for s in at.success]
    assert any(text.startswith("ogp: export.csv: 9 created") for text in results)
    assert at.warning and any(code.startswith("row 4 (BA9101)") for code in _codes(at))
    # Another rerun (any click elsewhere) still shows only the result.
    at.run()
    assert not [b for b in at.button if b.label == "Import now"]
    assert "dry run" not in _imports_tab_captions(at)


def _imports_tab_captions(at: AppTest) -> str:
    """The captions of the Imports tab only (the own-columns tab explains its dry run)."""
    [tab] = [t for t in at.tabs if t.label == "Imports"]
    return " ".join(c.value for c in tab.caption)


def test_a_file_that_cannot_be_commitments_shows_errors_apart_from_warnings(accounts):  # noqa: F811
    data = (FIXTURES / "ogp_real_quirks.csv").read_bytes().replace(b",AL9102,", b",,")
    at = _upload_ogp(data)
    assert _plain(at.error[0].value).startswith("ogp: export.csv: 1 invalid row")
    codes = _codes(at)
    assert "row 3: Commitment Unique Identifier: empty" in codes
    assert any(code.startswith("row 4 (BA9101)") for code in codes)  # the warnings, apart
    assert not [b for b in at.button if b.label == "Import now"]
