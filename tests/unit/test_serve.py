"""`python -m forumdash serve`, the README's command: the database is migrated and seeded and
the first pages' views built before the server answers; a database out of reach does not stop
it, and is said in one line, without a traceback."""

import sqlite3

from tests.support.appserver import streamlit_server


def test_the_database_is_ready_before_the_server_answers(tmp_path):
    path = tmp_path / "fresh.db"
    log = tmp_path / "serve.log"
    with streamlit_server(f"sqlite:///{path}", log):
        # No page has been asked for yet: `streamlit run app.py` alone would not have touched
        # the database until the first visitor's request.
        db = sqlite3.connect(path)
        try:
            (practices,) = db.execute("SELECT count(*) FROM practice").fetchone()
            (revision,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            db.close()
    assert practices > 0
    assert revision
    assert "Traceback" not in log.read_text()


def test_a_database_out_of_reach_is_said_in_one_line_and_the_server_starts(tmp_path):
    log = tmp_path / "serve.log"
    with streamlit_server("postgresql+psycopg://forumdash@127.0.0.1:1/forumdash", log) as base:
        assert base.startswith("http://127.0.0.1:")
    said = log.read_text()
    assert said.count("forumdash: the database is not ready (") == 1
    assert "starting anyway: the pages say so and try again" in said
    assert "Traceback" not in said


def test_a_view_that_fails_to_build_at_start_does_not_stop_the_server(
    tmp_path, templates, monkeypatch, caplog
):
    """A defect in one view's build fails that page (as it would have on its request), not the
    start: the server must not end, or systemd would restart it in a loop."""
    from forumdash import warmup
    from forumdash.ui import serve

    url, dispose = templates.clone("sqlite", True, tmp_path)
    monkeypatch.setenv("FORUMDASH_DATABASE_URL", url)
    started = []

    def broken(_engine) -> None:
        raise ValueError("a chart that cannot be built")

    monkeypatch.setattr(warmup, "warm_views", broken)
    monkeypatch.setattr(warmup, "start", started.append)
    try:
        serve.prepare()
    finally:
        dispose()
    assert len(started) == 1  # the warm-up thread still starts
    assert "building the first views failed; starting anyway" in caplog.text
