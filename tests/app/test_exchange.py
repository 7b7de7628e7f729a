"""AppTest of /exchange: a focal point moves a request and declines a suggestion, bad input is
refused keeping what was typed, an organiser sees the regional view; nobody else sees anything."""

import json

import pytest
from sqlmodel import col, select

from forumdash import auth
from forumdash import vocab as v
from forumdash.db import make_engine, read_session, write_session
from forumdash.models import ExchangeRequest, Practice, Suggestion
from tests.app.test_contribute import PASSWORD, sign_in
from tests.app.test_overview import _elements
from tests.app.test_pages import new_session, open_chart_downloads, open_page

PAGE = "pages/exchange.py"
HOSTILE = "<img src=x onerror=alert(1)> **loud**"


@pytest.fixture
def seeded(app_database):
    engine = make_engine(app_database)
    with write_session(engine) as session:
        auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="fp@al.example",
            password=PASSWORD,
            role="focal_point",
            country="AL",
        )
        auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="fp@rs.example",
            password=PASSWORD,
            role="focal_point",
            country="RS",
        )
        auth.create_user(
            session=session,
            actor=auth.SYSTEM,
            email="org@example.org",
            password=PASSWORD,
            role="organiser",
        )
        practice = session.exec(
            select(Practice.id)
            .where(Practice.country_code == "AL", Practice.workflow == v.Workflow.published)
            .order_by(col(Practice.id))
        ).first()
        assert practice is not None
        request = ExchangeRequest(
            practice_id=practice,
            to_country="AL",
            from_country="RS",
            name=HOSTILE,
            contact="reach.me@example.org",
            message="We would like to visit.",
            device_hash="d" * 64,
        )
        suggestion = Suggestion(
            record_type=v.RecordType.practice,
            title="Open school budgets",
            country_code="AL",
            description="Schools publish their budgets.",
            name="Ana",
            contact="ana@example.org",
            device_hash="e" * 64,
        )
        session.add(request)
        session.add(suggestion)
        session.flush()
        ids = {"request": request.id, "suggestion": suggestion.id, "engine": engine}
    return ids


def _raw(at) -> str:
    return "\n".join(e.value for kind in ("markdown", "caption") for e in at.get(kind))


def _text(at) -> str:
    """What the page says, Markdown's escapes taken out."""
    return _raw(at).replace("\\", "")


def _page(email: str):
    at = sign_in(new_session(), email)
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_anonymous_sees_nothing_private(seeded):
    at = open_page(PAGE)
    assert not at.exception
    assert "sign in" in at.info[0].value.lower()
    assert "reach.me@example.org" not in _text(at)
    assert not at.get("form")


def test_a_focal_point_of_another_country_does_not_see_the_request(seeded):
    at = _page("fp@rs.example")
    assert "reach.me@example.org" not in _text(at)
    assert "**0** requests" in _text(at)


def test_a_focal_point_moves_a_request_and_bad_input_keeps_what_was_typed(seeded):
    at = _page("fp@al.example")
    assert "reach.me@example.org" in _text(at)
    raw = _raw(at)
    assert "\\<img" in raw and "<img" not in raw.replace(
        "\\<img", ""
    )  # the participant's name is escaped
    key = f"exchange.move-{seeded['request']}"
    at.radio(key=key + ".to").set_value("declined")
    at.text_area(key=key + ".note").input("Talked on the phone")
    _button(at, "Save the step").click().run()
    assert not at.exception
    assert "Say why it is declined" in at.error[0].value
    assert at.text_area(key=key + ".note").value == "Talked on the phone"  # kept

    at.radio(key=key + ".to").set_value("in_contact")
    _button(at, "Save the step").click().run()
    assert not at.exception
    assert "now in contact" in at.success[0].value
    with read_session(seeded["engine"]) as session:
        row = session.get(ExchangeRequest, seeded["request"])
        assert row is not None and row.status == v.ExchangeStatus.in_contact
    assert "Talked on the phone" in _text(at)  # the step's note, under the request


def test_a_move_made_meanwhile_elsewhere_is_refused(seeded):
    at = _page("fp@al.example")
    with write_session(seeded["engine"]) as session:  # another tab moved it
        row = session.get(ExchangeRequest, seeded["request"])
        assert row is not None
        row.status = v.ExchangeStatus.in_contact
        session.add(row)
    key = f"exchange.move-{seeded['request']}"
    at.radio(key=key + ".to").set_value("declined")
    at.text_area(key=key + ".reason").input("Not transferable here")
    _button(at, "Save the step").click().run()
    assert "Someone else changed this request" in at.error[0].value
    with read_session(seeded["engine"]) as session:
        row = session.get(ExchangeRequest, seeded["request"])
        assert row is not None and row.status == v.ExchangeStatus.in_contact


def test_a_suggestion_is_declined_with_a_reason(seeded):
    at = _page("fp@al.example")
    key = f"exchange.suggest-{seeded['suggestion']}"
    assert "ana@example.org" in _text(at)
    at.text_area(key=key + ".reason").input("Already in the forum")
    _button(at, "Decline the suggestion").click().run()
    assert not at.exception
    with read_session(seeded["engine"]) as session:
        row = session.get(Suggestion, seeded["suggestion"])
        assert row is not None and row.status == v.SuggestionStatus.declined
        assert row.decline_reason == "Already in the forum"


def test_a_suggestion_becomes_a_draft_once_its_choices_are_made(seeded):
    at = _page("fp@al.example")
    key = f"exchange.suggest-{seeded['suggestion']}"
    _button(at, "Make the draft").click().run()
    assert "Level of government: choose one" in at.error[0].value.replace("\\", "")
    at.multiselect(key=key + ".themes").select("open-data")
    at.selectbox(key=key + ".level").set_value("local")
    at.selectbox(key=key + ".actor_type").set_value("cso")
    at.selectbox(key=key + ".stage").set_value("implementing")
    _button(at, "Make the draft").click().run()
    assert not at.exception
    assert "The draft is made" in at.success[0].value
    with read_session(seeded["engine"]) as session:
        row = session.get(Suggestion, seeded["suggestion"])
        assert row is not None and row.practice_id is not None


def test_an_organiser_sees_the_regional_view_filtered_from_the_url(seeded):
    at = sign_in(new_session(), "org@example.org")
    at.query_params["from"] = "RS"
    at.query_params["to"] = "AL"
    at.switch_page(PAGE).run()
    assert not at.exception
    assert "**1** request" in _text(at)
    assert at.selectbox(key="exchange.from").value == "RS"
    assert "Regional view" in [t.label for t in at.tabs]
    charts = _elements(at, "vega_lite_chart")
    assert len(charts) == 2, "the heatmap and the requests over time"
    heatmap = json.loads(charts[0].proto.spec)
    assert heatmap["title"]["text"] == "Who asked to learn from whom"
    exports = {b.key for b in at.get("download_button")}
    assert exports == {"exchange.csv", "exchange.xlsx"}  # the charts' are drawn once opened
    drawn = {b.key for b in open_chart_downloads(at).get("download_button")} - exports
    assert drawn == {f"exchange.{c}.{f}" for c in ("heatmap", "over-time") for f in ("png", "svg")}


def test_the_menu_offers_the_page_to_answerers_only(seeded):
    at = open_page("app.py")
    assert "Peer exchange" not in [link.label for link in at.sidebar.get("page_link")]
    at = sign_in(at, "fp@al.example")
    at.switch_page("app.py").run()
    assert "Peer exchange" in [link.label for link in at.sidebar.get("page_link")]


def test_an_organiser_makes_the_adopting_countrys_draft_in_one_step(seeded):
    with write_session(seeded["engine"]) as session:
        row = session.get(ExchangeRequest, seeded["request"])
        assert row is not None
        row.status = v.ExchangeStatus.adopted
        session.add(row)
    at = _page("org@example.org")
    key = f"exchange.adopt-{seeded['request']}"
    assert at.selectbox(key=key + ".country").value == "RS"  # the asking country, as said
    at.multiselect(key=key + ".themes").select("open-data")
    at.selectbox(key=key + ".level").set_value("national")
    at.selectbox(key=key + ".actor_type").set_value("government")
    at.selectbox(key=key + ".stage").set_value("generating_ideas")
    _button(at, "Create the draft").click().run()
    assert not at.exception
    assert "draft is made" in at.success[0].value
    with read_session(seeded["engine"]) as session:
        row = session.get(ExchangeRequest, seeded["request"])
        assert row is not None and row.adopted_practice_id is not None
        draft = session.get(Practice, row.adopted_practice_id)
        assert draft is not None
        assert (draft.country_code, draft.workflow) == ("RS", v.Workflow.draft)
        assert draft.adapted_from_id == row.practice_id
    assert "Open the draft" in [link.label for link in at.get("page_link")]


# --------------------------------------------------------------------------- inbox links


def _linked(email: str, **params: str):
    """The page as an inbox notice's link opens it, signed in as `email`."""
    at = sign_in(new_session(), email)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


def test_a_request_link_shows_it_on_top_whatever_the_filters(seeded):
    request = seeded["request"]
    with write_session(seeded["engine"]) as session:  # declined: outside the default filter
        row = session.get(ExchangeRequest, request)
        assert row is not None
        row.status = v.ExchangeStatus.declined
        row.decline_reason = "Not now"
        session.add(row)
    at = _page("fp@al.example")
    assert "reach.me@example.org" not in _text(at), "the default list hides declined ones"

    at = _linked("fp@al.example", request=str(request))
    assert not _warnings(at)
    assert "reach.me@example.org" in _text(at)
    assert "**0** requests" in _text(at), "the list below does not repeat it"

    back = _button(at, "Show all requests")
    back.click().run()
    assert not at.exception
    assert "request" not in at.query_params
    assert "reach.me@example.org" not in _text(at)


def test_a_request_link_opens_its_next_step(seeded):
    at = _linked("fp@al.example", request=str(seeded["request"]))
    key = f"exchange.move-{seeded['request']}"
    expander = next(e for e in at.expander if e.label == "Record the next step")
    assert expander.proto.expanded, "the notice leads to answering: the form is open"
    at.radio(key=key + ".to").set_value("in_contact")
    _button(at, "Save the step").click().run()
    assert "now in contact" in at.success[0].value
    with read_session(seeded["engine"]) as session:
        row = session.get(ExchangeRequest, seeded["request"])
        assert row is not None and row.status == v.ExchangeStatus.in_contact


def test_an_organiser_follows_a_request_link(seeded):
    at = _linked("org@example.org", request=str(seeded["request"]))
    assert not _warnings(at)
    assert "reach.me@example.org" in _text(at)


@pytest.mark.parametrize("kind", ["request", "suggestion"])
def test_a_link_to_another_countrys_record_says_so_and_shows_nothing(seeded, kind):
    at = _linked("fp@rs.example", **{kind: str(seeded[kind])})
    assert f"names no {kind} you answer for" in _warnings(at)
    assert "reach.me@example.org" not in _text(at)
    assert "ana@example.org" not in _text(at)
    unknown = _linked("fp@rs.example", **{kind: "999999"})
    assert _warnings(unknown) == _warnings(at), "an unknown id reads the same: nothing revealed"


@pytest.mark.parametrize("value", ["abc", "-1", "0", "1e3", "99999999999999999999", ""])
def test_a_malformed_link_says_so_without_a_traceback(seeded, value):
    for kind in ("request", "suggestion"):
        at = _linked("fp@al.example", **{kind: value})
        assert f"names no {kind} you answer for" in _warnings(at)


def test_a_suggestion_link_opens_the_suggestions_tab_on_it(seeded):
    at = _linked("fp@al.example", suggestion=str(seeded["suggestion"]))
    assert not _warnings(at)
    assert at.session_state["exchange.tab"] == "Suggestions"
    assert "ana@example.org" in _text(at)
    key = f"exchange.suggest-{seeded['suggestion']}"
    at.text_area(key=key + ".reason").input("Already in the forum")
    _button(at, "Decline the suggestion").click().run()
    assert not at.exception
    assert "Declined" in _text(at) or "declined" in _text(at)  # still on top, as handled
    assert "ana@example.org" in _text(at)
    with read_session(seeded["engine"]) as session:
        row = session.get(Suggestion, seeded["suggestion"])
        assert row is not None and row.status == v.SuggestionStatus.declined

    _button(at, "Show all suggestions").click().run()
    assert "suggestion" not in at.query_params
    assert at.session_state["exchange.tab"] == "Suggestions", "the list asked for, not Requests"
    assert not at.exception and not _warnings(at)


def test_an_organiser_follows_a_suggestion_link(seeded):
    at = _linked("org@example.org", suggestion=str(seeded["suggestion"]))
    assert at.session_state["exchange.tab"] == "Suggestions"
    assert "ana@example.org" in _text(at)


def test_a_request_link_shows_nothing_to_an_anonymous_visitor(seeded):
    at = open_page(PAGE, request=str(seeded["request"]))
    assert not at.exception
    assert "sign in" in at.info[0].value.lower()
    assert "reach.me@example.org" not in _text(at)
