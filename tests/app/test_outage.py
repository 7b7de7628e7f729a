"""Fault injection (issue 14, item 9): the database server stopped mid-session, and a full disk
under the SQLite file. Every page then shows one short message, never a traceback or Streamlit's
exception element, keeps what was typed, saves nothing half-way, and comes back by itself when
the database does."""

import contextlib
import os
import shutil
import subprocess
import types
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlmodel import func, select
from streamlit.testing.v1 import AppTest

from forumdash.db import make_engine, read_session, write_session
from forumdash.models import Suggestion
from forumdash.service import init_database
from forumdash.ui import outage
from forumdash.ui.frame import NAVIGATION
from tests.app.test_contribute import PASSWORD, accounts, sign_in  # noqa: F401
from tests.app.test_pages import open_page
from tests.conftest import ROOT, skip_or_fail
from tests.support import pgserver

UNREACHABLE = "The database is not reachable; trying again."
BUSY = "forumdash is very busy right now, with many people using it at once; trying again."
DISK_FULL = "The database cannot store anything right now (its disk is full); trying again."


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def _outage_shown(at) -> bool:
    return UNREACHABLE in _errors(at)


@pytest.fixture
def stoppable_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[pgserver.Server]:
    """The app on a seeded database of a PostgreSQL server of its own (the suite's shared server
    is not stopped: other tests use it)."""
    if pgserver.find_bindir() is None:
        skip_or_fail("PostgreSQL server binaries not found (Debian package 'postgresql')")
    with pgserver.stoppable_server() as server:
        url = pgserver.create_database(server.url, f"t_{uuid.uuid4().hex[:12]}")
        engine = make_engine(url)
        init_database(engine)
        engine.dispose()
        monkeypatch.setenv("FORUMDASH_DATABASE_URL", url)
        monkeypatch.chdir(ROOT)
        st.cache_resource.clear()
        st.cache_data.clear()
        yield server
        st.cache_resource.clear()
        st.cache_data.clear()


@pytest.mark.pg
def test_postgresql_stopped_mid_session_then_back(stoppable_database):
    server = stoppable_database
    at = open_page("pages/browse.py")
    assert not at.exception and not _outage_shown(at)
    titles_before = [m.value for m in at.markdown]

    server.stop()  # as a crash would: the pooled connections die with it
    at.run()
    assert not at.exception
    assert _outage_shown(at)
    assert [c.value for c in at.caption].count(
        "This page reloads by itself when the database answers."
    ) == 1
    # Still down: the page's next runs say the same, calmly.
    at.run()
    assert not at.exception and _outage_shown(at)

    server.start()
    # What the page's own check does every few seconds (outage.RETRY_EVERY_S): run again until
    # the message goes; the pool replaces its dead connections (pool_pre_ping).
    for _attempt in range(10):
        at.run()
        if not _outage_shown(at):
            break
    assert not at.exception and not _outage_shown(at)
    assert [m.value for m in at.markdown] == titles_before


@pytest.mark.pg
def test_every_page_opened_while_postgresql_is_down(stoppable_database):
    server = stoppable_database
    assert not open_page("app.py").exception  # the engine is made and cached while it is up
    server.stop()
    scripts = ["app.py", *sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))]
    assert len(scripts) > len(NAVIGATION)
    # Pages of one record are opened with one (without, they say so and need no database).
    params = {
        "pages/practice.py": {"id": "1"},
        "pages/commitment.py": {"id": "AL0002"},
        "pages/search.py": {"q": "budget"},
    }
    quiet = []
    for script in scripts:
        at = open_page(script, **params.get(script, {}))
        assert not at.exception, script
        if not _outage_shown(at):
            quiet.append(script)
    # What a visitor without an account sees there (a sign-in form, "sign in first") needs no
    # database: nothing fails, so nothing is said.
    assert quiet == ["pages/inbox.py", "pages/login.py", "pages/review.py", "pages/submit.py"]
    # A process started while the server is down (nothing cached yet): the same message.
    st.cache_resource.clear()
    at = open_page("app.py")
    assert not at.exception and _outage_shown(at)
    server.start()
    for _attempt in range(10):
        at.run()
        if not _outage_shown(at):
            break
    assert not at.exception and not _outage_shown(at)
    assert at.metric  # the overview's figures are back


def test_outage_probe_failures_mean_not_yet():
    def down() -> bool:
        raise outage.db.DatabaseError("cannot reach the database: refused")

    assert outage._answers(down) is False
    assert outage._answers(lambda: True) is True


# --------------------------------------------------------------------------- a full disk


@contextlib.contextmanager
def _tiny_disk(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted on `folder` (root only), unmounted after."""
    folder.mkdir()
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot mount a tmpfs here ({exc}): tests/unit/test_faults.py fills SQLite")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _fill(folder: Path) -> Path:
    """Take every free byte of the file system of `folder`."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as out:
        for size in (65536, 4096, 512):
            try:
                while out.write(b"\0" * size):
                    pass
            except OSError:
                pass
    assert shutil.disk_usage(folder).free < 4096
    return filler


def _suggestions(url: str) -> int:
    engine = make_engine(url)
    try:
        with read_session(engine) as session:
            return session.exec(select(func.count()).select_from(Suggestion)).one()
    finally:
        engine.dispose()


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")
def test_full_disk_refuses_a_send_keeps_the_text_and_saves_nothing(
    app_database,
    accounts,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    seeded = Path(app_database.removeprefix("sqlite:///"))
    accounts.dispose()
    size = seeded.stat().st_size + 6 * 1024 * 1024  # the file, its WAL and room to open pages
    with _tiny_disk(tmp_path / "disk", str(size)) as disk:
        shutil.copyfile(seeded, disk / "forumdash.db")
        url = f"sqlite:///{disk / 'forumdash.db'}"
        monkeypatch.setenv("FORUMDASH_DATABASE_URL", url)
        st.cache_resource.clear()
        at = open_page("pages/share.py")
        assert not at.exception
        before = _suggestions(url)
        at.radio(key="share.record_type").set_value("practice")
        at.selectbox(key="share.country_code").set_value("MK")
        at.text_input(key="share.title").input("Open budgets in every municipality")
        at.text_area(key="share.description").input("Each municipality publishes its budget.")
        login = open_page("pages/login.py")
        filler = _fill(disk)

        # A write that no form catches (signing in records the attempt): the frame's message.
        login.text_input(key="login.email").input("fp@xk.example")
        login.text_input(key="login.password").input(PASSWORD)
        login.button(key="FormSubmitter:login.form-Sign in").click().run()
        assert not login.exception
        assert DISK_FULL in _errors(login)
        assert any(w.value.startswith("Nothing was saved.") for w in login.warning)
        assert login.text_input(key="login.email").value == "fp@xk.example"

        # A form that catches its own database errors: its message, in the form's words.
        at.button(key="share-page.send").click().run()
        assert not at.exception
        shown = " ".join(_errors(at))
        assert "database" in shown and ("not saved" in shown.lower() or "reach" in shown)
        # What was typed is still in the form, and nothing of the send reached the database.
        assert at.text_input(key="share.title").value == "Open budgets in every municipality"
        assert at.text_area(key="share.description").value.startswith("Each municipality")
        filler.unlink()
        assert _suggestions(url) == before

        # Room again: the page is back by itself and says once that the sign-in was not saved.
        login.run()
        assert not login.exception and DISK_FULL not in _errors(login)
        assert any("was not saved" in w.value for w in login.warning)
        assert login.text_input(key="login.email").value == "fp@xk.example"
        login.run()
        assert not login.warning  # said once

        # Room again: the same send goes through, once.
        at.button(key="share-page.send").click().run()
        assert not at.exception and not _errors(at)
        assert _suggestions(url) == before + 1
        st.cache_resource.clear()  # the engine's pool holds files on the tmpfs


def test_a_handler_the_server_had_still_hears_of_other_errors(monkeypatch):
    heard: list[Exception] = []

    def reporting(exc: Exception) -> None:
        heard.append(exc)

    ctx = types.SimpleNamespace(on_script_error=reporting)
    monkeypatch.setattr(outage, "get_script_run_ctx", lambda suppress_warning: ctx)
    outage.install(lambda: True)
    outage.install(lambda: True)  # every run installs it again: still one link in the chain
    bug = ValueError("a bug")
    assert ctx.on_script_error(bug) is None and heard == [bug]
    ctx.on_script_error = None
    outage.install(lambda: True)
    outage.install(lambda: True)
    assert ctx.on_script_error(bug) is False  # Streamlit's own display, details hidden


def test_a_button_whose_callback_finds_the_database_down_shows_the_message(
    accounts,  # noqa: F811
    monkeypatch,
):
    """A button's callback runs before the page's script, so before frame.page installs the
    handler: a database out of reach there still shows the message (not Streamlit's error), and
    the page comes back by itself."""
    from sqlalchemy.exc import OperationalError

    from forumdash import auth, workflow
    from forumdash import vocab as v
    from forumdash.models import Practice, User

    with read_session(accounts) as session:
        org = session.exec(select(User).where(User.email == "org@example.org")).one()
        shown = session.exec(
            select(Practice).where(Practice.workflow == v.Workflow.published)
        ).first()
    user = auth.SessionUser(org.id, org.email, v.Role.organiser, None)
    with write_session(accounts) as session:
        record = workflow.record_of(session=session, practice_id=shown.id).model_dump()
        record |= {"title": "Waiting for review", "sources": [{"title": "Minutes", "url": ""}]}
        practice_in = type(workflow.record_of(session=session, practice_id=shown.id))
        submitted = workflow.save_practice(
            session=session,
            user=user,
            practice_in=practice_in.model_validate(record),
            client_key="c" * 32,
        )
        workflow.submit(session=session, user=user, practice_id=submitted)
    at = sign_in(open_page("app.py"), "org@example.org").switch_page("pages/review.py").run()

    def down(**_kwargs: object) -> None:
        raise OperationalError("UPDATE practice", {}, ConnectionRefusedError("refused"))

    with monkeypatch.context() as patch:
        patch.setattr(workflow, "approve", down)
        at.button(key=f"review.approve.practice.{submitted}").click().run()
    assert not at.exception
    assert _outage_shown(at)
    at.run()  # what the message's own check does once the database answers
    assert not at.exception and not _outage_shown(at)
    assert at.button(key=f"review.approve.practice.{submitted}")


def test_an_overloaded_process_says_busy_not_unreachable():
    """No pooled connection free in time (the pool's TimeoutError): the page says forumdash is
    busy and tries again, and does not claim the database is down."""

    def page() -> None:
        import sqlalchemy as sa

        from forumdash.ui import outage

        outage.show(sa.exc.TimeoutError("QueuePool limit of size 10 overflow 20 reached"), bool)

    at = AppTest.from_function(page, default_timeout=30).run()
    assert not at.exception
    assert _errors(at) == [BUSY]  # an error: the page could not be drawn
    assert "This page reloads by itself when the database answers." in [c.value for c in at.caption]
