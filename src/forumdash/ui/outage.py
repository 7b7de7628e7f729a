"""A database out of reach (down, restarting, its disk full): every page says so in one short
message instead of a traceback, checks again every few seconds, and comes back by itself.

frame.page installs `on_script_error` on the run's context first thing, so that a database
error anywhere in the page, after elements are drawn or inside a form's save, ends the run with
the message (the rest of the page is not drawn; what was typed stays in the widgets: a run
stopped early keeps every widget's state). Any other error is left to Streamlit, whose details
the configuration hides from visitors (`client.showErrorDetails`, .streamlit/config.toml).
"""

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from forumdash import db
from forumdash.i18n import _

RETRY_EVERY_S = 4  # how often a page showing the message asks the database again
_NOT_SAVED = "outage.not_saved"  # a write failed: said once more when the page is back
_JUST_SHOWN = "outage.just_shown"  # the retry's first, inline call does not check yet
MESSAGE_KEY = "outage.message"  # the message's container (tests look for it)
_OURS = "forumdash_outage"  # marks our handler, holding the one it replaced (or True)
_FAILED_CALLBACK = "outage.failed_callback"  # a callback's database error, for the run to show

Probe = Callable[[], bool]
P = ParamSpec("P")


def install(probe: Probe) -> None:
    """Show database errors of this run (and its fragments) as the outage message."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return
    # A handler the server was started with (st.App(on_script_error=...), say for error
    # reporting) still hears of every other error; installed once per context, not per run.
    before = ctx.on_script_error
    if getattr(before, _OURS, False):
        before = getattr(before, _OURS)
        if not callable(before):
            before = None

    def on_script_error(exc: Exception) -> bool | None:
        if db.out_of_reach(exc):
            show(exc, probe)
            return True
        # A bug: Streamlit logs it and shows it as configured (no details for visitors).
        return before(exc) if before is not None else False

    setattr(on_script_error, _OURS, before or True)
    ctx.on_script_error = on_script_error


def guarded(callback: Callable[P, None]) -> Callable[P, None]:
    """A widget's callback whose database errors end the run with the message too. Callbacks
    run before the page's script, so before frame.page installs the handler (each interaction
    gets a fresh run context): Streamlit would show its own error, and nothing would come back
    by itself. The error waits in the session for frame.page (show_failed_callback)."""

    @functools.wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            callback(*args, **kwargs)
        except Exception as exc:
            if not db.out_of_reach(exc):
                raise  # a bug: Streamlit's own notice, details hidden
            st.session_state[_FAILED_CALLBACK] = exc

    return run


def show_failed_callback(probe: Probe) -> None:
    """A guarded callback of this run found the database out of reach: the message, and stop."""
    failed = st.session_state.pop(_FAILED_CALLBACK, None)
    if isinstance(failed, BaseException):
        show(failed, probe)
        st.stop()


def show(exc: BaseException, probe: Probe) -> None:
    """The message for a database out of reach, and the quiet check that reruns the page when
    the database answers again."""
    # The details (a host, a file, a user name) go to the server log, not to visitors. .log, not
    # .error: the line stays English and is not read as Streamlit's st.error.
    overloaded = db.busy(exc)
    logging.getLogger("forumdash").log(
        logging.ERROR,
        "no database connection free in time (the process is overloaded): %s"
        if overloaded
        else "database out of reach: %s",
        exc,
    )
    not_saved = db.failed_write(exc) or db.disk_full(exc)
    if not_saved:
        st.session_state[_NOT_SAVED] = True
    with st.container(key=MESSAGE_KEY):
        if db.disk_full(exc):
            st.error(
                _("The database cannot store anything right now (its disk is full); trying again."),
                icon=":material/cloud_off:",
            )
        elif overloaded:
            # Not "not reachable": under a crowd (250 tabs at once on too few processes) a page
            # waited a minute for one of the pool's connections while the database was fine.
            # An error all the same: the page could not be drawn (bench/load.py counts it).
            st.error(
                _(
                    "forumdash is very busy right now, with many people using it at once; "
                    "trying again."
                ),
                icon=":material/hourglass_top:",
            )
        else:
            st.error(_("The database is not reachable; trying again."), icon=":material/cloud_off:")
        if not_saved:
            st.warning(
                _(
                    "Nothing was saved. What you typed is still in the form: send it again "
                    "once this page is back."
                ),
                icon=":material/edit_off:",
            )
        st.session_state[_JUST_SHOWN] = True
        _retry(probe)


@st.fragment(run_every=RETRY_EVERY_S)
def _retry(probe: Probe) -> None:
    if st.session_state.pop(_JUST_SHOWN, False):
        # Drawn inline with the message: a rerun from inside the error handler is not allowed.
        st.caption(_("This page reloads by itself when the database answers."))
        return
    if _answers(probe):
        st.rerun(scope="app")
    st.caption(_("This page reloads by itself when the database answers."))


def _answers(probe: Probe) -> bool:
    try:
        return probe()
    except Exception as exc:  # noqa: BLE001 - any failure to answer means: not yet
        if not db.out_of_reach(exc):
            logging.getLogger("forumdash").log(logging.ERROR, "database check failed: %s", exc)
        return False


def not_saved_notice() -> None:
    """Once the page is back after a failed write: say again that it was not saved."""
    if st.session_state.pop(_NOT_SAVED, False):
        st.warning(
            _(
                "The database was out of reach a moment ago and what you sent then was not "
                "saved. What you typed is still in the form: please send it again."
            ),
            icon=":material/edit_off:",
        )
