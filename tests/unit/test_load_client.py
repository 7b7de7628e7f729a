"""The load generator's client (bench/streamlit_client.py) and participants (bench/load.py)
against the real app served by `python -m forumdash serve`: every journey's steps finish without
an error or a disconnect, and the protocol's parts (widget states, links, fragments) do what the
browser's do. Nothing here is timed: the figures are bench/load.py's."""

import asyncio
import concurrent.futures
import random
import sys
import time
from collections.abc import Iterator

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from tests.conftest import ROOT
from tests.support.appserver import streamlit_server

sys.path.insert(0, str(ROOT / "bench"))
import load  # noqa: E402  (bench/load.py)
from streamlit_client import StreamlitSession, widget_states  # noqa: E402

pytestmark = pytest.mark.xdist_group("load_client")


def run_apart(coroutine):
    """asyncio.run in a thread of its own: a worker that has run browser tests keeps Playwright's
    event loop running in its main thread (the session's browser), where asyncio.run refuses."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a fresh SQLite file (seeded by the app's own first start)."""
    folder = tmp_path_factory.mktemp("load_app")
    with streamlit_server(f"sqlite:///{folder / 'forumdash.db'}", folder / "app.log") as url:
        yield url


def test_every_journey_finishes_without_error(app_url: str) -> None:
    """One participant walks every journey once: each step is recorded, none errs or drops."""
    stats, pools = load.Stats(), load.Pools()
    person = load.Participant(
        app_url, (0.0, 0.0), time.monotonic() + 600, stats, pools, random.Random(1), 120
    )

    async def walk() -> None:
        await person.go("overview", "")
        for journey in load.JOURNEYS:
            await getattr(person, journey)()
        assert person.session is not None
        await person.session.close()

    run_apart(walk())
    expected = {
        "overview (new tab)",
        "overview",
        "browse",
        "browse.filter",
        "browse.search",
        "practice",
        "practice.learn",
        "challenges",
        "challenge",
        "display",
    }
    assert expected <= set(stats.times), sorted(stats.times)
    assert stats.errors == {} and stats.error_alerts == {}, stats.samples
    assert stats.disconnects == {}, stats.samples
    assert pools.practices and pools.challenges


def test_filter_click_sends_every_widget_and_the_url_follows(app_url: str) -> None:
    """A pill chosen on /browse is sent with every other widget's default, and the page writes
    the filter into the query string the next rerun carries."""

    async def click() -> tuple[dict[str, object], str, list[str]]:
        tab = StreamlitSession(app_url, timeout=120)
        try:
            first = await tab.open("/browse")
            assert not first.errors
            pills = tab.find("button_group", "Country")
            option = tab.element(pills).button_group.options[0].content
            choice = WidgetState()
            choice.string_array_value.data.append(option)
            run = await tab.set_widget(pills.widget_id, choice)
            assert not run.errors
            return widget_states(tab.sent[-1]), tab.query_string, [option]
        finally:
            await tab.close()

    sent, query, chosen = run_apart(click())
    countries = next(v for k, v in sent.items() if k.endswith("-browse.countries"))
    assert countries == ("string_array_value", tuple(chosen))
    assert any(k.endswith("-browse.q") for k in sent)  # the untouched search box is sent too
    assert query.startswith("country=")


def test_display_fragment_reruns_alone(app_url: str) -> None:
    """The display asks for its fragment's reruns; one is a fragment run, without errors."""

    async def tick() -> tuple[dict[str, float], int, list[str]]:
        tab = StreamlitSession(app_url, timeout=120)
        try:
            await tab.open("/display")
            fragments = dict(tab.auto_reruns)
            run = await tab.rerun_fragment(next(iter(fragments)))
            return fragments, run.status, run.errors
        finally:
            await tab.close()

    fragments, status, errors = run_apart(tick())
    assert fragments and all(interval > 0 for interval in fragments.values())
    assert status == ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
    assert errors == []


def test_a_few_participants_under_drive_and_the_server_is_found(app_url: str) -> None:
    """Three participants for a few seconds: steps happen, no error or disconnect, and the
    server's process (found by its port) gives its memory and CPU."""
    port = int(app_url.rsplit(":", 1)[1])
    pid = load.listening_pid(port)
    assert pid is not None
    result = run_apart(
        load.drive("test", app_url, 3, (0.2, 0.5), 8, 0, ["overview", "browse"], pid, 1, 120)
    )
    figures = load.summary(result)
    everything = figures["all"]
    assert everything["count"] >= 3  # at least every participant's first page
    assert everything["errors"] == 0 and everything["disconnects"] == 0, figures["first_errors"]
    assert figures["server"]["rss_before_mib"] > 0 and figures["server"]["cpu_s"] >= 0


def test_percentile_interpolates() -> None:
    assert load.percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert load.percentile([5.0], 95) == 5.0
    assert load.percentile([0.0, 10.0], 95) == pytest.approx(9.5)


def test_think_range_is_checked() -> None:
    assert load.parse_think("5,15") == (5.0, 15.0)
    with pytest.raises(Exception, match="--think"):
        load.parse_think("15,5")
