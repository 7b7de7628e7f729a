"""The app's pages as Streamlit `Page` objects, the one way every link (`st.page_link`) and page
switch (`st.switch_page`) names a page.

Given a script path, Streamlit resolves it on every call (the main script's directory, then
`os.path.realpath`: several system calls per link, each of which lets another session's thread
take the interpreter on a busy server; a sixth of a loaded server's time went there). Given a
`Page`, it only checks that the page is the one registered. This app's pages are registered from
its `pages/` directory on every run (Streamlit's `_mpa_v1`: the main script as the default page,
each `pages/NAME.py` resolved); `page` builds the same `Page` once per process and script, so
its hash (from its URL path), URL path and script path are the registered ones."""

from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

PAGES_FOLDER = "pages"  # the folder Streamlit registers pages from, beside the main script

# (main script, script as the app names it) -> its Page. Keyed on the main script too, so that
# tests that run another main script (AppTest of a file elsewhere) never get another app's page.
_PAGES: dict[tuple[str, str], st.Page] = {}


def page(script: str) -> st.Page:
    """The registered page of `script` ("app.py" or "pages/NAME.py", relative to the main
    script), built on its first use in this process. Raises StreamlitAPIException for a script
    that is not one of the app's pages."""
    ctx = get_script_run_ctx()
    main = ctx.main_script_path if ctx is not None else ""
    found = _PAGES.get((main, script))
    if found is None:
        found = _PAGES.setdefault((main, script), _build(main, script))
    return found


def _build(main: str, script: str) -> st.Page:
    # As Streamlit registers them: the main script resolved is the default page, and a page is
    # `(main's resolved directory / "pages" / NAME.py)` resolved (st.Page resolves it again).
    main_path = Path(main).resolve()
    path = (main_path.parent / script).resolve()
    if path != main_path and path.parent != (main_path.parent / PAGES_FOLDER).resolve():
        raise StreamlitAPIException(f"{script!r} is not a page of this app")
    return st.Page(path, default=path == main_path)
