"""Links and page switches name their page by a `Page` object (forumdash.ui.navigation), built
once per process instead of a path Streamlit resolves on every call: every link still leads to
the page Streamlit registered, and draws exactly what a link by path drew."""

import ast
import textwrap
from pathlib import Path

import pytest
from streamlit.errors import StreamlitAPIException
from streamlit.proto.PageLink_pb2 import PageLink
from streamlit.testing.v1 import AppTest

from forumdash import auth, repository
from forumdash import vocab as v
from forumdash.db import make_engine, read_session, write_session
from forumdash.ui import navigation
from forumdash.ui.frame import NAVIGATION
from tests.app.test_pages import open_page
from tests.conftest import ROOT
from tests.support.signed_in import sign_in_as


def links(at: AppTest) -> list[PageLink]:
    """Every page link drawn by the last run, in the page and in the menu."""
    return [element.proto for element in at.get("page_link")]


def assert_registered(at: AppTest, drawn: list[PageLink]) -> None:
    """Each link carries the hash and the URL path of a page this run registered."""
    registered = at._registered_pages  # what AppTest.switch_page resolves pages against
    assert registered
    for link in drawn:
        assert link.page_script_hash in registered, link
        assert registered[link.page_script_hash]["url_pathname"] == link.page, link


def test_every_link_of_the_public_pages_leads_to_a_registered_page(app_database):
    engine = make_engine(app_database)
    with read_session(engine) as session:
        practice = repository.list_practices(session=session, limit=1)[0]
    engine.dispose()
    opened = [
        open_page("app.py"),
        open_page("pages/practice.py", id=str(practice.id)),
        open_page("pages/country.py", code="XK"),
        open_page("pages/compare.py", countries="AL,RS,XK"),
        open_page("pages/search.py", q="open data"),
    ]
    targets = set()
    for at in opened:
        assert not at.exception
        drawn = links(at)
        assert_registered(at, drawn)
        targets |= {link.page for link in drawn}
    # The overview's heatmap list and map list, records, the menu: many pages are linked.
    menu = {Path(script).stem for script, _, _ in NAVIGATION} - {"app"}
    assert menu <= targets
    assert {"", "practice", "browse", "challenges", "commitments", "login"} <= targets


def test_the_menu_of_an_organiser_links_the_role_pages(app_database):
    engine = make_engine(app_database)
    with write_session(engine) as session:
        user_id = auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="org@example.org",
            password="a long enough password",
            role="organiser",
        )
    engine.dispose()
    organiser = auth.SessionUser(user_id, "org@example.org", v.Role.organiser, None)
    for script in ("app.py", "pages/review.py", "pages/submit.py", "pages/exchange.py"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        sign_in_as(at, organiser)
        if script != "app.py":
            at.switch_page(script)
        at.run()
        assert not at.exception
        drawn = links(at)
        assert_registered(at, drawn)
        menu = {link.page for link in at.sidebar.get("page_link")}
        assert {"submit", "review", "exchange", "inbox"} <= menu
        assert "login" not in menu


@pytest.fixture
def app_beside_the_pages(tmp_path):
    """A main script of its own in a folder whose `pages/` is the app's: it draws, for every page,
    the link Streamlit makes from the page's path and the one made from navigation.page."""
    (tmp_path / "pages").symlink_to(ROOT / "pages", target_is_directory=True)
    scripts = ["app.py"] + [f"pages/{p.name}" for p in sorted((ROOT / "pages").glob("*.py"))]
    (tmp_path / "app.py").write_text(
        textwrap.dedent(
            f"""
            import streamlit as st
            from forumdash.ui import navigation

            for script in {scripts!r}:
                st.page_link(script, label="by path", query_params={{"a": "1"}})
                st.page_link(
                    navigation.page(script), label="by page", query_params={{"a": "1"}}
                )
                st.page_link(script, icon=":material/flag:")  # label and help from the page
                st.page_link(navigation.page(script), icon=":material/flag:")
            """
        )
    )
    return tmp_path / "app.py", scripts


def test_a_link_by_page_is_the_link_by_path(app_beside_the_pages):
    main, scripts = app_beside_the_pages
    at = AppTest.from_file(str(main), default_timeout=30).run()
    assert not at.exception
    drawn = links(at)
    assert len(drawn) == 4 * len(scripts)
    for position in range(0, len(drawn), 2):
        by_path, by_page = drawn[position], drawn[position + 1]
        if by_path.label == "by path":
            by_path.label = "by page"
        assert by_page == by_path  # the hash, URL path, label, icon, help, query: all of it
    assert_registered(at, drawn)
    assert len({link.page_script_hash for link in drawn}) == len(scripts)
    default = drawn[0]
    assert default.page == ""  # the main script is the default page, at the app's root


@pytest.mark.parametrize(
    "script", ["src/forumdash/ui/navigation.py", "tests/app/test_navigation.py", "../app.py"]
)
def test_a_script_that_is_not_a_page_is_refused(script):
    with pytest.raises(StreamlitAPIException, match="is not a page of this app"):
        navigation._build(str(ROOT / "app.py"), script)


def test_pages_are_built_once_per_process(app_database):
    at = open_page("app.py")
    assert not at.exception
    first = dict(navigation._PAGES)
    assert len(first) > 8  # the menu and the overview's links
    open_page("pages/browse.py")
    assert all(navigation._PAGES[key] is page for key, page in first.items())


def test_every_link_and_page_switch_names_its_page_by_navigation_page():
    """A link or a switch by path resolves the path on every call (see forumdash.ui.navigation)."""
    sources = [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]
    sources += (ROOT / "src" / "forumdash" / "ui").glob("*.py")
    by_path = []
    calls = 0
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"page_link", "switch_page"}
            ):
                continue
            calls += 1
            first = node.args[0] if node.args else None
            named = (
                isinstance(first, ast.Call)
                and isinstance(first.func, ast.Attribute)
                and isinstance(first.func.value, ast.Name)
                and (first.func.value.id, first.func.attr) == ("navigation", "page")
            )
            if not named:
                by_path.append(f"{source.relative_to(ROOT)}:{node.lineno}")
    assert calls > 40
    assert not by_path
