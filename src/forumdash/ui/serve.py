"""`python -m forumdash serve [STREAMLIT OPTIONS]`: the app's server (`streamlit run app.py`
with the options given), started only once what its first visitors would wait for is done.

Streamlit imports a page's modules, and the app migrates its database, on the first visitor's
request: at 100,000 practices that request took 5 s (2 s of imports, 3 s building the overview
while the warm-up read the facet index beside it). Here, before the server listens: every module
of the pages is imported (in one thread: several sessions importing the same modules at once
once failed with a half-initialised module, CPython's gh-143650), the database is migrated and
seeded, and the facet index and the pages' views are built (forumdash.warmup.warm_views); the
matching corpus, minutes at that size, goes on in the warm-up thread. A database out of reach
does not stop the server: its pages say so and try again, as they do when it goes away later.
"""

import importlib
import logging
import sys

import sqlalchemy as sa
from streamlit.web import cli as streamlit_cli

from forumdash import warmup
from forumdash.db import DatabaseError
from forumdash.seed import SeedError
from forumdash.service import open_database
from forumdash.settings import ROOT
from forumdash.ui import frame

APP = ROOT / "app.py"
LOG = logging.getLogger("forumdash")


def prepare() -> None:
    """Everything a first visitor would otherwise wait for, done now."""
    for module in frame.WARMED_VIEWS:
        importlib.import_module(module)
    try:
        engine = open_database()
    except (DatabaseError, SeedError, sa.exc.SQLAlchemyError) as exc:
        print(
            f"forumdash: the database is not ready ({_first_line(exc)}); "
            "starting anyway: the pages say so and try again",
            file=sys.stderr,
        )
        return
    try:
        warmup.warm_views(engine)
    except Exception as exc:  # noqa: BLE001 - a view that fails here fails on its page, not the server
        LOG.log(logging.ERROR, "building the first views failed; starting anyway", exc_info=exc)
    warmup.start(engine)


def _first_line(exc: BaseException) -> str:
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def main(options: list[str]) -> int:
    """Prepare, then run Streamlit's own command line in this process: `streamlit run app.py`
    with `options`. Returns its exit code."""
    prepare()
    sys.argv = ["streamlit", "run", str(APP), *options]
    try:
        streamlit_cli.main()  # click: ends with SystemExit
    except SystemExit as exc:
        if isinstance(exc.code, int) or exc.code is None:
            return exc.code or 0
        print(f"forumdash: {exc.code}", file=sys.stderr)  # Streamlit's own message
        return 1
    return 0
