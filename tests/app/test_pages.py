"""AppTest smoke tests: every page in the menu renders without an exception."""

import pytest
from streamlit.testing.v1 import AppTest

from forumdash import repository
from forumdash.db import make_engine, read_session
from forumdash.ui.corrections import OPEN
from forumdash.ui.frame import NAVIGATION, SEARCH_KEY
from tests.conftest import ROOT


def new_session() -> AppTest:
    """A visitor's session before any page has run: its first run draws only the page switched
    to (signing in on the login page as the first page skips drawing the overview first)."""
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)


def open_page(script: str, **params: str | list[str]) -> AppTest:
    """`script` opened cold by its URL, as a visitor's first page: only that page runs (the
    overview is not drawn first: it was most of an AppTest's time)."""
    at = new_session()
    for key, value in params.items():
        at.query_params[key] = value
    if script != "app.py":
        at.switch_page(script)
    at.run()
    return at


def open_correction(at: AppTest, key: str) -> AppTest:
    """Open the "Suggest a correction" expander under `key` (its form is drawn only once opened),
    as a click on its header does: the expander's state is in session state under its key."""
    at.session_state[key + OPEN] = True
    at.run()
    return at


def download_panels(at: AppTest) -> list[str]:
    """The keys of the charts' "Download PNG / SVG" panels this run drew (AppTest lists no
    popovers, and its session state mapping cannot be iterated: the keys are read from the
    state underneath; a panel's key is its chart's and ".downloads")."""
    return [
        key for key in at.session_state._state._state.filtered_state if key.endswith(".downloads")
    ]


def open_chart_downloads(at: AppTest) -> AppTest:
    """Open every chart's "Download PNG / SVG" panel (its buttons are drawn only while it is
    open), as a click on each does: the panel's state is in session state under its key."""
    panels = download_panels(at)
    assert panels, "no chart download panel on this page"
    for key in panels:
        at.session_state[key] = True
    at.run()
    return at


@pytest.mark.parametrize("script", [script for script, _, _ in NAVIGATION])
def test_every_page_renders(app_database, script):
    at = open_page(script)
    assert not at.exception
    if script == "pages/display.py":  # the event display has no menu, on purpose
        assert not at.sidebar.markdown
        assert SEARCH_KEY not in [box.key for box in at.text_input]
    else:
        assert at.sidebar.markdown[0].value == "### forumdash"
        # The forum's search box, empty (it shows words only on the search page itself).
        assert at.sidebar.text_input(key=SEARCH_KEY).value == ""


def test_overview_shows_real_figures(app_database):
    at = open_page("app.py")
    metrics = {m.label: int(m.value) for m in at.metric}
    engine = make_engine(app_database)
    with read_session(engine) as session:
        by_country = repository.count_practices_by_country(session=session)
        milestones = repository.count_milestones(session=session)
    engine.dispose()
    assert metrics["Published practices"] == sum(by_country.values()) > 0
    assert metrics["Milestones"] == milestones > 0
    assert metrics["Countries with practices"] == sum(1 for n in by_country.values() if n)


def test_country_profile_of_kosovo(app_database):
    at = open_page("pages/country.py", code="XK")
    assert not at.exception
    assert at.title[0].value == "Kosovo"
    labels = [e.label for e in at.expander]
    assert any(label.startswith("2013-07-09") for label in labels)


def test_country_picker_updates_the_url(app_database):
    at = open_page("pages/country.py", code="XK")
    at.selectbox(key="country.code").select("AL").run()
    assert at.query_params["code"] == ["AL"] or at.query_params["code"] == "AL"
    assert at.title[0].value == "Albania"


def test_unknown_country_code_gets_a_message(app_database):
    at = open_page("pages/country.py", code="<b>ZZ</b>")
    assert not at.exception
    assert "no country with the code" in at.warning[0].value
    assert [t.value for t in at.title] == ["Countries"]  # the list to choose from instead
